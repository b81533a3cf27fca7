package graph_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

// put upserts nodes of the label, failing the test on error.
func put(t *testing.T, store *graph.Store, label graph.Label, rows ...map[string]any) {
	t.Helper()
	ctx := context.Background()
	log, err := store.StartLoad(ctx, graph.Edit{Actor: "test", Reason: "test rows"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadNodes(ctx, label, rows, graph.Upsert, log, graph.LoadFile{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := store.CompleteLoad(ctx, log); err != nil {
		t.Fatal(err)
	}
}

func TestApplySchemaIsIdempotent(t *testing.T) {
	store := neo4jtest.Store(t) // applies it once
	for range 2 {
		if err := store.ApplySchema(context.Background()); err != nil {
			t.Fatalf("ApplySchema again: %v", err)
		}
	}
}

func TestPagesCoverTheListOnce(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	var rows []map[string]any
	for i := range 23 {
		rows = append(rows, map[string]any{"id": fmt.Sprintf("jurisdiction:j%02d", i), "name": fmt.Sprint("J", i),
			"code": "CA", "country": "CA", "level": "PROVINCIAL"})
	}
	put(t, store, graph.LabelJurisdiction, rows...)
	seen := map[string]int{}
	after := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, err := store.List(ctx, graph.LabelJurisdiction, graph.ListArgs{PageArgs: graph.PageArgs{First: 5, After: after}})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != len(rows) {
			t.Fatalf("total %d, want %d", page.Total, len(rows))
		}
		for _, n := range page.Items {
			j, ok := n.(graph.Jurisdiction)
			if !ok || j.Country != "CA" {
				t.Fatalf("item %#v is not a decoded jurisdiction", n)
			}
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
	for _, r := range rows {
		if id := r["id"].(string); seen[id] != 1 {
			t.Errorf("%s seen %d times, want once", id, seen[id])
		}
	}
}

func TestNodeByID(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	put(t, store, graph.LabelJurisdiction, map[string]any{"id": "jurisdiction:ca-qc", "name": "Quebec", "nameFr": "Québec",
		"code": "CA-QC", "country": "CA", "level": "PROVINCIAL", "sourceIds": []string{"source:a", "source:b"}})
	node, err := store.Node(ctx, "jurisdiction:ca-qc")
	if err != nil {
		t.Fatal(err)
	}
	got, ok := node.(graph.Jurisdiction)
	if !ok || got.Name != "Quebec" || got.Code != "CA-QC" || got.Level != "PROVINCIAL" ||
		got.NameFr == nil || *got.NameFr != "Québec" || len(got.SourceIDs) != 2 {
		t.Errorf("Node = %#v", node)
	}
	for _, id := range []string{"jurisdiction:nowhere", "nonsense", ""} {
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
	put(t, store, graph.LabelMutualKind,
		map[string]any{"id": "kind:keep", "name": "Keep", "route": "SPIN_OUT", "initiator": "GOVERNMENT"},
		map[string]any{"id": evil, "name": evil, "route": "SPIN_OUT", "initiator": "GOVERNMENT"})
	if _, err := store.Node(ctx, evil); err != nil {
		t.Fatalf("Node(evil id): %v", err)
	}
	page, err := store.List(ctx, graph.LabelMutualKind, graph.ListArgs{PageArgs: graph.PageArgs{First: 10, After: `") RETURN 1 //`}})
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
	<-ctx.Done()
	if _, err := store.List(ctx, graph.LabelMutualKind, graph.ListArgs{PageArgs: graph.PageArgs{First: 1}}); graph.ErrorCode(err) != graph.CodeTimeout {
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

// counter is an observer that counts transactions.
type counter struct{ n atomic.Int64 }

func (c *counter) Transaction(context.Context, graph.Transaction) { c.n.Add(1) }

// Every observer hears of every transaction, whenever it was added.
func TestObserversAllHear(t *testing.T) {
	store := neo4jtest.Store(t)
	var first, second counter
	store.Observe(&first)
	list := func() {
		if _, err := store.List(context.Background(), graph.LabelMutualKind, graph.ListArgs{PageArgs: graph.PageArgs{First: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	list()
	store.Observe(&second)
	list()
	if first.n.Load() != 2 || second.n.Load() != 1 {
		t.Errorf("the first observer heard %d transactions, the second %d; want 2 and 1", first.n.Load(), second.n.Load())
	}
}
