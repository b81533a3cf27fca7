package seed

import (
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
)

func TestDiffListsAddedChangedAndRemoved(t *testing.T) {
	sector := func(id, name, nameFr string) map[string]any {
		row := map[string]any{"id": id, "name": name}
		if nameFr != "" {
			row["nameFr"] = nameFr
		}
		return row
	}
	earlier := &Set{
		Nodes: map[graph.Label][]map[string]any{graph.LabelSector: {
			sector("sector:b", "B", "Bé"), sector("sector:a", "A", ""), sector("sector:gone", "Gone", ""),
		}, graph.LabelChallenge: {sector("challenge:x", "X", "")}},
		Rels: map[graph.RelType][]graph.RelRow{graph.RelServes: {
			{From: "mutual:m", To: "sector:a", Props: map[string]any{"rationale": "serves A"}},
			{From: "mutual:m", To: "sector:b", Props: map[string]any{"rationale": "serves B"}},
		}},
	}
	later := &Set{
		Nodes: map[graph.Label][]map[string]any{graph.LabelSector: {
			sector("sector:a", "A", ""), sector("sector:b", "B2", ""), sector("sector:new", "New", "Nouveau"),
		}},
		Rels: map[graph.RelType][]graph.RelRow{graph.RelServes: {
			{From: "mutual:m", To: "sector:a", Props: map[string]any{"rationale": "serves A, really"}},
		}},
		// No challenges file: the later set says nothing of challenges.
		Files: map[string]bool{"sectors.csv": true, "serves.csv": true},
	}
	d := DiffSets(earlier, later)
	var got []string
	for _, c := range d.Changes {
		line := c.Kind + " " + string(c.Label) + string(c.Type) + " " + c.ID + c.From + ">" + c.To + ":"
		for _, p := range c.Properties {
			line += " " + p.Name + "=" + p.Before + "|" + p.After
		}
		got = append(got, line)
	}
	want := []string{
		"changed Sector sector:b>: name=B|B2 nameFr=Bé|",
		"removed Sector sector:gone>: id=sector:gone| name=Gone|",
		"added Sector sector:new>: id=|sector:new name=|New nameFr=|Nouveau",
		"changed SERVES mutual:m>sector:a: rationale=serves A|serves A, really",
		"removed SERVES mutual:m>sector:b: rationale=serves B|",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	var text strings.Builder
	if err := d.Without(Removed).WriteText(&text, 2); err != nil {
		t.Fatal(err)
	}
	wantText := `~ Sector sector:b
    name: "B" → "B2"
    nameFr: "Bé" → ""
+ Sector sector:new
    id: "sector:new"
    name: "New"
    nameFr: "Nouveau"
… and 1 more
entities: 1 added, 1 changed, 0 removed; links: 0 added, 1 changed, 0 removed
`
	if text.String() != wantText {
		t.Errorf("text:\n%s\nwant\n%s", text.String(), wantText)
	}
	if d := DiffSets(later, later); len(d.Changes) != 0 {
		t.Errorf("a set differs from itself: %+v", d.Changes)
	}
}
