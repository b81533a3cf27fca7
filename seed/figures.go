package seed

import (
	"fmt"
	"io"

	"github.com/psmgraph/psmgraph/graph"
)

// Figures are what a data set holds and how well it is sourced: the counts
// a curator reports and a reader checks.
type Figures struct {
	Nodes, NodesWithSource int
	// Claims are the relationships that carry evidence.
	Claims, ClaimsWithSource, Stated, Inferred int
	// Dated counts the statutes with an in-force date and the programmes
	// and procurement programmes with a start; Datable counts them all.
	Dated, Datable int
	// Ended counts those of them with an end.
	Ended int
	// NamedFr and DescribedFr count the entities with a French name and a
	// French description; Described counts those with an English one.
	NamedFr, Described, DescribedFr int
}

// FiguresOf counts a set's figures.
func FiguresOf(set *Set) Figures {
	var f Figures
	start := map[graph.Label]string{
		graph.LabelStatute:              "inForce",
		graph.LabelProgramme:            "start",
		graph.LabelProcurementProgramme: "start",
	}
	for _, nt := range graph.NodeTypes {
		for _, row := range set.Nodes[nt.Label] {
			f.Nodes++
			if ids, _ := row["sourceIds"].([]string); len(ids) > 0 || nt.Label == graph.LabelSource {
				f.NodesWithSource++
			}
			if date, ok := start[nt.Label]; ok {
				f.Datable++
				if row[date] != nil {
					f.Dated++
				}
				if row["end"] != nil {
					f.Ended++
				}
			}
			if nt.Label == graph.LabelSource {
				continue // documents keep the language they are written in
			}
			if row["nameFr"] != nil {
				f.NamedFr++
			}
			if row["description"] != nil {
				f.Described++
			}
			if row["descriptionFr"] != nil {
				f.DescribedFr++
			}
		}
	}
	for _, rt := range graph.RelationshipTypes {
		if !rt.MakesClaim() {
			continue
		}
		for _, rel := range set.Rels[rt.Type] {
			f.Claims++
			if ids, _ := rel.Props["sourceIds"].([]string); len(ids) > 0 {
				f.ClaimsWithSource++
			}
			switch rel.Props["evidence"] {
			case graph.Stated:
				f.Stated++
			case graph.Inferred:
				f.Inferred++
			}
		}
	}
	return f
}

// WriteFigures writes the figures as a Markdown table.
func WriteFigures(w io.Writer, f Figures) error {
	rows := [][2]string{
		{"entities", fmt.Sprint(f.Nodes)},
		{"entities that cite a source (sources count as their own)", fmt.Sprint(f.NodesWithSource)},
		{"links that make a claim (all but PART_OF, OF and LOCATED_IN)", fmt.Sprint(f.Claims)},
		{"of them citing a source", fmt.Sprint(f.ClaimsWithSource)},
		{"of them STATED by their sources, each at a located place", fmt.Sprint(f.Stated)},
		{"of them INFERRED, with the reasoning in their rationale", fmt.Sprint(f.Inferred)},
		{"of them not yet marked either way", fmt.Sprint(f.Claims - f.Stated - f.Inferred)},
		{"statutes and programmes with an in-force or start date", fmt.Sprintf("%d of %d", f.Dated, f.Datable)},
		{"statutes and programmes with an end", fmt.Sprint(f.Ended)},
		{"entities (not sources) with a French name", fmt.Sprint(f.NamedFr)},
		{"entities with a description in English, and in French", fmt.Sprintf("%d, %d", f.Described, f.DescribedFr)},
	}
	if _, err := fmt.Fprintln(w, "| figure | count |\n|---|---|"); err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "| %s | %s |\n", r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}
