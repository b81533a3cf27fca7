package graph_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

func TestPagesWithoutTotalHoldTheSameItems(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	var rows []map[string]any
	for i := range 12 {
		rows = append(rows, map[string]any{"id": fmt.Sprintf("jurisdiction:w%02d", i), "name": fmt.Sprint("W", i),
			"code": "CA", "country": "CA", "level": []string{"PROVINCIAL", "NATIONAL"}[i%2]})
	}
	put(t, store, graph.LabelJurisdiction, rows...)
	ids := func(p graph.Page[graph.Node]) []string {
		var out []string
		for _, n := range p.Items {
			out = append(out, n.GetID())
		}
		return out
	}
	for _, where := range []graph.Filter{{}, {Props: []graph.PropFilter{{Name: "level", Op: graph.OpEq, Value: "NATIONAL"}}}} {
		args := graph.ListArgs{PageArgs: graph.PageArgs{First: 4, After: "jurisdiction:w02", Where: where}}
		counted, err := store.List(ctx, graph.LabelJurisdiction, args)
		if err != nil {
			t.Fatal(err)
		}
		uncounted, err := store.List(graph.WithoutTotal(ctx), graph.LabelJurisdiction, args)
		if err != nil {
			t.Fatal(err)
		}
		if counted.Total == 0 || uncounted.Total != 0 {
			t.Errorf("where %v: totals %d counted and %d not, want some and 0", where, counted.Total, uncounted.Total)
		}
		if !slices.Equal(ids(counted), ids(uncounted)) || counted.HasNext != uncounted.HasNext {
			t.Errorf("where %v: pages differ: %v (next %v) and %v (next %v)", where,
				ids(counted), counted.HasNext, ids(uncounted), uncounted.HasNext)
		}
	}
}
