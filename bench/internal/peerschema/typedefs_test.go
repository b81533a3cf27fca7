package peerschema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/psmgraph/psmgraph/graph"
)

// psmgraphSchema loads psmgraph's own schema from schema/*.graphqls.
func psmgraphSchema(t *testing.T) *ast.Schema {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "schema", "*.graphqls"))
	if err != nil || len(files) == 0 {
		t.Fatalf("psmgraph's schema files: %v", err)
	}
	var sources []*ast.Source
	for _, f := range files {
		data, err := os.ReadFile(f) //nolint:gosec // the repository's schema files
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(data)})
	}
	schema, err := gqlparser.LoadSchema(sources...)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// The peer's types are psmgraph's: every label a type, every property and
// relationship field of the peer one that psmgraph's type has too (a
// relationship field of the same name, properties by name or as sources).
func TestTypeDefsMirrorPsmgraph(t *testing.T) {
	doc, err := parser.ParseSchema(&ast.Source{Name: "typedefs", Input: TypeDefs()})
	if err != nil {
		t.Fatalf("the type definitions do not parse: %v", err)
	}
	ours := psmgraphSchema(t)
	for _, nt := range graph.NodeTypes {
		def := doc.Definitions.ForName(string(nt.Label))
		mirror := ours.Types[string(nt.Label)]
		if def == nil || mirror == nil {
			t.Errorf("%s: peer type %v, psmgraph type %v", nt.Label, def != nil, mirror != nil)
			continue
		}
		if len(def.Directives.ForNames("node")) != 1 {
			t.Errorf("%s is not a @node type", nt.Label)
		}
		for _, f := range def.Fields {
			name := f.Name
			if name == "sourceIds" {
				name = "sources"
			}
			if mirror.Fields.ForName(name) == nil {
				t.Errorf("%s.%s: psmgraph's type has no such field", nt.Label, f.Name)
			}
			if rel := f.Directives.ForName("relationship"); rel != nil && !strings.HasPrefix(f.Type.String(), "[") {
				t.Errorf("%s.%s: a relationship field must be a list", nt.Label, f.Name)
			}
		}
		if want := len(nt.AllProperties()); len(def.Fields) < want {
			t.Errorf("%s has %d fields, fewer than its %d properties", nt.Label, len(def.Fields), want)
		}
	}
}
