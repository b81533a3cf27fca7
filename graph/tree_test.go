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
		"edge sort": {{Key: "a", Label: LabelMutual, Items: true, Node: Shape{Below: []Read{{Key: "b", Walk: &walk, Items: true,
			Args: ListArgs{PageArgs: PageArgs{First: 1, EdgeOrderBy: []Sort{{Property: hostile}}}}}}}}},
		"edge filter": {{Key: "a", Label: LabelMutual, Items: true, Node: Shape{Below: []Read{{Key: "b", Walk: &walk, Items: true,
			Args: ListArgs{PageArgs: PageArgs{First: 1, EdgeWhere: Filter{Props: []PropFilter{{Name: hostile, Op: OpEq, Value: "x"}}}}}}}}}},
		"edge filter on a node's property": {{Key: "a", Label: LabelMutual, Items: true, Node: Shape{Below: []Read{{Key: "b", Walk: &walk, Items: true,
			Args: ListArgs{PageArgs: PageArgs{First: 1, EdgeWhere: Filter{Props: []PropFilter{{Name: "name", Op: OpEq, Value: "x"}}}}}}}}}},
	} {
		if tree, err := CompileTree(reads); err == nil {
			t.Errorf("%s: compiled to %s", name, tree.Cypher)
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
	first, err := CompileTree(reads("mutual:a", "' OR 1=1 //", 5))
	if err != nil {
		t.Fatal(err)
	}
	second, err := CompileTree(reads("mutual:b", "Co", 10))
	if err != nil {
		t.Fatal(err)
	}
	one, two, p1 := first.Cypher, second.Cypher, first.Params
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

func TestAnalysesValuesAreParameters(t *testing.T) {
	hostile := "x'}) DETACH DELETE n //"
	reads := func(id string, first int) []Read {
		f := InfluenceFilter{Kinds: []string{id}, Jurisdictions: []string{id}, Orders: []string{OrderFederal}, Limit: first}
		return []Read{
			{Key: "a", Trace: &Trace{From: id, To: id, MaxHops: 2, First: first}, Path: PathShape{Rel: []string{"rationale"}, Citations: &Shape{}}},
			{Key: "b", Chains: &f, Held: &Shape{Properties: []string{"name"}}},
			{Key: "c", Bearings: &f},
			{Key: "d", Log: &ChangeQuery{Entity: id, Actor: id, First: first}},
		}
	}
	first, err := CompileTree(reads(hostile, 3))
	if err != nil {
		t.Fatal(err)
	}
	second, err := CompileTree(reads("kind:spin-out", 50))
	if err != nil {
		t.Fatal(err)
	}
	one, two, p := first.Cypher, second.Cypher, first.Params
	if one != two {
		t.Errorf("values changed the query:\n%s\n%s", one, two)
	}
	if strings.Contains(one, "DETACH") || strings.Contains(one, "$from") || strings.Contains(one, "$kinds") {
		t.Errorf("a value, or a parameter of the store's own queries, is in the query: %s", one)
	}
	n := 0
	for _, v := range p {
		if v == hostile {
			n++
		}
	}
	if n != 4 { // the trace's ends, the log's entity and actor
		t.Errorf("the ids are not parameters: %v", p)
	}
}

func TestTraceTakesOnlyTheModelsTypes(t *testing.T) {
	for name, tr := range map[string]Trace{
		"hops":  {From: "a", To: "b", MaxHops: MaxHops + 1, First: 1},
		"types": {From: "a", To: "b", MaxHops: 2, First: 1, Via: []RelType{"AFFECTS]-() DETACH DELETE n //"}},
	} {
		if tree, err := CompileTree([]Read{{Key: "a", Trace: &tr}}); err == nil {
			t.Errorf("%s: compiled to %s", name, tree.Cypher)
		}
	}
}
