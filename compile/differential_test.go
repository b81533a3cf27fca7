package compile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/shape"
	"github.com/psmgraph/psmgraph/resolvers"
)

var (
	seedFlag = flag.Uint64("seed", 1, "the first seed of the generated operations")
	opsFlag  = flag.Int("ops", 150, "how many random operations each graph answers")
)

// differ sends each operation both ways and fails where the answers differ
// by a byte, where the planner declined, or where the compiled path ran
// more than one query; and where an operation is invalid, since it fails
// alike both ways and compares nothing.
func (p *paths) differ(t *testing.T, ops []op) {
	t.Helper()
	failures := 0
	for _, o := range ops {
		want := post(t, p.resolved, o.query, o.vars)
		p.declined.Store(0)
		p.queries.Store(0)
		got := post(t, p.compiled, o.query, o.vars)
		switch {
		case slices.Contains(codes(t, want), "GRAPHQL_VALIDATION_FAILED"):
			t.Errorf("an invalid operation compares nothing: %s\n%s\nvariables: %v", want, o.query, o.vars)
			failures++
		case p.declined.Load() != 0:
			if !bytes.Contains(want, []byte(`"errors"`)) {
				t.Errorf("the planner declined an operation the resolvers answer (%v):\n%s\nvariables: %v", p.detail.Load(), o.query, o.vars)
				failures++
			}
		case bytes.Contains(want, []byte(`"errors"`)):
			// One query fails for every root field that reads; the
			// resolvers fail field by field. The codes must agree.
			if g, w := codes(t, got), codes(t, want); !slices.Equal(g, w) {
				t.Errorf("error codes differ: compiled %v, resolvers %v\n%s", g, w, o.query)
				failures++
			}
		case !bytes.Equal(got, want):
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			at := func(b []byte) string { return string(b[max(0, i-300):min(len(b), i+200)]) }
			t.Errorf("answers differ at byte %d:\n%s\nvariables: %v\ncompiled:  …%s…\nresolvers: …%s…", i, o.query, o.vars, at(got), at(want))
			failures++
		case p.queries.Load() > 1:
			t.Errorf("the compiled path ran %d queries for\n%s", p.queries.Load(), o.query)
			failures++
		}
		if failures >= 5 {
			t.Fatal("stopping after five failures")
		}
	}
}

