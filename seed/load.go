package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// Store is what loading needs from the graph.
type Store interface {
	LoadNodes(ctx context.Context, label graph.Label, rows []map[string]any, mode graph.Mode) (graph.Counts, error)
	LoadRelationships(ctx context.Context, t graph.RelType, rows []graph.RelRow, mode graph.Mode) (graph.Counts, error)
	IsEmpty(ctx context.Context, label graph.Label) (bool, error)
	HasNone(ctx context.Context, t graph.RelType) (bool, error)
}

// DefaultBatchSize is how many rows go in one write transaction: large enough
// to amortise a round trip, small enough to keep a transaction's memory low.
const DefaultBatchSize = 5000

// Options tune a load.
type Options struct {
	// BatchSize is the number of rows per transaction; 0 means DefaultBatchSize.
	BatchSize int
	// DryRun counts what a load would do, in read transactions, and writes nothing.
	DryRun bool
	// Progress, when set, is called after every batch.
	Progress func(Progress)
}

// Progress is how far a load has come.
type Progress struct {
	Done, Total int
	Elapsed     time.Duration
}

// Summary says what a load did (or, dry, would do), per label and type.
type Summary struct {
	Nodes   map[graph.Label]graph.Counts
	Rels    map[graph.RelType]graph.Counts
	Elapsed time.Duration
}

// Totals adds up the summary's node and relationship counts.
func (s Summary) Totals() (nodes, rels graph.Counts) {
	for _, c := range s.Nodes {
		nodes.Add(c)
	}
	for _, c := range s.Rels {
		rels.Add(c)
	}
	return nodes, rels
}

// Load upserts a validated set into the graph: every node first, then every
// relationship, in batches of one write transaction each. Each batch is
// idempotent, so a load that stops half-way, for whatever reason, is
// completed by running it again; a second run of the same set writes nothing.
func Load(ctx context.Context, store Store, set *Set, opts Options) (Summary, error) {
	size := opts.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	started := time.Now()
	sum := Summary{Nodes: map[graph.Label]graph.Counts{}, Rels: map[graph.RelType]graph.Counts{}}
	progress := Progress{Total: set.Rows()}
	step := func(n int) {
		progress.Done += n
		progress.Elapsed = time.Since(started)
		if opts.Progress != nil {
			opts.Progress(progress)
		}
	}
	for _, nt := range graph.NodeTypes {
		rows := set.Nodes[nt.Label]
		mode, err := modeOf(opts, len(rows), func() (bool, error) { return store.IsEmpty(ctx, nt.Label) })
		if err != nil {
			return sum, err
		}
		c, err := inBatches(rows, size, step, func(batch []map[string]any) (graph.Counts, error) {
			return store.LoadNodes(ctx, nt.Label, batch, mode)
		})
		sum.Nodes[nt.Label] = c
		if err != nil {
			return sum, fmt.Errorf("load %s: %w", nt.File, err)
		}
	}
	for _, rt := range graph.RelationshipTypes {
		rows := set.Rels[rt.Type]
		mode, err := modeOf(opts, len(rows), func() (bool, error) { return store.HasNone(ctx, rt.Type) })
		if err != nil {
			return sum, err
		}
		c, err := inBatches(rows, size, step, func(batch []graph.RelRow) (graph.Counts, error) {
			return store.LoadRelationships(ctx, rt.Type, batch, mode)
		})
		sum.Rels[rt.Type] = c
		if err != nil {
			return sum, fmt.Errorf("load %s: %w", rt.File, err)
		}
	}
	sum.Elapsed = time.Since(started)
	return sum, nil
}

// modeOf chooses how to write a file's rows: a label or type the graph has
// none of yet is created outright, which spares a lookup per row on a first
// load; otherwise rows are merged. Decided once per file, before its first
// batch, so that a load interrupted part-way merges when run again.
func modeOf(opts Options, rows int, empty func() (bool, error)) (graph.Mode, error) {
	if opts.DryRun {
		return graph.DryRun, nil
	}
	if rows == 0 {
		return graph.Upsert, nil
	}
	fresh, err := empty()
	if err != nil || !fresh {
		return graph.Upsert, err
	}
	return graph.Fresh, nil
}

// inBatches merges rows a batch at a time, adding up the counts and reporting
// each batch done.
func inBatches[T any](rows []T, size int, done func(int), merge func([]T) (graph.Counts, error)) (graph.Counts, error) {
	var total graph.Counts
	for start := 0; start < len(rows); start += size {
		batch := rows[start:min(start+size, len(rows))]
		c, err := merge(batch)
		if err != nil {
			return total, fmt.Errorf("rows %d to %d: %w", start+1, start+len(batch), err)
		}
		total.Add(c)
		done(len(batch))
	}
	return total, nil
}
