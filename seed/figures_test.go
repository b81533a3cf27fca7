package seed

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shipped set's README states its figures between these marks, as
// FiguresOf counts them: go test ./seed -update rewrites them.
const (
	figuresBegin = "<!-- figures: written by go test ./seed -update -->\n"
	figuresEnd   = "<!-- end of figures -->\n"
)

func TestShippedFiguresAreCurrent(t *testing.T) {
	set, err := Read(Shipped())
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := WriteFigures(&table, FiguresOf(set)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("data", "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(readme), figuresBegin)
	_, after, ok2 := strings.Cut(rest, figuresEnd)
	if !ok || !ok2 {
		t.Fatalf("%s lacks the figures' marks %q and %q", path, figuresBegin, figuresEnd)
	}
	current := before + figuresBegin + table.String() + figuresEnd + after
	if *update {
		if err := os.WriteFile(path, []byte(current), 0o644); err != nil {
			t.Fatal(err)
		}
		readme = []byte(current)
	}
	if string(readme) != current {
		t.Errorf("the figures in %s are out of date: run go test ./seed -update\nnow:\n%s", path, table.String())
	}
}

// The figures count what they say, on a set small enough to count by hand.
func TestFiguresOfASmallSet(t *testing.T) {
	set, err := Read(os.DirFS(filepath.Join("testdata", "valid")))
	if err != nil {
		t.Fatal(err)
	}
	f := FiguresOf(set)
	// testdata/valid: 2 jurisdictions (one citing the source, both named in
	// French), 1 lever, 1 kind (described), 1 source, 1 statute in force;
	// 2 AFFECTS (one STATED, one INFERRED) and 2 HELD_BY without sources;
	// PART_OF makes no claim.
	want := Figures{Nodes: 6, NodesWithSource: 2, Claims: 4, ClaimsWithSource: 2, Stated: 1, Inferred: 1, Dated: 1, Datable: 1, NamedFr: 2, Described: 1}
	if f != want {
		t.Errorf("figures %+v\nwant    %+v", f, want)
	}
}
