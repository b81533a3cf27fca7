package seed

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"

	"github.com/psmgraph/psmgraph/graph"
)

// Exporter is what exporting needs from the graph.
type Exporter interface {
	ExportNodes(ctx context.Context, label graph.Label) ([]map[string]any, error)
	ExportRelationships(ctx context.Context, t graph.RelType) ([]graph.RelRow, error)
}

// Export writes the graph to dir in the layout Read reads: every file, with
// every column of the model, rows ordered by id (relationships by endpoints),
// so that exports of the same graph are identical byte for byte. Properties
// the model does not know are left out. It returns the number of rows written.
func Export(ctx context.Context, g Exporter, dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, err
	}
	total := 0
	for _, nt := range graph.NodeTypes {
		rows, err := g.ExportNodes(ctx, nt.Label)
		if err != nil {
			return total, err
		}
		props := nt.AllProperties()
		records := make([][]string, len(rows))
		for i, row := range rows {
			records[i] = cells(props, row)
		}
		if err := writeCSV(filepath.Join(dir, nt.File), names(props), records); err != nil {
			return total, err
		}
		total += len(rows)
	}
	for _, rt := range graph.RelationshipTypes {
		rows, err := g.ExportRelationships(ctx, rt.Type)
		if err != nil {
			return total, err
		}
		records := make([][]string, len(rows))
		for i, row := range rows {
			records[i] = append([]string{row.From, row.To}, cells(rt.Properties, row.Props)...)
		}
		if err := writeCSV(filepath.Join(dir, rt.File), append([]string{"from", "to"}, names(rt.Properties)...), records); err != nil {
			return total, err
		}
		total += len(rows)
	}
	return total, nil
}

func names(props []graph.Property) []string {
	out := make([]string, len(props))
	for i, p := range props {
		out[i] = p.Name
	}
	return out
}

// cells formats a row's values in the column order of props; a source list
// takes its locators back.
func cells(props []graph.Property, row map[string]any) []string {
	out := make([]string, len(props))
	for i, p := range props {
		v := row[p.Name]
		if p.Type == graph.TypeRefs && row[graph.Locators] != nil {
			v = joinCitations(stringsOf(v), stringsOf(row[graph.Locators]))
		}
		out[i] = graph.FormatCell(v)
	}
	return out
}

// stringsOf reads a list as Neo4j or the reader gives it.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			out[i], _ = x.(string)
		}
		return out
	}
	return nil
}

// writeCSV writes the file whole to a temporary name, then renames it, so
// that an export that fails leaves no half-written file.
func writeCSV(path string, header []string, records [][]string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.csv")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename
	w := csv.NewWriter(tmp)
	if err := w.Write(header); err != nil {
		tmp.Close()
		return err
	}
	if err := w.WriteAll(records); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Cells spells a row's values as a CSV row would hold them, by column: the
// inverse of Row, for changing an entity a cell at a time.
func Cells(props []graph.Property, row map[string]any) map[string]string {
	out := make(map[string]string, len(props))
	for _, p := range props {
		if v, ok := row[p.Name]; ok && v != nil {
			out[p.Name] = graph.FormatCell(v)
		}
	}
	return out
}
