package graph

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Filter selects nodes: every condition it holds must be met. It becomes a
// Cypher WHERE clause in which property names, labels and relationship types
// come from the model and every value is a parameter.
type Filter struct {
	And, Or []Filter
	Not     *Filter
	Props   []PropFilter
	Rels    []RelFilter
	// Orders keeps nodes held by a jurisdiction of one of these orders of
	// government (FEDERAL, PROVINCIAL, …): through HELD_BY, or for a
	// commitment through its ministries.
	Orders []string
}

// IsZero reports a filter with no condition.
func (f Filter) IsZero() bool {
	return len(f.And) == 0 && len(f.Or) == 0 && f.Not == nil && len(f.Props) == 0 && len(f.Rels) == 0 && len(f.Orders) == 0
}

// Op is a comparison of a property with a value.
type Op string

// The comparisons.
const (
	OpEq         Op = "eq"
	OpIn         Op = "in"
	OpContains   Op = "contains"
	OpStartsWith Op = "startsWith"
	OpGt         Op = "gt"
	OpGte        Op = "gte"
	OpLt         Op = "lt"
	OpLte        Op = "lte"
)

var cypherOps = map[Op]string{
	OpEq: "=", OpIn: "IN", OpContains: "CONTAINS", OpStartsWith: "STARTS WITH",
	OpGt: ">", OpGte: ">=", OpLt: "<", OpLte: "<=",
}

// PropFilter compares a property with a value (a list, for in).
type PropFilter struct {
	Name  string
	Op    Op
	Value any
}

// RelFilter keeps nodes by how many of their neighbours along a walk match
// a filter, as its quantifier says.
type RelFilter struct {
	Walk       Walk
	Quantifier Quantifier
	Where      Filter
}

// Quantifier says how many neighbours must match a relationship filter.
type Quantifier string

// The quantifiers, with the Neo4j GraphQL Library's meanings. A neighbour
// matches when the filter holds of it, not when it is unknown (a property
// it lacks): such a neighbour matches neither some nor all.
const (
	Some   Quantifier = "some"   // at least one
	None   Quantifier = "none"   // not one
	All    Quantifier = "all"    // every one; true when there is none
	Single Quantifier = "single" // exactly one
)

// Quantifiers lists them all.
var Quantifiers = []Quantifier{Some, None, All, Single}

// params collects a query's parameters and names them p0, p1, …
type params map[string]any

func (p params) add(v any) string {
	name := "p" + strconv.Itoa(len(p))
	if t, ok := v.(time.Time); ok {
		v = neo4jDate(t)
	}
	if ts, ok := v.([]time.Time); ok {
		dates := make([]any, len(ts))
		for i, t := range ts {
			dates[i] = neo4jDate(t)
		}
		v = dates
	}
	p[name] = v
	return "$" + name
}

// fixedEnum is an enum that the filter holds equal to one value, among the
// conditions every kept node meets, and that an index pairs with property
// prop (pairIndexed); "" when there is none.
func (f Filter) fixedEnum(labels []Label, prop string) string {
	for _, pf := range f.Props {
		if pf.Op == OpEq && pairIndexed(labels, pf.Name, prop) {
			return pf.Name
		}
	}
	return ""
}

// tests reports a condition on the property among those every kept node
// meets: each holds only where the property has a value.
func (f Filter) tests(prop string) bool {
	return slices.ContainsFunc(f.Props, func(pf PropFilter) bool { return pf.Name == prop })
}