// codes are the distinct error codes of an answer, in order.
func codes(t *testing.T, body []byte) []string {
	t.Helper()
	var answer struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, e := range answer.Errors {
		out = append(out, e.Extensions.Code)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// found reports an answer whose one root field holds a list of something,
// rows of something, or losses.
func found(t *testing.T, body []byte) bool {
	t.Helper()
	var answer struct{ Data map[string]json.RawMessage }
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	for _, v := range answer.Data {
		var value struct{ Rows, Losses []any }
		var list []any
		if json.Unmarshal(v, &list) == nil {
			return len(list) > 0
		}
		return json.Unmarshal(v, &value) == nil && len(value.Rows)+len(value.Losses) > 0
	}
	return false
}

// ids are some ids of each label of the graph.
func ids(t *testing.T, store *graph.Store) []string {
	t.Helper()
	var out []string
	for _, nt := range graph.NodeTypes {
		page, err := store.List(context.Background(), nt.Label, graph.ListArgs{PageArgs: graph.PageArgs{First: 5}})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Items {
			out = append(out, n.GetID())
		}
	}
	return out
}

// analyses select every field of the analyses' answers, with nodes that
// walk on, over chains the shipped set holds.
var analyses = []string{
	`{ trace(from: "lever:ca-corporate-governance-laws", to: "kind:spin-in", maxHops: 3, first: 20) { ...path } }`,
	`{ trace(from: "kind:spin-out", to: "jurisdiction:ca", maxHops: 2, via: [AFFECTS, HELD_BY]) { ...path } }`,
	`{ leversAffecting(kind: "kind:spin-out", first: 1000) { __typename lever { ...entity } jurisdictions { id name order }
	   orders effect stated chain { ...path } } }`,
	`{ leversAffecting(kind: "kind:spin-up-community", orders: [FEDERAL], inEffectOn: "2020-01-01", includeUndated: true) { effect chain { length } } }`,
	`{ leversAffecting(kind: "kind:spin-out", statedOnly: true, orders: [FOREIGN]) { stated lever { id } chain { hops { evidence } } } }`,
	`{ influenceMatrix { __typename kinds { id name } rows { __typename lever { ...entity } orders
	   cells { __typename kind { id route } effect paths statedPaths } } } }`,
	`{ influenceMatrix(kinds: ["kind:spin-in", "kind:spin-out", "kind:spin-in"], orders: [PROVINCIAL, FOREIGN], statedOnly: true) {
	   kinds { name } rows { lever { id } cells { effect paths statedPaths } } } }`,
	`{ gaps(kind: "kind:spin-out", jurisdictions: ["jurisdiction:ca-on", "jurisdiction:ca", "jurisdiction:ca-on"]) { __typename
	   challenge { ...entity } faces { ...hop } mitigations { __typename measure { ...entity } mitigates { ...hop } heldBy { ...hop } } unaddressed } }`,
	`{ gaps(kind: "kind:spin-out", jurisdictions: ["jurisdiction:gb"], statedOnly: true, unaddressedOnly: true) { challenge { id } unaddressed } }`,
	`{ compare(left: {jurisdictions: ["jurisdiction:gb"]}, right: {orders: [FEDERAL, PROVINCIAL]}) { __typename kind { id name }
	   leftOnly { __typename effect means chainCount chains { __typename lever { ...entity } jurisdictions { id order } orders effect stated chain { ...path } } }
	   rightOnly { effect means chains { lever { id } } chainCount } both { __typename effect means } } }`,
	`{ compare(left: {jurisdictions: ["jurisdiction:gb"]}, right: {orders: [FEDERAL]}, first: 1) { leftOnly { chainCount chains { lever { id } } } } }`,
	`{ compare(left: {orders: [PROVINCIAL]}, right: {jurisdictions: ["jurisdiction:ca"], orders: [FEDERAL]}, kinds: ["kind:spin-off", "kind:spin-out"], statedOnly: true) {
	   kind { id } leftOnly { means chains { stated } } rightOnly { effect } both { effect } } }`,
	`{ impact(id: "lever:bc-procurement") { __typename chains { lever { ...entity } effect stated chain { ...path } }
	   losses { __typename kind { id route } jurisdiction { id name order } chains { lever { id } jurisdictions { id } orders effect chain { length } } } } }`,
	`{ impact(id: "statute:au-cooperatives-national-law", statedOnly: false) { losses { jurisdiction { code } kind { name } } } }`,
}

// The fragments the analyses use.
const (
	entityFragment = `
fragment entity on Entity { __typename id name ... on Statute { inForce inForceAsKnown establishes(first: 2) { totalCount edges { node { __typename id } } } } }`
	hopFragment = `
fragment hop on Hop { __typename type forward effect role rationale evidence note since until
  from { __typename id } to { ...entity } sources { id name } citations { locator source { id } } }`
	pathFragment = `
fragment path on Path { __typename length nodes { ...entity } hops { __typename type forward effect role rationale evidence note since until
  from { id } to { __typename id } sources { id name } citations { locator source { id } } } }`
)

func TestCompiledAnswersAsTheResolversOnTheShippedSet(t *testing.T) {
	p := shippedPaths(t)
	var chosen []op
	for _, q := range analyses {
		// With the fragments it uses: an unused one is invalid.
		path := strings.Contains(q, "...path")
		if path || strings.Contains(q, "...entity") {
			q += entityFragment
		}
		if path {
			q += pathFragment
		}
		if strings.Contains(q, "...hop") {
			q += hopFragment
		}
		chosen = append(chosen, op{query: q})
		if body := post(t, p.compiled, q, nil); !found(t, body) {
			t.Errorf("%s found nothing to compare: %.400s", q, body)
		}
	}
	p.differ(t, chosen)
	gen := newOpGen(resolvers.New(nil).Schema(), ids(t, p.store), *seedFlag)
	p.differ(t, gen.each())
	var ops []op
	for range *opsFlag {
		ops = append(ops, gen.random())
	}
	p.differ(t, ops)
}

func TestCompiledAnswersAsTheResolversOnAGeneratedGraph(t *testing.T) {
	dir := t.TempDir()
	if _, err := shape.Generate(dir, shape.Size{Nodes: 2000}); err != nil {
		t.Fatal(err)
	}
	p := loadedPaths(t, os.DirFS(dir))
	gen := newOpGen(resolvers.New(nil).Schema(), ids(t, p.store), *seedFlag+1)
	var ops []op
	for range *opsFlag / 2 {
		ops = append(ops, gen.random())
	}
	p.differ(t, ops)
}
