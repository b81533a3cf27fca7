package resolvers

import (
	"fmt"
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
)

// Fragments that each spread the next twice stand for 2^60 fields spread
// out; looking for totalCount among them looks into each fragment once.
func TestSelectsTotalLooksIntoEachFragmentOnce(t *testing.T) {
	last := &ast.FragmentDefinition{Name: "F60", SelectionSet: ast.SelectionSet{&ast.Field{Name: "edges"}}}
	frag := last
	for i := 59; i >= 0; i-- {
		next := frag
		spread := func() *ast.FragmentSpread { return &ast.FragmentSpread{Name: next.Name, Definition: next} }
		frag = &ast.FragmentDefinition{Name: fmt.Sprintf("F%d", i), SelectionSet: ast.SelectionSet{spread(), spread()}}
	}
	top := ast.SelectionSet{&ast.FragmentSpread{Name: frag.Name, Definition: frag}}
	if selectsTotal(top) {
		t.Error("no fragment selects totalCount, yet selectsTotal says one does")
	}
	last.SelectionSet = append(last.SelectionSet, &ast.Field{Name: "totalCount"})
	if !selectsTotal(top) {
		t.Error("the last fragment selects totalCount, yet selectsTotal says none does")
	}
}

// A date's field, on a node or an edge, reads its precision too: else a date
// known to the year would read back as its first day.
func TestDateFieldsReadTheirPrecision(t *testing.T) {
	check := func(field, property string) {
		if !slices.Contains(fieldNeeds[field], graph.PrecisionOf(property)) {
			t.Errorf("the field %s does not read %s", field, graph.PrecisionOf(property))
		}
	}
	for _, nt := range graph.NodeTypes {
		for _, p := range nt.Properties {
			if p.Type == graph.TypeDate {
				check(p.Name, p.Name)
				check(p.Name+"AsKnown", p.Name)
			}
		}
	}
	for _, rt := range graph.RelationshipTypes {
		for _, p := range rt.Properties {
			if p.Type == graph.TypeDate {
				check(p.Name, p.Name)
			}
		}
	}
}
