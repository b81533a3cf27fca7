package compile_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// opGen writes query operations from the schema: it knows no field by
// name, so that it covers what the schema gains. Lists, walks and nodes
// nest to maxDepth; arguments, aliases, fragments, variables and
// directives are drawn at random, from a seed, so that a failure repeats.
type opGen struct {
	schema   *ast.Schema
	rnd      *rand.Rand
	ids      []string // ids of the graph, for node, nodes and cursors
	maxDepth int
	// analysis is set while writing an analysis's root field.
	analysis bool

	frags   []string
	varDefs []string
	vars    map[string]any
	// keys are the response keys of each selection set being written,
	// the innermost last.
	keys []map[string]bool
}

func newOpGen(schema *ast.Schema, ids []string, seed uint64) *opGen {
	return &opGen{schema: schema, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), ids: ids, maxDepth: 4}
}

// op is a generated operation and its variables.
type op struct {
	query string
	vars  map[string]any
}

// build wraps root fields in an operation, with the fragments and
// variables they use.
func (g *opGen) build(body string) op {
	var b strings.Builder
	b.WriteString("query Generated")
	if len(g.varDefs) > 0 {
		b.WriteString("(" + strings.Join(g.varDefs, ", ") + ")")
	}
	b.WriteString(" { " + body + " }")
	for _, f := range g.frags {
		b.WriteString("\n" + f)
	}
	o := op{query: b.String(), vars: g.vars}
	g.frags, g.varDefs, g.vars = nil, nil, map[string]any{}
	return o
}

// random writes an operation of one to three root fields.
func (g *opGen) random() op {
	g.vars = map[string]any{}
	return g.build(g.in(func() string {
		var roots []string
		for range 1 + g.rnd.IntN(3) {
			roots = append(roots, g.root())
		}
		return strings.Join(roots, " ")
	}))
}

// rootFields are the Query fields, which the planner compiles.
func (g *opGen) rootFields() []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	for _, f := range g.schema.Query.Fields {
		if !strings.HasPrefix(f.Name, "__") {
			out = append(out, f)
		}
	}
	return out
}

func (g *opGen) root() string {
	fields := g.rootFields()
	f := fields[g.rnd.IntN(len(fields))]
	// The planner leaves aggregates below an analysis's nodes to the
	// resolvers (TestDeclinedOperationsSayWhyAndAreAnswered).
	g.analysis = f.Name != "node" && f.Name != "nodes" && !strings.HasSuffix(f.Type.Name(), "Connection")
	return g.alias(f.Name, false) + g.args(f, 0) + g.directive() + " " + g.selection(f.Type.Name(), 1)
}

// in writes a selection set with write, its response keys apart from
// those of the sets around it.
func (g *opGen) in(write func() string) string {
	g.keys = append(g.keys, map[string]bool{})
	defer func() { g.keys = g.keys[:len(g.keys)-1] }()
	return write()
}

// alias sometimes renames a field, and always where its name is a key of
// the selection set already and the field is not a leaf without
// arguments: GraphQL merges the fields of one key, and refuses them where
// their arguments or selections may differ.
func (g *opGen) alias(name string, leaf bool) string {
	keys := g.keys[len(g.keys)-1]
	if g.rnd.IntN(5) != 0 && (leaf || !keys[name]) {
		keys[name] = true
		return name
	}
	key := fmt.Sprintf("a%d", g.rnd.IntN(1000))
	for keys[key] {
		key = fmt.Sprintf("a%d", g.rnd.IntN(1000))
	}
	keys[key] = true
	return key + ": " + name
}

// directive sometimes adds @include or @skip on a variable.
func (g *opGen) directive() string {
	if g.rnd.IntN(10) != 0 {
		return ""
	}
	name := fmt.Sprintf("d%d", len(g.varDefs))
	g.varDefs = append(g.varDefs, "$"+name+": Boolean!")
	g.vars[name] = g.rnd.IntN(2) == 0
	if g.rnd.IntN(2) == 0 {
		return " @include(if: $" + name + ")"
	}
	return " @skip(if: $" + name + ")"
}

