package neo4jtest

import (
	"context"
	"sync/atomic"

	"github.com/psmgraph/psmgraph/graph"
)

// Counter counts the transactions a store runs, for tests and benchmarks
// that bound how many queries a request costs.
type Counter struct{ queries atomic.Int64 }

// Count starts counting the store's transactions.
func Count(store *graph.Store) *Counter {
	c := &Counter{}
	store.Observe(c)
	return c
}

// Transaction counts one transaction.
func (c *Counter) Transaction(context.Context, graph.Transaction) { c.queries.Add(1) }

// Queries returns how many transactions have run since counting began.
func (c *Counter) Queries() int64 { return c.queries.Load() }
