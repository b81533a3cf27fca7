package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/psmgraph/psmgraph/graph"
)

// walkField resolves the relationship field being resolved, by its walk in
// walkFields. A page the look-ahead already fetched comes from the request's
// cache; otherwise it is fetched now, with what lies below it.
func (r *Resolver) walkField(ctx context.Context, parent string, first *int, after *string, where map[string]any, orderBy []SortBy) (*Connection, error) {
	fc := graphql.GetFieldContext(ctx)
	wf, ok := walkFields[fc.Object][fc.Field.Name]
	if !ok {
		return nil, fmt.Errorf("no walk for %s.%s", fc.Object, fc.Field.Name)
	}
	args, err := PageArgsOf(first, after, orderBy)
	if err != nil {
		return nil, err
	}
	if args.Where, err = FilterOf(TargetType(wf.walk), where); err != nil {
		return nil, err
	}
	page, err := r.page(ctx, wf, args, parent, fc.Field.Selections)
	if err != nil {
		return nil, err
	}
	return newConnection(page), nil
}

// page returns one parent's page of a walk: from the cache when the
// look-ahead fetched it, else from the store, prefetching what the selection
// asks for below it.
func (r *Resolver) page(ctx context.Context, wf walkField, args graph.PageArgs, parent string, sel ast.SelectionSet) (graph.Page[graph.Edge], error) {
	l := loadersOf(ctx)
	if page, ok := l.primed(wf.walk, args, parent); ok {
		return page, nil
	}
	page, err := l.walk(wf.walk, args).Load(ctx, parent)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return graph.Page[graph.Edge]{}, nil
	}
	if err != nil {
		return page, err
	}
	if wf.single {
		err = r.prefetchNodes(ctx, sel, nodesOf(page.Items))
	} else {
		err = r.prefetchConnection(ctx, sel, page.Items)
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
	page, err := r.page(ctx, wf, singleArgs, parent, fc.Field.Selections)
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

// sources resolves a list of source ids to Source nodes, batched across the
// request (and usually already fetched by the look-ahead). An id that names
// no source is skipped: loading validates them, so only an edit made outside
// psmgraph can leave one.
func (r *Resolver) sources(ctx context.Context, ids []string) ([]graph.Source, error) {
	return sourcesOf(ctx, ids)
}

// sourcesOf loads the sources of the ids, through the request's loader.
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

// list resolves a top-level list of a label's nodes, with everything its
// selection asks for below.
func (r *Resolver) list(ctx context.Context, label graph.Label, first *int, after *string, on Effect, where map[string]any, orderBy []SortBy) (*Connection, error) {
	args, err := PageArgsOf(first, after, orderBy)
	if err != nil {
		return nil, err
	}
	if args.Where, err = FilterOf(string(label), where); err != nil {
		return nil, err
	}
	sel := graphql.GetFieldContext(ctx).Field.Selections
	listCtx := ctx
	if !selectsTotal(sel) {
		listCtx = graph.WithoutTotal(ctx)
	}
	// What the selection asks for below the list comes in the same query;
	// the look-ahead then finds it in the request's cache.
	l := loadersOf(ctx)
	below := graph.Below{Branches: r.newLookahead(ctx).branchesOfConnection(sel, []string{string(label)}), Prime: l.prime}
	page, err := r.Store.ListBelow(listCtx, label, graph.ListArgs{PageArgs: args, AsOf: on.Day, IncludeUndated: on.Undated}, below)
	if err != nil {
		return nil, err
	}
	c := nodeConnection(page)
	edges := make([]graph.Edge, len(page.Items))
	for i, n := range page.Items {
		edges[i] = graph.Edge{Node: n}
	}
	return c, r.prefetchConnection(ctx, sel, edges)
}

func nodesOf(edges []graph.Edge) []graph.Node {
	out := make([]graph.Node, len(edges))
	for i, e := range edges {
		out[i] = e.Node
	}
	return out
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

// Citations are the link's sources, each with where it states the link.
func (e *Edge) Citations(ctx context.Context) ([]Citation, error) {
	return citationsOf(ctx, e.EdgeProps)
}

// Citations are the link's sources, each with where it states the link.
func (h *Hop) Citations(ctx context.Context) ([]Citation, error) {
	return citationsOf(ctx, h.EdgeProps)
}