// variable passes a value as a variable of the type, sometimes.
func (g *opGen) variable(typ string, literal string, value any) string {
	if g.rnd.IntN(4) != 0 {
		return literal
	}
	name := fmt.Sprintf("v%d", len(g.varDefs))
	g.varDefs = append(g.varDefs, "$"+name+": "+typ)
	g.vars[name] = value
	return "$" + name
}

// args writes a field's arguments: ids of the graph for node and nodes,
// paging, filters and orders for lists.
func (g *opGen) args(f *ast.FieldDefinition, depth int) string {
	var out []string
	ordered, after := false, false
	target := strings.TrimSuffix(f.Type.Name(), "Connection")
	for _, a := range f.Arguments {
		switch a.Name {
		case "id", "from", "to":
			id := g.id()
			out = append(out, a.Name+": "+g.variable("ID!", fmt.Sprintf("%q", id), id))
		case "kind":
			id := g.idOf("kind:")
			out = append(out, "kind: "+g.variable("ID!", fmt.Sprintf("%q", id), id))
		case "kinds", "jurisdictions":
			// Always where the field requires them.
			if a.Type.NonNull && a.DefaultValue == nil || g.rnd.IntN(3) == 0 {
				prefix := map[string]string{"kinds": "kind:", "jurisdictions": "jurisdiction:"}[a.Name]
				out = append(out, fmt.Sprintf("%s: [%q, %q]", a.Name, g.idOf(prefix), g.idOf(prefix)))
			}
		case "maxHops":
			// Short traces: a long one through the generated graph takes
			// long to find nothing.
			if g.rnd.IntN(2) == 0 {
				out = append(out, fmt.Sprintf("maxHops: %d", 1+g.rnd.IntN(3)))
			}
		case "via", "orders":
			if g.rnd.IntN(3) == 0 {
				values := g.schema.Types[a.Type.Name()].EnumValues
				out = append(out, a.Name+": ["+values[g.rnd.IntN(len(values))].Name+", "+values[g.rnd.IntN(len(values))].Name+"]")
			}
		case "statedOnly", "unaddressedOnly":
			if g.rnd.IntN(3) == 0 {
				out = append(out, fmt.Sprintf("%s: %v", a.Name, g.rnd.IntN(2) == 0))
			}
		case "left", "right":
			out = append(out, a.Name+": "+g.side(a.Type.Name()))
		case "ids":
			var ids []string
			for range 1 + g.rnd.IntN(4) {
				ids = append(ids, g.id())
			}
			if g.rnd.IntN(4) == 0 {
				ids = append(ids, "nothing:here")
			}
			quoted := make([]string, len(ids))
			for i, id := range ids {
				quoted[i] = fmt.Sprintf("%q", id)
			}
			out = append(out, "ids: ["+strings.Join(quoted, ", ")+"]")
		case "first":
			if g.rnd.IntN(3) != 0 {
				n := g.rnd.IntN(6 - min(depth, 3))
				out = append(out, "first: "+g.variable("Int", fmt.Sprint(n), n))
			}
		case "orderBy":
			if g.rnd.IntN(3) == 0 {
				out = append(out, "orderBy: "+g.orderBy(target))
				ordered = true
			}
		case "where":
			if g.rnd.IntN(3) == 0 {
				out = append(out, "where: "+g.where(a.Type.Name(), 0))
			}
		case "after":
			if g.rnd.IntN(6) == 0 {
				after = true
			}
		case "since", "until":
			if g.rnd.IntN(4) == 0 {
				out = append(out, fmt.Sprintf("%s: %d", a.Name, g.rnd.IntN(4)))
			}
		case "entity":
			if g.rnd.IntN(3) == 0 {
				id := g.id()
				out = append(out, "entity: "+g.variable("ID", fmt.Sprintf("%q", id), id))
			}
		case "actor":
			if g.rnd.IntN(6) == 0 {
				out = append(out, `actor: "nobody"`)
			}
		case "inEffectOn", "asOf":
			if g.rnd.IntN(6) == 0 {
				out = append(out, fmt.Sprintf("%s: %q", a.Name, g.date()))
			}
		case "text":
			words := []string{"co", "operative", "mutual", "health", "act", "programme", "québec", "spin"}
			text := words[g.rnd.IntN(len(words))]
			if g.rnd.IntN(2) == 0 {
				text += " " + words[g.rnd.IntN(len(words))]
			}
			out = append(out, "text: "+g.variable("String!", fmt.Sprintf("%q", text), text))
		case "types":
			if g.rnd.IntN(3) == 0 {
				values := g.schema.Types["EntityType"].EnumValues
				out = append(out, "types: ["+values[g.rnd.IntN(len(values))].Name+", "+values[g.rnd.IntN(len(values))].Name+"]")
			}
		case "edgeWhere":
			// Conditions on the relationships' own properties.
			if g.rnd.IntN(4) == 0 {
				out = append(out, "edgeWhere: "+g.where(a.Type.Name(), 1))
			}
		case "edgeOrderBy":
			if g.rnd.IntN(4) == 0 {
				field := g.schema.Types[a.Type.Name()].Fields.ForName("field").Type.Name()
				values := g.schema.Types[field].EnumValues
				dir := []string{"", ", direction: DESC"}[g.rnd.IntN(2)]
				out = append(out, "edgeOrderBy: [{field: "+values[g.rnd.IntN(len(values))].Name+dir+"}]")
				ordered = true
			}
		case "includeUndated":
			if g.rnd.IntN(4) == 0 {
				out = append(out, fmt.Sprintf("includeUndated: %v", g.rnd.IntN(2) == 0))
			}
		}
	}
	if after {
		// A cursor of the list's order: after an id, or an offset; in the
		// change log, after a change.
		c := resolvers.IDCursor(g.id())
		switch {
		case target == "Change":
			c = resolvers.ChangeCursor(graph.Change{Revision: graph.Revision{Number: 1 + g.rnd.IntN(3)}, Seq: g.rnd.IntN(3), Item: g.rnd.IntN(3)})
		case ordered:
			c = resolvers.OffsetCursor(g.rnd.IntN(4))
		}
		out = append(out, "after: "+g.variable("String", fmt.Sprintf("%q", c), c))
	}
	if len(out) == 0 {
		return ""
	}
	return "(" + strings.Join(out, ", ") + ")"
}

