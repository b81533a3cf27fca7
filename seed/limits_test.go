package seed

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/psmgraph/psmgraph/graph"
)

func repeat(s string, n int) string { return strings.Repeat(s, n) }

// idOf returns an id of the prefix n bytes long.
func idOf(prefix string, n int) string { return prefix + ":" + repeat("a", n-len(prefix)-1) }

// Every cell is bounded, and holds no control character: what validates is
// what Neo4j stores, and a row at every limit is accepted.
func TestCellLimits(t *testing.T) {
	items := func(n int, item string) string {
		list := make([]string, n)
		for i := range list {
			list[i] = item
		}
		return strings.Join(list, ";")
	}
	rows := []string{
		"id,name,nameFr,description,code,country,level,sourceIds",
		// 2: every cell at its limit, the list repeating one id
		idOf("jurisdiction", MaxIDBytes) + "," + repeat("n", MaxNameBytes) + ",Nom," + repeat("d", MaxCellBytes) + ",CA,CA,NATIONAL," + items(MaxListItems, "source:a"),
		// 3 and on: one cell over a limit each
		idOf("jurisdiction", MaxIDBytes+1) + ",A,,,CA,CA,NATIONAL,",
		"jurisdiction:b," + repeat("n", MaxNameBytes+1) + ",,,CA,CA,NATIONAL,",
		"jurisdiction:c,C," + repeat("n", MaxNameBytes+1) + ",,CA,CA,NATIONAL,",
		"jurisdiction:d,D,,," + repeat("c", MaxCellBytes+1) + ",CA,NATIONAL,",
		"jurisdiction:e,E,,,CA,CA,NATIONAL," + items(MaxListItems+1, "source:a"),
		"jurisdiction:f,F,,,CA,CA,NATIONAL,source:a;" + idOf("source", MaxIDBytes+1),
		// 9 and on: control characters
		"jurisdiction:g,Ca\x00nada,,,CA,CA,NATIONAL,",
		"jurisdiction:h,H,\x1b[31mRouge,,CA,CA,NATIONAL,",
		"jurisdiction:i,I,,\"two\nlines\",CA,CA,NATIONAL,",
		"jurisdiction:j,J,,a\tb,CA,CA,NATIONAL,",
		"jurisdiction:k,K\u009b2J,,,CA,CA,NATIONAL,",
		"jurisdiction:l,L,,,CA\x7f,CA,NATIONAL,",
		"  jurisdiction:m , M\t,,,CA,CA,NATIONAL,", // spaces and tabs around a value are trimmed
	}
	fsys := fstest.MapFS{
		"sources.csv":       {Data: []byte("id,name\nsource:a,A\n")},
		"jurisdictions.csv": {Data: []byte(strings.Join(rows, "\n") + "\n")},
	}
	want := []string{
		"jurisdictions.csv:3:1: id: 257 bytes, longer than 256 bytes, the limit of an id",
		"jurisdictions.csv:4:16: name: 1025 bytes, longer than 1 KiB, the limit of a name",
		"jurisdictions.csv:5:18: nameFr: 1025 bytes, longer than 1 KiB, the limit of a name",
		"jurisdictions.csv:6:20: code: 65537 bytes, longer than 64 KiB, the limit of a cell",
		"jurisdictions.csv:7:35: sourceIds: 101 items, more than 100, the limit of a list",
		"jurisdictions.csv:8:35: sourceIds: an id of 257 bytes, longer than 256 bytes, the limit of an id",
		"jurisdictions.csv:9:16: name: control character U+0000 at byte 3: a value holds no control characters, tabs and line breaks included",
		"jurisdictions.csv:10:18: nameFr: control character U+001B at byte 1: a value holds no control characters, tabs and line breaks included",
		"jurisdictions.csv:11:19: description: control character U+000A at byte 4: a value holds no control characters, tabs and line breaks included",
		"jurisdictions.csv:13:19: description: control character U+0009 at byte 2: a value holds no control characters, tabs and line breaks included",
		"jurisdictions.csv:14:16: name: control character U+009B at byte 2: a value holds no control characters, tabs and line breaks included",
		"jurisdictions.csv:15:20: code: control character U+007F at byte 3: a value holds no control characters, tabs and line breaks included",
	}
	set, err := Read(fsys)
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("Read = %v, %v; want problems", set, err)
	}
	if got := strings.Split(problems.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The rows without a problem are what a load would write.
	delete(fsys, "jurisdictions.csv")
	fsys["jurisdictions.csv"] = &fstest.MapFile{Data: []byte(strings.Join([]string{rows[0], rows[1], rows[len(rows)-1]}, "\n"))}
	set, err = Read(fsys)
	if err != nil {
		t.Fatal(err)
	}
	atLimits, trimmed := set.Nodes[graph.LabelJurisdiction][0], set.Nodes[graph.LabelJurisdiction][1]
	if got := atLimits["sourceIds"]; !reflect.DeepEqual(got, []string{"source:a"}) {
		t.Errorf("sourceIds %v: want the repeated id once", got)
	}
	if trimmed["id"] != "jurisdiction:m" || trimmed["name"] != "M" {
		t.Errorf("row with spaces around its values: %v", trimmed)
	}
}

