package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
)

var validSet = filepath.Join("..", "..", "seed", "testdata", "valid")

// emptyNeo4j empties the test Neo4j, has the commands use it, and returns
// a store on it.
func emptyNeo4j(t *testing.T) *graph.Store {
	t.Helper()
	store := neo4jtest.Store(t)
	c := neo4jtest.Settings(t)
	t.Setenv("NEO4J_URI", c.URI)
	t.Setenv("NEO4J_PASSWORD", c.Password)
	return store
}

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestValidateExitCodes(t *testing.T) {
	if out, err := runCmd(t, "validate", validSet); err != nil || !strings.Contains(out, "no problems") {
		t.Errorf("valid set: %v\n%s", err, out)
	}
	broken := filepath.Join("..", "..", "seed", "testdata", "invalid", "wrong-types")
	out, err := runCmd(t, "validate", broken)
	if !errors.Is(err, errDataProblems) || !strings.Contains(out, "sources.csv:2:12: year:") {
		t.Errorf("broken set: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"validate"}, {"validate", "a", "b"}, {"validate", "/no/such/dir"}} {
		if _, err := runCmd(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func TestSeedAndExport(t *testing.T) {
	emptyNeo4j(t)

	out, err := runCmd(t, "seed", "-dry-run", validSet)
	if err != nil || !strings.Contains(out, "dry run of") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, err = runCmd(t, "seed", validSet)
	if err != nil || strings.Contains(out, "no changes") {
		t.Fatalf("first seed: %v\n%s", err, out)
	}
	out, err = runCmd(t, "seed", validSet)
	if err != nil || !strings.Contains(out, "no changes") {
		t.Errorf("second seed: %v\n%s; want no changes", err, out)
	}
	// A dry run lists what would change; only a pruning one, removals.
	changed := changedSet(t)
	out, err = runCmd(t, "seed", "-dry-run", changed)
	if err != nil || !strings.Contains(out, "~ Jurisdiction jurisdiction:ca-qc\n    name: \"Quebec\" → \"Québec\"\n") ||
		strings.Contains(out, "- HELD_BY") {
		t.Errorf("dry run of a changed set: %v\n%s", err, out)
	}
	out, err = runCmd(t, "seed", "-dry-run", "-prune", changed)
	if err != nil || !strings.Contains(out, "- HELD_BY statute:ca-coops → jurisdiction:ca\n") {
		t.Errorf("pruning dry run of a changed set: %v\n%s", err, out)
	}
	broken := filepath.Join("..", "..", "seed", "testdata", "invalid", "ids")
	if out, err := runCmd(t, "seed", broken); !errors.Is(err, errDataProblems) {
		t.Errorf("seeding a broken set: %v\n%s", err, out)
	}

	dir := filepath.Join(t.TempDir(), "export")
	if out, err := runCmd(t, "export", dir); err != nil || !strings.Contains(out, "exported 11 rows") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "validate", dir); err != nil {
		t.Errorf("the export does not validate: %v\n%s", err, out)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, "export", other); err == nil {
		t.Error("export into a folder holding other files: no error")
	}
}

// A value Neo4j would refuse part-way through a load (an id too long for
// its index, after a file that loads) is refused by validate, and seed
// writes nothing.
func TestSeedRefusesBeforeWritingWhatNeo4jWouldRefuse(t *testing.T) {
	store := emptyNeo4j(t)
	dir := dataDir(t)
	long := "jurisdiction:" + strings.Repeat("a", 9000-len("jurisdiction:"))
	if err := os.WriteFile(filepath.Join(dir, "jurisdictions.csv"), []byte("id,name,code,country,level\n"+long+",Long,CA,CA,NATIONAL\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := dir + "/jurisdictions.csv:2:1: id: 9000 bytes, longer than 256 bytes, the limit of an id"
	for _, cmd := range []string{"validate", "seed"} {
		if out, err := runCmd(t, cmd, dir); !errors.Is(err, errDataProblems) || !strings.Contains(out, want) {
			t.Errorf("%s: %v\n%s\nwant %q", cmd, err, out, want)
		}
	}
	if n, err := store.CountNodes(context.Background()); err != nil || n != 0 {
		t.Errorf("%d nodes in the graph (%v), want none", n, err)
	}
}

// A load that Neo4j stops part-way says what it wrote, and the same command
// completes it once the cause is gone. Here an entity that another writer
// put in the graph under another label takes an id the set's jurisdictions
// use.
func TestSeedStoppedPartWaySaysWhatItWrote(t *testing.T) {
	ctx := context.Background()
	store := emptyNeo4j(t)
	if _, err := store.CreateNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, graph.LabelSource, map[string]any{"id": "jurisdiction:ca", "name": "In the way"}, nil); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "seed", validSet)
	if err == nil || !strings.Contains(err.Error(), "load jurisdictions.csv") {
		t.Fatalf("seed: %v\n%s\nwant a failure at jurisdictions.csv", err, out)
	}
	for _, want := range []string{
		"the load of " + validSet + " stopped part-way",
		"  nodes                        created      1  updated      0  unchanged      0",
		"  relationships                created      0  updated      0  unchanged      0",
		"    Source                     created      1  updated      0",
		"running the same command again completes the load",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("seed said:\n%s\nwant %q", out, want)
		}
	}
	if n, _ := store.CountNodes(ctx); n != 2 {
		t.Errorf("%d nodes in the graph, want the one in the way and the one source written", n)
	}

	if err := store.DeleteNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, "jurisdiction:ca"); err != nil {
		t.Fatal(err)
	}
	out, err = runCmd(t, "seed", validSet)
	if err != nil || !strings.Contains(out, "  nodes                        created      5  updated      0  unchanged      1") {
		t.Errorf("the second run: %v\n%s\nwant it to complete the load", err, out)
	}
	if n, _ := store.CountNodes(ctx); n != 6 {
		t.Errorf("%d nodes after the second run, want the set's 6", n)
	}
}

// changedSet is a copy of the valid set with Québec's name spelt in French
// and a statute no longer held by Canada.
func changedSet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(validSet)); err != nil {
		t.Fatal(err)
	}
	edit := func(file, old, new string) {
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(data), old) {
			t.Fatalf("%s holds no %q (%v)", file, old, err)
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	edit("jurisdictions.csv", "jurisdiction:ca-qc,Quebec,", "jurisdiction:ca-qc,Québec,")
	edit("held_by.csv", "statute:ca-coops,jurisdiction:ca\n", "")
	return dir
}

