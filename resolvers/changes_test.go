package resolvers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

// changePage is a page of the change log as a test reads it.
type changePage struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct {
		Node struct {
			Revision struct {
				Number        int
				At            string
				Actor, Reason string
				Kind          string
			}
			Op, Type, Entity, From, To string
			Before, After              []struct{ Name, Value string }
		}
	}
}

// lines are the page's changes as "revision actor reason op type what:
// before → after" lines, each revision's number relative to base.
func (p changePage) lines(base int) []string {
	var out []string
	for _, e := range p.Edges {
		n := e.Node
		what := n.Entity
		if what == "" {
			what = n.From + ">" + n.To
		}
		cells := func(vs []struct{ Name, Value string }) string {
			var parts []string
			for _, v := range vs {
				if v.Name == "name" || v.Name == "rationale" || v.Name == "ownership" {
					parts = append(parts, v.Name+"="+v.Value)
				}
			}
			return strings.Join(parts, ",")
		}
		out = append(out, fmt.Sprintf("%d %s %s %s %s %s: %s → %s", n.Revision.Number-base, n.Revision.Actor, n.Revision.Reason,
			n.Op, n.Type, what, cells(n.Before), cells(n.After)))
	}
	return out
}

const changesQuery = `query($since: Int, $entity: ID, $first: Int, $after: String) {
  changes(since: $since, entity: $entity, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { revision { number at actor reason kind } op type entity from to before { name value } after { name value } } } } }`

