package graph_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

func ptr[T any](v T) *T { return &v }

func TestApplySchemaIsIdempotent(t *testing.T) {
	store := neo4jtest.Store(t) // applies it once
	for range 2 {
		if err := store.ApplySchema(context.Background()); err != nil {
			t.Fatalf("ApplySchema again: %v", err)
		}
	}
}

func TestPutIsAnUpsert(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	kind := graph.MutualKind{ID: "kind:spin-out", Name: "Spin-out", NameFr: ptr("Essaimage"), Description: "leaves the public sector"}
	if err := store.PutMutualKinds(ctx, []graph.MutualKind{kind}); err != nil {
		t.Fatal(err)
	}
	kind.Description = "an organization that left the public sector"
	kind.NameFr = nil
	if err := store.PutMutualKinds(ctx, []graph.MutualKind{kind}); err != nil {
		t.Fatal(err)
	}
	page, err := store.MutualKinds(ctx, graph.PageArgs{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || len(page.Items) != 1 {
		t.Fatalf("after two puts of one id: total %d, items %d; want 1 and 1", page.Total, len(page.Items))
	}
	got := page.Items[0]
	if got.Description != kind.Description || got.NameFr != nil {
		t.Errorf("got %+v; want the second put's values, nameFr removed", got)
	}
}

func TestPagesCoverTheListOnce(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	var all []graph.Jurisdiction
	for i := range 23 {
		all = append(all, graph.Jurisdiction{ID: fmt.Sprintf("jurisdiction:j%02d", i), Name: fmt.Sprint("J", i), Code: "CA", Level: graph.LevelProvincial})
	}
	if err := store.PutJurisdictions(ctx, all); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, err := store.Jurisdictions(ctx, graph.PageArgs{First: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != len(all) {
			t.Fatalf("total %d, want %d", page.Total, len(all))
		}
		for _, j := range page.Items {
			seen[j.ID]++
			if j.ID <= after {
				t.Fatalf("%s comes after cursor %s: not in id order", j.ID, after)
			}
			after = j.ID
		}
		if !page.HasNext {
			break
		}
	}
	for _, j := range all {
		if seen[j.ID] != 1 {
			t.Errorf("%s seen %d times, want once", j.ID, seen[j.ID])
		}
	}
}

func TestNodeByID(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	qc := graph.Jurisdiction{ID: "jurisdiction:ca-qc", Name: "Quebec", NameFr: ptr("Québec"), Code: "CA-QC", Level: graph.LevelProvincial}
	if err := store.PutJurisdictions(ctx, []graph.Jurisdiction{qc}); err != nil {
		t.Fatal(err)
	}
	node, err := store.Node(ctx, qc.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := node.(graph.Jurisdiction)
	if !ok || got.Name != qc.Name || got.Code != qc.Code || got.Level != qc.Level || got.NameFr == nil || *got.NameFr != "Québec" {
		t.Errorf("Node(%q) = %#v; want %#v", qc.ID, node, qc)
	}
	for _, id := range []string{"jurisdiction:nowhere", "nonsense", "kind:ca-qc", ""} {
		if _, err := store.Node(ctx, id); graph.ErrorCode(err) != graph.CodeNotFound {
			t.Errorf("Node(%q): err %v; want NOT_FOUND", id, err)
		}
	}
}

// Strings that look like Cypher must be taken literally.
func TestInjectionIsLiteral(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	evil := `kind:x"}) MATCH (n) DETACH DELETE n //`
	if err := store.PutMutualKinds(ctx, []graph.MutualKind{{ID: "kind:keep", Name: "Keep"}, {ID: evil, Name: evil}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Node(ctx, evil); err != nil {
		t.Fatalf("Node(evil id): %v", err)
	}
	page, err := store.MutualKinds(ctx, graph.PageArgs{First: 10, After: `") RETURN 1 //`})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 {
		t.Errorf("total %d after injection attempts, want 2", page.Total)
	}
}

func TestRequestDeadlineBecomesTimeout(t *testing.T) {
	store := neo4jtest.Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := store.MutualKinds(ctx, graph.PageArgs{First: 1}); graph.ErrorCode(err) != graph.CodeTimeout {
		t.Errorf("err %v (code %s); want TIMEOUT", err, graph.ErrorCode(err))
	}
}

func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	proxy, conn := neo4jtest.NewProxy(t)
	store, err := graph.Open(conn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	ctx := context.Background()
	if err := store.Ping(ctx); err != nil {
		t.Fatalf("ping through the proxy: %v", err)
	}
	proxy.Cut()
	started := time.Now()
	err = store.Ping(ctx)
	if graph.ErrorCode(err) != graph.CodeUnavailable {
		t.Fatalf("ping after the cut: %v (code %s); want DATABASE_UNAVAILABLE", err, graph.ErrorCode(err))
	}
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Message != "the database is unavailable" {
		t.Errorf("client message %q leaks or is wrong", ge.Message)
	}
	t.Logf("failed after %s", time.Since(started))
}
