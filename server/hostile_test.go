package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

// hostile is a small request meant to cost the service or Neo4j far more
// than its size.
type hostile struct {
	name string
	body []byte
}

func hostileBody(query string, vars map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err)
	}
	return b
}

// nest wraps leaf in n layers.
func nest(n int, leaf any, layer func(inner any) any) any {
	v := leaf
	for range n {
		v = layer(v)
	}
	return v
}

// hostileRequests generates the shapes of abuse, each from just past its
// bound to far past it: filters nested by NOT, AND, OR and relationships,
// filters and sorts too broad, fragments that spread each other several
// times over, and analyses repeated under aliases.
func hostileRequests() []hostile {
	const mutuals = `query($w: MutualWhere) { mutuals(where: $w) { totalCount } }`
	leaf := map[string]any{"name": map[string]any{"eq": "x"}}
	var out []hostile
	add := func(name, query string, vars map[string]any) {
		out = append(out, hostile{name, hostileBody(query, vars)})
	}
	layers := map[string]func(any) any{
		"NOT": func(in any) any { return map[string]any{"NOT": in} },
		"AND": func(in any) any { return map[string]any{"AND": []any{in}} },
		"OR":  func(in any) any { return map[string]any{"OR": []any{in, leaf}} },
		"kind→mutuals": func(in any) any {
			return map[string]any{"kinds": map[string]any{"some": map[string]any{"mutuals": map[string]any{"some": in}}}}
		},
	}
	for name, layer := range layers {
		for _, n := range []int{5, 9, 17, 100, 3000} {
			add(fmt.Sprintf("%s nested %d deep", name, n), mutuals, map[string]any{"w": nest(n, leaf, layer)})
		}
	}
	// The same, written inline: 321 bytes once kept Neo4j busy 15 s.
	inline := "{ mutuals(where: " + strings.Repeat("{ kinds: { some: { mutuals: { some: ", 4) + `{ name: { eq: "x" } }` +
		strings.Repeat(" } } } }", 4) + ") { totalCount } }"
	add("inline relationship filter nested 8 deep", inline, nil)

	// Breadth: many conditions, many relationship filters, long lists.
	for _, n := range []int{33, 500} {
		var conds []any
		for i := range n {
			conds = append(conds, map[string]any{"name": map[string]any{"eq": fmt.Sprint(i)}})
		}
		add(fmt.Sprintf("%d conditions", n), mutuals, map[string]any{"w": map[string]any{"OR": conds}})
	}
	for _, n := range []int{graph.MaxFilterSubqueries + 1, 32, 200} {
		var rels []any
		for i := range n {
			rels = append(rels, map[string]any{"sectors": map[string]any{"some": map[string]any{"name": map[string]any{"eq": fmt.Sprint(i)}}}})
		}
		add(fmt.Sprintf("%d relationship filters", n), mutuals, map[string]any{"w": map[string]any{"OR": rels}})
	}
	for _, n := range []int{1001, 100_000} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprint(i)
		}
		add(fmt.Sprintf("in with %d values", n), mutuals, map[string]any{"w": map[string]any{"id": map[string]any{"in": ids}}})
	}
	for _, n := range []int{5, 1001, 5000} {
		sorts := make([]any, n)
		for i := range sorts {
			sorts[i] = map[string]any{"field": []string{"NAME", "ID", "FOUNDED", "NAME_FR", "OWNERSHIP"}[i%5]}
		}
		add(fmt.Sprintf("orderBy with %d keys", n), `query($o: [SortBy!]) { mutuals(orderBy: $o) { totalCount } }`, map[string]any{"o": sorts})
	}
	add("orderBy naming one field twice", `{ mutuals(orderBy: [{field: NAME}, {field: NAME}]) { totalCount } }`, nil)

	// Fragments that spread the next one two or three times: the document
	// grows linearly, its spread-out form exponentially.
	for _, fan := range []int{2, 3} {
		for _, levels := range []int{14, 26, 40} {
			var doc strings.Builder
			doc.WriteString("query Q { ...F0 }")
			for i := range levels {
				fmt.Fprintf(&doc, " fragment F%d on Query { %s}", i, strings.Repeat(fmt.Sprintf("...F%d ", i+1), fan))
			}
			fmt.Fprintf(&doc, " fragment F%d on Query { mutualKinds { totalCount } }", levels)
			add(fmt.Sprintf("fragments spread %d times, %d levels", fan, levels), doc.String(), nil)
		}
	}

	// Analyses under aliases, each costing Neo4j a walk of the graph.
	for field, n := range map[string]int{
		"influenceMatrix { kinds { id } }":                          11,
		"influenceMatrix { rows { lever { id } } }":                 400,
		`leversAffecting(kind: "kind:spin-out") { effect }`:         51,
		`trace(from: "kind:spin-out", to: "kind:spin-up") { hops }`: 101,
	} {
		var q strings.Builder
		q.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&q, "a%d: %s ", i, strings.ReplaceAll(field, "{ hops }", "{ length }"))
		}
		q.WriteString("}")
		add(fmt.Sprintf("%d aliased %s", n, strings.Fields(field)[0]), q.String(), nil)
	}
	return out
}

