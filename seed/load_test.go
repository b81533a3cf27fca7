package seed_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

func readDir(t *testing.T, dir string) *seed.Set {
	t.Helper()
	set, err := seed.Read(os.DirFS(dir))
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return set
}

func load(t *testing.T, store seed.Store, set *seed.Set, opts seed.Options) seed.Summary {
	t.Helper()
	sum, err := seed.Load(context.Background(), store, set, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// export writes the graph to a new folder and returns its files' contents.
func export(t *testing.T, store *graph.Store) (string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	if _, err := seed.Export(context.Background(), store, dir); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return dir, files
}

func sameFiles(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s differs:\n%s\nwant:\n%s", name, got[name], w)
		}
	}
}

func TestSecondLoadChangesNothing(t *testing.T) {
	store := neo4jtest.Store(t)
	set := readDir(t, filepath.Join("testdata", "valid"))

	first := load(t, store, set, seed.Options{})
	nodes, rels := first.Totals()
	if nodes.Created != 6 || rels.Created != 5 || nodes.Updated+rels.Updated+nodes.Unchanged+rels.Unchanged != 0 {
		t.Errorf("first load: nodes %+v, relationships %+v; want 6 and 5 created, nothing else", nodes, rels)
	}
	count, err := store.CountNodes(context.Background())
	if err != nil || count != 6 {
		t.Fatalf("%d nodes after the first load (%v), want 6", count, err)
	}
	second := load(t, store, set, seed.Options{})
	nodes, rels = second.Totals()
	if nodes.Changed() || rels.Changed() || nodes.Unchanged != 6 || rels.Unchanged != 5 {
		t.Errorf("second load: nodes %+v, relationships %+v; want all unchanged", nodes, rels)
	}
	if again, _ := store.CountNodes(context.Background()); again != count {
		t.Errorf("%d nodes after the second load, want %d", again, count)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	set := readDir(t, filepath.Join("testdata", "valid"))

	dry := load(t, store, set, seed.Options{DryRun: true})
	nodes, rels := dry.Totals()
	if nodes.Created != 6 || rels.Created != 5 {
		t.Errorf("dry run on an empty graph: nodes %+v, relationships %+v; want 6 and 5 to create", nodes, rels)
	}
	if n, _ := store.CountNodes(ctx); n != 0 {
		t.Fatalf("the dry run wrote %d nodes", n)
	}

	load(t, store, set, seed.Options{})
	set.Nodes[graph.LabelStatute][0]["citation"] = "S.C. 1998, c. 1 (amended)"
	delete(set.Nodes[graph.LabelJurisdiction][0], "nameFr")
	set.Rels[graph.RelAffects][0].Props["effect"] = "FUNDS"
	dry = load(t, store, set, seed.Options{DryRun: true})
	nodes, rels = dry.Totals()
	if nodes.Updated != 2 || rels.Updated != 1 || nodes.Created+rels.Created != 0 {
		t.Errorf("dry run of three edits: nodes %+v, relationships %+v; want 2 and 1 updated", nodes, rels)
	}
	real := load(t, store, set, seed.Options{})
	if n, r := real.Totals(); n.Updated != 2 || r.Updated != 1 {
		t.Errorf("the load after the dry run: nodes %+v, relationships %+v; want the same as the dry run", n, r)
	}
	_, files := export(t, store)
	if !bytes.Contains(files["statutes.csv"], []byte("(amended)")) || bytes.Contains(files["jurisdictions.csv"], []byte("Canada,Canada")) {
		t.Errorf("edits not in the graph:\n%s\n%s", files["statutes.csv"], files["jurisdictions.csv"])
	}
}

// A load stopped after its first batches, as by a crash, is completed by
// running it again: the graph ends as if the first run had finished.
func TestInterruptedLoadConverges(t *testing.T) {
	store := neo4jtest.Store(t)
	set := readDir(t, filepath.Join("testdata", "valid"))
	load(t, store, set, seed.Options{})
	_, want := export(t, store)

	store = neo4jtest.Store(t) // empty again
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	_, err := seed.Load(ctx, store, set, seed.Options{BatchSize: 2, Progress: func(seed.Progress) {
		if batches++; batches == 2 {
			cancel()
		}
	}})
	if err == nil || !errors.Is(err, context.Canceled) && graph.ErrorCode(err) != graph.CodeTimeout {
		t.Fatalf("interrupted load: %v, want cancellation", err)
	}
	if n, _ := store.CountNodes(context.Background()); n == 0 || n >= 6 {
		t.Fatalf("%d nodes after the interruption; want some but not all of 6", n)
	}
	sum := load(t, store, set, seed.Options{BatchSize: 2})
	if nodes, _ := sum.Totals(); nodes.Unchanged == 0 || nodes.Created == 0 {
		t.Errorf("rerun: %+v; want the first batches unchanged and the rest created", nodes)
	}
	_, got := export(t, store)
	sameFiles(t, got, want)
}

// export, validate and seed into an empty database give the same graph.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(t *testing.T) *seed.Set
	}{
		{"testdata", func(t *testing.T) *seed.Set { return readDir(t, filepath.Join("testdata", "valid")) }},
		{"shipped", func(t *testing.T) *seed.Set {
			set, err := seed.Read(seed.Shipped())
			if err != nil {
				t.Fatal(err)
			}
			return set
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := neo4jtest.Store(t)
			set := tc.set(t)
			load(t, store, set, seed.Options{})
			dir, first := export(t, store)

			exported := readDir(t, dir) // what export writes validates
			if exported.Rows() != set.Rows() {
				t.Errorf("export has %d rows, the set %d", exported.Rows(), set.Rows())
			}
			store = neo4jtest.Store(t)
			load(t, store, exported, seed.Options{})
			_, second := export(t, store)
			sameFiles(t, second, first)
		})
	}
}

