package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
)

// fieldNeeds are the properties that fields of another name read: a
// node's or an edge's sources come from its sourceIds (and their
// locators), a jurisdiction's order from its country and level, and a date,
// as a day or as far as it is known, from its first day and precision, on
// nodes and edges alike.
var fieldNeeds = datesNeeds(map[string][]string{
	"sources":   {"sourceIds"},
	"citations": {"sourceIds", graph.Locators},
	"order":     {"country", "level"},
})

func datesNeeds(needs map[string][]string) map[string][]string {
	both := func(p graph.Property) []string { return []string{p.Name, graph.PrecisionOf(p.Name)} }
	for _, nt := range graph.NodeTypes {
		for _, p := range nt.Properties {
			if p.Type == graph.TypeDate {
				needs[p.Name], needs[p.Name+"AsKnown"] = both(p), both(p)
			}
		}
	}
	// An edge's since and until are PartialDates under their own names.
	for _, rt := range graph.RelationshipTypes {
		for _, p := range rt.Properties {
			if p.Type == graph.TypeDate {
				needs[p.Name] = both(p)
			}
		}
	}
	return needs
}

// selectedFields are, for a query, the properties the operation can show:
// every field it selects, anywhere, whatever the type. One set for the
// whole operation keeps the request's cache whole: a node fetched for one
// field has every property any other field may read. Mutations read whole
// nodes: ok is false.
func selectedFields(ctx context.Context) (f graph.Fields, ok bool) {
	op := graphql.GetOperationContext(ctx)
	if op == nil || op.Operation == nil || op.Operation.Operation != ast.Query {
		return graph.Fields{}, false
	}
	var names []string
	seen := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(sel ast.SelectionSet) {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if !seen[s.Name] {
					seen[s.Name] = true
					names = append(names, s.Name)
					names = append(names, fieldNeeds[s.Name]...)
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if s.Definition != nil && !seen["..."+s.Name] {
					seen["..."+s.Name] = true
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	walk(op.Operation.SelectionSet)
	return graph.FieldsOf(names), true
}