// where compiles the filter for node variable v; depth names the variables
// of nested relationship filters apart.
func (f Filter) where(v string, p params, depth int) string {
	var parts []string
	for _, pf := range f.Props {
		parts = append(parts, v+"."+pf.Name+" "+cypherOps[pf.Op]+" "+p.add(pf.Value))
	}
	if len(f.Orders) > 0 {
		j := "j" + strconv.Itoa(depth)
		order := strings.ReplaceAll(orderCypher, "j.", j+".")
		parts = append(parts, "(EXISTS { MATCH ("+v+")-[:HELD_BY]->("+j+":Jurisdiction) WHERE "+order+" IN "+p.add(f.Orders)+" }"+
			" OR EXISTS { MATCH ("+v+")<-[:MANDATED]-(:Ministry)-[:OF]->("+j+":Jurisdiction) WHERE "+order+" IN "+p.add(f.Orders)+" })")
	}
	for _, rf := range f.Rels {
		x := "x" + strconv.Itoa(depth)
		pattern := strings.Replace(strings.Replace(rf.Walk.pattern(""), "(p)", "("+v+")", 1), "(n:", "("+x+":", 1)
		if rf.Where.IsZero() {
			if rf.Quantifier != All { // every neighbour matches no condition
				parts = append(parts, rf.Quantifier.test(pattern, ""))
			}
			continue
		}
		parts = append(parts, rf.Quantifier.test(pattern, rf.Where.where(x, p, depth+1)))
	}
	for _, sub := range f.And {
		parts = append(parts, "("+sub.where(v, p, depth)+")")
	}
	if len(f.Or) > 0 {
		var alternatives []string
		for _, sub := range f.Or {
			alternatives = append(alternatives, "("+sub.where(v, p, depth)+")")
		}
		parts = append(parts, "("+strings.Join(alternatives, " OR ")+")")
	}
	if f.Not != nil {
		parts = append(parts, "NOT ("+f.Not.where(v, p, depth)+")")
	}
	if len(parts) == 0 {
		// A parameter, not the literal true: Neo4j folds literals, and a
		// condition folded to false leaves an index hint without the
		// label it names, which it refuses.
		return p.add(true)
	}
	return strings.Join(parts, " AND ")
}

// test is the condition that the neighbours the pattern matches, where cond
// holds of them ("": any), are as many as q says.
func (q Quantifier) test(pattern, cond string) string {
	where := ""
	if cond != "" {
		where = " WHERE " + cond
	}
	switch q {
	case None:
		return "NOT EXISTS { MATCH " + pattern + where + " }"
	case All:
		// No neighbour for which cond does not hold: null, where a
		// property is missing, is not a match.
		return "NOT EXISTS { MATCH " + pattern + " WHERE NOT coalesce((" + cond + "), false) }"
	case Single:
		return "COUNT { MATCH " + pattern + where + " } = 1"
	}
	return "EXISTS { MATCH " + pattern + where + " }"
}

// validateEdge checks a filter on relationships of type t: comparisons of
// its enum and date properties only, within a filter's bounds.
func (f Filter) validateEdge(t RelType) error {
	var n filterCount
	if err := f.withinBounds(0, 0, &n); err != nil {
		return err
	}
	return f.validateEdgeProps(t)
}

func (f Filter) validateEdgeProps(t RelType) error {
	if len(f.Rels) > 0 || len(f.Orders) > 0 {
		return Errorf(CodeBadInput, "a relationship filter tests the relationship's own properties only")
	}
	for _, pf := range f.Props {
		p, ok := RelPropertyOf(t, pf.Name)
		if !ok || p.Type != TypeEnum && p.Type != TypeDate {
			return Errorf(CodeBadInput, "%s has no property %q to filter on", t, pf.Name)
		}
		if _, ok := cypherOps[pf.Op]; !ok {
			return Errorf(CodeBadInput, "no comparison %q", pf.Op)
		}
	}
	for _, sub := range f.subs() {
		if err := sub.validateEdgeProps(t); err != nil {
			return err
		}
	}
	return nil
}

// PropertyOf returns the model's property of the labels by name: a common
// property, or one that every label in labels has.
func PropertyOf(labels []Label, name string) (Property, bool) {
	for _, p := range CommonProperties {
		if p.Name == name {
			return p, true
		}
	}
	var found *Property
	for _, l := range labels {
		nt, ok := NodeTypeFor(l)
		if !ok {
			return Property{}, false
		}
		i := slices.IndexFunc(nt.Properties, func(p Property) bool { return p.Name == name })
		if i < 0 {
			return Property{}, false
		}
		found = &nt.Properties[i]
	}
	if found == nil {
		return Property{}, false
	}
	return *found, true
}

// NodeTypeFor returns the model's description of a label.
func NodeTypeFor(l Label) (NodeType, bool) {
	for _, nt := range NodeTypes {
		if nt.Label == l {
			return nt, true
		}
	}
	return NodeType{}, false
}

