package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"sort"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// progressAfter is how long a load runs before it reports progress: short
// loads stay quiet.
const progressAfter = 2 * time.Second

// seedCmd validates a data set and loads it into Neo4j.
func seedCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("psmgraph seed", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dryRun := fset.Bool("dry-run", false, "report what would be created, updated and left unchanged, and write nothing")
	batch := fset.Int("batch-size", seed.DefaultBatchSize, "rows per write transaction")
	reason := fset.String("reason", "", "why: recorded with the load in the graph's change log (default: the set's name)")
	prune := fset.Bool("prune", false, "also delete the entities and links of the set's files that the set no longer holds, so that the graph becomes the set")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: psmgraph seed [flags] [DIR]\n\nValidates the CSV data set in DIR (default: the shipped data set) and loads it into Neo4j:\nNEO4J_URI, or the embedded Neo4j when it is unset. Nothing is written if the set has a problem.\n\nFlags:")
		fset.PrintDefaults()
	}
	cfg, err := loadConfig(fset, args)
	if err != nil {
		return err
	}
	if fset.NArg() > 1 || *batch <= 0 {
		fset.Usage()
		return errUsage
	}
	var set *seed.Set
	name := "the shipped data set"
	if fset.NArg() == 1 {
		name = fset.Arg(0)
		set, err = readSet(ctx, name, seed.Checks{}, stdout)
	} else {
		set, err = seed.ReadContext(ctx, seed.Shipped())
	}
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	db, stop, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stop()

	progress := newProgressLine(stderr)
	if *reason == "" {
		*reason = "psmgraph seed of " + name
	}
	edit := graph.Edit{Actor: actor(), Reason: *reason}
	sum, err := seed.Load(ctx, db.store, set, seed.Options{BatchSize: *batch, DryRun: *dryRun, Prune: *prune, Progress: progress.update, Edit: edit})
	progress.end()
	switch {
	case err != nil && !*dryRun:
		// Each batch commits alone: say what those before the failure wrote.
		fmt.Fprintf(stdout, "the load of %s stopped part-way after %s, having written:\n", name, sum.Elapsed.Round(time.Millisecond))
		printCounts(stdout, sum)
		fmt.Fprintln(stdout, "running the same command again completes the load, once the error below is resolved")
		return err
	case err != nil:
		return err
	}
	verb := "loaded"
	if *dryRun {
		verb = "dry run of"
	}
	fmt.Fprintf(stdout, "%s %s in %s\n", verb, name, sum.Elapsed.Round(time.Millisecond))
	if !printCounts(stdout, sum) {
		fmt.Fprintln(stdout, "  no changes: the graph already holds this data set")
		return nil
	}
	if *dryRun {
		return listChanges(ctx, stdout, db.store, set, *prune)
	}
	return nil
}

// listedChanges bounds the changes a dry run lists: psmgraph export and
// psmgraph diff list them all.
const listedChanges = 200

// listChanges lists what loading the set would change in the graph: the
// graph read whole, as an export reads it, and compared with the set.
func listChanges(ctx context.Context, w io.Writer, store seed.Exporter, set *seed.Set, prune bool) error {
	live, err := seed.SetOf(ctx, store)
	if err != nil {
		return err
	}
	d := seed.DiffSets(live, set)
	if !prune {
		d = d.Without(seed.Removed)
	}
	fmt.Fprintln(w, "the changes:")
	return d.WriteText(w, listedChanges)
}

// seedShippedIfEmpty loads the shipped data set into an empty graph, so that
// a new installation answers questions from its first start. loaded is false
// when the graph already had nodes.
func seedShippedIfEmpty(ctx context.Context, store *graph.Store) (sum seed.Summary, loaded bool, err error) {
	n, err := store.CountNodes(ctx)
	if err != nil || n > 0 {
		return sum, false, err
	}
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		return sum, false, fmt.Errorf("the shipped data set: %w", err)
	}
	sum, err = seed.Load(ctx, store, set, seed.Options{Edit: graph.Edit{Actor: "psmgraph serve", Reason: "the shipped data set, into an empty graph"}})
	return sum, err == nil, err
}

// printCounts prints what a load did, in total and for each label and type
// it changed, and reports whether it changed anything.
func printCounts(w io.Writer, sum seed.Summary) bool {
	nodes, rels := sum.Totals()
	deleted := func(c graph.Counts) string {
		if nodes.Deleted+rels.Deleted == 0 {
			return "" // only a pruning load deletes
		}
		return fmt.Sprintf("  deleted %6d", c.Deleted)
	}
	line := func(what string, c graph.Counts) {
		fmt.Fprintf(w, "  %-28s created %6d  updated %6d  unchanged %6d%s\n", what, c.Created, c.Updated, c.Unchanged, deleted(c))
	}
	line("nodes", nodes)
	line("relationships", rels)
	var rows []string
	for l, c := range sum.Nodes {
		if c.Changed() {
			rows = append(rows, fmt.Sprintf("    %-26s created %6d  updated %6d%s", l, c.Created, c.Updated, deleted(c)))
		}
	}
	for t, c := range sum.Rels {
		if c.Changed() {
			rows = append(rows, fmt.Sprintf("    %-26s created %6d  updated %6d%s", t, c.Created, c.Updated, deleted(c)))
		}
	}
	sort.Strings(rows)
	for _, r := range rows {
		fmt.Fprintln(w, r)
	}
	return nodes.Changed() || rels.Changed()
}

// progressLine reports a long load's progress on one terminal line.
type progressLine struct {
	w       io.Writer
	last    time.Time
	written bool
}

func newProgressLine(w io.Writer) *progressLine { return &progressLine{w: w} }

func (p *progressLine) update(pr seed.Progress) {
	if pr.Elapsed < progressAfter || time.Since(p.last) < 500*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.written = true
	rate := float64(pr.Done) / pr.Elapsed.Seconds()
	fmt.Fprintf(p.w, "\rloading: %d of %d rows (%.0f%%), %.0f rows/s   ", pr.Done, pr.Total, 100*float64(pr.Done)/float64(pr.Total), rate)
}

func (p *progressLine) end() {
	if p.written {
		fmt.Fprintln(p.w)
	}
}

// exportCmd writes the graph to a directory in the CSV layout.
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("psmgraph export", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: psmgraph export [flags] DIR\n\nWrites the graph in Neo4j (NEO4J_URI, or the embedded Neo4j) to DIR as a CSV data set that\npsmgraph seed reads back.\n\nFlags:")
		fset.PrintDefaults()
	}
	cfg, err := loadConfig(fset, args)
	if err != nil {
		return err
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return errUsage
	}
	dir := fset.Arg(0)
	if _, err := os.Stat(dir); err == nil {
		if entries, _ := os.ReadDir(dir); len(entries) > 0 && !onlyCSV(entries) {
			return fmt.Errorf("%s holds files other than CSV: export into an empty folder", dir)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	db, stop, err := openDatabase(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer stop()
	n, err := seed.Export(ctx, db.store, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d rows to %s\n", n, dir)
	return nil
}

func onlyCSV(entries []os.DirEntry) bool {
	for _, e := range entries {
		if e.IsDir() || len(e.Name()) < 4 || e.Name()[len(e.Name())-4:] != ".csv" {
			return false
		}
	}
	return true
}

// actor names who runs a command, for the change log: the user.
func actor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "psmgraph"
}