// A set with values at every limit validates and loads whole, and comes
// back the same: the limits are ones Neo4j accepts.
func TestASetAtTheLimitsLoads(t *testing.T) {
	long := func(prefix string, n int) string { return prefix + strings.Repeat("x", n-len(prefix)) }
	dir := t.TempDir()
	write := func(name string, rows ...[]string) {
		t.Helper()
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sources := [][]string{{"id", "name", "nameFr", "description", "descriptionFr", "note"},
		{long("source:", seed.MaxIDBytes), long("N", seed.MaxNameBytes), long("F", seed.MaxNameBytes),
			long("D", seed.MaxCellBytes), long("é", seed.MaxCellBytes), long("n", seed.MaxCellBytes-10)}}
	ids := []string{sources[1][0]}
	for i := 1; i < seed.MaxListItems; i++ {
		ids = append(ids, fmt.Sprintf("source:s%03d", i))
		sources = append(sources, []string{ids[i], "S", "", "", "", ""})
	}
	write("sources.csv", sources...)
	lever := long("lever:", seed.MaxIDBytes)
	write("levers.csv", []string{"id", "name", "instrument"}, []string{lever, "L", "TAX"})
	write("mutual_kinds.csv", []string{"id", "name", "route", "initiator"}, []string{"kind:k", "K", "SPIN_OUT", "GOVERNMENT"})
	write("affects.csv", []string{"from", "to", "effect", "rationale", "sourceIds", "note"},
		[]string{lever, "kind:k", "ENABLES", long("R", seed.MaxCellBytes), strings.Join(ids, ";"), long("n", seed.MaxCellBytes)})

	store := neo4jtest.Store(t)
	set := readDir(t, dir)
	load(t, store, set, seed.Options{})
	out, files := export(t, store)
	again := readDir(t, out)
	if again.Rows() != set.Rows() {
		t.Errorf("%d rows exported, %d loaded", again.Rows(), set.Rows())
	}
	for _, name := range []string{"sources.csv", "affects.csv"} {
		if len(files[name]) < seed.MaxCellBytes {
			t.Errorf("%s exported in %d bytes: values were lost", name, len(files[name]))
		}
	}
	if got := again.Rels[graph.RelAffects][0].Props["sourceIds"]; !reflect.DeepEqual(got, set.Rels[graph.RelAffects][0].Props["sourceIds"]) {
		t.Errorf("sourceIds came back as %v", got)
	}
}

// A batch is bounded in bytes as well as in rows, so that rows near their
// limits do not ask Neo4j for more transaction memory than it has.
func TestBatchesAreBoundedInBytes(t *testing.T) {
	const rows, cell = 100, 60 << 10
	var b strings.Builder
	b.WriteString("id,name,description,descriptionFr,note\n")
	text := strings.Repeat("x", cell)
	for i := range rows {
		fmt.Fprintf(&b, "source:s%03d,S,%s,%s,%s\n", i, text, text, text)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sources.csv"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	set := readDir(t, dir)
	var batches []int
	load(t, neo4jtest.Store(t), set, seed.Options{Progress: func(p seed.Progress) {
		batches = append(batches, p.Done-sum(batches))
	}})
	most := seed.MaxBatchBytes / (3 * cell)
	if sum(batches) != rows || len(batches) < rows/most {
		t.Fatalf("batches of %v rows; want %d rows in batches of at most %d", batches, rows, most)
	}
	for _, n := range batches {
		if n > most {
			t.Errorf("a batch of %d rows of %d KiB: more than %d MiB", n, 3*cell>>10, seed.MaxBatchBytes>>20)
		}
	}
}

func sum(ns []int) int {
	total := 0
	for _, n := range ns {
		total += n
	}
	return total
}

// A pruning load makes the graph the set: what the set's files no longer
// hold is deleted, a dry run only counts it, a second run deletes nothing,
// and a label whose file the set lacks is left alone.
func TestPruneMakesTheGraphTheSet(t *testing.T) {
	store := neo4jtest.Store(t)
	full := readDir(t, filepath.Join("testdata", "valid"))
	load(t, store, full, seed.Options{})
	_, before := export(t, store)

	// The same set without one lever and its links.
	const gone = "lever:ca-procurement"
	smaller := readDir(t, filepath.Join("testdata", "valid"))
	smaller.Nodes[graph.LabelLever] = slices.DeleteFunc(smaller.Nodes[graph.LabelLever], func(r map[string]any) bool { return r["id"] == gone })
	for rt, rows := range smaller.Rels {
		smaller.Rels[rt] = slices.DeleteFunc(rows, func(r graph.RelRow) bool { return r.From == gone })
	}
	want := func(sum seed.Summary) {
		t.Helper()
		if d := sum.Nodes[graph.LabelLever].Deleted; d != 1 {
			t.Errorf("levers deleted: %d, want 1", d)
		}
		if a, h := sum.Rels[graph.RelAffects].Deleted, sum.Rels[graph.RelHeldBy].Deleted; a != 1 || h != 1 {
			t.Errorf("links deleted: %d AFFECTS and %d HELD_BY, want 1 and 1", a, h)
		}
	}
	want(load(t, store, smaller, seed.Options{Prune: true, DryRun: true}))
	if _, after := export(t, store); !maps.EqualFunc(after, before, bytes.Equal) {
		t.Fatal("a dry run changed the graph")
	}
	want(load(t, store, smaller, seed.Options{Prune: true}))
	if nodes, err := store.Nodes(context.Background(), []string{gone}); err != nil || len(nodes) != 0 {
		t.Errorf("%s is still there (%v)", gone, err)
	}
	if n, r := load(t, store, smaller, seed.Options{Prune: true}).Totals(); n.Deleted+r.Deleted != 0 {
		t.Errorf("a second pruning load deleted %d nodes and %d links", n.Deleted, r.Deleted)
	}

	// Without levers.csv, the set says nothing of levers: none goes.
	load(t, store, full, seed.Options{})
	delete(smaller.Files, "levers.csv")
	if sum := load(t, store, smaller, seed.Options{Prune: true}); sum.Nodes[graph.LabelLever].Deleted != 0 {
		t.Errorf("a set without levers.csv deleted %d levers", sum.Nodes[graph.LabelLever].Deleted)
	}
}