// Bounds of a filter. Neo4j plans each nested condition on its own, and
// the time it takes grows fast with nesting (a relationship filter nested
// eight deep takes its planner longer than any request may run), so a
// filter is refused beyond them before any Cypher is built.
const (
	// MaxFilterConditions bounds the conditions of a filter, nested ones
	// included.
	MaxFilterConditions = 32
	// MaxFilterNesting bounds how deeply AND, OR and NOT nest.
	MaxFilterNesting = 4
	// MaxRelationshipNesting bounds relationship filters within
	// relationship filters: "affects some kind whose mutuals some …".
	MaxRelationshipNesting = 2
	// MaxFilterSubqueries bounds the subqueries of a filter, nested ones
	// included: one per relationship filter, two per order condition.
	// Neo4j plans each in a tenth of a second or so, twice when the list
	// is counted too: six, as in "affected by a provincial lever and by no
	// foreign one", keep a new filter's plans within about half a second.
	MaxFilterSubqueries = 6
	// MaxInValues bounds the values of an in comparison.
	MaxInValues = 1000
)

// Validate checks that the filter stays within its bounds and names only
// properties the labels have, so that nothing outside the model is spliced
// into Cypher.
func (f Filter) Validate(labels []Label) error {
	var n filterCount
	if err := f.withinBounds(0, 0, &n); err != nil {
		return err
	}
	return f.validate(labels)
}

// filterCount counts a filter's conditions and subqueries as it is walked.
type filterCount struct{ conditions, subqueries int }

func (f Filter) withinBounds(nesting, relNesting int, n *filterCount) error {
	switch {
	case nesting > MaxFilterNesting:
		return Errorf(CodeBadInput, "the filter nests AND, OR and NOT more than %d deep", MaxFilterNesting)
	case relNesting > MaxRelationshipNesting:
		return Errorf(CodeBadInput, "the filter nests relationship filters more than %d deep", MaxRelationshipNesting)
	}
	n.conditions += len(f.Props) + len(f.Rels)
	n.subqueries += len(f.Rels)
	if len(f.Orders) > 0 {
		n.conditions++
		n.subqueries += 2
	}
	switch {
	case n.conditions > MaxFilterConditions:
		return Errorf(CodeBadInput, "the filter holds more than %d conditions", MaxFilterConditions)
	case n.subqueries > MaxFilterSubqueries:
		return Errorf(CodeBadInput, "the filter holds more than %d relationship filters (an order condition counts two)", MaxFilterSubqueries)
	}
	for _, pf := range f.Props {
		if values, ok := pf.Value.([]any); ok && len(values) > MaxInValues {
			return Errorf(CodeBadInput, "%s.in holds %d values; the limit is %d", pf.Name, len(values), MaxInValues)
		}
	}
	if len(f.Orders) > MaxInValues {
		return Errorf(CodeBadInput, "order.in holds %d values; the limit is %d", len(f.Orders), MaxInValues)
	}
	for _, rf := range f.Rels {
		if err := rf.Where.withinBounds(nesting, relNesting+1, n); err != nil {
			return err
		}
	}
	for _, sub := range f.subs() {
		if err := sub.withinBounds(nesting+1, relNesting, n); err != nil {
			return err
		}
	}
	return nil
}

// subs are the filters AND, OR and NOT combine.
func (f Filter) subs() []Filter {
	subs := append(append([]Filter{}, f.And...), f.Or...)
	if f.Not != nil {
		subs = append(subs, *f.Not)
	}
	return subs
}

func (f Filter) validate(labels []Label) error {
	for _, pf := range f.Props {
		if _, ok := PropertyOf(labels, pf.Name); !ok {
			return Errorf(CodeBadInput, "no property %q to filter on", pf.Name)
		}
		if _, ok := cypherOps[pf.Op]; !ok {
			return Errorf(CodeBadInput, "no comparison %q", pf.Op)
		}
	}
	for _, rf := range f.Rels {
		if err := rf.Where.validate(rf.Walk.Targets); err != nil {
			return err
		}
	}
	for _, sub := range f.subs() {
		if err := sub.validate(labels); err != nil {
			return err
		}
	}
	return nil
}

// String renders the filter for cache keys: equal filters render equally.
func (f Filter) String() string {
	type plain Filter // without this method, so that Sprintf does not recurse
	return fmt.Sprintf("%+v", plain(f))
}
