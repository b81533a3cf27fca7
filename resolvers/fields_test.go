package resolvers_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/resolvers"
)

// A read fetches only the properties its operation selects. Each field
// asked for alone must then show what it shows beside every other field:
// a field that reads a property of another name (sources, a jurisdiction's
// order) would come back empty. Every field of every node and edge type,
// from the schema, is checked on the shipped data. Each field is asked for
// alone in one operation across every type that has it, and edge fields on
// one relationship field per edge type, since every new selection costs
// Neo4j a new plan.
func TestEachFieldAloneShowsWhatItShowsBesideTheOthers(t *testing.T) {
	a := newAPI(t)
	schema := resolvers.New(nil).Schema()
	lists := rootLists(schema)
	if len(lists) < 13 {
		t.Fatalf("found %d root lists of entities; the model has 13 labels", len(lists))
	}

	// Node fields, looked up by id in one query for all types (nodes), each
	// field aliased by its type: which types have each, and everything at once.
	var ids []string
	// Seven of each type, as nodes takes at most 100 ids.
	for list, nodes := range pagesOf(t, a, "{ "+listAll(lists, 7, "id")+"}") {
		if len(nodes) == 0 {
			t.Fatalf("%s: the shipped data has none", list)
		}
		for _, n := range nodes {
			ids = append(ids, n["id"].(string))
		}
	}
	byID := func(fragments string) map[string]map[string]any {
		q, _ := json.Marshal(ids)
		var out struct{ Nodes []map[string]any }
		a.query(t, "{ nodes(ids: "+string(q)+") { id "+fragments+" } }", &out)
		m := map[string]map[string]any{}
		for _, n := range out.Nodes {
			m[n["id"].(string)] = n
		}
		return m
	}
	var whole strings.Builder
	have := map[string][]string{} // selection → types
	for typ := range lists {
		whole.WriteString("... on " + typ + " {")
		for _, sel := range plainFields(schema, schema.Types[typ]) {
			whole.WriteString(" " + alias(typ, sel))
			have[sel] = append(have[sel], typ)
		}
		whole.WriteString(" } ")
	}
	all := byID(whole.String())
	checked := 0
	for sel, types := range have {
		name, _, _ := strings.Cut(sel, " ")
		var q strings.Builder
		for _, typ := range types {
			q.WriteString("... on " + typ + " { " + alias(typ, sel) + " } ")
		}
		alone := byID(q.String())
		for id, n := range all {
			for _, typ := range types {
				key := typ + "_" + name
				if want, ok := n[key]; ok {
					if got := alone[id][key]; !reflect.DeepEqual(got, want) {
						t.Errorf("%s.%s of %s alone is %v; beside the others, %v", typ, name, id, got, want)
					}
					checked++
				}
			}
		}
	}

	// Edge fields: every field of every edge type, on the first relationship
	// field that has that type.
	type relField struct{ list, field string }
	whole.Reset()
	edgeHave := map[string][]relField{} // selection → relationship fields
	edgeTypes := map[string]bool{}
	for _, typ := range slices.Sorted(maps.Keys(lists)) {
		list := lists[typ]
		var sels []string
		for _, f := range schema.Types[typ].Fields {
			own := edgeFields(schema, f)
			if len(own) == 0 || edgeTypes[f.Type.Name()] {
				continue
			}
			edgeTypes[f.Type.Name()] = true
			sels = append(sels, f.Name+"(first: 25) { edges { node { id } "+strings.Join(own, " ")+" } }")
			for _, sel := range own {
				edgeHave[sel] = append(edgeHave[sel], relField{list, f.Name})
			}
		}
		whole.WriteString(page(list, 25, "id "+strings.Join(sels, " ")))
	}
	withEdges := pagesOf(t, a, "{ "+whole.String()+"}")
	for sel, fields := range edgeHave {
		name, _, _ := strings.Cut(sel, " ")
		byList := map[string][]string{}
		for _, rf := range fields {
			byList[rf.list] = append(byList[rf.list], rf.field+"(first: 25) { edges { "+sel+" } }")
		}
		var q strings.Builder
		for list, sels := range byList {
			q.WriteString(page(list, 25, strings.Join(sels, " ")))
		}
		alone := pagesOf(t, a, "{ "+q.String()+"}")
		for _, rf := range fields {
			for i, n := range withEdges[rf.list] {
				want, got := edgesIn(t, n[rf.field]), edgesIn(t, alone[rf.list][i][rf.field])
				if len(got) != len(want) {
					t.Fatalf("%s of %v: %d edges alone, %d beside the others", rf.field, n["id"], len(got), len(want))
				}
				for j := range want {
					if !reflect.DeepEqual(got[j][name], want[j][name]) {
						t.Errorf("%s of %v, edge to %v: %s alone is %v; beside the others, %v", rf.field, n["id"], want[j]["node"], name, got[j][name], want[j][name])
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d values checked", checked)
}

// alias names a selection by its type and field, since one field name may
// have different types on different types.
func alias(typ, sel string) string {
	name, _, _ := strings.Cut(sel, " ")
	return typ + "_" + name + ": " + sel
}

// page asks a root list for its first nodes, with the selection.
func page(list string, first int, sel string) string {
	return list + "(first: " + strconv.Itoa(first) + ") { edges { node { " + sel + " } } } "
}

// listAll asks every root list for a page with the selection.
func listAll(lists map[string]string, first int, sel string) string {
	var b strings.Builder
	for _, list := range lists {
		b.WriteString(page(list, first, sel))
	}
	return b.String()
}

// rootLists maps each entity type to the root field that lists it.
func rootLists(schema *ast.Schema) map[string]string {
	out := map[string]string{}
	for _, f := range schema.Query.Fields {
		typ, ok := strings.CutSuffix(f.Type.Name(), "Connection")
		if ok && schema.Types[typ] != nil && schema.Types[typ].Kind == ast.Object && implements(schema.Types[typ], "Entity") {
			out[typ] = f.Name
		}
	}
	return out
}

func implements(def *ast.Definition, iface string) bool {
	for _, i := range def.Interfaces {
		if i == iface {
			return true
		}
	}
	return false
}

// plainFields are a type's fields that take no arguments, as selections:
// scalars and enums by name, objects by their id, or by their own plain
// fields when they have no id.
func plainFields(schema *ast.Schema, def *ast.Definition) []string {
	var out []string
	for _, f := range def.Fields {
		if len(f.Arguments) > 0 || strings.HasPrefix(f.Name, "__") || f.Name == "node" {
			continue
		}
		switch schema.Types[f.Type.Name()].Kind {
		case ast.Scalar, ast.Enum:
			out = append(out, f.Name)
		case ast.Object, ast.Interface:
			t := schema.Types[f.Type.Name()]
			if t.Fields.ForName("id") != nil {
				out = append(out, f.Name+" { id }")
			} else {
				out = append(out, f.Name+" { "+strings.Join(plainFields(schema, t), " ")+" }")
			}
		}
	}
	return out
}

// edgeFields are the edge's own fields of a relationship field, as
// selections; none for a field that is not a relationship's.
func edgeFields(schema *ast.Schema, f *ast.FieldDefinition) []string {
	conn := schema.Types[f.Type.Name()]
	if f.Arguments.ForName("first") == nil || conn == nil || conn.Fields.ForName("edges") == nil {
		return nil
	}
	var own []string
	for _, sel := range plainFields(schema, schema.Types[conn.Fields.ForName("edges").Type.Name()]) {
		if sel != "cursor" {
			own = append(own, sel)
		}
	}
	return own
}

// pagesOf are the nodes of each root list an operation asks for.
func pagesOf(t *testing.T, a *api, q string) map[string][]map[string]any {
	t.Helper()
	var out map[string]struct {
		Edges []struct{ Node map[string]any }
	}
	a.query(t, q, &out)
	pages := map[string][]map[string]any{}
	for list, page := range out {
		for _, e := range page.Edges {
			pages[list] = append(pages[list], e.Node)
		}
	}
	return pages
}

// edgesIn are the edges of a connection as decoded into a map.
func edgesIn(t *testing.T, conn any) []map[string]any {
	t.Helper()
	raw, err := json.Marshal(conn)
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Edges []map[string]any }
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Edges
}