// A row is bounded as a whole, not only cell by cell.
func TestRowLimit(t *testing.T) {
	cell := repeat("d", MaxCellBytes-1)
	row := "jurisdiction:a," + cell + "," + cell + "," + cell + "," + cell + ",CA,NATIONAL,"
	fsys := fstest.MapFS{"jurisdictions.csv": {Data: []byte("id,name,nameFr,description,code,country,level,sourceIds\n" + row + "\n")}}
	want := fmt.Sprintf("jurisdictions.csv:2:%d: row longer than 256 KiB, the limit of a row", MaxRowBytes+1)
	if got := problemsOf(t, fsys); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

// A mutation's properties are held to the same limits as a file's row,
// with the same messages.
func TestRowAppliesTheLimits(t *testing.T) {
	nt, _ := graph.NodeTypeFor(graph.LabelJurisdiction)
	props := nt.AllProperties()
	base := map[string]string{"id": "jurisdiction:a", "name": "A", "code": "CA", "country": "CA", "level": "NATIONAL"}
	with := func(name, value string) map[string]string {
		cells := map[string]string{}
		for k, v := range base {
			cells[k] = v
		}
		cells[name] = value
		return cells
	}
	for _, tc := range []struct {
		cells map[string]string
		want  string
	}{
		{with("name", repeat("n", MaxNameBytes+1)), "name: 1025 bytes, longer than 1 KiB, the limit of a name"},
		{with("note", repeat("n", MaxCellBytes+1)), "note: 65537 bytes, longer than 64 KiB, the limit of a cell"},
		{with("name", "Ca\x00nada"), "name: control character U+0000 at byte 3: a value holds no control characters, tabs and line breaks included"},
		{with("description", "\x1b]0;title\x07"), "description: control character U+001B at byte 1: a value holds no control characters, tabs and line breaks included"},
		{with("sourceIds", strings.Repeat("source:a;", MaxListItems)+"source:b"), "sourceIds: 101 items, more than 100, the limit of a list"},
		{with("id", idOf("jurisdiction", MaxIDBytes+1)), "id: 257 bytes, longer than 256 bytes, the limit of an id"},
		{map[string]string{"id": "jurisdiction:a", "name": "A", "code": "CA", "country": "CA", "level": "NATIONAL",
			"description": repeat("d", MaxCellBytes), "descriptionFr": repeat("d", MaxCellBytes), "note": repeat("d", MaxCellBytes), "nameFr": repeat("d", MaxCellBytes)},
			"properties of 262171 bytes together, longer than 256 KiB, the limit of a row"},
	} {
		_, _, err := Row(props, tc.cells)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Row: %v\nwant: %s", err, tc.want)
		}
	}
	row, refs, err := Row(props, with("sourceIds", "source:a; source:b;source:a"))
	if err != nil || !reflect.DeepEqual(row["sourceIds"], []string{"source:a", "source:b"}) || len(refs) != 2 {
		t.Errorf("Row = %v, %v, %v; want the repeated source once", row, refs, err)
	}
	if err := CheckID(nt, idOf("jurisdiction", 9000)); err == nil || err.Error() != "9000 bytes, longer than 256 bytes, the limit of an id" {
		t.Errorf("CheckID of a long id: %v", err)
	}
}
