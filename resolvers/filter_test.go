package resolvers_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/psmgraph/psmgraph/graph"
)

// ids runs a query whose one field is a connection and returns its nodes' ids.
func ids(t *testing.T, a *api, q string, opts ...client.Option) []string {
	t.Helper()
	var resp map[string]struct {
		Edges []struct{ Node struct{ ID string } }
	}
	a.query(t, q, &resp, opts...)
	var out []string
	for _, c := range resp {
		for _, e := range c.Edges {
			out = append(out, e.Node.ID)
		}
	}
	slices.Sort(out)
	return out
}

// matching returns the sorted ids of the label's rows that keep says to.
func matching(a *api, label graph.Label, keep func(row map[string]any) bool) []string {
	var out []string
	for _, r := range a.set.Nodes[label] {
		if keep(r) {
			out = append(out, r["id"].(string))
		}
	}
	slices.Sort(out)
	return out
}

func equalIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the data set matches nothing: the test proves nothing", what)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func TestWhereOnProperties(t *testing.T) {
	a := newAPI(t)
	cutoff := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	equalIDs(t, "statutes in force before 2005",
		ids(t, a, `{ statutes(first: 100, where: {inForce: {lt: "2005-01-01"}}) { edges { node { id } } } }`),
		matching(a, graph.LabelStatute, func(r map[string]any) bool {
			d, ok := r["inForce"].(time.Time)
			return ok && d.Before(cutoff)
		}))
	equalIDs(t, "mutuals founded from 2010, or categories",
		ids(t, a, `{ mutuals(first: 100, where: {OR: [{founded: {gte: 2010}}, {category: {eq: true}}]}) { edges { node { id } } } }`),
		matching(a, graph.LabelMutual, func(r map[string]any) bool {
			y, _ := r["founded"].(int64)
			return y >= 2010 || r["category"] == true
		}))
	equalIDs(t, "levers whose name contains procurement, not held by Canada's",
		ids(t, a, `{ levers(first: 100, where: {name: {contains: "procurement"}, NOT: {id: {startsWith: "lever:ca-"}}}) { edges { node { id } } } }`),
		matching(a, graph.LabelLever, func(r map[string]any) bool {
			return strings.Contains(r["name"].(string), "procurement") && !strings.HasPrefix(r["id"].(string), "lever:ca-")
		}))
	equalIDs(t, "provinces by their order",
		ids(t, a, `{ jurisdictions(where: {order: {eq: PROVINCIAL}}) { edges { node { id } } } }`),
		matching(a, graph.LabelJurisdiction, func(r map[string]any) bool {
			return graph.OrderOf(r["country"].(string), r["level"].(string)) == graph.OrderProvincial
		}))
}

// A kind affected by some provincial measure, and one affected by no
// foreign one, as the data set has them.
func TestWhereOnRelationships(t *testing.T) {
	a := newAPI(t)
	o := newOracle(a.set)
	affectedFrom := func(order string) map[string]bool {
		kinds := map[string]bool{}
		for _, r := range a.set.Rels[graph.RelAffects] {
			if orders, _ := o.holders(r.From); slices.Contains(orders, order) {
				kinds[r.To] = true
			}
		}
		return kinds
	}
	provincial, foreign := affectedFrom(graph.OrderProvincial), affectedFrom(graph.OrderForeign)
	equalIDs(t, "kinds affected by some provincial measure",
		ids(t, a, `{ mutualKinds(where: {affectedBy: {some: {order: {eq: PROVINCIAL}}}}) { edges { node { id } } } }`),
		matching(a, graph.LabelMutualKind, func(r map[string]any) bool { return provincial[r["id"].(string)] }))
	notForeign := matching(a, graph.LabelMutualKind, func(r map[string]any) bool { return !foreign[r["id"].(string)] })
	if len(notForeign) > 0 {
		equalIDs(t, "kinds affected by no foreign measure",
			ids(t, a, `{ mutualKinds(where: {affectedBy: {none: {order: {eq: FOREIGN}}}}) { edges { node { id } } } }`), notForeign)
	}

	// The same filter on a relationship field: a kind's foreign influences.
	var resp struct {
		Node struct {
			AffectedBy struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
		}
	}
	a.query(t, `{ node(id: "kind:spin-out") { ... on MutualKind { affectedBy(first: 100, where: {order: {in: [FOREIGN]}}) { totalCount edges { node { id } } } } } }`, &resp)
	want := 0
	for _, r := range a.set.Rels[graph.RelAffects] {
		if orders, _ := o.holders(r.From); r.To == "kind:spin-out" && slices.Contains(orders, graph.OrderForeign) {
			want++
		}
	}
	if want == 0 || resp.Node.AffectedBy.TotalCount != want || len(resp.Node.AffectedBy.Edges) != want {
		t.Errorf("spin-outs' foreign influences: total %d, edges %d; want %d", resp.Node.AffectedBy.TotalCount, len(resp.Node.AffectedBy.Edges), want)
	}
}

