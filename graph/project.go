package graph

import (
	"context"
	"slices"
	"strings"
)

// Fields are the properties a request will read of the nodes and
// relationships it fetches; reads under WithFields return those alone. A
// node of a label that lacks one simply has no value for it.
type Fields struct {
	node, rel []string
}

// FieldsOf keeps, of the names, those that are properties of the model,
// with the id always: the names may come from a request, and only the
// model's own names ever reach Cypher.
func FieldsOf(names []string) Fields {
	f := Fields{node: []string{"id"}}
	for _, name := range names {
		if nodeProperties[name] && !slices.Contains(f.node, name) {
			f.node = append(f.node, name)
		}
		if relProperties[name] && !slices.Contains(f.rel, name) {
			f.rel = append(f.rel, name)
		}
	}
	// In one order, whatever the selection's, so that the same fields make
	// the same Cypher, planned once.
	slices.Sort(f.node[1:])
	slices.Sort(f.rel)
	return f
}

var nodeProperties, relProperties = propertyNames()

func propertyNames() (nodes, rels map[string]bool) {
	nodes, rels = map[string]bool{}, map[string]bool{}
	for _, nt := range NodeTypes {
		for _, p := range nt.AllProperties() {
			nodes[p.Name] = true
			if p.Type == TypeDate {
				nodes[PrecisionOf(p.Name)] = true
			}
		}
	}
	for _, rt := range RelationshipTypes {
		for _, p := range rt.Properties {
			rels[p.Name] = true
			if p.Type == TypeDate {
				rels[PrecisionOf(p.Name)] = true
			}
		}
	}
	// Stored beside sourceIds, though no column of its own.
	nodes[Locators], rels[Locators] = true, true
	return nodes, rels
}

type fieldsKey struct{}

// WithFields tells the reads under ctx that their caller reads only these
// fields of what they return. Sending back only what a request shows, not
// every property of every node, spares Neo4j, the network and decoding:
// descriptions and source lists are most of a node's bytes.
func WithFields(ctx context.Context, f Fields) context.Context {
	return context.WithValue(ctx, fieldsKey{}, f)
}

// nodeProps is the Cypher for the properties of node v that the reads
// under ctx return.
func nodeProps(ctx context.Context, v string) string {
	f, ok := ctx.Value(fieldsKey{}).(Fields)
	if !ok {
		return "properties(" + v + ")"
	}
	return mapProjection(v, f.node)
}

// relProps is nodeProps for relationship v.
func relProps(ctx context.Context, v string) string {
	f, ok := ctx.Value(fieldsKey{}).(Fields)
	if !ok {
		return "properties(" + v + ")"
	}
	return mapProjection(v, f.rel)
}

// mapProjection is the map projection of the names of v: "n {.id, .name}".
func mapProjection(v string, names []string) string {
	if len(names) == 0 {
		return v + " {}"
	}
	return v + " {." + strings.Join(names, ", .") + "}"
}
