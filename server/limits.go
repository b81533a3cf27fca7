package server

import (
	"context"
	"encoding/json"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits on the shape of an operation, checked before anything runs, so that
// an abusive request costs a parse and one walk of its text, not the
// database.
const (
	// MaxDepth bounds how deeply fields nest.
	MaxDepth = 15
	// MaxComplexity bounds an operation's cost: each field counts its
	// weight in the schema's @cost directive, or one, and a list's contents
	// count as many times as the list may hold (its first argument), so
	// nested lists multiply. Arguments add their inputs' weights and one
	// per value, once: a nested list's filter is one query for all its
	// parents.
	MaxComplexity = 1_000_000
	// MaxFields bounds the fields of an operation with its fragments
	// spread out: every other walk of a selection is bounded by it, so a
	// document whose fragments spread each other twice over is refused
	// before anything walks it naively.
	MaxFields = 10_000
	// MaxInputDepth bounds how deeply an argument's objects and lists nest
	// (a filter with relationship filters and AND lists in it stays well
	// inside); MaxInputValues bounds the values in all of an operation's
	// arguments, variables included; MaxListItems bounds any one list.
	MaxInputDepth  = 16
	MaxInputValues = 5_000
	MaxListItems   = 1_000
	// defaultListSize is what a list without a first argument is assumed to hold.
	defaultListSize = 20
)

// shapeLimit refuses operations too deep, too large or too costly, with the
// code COMPLEXITY_LIMIT, and takes the cost of the others from their
// client's budget.
type shapeLimit struct{ schema *ast.Schema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &shapeLimit{}

func (*shapeLimit) ExtensionName() string { return "ShapeLimit" }
func (l *shapeLimit) Validate(s graphql.ExecutableSchema) error {
	l.schema = s.Schema()
	return nil
}

func (l *shapeLimit) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	m := measure{schema: l.schema, op: op, fragments: map[string]*size{}, variables: map[string]inputSize{}}
	s := m.selections(op.Operation.SelectionSet)
	if m.err != nil {
		return m.err
	}
	switch {
	case s.depth > MaxDepth:
		return limitError("the operation nests %d levels deep; the limit is %d", s.depth, MaxDepth)
	case s.fields > MaxFields:
		return limitError("the operation selects %d fields with its fragments spread out; the limit is %d", s.fields, MaxFields)
	case s.inputs.values > MaxInputValues:
		return limitError("the operation's arguments hold %d values; the limit is %d", s.inputs.values, MaxInputValues)
	}
	cost := saturatingAdd(s.cost, s.inputs.cost)
	if cost > MaxComplexity {
		return limitError("the operation's complexity is %d; the limit is %d: ask for smaller pages, fewer levels, fewer analyses or fewer relationship filters", cost, MaxComplexity)
	}
	return spend(ctx, cost)
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": "COMPLEXITY_LIMIT"}
	return err
}

// size is what a selection set costs. Every figure saturates at ceiling, so
// no hostile argument overflows into a small one.
type size struct {
	cost   int       // the fields' cost, as MaxComplexity counts it
	depth  int       // levels of fields
	fields int       // fields, with fragments spread out
	inputs inputSize // the arguments' values
}

const ceiling = math.MaxInt32

func (s size) plus(o size) size {
	return size{
		cost:   saturatingAdd(s.cost, o.cost),
		depth:  max(s.depth, o.depth),
		fields: saturatingAdd(s.fields, o.fields),
		inputs: s.inputs.plus(o.inputs),
	}
}

// measure walks an operation once. A fragment is measured the first time it
// is spread and remembered, so that a walk is linear in the document however
// often fragments spread each other: its size does not depend on where it
// is spread.
type measure struct {
	schema    *ast.Schema
	op        *graphql.OperationContext
	fragments map[string]*size     // nil while being measured: a cycle adds nothing
	variables map[string]inputSize // each variable's value, measured once
	err       *gqlerror.Error      // the first argument out of bounds
}

func (m *measure) selections(set ast.SelectionSet) size {
	var total size
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total = total.plus(m.field(s))
		case *ast.InlineFragment:
			total = total.plus(m.selections(s.SelectionSet))
		case *ast.FragmentSpread:
			total = total.plus(m.fragment(s.Name))
		}
	}
	return total
}

func (m *measure) fragment(name string) size {
	if s, seen := m.fragments[name]; seen {
		if s == nil {
			return size{}
		}
		return *s
	}
	frag := m.op.Doc.Fragments.ForName(name)
	if frag == nil {
		return size{}
	}
	m.fragments[name] = nil
	s := m.selections(frag.SelectionSet)
	m.fragments[name] = &s
	return s
}