func (g *opGen) id() string { return g.ids[g.rnd.IntN(len(g.ids))] }

// idOf is an id with the prefix, mostly: now and then any id.
func (g *opGen) idOf(prefix string) string {
	var of []string
	for _, id := range g.ids {
		if strings.HasPrefix(id, prefix) {
			of = append(of, id)
		}
	}
	if len(of) == 0 || g.rnd.IntN(8) == 0 {
		return g.id()
	}
	return of[g.rnd.IntN(len(of))]
}

func (g *opGen) date() string {
	return fmt.Sprintf("%d-%02d-%02d", 1990+g.rnd.IntN(36), 1+g.rnd.IntN(12), 1+g.rnd.IntN(28))
}

// side writes one side of a comparison: some jurisdictions, some orders
// of government, or both.
func (g *opGen) side(input string) string {
	orders := g.schema.Types[g.schema.Types[input].Fields.ForName("orders").Type.Name()].EnumValues
	jurisdictions := fmt.Sprintf("jurisdictions: [%q]", g.idOf("jurisdiction:"))
	order := "orders: [" + orders[g.rnd.IntN(len(orders))].Name + "]"
	return "{" + []string{jurisdictions, order, jurisdictions + ", " + order}[g.rnd.IntN(3)] + "}"
}

// orderBy writes one or two sort keys that the target's label has.
func (g *opGen) orderBy(target string) string {
	var valid []string
	for _, v := range g.schema.Types["SortField"].EnumValues {
		if _, ok := graph.PropertyOf([]graph.Label{graph.Label(target)}, propertyOf(v.Name)); ok || target == "Entity" && v.Name == "NAME" {
			valid = append(valid, v.Name)
		}
	}
	var keys []string
	for _, i := range g.rnd.Perm(len(valid))[:min(len(valid), 1+g.rnd.IntN(2))] {
		dir := []string{"", ", direction: ASC", ", direction: DESC"}[g.rnd.IntN(3)]
		keys = append(keys, "{field: "+valid[i]+dir+"}")
	}
	return "[" + strings.Join(keys, ", ") + "]"
}

