package resolvers

import (
	"fmt"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
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
