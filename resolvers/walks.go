package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/psmgraph/psmgraph/graph"
)

// walkConnection resolves the relationship field being resolved, by its walk in
// walkFields, through the request's loader of that walk and page.
func (r *Resolver) walkConnection(ctx context.Context, parent string, first *int, after *string, where map[string]any, orderBy []SortBy, edgeWhere map[string]any, edgeOrderBy []map[string]any) (*Connection, error) {
	fc := graphql.GetFieldContext(ctx)
	wf, ok := walkFields[fc.Object][fc.Field.Name]
	if !ok {
		return nil, fmt.Errorf("no walk for %s.%s", fc.Object, fc.Field.Name)
	}
	args, err := PageArgsOf(first, after, orderBy, EdgeSortsOf(edgeOrderBy))
	if err != nil {
		return nil, err
	}
	if args.Where, err = FilterOf(TargetType(wf.walk), where); err != nil {
		return nil, err
	}
	if args.EdgeWhere, err = EdgeFilterOf(wf.walk.Type, edgeWhere); err != nil {
		return nil, err
	}
	page, err := pageOf(ctx, wf, args, parent)
	if err != nil {
		return nil, err
	}
	c := newConnection(page)
	c.aggregate = func(ctx context.Context, a graph.Aggregate) (map[string]any, error) {
		return r.Store.Aggregate(ctx, graph.Read{Walk: &wf.walk, Args: graph.ListArgs{PageArgs: args}, Aggregate: &a}, parent)
	}
	return c, nil
}

// pageOf returns one parent's page of a walk, batched with the other
// parents' pages of the same walk and page.
func pageOf(ctx context.Context, wf walkField, args graph.PageArgs, parent string) (graph.Page[graph.Edge], error) {
	page, err := loadersOf(ctx).walk(wf.walk, args).Load(ctx, parent)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return graph.Page[graph.Edge]{}, nil
	}
	return page, err
}

// single resolves a field that names one neighbour, such as a province's
// country: the first node the walk reaches, or null.
func single[T graph.Node](ctx context.Context, r *Resolver, parent string) (*T, error) {
	fc := graphql.GetFieldContext(ctx)
	wf, ok := walkFields[fc.Object][fc.Field.Name]
	if !ok {
		return nil, fmt.Errorf("no walk for %s.%s", fc.Object, fc.Field.Name)
	}
	page, err := pageOf(ctx, wf, singleArgs, parent)
	if err != nil || len(page.Items) == 0 {
		return nil, err
	}
	n, ok := page.Items[0].Node.(T)
	if !ok {
		return nil, fmt.Errorf("%s is a %T, not a %T", page.Items[0].Node.GetID(), page.Items[0].Node, n)
	}
	return &n, nil
}

// singleArgs is the page a single-neighbour field reads.
var singleArgs = graph.PageArgs{First: 1}

// nodeAs returns an edge's node as the type its GraphQL field declares.
func nodeAs[T graph.Node](e *Edge) (*T, error) {
	n, ok := e.Node.(T)
	if !ok {
		return nil, fmt.Errorf("edge node %s is a %T, not a %T", e.Node.GetID(), e.Node, n)
	}
	return &n, nil
}

// sourcesOf resolves a list of source ids to Source nodes, batched across
// the request through its loader. An id that names no source is skipped:
// loading validates them, so only an edit made outside psmgraph can leave
// one.
func sourcesOf(ctx context.Context, ids []string) ([]graph.Source, error) {
	out := make([]graph.Source, 0, len(ids))
	thunks := make([]func() (graph.Node, error), len(ids))
	for i, id := range ids {
		thunks[i] = loadersOf(ctx).nodes.LoadThunk(ctx, id)
	}
	for _, thunk := range thunks {
		n, err := thunk()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if s, ok := n.(graph.Source); ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// list resolves a top-level list of a label's nodes, those in effect on a
// day when the arguments of a dated label ask for it.
func (r *Resolver) list(ctx context.Context, label graph.Label, first *int, after *string, where map[string]any, orderBy []SortBy, asOf, inEffectOn *time.Time, includeUndated *bool) (*Connection, error) {
	on, err := InEffect(asOf, inEffectOn, includeUndated)
	if err != nil {
		return nil, err
	}
	args, err := PageArgsOf(first, after, orderBy, nil)
	if err != nil {
		return nil, err
	}
	if args.Where, err = FilterOf(string(label), where); err != nil {
		return nil, err
	}
	list := graph.ListArgs{PageArgs: args, AsOf: on.Day, IncludeUndated: on.Undated}
	page, err := r.Store.List(ctx, label, list)
	if err != nil {
		return nil, err
	}
	c := nodeConnection(page)
	c.aggregate = func(ctx context.Context, a graph.Aggregate) (map[string]any, error) {
		return r.Store.Aggregate(ctx, graph.Read{Label: label, Args: list, Aggregate: &a}, "")
	}
	return c, nil
}

// Effect is the day on which a list or chain must be in effect, if any, and
// whether what has no first date counts.
type Effect struct {
	Day     *time.Time
	Undated bool
}

// InEffect reads the arguments that ask for what was in effect on a day:
// inEffectOn leaves out what has no first date unless includeUndated; the
// deprecated asOf counts it in, as it always did.
func InEffect(asOf, inEffectOn *time.Time, includeUndated *bool) (Effect, error) {
	switch {
	case asOf != nil && inEffectOn != nil:
		return Effect{}, graph.Errorf(graph.CodeBadInput, "give inEffectOn or asOf, not both")
	case inEffectOn != nil:
		return Effect{Day: inEffectOn, Undated: includeUndated != nil && *includeUndated}, nil
	case asOf != nil:
		return Effect{Day: asOf, Undated: true}, nil
	}
	return Effect{}, nil
}

// Citation is a source of a link, and where it states the link.
type Citation struct {
	Source  graph.Source
	Locator *string
}

// citationsOf loads a link's sources and pairs each with its locator.
func citationsOf(ctx context.Context, e graph.EdgeProps) ([]Citation, error) {
	found, err := sourcesOf(ctx, e.SourceIDs)
	if err != nil {
		return nil, err
	}
	out := make([]Citation, 0, len(found))
	for _, s := range found {
		c := Citation{Source: s}
		if i := slices.Index(e.SourceIDs, s.ID); i < len(e.Locators) && e.Locators[i] != "" {
			c.Locator = &e.Locators[i]
		}
		out = append(out, c)
	}
	return out, nil
}

// Sources are the link's sources.
func (e *Edge) Sources(ctx context.Context) ([]graph.Source, error) {
	return sourcesOf(ctx, e.SourceIDs)
}

// Sources are the link's sources.
func (h *Hop) Sources(ctx context.Context) ([]graph.Source, error) {
	return sourcesOf(ctx, h.SourceIDs)
}

// Citations are the link's sources, each with where it states the link.
func (e *Edge) Citations(ctx context.Context) ([]Citation, error) {
	return citationsOf(ctx, e.EdgeProps)
}

// Citations are the link's sources, each with where it states the link.
func (h *Hop) Citations(ctx context.Context) ([]Citation, error) {
	return citationsOf(ctx, h.EdgeProps)
}
