package resolvers

import (
	"slices"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
)

// The aggregates' property enums name the model's properties, each of a
// type its figures measure, and leave out none that they could measure.
func TestAggregateEnumsFollowTheModel(t *testing.T) {
	schema := New(nil).Schema()
	var properties []graph.Property
	for _, nt := range graph.NodeTypes {
		properties = append(properties, nt.AllProperties()...)
	}
	var relProperties []graph.Property
	for _, rt := range graph.RelationshipTypes {
		relProperties = append(relProperties, rt.Properties...)
	}
	named := func(name string, in []graph.Property) []graph.Property {
		var out []graph.Property
		for _, p := range in {
			if p.Name == name {
				out = append(out, p)
			}
		}
		return out
	}
	for _, tc := range []struct {
		enum string
		fits func(graph.Property) bool
		// all: every property that fits, of a node or a relationship, must
		// be named
		all bool
	}{
		{"NumberProperty", func(p graph.Property) bool { return p.Type == graph.TypeInt || p.Type == graph.TypeFloat }, true},
		{"DateProperty", func(p graph.Property) bool { return p.Type == graph.TypeDate }, true},
		{"TextProperty", func(p graph.Property) bool { return p.Type == graph.TypeString || p.Type == graph.TypeEnum }, false},
		{"GroupProperty", func(p graph.Property) bool {
			return p.Type == graph.TypeEnum || slices.ContainsFunc(properties, func(o graph.Property) bool { return o.Unit == p.Name })
		}, true},
	} {
		var names []string
		for _, v := range schema.Types[tc.enum].EnumValues {
			name := propertyOfField(v.Name)
			names = append(names, name)
			found := append(named(name, properties), named(name, relProperties)...)
			if len(found) == 0 || !slices.ContainsFunc(found, tc.fits) {
				t.Errorf("%s.%s names no property it can measure", tc.enum, v.Name)
			}
		}
		if !tc.all {
			continue
		}
		for _, p := range append(properties, relProperties...) {
			if tc.fits(p) && !slices.Contains(names, p.Name) {
				t.Errorf("%s lacks %s", tc.enum, p.Name)
			}
		}
	}
}
