package compile_test

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/internal/shape"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/server"
)

// A list kept to one value of an enum and ordered by a number reads the
// index on both in order, and stops at the page's end: on a generated
// graph, the page equals the one sorted here, and Neo4j's plan for it seeks
// that index and sorts no more than the rows of equal numbers.
func TestAListOfOneEnumValueReadsItsPairIndexInOrder(t *testing.T) {
	dir := t.TempDir()
	if _, err := shape.Generate(dir, shape.Size{Nodes: 2000}); err != nil {
		t.Fatal(err)
	}
	p := loadedPaths(t, os.DirFS(dir))
	var kept []map[string]any
	for _, r := range p.set.Nodes[graph.LabelMutual] {
		if y, ok := r["founded"].(int64); ok && y >= 2000 && r["ownership"] == "EMPLOYEE" {
			kept = append(kept, r)
		}
	}
	slices.SortFunc(kept, func(a, b map[string]any) int {
		return cmp.Or(cmp.Compare(b["founded"].(int64), a["founded"].(int64)), strings.Compare(a["id"].(string), b["id"].(string)))
	})
	if len(kept) < 30 {
		t.Fatalf("the generated graph has %d employee-owned mutuals founded since 2000: too few to page", len(kept))
	}
	var want []string
	for _, r := range kept[:25] {
		want = append(want, r["id"].(string))
	}

	// Two pages: of 5, then of 20 after the first's cursor.
	page := func(h http.Handler, first int, after string) ([]string, string) {
		query := `query ($first: Int, $after: String) { mutuals(first: $first, after: $after,
		  where: {founded: {gte: 2000}, ownership: {eq: EMPLOYEE}}, orderBy: [{field: FOUNDED, direction: DESC}]) {
		    edges { node { id } } pageInfo { endCursor } } }`
		var answer struct {
			Mutuals struct {
				Edges    []struct{ Node struct{ ID string } }
				PageInfo struct{ EndCursor string }
			}
		}
		vars := map[string]any{"first": first}
		if after != "" {
			vars["after"] = after
		}
		decode(t, post(t, h, query, vars), &answer)
		var ids []string
		for _, e := range answer.Mutuals.Edges {
			ids = append(ids, e.Node.ID)
		}
		return ids, answer.Mutuals.PageInfo.EndCursor
	}
	reader := &trees{store: p.store}
	recorded := server.GraphQL(compile.New(resolvers.New(p.store), reader, compile.Options{}), slog.New(slog.DiscardHandler), true)
	for name, h := range map[string]http.Handler{"resolvers": p.resolved, "compiled": p.compiled, "recorded": recorded} {
		first, cursor := page(h, 5, "")
		rest, _ := page(h, 20, cursor)
		if got := append(first, rest...); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
	}

	plan := explain(t, reader.read[len(reader.read)-1])
	if !strings.Contains(plan, "Mutual(ownership, founded)") {
		t.Errorf("the list does not read the index on ownership and founded:\n%s", plan)
	}
	if strings.Contains(plan, "\nSort") || strings.Contains(plan, "\nTop") {
		t.Errorf("the list sorts every row it keeps:\n%s", plan)
	}

	// Any condition on the number lets the list name that index to Neo4j;
	// without one, mutuals of no founding year are listed too, which the
	// index does not hold, so the list does not name it. Both read paths
	// answer alike either way.
	for _, c := range []struct {
		where  string
		hinted bool
	}{{"founded: {lt: 2000}", true}, {"founded: {in: [2001, 2002]}", true}, {"founded: {eq: 2001}", true}, {"", false}} {
		query := `{ mutuals(first: 5, where: {ownership: {eq: EMPLOYEE}, ` + c.where + `}, orderBy: [{field: FOUNDED, direction: DESC}]) {
		  edges { node { id founded } } } }`
		var resolved, compiled any
		decode(t, post(t, p.resolved, query, nil), &resolved)
		decode(t, post(t, recorded, query, nil), &compiled)
		if !reflect.DeepEqual(resolved, compiled) {
			t.Errorf("%q: the resolvers answer %v, the compiled path %v", c.where, resolved, compiled)
		}
		cypher := reader.read[len(reader.read)-1].Cypher
		if hinted := strings.Contains(cypher, "USING INDEX n0:Mutual(ownership, founded)"); hinted != c.hinted {
			t.Errorf("%q: the list names the index on ownership and founded: %v, want %v:\n%s", c.where, hinted, c.hinted, cypher)
		}
	}
}

// explain renders Neo4j's plan of the tree's query: an operator a line,
// with its details.
func explain(t *testing.T, tree graph.Tree) string {
	t.Helper()
	ctx := context.Background()
	s := neo4jtest.Settings(t)
	auth := neo4j.NoAuth()
	if s.Username != "" {
		auth = neo4j.BasicAuth(s.Username, s.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(s.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = driver.Close(ctx) }()
	result, err := neo4j.ExecuteQuery(ctx, driver, "EXPLAIN "+tree.Cypher, tree.Params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(neo4j.Plan)
	walk = func(op neo4j.Plan) {
		details, _ := op.Arguments()["Details"].(string)
		b.WriteString("\n" + strings.TrimSuffix(op.Operator(), "@neo4j") + " " + details)
		for _, c := range op.Children() {
			walk(c)
		}
	}
	walk(result.Summary.Plan())
	return b.String()
}