func TestWhereValuesAreLiteral(t *testing.T) {
	a := newAPI(t)
	for _, evil := range []string{`x' OR 1=1 //`, `") RETURN n //`, `*`, `.*`} {
		if got := ids(t, a, `query($v: String) { sources(where: {name: {eq: $v}}) { edges { node { id } } } }`+"\n", client.Var("v", evil)); len(got) != 0 {
			t.Errorf("%q matched %v", evil, got)
		}
	}
}

// Ordered lists page by position without loss or duplication, in the order
// asked for.
func TestOrderBy(t *testing.T) {
	a := newAPI(t)
	var names []string
	after := ""
	for range 50 {
		var resp struct {
			Statutes struct {
				Edges []struct {
					Node struct {
						ID      string
						InForce *string
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		a.query(t, `query($after: String) { statutes(first: 4, after: $after, orderBy: [{field: IN_FORCE, direction: DESC}]) {
		  edges { node { id inForce } } pageInfo { hasNextPage endCursor } } }`, &resp, client.Var("after", after))
		for _, e := range resp.Statutes.Edges {
			day := "none"
			if e.Node.InForce != nil {
				day = *e.Node.InForce
			}
			names = append(names, day+" "+e.Node.ID)
		}
		if !resp.Statutes.PageInfo.HasNextPage {
			break
		}
		after = resp.Statutes.PageInfo.EndCursor
	}
	// Neo4j puts nulls first in descending order; then dates newest first,
	// ties by id.
	var want []string
	for _, r := range a.set.Nodes[graph.LabelStatute] {
		day := "none"
		if d, ok := r["inForce"].(time.Time); ok {
			day = d.Format(time.DateOnly)
		}
		want = append(want, day+" "+r["id"].(string))
	}
	slices.SortFunc(want, func(x, y string) int {
		dx, idx, _ := strings.Cut(x, " ")
		dy, idy, _ := strings.Cut(y, " ")
		if dx != dy {
			if dx == "none" {
				return -1
			}
			if dy == "none" {
				return 1
			}
			return strings.Compare(dy, dx)
		}
		return strings.Compare(idx, idy)
	})
	if !slices.Equal(names, want) {
		t.Errorf("ordered pages:\n got %v\nwant %v", names, want)
	}

	var resp struct{}
	if err := a.client.Post(`{ sectors(orderBy: [{field: CITATION}]) { totalCount } }`, &resp); err == nil || !strings.Contains(err.Error(), "BAD_USER_INPUT") {
		t.Errorf("ordering sectors by citation: %v", err)
	}
	if err := a.client.Post(`{ statutes(orderBy: [{field: NAME}], after: "aWQ6c3RhdHV0ZTp4") { totalCount } }`, &resp); err == nil || !strings.Contains(err.Error(), "BAD_USER_INPUT") {
		t.Errorf("an id cursor on an ordered list: %v", err)
	}
}
