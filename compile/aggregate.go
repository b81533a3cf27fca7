package compile

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// aggregate plans a connection's aggregate field: the figures and
// groupings its selection shows join the read's aggregate, which an
// aggregate field of the same connection under another alias shares. An
// aggregate the tree cannot read, or the resolvers will refuse, is left
// to them: should the answer have one to write, the writer declines it.
func (p *planner) aggregate(out *field, read *graph.Read, f graphql.CollectedField, targets []graph.Label) error {
	out.kind = kindAggregate
	if p.analysis {
		out.declined = decline(reasonField, "an aggregate below an analysis's nodes is not compiled")
		return nil
	}
	a := resolvers.AggregateOf(p.op, f.Selections)
	if read.Aggregate != nil {
		a.Figures = append(read.Aggregate.Figures, a.Figures...)
		a.Groups = append(read.Aggregate.Groups, a.Groups...)
	}
	if err := a.Check(targets, read.Walk); err != nil {
		out.declined = decline(reasonArguments, "%s: aggregate is refused", f.Name)
		return nil
	}
	read.Aggregate = &a
	fields, err := p.fixed(f.Selections, "Aggregate", nil, func(sub *field, af graphql.CollectedField) error {
		if af.Name != "groups" {
			return p.figure(sub, af)
		}
		sub.kind = kindGroups
		sub.name = resolvers.GroupingOf(p.op, af).Key()
		var err error
		sub.fields, err = p.fixed(af.Selections, "AggregateGroup", map[string]kind{"values": kindGroupValues}, p.figure)
		return err
	})
	out.fields = fields
	return err
}

// figure plans a field of an aggregate or a group that shows a figure:
// the count, or a property's figures, whose leaves are its map's keys.
func (p *planner) figure(out *field, f graphql.CollectedField) error {
	fig, ok := resolvers.FigureOf(p.op, f)
	if !ok {
		return notCompiled(out, f.Name)
	}
	out.kind, out.name = kindFigure, fig.Key()
	if fig.Measure == graph.MeasureCount {
		return nil
	}
	typename := f.Definition.Type.Name()
	fields, err := p.fixed(f.Selections, typename, nil, func(sub *field, lf graphql.CollectedField) error {
		sub.kind, sub.name = kindFigureValue, lf.Name
		return nil
	})
	out.fields, out.typename = fields, typename
	return err
}

// aggregate writes an aggregate from its answer.
func (w *writer) aggregate(f *field, answer map[string]any) error {
	if f.declined != nil {
		return f.declined
	}
	if answer == nil {
		return errNull
	}
	figures, _ := answer[graph.TreeFigures].(map[string]any)
	return w.object(f.fields, func(sub *field) error {
		if sub.kind != kindGroups {
			return w.figure(sub, figures)
		}
		groups, _ := answer[sub.name].([]any)
		return w.list(len(groups), func(i int) error {
			group, _ := groups[i].(map[string]any)
			return w.object(sub.fields, func(gf *field) error {
				if gf.kind != kindGroupValues {
					return w.figure(gf, group)
				}
				values, _ := group[graph.TreeValues].([]any)
				return w.list(len(values), func(j int) error { return w.scalar(gf.typ.Elem, values[j]) })
			})
		})
	})
}

// figure writes a figure from the map of figures that holds it.
func (w *writer) figure(f *field, figures map[string]any) error {
	v, ok := figures[f.name]
	if !ok {
		return errNull
	}
	if f.typ.Name() == "Int" {
		return w.scalar(f.typ, v) // a count
	}
	values, _ := v.(map[string]any)
	return w.object(f.fields, func(sub *field) error { return w.scalar(sub.typ, values[sub.name]) })
}
