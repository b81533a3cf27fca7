package graph

import (
	"strings"
	"testing"
)

func TestTreeTakesOnlyTheModelsNames(t *testing.T) {
	hostile := "id}) DETACH DELETE n //"
	walk := WalkOf(RelIsA, Out)
	for name, reads := range map[string][]Read{
		"node property": {{Key: "a", Label: LabelMutual, Items: true, Node: Shape{Properties: []string{"name", hostile}}}},
		"rel property":  {{Key: "a", Label: LabelMutual, Items: true, Node: Shape{Below: []Read{{Key: "b", Walk: &walk, Items: true, Rel: []string{hostile}}}}}},
		"key":           {{Key: "a: 1} DETACH DELETE n //", Label: LabelMutual, Items: true}},
		"label":         {{Key: "a", Label: Label("Mutual) DETACH DELETE n //"), Items: true}},
	} {
		if cypher, _, err := TreeCypher(reads); err == nil {
			t.Errorf("%s: compiled to %s", name, cypher)
		}
	}
}

func TestTreeValuesAreParameters(t *testing.T) {
	walk := WalkOf(RelIsA, Out)
	reads := func(after, name string, first int) []Read {
		return []Read{{Key: "a", Label: LabelMutual, Items: true, Total: true,
			Args: ListArgs{PageArgs: PageArgs{First: first, After: after,
				Where: Filter{Props: []PropFilter{{Name: "name", Op: OpContains, Value: name}}}}},
			Node: Shape{Properties: []string{"id", "name"}, Below: []Read{{Key: "b", Walk: &walk, Items: true, Args: ListArgs{PageArgs: PageArgs{First: 3}}}}}}}
	}
	one, p1, err := TreeCypher(reads("mutual:a", "' OR 1=1 //", 5))
	if err != nil {
		t.Fatal(err)
	}
	two, _, err := TreeCypher(reads("mutual:b", "Co", 10))
	if err != nil {
		t.Fatal(err)
	}
	// The same shape with other values is the same query, planned once.
	if one != two {
		t.Errorf("values changed the query:\n%s\n%s", one, two)
	}
	if strings.Contains(one, "OR 1=1") || strings.Contains(one, "mutual:a") {
		t.Errorf("a value is in the query: %s", one)
	}
	found := false
	for _, v := range p1 {
		found = found || v == "' OR 1=1 //"
	}
	if !found {
		t.Errorf("the filter's value is not a parameter: %v", p1)
	}
}
