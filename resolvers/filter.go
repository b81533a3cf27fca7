package resolvers

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// The where arguments arrive as maps, whatever their GraphQL input type, and
// are read here against the model: one reader for every type's filter.

// FilterOf reads the where argument of a list of typeName (a GraphQL type:
// a label's name, or Entity) into a graph filter.
func FilterOf(typeName string, where map[string]any) (graph.Filter, error) {
	sub := func(m map[string]any) (graph.Filter, error) { return FilterOf(typeName, m) }
	return readFilter(where, sub, func(key string, raw any, f *graph.Filter) error {
		if key == "order" {
			return orderFilter(typeName, asMap(raw), f)
		}
		if wf, ok := walkFields[typeName][key]; ok {
			return relFilter(wf.walk, asMap(raw), f)
		}
		return propFilter(typeName, key, asMap(raw), f)
	})
}

// EdgeFilterOf reads the edgeWhere argument of a walk along relationships
// of type t into a graph filter on their properties.
func EdgeFilterOf(t graph.RelType, where map[string]any) (graph.Filter, error) {
	sub := func(m map[string]any) (graph.Filter, error) { return EdgeFilterOf(t, m) }
	return readFilter(where, sub, func(key string, raw any, f *graph.Filter) error {
		p, ok := graph.RelPropertyOf(t, key)
		if !ok {
			return graph.Errorf(graph.CodeBadInput, "%s has no property %q to filter on", t, key)
		}
		return comparisons(p, asMap(raw), f)
	})
}

