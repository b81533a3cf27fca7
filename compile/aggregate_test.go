package compile_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/shape"
	"github.com/psmgraph/psmgraph/resolvers"
)

// Aggregates are checked against figures computed here, in Go, from the
// data set's rows: both paths, on the shipped set and on a generated one.

func TestAggregatesAgreeWithTheData(t *testing.T) {
	p := shippedPaths(t)
	checkAggregates(t, p)
	checkAggregateEdgeCases(t, p)
}

func TestAggregatesAgreeWithAGeneratedGraph(t *testing.T) {
	dir := t.TempDir()
	if _, err := shape.Generate(dir, shape.Size{Nodes: 2000}); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, loadedPaths(t, os.DirFS(dir)))
}

var schema = resolvers.New(nil).Schema()

// checkAggregates asks each list for every figure and grouping its
// nodes' properties allow, and each walk of AFFECTS, both ways, for its
// figures by node and relationship, and compares them with the oracle.
func checkAggregates(t *testing.T, p *paths) {
	t.Helper()
	for _, nt := range graph.NodeTypes {
		rows := p.set.Nodes[nt.Label]
		sel, want := aggregateOf(nt.Label, rows)
		query := fmt.Sprintf("{ list: %s(first: 1) { aggregate { %s } } }", listOf(nt.Label), sel)
		for _, got := range p.both(t, query) {
			var answer struct {
				List struct{ Aggregate map[string]any }
			}
			decode(t, got, &answer)
			compare(t, query, answer.List.Aggregate, want)
		}
	}

	// A filtered list: funding programmes' budgets by currency.
	var funding []map[string]any
	for _, r := range p.set.Nodes[graph.LabelProgramme] {
		if r["kind"] == "FUNDING" {
			funding = append(funding, r)
		}
	}
	query := `{ programmes(where: {kind: {eq: FUNDING}}, first: 0) { aggregate { count
	  groups(by: [CURRENCY]) { values count number(of: BUDGET) { count min max sum average } } } } }`
	want := map[string]any{"count": float64(len(funding)),
		"groups": groupsOf(funding, nil, []string{"currency"}, func(g []map[string]any) map[string]any {
			return map[string]any{"count": float64(len(g)), "number": numberOf(g, "budget")}
		})}
	for _, got := range p.both(t, query) {
		var answer struct {
			Programmes struct{ Aggregate map[string]any }
		}
		decode(t, got, &answer)
		compare(t, query, answer.Programmes.Aggregate, want)
	}

	// Counts and numbers alone, which are read apart from each other: of
	// every mutual, of those of one ownership (an index holds the
	// ownership and the year together), and of those founded since 2000
	// among them; and beside a condition no such index serves.
	for _, c := range []struct {
		where string
		keep  func(map[string]any) bool
	}{
		{"{}", func(map[string]any) bool { return true }},
		{"{ownership: {eq: EMPLOYEE}}", func(r map[string]any) bool { return r["ownership"] == "EMPLOYEE" }},
		{"{ownership: {eq: EMPLOYEE}, founded: {gte: 2000}}", func(r map[string]any) bool {
			y, ok := r["founded"].(int64)
			return r["ownership"] == "EMPLOYEE" && ok && y >= 2000
		}},
		{`{ownership: {eq: EMPLOYEE}, name: {contains: "Co"}}`, func(r map[string]any) bool {
			return r["ownership"] == "EMPLOYEE" && strings.Contains(r["name"].(string), "Co")
		}},
	} {
		var kept []map[string]any
		for _, r := range p.set.Nodes[graph.LabelMutual] {
			if c.keep(r) {
				kept = append(kept, r)
			}
		}
		query := `{ mutuals(where: ` + c.where + `, first: 0) { aggregate { count number(of: FOUNDED) { count min max sum average }
		  units: number(of: COUNT) { count min max sum average } } } }`
		want := map[string]any{"count": float64(len(kept)), "number": numberOf(kept, "founded"), "units": numberOf(kept, "count")}
		for _, got := range p.both(t, query) {
			var answer struct {
				Mutuals struct{ Aggregate map[string]any }
			}
			decode(t, got, &answer)
			compare(t, query, answer.Mutuals.Aggregate, want)
		}
	}

	// Walks: each measure's links to kinds, and each kind's from measures,
	// by effect and evidence, with conditions on the link and the node.
	kinds := map[string]map[string]any{}
	for _, r := range p.set.Nodes[graph.LabelMutualKind] {
		kinds[r["id"].(string)] = r
	}
	for _, list := range []string{"statutes", "levers", "programmes", "mandateCommitments"} {
		for after := ""; ; {
			var next bool
			after, next = checkAffects(t, p, kinds, list, after)
			if !next {
				break
			}
		}
	}
}