func (m *measure) field(f *ast.Field) size {
	own := size{cost: 1, depth: 1, fields: 1, inputs: m.arguments(f)}
	if f.Definition != nil {
		own.cost = max(weightOf(f.Definition.Directives), 1)
	}
	if len(f.SelectionSet) == 0 {
		return own
	}
	var items, once size
	m.split(f.SelectionSet, &items, &once)
	below := items.plus(once)
	return size{
		cost:   saturatingAdd(own.cost, saturatingAdd(saturatingMul(items.cost, m.listSize(f)), once.cost)),
		depth:  1 + below.depth,
		fields: saturatingAdd(1, below.fields),
		inputs: own.inputs.plus(below.inputs),
	}
}

// split measures a field's selections: what its list's items show, counted
// as often as the list may hold them, and a connection's fields about the
// whole list (wholeList), counted once. A fragment spread counts per item.
func (m *measure) split(set ast.SelectionSet, items, once *size) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if wholeList[s.Name] && s.ObjectDefinition != nil && s.ObjectDefinition.Fields.ForName("edges") != nil {
				*once = once.plus(m.field(s))
			} else {
				*items = items.plus(m.field(s))
			}
		case *ast.InlineFragment:
			m.split(s.SelectionSet, items, once)
		case *ast.FragmentSpread:
			*items = items.plus(m.fragment(s.Name))
		}
	}
}

// wholeList are a connection's fields that its read computes once, however
// long its page.
var wholeList = map[string]bool{"totalCount": true, "pageInfo": true, "aggregate": true}

// weightOf reads a definition's @cost weight, 0 without one.
func weightOf(directives ast.DirectiveList) int {
	d := directives.ForName("cost")
	if d == nil {
		return 0
	}
	if arg := d.Arguments.ForName("weight"); arg != nil && arg.Value != nil {
		if n, err := strconv.Atoi(arg.Value.Raw); err == nil {
			return n
		}
	}
	return 0
}

// inputSize is what argument values hold: how many values, how deeply
// they nest, and what their input types' weights add up to.
type inputSize struct{ values, depth, cost int }

func (s inputSize) plus(o inputSize) inputSize {
	return inputSize{
		values: saturatingAdd(s.values, o.values),
		depth:  max(s.depth, o.depth),
		cost:   saturatingAdd(s.cost, o.cost),
	}
}

// nested is s one level down, inside an object or list of the weight.
func (s inputSize) nested(weight int) inputSize {
	return inputSize{values: saturatingAdd(s.values, 1), depth: s.depth + 1, cost: saturatingAdd(s.cost, saturatingAdd(weight, 1))}
}

// arguments measures a field's arguments, and notes the first that nests
// too deeply or holds too long a list.
func (m *measure) arguments(f *ast.Field) inputSize {
	var total inputSize
	for _, a := range f.Arguments {
		var t *ast.Type
		if f.Definition != nil {
			if def := f.Definition.Arguments.ForName(a.Name); def != nil {
				t = def.Type
			}
		}
		s := m.value(a.Value, t)
		if s.depth > MaxInputDepth && m.err == nil {
			m.err = limitError("the argument %s of %s nests %d levels deep; the limit is %d", a.Name, f.Alias, s.depth, MaxInputDepth)
		}
		total = total.plus(inputSize{values: s.values, cost: s.cost})
	}
	return total
}

// value measures a value of type t as written in the document, its
// variables by the values they were given.
func (m *measure) value(v *ast.Value, t *ast.Type) inputSize {
	if v == nil {
		return inputSize{}
	}
	switch v.Kind {
	case ast.Variable:
		s, ok := m.variables[v.Raw]
		if !ok {
			var vt *ast.Type
			if def := m.op.Operation.VariableDefinitions.ForName(v.Raw); def != nil {
				vt = def.Type
			}
			s = m.variableValue(m.op.Variables[v.Raw], vt, 1)
			m.variables[v.Raw] = s
		}
		return s
	case ast.ListValue, ast.ObjectValue:
		if len(v.Children) > MaxListItems {
			m.listTooLong(len(v.Children))
		}
		var out inputSize
		for _, c := range v.Children {
			out = out.plus(m.value(c.Value, m.childType(t, c.Name, v.Kind == ast.ListValue)))
		}
		return out.nested(m.weightOfType(t, v.Kind == ast.ObjectValue))
	}
	return inputSize{values: 1, cost: 1}
}