// propertyOf is the property a SortField names: IN_FORCE is inForce.
func propertyOf(field string) string {
	words := strings.Split(strings.ToLower(field), "_")
	for i := 1; i < len(words); i++ {
		words[i] = string(unicode.ToUpper(rune(words[i][0]))) + words[i][1:]
	}
	return strings.Join(words, "")
}

// where writes a filter of the input type: one or two conditions, on
// properties or, not too deep, on relationships.
func (g *opGen) where(input string, depth int) string {
	def := g.schema.Types[input]
	var conds []string
	used := map[string]bool{} // an input object names each field once
	for range 1 + g.rnd.IntN(2) {
		f := def.Fields[g.rnd.IntN(len(def.Fields))]
		if used[f.Name] {
			continue
		}
		used[f.Name] = true
		inner := g.schema.Types[f.Type.Name()]
		switch {
		case f.Name == "AND" || f.Name == "OR":
			if depth < 2 {
				conds = append(conds, f.Name+": ["+g.where(input, depth+1)+", "+g.where(input, depth+1)+"]")
			}
		case f.Name == "NOT":
			if depth < 2 {
				conds = append(conds, "NOT: "+g.where(input, depth+1))
			}
		case strings.HasSuffix(inner.Name, "Relation"):
			if depth < 1 {
				q := inner.Fields[g.rnd.IntN(len(inner.Fields))] // a quantifier
				conds = append(conds, f.Name+": {"+q.Name+": "+g.where(q.Type.Name(), depth+1)+"}")
			}
		default:
			if c := g.condition(inner); c != "" {
				conds = append(conds, f.Name+": "+c)
			}
		}
	}
	return "{" + strings.Join(conds, ", ") + "}"
}

// condition writes one operator of a scalar filter, with a value likely to
// match some nodes.
func (g *opGen) condition(filter *ast.Definition) string {
	f := filter.Fields[g.rnd.IntN(len(filter.Fields))]
	value := func(t *ast.Type) string {
		switch named := g.schema.Types[t.Name()]; {
		case named.Kind == ast.Enum:
			return named.EnumValues[g.rnd.IntN(len(named.EnumValues))].Name
		case t.Name() == "Int":
			return fmt.Sprint(1990 + g.rnd.IntN(36))
		case t.Name() == "Float":
			return fmt.Sprint(g.rnd.IntN(1_000_000_000))
		case t.Name() == "Boolean":
			return fmt.Sprint(g.rnd.IntN(2) == 0)
		case t.Name() == "Date":
			return fmt.Sprintf("%q", g.date())
		case t.Name() == "ID":
			return fmt.Sprintf("%q", g.id())
		}
		return fmt.Sprintf("%q", []string{"a", "Co", "e", "Act", "-", "é", "Programme"}[g.rnd.IntN(7)])
	}
	if f.Type.Elem != nil {
		return "{" + f.Name + ": [" + value(f.Type.Elem) + ", " + value(f.Type.Elem) + "]}"
	}
	return "{" + f.Name + ": " + value(f.Type) + "}"
}

// selection writes a selection set of the named type at the depth.
func (g *opGen) selection(named string, depth int) string {
	def := g.schema.Types[named]
	return g.in(func() string {
		switch def.Kind {
		case ast.Interface:
			return g.abstract(def, depth)
		case ast.Object:
			if strings.HasSuffix(named, "Connection") {
				return g.connection(def, depth)
			}
			return "{ " + strings.Join(g.fields(def, def.Fields, depth), " ") + " }"
		}
		return ""
	})
}