// checkAffects checks the aggregates of one page of the list's AFFECTS
// walks, and returns where the next page starts, if one does.
func checkAffects(t *testing.T, p *paths, kinds map[string]map[string]any, list, after string) (string, bool) {
	t.Helper()
	var next string
	query := `{ list: ` + list + `(first: 10, after: "` + after + `") { pageInfo { hasNextPage endCursor } edges { node { id
		  all: affects(first: 0) { aggregate { count text(of: NAME) { min max } groups(by: [EFFECT]) { values count }
		    evidence: groups(by: [EVIDENCE, ROUTE]) { values count } } }
		  edge: affects(first: 0, edgeWhere: {effect: {in: [ENABLES, FUNDS]}}) { aggregate { count } }
		  node: affects(first: 0, where: {route: {eq: SPIN_OUT}}) { aggregate { count text(of: INITIATOR) { min max } } } } } } }`
	for _, got := range p.both(t, query) {
		var answer struct {
			List struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct {
					Node struct {
						ID              string
						All, Edge, Node struct{ Aggregate map[string]any }
					}
				}
			}
		}
		decode(t, got, &answer)
		if answer.List.PageInfo.HasNextPage {
			next = answer.List.PageInfo.EndCursor
		}
		for _, e := range answer.List.Edges {
			var rels []graph.RelRow
			var ends []map[string]any
			for _, r := range p.set.Rels[graph.RelAffects] {
				if r.From == e.Node.ID {
					rels, ends = append(rels, r), append(ends, kinds[r.To])
				}
			}
			where := func(keep func(i int) bool) []map[string]any {
				var out []map[string]any
				for i := range rels {
					if keep(i) {
						out = append(out, ends[i])
					}
				}
				return out
			}
			compare(t, query+" "+e.Node.ID, e.Node.All.Aggregate, map[string]any{
				"count": float64(len(rels)), "text": textOf(ends, "name"),
				"groups":   groupsOf(ends, rels, []string{"effect"}, countOnly),
				"evidence": groupsOf(ends, rels, []string{"evidence", "route"}, countOnly),
			})
			strong := where(func(i int) bool { return rels[i].Props["effect"] == "ENABLES" || rels[i].Props["effect"] == "FUNDS" })
			compare(t, query+" "+e.Node.ID, e.Node.Edge.Aggregate, map[string]any{"count": float64(len(strong))})
			spinOuts := where(func(i int) bool { return ends[i]["route"] == "SPIN_OUT" })
			compare(t, query+" "+e.Node.ID, e.Node.Node.Aggregate, map[string]any{"count": float64(len(spinOuts)), "text": textOf(spinOuts, "initiator")})
		}
	}
	return next, next != ""
}

// checkAggregateEdgeCases checks an empty list, an aggregate that no page
// changes, and the inputs the resolvers refuse.
func checkAggregateEdgeCases(t *testing.T, p *paths) {
	t.Helper()
	query := `{ mutuals(where: {id: {eq: "mutual:none"}}) { aggregate { count number(of: FOUNDED) { count min max sum average }
	  date(of: STATUS_SINCE) { min max } text(of: NAME) { min max } groups(by: [OWNERSHIP]) { values count } } } }`
	for _, got := range p.both(t, query) {
		if want := `{"data":{"mutuals":{"aggregate":{"count":0,"number":{"count":0,"min":null,"max":null,"sum":0,"average":null},` +
			`"date":{"min":null,"max":null},"text":{"min":null,"max":null},"groups":[]}}}}`; string(got) != want {
			t.Errorf("an empty list's aggregate:\n got %s\nwant %s", got, want)
		}
	}

	// The same figures on every page, in any order.
	var first []byte
	for i, q := range []string{
		`{ mutuals(first: 1) { aggregate { count number(of: FOUNDED) { sum } } } }`,
		`{ mutuals(first: 2, after: "` + resolvers.IDCursor("mutual:m") + `") { aggregate { count number(of: FOUNDED) { sum } } } }`,
		`{ mutuals(first: 3, orderBy: [{field: FOUNDED, direction: DESC}], after: "` + resolvers.OffsetCursor(2) + `") { aggregate { count number(of: FOUNDED) { sum } } } }`,
	} {
		for _, got := range p.both(t, q) {
			if i == 0 && first == nil {
				first = got
			} else if string(got) != string(first) {
				t.Errorf("%s:\n got %s\nwant %s", q, got, first)
			}
		}
	}

	for _, q := range []string{
		`{ programmes { aggregate { number(of: BUDGET) { sum } } } }`,
		`{ programmes { aggregate { groups(by: [KIND]) { number(of: BUDGET) { sum } } } } }`,
		`{ mutuals { aggregate { number(of: BUDGET) { sum } } } }`,
		`{ mutuals { aggregate { groups(by: [EFFECT]) { count } } } }`,
		`{ mutuals { aggregate { groups(by: [OWNERSHIP, OWNERSHIP]) { count } } } }`,
		`{ mutuals { aggregate { groups(by: []) { count } } } }`,
		`{ programmes { aggregate { groups(by: [KIND, CURRENCY, KIND, CURRENCY]) { count } } } }`,
		`{ statutes { aggregate { date(of: ANNOUNCED) { min } } } }`,
		`{ statutes(first: 1) { edges { node { affects { aggregate { number(of: BUDGET) { sum } } } } } } }`,
	} {
		for _, got := range p.both(t, q) {
			if !strings.Contains(string(got), `"code":"BAD_USER_INPUT"`) {
				t.Errorf("%s: %s; want BAD_USER_INPUT", q, got)
			}
		}
	}
}

