package compile_test

import (
	"bytes"
	"testing"
)

// What the planner does not cover goes to the resolvers, which answer it as
// they always have, and the planner says why, in one of a few words.
func TestDeclinedOperationsSayWhyAndAreAnswered(t *testing.T) {
	p := shippedPaths(t)
	for _, tc := range []struct{ reason, query string }{
		{"operation", `mutation { deleteEntity(id: "nothing:here") }`},
		{"field", `{ __schema { queryType { name } } }`},
		{"arguments", `{ trace(from: "kind:spin-out", to: "jurisdiction:ca", maxHops: 7) { length } }`},
		{"arguments", `{ mutuals(first: 1) { edges { node { id } } } leversAffecting(kind: "kind:spin-out", first: 0) { effect } }`},
		{"arguments", `{ influenceMatrix(kinds: ["kind:spin-out", "jurisdiction:ca"]) { rows { lever { id } } } }`},
		{"arguments", `{ mutuals(first: 1000) { edges { node { id } } } }`},
		{"arguments", `{ mutuals(after: "not a cursor") { edges { node { id } } } }`},
		{"arguments", `{ statutes(asOf: "2020-01-01", inEffectOn: "2020-01-01") { totalCount } }`},
		{"arguments", `{ programmes { aggregate { number(of: BUDGET) { sum } } } }`},
		{"field", `{ search(text: "spin-out", first: 2) { node { ... on MutualKind { affectedBy { aggregate { count } } } } } }`},
	} {
		p.declined.Store(0)
		p.detail.Store("")
		want := post(t, p.resolved, tc.query, nil)
		got := post(t, p.compiled, tc.query, nil)
		detail, _ := p.detail.Load().(string)
		if p.declined.Load() != 1 || !bytes.HasPrefix([]byte(detail), []byte(tc.reason+":")) {
			t.Errorf("%s: declined %d times (%q), want once for %s", tc.query, p.declined.Load(), detail, tc.reason)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.query, got, want)
		}
	}
}
