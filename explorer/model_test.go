package explorer_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

var update = flag.Bool("update", false, "rewrite web/js/model.gen.js")

// The explorer's model of the schema, web/js/model.gen.js, is derived from
// the schema, the fields' walks (resolvers.FieldWalk) and the model: adding a
// relationship type or a property needs no edit of the explorer's code.
func TestExplorerModelIsDerived(t *testing.T) {
	path := filepath.Join("web", "js", "model.gen.js")
	want := explorerModel(resolvers.New(nil).Schema())
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Error("web/js/model.gen.js differs from what the schema and the model give: run go test ./explorer -run ExplorerModel -update")
	}
}

// explorerModel writes, for each entity type, its own properties and its
// relationship fields in the schema's order, and for each relationship type
// the properties an edge shows beside its evidence, note and sources.
func explorerModel(schema *ast.Schema) string {
	var b strings.Builder
	b.WriteString(`// Generated from the schema and graph/model.go by go test ./explorer -run ExplorerModel -update: do not edit.

// types are each entity type's own properties and relationship fields, in
// the schema's order: each field's relationship type, its direction (out
// from the entity, or in), and whether it names one neighbour.
export const types = {
`)
	edges := map[graph.RelType]*ast.Definition{} // the edge type of each relationship type's connections
	common := map[string]bool{}
	for _, f := range schema.Types["Entity"].Fields {
		common[f.Name] = true
	}
	for _, name := range schema.PossibleTypes["Entity"] {
		t := schema.Types[name.Name]
		var props, rels []string
		for _, f := range t.Fields {
			if common[f.Name] {
				continue
			}
			if w, single, ok := resolvers.FieldWalk(t.Name, f.Name); ok {
				if restricted(w) && slices.ContainsFunc(t.Fields, func(o *ast.FieldDefinition) bool { return walksAll(t, o, w) }) {
					continue // another field walks the same links to every label
				}
				if !single {
					edges[w.Type] = schema.Types[schema.Types[f.Type.Name()].Fields.ForName("edges").Type.Name()]
				}
				rels = append(rels, fmt.Sprintf("%s: { type: '%s', out: %t, single: %t }", f.Name, w.Type, w.Dir == graph.Out, single))
				continue
			}
			// A date is shown as far as it is known.
			if kind := schema.Types[f.Type.Name()].Kind; (kind == ast.Scalar || kind == ast.Enum) && f.Type.Elem == nil &&
				t.Fields.ForName(f.Name+"AsKnown") == nil {
				props = append(props, "'"+f.Name+"'")
			}
		}
		fmt.Fprintf(&b, "  %s: {\n    props: [%s],\n    rels: {%s},\n  },\n", t.Name, strings.Join(props, ", "), block(rels))
	}
	b.WriteString(`};

// edgeProps are the properties each relationship type's edges show beside
// their evidence, note and sources, as far as its connections' edges have them.
export const edgeProps = {
`)
	for _, rt := range graph.RelationshipTypes {
		var props []string
		for _, p := range rt.Properties {
			if !p.Type.IsList() && p.Name != "evidence" && p.Name != "note" && edges[rt.Type] != nil && edges[rt.Type].Fields.ForName(p.Name) != nil {
				props = append(props, p.Name)
			}
		}
		fmt.Fprintf(&b, "  %s: '%s',\n", rt.Type, strings.Join(props, " "))
	}
	b.WriteString("};\n")
	return b.String()
}

// restricted reports a walk to fewer labels than its links reach.
func restricted(w graph.Walk) bool {
	return len(w.Targets) < len(graph.WalkOf(w.Type, w.Dir).Targets)
}

// walksAll reports whether the type's field f walks w's links to every
// label they reach.
func walksAll(t *ast.Definition, f *ast.FieldDefinition, w graph.Walk) bool {
	o, _, ok := resolvers.FieldWalk(t.Name, f.Name)
	return ok && o.Type == w.Type && o.Dir == w.Dir && !restricted(o)
}

func block(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return "\n      " + strings.Join(items, ",\n      ") + ",\n    "
}
