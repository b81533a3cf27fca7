package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

// A query past the request's deadline answers TIMEOUT and is stopped in
// Neo4j, not left running after the client gave up.
func TestSlowQueryIsStoppedInNeo4j(t *testing.T) {
	store, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = store.Read(ctx, "UNWIND range(1, 10000000000) AS i WITH i WHERE i < 0 RETURN count(*)", nil)
	if graph.ErrorCode(err) != graph.CodeTimeout {
		t.Fatalf("slow query: %v (code %s); want TIMEOUT", err, graph.ErrorCode(err))
	}

	// Neo4j may take a moment to reap the transaction; it must not linger.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		rows, err := store.Read(context.Background(),
			// A parameter, so that this query's own text does not match.
			"SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $q RETURN count(*) AS n",
			map[string]any{"q": "range(1, 10000000000)"})
		if err != nil {
			t.Fatal(err)
		}
		if rows[0]["n"] == int64(0) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the timed-out query still runs in Neo4j")
		}
	}
}