// variableValue measures a variable's decoded JSON value of type t. It
// stops going down past the depth limit, so that a hostile value costs no
// more than the limit to refuse.
func (m *measure) variableValue(v any, t *ast.Type, depth int) inputSize {
	if depth > MaxInputDepth {
		return inputSize{values: 1, depth: 1, cost: 1}
	}
	var out inputSize
	switch v := v.(type) {
	case []any:
		if len(v) > MaxListItems {
			m.listTooLong(len(v))
		}
		for _, c := range v {
			out = out.plus(m.variableValue(c, m.childType(t, "", true), depth+1))
		}
		return out.nested(0)
	case map[string]any:
		if len(v) > MaxListItems {
			m.listTooLong(len(v))
		}
		for name, c := range v {
			out = out.plus(m.variableValue(c, m.childType(t, name, false), depth+1))
		}
		return out.nested(m.weightOfType(t, true))
	}
	return inputSize{values: 1, cost: 1}
}

// childType is the type of a list's items, or of an input object's field.
func (m *measure) childType(t *ast.Type, field string, list bool) *ast.Type {
	switch {
	case t == nil || m.schema == nil:
		return nil
	case list:
		if t.Elem != nil {
			return t.Elem
		}
		return t // a single value where a list is expected stands for the list
	}
	if def := m.schema.Types[t.Name()]; def != nil {
		if f := def.Fields.ForName(field); f != nil {
			return f.Type
		}
	}
	return nil
}

// weightOfType is the @cost weight of an input object's type.
func (m *measure) weightOfType(t *ast.Type, object bool) int {
	if t == nil || !object || m.schema == nil {
		return 0
	}
	if def := m.schema.Types[t.Name()]; def != nil {
		return weightOf(def.Directives)
	}
	return 0
}

func (m *measure) listTooLong(n int) {
	if m.err == nil {
		m.err = limitError("an argument holds a list or object of %d items; the limit is %d", n, MaxListItems)
	}
}

// listSize is how many items a field's list may hold: its first argument,
// or for nodes the ids it names.
func (m *measure) listSize(f *ast.Field) int {
	if f.Definition == nil {
		return 1
	}
	if f.Definition.Arguments.ForName("first") != nil {
		if n, ok := intOf(m.argument(f, "first")); ok {
			return max(n, 1)
		}
		return defaultListSize
	}
	if ids, ok := m.argument(f, "ids").([]any); ok {
		return max(len(ids), 1)
	}
	return 1
}

// argument is the value of one of a field's arguments, as given or by its
// default; reading it alone spares converting the others, a filter among
// them.
func (m *measure) argument(f *ast.Field, name string) any {
	def := f.Definition.Arguments.ForName(name)
	if def == nil {
		return nil
	}
	value := def.DefaultValue
	if a := f.Arguments.ForName(name); a != nil {
		value = a.Value
	}
	if value == nil {
		return nil
	}
	v, err := value.Value(m.op.Variables)
	if err != nil {
		return nil
	}
	return v
}

// intOf reads an Int argument, as a literal or a variable gives it. A value
// beyond 32 bits is no GraphQL Int: gqlgen refuses it as such, and the cost
// takes it as one item meanwhile.
func intOf(v any) (int, bool) {
	var n int64
	switch v := v.(type) {
	case int64:
		n = v
	case int:
		n = int64(v)
	case json.Number:
		var err error
		if n, err = v.Int64(); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 1, true
	}
	return int(n), true
}

// The arithmetic saturates: a hostile first must not overflow into a small cost.
func saturatingAdd(a, b int) int {
	if a > ceiling-b {
		return ceiling
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if b != 0 && a > ceiling/b {
		return ceiling
	}
	return a * b
}

// CodeIntrospectionDisabled refuses schema queries where introspection is
// off.
const CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"

// noIntrospection refuses operations that ask for __schema or __type, before
// they run.
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }
func (noIntrospection) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil || !asksForSchema(op, op.Operation.SelectionSet, map[string]bool{}) {
		return nil
	}
	err := gqlerror.Errorf("introspection is disabled on this server")
	err.Extensions = map[string]any{"code": CodeIntrospectionDisabled}
	return err
}

// asksForSchema reports whether a root selection, fragments included,
// selects __schema or __type.
func asksForSchema(op *graphql.OperationContext, set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if asksForSchema(op, s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if frag := op.Doc.Fragments.ForName(s.Name); frag != nil && !seen[s.Name] {
				seen[s.Name] = true
				if asksForSchema(op, frag.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}