// transactionCount counts the store's transactions.
type transactionCount struct{ n atomic.Int64 }

func (c *transactionCount) Transaction(context.Context, graph.Transaction) { c.n.Add(1) }

// Every hostile shape is refused with a code before any Cypher runs, at a
// cost in CPU of milliseconds, and leaves Neo4j idle at once: its own CPU
// time, read from /proc, shows no query at work (neo4jtest.WaitIdle).
// Planner threads that outlive a transaction's timeout are not listed by
// SHOW TRANSACTIONS, but they burn CPU time.
func TestHostileShapesAreRefusedCheaply(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	var transactions transactionCount
	store.Observe(&transactions)
	srv := serveOver(t, store, server.Options{RequestTimeout: 15 * time.Second})
	neo4jCPU := neo4jtest.CPU(t)
	neo4jtest.WaitIdle(t, neo4jCPU, 30*time.Second)

	requests := hostileRequests()
	ours, theirs := cpuTime(), neo4jCPU()
	var worst time.Duration
	for _, h := range requests {
		before := cpuTime()
		o := exchange(http.DefaultClient, srv.URL, h.body)
		took := cpuTime() - before
		worst = max(worst, took)
		if o.status >= 500 || (o.code != "BAD_USER_INPUT" && o.code != "COMPLEXITY_LIMIT") {
			t.Errorf("%s (%d bytes): status %d code %q; want it refused with BAD_USER_INPUT or COMPLEXITY_LIMIT", h.name, len(h.body), o.status, o.code)
		}
		// Decoding and measuring 100,000 values takes a few milliseconds;
		// the fragments alone once took 17 s.
		if took > 250*time.Millisecond {
			t.Errorf("%s: refusing it took %v of CPU", h.name, took)
		}
	}
	ours, theirs = cpuTime()-ours, neo4jCPU()-theirs
	busy := neo4jtest.WaitIdle(t, neo4jCPU, 5*time.Second)
	t.Logf("%d hostile requests refused: %v of CPU here in all, %v at most for one; Neo4j: %v of CPU meanwhile, busy %v after",
		len(requests), ours, worst, theirs, busy.Round(time.Millisecond))
	if n := transactions.n.Load(); n > 0 {
		t.Errorf("the hostile requests ran %d Neo4j transactions; want none", n)
	}
}

// boundaryFilter is a random filter of kinds of mutual at the bounds:
// nested as deep as allowed, with as many subqueries as allowed, some of
// them relationship filters within relationship filters, some order
// conditions.
func boundaryFilter(r *rand.Rand, nesting, subqueries int) map[string]any {
	if nesting == 0 || subqueries <= 3 {
		name := map[string]any{"name": map[string]any{"eq": fmt.Sprint(r.IntN(1000))}}
		quantifier := []string{"some", "none"}[r.IntN(2)]
		switch {
		case subqueries >= 3 && r.IntN(2) == 0:
			order := []string{"FEDERAL", "PROVINCIAL", "FOREIGN"}[r.IntN(3)]
			return map[string]any{"affectedBy": map[string]any{quantifier: map[string]any{"order": map[string]any{"eq": order}}}}
		case subqueries >= 2:
			return map[string]any{"mutuals": map[string]any{quantifier: map[string]any{"sectors": map[string]any{"some": name}}}}
		default:
			return map[string]any{[]string{"challenges", "outcomes"}[r.IntN(2)]: map[string]any{quantifier: name}}
		}
	}
	if r.IntN(3) == 0 {
		return map[string]any{"NOT": boundaryFilter(r, nesting-1, subqueries)}
	}
	half := subqueries / 2
	op := []string{"AND", "OR"}[r.IntN(2)]
	return map[string]any{op: []any{boundaryFilter(r, nesting-1, half), boundaryFilter(r, nesting-1, subqueries-half)}}
}