func TestDiff(t *testing.T) {
	changed := changedSet(t)
	out, err := runCmd(t, "diff", validSet, changed)
	want := `~ Jurisdiction jurisdiction:ca-qc
    name: "Quebec" → "Québec"
- HELD_BY statute:ca-coops → jurisdiction:ca
entities: 0 added, 1 changed, 0 removed; links: 0 added, 0 changed, 1 removed
`
	if !errors.Is(err, exitStatus(1)) || out != want {
		t.Errorf("diff: %v\n%s\nwant status 1 and\n%s", err, out, want)
	}
	out, err = runCmd(t, "diff", "-json", changed, validSet)
	var d seed.Diff
	if !errors.Is(err, exitStatus(1)) || json.Unmarshal([]byte(out), &d) != nil || len(d.Changes) != 2 ||
		d.Changes[1].Kind != seed.Added || d.Changes[1].Type != graph.RelHeldBy {
		t.Errorf("diff -json: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "diff", validSet, validSet); err != nil || !strings.Contains(out, "entities: 0 added, 0 changed, 0 removed") {
		t.Errorf("a set against itself: %v\n%s", err, out)
	}
	broken := filepath.Join("..", "..", "seed", "testdata", "invalid", "ids")
	for _, args := range [][]string{{"diff", validSet}, {"diff", validSet, "/no/such/dir"}, {"diff", validSet, broken}} {
		if out, err := runCmd(t, args...); !errors.Is(err, exitStatus(2)) {
			t.Errorf("%v: %v\n%s; want exit status 2", args, err, out)
		}
	}
}

// A load that changes the graph is a revision of its change log; a
// release snapshots a revision, with its files' hashes and the changes
// since the release before it, and the graph names it.
func TestLoadsAreRevisionsAndReleasesCiteThem(t *testing.T) {
	ctx := context.Background()
	store := emptyNeo4j(t)
	revision := func() graph.Revision {
		t.Helper()
		r, err := store.LatestRevision(ctx)
		if err != nil || r == nil {
			t.Fatalf("no revision: %v", err)
		}
		return *r
	}
	if out, err := runCmd(t, "seed", "-reason", "the first set", validSet); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	first := revision()
	if first.Kind != graph.RevisionLoad || first.Reason != "the first set" || first.Nodes == nil || first.Nodes.Created == 0 || first.Actor == "" {
		t.Errorf("the first load's revision: %+v", first)
	}
	if out, err := runCmd(t, "seed", validSet); err != nil || revision().Number != first.Number {
		t.Errorf("a load that changes nothing is a revision: %v\n%s", err, out)
	}

	dir := t.TempDir()
	out, err := runCmd(t, "release", "-name", "one", dir)
	if err != nil || !strings.Contains(out, fmt.Sprintf("release one of revision %d", first.Number)) {
		t.Fatalf("release: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "seed", "-prune", changedSet(t)); err != nil {
		t.Fatalf("seed the changed set: %v\n%s", err, out)
	}
	second := revision()
	if second.Number != first.Number+1 || second.Rels == nil || second.Rels.Deleted != 1 || second.Nodes.Updated != 1 {
		t.Errorf("the changed set's revision: %+v %+v %+v", second, second.Nodes, second.Rels)
	}
	if out, err := runCmd(t, "release", "-name", "two", dir); err != nil {
		t.Fatalf("second release: %v\n%s", err, out)
	}
	if _, err := runCmd(t, "release", "-name", "two", dir); err == nil {
		t.Error("a release was written over")
	}

	var m seed.Manifest
	data, err := os.ReadFile(filepath.Join(dir, "two", seed.ManifestFile))
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil || m.Revision != second.Number || m.Previous != "one" || len(m.Model) != 64 || m.Rows["data/jurisdictions.csv"] != 2 {
		t.Fatalf("manifest: %v %+v", err, m)
	}
	for path, sum := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, "two", filepath.FromSlash(path)))
		if got := fmt.Sprintf("%x", sha256.Sum256(data)); err != nil || got != sum {
			t.Errorf("%s: SHA-256 %s, manifest %s (%v)", path, got, sum, err)
		}
	}
	changes, err := os.ReadFile(filepath.Join(dir, "two", seed.ChangesFile))
	for _, want := range []string{"changes since one", "~ Jurisdiction jurisdiction:ca-qc\n    name: \"Quebec\" → \"Québec\"", "- HELD_BY statute:ca-coops → jurisdiction:ca"} {
		if err != nil || !strings.Contains(string(changes), want) {
			t.Errorf("CHANGES.txt lacks %q (%v):\n%s", want, err, changes)
		}
	}
	if r, err := store.ReleaseOf(ctx, second.Number); err != nil || r == nil || r.Name != "two" || len(r.Manifest) != 64 {
		t.Errorf("the graph's release of revision %d: %+v %v", second.Number, r, err)
	}
}
