package graph

import "strings"

// The names a read tree may ask of nodes and relationships: the model's
// properties and their dates' precisions. Requests name what they show,
// and only the model's own names ever reach Cypher.
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

// mapProjection is the map projection of the names of v: "n {.id, .name}".
func mapProjection(v string, names []string) string {
	if len(names) == 0 {
		return v + " {}"
	}
	return v + " {." + strings.Join(names, ", .") + "}"
}
