package server

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits on the shape of an operation, checked before anything runs, so that
// an abusive request costs a parse and a walk of its text, not the database.
const (
	// MaxDepth bounds how deeply fields nest.
	MaxDepth = 15
	// MaxComplexity bounds an operation's cost: each field counts one, and a
	// list's contents count as many times as the list may hold (its first
	// argument), so nested lists multiply.
	MaxComplexity = 1_000_000
	// defaultListSize is what a list without a first argument is assumed to hold.
	defaultListSize = 20
)

// shapeLimit refuses operations too deep or too costly, with the code
// COMPLEXITY_LIMIT.
type shapeLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (shapeLimit) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	m := measure{op: op, seen: map[string]bool{}}
	cost, depth := m.selections(op.Operation.SelectionSet, 1)
	switch {
	case depth > MaxDepth:
		return limitError("the operation nests %d levels deep; the limit is %d", depth, MaxDepth)
	case cost > MaxComplexity:
		return limitError("the operation's complexity is %d; the limit is %d: ask for smaller pages or fewer levels", cost, MaxComplexity)
	}
	return nil
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": "COMPLEXITY_LIMIT"}
	return err
}

type measure struct {
	op   *graphql.OperationContext
	seen map[string]bool // fragments on the current path, against cycles
}

// selections returns the cost and depth of a selection set at a depth.
func (m measure) selections(set ast.SelectionSet, depth int) (cost, maxDepth int) {
	maxDepth = depth - 1
	for _, sel := range set {
		var c, d int
		switch s := sel.(type) {
		case *ast.Field:
			c, d = m.field(s, depth)
		case *ast.InlineFragment:
			c, d = m.selections(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if m.seen[s.Name] {
				continue
			}
			frag := m.op.Doc.Fragments.ForName(s.Name)
			if frag == nil {
				continue
			}
			m.seen[s.Name] = true
			c, d = m.selections(frag.SelectionSet, depth)
			delete(m.seen, s.Name)
		}
		cost = saturatingAdd(cost, c)
		maxDepth = max(maxDepth, d)
	}
	return cost, maxDepth
}

func (m measure) field(f *ast.Field, depth int) (cost, maxDepth int) {
	if len(f.SelectionSet) == 0 {
		return 1, depth
	}
	childCost, childDepth := m.selections(f.SelectionSet, depth+1)
	return saturatingAdd(1, saturatingMul(childCost, m.listSize(f))), childDepth
}

// listSize is how many items a field's list may hold: its first argument,
// when it has one.
func (m measure) listSize(f *ast.Field) int {
	if f.Definition == nil || f.Definition.Arguments.ForName("first") == nil {
		return 1
	}
	switch v := f.ArgumentMap(m.op.Variables)["first"].(type) {
	case int64:
		return max(int(v), 1)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return max(int(n), 1)
		}
	}
	return defaultListSize
}

// The arithmetic saturates: a hostile first must not overflow into a small cost.
func saturatingAdd(a, b int) int {
	if a > MaxComplexity*1000-b {
		return MaxComplexity * 1000
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if b != 0 && a > MaxComplexity*1000/b {
		return MaxComplexity * 1000
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