// abstract selects on an interface: some of its own fields, and fragments
// on some of the types it may be, inline or named.
func (g *opGen) abstract(def *ast.Definition, depth int) string {
	parts := g.fields(def, def.Fields, depth)
	types := g.schema.GetPossibleTypes(def)
	for _, i := range g.rnd.Perm(len(types))[:g.rnd.IntN(3)] {
		t := types[i]
		if t.Kind != ast.Object {
			continue
		}
		fields := strings.Join(g.fields(t, t.Fields, depth), " ")
		if g.rnd.IntN(2) == 0 {
			parts = append(parts, "... on "+t.Name+" { "+fields+" }")
			continue
		}
		name := fmt.Sprintf("F%d", len(g.frags))
		g.frags = append(g.frags, "fragment "+name+" on "+t.Name+" { "+fields+" }")
		parts = append(parts, "..."+name)
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// fields picks some of the fields, nesting into objects while the depth
// allows; at least one field, and never one that would nest too deep.
func (g *opGen) fields(def *ast.Definition, all ast.FieldList, depth int) []string {
	var out []string
	want := 1 + g.rnd.IntN(4)
	for _, i := range g.rnd.Perm(len(all)) {
		if len(out) == want {
			break
		}
		if s := g.field(all[i], depth); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 || g.rnd.IntN(5) == 0 {
		out = append(out, "__typename")
	}
	return out
}

// field writes one field, or "" where it would nest deeper than allowed.
func (g *opGen) field(f *ast.FieldDefinition, depth int) string {
	named := g.schema.Types[f.Type.Name()]
	if named.Kind == ast.Scalar || named.Kind == ast.Enum {
		return g.alias(f.Name, len(f.Arguments) == 0) + g.directive()
	}
	if depth >= g.maxDepth || g.rnd.IntN(2) == 0 {
		return ""
	}
	return g.alias(f.Name, false) + g.args(f, depth) + g.directive() + " " + g.selection(named.Name, depth+1)
}

// connection selects on a connection: some of its count, its page's info
// and its edges, whose nodes nest one level deeper.
func (g *opGen) connection(def *ast.Definition, depth int) string {
	var parts []string
	if g.rnd.IntN(2) == 0 {
		parts = append(parts, g.alias("totalCount", true))
	}
	if g.rnd.IntN(3) == 0 {
		parts = append(parts, g.alias("pageInfo", false)+" "+g.someLeaves("PageInfo"))
	}
	edge := g.schema.Types[def.Fields.ForName("edges").Type.Name()]
	if !g.analysis && def.Fields.ForName("aggregate") != nil && g.rnd.IntN(3) == 0 {
		parts = append(parts, g.alias("aggregate", false)+" "+g.in(func() string { return g.aggregate(edge) }))
	}
	if len(parts) == 0 || g.rnd.IntN(4) != 0 {
		parts = append(parts, g.alias("edges", false)+" "+g.in(func() string { return g.edge(edge, depth) }))
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// someLeaves selects some fields of the named type, whose fields are leaves.
func (g *opGen) someLeaves(named string) string {
	return g.in(func() string { return "{ " + strings.Join(g.fields(nil, g.schema.Types[named].Fields, 0), " ") + " }" })
}

// aggregate selects on a connection's aggregate: some figures, and groups
// of some of them, mostly of properties its edges and nodes have.
func (g *opGen) aggregate(edge *ast.Definition) string {
	node := g.schema.Types[edge.Fields.ForName("node").Type.Name()]
	property := func(enum string) string {
		values := g.schema.Types[enum].EnumValues
		var have []string
		for _, v := range values {
			name := propertyOf(v.Name)
			if node.Fields.ForName(name) != nil || edge.Fields.ForName(name) != nil {
				have = append(have, v.Name)
			}
		}
		if len(have) == 0 || g.rnd.IntN(10) == 0 {
			return values[g.rnd.IntN(len(values))].Name
		}
		return have[g.rnd.IntN(len(have))]
	}
	figures := func() []string {
		var out []string
		for range 1 + g.rnd.IntN(3) {
			switch g.rnd.IntN(4) {
			case 0:
				out = append(out, g.alias("count", true))
			case 1:
				of := property("NumberProperty")
				of = g.variable("NumberProperty!", of, of)
				out = append(out, g.alias("number", false)+"(of: "+of+") "+g.someLeaves("NumberFigures"))
			case 2:
				out = append(out, g.alias("date", false)+"(of: "+property("DateProperty")+") "+g.someLeaves("DateFigures"))
			case 3:
				out = append(out, g.alias("text", false)+"(of: "+property("TextProperty")+") "+g.someLeaves("TextFigures"))
			}
		}
		if g.rnd.IntN(5) == 0 {
			out = append(out, "__typename")
		}
		return out
	}
	parts := figures()
	for range g.rnd.IntN(3) {
		by := []string{property("GroupProperty")}
		if g.rnd.IntN(2) == 0 {
			by = append(by, property("GroupProperty"))
		}
		group := g.in(func() string { return "{ values " + strings.Join(figures(), " ") + " }" })
		parts = append(parts, g.alias("groups", false)+"(by: ["+strings.Join(by, ", ")+"]) "+group)
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// edge selects on an edge: its node, one level deeper, and some of the
// relationship's fields.
func (g *opGen) edge(def *ast.Definition, depth int) string {
	parts := []string{}
	for _, f := range def.Fields {
		switch {
		case f.Name == "node":
			parts = append(parts, g.alias("node", false)+" "+g.selection(f.Type.Name(), depth))
		case g.rnd.IntN(4) == 0:
			named := g.schema.Types[f.Type.Name()]
			if named.Kind == ast.Object {
				parts = append(parts, g.alias(f.Name, false)+" "+g.selection(named.Name, g.maxDepth-1))
			} else {
				parts = append(parts, g.alias(f.Name, len(f.Arguments) == 0))
			}
		}
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// each writes, for every field of every node type, an operation that
// selects it alone, and one that selects every field of the type: nodes
// of the type reached through its list.
func (g *opGen) each() []op {
	var out []op
	for _, root := range g.rootFields() {
		target := g.schema.Types[strings.TrimSuffix(root.Type.Name(), "Connection")]
		if !strings.HasSuffix(root.Type.Name(), "Connection") || target == nil || target.Kind != ast.Object {
			continue
		}
		var all []string
		for _, f := range target.Fields {
			g.vars = map[string]any{}
			sel := g.plain(f)
			all = append(all, sel)
			out = append(out, g.build(root.Name+"(first: 5) { totalCount edges { cursor node { "+sel+" } } }"))
		}
		g.vars = map[string]any{}
		out = append(out, g.build(root.Name+"(first: 5) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { "+strings.Join(all, " ")+" } } }"))
	}
	return out
}

// plain selects a field with its defaults and the plainest selection below.
func (g *opGen) plain(f *ast.FieldDefinition) string {
	named := g.schema.Types[f.Type.Name()]
	switch {
	case named.Kind == ast.Scalar || named.Kind == ast.Enum:
		return f.Name
	case strings.HasSuffix(named.Name, "Connection"):
		edge := g.schema.Types[named.Fields.ForName("edges").Type.Name()]
		var edgeFields []string
		for _, ef := range edge.Fields {
			switch g.schema.Types[ef.Type.Name()].Kind {
			case ast.Scalar, ast.Enum:
				edgeFields = append(edgeFields, ef.Name)
			}
		}
		if edge.Fields.ForName("citations") != nil {
			edgeFields = append(edgeFields, "citations { locator source { id } } sources { id name }")
		}
		return f.Name + " { totalCount pageInfo { hasNextPage endCursor } edges { " + strings.Join(edgeFields, " ") + " node " + g.leaves(edge.Fields.ForName("node").Type.Name()) + " } }"
	}
	return f.Name + " " + g.leaves(named.Name)
}

// leaves selects an entity's type and id, or the scalars of another
// object, and one level of the objects it holds.
func (g *opGen) leaves(named string) string {
	def := g.schema.Types[named]
	if def.Fields.ForName("id") != nil {
		return "{ __typename id }"
	}
	parts := []string{"__typename"}
	for _, f := range def.Fields {
		switch g.schema.Types[f.Type.Name()].Kind {
		case ast.Scalar, ast.Enum:
			parts = append(parts, f.Name)
		case ast.Object:
			parts = append(parts, f.Name+" "+g.leaves(f.Type.Name()))
		}
	}
	return "{ " + strings.Join(parts, " ") + " }"
}
