package resolvers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/psmgraph/psmgraph/graph"
)

// neighbours resolves a relationship field: one page of the nodes the walk
// reaches from parent, batched with the same field of the parent's siblings.
func (r *Resolver) neighbours(ctx context.Context, w graph.Walk, parent string, first *int, after *string) (*Connection, error) {
	args, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	page, err := loadersOf(ctx).walk(w, args).Load(ctx, parent)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return newConnection(graph.Page[graph.Edge]{}), nil
	}
	if err != nil {
		return nil, err
	}
	return newConnection(page), nil
}

// single resolves a field that names one neighbour, such as a province's
// country: the first node the walk reaches, or null.
func single[T graph.Node](ctx context.Context, r *Resolver, w graph.Walk, parent string) (*T, error) {
	one := 1
	c, err := r.neighbours(ctx, w, parent, &one, nil)
	if err != nil || len(c.Edges) == 0 {
		return nil, err
	}
	return nodeAs[T](&c.Edges[0])
}

// nodeAs returns an edge's node as the type its GraphQL field declares.
func nodeAs[T graph.Node](e *Edge) (*T, error) {
	n, ok := e.Node.(T)
	if !ok {
		return nil, fmt.Errorf("edge node %s is a %T, not a %T", e.Node.GetID(), e.Node, n)
	}
	return &n, nil
}

// sources resolves a list of source ids to Source nodes, batched across the
// whole request. An id that names no source is skipped: the loader validates
// them, so it can only be an edit made outside the pipeline.
func (r *Resolver) sources(ctx context.Context, ids []string) ([]graph.Source, error) {
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

// list resolves a top-level list of a label's nodes.
func (r *Resolver) list(ctx context.Context, label graph.Label, first *int, after *string, asOf *time.Time) (*Connection, error) {
	args, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	page, err := r.Store.List(ctx, label, graph.ListArgs{PageArgs: args, AsOf: asOf})
	if err != nil {
		return nil, err
	}
	return nodeConnection(page), nil
}
