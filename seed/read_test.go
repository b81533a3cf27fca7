package seed

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// Each folder under testdata/invalid is a broken data set; want.txt beside
// its CSV files holds the exact report. Adding a case is adding a folder;
// `go test ./seed -update` writes want.txt for a new one (read it before
// committing).
func TestInvalidSetsReportEveryProblem(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "invalid", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			set, err := Read(os.DirFS(dir))
			var problems Problems
			if !errors.As(err, &problems) || set != nil {
				t.Fatalf("Read = %v, %v; want Problems and no set", set, err)
			}
			golden := filepath.Join(dir, "want.txt")
			got := problems.Error() + "\n"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("report:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestValidSetConverts(t *testing.T) {
	set, err := Read(os.DirFS(filepath.Join("testdata", "valid")))
	if err != nil {
		t.Fatal(err)
	}
	if n := set.Rows(); n != 11 {
		t.Errorf("%d rows, want 11", n)
	}
	statute := set.Nodes[graph.LabelStatute][0]
	want := map[string]any{
		"id": "statute:ca-coops", "name": "Canada Cooperatives Act", "citation": "S.C. 1998, c. 1",
		"enacted": time.Date(1998, 3, 31, 0, 0, 0, 0, time.UTC),
		"inForce": time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	if !reflect.DeepEqual(statute, want) {
		t.Errorf("statute row %v, want %v (empty end absent)", statute, want)
	}
	if year := set.Nodes[graph.LabelSource][0]["year"]; year != int64(2016) {
		t.Errorf("year %#v, want int64 2016", year)
	}
	kind := set.Nodes[graph.LabelMutualKind][0]["description"]
	if kind != `Leaves government, keeps serving the public; a "mutual".` {
		t.Errorf("quoted description read as %q", kind)
	}
	affects := set.Rels[graph.RelAffects] // the second lists its source twice
	if len(affects) != 2 || !reflect.DeepEqual(affects[1].Props["sourceIds"], []string{"source:paper"}) {
		t.Errorf("affects %+v", affects)
	}
	// A locator after @ is kept beside the ids, in their order; a list
	// without one stores none.
	stated := affects[0].Props
	if !reflect.DeepEqual(stated["sourceIds"], []string{"source:paper"}) || !reflect.DeepEqual(stated[graph.Locators], []string{"p. 2"}) || stated["evidence"] != graph.Stated {
		t.Errorf("a stated link read as %v", stated)
	}
	if _, ok := affects[1].Props[graph.Locators]; ok {
		t.Errorf("a link without locators stores %v", affects[1].Props[graph.Locators])
	}
}

// Strict checks want evidence and a source on every claim, a source on
// every entity but a source, and a date or a note on statutes; the default
// checks want none of it.
func TestStrictChecks(t *testing.T) {
	dir := os.DirFS(filepath.Join("testdata", "valid"))
	if _, err := ReadWith(t.Context(), dir, Checks{}); err != nil {
		t.Fatalf("default checks: %v", err)
	}
	_, err := ReadWith(t.Context(), dir, Checks{Strict: true})
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("strict checks: %v; want problems", err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		"held_by.csv:2:1: sourceIds: strict checks want a source on every HELD_BY",
		"held_by.csv:2:1: evidence: strict checks want STATED or INFERRED on every HELD_BY",
		"jurisdictions.csv:3:1: sourceIds: strict checks want a source on every entity",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("strict problems lack %q:\n%s", w, strings.Join(got, "\n"))
		}
	}
	for _, g := range got {
		if strings.HasPrefix(g, "affects.csv") || strings.HasPrefix(g, "sources.csv") || strings.HasPrefix(g, "statutes.csv:2:1: inForce") {
			t.Errorf("strict problem where the set holds what is wanted: %s", g)
		}
	}
}

func TestBOMAndCRLFAreTolerated(t *testing.T) {
	set, err := Read(os.DirFS(filepath.Join("testdata", "valid-bom-crlf")))
	if err != nil {
		t.Fatal(err)
	}
	if got := set.Nodes[graph.LabelJurisdiction][0]["id"]; got != "jurisdiction:ca" {
		t.Errorf("first id %q: the BOM leaked into the header or the value", got)
	}
}

func TestAliasesConvert(t *testing.T) {
	aliases, ok := graph.PropertyOf([]graph.Label{graph.LabelStatute}, "aliases")
	if !ok || aliases.Type != graph.TypeTexts {
		t.Fatalf("aliases: %+v", aliases)
	}
	got, err := convert(aliases, "CBCA; LCSA ;CBCA")
	if err != nil || !slices.Equal(got.([]string), []string{"CBCA", "LCSA"}) {
		t.Errorf("CBCA; LCSA ;CBCA: %v, %v; want [CBCA LCSA], a repeat kept once", got, err)
	}
	for cell, want := range map[string]string{
		"CBCA;;LCSA":                             "empty item",
		strings.Repeat("A", MaxNameBytes+1):      "the limit of a name",
		strings.Repeat("A;", MaxListItems) + "A": "the limit of a list",
	} {
		if _, err := convert(aliases, cell); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.20q: %v, want %q", cell, err, want)
		}
	}
}
