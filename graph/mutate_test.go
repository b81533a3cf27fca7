package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

// CreateNode says an id is taken only when it is: a write that Neo4j
// refuses for another reason (here an id too long for its index, which
// callers refuse before) is not reported as a duplicate.
func TestCreateNodeSaysAnIdIsTakenOnlyWhenItIs(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	long := "source:" + strings.Repeat("a", 9000)
	_, err := store.CreateNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, graph.LabelSource, map[string]any{"id": long, "name": "Long"}, nil)
	if err == nil || strings.Contains(err.Error(), "exists already") {
		t.Errorf("CreateNode of an id Neo4j refuses: %v", err)
	}
	if _, err := store.CreateNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, graph.LabelSource, map[string]any{"id": "source:a", "name": "A"}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = store.CreateNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, graph.LabelSource, map[string]any{"id": "source:a", "name": "Again"}, nil)
	if graph.ErrorCode(err) != graph.CodeBadInput || !strings.Contains(err.Error(), `an entity with the id "source:a" exists already`) {
		t.Errorf("CreateNode of a taken id: %v", err)
	}
}
