package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
)

// AggregateOf is what the selection of an aggregate field asks the store
// for: each figure and each grouping it shows, fragments spread.
func AggregateOf(op *graphql.OperationContext, sel ast.SelectionSet) graph.Aggregate {
	var a graph.Aggregate
	for _, f := range graphql.CollectFields(op, sel, []string{"Aggregate"}) {
		if f.Name == "groups" {
			a.Groups = append(a.Groups, GroupingOf(op, f))
		} else if fig, ok := FigureOf(op, f); ok {
			a.Figures = append(a.Figures, fig)
		}
	}
	return a
}

// GroupingOf is the grouping that a groups field shows.
func GroupingOf(op *graphql.OperationContext, f graphql.CollectedField) graph.Grouping {
	g := graph.Grouping{By: propertiesOf(f.ArgumentMap(op.Variables)["by"])}
	for _, gf := range graphql.CollectFields(op, f.Selections, []string{"AggregateGroup"}) {
		if fig, ok := FigureOf(op, gf); ok {
			g.Figures = append(g.Figures, fig)
		}
	}
	return g
}

// FigureOf is the figure a field of an aggregate or a group shows, if any:
// the fields are named after the measures.
func FigureOf(op *graphql.OperationContext, f graphql.CollectedField) (graph.Figure, bool) {
	switch m := graph.Measure(f.Name); m {
	case graph.MeasureCount:
		return graph.Figure{Measure: m}, true
	case graph.MeasureNumber, graph.MeasureDate, graph.MeasureText:
		of, _ := f.ArgumentMap(op.Variables)["of"].(string)
		return graph.Figure{Measure: m, Property: propertyOfField(of)}, true
	}
	return graph.Figure{}, false
}

// propertiesOf names the properties of a list of property enum values.
func propertiesOf(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			s, _ := e.(string)
			out = append(out, propertyOfField(s))
		}
	case []string:
		for _, s := range v {
			out = append(out, propertyOfField(s))
		}
	}
	return out
}

// Aggregate reads the figures that the field's selection shows, in one
// read, and answers them.
func (c *Connection) Aggregate(ctx context.Context) (*Aggregate, error) {
	if c.aggregate == nil {
		return nil, errors.New("this connection has no aggregate")
	}
	answer, err := c.aggregate(ctx, AggregateOf(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field.Selections))
	if err != nil {
		return nil, err
	}
	figures, _ := answer[graph.TreeFigures].(map[string]any)
	return &Aggregate{Figures: Figures{figures: figures}, answer: answer}, nil
}

// Aggregate is a list's aggregate: its figures over the whole list, and
// its groupings.
type Aggregate struct {
	Figures
	answer map[string]any
}

// Groups are the groups of the grouping by the properties.
func (a *Aggregate) Groups(by []string) ([]*Figures, error) {
	key := graph.Grouping{By: propertiesOf(by)}.Key()
	groups, ok := a.answer[key].([]any)
	if !ok {
		return nil, fmt.Errorf("grouping %s was not read", key)
	}
	out := make([]*Figures, len(groups))
	for i, g := range groups {
		figures, _ := g.(map[string]any)
		values, _ := figures[graph.TreeValues].([]any)
		out[i] = &Figures{figures: figures, values: make([]*string, len(values))}
		for j, v := range values {
			if s, ok := v.(string); ok {
				out[i].values[j] = &s
			}
		}
	}
	return out, nil
}

// Figures are the figures of an aggregate or of one of its groups, and a
// group's values.
type Figures struct {
	figures map[string]any
	values  []*string
}

// Values are a group's values of its grouping's properties.
func (f *Figures) Values() []*string { return f.values }

// Count is how many items the list or group holds.
func (f *Figures) Count() (int, error) {
	n, err := f.figure(graph.Figure{Measure: graph.MeasureCount})
	return int(asInt(n)), err
}

// Number is a number property's figures.
func (f *Figures) Number(of string) (*NumberFigures, error) {
	v, err := f.figure(graph.Figure{Measure: graph.MeasureNumber, Property: propertyOfField(of)})
	m, _ := v.(map[string]any)
	sum, _ := asFloat(m[graph.FigureSum])
	out := &NumberFigures{Count: int(asInt(m[graph.FigureCount])), Sum: sum}
	for name, to := range map[string]**float64{graph.FigureMin: &out.Min, graph.FigureMax: &out.Max, graph.FigureAverage: &out.Average} {
		if n, ok := asFloat(m[name]); ok {
			*to = &n
		}
	}
	return out, err
}

// Date is a date property's earliest and latest.
func (f *Figures) Date(of string) (*DateFigures, error) {
	v, err := f.figure(graph.Figure{Measure: graph.MeasureDate, Property: propertyOfField(of)})
	m, _ := v.(map[string]any)
	out := &DateFigures{}
	for name, to := range map[string]**graph.PartialDate{graph.FigureMin: &out.Min, graph.FigureMax: &out.Max} {
		if s, ok := m[name].(string); ok {
			d, perr := graph.ParsePartialDate(s)
			if perr != nil {
				return nil, perr
			}
			*to = &d
		}
	}
	return out, err
}

// Text is a text property's first and last values.
func (f *Figures) Text(of string) (*TextFigures, error) {
	v, err := f.figure(graph.Figure{Measure: graph.MeasureText, Property: propertyOfField(of)})
	m, _ := v.(map[string]any)
	out := &TextFigures{}
	for name, to := range map[string]**string{graph.FigureMin: &out.Min, graph.FigureMax: &out.Max} {
		if s, ok := m[name].(string); ok {
			*to = &s
		}
	}
	return out, err
}

// figure is a figure's value, which the read must have asked for.
func (f *Figures) figure(fig graph.Figure) (any, error) {
	v, ok := f.figures[fig.Key()]
	if !ok {
		return nil, fmt.Errorf("figure %s was not read", fig.Key())
	}
	return v, nil
}

func asInt(v any) int64 {
	n, _ := v.(int64)
	return n
}

func asFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}
