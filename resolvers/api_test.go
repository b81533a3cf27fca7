package resolvers_test

import (
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

var update = flag.Bool("update", false, "rewrite the schema snapshot")

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

// api is the GraphQL API over the shipped data set, with the set itself so
// that tests derive the expected answers from the data, and a query counter.
type api struct {
	client *client.Client
	store  *neo4jtest.Counter
	set    *seed.Set
}

var shared *api

// newAPI loads the shipped data set once for the package's tests, which
// only read it.
func newAPI(t *testing.T) *api {
	t.Helper()
	if shared != nil {
		return shared
	}
	neo4jtest.Store(t) // empties the database
	store, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), store, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	c := neo4jtest.Count(store)
	h := server.GraphQL(compile.New(resolvers.New(store), store, compile.Options{}), slog.New(slog.DiscardHandler), true)
	shared = &api{client: client.New(h), store: c, set: set}
	return shared
}

func (a *api) query(t *testing.T, q string, out any, opts ...client.Option) {
	t.Helper()
	if err := a.client.Post(q, out, opts...); err != nil {
		t.Fatalf("%v\nquery: %s", err, q)
	}
}

func TestSchemaSnapshot(t *testing.T) {
	var b strings.Builder
	formatter.NewFormatter(&b).FormatSchema(resolvers.New(nil).Schema())
	path := filepath.Join("testdata", "schema.graphql")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Error("the schema differs from testdata/schema.graphql: check that the change is meant, then run go test ./resolvers -run Snapshot -update")
	}
}

// A three-level request below a list costs one query, however many items
// each level holds.
func TestNestedRequestQueryBound(t *testing.T) {
	a := newAPI(t)
	before := a.store.Queries()
	var resp struct {
		MutualKinds struct {
			Edges []struct {
				Node struct {
					ID         string
					AffectedBy struct {
						Edges []struct {
							Effect  string
							Sources []struct{ Name string }
							Node    struct {
								ID     string
								HeldBy *struct {
									Edges []struct{ Node struct{ ID string } }
								}
							}
						}
					}
				}
			}
		}
	}
	a.query(t, `{ mutualKinds(first: 10) { edges { node { id
	  affectedBy(first: 100) { edges { effect sources { name } node { id
	    ... on Lever { heldBy { edges { node { id } } } }
	    ... on Statute { heldBy { edges { node { id } } } }
	    ... on Programme { heldBy { edges { node { id } } } } } } } } } } }`, &resp)
	queries := a.store.Queries() - before
	if queries != 1 {
		t.Errorf("%d queries for a three-level request; want 1", queries)
	}
	edges := 0
	for _, k := range resp.MutualKinds.Edges {
		edges += len(k.Node.AffectedBy.Edges)
		for _, e := range k.Node.AffectedBy.Edges {
			if len(e.Sources) == 0 {
				t.Errorf("%s <- %s: an AFFECTS edge without sources", k.Node.ID, e.Node.ID)
			}
		}
	}
	if want := len(a.set.Rels[graph.RelAffects]); edges != want {
		t.Errorf("%d AFFECTS edges walked in; the data has %d", edges, want)
	}
	t.Logf("%d queries for %d kinds and %d edges", queries, len(resp.MutualKinds.Edges), edges)
}

func TestConnectionsPageWithoutLossOrDuplication(t *testing.T) {
	a := newAPI(t)
	var ids []string
	after := ""
	for range 100 {
		var resp struct {
			Sources struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		a.query(t, `query($after: String) { sources(first: 7, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
			&resp, client.Var("after", after))
		for _, e := range resp.Sources.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !resp.Sources.PageInfo.HasNextPage {
			break
		}
		after = resp.Sources.PageInfo.EndCursor
	}
	var want []string
	for _, s := range a.set.Nodes[graph.LabelSource] {
		want = append(want, s["id"].(string))
	}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("paged %d sources, want the %d of the data set once each, in id order", len(ids), len(want))
	}
}

func TestBadInputHasItsCode(t *testing.T) {
	a := newAPI(t)
	ids := make([]string, resolvers.MaxFirst+1)
	for i := range ids {
		ids[i] = "kind:x"
	}
	idsJSON, _ := json.Marshal(ids)
	for _, q := range []string{
		`{ trace(from: "kind:spin-out", to: "kind:spin-in", maxHops: 99) { length } }`,
		`{ search(text: "   ") { score } }`,
		`{ search(text: "co-op", first: 0) { score } }`,
		`{ mutualKinds(first: 101) { totalCount } }`,
		`{ statutes(after: "not-a-cursor") { totalCount } }`,
		`{ nodes(ids: ` + string(idsJSON) + `) { id } }`,
		`{ influenceMatrix(kinds: ["statute:income-tax-act"]) { rows { cells { paths } } } }`,
		`{ gaps(kind: "statute:income-tax-act", jurisdictions: ["jurisdiction:ca"]) { unaddressed } }`,
		`{ gaps(kind: "kind:spin-out", jurisdictions: ["kind:spin-in"]) { unaddressed } }`,
		`{ gaps(kind: "kind:spin-out", jurisdictions: []) { unaddressed } }`,
	} {
		var resp struct{}
		err := a.client.Post(q, &resp)
		if err == nil || !strings.Contains(err.Error(), `"code":"BAD_USER_INPUT"`) {
			t.Errorf("%s: %v; want BAD_USER_INPUT", q[:min(len(q), 60)], err)
		}
	}
}

// What a list shows below its nodes is what each node shows below itself
// when asked alone: the same edges, properties and totals, through
// filters, fragments on several types and single neighbours.
func TestBelowAListAsBelowANode(t *testing.T) {
	a := newAPI(t)
	below := `affectedBy(first: 50, where: {NOT: {id: {startsWith: "commitment:"}}}) { totalCount edges { effect rationale node { id
	  ... on Lever { heldBy { totalCount edges { node { id partOf { id } } } } }
	  ... on Statute { heldBy(first: 1) { edges { node { id } } } realises { edges { node { id name } } } }
	  ... on Programme { supports(first: 3) { totalCount edges { node { id } } } } } } }
	  challenges { edges { rationale node { id } } }`
	var list struct {
		MutualKinds struct {
			Edges []struct{ Node map[string]any }
		}
	}
	a.query(t, `{ mutualKinds(first: 10) { edges { node { id `+below+` } } } }`, &list)
	if len(list.MutualKinds.Edges) == 0 {
		t.Fatal("no kinds")
	}
	for _, e := range list.MutualKinds.Edges {
		var one struct{ Node map[string]any }
		a.query(t, `{ node(id: "`+e.Node["id"].(string)+`") { ... on MutualKind { id `+below+` } } }`, &one)
		got, _ := json.Marshal(e.Node)
		want, _ := json.Marshal(one.Node)
		if string(got) != string(want) {
			t.Errorf("%s below the list:\n%s\nalone:\n%s", e.Node["id"], got, want)
		}
	}
}