// readFilter reads a where argument: its AND, OR and NOT with sub, each
// other key with leaf. In key order, so that equal arguments make equal
// filters: the request's loaders are keyed by them, and Neo4j plans the
// same query once.
func readFilter(where map[string]any, sub func(map[string]any) (graph.Filter, error), leaf func(key string, raw any, f *graph.Filter) error) (graph.Filter, error) {
	var f graph.Filter
	for _, key := range slices.Sorted(maps.Keys(where)) {
		raw := where[key]
		if raw == nil {
			continue
		}
		var err error
		switch key {
		case "AND", "OR":
			for _, item := range listOf(raw) {
				var s graph.Filter
				if s, err = sub(asMap(item)); err != nil {
					break
				}
				if key == "AND" {
					f.And = append(f.And, s)
				} else {
					f.Or = append(f.Or, s)
				}
			}
		case "NOT":
			var s graph.Filter
			if s, err = sub(asMap(raw)); err == nil {
				f.Not = &s
			}
		default:
			err = leaf(key, raw, &f)
		}
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// TargetType is the GraphQL type a walk reaches: its label, or Entity when
// it reaches several.
func TargetType(w graph.Walk) string {
	if len(w.Targets) == 1 {
		return string(w.Targets[0])
	}
	return "Entity"
}

func relFilter(w graph.Walk, m map[string]any, f *graph.Filter) error {
	for _, q := range graph.Quantifiers {
		raw, ok := m[string(q)]
		if !ok || raw == nil {
			continue
		}
		where, err := FilterOf(TargetType(w), asMap(raw))
		if err != nil {
			return err
		}
		f.Rels = append(f.Rels, graph.RelFilter{Walk: w, Quantifier: q, Where: where})
	}
	return nil
}

// orderFilter reads an order filter: a jurisdiction's own order, or for a
// lever, statute, programme or commitment the orders of those holding it.
func orderFilter(typeName string, m map[string]any, f *graph.Filter) error {
	orders, err := stringList(m["in"])
	if err != nil {
		return err
	}
	if eq := reflect.ValueOf(deref(m["eq"])); eq.Kind() == reflect.String {
		orders = append(orders, eq.String())
	}
	if m["in"] != nil && len(orders) == 0 { // an empty list matches nothing
		f.Props = append(f.Props, graph.PropFilter{Name: "id", Op: graph.OpIn, Value: []string{}})
		return nil
	}
	if typeName != string(graph.LabelJurisdiction) {
		f.Orders = append(f.Orders, orders...)
		return nil
	}
	// A jurisdiction's order is a function of its country and level.
	var byOrder graph.Filter
	for _, o := range orders {
		home := graph.PropFilter{Name: "country", Op: graph.OpEq, Value: graph.HomeCountry}
		switch o {
		case graph.OrderForeign:
			byOrder.Or = append(byOrder.Or, graph.Filter{Not: &graph.Filter{Props: []graph.PropFilter{home}}})
		case graph.OrderFederal:
			byOrder.Or = append(byOrder.Or, graph.Filter{Props: []graph.PropFilter{home, {Name: "level", Op: graph.OpEq, Value: "NATIONAL"}}})
		default:
			byOrder.Or = append(byOrder.Or, graph.Filter{Props: []graph.PropFilter{home, {Name: "level", Op: graph.OpEq, Value: o}}})
		}
	}
	f.And = append(f.And, byOrder)
	return nil
}

// propFilter reads a property's comparisons, converting values to the
// property's type in the model.
func propFilter(typeName, name string, m map[string]any, f *graph.Filter) error {
	labels := []graph.Label{graph.Label(typeName)}
	if typeName == "Entity" {
		labels = nil // the common properties only
	}
	p, ok := graph.PropertyOf(labels, name)
	if !ok {
		return graph.Errorf(graph.CodeBadInput, "%s has no property %q to filter on", typeName, name)
	}
	return comparisons(p, m, f)
}

// comparisons reads a property's comparisons, converting values to the
// property's type in the model.
func comparisons(p graph.Property, m map[string]any, f *graph.Filter) error {
	for _, op := range slices.Sorted(maps.Keys(m)) {
		raw := m[op]
		if raw == nil {
			continue
		}
		var v any
		var err error
		if graph.Op(op) == graph.OpIn {
			v, err = convertList(p, raw)
		} else {
			v, err = convert(p, raw)
		}
		if err != nil {
			return graph.Errorf(graph.CodeBadInput, "%s.%s: %v", p.Name, op, err)
		}
		f.Props = append(f.Props, graph.PropFilter{Name: p.Name, Op: graph.Op(op), Value: v})
	}
	return nil
}

func convertList(p graph.Property, raw any) (any, error) {
	items := listOf(raw)
	out := make([]any, len(items))
	for i, item := range items {
		v, err := convert(p, item)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// convert turns an argument's value into the type the graph stores.
func convert(p graph.Property, raw any) (any, error) {
	raw = deref(raw)
	switch p.Type {
	case graph.TypeDate:
		switch v := raw.(type) {
		case time.Time:
			return v, nil
		case string:
			return UnmarshalDate(v)
		}
	case graph.TypeInt:
		switch v := raw.(type) {
		case int64:
			return v, nil
		case int:
			return int64(v), nil
		case json.Number:
			return v.Int64()
		}
	case graph.TypeFloat:
		switch v := raw.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		case json.Number:
			return v.Float64()
		}
	case graph.TypeBool:
		if v, ok := raw.(bool); ok {
			return v, nil
		}
	default: // strings, enums, urls, ids
		if v := reflect.ValueOf(raw); v.Kind() == reflect.String {
			return v.String(), nil // enums arrive as their own string types
		}
	}
	return nil, fmt.Errorf("%v is not a %s", raw, p.Type)
}

func stringList(raw any) ([]string, error) {
	items := listOf(raw)
	out := make([]string, 0, len(items))
	for _, item := range items {
		v := reflect.ValueOf(deref(item))
		if v.Kind() != reflect.String {
			return nil, graph.Errorf(graph.CodeBadInput, "%v is not a string", item)
		}
		out = append(out, v.String())
	}
	return out, nil
}

// listOf returns the items of any slice: arguments arrive as []any from the
// query's text, or as typed slices from gqlgen.
func listOf(raw any) []any {
	v := reflect.ValueOf(deref(raw))
	if v.Kind() != reflect.Slice {
		return nil
	}
	out := make([]any, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface()
	}
	return out
}

func asMap(raw any) map[string]any {
	m, _ := deref(raw).(map[string]any)
	return m
}

// deref follows a pointer: gqlgen passes optional input fields as pointers.
func deref(raw any) any {
	v := reflect.ValueOf(raw)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return nil
	}
	return v.Interface()
}