// No filter within the bounds costs Neo4j's planner more than a fraction of
// a second, however its conditions nest: each random one is a new query to
// plan. The planner runs on more than one thread, so its CPU time is about
// twice the wait it causes; outside the bounds it once ran for minutes.
func TestFiltersWithinBoundsPlanQuickly(t *testing.T) {
	srv := newCuratedServer(t, false)
	// Counted as well as listed, the filter is planned twice.
	const query = `query($w: MutualKindWhere) { mutualKinds(where: $w) { totalCount edges { node { id } } } }`
	// A fresh JVM compiles the planner's code on its first queries: warm it
	// up, as serve does, with filters of another seed.
	warm := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		exchange(http.DefaultClient, srv.URL, hostileBody(query, map[string]any{"w": boundaryFilter(warm, graph.MaxFilterNesting-1, graph.MaxFilterSubqueries)}))
	}
	neo4jCPU := neo4jtest.CPU(t)
	neo4jtest.WaitIdle(t, neo4jCPU, 30*time.Second)
	r := rand.New(rand.NewPCG(1, 2))
	var worst time.Duration
	var each []string
	for i := range 12 {
		filter := boundaryFilter(r, graph.MaxFilterNesting-1, graph.MaxFilterSubqueries)
		before := neo4jCPU()
		o := exchange(http.DefaultClient, srv.URL, hostileBody(query, map[string]any{"w": filter}))
		took := neo4jCPU() - before
		worst = max(worst, took)
		each = append(each, took.Round(10*time.Millisecond).String())
		if o.status != http.StatusOK || o.code != "" {
			f, _ := json.Marshal(filter)
			t.Fatalf("filter %d %s: status %d code %q", i, f, o.status, o.code)
		}
		if took > 2*time.Second {
			f, _ := json.Marshal(filter)
			t.Errorf("filter %d took Neo4j %v of CPU: %s", i, took, f)
		}
	}
	t.Logf("12 new filters at the bounds took Neo4j %s of CPU each; %v at most", strings.Join(each, ", "), worst)
}

// The limits read the schema's @cost weights: an operation of nine
// matrices passes, ten do not; a filter's relationship filters count.
func TestCostFollowsTheSchema(t *testing.T) {
	srv := newCuratedServer(t, false)
	matrices := func(n int) string {
		var q strings.Builder
		q.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&q, "m%d: influenceMatrix(orders: [FOREIGN]) { kinds { id } } ", i)
		}
		return q.String() + "}"
	}
	for _, c := range []struct {
		query string
		code  string
	}{
		{matrices(9), ""},
		{matrices(10), "COMPLEXITY_LIMIT"},
		{`{ mutuals(where: { kinds: { some: { id: { eq: "kind:spin-out" } } } }) { totalCount } }`, ""},
		{`{ mutualKinds(first: 20) { edges { node { mutuals(where: { sectors: { some: { name: { eq: "x" } } } }) { totalCount } } } } }`, ""},
		{`{ a: mutuals(where: { sectors: { some: { name: { eq: "x" } } } }) { totalCount } b: influenceMatrix { kinds { id } } }`, ""},
		{`{ ` + strings.Repeat(`a: mutuals(where: { kinds: { some: { id: { eq: "x" } } } }) { totalCount } `, 9) + `b: influenceMatrix { kinds { id } } }`, "COMPLEXITY_LIMIT"},
	} {
		if o := exchange(http.DefaultClient, srv.URL, gqlBody(c.query)); o.code != c.code {
			t.Errorf("%.60s…: code %q, want %q", c.query, o.code, c.code)
		}
	}
}

// A client that has spent its cost budget is refused with RATE_LIMITED
// until it refills; another client is not.
func TestCostBudgetPerClient(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	srv := serveOver(t, store, server.Options{Clients: server.ClientLimits{Cost: 100_000, TrustForwardedFor: true}})
	from := func(addr string) string {
		_, out := send(t, srv.URL, http.Header{"X-Forwarded-For": {addr}},
			`{ a: influenceMatrix { kinds { id } } b: influenceMatrix(orders: [FEDERAL]) { kinds { id } } }`, nil)
		c, _ := code(out).(string)
		return c
	}
	var codes []string
	for range 12 {
		codes = append(codes, from("192.0.2.1"))
	}
	// The budget holds one operation of the most cost (1,000,000): five of
	// these at 200,000 each, then about one every two seconds.
	if !strings.Contains(strings.Join(codes, ","), server.CodeRateLimited) || codes[0] != "" {
		t.Errorf("twelve heavy requests from one client: codes %q; want the first to pass and later ones RATE_LIMITED", codes)
	}
	if c := from("192.0.2.2"); c != "" {
		t.Errorf("another client: code %q; want its own budget", c)
	}
}
