package shape

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// A generated set is valid as psmgraph seed reads it, holds the landmarks
// at every size, and is the same each time for the same size.
func TestGenerateIsValidAndRepeatable(t *testing.T) {
	for _, size := range []Size{{Nodes: 300}, {Nodes: 3000}, {Rels: 2000}} {
		a, b := t.TempDir(), t.TempDir()
		ds, err := Generate(a, size)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Generate(b, size); err != nil {
			t.Fatal(err)
		}
		set, err := seed.Read(os.DirFS(a))
		if err != nil {
			t.Fatalf("%+v: the set is invalid: %v", size, err)
		}
		ids := map[string]bool{}
		for _, rows := range set.Nodes {
			for _, r := range rows {
				ids[r["id"].(string)] = true
			}
		}
		for _, id := range append([]string{Kind, Commitment, Lever}, ds.Samples...) {
			if !ids[id] {
				t.Errorf("%+v: no node %s", size, id)
			}
		}
		if size.Nodes > 0 && (ds.NodeRows() < size.Nodes*9/10 || ds.NodeRows() > size.Nodes*11/10) {
			t.Errorf("%+v: %d nodes", size, ds.NodeRows())
		}
		if size.Rels > 0 && ds.RelRows() != size.Rels {
			t.Errorf("%+v: %d relationship rows", size, ds.RelRows())
		}
		if len(ds.Rels) != len(graph.RelationshipTypes) && size.Rels == 0 {
			t.Errorf("%+v: %d of the %d relationship types", size, len(ds.Rels), len(graph.RelationshipTypes))
		}
		for _, f := range ds.Files {
			x, _ := os.ReadFile(filepath.Join(a, f))
			y, _ := os.ReadFile(filepath.Join(b, f))
			if !bytes.Equal(x, y) {
				t.Errorf("%+v: %s differs between two runs", size, f)
			}
		}
	}
}