// Tried as a curator would: each change, with a reason, shows in the log
// with who made it and why, newest first, in the entity's history too;
// a change without a reason, or one that fails, records nothing.
func TestChangesAreLoggedWithWhoAndWhy(t *testing.T) {
	a := newAPI(t)
	var rev struct{ Revision *struct{ Number int } }
	a.query(t, `{ revision { number } }`, &rev)
	base := 0
	if rev.Revision != nil {
		base = rev.Revision.Number
	}
	const id = "mutual:logged-coop"
	steps := []string{
		`mutation { createEntity(type: MUTUAL, properties: [{name: "id", value: "` + id + `"}, {name: "name", value: "Logged"}, {name: "ownership", value: "MEMBER"}], reason: "new member co-op") { id } }`,
		`mutation { link(type: IS_A, from: "` + id + `", to: "kind:spin-out", properties: [{name: "rationale", value: "first"}, {name: "sourceIds", value: "source:psm-paper"}], reason: "classified") { type } }`,
		`mutation { link(type: IS_A, from: "` + id + `", to: "kind:spin-out", properties: [{name: "rationale", value: "second"}, {name: "sourceIds", value: "source:psm-paper"}], reason: "rationale corrected") { type } }`,
		`mutation { updateEntity(id: "` + id + `", properties: [{name: "name", value: "Logged Co-op"}], reason: "name as registered") { id } }`,
		`mutation { deleteEntity(id: "` + id + `", reason: "a duplicate") }`,
	}
	for _, q := range steps {
		if msg, code := mutate(t, a, q, nil); code != "" {
			t.Fatalf("%s: %s %s", q, code, msg)
		}
	}
	// Nothing is recorded of a change without a reason, one that fails, or
	// one that changes nothing.
	for _, q := range []string{
		`mutation { updateEntity(id: "kind:spin-out", properties: [{name: "name", value: "Spin-out!"}]) { id } }`,
		`mutation { updateEntity(id: "kind:spin-out", properties: [{name: "name", value: "Spin-out!"}], reason: "  ") { id } }`,
		`mutation { unlink(type: IS_A, from: "` + id + `", to: "kind:spin-out", reason: "gone already") }`,
		`mutation { link(type: IS_A, from: "kind:spin-out", to: "sector:health-care", reason: "not a kind") { type } }`,
	} {
		mutate(t, a, q, nil)
	}
	var name struct{ Node struct{ Name string } }
	if a.query(t, `{ node(id: "kind:spin-out") { ... on Entity { name } } }`, &name); name.Node.Name == "Spin-out!" {
		t.Error("a change without a reason was written")
	}

	var page struct{ Changes changePage }
	a.query(t, changesQuery, &page, clientVars(map[string]any{"since": base + 1}))
	got := page.Changes.lines(base)
	want := []string{
		"5 test a duplicate DELETE Mutual " + id + ": name=Logged Co-op,ownership=MEMBER → ",
		"5 test a duplicate DELETE IS_A " + id + ">kind:spin-out: rationale=second → ",
		"4 test name as registered UPDATE Mutual " + id + ": name=Logged,ownership=MEMBER → name=Logged Co-op,ownership=MEMBER",
		"3 test rationale corrected UPDATE IS_A " + id + ">kind:spin-out: rationale=first → rationale=second",
		"2 test classified CREATE IS_A " + id + ">kind:spin-out:  → rationale=first",
		"1 test new member co-op CREATE Mutual " + id + ":  → name=Logged,ownership=MEMBER",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || page.Changes.TotalCount != len(want) {
		t.Errorf("changes since %d (total %d):\n%s\nwant\n%s", base+1, page.Changes.TotalCount, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range page.Changes.Edges {
		if e.Node.Revision.Kind != "EDIT" || !strings.HasSuffix(e.Node.Revision.At, "Z") {
			t.Errorf("revision %+v", e.Node.Revision)
		}
	}

	// The same, a page at a time, and as the entity's history.
	var paged []string
	var after any
	for range len(want) + 1 {
		var p struct{ Changes changePage }
		a.query(t, changesQuery, &p, clientVars(map[string]any{"since": base + 1, "first": 2, "after": after}))
		paged = append(paged, p.Changes.lines(base)...)
		if !p.Changes.PageInfo.HasNextPage {
			break
		}
		after = p.Changes.PageInfo.EndCursor
	}
	if strings.Join(paged, "\n") != strings.Join(want, "\n") {
		t.Errorf("paged:\n%s", strings.Join(paged, "\n"))
	}
	var history struct{ Changes changePage }
	a.query(t, changesQuery, &history, clientVars(map[string]any{"entity": "kind:spin-out", "since": base + 1}))
	if got := history.Changes.lines(base); len(got) != 3 || !strings.Contains(got[0], "DELETE IS_A") {
		t.Errorf("spin-out's changes: %s", strings.Join(got, "\n"))
	}
	var node struct {
		Node struct{ History changePage }
	}
	a.query(t, `{ node(id: "kind:spin-out") { ... on Entity { history(first: 3) { totalCount edges { node {
	  revision { number actor reason } op type entity from to before { name value } after { name value } } } } } } }`, &node)
	if got := node.Node.History.lines(base); strings.Join(got, "\n") != strings.Join(history.Changes.lines(base), "\n") {
		t.Errorf("spin-out's history:\n%s\nwant its changes", strings.Join(got, "\n"))
	}
	a.query(t, `{ revision { number } }`, &rev)
	if rev.Revision == nil || rev.Revision.Number != base+5 {
		t.Errorf("the latest revision: %+v, want %d", rev.Revision, base+5)
	}

	// The API names the release of the latest revision, and no other.
	store, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = store.Close(context.Background()) }()
	var release struct{ Release *struct{ Name string } }
	for _, r := range []graph.Release{{Name: "older", Revision: base + 4}, {Name: "current", Revision: base + 5}} {
		r.At, r.Manifest = time.Now(), strings.Repeat("0", 64)
		if err := store.RecordRelease(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if a.query(t, `{ release { name } }`, &release); release.Release == nil || release.Release.Name != "current" {
		t.Errorf("the release of revision %d: %+v", base+5, release.Release)
	}
}

// clientVars passes the variables, nil ones too.
func clientVars(vars map[string]any) client.Option {
	return func(bd *client.Request) {
		for k, v := range vars {
			client.Var(k, v)(bd)
		}
	}
}
