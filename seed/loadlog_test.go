package seed_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
)

// changesOf reads every change of one revision, a few at a time, so that
// paging through a load's batches is tested too.
func changesOf(t *testing.T, store *graph.Store, rev int) []graph.Change {
	t.Helper()
	var out []graph.Change
	q := graph.ChangeQuery{Since: &rev, Until: &rev, First: 3}
	for {
		page, total, err := store.Changes(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < q.First {
			if len(out) != total {
				t.Errorf("revision %d: read %d changes, total says %d", rev, len(out), total)
			}
			return out
		}
		last := page[len(page)-1]
		q.After = &graph.ChangeKey{Revision: last.Revision.Number, Seq: last.Seq, Item: last.Item}
	}
}

// head reads the log's head.
func head(t *testing.T, store *graph.Store) graph.Head {
	t.Helper()
	h, err := store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// latest reads the latest revision.
func latest(t *testing.T, store *graph.Store) graph.Revision {
	t.Helper()
	r, err := store.LatestRevision(context.Background())
	if err != nil || r == nil {
		t.Fatalf("latest revision: %v, %v", r, err)
	}
	return *r
}

// stopAfter loads the set and stops it after n batches of two rows.
func stopAfter(t *testing.T, store *graph.Store, set *seed.Set, n int, opts seed.Options) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := 0
	opts.BatchSize = 2
	opts.Progress = func(seed.Progress) {
		if batches++; batches == n {
			cancel()
		}
	}
	if _, err := seed.Load(ctx, store, set, opts); err == nil || !errors.Is(err, context.Canceled) && graph.ErrorCode(err) != graph.CodeTimeout {
		t.Fatalf("stopped load: %v, want cancellation", err)
	}
}

// created lists the entities and links that changes created, by id and
// by type and ends.
func created(t *testing.T, set *seed.Set, changes []graph.Change) (ids, links []string) {
	t.Helper()
	for _, c := range changes {
		if c.Op != graph.OpCreate || c.File == nil || c.After != nil {
			t.Errorf("change %+v: want a creation with its file, without properties", c)
			continue
		}
		if want := set.Digests[c.File.Name]; c.File.SHA256 != want || want == "" {
			t.Errorf("%s: SHA-256 %q, want %q", c.File.Name, c.File.SHA256, want)
		}
		if c.Entity != "" {
			ids = append(ids, c.Entity)
		} else {
			links = append(links, c.Type+" "+c.From+" "+c.To)
		}
	}
	slices.Sort(ids)
	slices.Sort(links)
	return ids, links
}

// contents lists the set's entities and links as created does.
func contents(set *seed.Set) (ids, links []string) {
	for _, rows := range set.Nodes {
		for _, row := range rows {
			ids = append(ids, row["id"].(string))
		}
	}
	for t, rows := range set.Rels {
		for _, r := range rows {
			links = append(links, string(t)+" "+r.From+" "+r.To)
		}
	}
	slices.Sort(ids)
	slices.Sort(links)
	return ids, links
}

func TestALoadIsOneRevisionWithItsChanges(t *testing.T) {
	store := neo4jtest.Store(t)
	set := readDir(t, filepath.Join("testdata", "valid"))
	load(t, store, set, seed.Options{BatchSize: 2, Edit: graph.Edit{Actor: "loader", Reason: "first load"}})

	first := latest(t, store)
	if h := head(t, store); h.Revision != first.Number || h.Loading != 0 {
		t.Errorf("head %+v after a load of revision %d", h, first.Number)
	}
	if first.Kind != graph.RevisionLoad || !first.Complete || first.Actor != "loader" || first.Reason != "first load" ||
		*first.Nodes != (graph.Counts{Created: 6}) || *first.Rels != (graph.Counts{Created: 5}) {
		t.Errorf("revision %+v (%+v, %+v): want a complete load of 6 entities and 5 links", first, first.Nodes, first.Rels)
	}
	ids, links := created(t, set, changesOf(t, store, first.Number))
	wantIDs, wantLinks := contents(set)
	if !slices.Equal(ids, wantIDs) || !slices.Equal(links, wantLinks) {
		t.Errorf("created %v and %v;\nwant %v and %v", ids, links, wantIDs, wantLinks)
	}

	// An entity's history finds its creation in a batch of many, by index,
	// and its links'.
	const lever = "lever:ca-procurement"
	history, _, err := store.Changes(context.Background(), graph.ChangeQuery{Entity: lever, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, c := range history {
		named = append(named, c.Type+" "+c.Entity+c.From+" "+c.To)
	}
	slices.Sort(named)
	if want := []string{"AFFECTS " + lever + " kind:spin-out", "HELD_BY " + lever + " jurisdiction:ca", "Lever " + lever + " "}; !slices.Equal(named, want) {
		t.Errorf("history of %s: %q, want %q", lever, named, want)
	}

	// A second load updates a statute and prunes the lever, with its links:
	// each change with its properties before and after.
	changed := readDir(t, filepath.Join("testdata", "valid"))
	statute := changed.Nodes[graph.LabelStatute][0]
	keptID, oldName := statute["id"].(string), statute["name"].(string)
	statute["name"] = "Renamed"
	changed.Nodes[graph.LabelLever] = slices.DeleteFunc(changed.Nodes[graph.LabelLever], func(r map[string]any) bool { return r["id"] == lever })
	for rt, rows := range changed.Rels {
		changed.Rels[rt] = slices.DeleteFunc(rows, func(r graph.RelRow) bool { return r.From == lever })
	}
	load(t, store, changed, seed.Options{Prune: true, Edit: graph.Edit{Actor: "loader", Reason: "second load"}})
	second := latest(t, store)
	if second.Number != first.Number+1 || !second.Complete ||
		*second.Nodes != (graph.Counts{Updated: 1, Deleted: 1}) || *second.Rels != (graph.Counts{Deleted: 2}) {
		t.Errorf("revision %+v (%+v, %+v): want 1 entity updated, 1 deleted with its 2 links", second, second.Nodes, second.Rels)
	}
	var got []string
	for _, c := range changesOf(t, store, second.Number) {
		switch {
		case c.Op == graph.OpUpdate && c.Entity == keptID:
			if c.Before["name"] != oldName || c.After["name"] != "Renamed" {
				t.Errorf("update of %s: name %q to %q, want %q to Renamed", keptID, c.Before["name"], c.After["name"], oldName)
			}
		case c.Op == graph.OpDelete && c.Before == nil:
			t.Errorf("deletion %+v without its properties", c)
		}
		got = append(got, string(c.Op)+" "+c.Type+" "+c.Entity+c.From+" "+c.To)
	}
	slices.Sort(got)
	want := []string{"DELETE AFFECTS " + lever + " kind:spin-out", "DELETE HELD_BY " + lever + " jurisdiction:ca",
		"DELETE Lever " + lever + " ", "UPDATE Statute " + keptID + " "}
	if !slices.Equal(got, want) {
		t.Errorf("second load's changes %q, want %q", got, want)
	}

	// The feed gives both, with how many changes each made.
	feed, err := store.RevisionsAfter(context.Background(), first.Number-1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed) != 2 || feed[0].Count != 11 || len(feed[0].Changes) != 11 || feed[1].Count != 4 {
		t.Errorf("feed after %d: %d revisions; want 2, of 11 and 4 changes", first.Number-1, len(feed))
	}
}

func TestAStoppedLoadRunAgainCompletesItsRevision(t *testing.T) {
	store := neo4jtest.Store(t)
	set := readDir(t, filepath.Join("testdata", "valid"))
	before := head(t, store).Revision
	stopAfter(t, store, set, 2, seed.Options{})

	h := head(t, store)
	if h.Loading == 0 || h.Loading != h.Revision || h.Revision != before+1 {
		t.Fatalf("head %+v after a stopped load: want revision %d open", h, before+1)
	}
	if r := latest(t, store); r.Complete || r.Nodes.Created == 0 || r.Nodes.Created >= 6 {
		t.Errorf("stopped load's revision %+v (%+v): want some of the 6 entities so far, incomplete", r, r.Nodes)
	}
	if feed, err := store.RevisionsAfter(context.Background(), before, 10); err != nil || len(feed) != 0 {
		t.Errorf("the feed gave %d revisions (%v) of a load still open; want none yet", len(feed), err)
	}

	load(t, store, set, seed.Options{BatchSize: 2})
	if h := head(t, store); h.Revision != before+1 || h.Loading != 0 {
		t.Errorf("head %+v after the load ran again; want revision %d, complete", h, before+1)
	}
	r := latest(t, store)
	if !r.Complete || *r.Nodes != (graph.Counts{Created: 6}) || *r.Rels != (graph.Counts{Created: 5}) {
		t.Errorf("revision %+v (%+v, %+v): want one complete load of 6 entities and 5 links", r, r.Nodes, r.Rels)
	}
	ids, links := created(t, set, changesOf(t, store, r.Number))
	if wantIDs, wantLinks := contents(set); !slices.Equal(ids, wantIDs) || !slices.Equal(links, wantLinks) {
		t.Errorf("created %v and %v;\nwant each of %v and %v once", ids, links, wantIDs, wantLinks)
	}
	if feed, err := store.RevisionsAfter(context.Background(), before, 10); err != nil || len(feed) != 1 || feed[0].Count != 11 {
		t.Errorf("feed: %d revisions (%v); want the load's, of 11 changes", len(feed), err)
	}
}

func TestALoadGivesUpAStoppedOneOfOtherFiles(t *testing.T) {
	store := neo4jtest.Store(t)
	set := readDir(t, filepath.Join("testdata", "valid"))
	before := head(t, store).Revision
	stopAfter(t, store, set, 2, seed.Options{})
	// Pruning makes it another load, which does not resume the first.
	load(t, store, set, seed.Options{Prune: true})

	if h := head(t, store); h.Revision != before+2 || h.Loading != 0 {
		t.Errorf("head %+v; want revision %d, no load open", h, before+2)
	}
	feed, err := store.RevisionsAfter(context.Background(), before, 10)
	if err != nil || len(feed) != 2 {
		t.Fatalf("feed: %d revisions (%v), want 2", len(feed), err)
	}
	if feed[0].Revision.Complete || !feed[1].Revision.Complete {
		t.Errorf("complete: %t and %t; want the stopped load's given up, the other's complete", feed[0].Revision.Complete, feed[1].Revision.Complete)
	}
	if feed[0].Count+feed[1].Count != 11 {
		t.Errorf("%d and %d changes; want 11 in all", feed[0].Count, feed[1].Count)
	}
}
