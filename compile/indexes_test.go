package compile_test

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strconv"
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
	// index does not hold: the list names it for those that have one
	// (TestAKeySomeNodesLackIsReadFromItsIndex). Both read paths answer
	// alike either way.
	for _, where := range []string{"founded: {lt: 2000}", "founded: {in: [2001, 2002]}", "founded: {eq: 2001}", ""} {
		query := `{ mutuals(first: 5, where: {ownership: {eq: EMPLOYEE}, ` + where + `}, orderBy: [{field: FOUNDED, direction: DESC}]) {
		  edges { node { id founded } } } }`
		var resolved, compiled any
		decode(t, post(t, p.resolved, query, nil), &resolved)
		decode(t, post(t, recorded, query, nil), &compiled)
		if !reflect.DeepEqual(resolved, compiled) {
			t.Errorf("%q: the resolvers answer %v, the compiled path %v", where, resolved, compiled)
		}
		if cypher := reader.read[len(reader.read)-1].Cypher; !strings.Contains(cypher, "USING INDEX n0:Mutual(ownership, founded)") {
			t.Errorf("%q: the list does not name the index on ownership and founded:\n%s", where, cypher)
		}
	}
}

// A list ordered by a key that some nodes lack reads the nodes that have
// it from the key's index, in order, and the others apart. On a generated
// graph where one mutual in seven has no founding year, every such order
// (up, down, held to one ownership, with a second key) pages through the
// mutuals in the order sorted here, on both read paths, the mutuals
// without a year last going up and first going down, as Cypher sorts them.
// The first page going up reads fewer rows than there are mutuals; going
// down, once every mutual has a year, it scans no mutual by label.
func TestAKeySomeNodesLackIsReadFromItsIndex(t *testing.T) {
	dir := t.TempDir()
	if _, err := shape.Generate(dir, shape.Size{Nodes: 2000}); err != nil {
		t.Fatal(err)
	}
	p := loadedPaths(t, os.DirFS(dir))
	run(t, "", `MATCH (n:Mutual) WHERE toInteger(right(n.id, 3)) % 7 = 0 REMOVE n.founded`)

	type mutual struct {
		id, name, ownership string
		founded             any
	}
	var all []mutual
	for _, r := range run(t, "", `MATCH (n:Mutual) RETURN n.id, n.name, n.ownership, n.founded`).Records {
		all = append(all, mutual{r.Values[0].(string), r.Values[1].(string), r.Values[2].(string), r.Values[3]})
	}
	lacking := slices.IndexFunc(all, func(m mutual) bool { return m.founded == nil })
	if len(all) < 500 || lacking < 0 {
		t.Fatalf("%d mutuals, the first without a year at %d: too few to tell a read of the index from a read of the label", len(all), lacking)
	}
	// Cypher sorts a missing value after every other.
	byYear := func(a, b mutual) int {
		if a.founded == nil || b.founded == nil {
			return cmp.Compare(boolInt(a.founded == nil), boolInt(b.founded == nil))
		}
		return cmp.Compare(a.founded.(int64), b.founded.(int64))
	}
	for _, c := range []struct {
		args string
		keep func(mutual) bool
		less func(a, b mutual) int
	}{
		{`orderBy: [{field: FOUNDED}]`, nil, byYear},
		{`orderBy: [{field: FOUNDED, direction: DESC}]`, nil, func(a, b mutual) int { return byYear(b, a) }},
		{`where: {ownership: {eq: MEMBER}}, orderBy: [{field: FOUNDED}]`, func(m mutual) bool { return m.ownership == "MEMBER" }, byYear},
		{`where: {ownership: {eq: MEMBER}}, orderBy: [{field: FOUNDED, direction: DESC}]`,
			func(m mutual) bool { return m.ownership == "MEMBER" }, func(a, b mutual) int { return byYear(b, a) }},
		{`orderBy: [{field: FOUNDED, direction: DESC}, {field: NAME}]`, nil,
			func(a, b mutual) int { return cmp.Or(byYear(b, a), strings.Compare(a.name, b.name)) }},
	} {
		var want []string
		kept := slices.Clone(all)
		if c.keep != nil {
			kept = slices.DeleteFunc(kept, func(m mutual) bool { return !c.keep(m) })
		}
		slices.SortFunc(kept, func(a, b mutual) int { return cmp.Or(c.less(a, b), strings.Compare(a.id, b.id)) })
		for _, m := range kept {
			want = append(want, m.id)
		}
		for name, h := range map[string]http.Handler{"resolvers": p.resolved, "compiled": p.compiled} {
			if got := pageThrough(t, h, c.args, 97); !slices.Equal(got, want) {
				i := 0
				for i < min(len(got), len(want)) && got[i] == want[i] {
					i++
				}
				t.Errorf("%s, %s: %d mutuals, want %d; from the %dth, got %v, want %v",
					name, c.args, len(got), len(want), i+1, got[i:min(i+5, len(got))], want[i:min(i+5, len(want))])
			}
		}
	}

	reader := &trees{store: p.store}
	recorded := server.GraphQL(compile.New(resolvers.New(p.store), reader, compile.Options{}), slog.New(slog.DiscardHandler), true)
	post(t, recorded, `{ mutuals(first: 10, orderBy: [{field: FOUNDED}]) { edges { node { id } } } }`, nil)
	tree := reader.read[len(reader.read)-1]
	if !strings.Contains(tree.Cypher, "USING INDEX n0:Mutual(founded)") {
		t.Errorf("the list does not name the index on founded:\n%s", tree.Cypher)
	}
	if rows := profiledRows(run(t, "PROFILE ", tree.Cypher, tree.Params).Summary.Profile(), ""); rows >= int64(len(all)) {
		t.Errorf("the first page read %d rows, of %d mutuals", rows, len(all))
	}

	// Going down, the mutuals without a year come first, and finding them
	// reads every mutual: unless, as here once every mutual has one, the
	// count of mutuals equals the count of the index's entries.
	run(t, "", `MATCH (n:Mutual) WHERE n.founded IS NULL SET n.founded = 1999`)
	post(t, recorded, `{ mutuals(first: 10, orderBy: [{field: FOUNDED, direction: DESC}]) { edges { node { id } } } }`, nil)
	tree = reader.read[len(reader.read)-1]
	if scanned := profiledRows(run(t, "PROFILE ", tree.Cypher, tree.Params).Summary.Profile(), "NodeByLabelScan"); scanned > 0 {
		t.Errorf("the first page going down scanned %d mutuals, though none lacks a year:\n%s", scanned, tree.Cypher)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pageThrough reads a list of mutuals with the arguments to its end, first
// at a time, and returns their ids.
func pageThrough(t *testing.T, h http.Handler, args string, first int) []string {
	t.Helper()
	var ids []string
	query := `query ($after: String) { mutuals(first: ` + strconv.Itoa(first) + `, after: $after, ` + args + `) {
	  edges { node { id } } pageInfo { hasNextPage endCursor } } }`
	for after := ""; ; {
		var answer struct {
			Mutuals struct {
				Edges    []struct{ Node struct{ ID string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		decode(t, post(t, h, query, map[string]any{"after": after}), &answer)
		for _, e := range answer.Mutuals.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !answer.Mutuals.PageInfo.HasNextPage {
			return ids
		}
		after = answer.Mutuals.PageInfo.EndCursor
	}
}

// profiledRows adds up the rows that the operators of a profiled plan
// produced: every operator, or those named op.
func profiledRows(plan neo4j.ProfiledPlan, op string) int64 {
	var rows int64
	if op == "" || strings.TrimSuffix(plan.Operator(), "@neo4j") == op {
		rows = plan.Records()
	}
	for _, c := range plan.Children() {
		rows += profiledRows(c, op)
	}
	return rows
}

// run runs a query, prefixed (EXPLAIN, PROFILE or ""), on the test
// database.
func run(t *testing.T, prefix, cypher string, params ...map[string]any) *neo4j.EagerResult {
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
	var p map[string]any
	if len(params) > 0 {
		p = params[0]
	}
	result, err := neo4j.ExecuteQuery(ctx, driver, prefix+cypher, p, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	return result
}

// explain renders Neo4j's plan of the tree's query: an operator a line,
// with its details.
func explain(t *testing.T, tree graph.Tree) string {
	t.Helper()
	var b strings.Builder
	var walk func(neo4j.Plan)
	walk = func(op neo4j.Plan) {
		details, _ := op.Arguments()["Details"].(string)
		b.WriteString("\n" + strings.TrimSuffix(op.Operator(), "@neo4j") + " " + details)
		for _, c := range op.Children() {
			walk(c)
		}
	}
	walk(run(t, "EXPLAIN ", tree.Cypher, tree.Params).Summary.Plan())
	return b.String()
}
