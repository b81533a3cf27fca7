package neo4jtest

import (
	"context"
	"sync/atomic"

	"github.com/psmgraph/psmgraph/graph"
)

// Counting is a store that counts the read queries it sends to Neo4j, one
// per call, for tests and benchmarks that bound how many a request costs.
type Counting struct {
	*graph.Store
	queries atomic.Int64
}

// Queries returns how many read queries have been sent.
func (c *Counting) Queries() int64 { return c.queries.Load() }

// Nodes counts and passes on.
func (c *Counting) Nodes(ctx context.Context, ids []string) (map[string]graph.Node, error) {
	c.queries.Add(1)
	return c.Store.Nodes(ctx, ids)
}

// List counts and passes on.
func (c *Counting) List(ctx context.Context, l graph.Label, a graph.ListArgs) (graph.Page[graph.Node], error) {
	c.queries.Add(1)
	return c.Store.List(ctx, l, a)
}

// ListBelow counts and passes on.
func (c *Counting) ListBelow(ctx context.Context, l graph.Label, a graph.ListArgs, b graph.Below) (graph.Page[graph.Node], error) {
	c.queries.Add(1)
	return c.Store.ListBelow(ctx, l, a, b)
}

// Neighbours counts and passes on.
func (c *Counting) Neighbours(ctx context.Context, w graph.Walk, p []string, a graph.PageArgs) (map[string]graph.Page[graph.Edge], error) {
	c.queries.Add(1)
	return c.Store.Neighbours(ctx, w, p, a)
}

// Search counts and passes on.
func (c *Counting) Search(ctx context.Context, text string, labels []graph.Label, first int) ([]graph.Hit, error) {
	c.queries.Add(1)
	return c.Store.Search(ctx, text, labels, first)
}

// Trace counts and passes on.
func (c *Counting) Trace(ctx context.Context, from, to string, hops int, via []graph.RelType, first int, stated bool) ([]graph.Path, error) {
	c.queries.Add(1)
	return c.Store.Trace(ctx, from, to, hops, via, first, stated)
}

// Influences counts and passes on.
func (c *Counting) Influences(ctx context.Context, f graph.InfluenceFilter) ([]graph.Influence, error) {
	c.queries.Add(1)
	return c.Store.Influences(ctx, f)
}

// Bearings counts and passes on.
func (c *Counting) Bearings(ctx context.Context, f graph.InfluenceFilter) ([]graph.LeverBearings, error) {
	c.queries.Add(1)
	return c.Store.Bearings(ctx, f)
}