// both posts the operation to the resolvers and the compiled path, which
// must not decline it unless the resolvers refuse it, and returns both
// answers.
func (p *paths) both(t *testing.T, query string) [][]byte {
	t.Helper()
	resolved := post(t, p.resolved, query, nil)
	p.declined.Store(0)
	compiled := post(t, p.compiled, query, nil)
	if p.declined.Load() != 0 && !strings.Contains(string(resolved), `"errors"`) {
		t.Errorf("the planner declined %s: %v", query, p.detail.Load())
	}
	return [][]byte{resolved, compiled}
}

func decode(t *testing.T, body []byte, into any) {
	t.Helper()
	var answer struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.Unmarshal(body, &answer); err != nil || len(answer.Errors) > 0 {
		t.Fatalf("%v: %s", err, body)
	}
	if err := json.Unmarshal(answer.Data, into); err != nil {
		t.Fatal(err)
	}
}

// listOf is the Query field that lists the label's nodes.
func listOf(l graph.Label) string {
	for _, f := range schema.Query.Fields {
		if f.Type.Name() == string(l)+"Connection" {
			return f.Name
		}
	}
	panic("no list of " + l)
}

// aggregateOf writes the selection of every figure and grouping that the
// label's properties allow, and the figures its rows should give, by the
// selection's aliases.
func aggregateOf(l graph.Label, rows []map[string]any) (string, map[string]any) {
	sel := []string{"count"}
	want := map[string]any{"count": float64(len(rows))}
	var groupable []string
	for _, v := range propertyValues("NumberProperty") {
		if p, ok := graph.PropertyOf([]graph.Label{l}, v.property); ok && p.Unit == "" {
			sel = append(sel, "n_"+v.enum+": number(of: "+v.enum+") { count min max sum average }")
			want["n_"+v.enum] = numberOf(rows, v.property)
		}
	}
	for _, v := range propertyValues("DateProperty") {
		if _, ok := graph.PropertyOf([]graph.Label{l}, v.property); ok {
			sel = append(sel, "d_"+v.enum+": date(of: "+v.enum+") { min max }")
			want["d_"+v.enum] = dateOf(rows, v.property)
		}
	}
	for _, v := range propertyValues("TextProperty") {
		if _, ok := graph.PropertyOf([]graph.Label{l}, v.property); ok {
			sel = append(sel, "t_"+v.enum+": text(of: "+v.enum+") { min max }")
			want["t_"+v.enum] = textOf(rows, v.property)
		}
	}
	for _, v := range propertyValues("GroupProperty") {
		if _, ok := graph.PropertyOf([]graph.Label{l}, v.property); ok {
			groupable = append(groupable, v.enum)
			// Amounts in the unit's groups, where a property has this unit.
			var amounts []string
			for _, a := range propertyValues("NumberProperty") {
				if p, ok := graph.PropertyOf([]graph.Label{l}, a.property); ok && p.Unit == v.property {
					amounts = append(amounts, a.property)
					sel = append(sel, "g_"+v.enum+": groups(by: ["+v.enum+"]) { values count n_"+a.enum+": number(of: "+a.enum+") { count min max sum average } }")
				}
			}
			if len(amounts) == 0 {
				sel = append(sel, "g_"+v.enum+": groups(by: ["+v.enum+"]) { values count }")
			}
			want["g_"+v.enum] = groupsOf(rows, nil, []string{v.property}, func(g []map[string]any) map[string]any {
				out := countOnly(g)
				for _, a := range amounts {
					out["n_"+enumOf(a)] = numberOf(g, a)
				}
				return out
			})
		}
	}
	if len(groupable) >= 2 {
		sel = append(sel, "pairs: groups(by: ["+groupable[0]+", "+groupable[1]+"]) { values count }")
		want["pairs"] = groupsOf(rows, nil, []string{propertyOf(groupable[0]), propertyOf(groupable[1])}, countOnly)
	}
	return strings.Join(sel, " "), want
}

