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

// asKnown reads a date property of the data set, to the day or not. Its Day,
// the first possible day, is what Neo4j compares and orders it by.
func asKnown(v any) (graph.PartialDate, bool) {
	switch d := v.(type) {
	case time.Time:
		return graph.PartialDate{Day: d, Precision: graph.PrecisionDay}, true
	case graph.PartialDate:
		return d, true
	}
	return graph.PartialDate{}, false
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
			d, ok := asKnown(r["inForce"])
			return ok && d.Day.Before(cutoff)
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

// Each quantifier keeps the nodes with as many matching neighbours as it
// says, counted from the CSV rows: some at least one, none not one, all
// every one (so a node without neighbours), single exactly one. A neighbour
// lacking the property a condition tests does not match.
func TestRelationshipQuantifiers(t *testing.T) {
	a := newAPI(t)
	o := newOracle(a.set)
	entity := map[string]map[string]any{}
	for _, rows := range a.set.Nodes {
		for _, r := range rows {
			entity[r["id"].(string)] = r
		}
	}
	// neighbours lists, for every node of the label, its neighbours along
	// the relationship type, from its end (in) or its start (out).
	neighbours := func(label graph.Label, rt graph.RelType, in bool) map[string][]string {
		out := map[string][]string{}
		for _, r := range a.set.Nodes[label] {
			out[r["id"].(string)] = nil
		}
		for _, r := range a.set.Rels[rt] {
			from, to := r.From, r.To
			if in {
				from, to = to, from
			}
			if _, ok := out[from]; ok {
				out[from] = append(out[from], to)
			}
		}
		return out
	}
	keeps := map[graph.Quantifier]func(matched, all int) bool{
		graph.Some:   func(m, _ int) bool { return m > 0 },
		graph.None:   func(m, _ int) bool { return m == 0 },
		graph.All:    func(m, n int) bool { return m == n },
		graph.Single: func(m, _ int) bool { return m == 1 },
	}
	seen := map[graph.Quantifier][2]bool{} // kept some node, left out some node
	for _, tc := range []struct {
		list, field, cond string
		near              map[string][]string
		match             func(id string) bool
	}{
		{"mutualKinds", "affectedBy", "{order: {eq: PROVINCIAL}}",
			neighbours(graph.LabelMutualKind, graph.RelAffects, true),
			func(id string) bool {
				orders, _ := o.holders(id)
				return slices.Contains(orders, graph.OrderProvincial)
			}},
		{"mutualKinds", "affectedBy", "{order: {eq: FEDERAL}}",
			neighbours(graph.LabelMutualKind, graph.RelAffects, true),
			func(id string) bool { orders, _ := o.holders(id); return slices.Contains(orders, graph.OrderFederal) }},
		{"jurisdictions", "holds", `{name: {contains: "Act"}}`,
			neighbours(graph.LabelJurisdiction, graph.RelHeldBy, true),
			func(id string) bool { name, _ := entity[id]["name"].(string); return strings.Contains(name, "Act") }},
		{"statutes", "heldBy", `{level: {eq: PROVINCIAL}}`,
			neighbours(graph.LabelStatute, graph.RelHeldBy, false),
			func(id string) bool { return entity[id]["level"] == "PROVINCIAL" }},
	} {
		for _, q := range graph.Quantifiers {
			var want []string
			for id, near := range tc.near {
				matched := 0
				for _, n := range near {
					if tc.match(n) {
						matched++
					}
				}
				if keeps[q](matched, len(near)) {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			got := ids(t, a, `{ `+tc.list+`(first: 100, where: {`+tc.field+`: {`+string(q)+`: `+tc.cond+`}}) { edges { node { id } } } }`)
			if !slices.Equal(got, want) {
				t.Errorf("%s where %s %s %s:\n got %v\nwant %v", tc.list, tc.field, q, tc.cond, got, want)
			}
			s := seen[q]
			seen[q] = [2]bool{s[0] || len(want) > 0, s[1] || len(want) < len(tc.near)}
		}
	}
	for _, q := range graph.Quantifiers {
		if seen[q] != [2]bool{true, true} {
			t.Errorf("%s never both kept and left out a node: the cases prove nothing of it", q)
		}
	}
	// all holds of a node without neighbours, whatever the condition.
	var none []string
	for id, near := range neighbours(graph.LabelJurisdiction, graph.RelHeldBy, true) {
		if len(near) == 0 {
			none = append(none, id)
		}
	}
	if len(none) == 0 {
		t.Fatal("every jurisdiction holds something: the empty case is untested")
	}
	got := ids(t, a, `{ jurisdictions(first: 100, where: {holds: {all: {id: {eq: "nothing:here"}}}}) { edges { node { id } } } }`)
	slices.Sort(none)
	if !slices.Equal(got, none) {
		t.Errorf("all of nothing:\n got %v\nwant %v", got, none)
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
						ID             string
						InForceAsKnown *string
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		a.query(t, `query($after: String) { statutes(first: 4, after: $after, orderBy: [{field: IN_FORCE, direction: DESC}]) {
		  edges { node { id inForceAsKnown } } pageInfo { hasNextPage endCursor } } }`, &resp, client.Var("after", after))
		for _, e := range resp.Statutes.Edges {
			day := "none"
			if e.Node.InForceAsKnown != nil {
				day = *e.Node.InForceAsKnown
			}
			names = append(names, day+" "+e.Node.ID)
		}
		if !resp.Statutes.PageInfo.HasNextPage {
			break
		}
		after = resp.Statutes.PageInfo.EndCursor
	}
	// Neo4j puts nulls first in descending order; then dates newest first,
	// a date known to the month or the year by its first possible day, ties
	// by id.
	type entry struct {
		id, name string
		day      time.Time // zero when undated
	}
	var entries []entry
	for _, r := range a.set.Nodes[graph.LabelStatute] {
		id := r["id"].(string)
		e := entry{id: id, name: "none " + id}
		if d, ok := asKnown(r["inForce"]); ok {
			e.day, e.name = d.Day, d.String()+" "+id
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(x, y entry) int {
		switch {
		case x.day.IsZero() != y.day.IsZero():
			if x.day.IsZero() {
				return -1
			}
			return 1
		case !x.day.Equal(y.day):
			return y.day.Compare(x.day)
		}
		return strings.Compare(x.id, y.id)
	})
	var want []string
	for _, e := range entries {
		want = append(want, e.name)
	}
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

// A connection's edgeWhere tests the relationships' own properties, beside
// its where on the neighbours; its edgeOrderBy orders by them first, enums
// in the schema's order, and pages without loss or duplication.
func TestEdgeFiltersAndSorts(t *testing.T) {
	a := newAPI(t)
	names := map[string]string{}
	for _, rows := range a.set.Nodes {
		for _, r := range rows {
			names[r["id"].(string)] = r["name"].(string)
		}
	}
	type edge struct{ from, effect, evidence string }
	var affects []edge
	for _, r := range a.set.Rels[graph.RelAffects] {
		if r.To == "kind:spin-out" {
			evidence, _ := r.Props["evidence"].(string)
			affects = append(affects, edge{r.From, r.Props["effect"].(string), evidence})
		}
	}
	type page struct {
		Node struct {
			AffectedBy struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct {
					Effect string
					Node   struct{ ID string }
				}
			}
		}
	}
	read := func(args string) ([]string, int) {
		t.Helper()
		var resp page
		a.query(t, `{ node(id: "kind:spin-out") { ... on MutualKind { affectedBy(`+args+`) {
			totalCount pageInfo { hasNextPage endCursor } edges { effect node { id } } } } } }`, &resp)
		var got []string
		for _, e := range resp.Node.AffectedBy.Edges {
			got = append(got, e.Node.ID)
		}
		return got, resp.Node.AffectedBy.TotalCount
	}
	keep := func(ok func(e edge) bool) []string {
		var out []string
		for _, e := range affects {
			if ok(e) {
				out = append(out, e.from)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		args string
		want []string
	}{
		{`first: 100, edgeWhere: {effect: {eq: REGULATES}}`, keep(func(e edge) bool { return e.effect == "REGULATES" })},
		{`first: 100, edgeWhere: {effect: {in: [FUNDS, REGULATES]}, evidence: {eq: STATED}}`,
			keep(func(e edge) bool { return (e.effect == "FUNDS" || e.effect == "REGULATES") && e.evidence == "STATED" })},
		{`first: 100, edgeWhere: {NOT: {effect: {eq: ENABLES}}, OR: [{evidence: {eq: STATED}}, {effect: {eq: REGULATES}}]}`,
			keep(func(e edge) bool { return e.effect != "ENABLES" && (e.evidence == "STATED" || e.effect == "REGULATES") })},
		{`first: 100, edgeWhere: {evidence: {eq: INFERRED}}, where: {name: {contains: "Act"}}`,
			keep(func(e edge) bool { return e.evidence == "INFERRED" && strings.Contains(names[e.from], "Act") })},
	} {
		got, total := read(tc.args)
		slices.Sort(got)
		if len(tc.want) == 0 || len(tc.want) == len(affects) {
			t.Fatalf("%s: the data keeps %d of %d edges: the case proves nothing", tc.args, len(tc.want), len(affects))
		}
		if !slices.Equal(got, tc.want) || total != len(tc.want) {
			t.Errorf("%s: total %d\n got %v\nwant %v", tc.args, total, got, tc.want)
		}
	}

	// By effect, strongest first or last, then the neighbours' names, then
	// ids; paged three at a time, through many ties.
	ordered := func(dir int) []string {
		sorted := slices.Clone(affects)
		slices.SortFunc(sorted, func(x, y edge) int {
			if c := dir * (slices.Index(graph.Effects, x.effect) - slices.Index(graph.Effects, y.effect)); c != 0 {
				return c
			}
			if c := strings.Compare(names[x.from], names[y.from]); c != 0 {
				return c
			}
			return strings.Compare(x.from, y.from)
		})
		var ids []string
		for _, e := range sorted {
			ids = append(ids, e.from)
		}
		return ids
	}
	for dir, direction := range map[int]string{1: "ASC", -1: "DESC"} {
		var got []string
		after := ""
		for range 50 {
			args := `first: 3, edgeOrderBy: [{field: EFFECT, direction: ` + direction + `}], orderBy: [{field: NAME}]`
			if after != "" {
				args += `, after: "` + after + `"`
			}
			var resp page
			a.query(t, `{ node(id: "kind:spin-out") { ... on MutualKind { affectedBy(`+args+`) {
				pageInfo { hasNextPage endCursor } edges { effect node { id } } } } } }`, &resp)
			for _, e := range resp.Node.AffectedBy.Edges {
				got = append(got, e.Node.ID)
			}
			if !resp.Node.AffectedBy.PageInfo.HasNextPage {
				break
			}
			after = resp.Node.AffectedBy.PageInfo.EndCursor
		}
		if want := ordered(dir); !slices.Equal(got, want) {
			t.Errorf("ordered by effect %s, then name:\n got %v\nwant %v", direction, got, want)
		}
	}

	// Each relationship type takes its own properties: the schema refuses
	// another's, and edges on links that make no claim.
	for _, q := range []string{
		`{ node(id: "kind:spin-out") { ... on MutualKind { affectedBy(edgeWhere: {role: {eq: LEAD}}) { totalCount } } } }`,
		`{ node(id: "kind:spin-out") { ... on MutualKind { affectedBy(edgeOrderBy: [{field: SINCE}]) { totalCount } } } }`,
		`{ jurisdictions { edges { node { parts(edgeWhere: {evidence: {eq: STATED}}) { totalCount } } } } }`,
	} {
		err := a.client.Post(q, &struct{}{})
		if err == nil || !strings.Contains(err.Error(), `"code":"GRAPHQL_VALIDATION_FAILED"`) {
			t.Errorf("%s: %v; want GRAPHQL_VALIDATION_FAILED", q, err)
		}
	}
	// Edge conditions are bounded as a where is.
	deep := `{evidence: {eq: STATED}}`
	for range graph.MaxFilterNesting + 1 {
		deep = `{NOT: ` + deep + `}`
	}
	err := a.client.Post(`{ node(id: "kind:spin-out") { ... on MutualKind { affectedBy(edgeWhere: `+deep+`) { totalCount } } } }`, &struct{}{})
	if err == nil || !strings.Contains(err.Error(), `"code":"BAD_USER_INPUT"`) || !strings.Contains(err.Error(), "nests") {
		t.Errorf("an edgeWhere nested %d deep: %v; want BAD_USER_INPUT", graph.MaxFilterNesting+1, err)
	}
}
