package seed

import (
	"fmt"
	"io"
	"strings"

	"github.com/psmgraph/psmgraph/graph"
)

// WriteDocs writes docs/csv.md, the data teams' reference to the CSV layout,
// from the model itself, so that it cannot drift from what Read accepts.
func WriteDocs(w io.Writer) error {
	var b strings.Builder
	b.WriteString(`# The CSV data set

A data set is a folder of CSV files: one per node label and one per relationship type,
named as below, in lower case. Every file is optional, but a set has at least one; a CSV file
the model does not know is an error, and so is anything but a regular file (or a symbolic link
to one) in place of a file.
` + "`psmgraph validate DIR`" + ` checks a set without a database, ` + "`psmgraph seed DIR`" + ` loads it, and
` + "`psmgraph export DIR`" + ` writes the graph back in this layout. The shipped set is ` + "`seed/data/`" + `.

This page is generated from the model (` + "`graph/model.go`" + `): ` + "`go test ./seed -update`" + ` rewrites it.

## Conventions

- RFC 4180: comma-separated, a header row naming the columns (in any order), fields with a
  comma, a quote or a line break in double quotes, an inner quote doubled (` + "`\"\"`" + `).
- UTF-8; a byte-order mark is tolerated. Leading and trailing spaces of a cell are ignored.
- No value holds a control character (U+0000 to U+001F, U+007F to U+009F), tabs and line
  breaks included.
- An empty cell is an absent value; a required column must have a value in every row.
- Dates are ISO 8601 calendar dates: ` + "`1999-12-31`" + `, or ` + "`1999-12`" + ` or ` + "`1999`" + ` where only the month or the
  year is known (stored as the first possible day, with its precision beside it). A thing in
  effect on a day is one that certainly started by then and had not certainly ended: begun in
  ` + "`2013`" + `, it is in effect from 2013-12-31; ended in ` + "`2020`" + `, until 2020-12-30. Integers and numbers are plain: ` + "`1998`" + `, ` + "`1700000.5`" + `.
- A source list item may say where the source states the claim, after ` + "`" + LocatorSeparator + "`" + `: ` + "`source:paper@s. 3`" + `. A link
  marked ` + "`STATED`" + ` says it for every source it cites; one marked ` + "`INFERRED`" + ` gives its reasoning in ` + "`rationale`" + `.
  Booleans are ` + "`true`" + ` or ` + "`false`" + `. URLs are absolute ` + "`http`" + ` or ` + "`https`" + ` URLs.
- Lists (such as ` + "`sourceIds`" + ` and ` + "`aliases`" + `) separate their items with ` + "`" + ListSeparator + "`" + `; an item repeated in a
  list is kept once.
- Every node has an id, unique across the whole set: its label's prefix, a colon, and a slug of
  lower-case letters and digits joined by ` + "`.`" + `, ` + "`_`" + ` or ` + "`-`" + `: ` + "`statute:canada-cooperatives-act`" + `.
- A relationship file has the columns ` + "`from`" + ` and ` + "`to`" + ` (node ids) and the relationship's
  properties. A pair of nodes has at most one relationship of each type.
- Limits, checked before anything is written, far above what the data needs and below what
  Neo4j refuses:
` + limits() + `- Errors are reported as ` + "`file:line:column: message`" + `, columns counted in bytes, every error of
  the set at once.
- Loading is an upsert by id: a node's or relationship's properties become exactly those of its
  row (a value emptied in the file is removed from the graph). A second load of the same set
  changes nothing.

## Node files

Every node file has these columns first:

`)
	propertyTable(&b, graph.CommonProperties)
	for _, nt := range graph.NodeTypes {
		fmt.Fprintf(&b, "\n### `%s`: %s\n\n%s Ids start with `%s:`.\n\n", nt.File, nt.Label, nt.Doc, nt.Prefix)
		if len(nt.Properties) > 0 {
			b.WriteString("Its own columns:\n\n")
			propertyTable(&b, nt.Properties)
			b.WriteString("\n")
		}
		props := nt.AllProperties()
		exampleRow(&b, props, map[string]string{"id": nt.Prefix + ":" + slug(nt.Example), "name": nt.Example, "nameFr": ""})
	}
	b.WriteString("\n## Relationship files\n")
	for _, rt := range graph.RelationshipTypes {
		fmt.Fprintf(&b, "\n### `%s`: (%s)-[:%s]->(%s)\n\n%s\n\n", rt.File,
			strings.Join(labelNames(rt.From), "|"), rt.Type, strings.Join(labelNames(rt.To), "|"), rt.Doc)
		ends := []graph.Property{
			{Name: "from", Type: graph.TypeString, Required: true, Doc: "id of a " + strings.Join(labelNames(rt.From), " or ")},
			{Name: "to", Type: graph.TypeString, Required: true, Doc: "id of a " + strings.Join(labelNames(rt.To), " or ")},
		}
		props := append(ends, rt.Properties...)
		propertyTable(&b, props)
		b.WriteString("\n")
		exampleRow(&b, props, map[string]string{"from": exampleID(rt.From[0]), "to": exampleID(rt.To[0])})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func propertyTable(b *strings.Builder, props []graph.Property) {
	b.WriteString("| column | type | required | meaning |\n|---|---|---|---|\n")
	for _, p := range props {
		typ := string(p.Type)
		switch p.Type {
		case graph.TypeEnum:
			typ = "one of `" + strings.Join(p.Values, "`, `") + "`"
		case graph.TypeRefs:
			typ = "ids of " + string(p.Refs) + " nodes"
		case graph.TypeTexts:
			typ = "texts"
		}
		req := ""
		if p.Required {
			req = "yes"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", p.Name, typ, req, p.Doc)
	}
}

// exampleRow writes a header and one row, filling each column from fixed
// values, else the property's example, else nothing.
func exampleRow(b *strings.Builder, props []graph.Property, fixed map[string]string) {
	header := make([]string, len(props))
	row := make([]string, len(props))
	for i, p := range props {
		header[i] = p.Name
		v, ok := fixed[p.Name]
		if !ok {
			v = p.Example
		}
		if strings.ContainsAny(v, ",\"\n") {
			v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
		row[i] = v
	}
	fmt.Fprintf(b, "```csv\n%s\n%s\n```\n", strings.Join(header, ","), strings.Join(row, ","))
}

func exampleID(l graph.Label) string {
	for _, nt := range graph.NodeTypes {
		if nt.Label == l {
			return nt.Prefix + ":" + slug(nt.Example)
		}
	}
	return ""
}

// slug makes an id's slug from a name: "Canada Cooperatives Act" becomes
// "canada-cooperatives-act".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == 'é' || r == 'è' || r == 'ê':
			b.WriteRune('e')
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteRune('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func labelNames(ls []graph.Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = string(l)
	}
	return out
}

// limits lists the limits of a set's values for the docs.
func limits() string {
	return fmt.Sprintf(`  - an id, and every id a row names: at most %s (Neo4j's index refuses keys over about 8 KB);
  - a name (`+"`name`, `nameFr`"+`): at most %s;
  - any other value: at most %s;
  - a list: at most %d ids;
  - a row: at most %s, separators and quotes included.
`, size(MaxIDBytes), size(MaxNameBytes), size(MaxCellBytes), MaxListItems, size(MaxRowBytes))
}
