package compile_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// The change log's fields are compiled like the others: in the query of
// the operation, beside lists and nodes, and answered as the resolvers
// answer them, edits, a load's created rows and a release alike.
func TestTheChangeLogIsCompiled(t *testing.T) {
	p := shippedPaths(t)
	ctx := context.Background()
	edit := graph.Edit{Actor: "curator", Reason: "a test's edits"}
	for _, name := range []string{"Spin-out (edited)", "Spin-out"} {
		_, err := p.store.UpdateNode(ctx, edit, "kind:spin-out", func(_ graph.Label, props map[string]any) (map[string]any, []graph.Ref, error) {
			props["name"] = name
			return props, nil, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	head, err := p.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.store.RecordRelease(ctx, graph.Release{Name: "now", Revision: head.Revision, At: time.Now(), Manifest: strings.Repeat("0", 64)}); err != nil {
		t.Fatal(err)
	}

	change := `{ __typename op entity type from to before { name value } after { name value } file { name sha256 }
	  revision { number at actor reason kind complete nodes { created updated deleted } relationships { created } } }`
	page := `{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node ` + change + ` } }`
	for _, q := range []string{
		`{ changes(first: 3) ` + page + ` }`,
		`{ changes(entity: "kind:spin-out") ` + page + ` revision { number actor } release { name revision at manifest } }`,
		`{ changes(actor: "curator", since: 2, until: 3) ` + page + ` }`,
		`{ changes(first: 1, after: "` + cursorOf(t, p, `{ changes(first: 1) { pageInfo { endCursor } } }`) + `") ` + page + ` }`,
		`{ node(id: "kind:spin-out") { id ... on Entity { history(first: 2) ` + page + ` } } }`,
		`{ mutualKinds(first: 3) { edges { node { id a: history(first: 1) { totalCount } b: history ` + page + ` } } } }`,
		`{ statutes(first: 2) { edges { node { name affects(first: 2) { edges { node { history { totalCount edges { node { op } } } } } } } } } }`,
	} {
		want := post(t, p.resolved, q, nil)
		p.declined.Store(0)
		p.queries.Store(0)
		got := post(t, p.compiled, q, nil)
		switch {
		case p.declined.Load() != 0:
			t.Errorf("declined (%v):\n%s", p.detail.Load(), q)
		case p.queries.Load() != 1:
			t.Errorf("%d queries for\n%s", p.queries.Load(), q)
		case !bytes.Equal(got, want):
			t.Errorf("%s\n got %s\nwant %s", q, got, want)
		case bytes.Contains(got, []byte(`"errors"`)) || !bytes.Contains(got, []byte(`"op"`)) && !bytes.Contains(got, []byte(`"totalCount"`)):
			t.Errorf("%s answered nothing to compare: %s", q, got)
		}
	}
	// What the answers hold: the edits, with their properties, and the
	// release of the head.
	got := post(t, p.compiled, `{ changes(entity: "kind:spin-out", first: 2) { edges { node { op after { name value } } } } release { name } }`, nil)
	for _, want := range []string{`"op":"UPDATE"`, `{"name":"name","value":"Spin-out"}`, `"release":{"name":"now"}`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("the answer lacks %s: %s", want, got)
		}
	}
}

// cursorOf is the one end cursor an operation's answer holds.
func cursorOf(t *testing.T, p *paths, q string) string {
	t.Helper()
	body := string(post(t, p.compiled, q, nil))
	_, rest, ok := strings.Cut(body, `"endCursor":"`)
	cursor, _, ok2 := strings.Cut(rest, `"`)
	if !ok || !ok2 {
		t.Fatalf("no cursor in %s", body)
	}
	return cursor
}
