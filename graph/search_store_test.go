package graph_test

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/graph/fulltext"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

func searchIDs(t *testing.T, store *graph.Store, text string, labels ...graph.Label) []graph.Hit {
	t.Helper()
	hits, err := store.Search(context.Background(), text, labels, 10)
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("search %q: hit %d scores %v, above the hit before it (%v)", text, i, hits[i].Score, hits[i-1].Score)
		}
	}
	return hits
}

func TestSearchMatchesBestFirst(t *testing.T) {
	store := neo4jtest.Store(t)
	put(t, store, graph.LabelStatute,
		map[string]any{"id": "statute:cbca", "name": "Canada Business Corporations Act", "aliases": []string{"CBCA", "LCSA"},
			"description": "Federal law for business corporations."},
		map[string]any{"id": "statute:coops", "name": "Canada Cooperatives Act", "description": "Federal law for co-operatives, not the CBCA."})
	put(t, store, graph.LabelSource,
		map[string]any{"id": "source:cbca-guide", "name": "A guide to corporations"})

	hits := searchIDs(t, store, "CBCA")
	if len(hits) != 2 || hits[0].Node.GetID() != "statute:cbca" || hits[0].Match != graph.MatchExact || hits[1].Match != graph.MatchWords {
		t.Errorf("CBCA: %+v; want the alias's statute, EXACT, then the description's, WORDS", hits)
	}
	if hits := searchIDs(t, store, "statute:coops"); len(hits) == 0 || hits[0].Node.GetID() != "statute:coops" || hits[0].Match != graph.MatchID {
		t.Errorf("an id: %+v; want its entity first, as ID", hits)
	}
	if hits := searchIDs(t, store, "co-op"); len(hits) != 1 || hits[0].Node.GetID() != "statute:coops" {
		t.Errorf("co-op: %+v; want the Cooperatives Act", hits)
	}
	if hits := searchIDs(t, store, "corporatons"); len(hits) != 2 || hits[0].Match != graph.MatchSimilar {
		t.Errorf("a misspelling: %+v; want the two entities that hold corporations, SIMILAR", hits)
	}
	if hits := searchIDs(t, store, "corporatons", graph.LabelSource); len(hits) != 1 || hits[0].Node.GetID() != "source:cbca-guide" {
		t.Errorf("a misspelling among sources: %+v; want the source alone", hits)
	}
	for _, h := range searchIDs(t, store, "corporations") {
		if h.Match == graph.MatchSimilar {
			t.Errorf("corporations: %+v; no SIMILAR hit when words match", h)
		}
	}
}

// A graph written by an earlier version has no search fields, or other
// rules' fields: applying the schema writes them, so that search finds it.
func TestApplySchemaRefoldsOlderNodes(t *testing.T) {
	store := neo4jtest.Store(t)
	put(t, store, graph.LabelStatute,
		map[string]any{"id": "statute:cbca", "name": "Canada Business Corporations Act", "aliases": []string{"CBCA"}},
		map[string]any{"id": "statute:coops", "name": "Canada Cooperatives Act"})
	conn := neo4jtest.Settings(t)
	driver, err := neo4j.NewDriverWithContext(conn.URI, neo4j.BasicAuth(conn.Username, conn.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = driver.Close(context.Background()) }()
	if _, err := neo4j.ExecuteQuery(context.Background(), driver,
		`MATCH (n:Entity {id: 'statute:cbca'}) REMOVE n.`+fulltext.PropKeys+`, n.`+fulltext.PropNameEn+`, n.`+fulltext.PropNameFr+`, n.`+fulltext.PropVersion+`
		 WITH count(*) AS _ MATCH (n:Entity {id: 'statute:coops'}) SET n.`+fulltext.PropVersion+` = -1`,
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(conn.Database)); err != nil {
		t.Fatal(err)
	}
	if hits := searchIDs(t, store, "CBCA"); len(hits) != 0 {
		t.Fatalf("CBCA before: %+v; the fields are gone", hits)
	}
	n, err := store.Refold(context.Background())
	if err != nil || n != 2 {
		t.Errorf("Refold: %d nodes, %v; want the 2 of other rules", n, err)
	}
	if hits := searchIDs(t, store, "CBCA"); len(hits) != 1 || hits[0].Match != graph.MatchExact {
		t.Errorf("CBCA after: %+v; want the statute, EXACT", hits)
	}
	if n, err := store.Refold(context.Background()); err != nil || n != 0 {
		t.Errorf("Refold again: %d nodes, %v; want none", n, err)
	}
}
