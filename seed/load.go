package seed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// Store is what loading needs from the graph.
type Store interface {
	StartLoad(ctx context.Context, edit graph.Edit, key string) (*graph.LoadLog, error)
	LoadNodes(ctx context.Context, label graph.Label, rows []map[string]any, mode graph.Mode, log *graph.LoadLog, file graph.LoadFile) (graph.Counts, error)
	LoadRelationships(ctx context.Context, t graph.RelType, rows []graph.RelRow, mode graph.Mode, log *graph.LoadLog, file graph.LoadFile) (graph.Counts, error)
	IsEmpty(ctx context.Context, label graph.Label) (bool, error)
	HasNone(ctx context.Context, t graph.RelType) (bool, error)
	PruneNodes(ctx context.Context, label graph.Label, keep []string, dry bool, log *graph.LoadLog) (int, error)
	PruneRelationships(ctx context.Context, t graph.RelType, keep []graph.RelRow, dry bool, log *graph.LoadLog) (int, error)
	CompleteLoad(ctx context.Context, log *graph.LoadLog) error
}

// DefaultBatchSize is how many rows go in one write transaction: large enough
// to amortise a round trip, small enough to keep a transaction's memory low.
const DefaultBatchSize = 5000

// MaxBatchBytes bounds the values of one batch, whatever its rows: 5,000
// rows at the limit of a row would be over a gigabyte in one transaction,
// more than Neo4j's transaction memory on a default heap. Rows of usual
// sizes fill a batch by count long before.
const MaxBatchBytes = 8 << 20

// Options tune a load.
type Options struct {
	// BatchSize is the number of rows per transaction; 0 means DefaultBatchSize.
	BatchSize int
	// DryRun counts what a load would do, in read transactions, and writes nothing.
	DryRun bool
	// Progress, when set, is called after every batch.
	Progress func(Progress)
	// Prune deletes, after loading, the entities and links of the set's
	// files that the set no longer holds, so that the graph becomes the set
	// (a dry run counts them). Labels and types whose file the set lacks
	// are left alone.
	Prune bool
	// Edit says who loads and why: a load that changes the graph is one
	// revision of its change log, complete at the load's last batch.
	Edit graph.Edit
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
// When it stops, the Summary counts what the batches before it wrote.
//
// A load that changes the graph is one revision of its change log: each
// batch logs what it changed, and the revision is complete at the last. A
// load that stopped half-way and is run again with the same files and
// options completes the same revision.
func Load(ctx context.Context, store Store, set *Set, opts Options) (sum Summary, err error) {
	size := opts.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	started := time.Now()
	defer func() { sum.Elapsed = time.Since(started) }()
	sum = Summary{Nodes: map[graph.Label]graph.Counts{}, Rels: map[graph.RelType]graph.Counts{}}
	var log *graph.LoadLog
	if !opts.DryRun {
		if log, err = store.StartLoad(ctx, opts.Edit, loadKey(set, opts)); err != nil {
			return sum, err
		}
	}
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
		c, err := inBatches(rows, size, valueBytes, step, func(batch []map[string]any) (graph.Counts, error) {
			return store.LoadNodes(ctx, nt.Label, batch, mode, log, set.fileOf(nt.File))
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
		c, err := inBatches(rows, size, relBytes, step, func(batch []graph.RelRow) (graph.Counts, error) {
			return store.LoadRelationships(ctx, rt.Type, batch, mode, log, set.fileOf(rt.File))
		})
		sum.Rels[rt.Type] = c
		if err != nil {
			return sum, fmt.Errorf("load %s: %w", rt.File, err)
		}
	}
	if opts.Prune {
		if err := prune(ctx, store, set, log, &sum); err != nil {
			return sum, err
		}
	}
	if opts.DryRun {
		return sum, nil
	}
	return sum, store.CompleteLoad(ctx, log)
}

// loadKey names a load by its files' names and digests and its options,
// so that running it again resumes its revision; "" (never resumed) when
// a file's digest is unknown.
func loadKey(set *Set, opts Options) string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(set.Files)) {
		digest, ok := set.Digests[name]
		if !ok {
			return ""
		}
		fmt.Fprintf(h, "%s %s\n", name, digest)
	}
	fmt.Fprintf(h, "prune %t\n", opts.Prune)
	return hex.EncodeToString(h.Sum(nil))
}

// fileOf names one of the set's files for the change log.
func (s *Set) fileOf(name string) graph.LoadFile {
	return graph.LoadFile{Name: name, SHA256: s.Digests[name]}
}

// prune deletes the links, then the entities, of the set's files that the
// set does not hold; each label or type in a transaction of its own, so
// that a prune that stops part-way is completed by running it again.
func prune(ctx context.Context, store Store, set *Set, log *graph.LoadLog, sum *Summary) error {
	dry := log == nil
	for _, rt := range graph.RelationshipTypes {
		if !set.Files[rt.File] {
			continue
		}
		n, err := store.PruneRelationships(ctx, rt.Type, set.Rels[rt.Type], dry, log)
		c := sum.Rels[rt.Type]
		c.Deleted = n
		sum.Rels[rt.Type] = c
		if err != nil {
			return fmt.Errorf("prune %s: %w", rt.File, err)
		}
	}
	for _, nt := range graph.NodeTypes {
		if !set.Files[nt.File] {
			continue
		}
		keep := make([]string, len(set.Nodes[nt.Label]))
		for i, row := range set.Nodes[nt.Label] {
			keep[i], _ = row["id"].(string)
		}
		n, err := store.PruneNodes(ctx, nt.Label, keep, dry, log)
		c := sum.Nodes[nt.Label]
		c.Deleted = n
		sum.Nodes[nt.Label] = c
		if err != nil {
			return fmt.Errorf("prune %s: %w", nt.File, err)
		}
	}
	return nil
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

// inBatches merges rows a batch at a time, a batch holding at most size rows
// and MaxBatchBytes of values (and at least one row), adding up the counts
// and reporting each batch done.
func inBatches[T any](rows []T, size int, bytesOf func(T) int, done func(int), merge func([]T) (graph.Counts, error)) (graph.Counts, error) {
	var total graph.Counts
	for start := 0; start < len(rows); {
		end, n := start, 0
		for end < len(rows) && end-start < size {
			b := bytesOf(rows[end])
			if end > start && n+b > MaxBatchBytes {
				break
			}
			n += b
			end++
		}
		batch := rows[start:end]
		c, err := merge(batch)
		if err != nil {
			return total, fmt.Errorf("rows %d to %d: %w", start+1, end, err)
		}
		total.Add(c)
		done(len(batch))
		start = end
	}
	return total, nil
}

// valueBytes is about how many bytes a row's values take: its strings,
// and a word for any other value.
func valueBytes(row map[string]any) int {
	n := 0
	for _, v := range row {
		switch v := v.(type) {
		case string:
			n += len(v)
		case []string:
			for _, s := range v {
				n += len(s)
			}
		default:
			n += 8
		}
	}
	return n
}

func relBytes(r graph.RelRow) int { return len(r.From) + len(r.To) + valueBytes(r.Props) }