type propertyValue struct{ enum, property string }

// propertyValues are the values of a property enum and the properties
// they name.
func propertyValues(enum string) []propertyValue {
	var out []propertyValue
	for _, v := range schema.Types[enum].EnumValues {
		out = append(out, propertyValue{v.Name, propertyOf(v.Name)})
	}
	return out
}

func enumOf(property string) string {
	var b strings.Builder
	for _, r := range property {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func countOnly(g []map[string]any) map[string]any { return map[string]any{"count": float64(len(g))} }

// numberOf is a number property's figures over the rows.
func numberOf(rows []map[string]any, property string) map[string]any {
	var values []float64
	for _, r := range rows {
		switch v := r[property].(type) {
		case int64:
			values = append(values, float64(v))
		case float64:
			values = append(values, v)
		}
	}
	out := map[string]any{"count": float64(len(values)), "min": nil, "max": nil, "sum": 0.0, "average": nil}
	if len(values) > 0 {
		sum := 0.0
		for _, v := range values {
			sum += v
		}
		out["min"], out["max"], out["sum"], out["average"] = slices.Min(values), slices.Max(values), sum, sum/float64(len(values))
	}
	return out
}

// dateOf is a date property's earliest and latest over the rows, as texts.
func dateOf(rows []map[string]any, property string) map[string]any {
	var values []string
	for _, r := range rows {
		switch v := r[property].(type) {
		case time.Time:
			values = append(values, v.Format(time.DateOnly))
		case graph.PartialDate:
			values = append(values, v.String())
		}
	}
	return extremes(values)
}

// textOf is a text property's first and last over the rows.
func textOf(rows []map[string]any, property string) map[string]any {
	var values []string
	for _, r := range rows {
		if v, ok := r[property].(string); ok {
			values = append(values, v)
		}
	}
	return extremes(values)
}

func extremes(values []string) map[string]any {
	if len(values) == 0 {
		return map[string]any{"min": nil, "max": nil}
	}
	return map[string]any{"min": slices.Min(values), "max": slices.Max(values)}
}

// groupsOf groups the rows by the properties, each of the row or else of
// its relationship, in the order of their values, a missing one last, and
// gives each group's values and figures.
func groupsOf(rows []map[string]any, rels []graph.RelRow, by []string, figures func([]map[string]any) map[string]any) []any {
	groups := map[string][]map[string]any{}
	values := map[string][]any{}
	for i, r := range rows {
		var key []any
		for _, p := range by {
			v, ok := r[p]
			if !ok && rels != nil {
				v, ok = rels[i].Props[p]
			}
			if !ok {
				v = nil
			}
			key = append(key, v)
		}
		k := fmt.Sprint(key...)
		groups[k], values[k] = append(groups[k], r), key
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		for i := range by {
			va, vb := values[a][i], values[b][i]
			switch {
			case va == vb:
				continue
			case va == nil:
				return 1
			case vb == nil:
				return -1
			}
			return strings.Compare(va.(string), vb.(string))
		}
		return 0
	})
	out := make([]any, len(keys))
	for i, k := range keys {
		g := figures(groups[k])
		g["values"] = values[k]
		out[i] = g
	}
	return out
}

// compare fails where the answer differs from the oracle's figures: by
// more than rounding in a sum or an average.
func compare(t *testing.T, query string, got, want any) {
	t.Helper()
	if !same(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s\n got %s\nwant %s", query, g, w)
	}
}

func same(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !same(g[k], w[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !same(g[i], w[i]) {
				return false
			}
		}
		return true
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
	}
	return got == want
}
