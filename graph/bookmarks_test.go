package graph

import (
	"context"
	"testing"
)

// Only a routing address chains reads after the process's writes: a
// bolt:// address is one server, which sees each commit at once.
func TestOnlyARoutingAddressChainsReads(t *testing.T) {
	for uri, chains := range map[string]bool{
		"bolt://localhost:7687":            false,
		"bolt+s://db.example.org":          false,
		"neo4j://localhost:7687":           true,
		"neo4j+s://abc.databases.neo4j.io": true,
		"neo4j+ssc://db.example.org:7687":  true,
		"NEO4J://upper.example.org":        true,
	} {
		store, err := Open(Settings{URI: uri})
		if err != nil {
			t.Fatal(err)
		}
		if got := store.bookmarks != nil; got != chains {
			t.Errorf("%s: chains reads %v, want %v", uri, got, chains)
		}
		_ = store.Close(context.Background())
	}
}
