// Command seedload benchmarks `psmgraph seed` against Neo4j's own LOAD CSV.
// It generates a data set of -rels relationship rows with their nodes, then,
// on one Neo4j and each time from an empty graph, loads it with psmgraph
// (validation and load, as `psmgraph seed DIR` does) and with LOAD CSV …
// CALL IN TRANSACTIONS, and prints rows per second for both and their ratio.
// Both loads must leave the same graph; the benchmark checks that they do.
//
// An untimed load by both comes first (-warmup), and the order of the two
// alternates from round to round (-rounds): the first load on a new Neo4j is
// much slower, whichever loader runs it. On a machine that other processes
// share, the table's CPU columns tell which runs they slowed down.
//
// It starts a throwaway embedded Neo4j unless NEO4J_URI is set; a server of
// one's own then needs -import-dir, its import directory, for LOAD CSV, and
// must hold no nodes, since the benchmark empties the graph between runs.
//
//	go run ./bench/seedload [-rels 1000000] [-batch 5000] [-rounds 1] [-keep]
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/bench/internal/host"
	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/shape"
	"github.com/psmgraph/psmgraph/seed"
)

type options struct {
	rels, batch, rounds int
	warmup              int
	keep, csvFirst      bool
	csvCreate           bool
	importDir           string
	cpuProfile          string
	launcher            string
	heap, pageCache     string
}

func main() {
	var o options
	flag.IntVar(&o.rels, "rels", 1_000_000, "relationship rows to generate")
	flag.IntVar(&o.batch, "batch", seed.DefaultBatchSize, "rows per transaction, for both loads")
	flag.IntVar(&o.rounds, "rounds", 1, "rounds of one psmgraph and one LOAD CSV run, each from an empty graph, in alternate order")
	flag.IntVar(&o.warmup, "warmup", -1, "relationship rows of an untimed load by both loaders before the timed ones; -1: as many as -rels; 0: none")
	flag.BoolVar(&o.csvFirst, "csv-first", false, "run LOAD CSV first in odd rounds, psmgraph first in even ones")
	flag.BoolVar(&o.csvCreate, "csv-create", false, "LOAD CSV with CREATE instead of MERGE, as psmgraph writes a label or type the graph has none of")
	flag.BoolVar(&o.keep, "keep", false, "keep the generated data set, the Neo4j store and the last run's graph")
	flag.StringVar(&o.importDir, "import-dir", "", "with NEO4J_URI: the server's import directory, where LOAD CSV reads file:/// URLs")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a Go CPU profile of the first psmgraph run to this file")
	flag.StringVar(&o.launcher, "launcher", filepath.Join("embedded", "launcher"), "the embedded Neo4j launcher's project")
	flag.StringVar(&o.heap, "heap", "4g", "JVM heap of the embedded Neo4j")
	flag.StringVar(&o.pageCache, "pagecache", "2g", "page cache of the embedded Neo4j")
	flag.Parse()
	if flag.NArg() > 0 || o.rels <= 0 || o.batch <= 0 || o.rounds <= 0 || o.warmup < -1 {
		flag.Usage()
		os.Exit(2)
	}
	if o.warmup == -1 {
		o.warmup = o.rels
	}
	// A reader that goes away (| head) must not kill us before the cleanup:
	// writes then fail instead.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, o, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "seedload:", err)
		os.Exit(1)
	}
}

// bench is one benchmark session: the data set and the database.
type bench struct {
	o        options
	ds       *shape.Dataset
	store    *graph.Store
	driver   neo4j.DriverWithContext // for LOAD CSV and checks, beside the store's
	database string
	csvURL   string // file:/// URL of the data set's copy in the import directory
	log      io.Writer
	// reference is the first run's fingerprint of the graph, which every
	// later run must match.
	reference []string
}

// result is one timed load.
type result struct {
	name       string
	round      int
	files      []fileTime
	total      time.Duration
	validation time.Duration // psmgraph only: seed.Read
	peakRSS    float64       // psmgraph only: MiB; 0 if unknown
	// ourCPU is the CPU time this process and its Neo4j took, in seconds:
	// the work a load costs, less sensitive than its duration to other
	// processes on a shared machine. othersCPU is theirs: a run that met
	// much of it is suspect.
	ourCPU, othersCPU float64
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) (err error) {
	uri := os.Getenv("NEO4J_URI")
	if uri != "" && o.importDir == "" {
		return errors.New("NEO4J_URI is set: LOAD CSV reads from the server's import directory, " +
			"so pass it as -import-dir (it must be writable here), or unset NEO4J_URI to use a throwaway embedded Neo4j")
	}
	root, err := os.MkdirTemp("", "psmgraph-seedload-*")
	if err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintln(stderr, "kept", root)
		} else if rerr := os.RemoveAll(root); err == nil {
			err = rerr
		}
	}()

	b := &bench{o: o, log: stderr}
	started := time.Now()
	dataDir := filepath.Join(root, "data")
	if err := os.Mkdir(dataDir, 0o750); err != nil {
		return err
	}
	if b.ds, err = shape.Generate(dataDir, shape.Size{Rels: o.rels}); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	generated := time.Since(started)
	fmt.Fprintf(stderr, "generated %d node and %d relationship rows (%.1f MiB) in %s\n",
		b.ds.NodeRows(), b.ds.RelRows(), float64(b.ds.Bytes)/(1<<20), generated.Round(time.Millisecond))

	conn := graph.Settings{URI: uri, Username: cmp.Or(os.Getenv("NEO4J_USERNAME"), "neo4j"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	neo4jDesc := "NEO4J_URI " + uri + " (its own heap and page cache)"
	importDir := o.importDir
	if uri == "" {
		home := filepath.Join(root, "neo4j")
		srv, err := embedded.Start(ctx, embedded.Options{
			Launcher: o.launcher, Home: home, Heap: o.heap, PageCache: o.pageCache, SmallDisk: true,
			Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		})
		if err != nil {
			return err
		}
		defer func() {
			if serr := srv.Stop(time.Minute); err == nil {
				err = serr
			}
		}()
		conn = graph.Settings{URI: srv.URI()}
		importDir = filepath.Join(home, "import")
		neo4jDesc = fmt.Sprintf("embedded, heap %s, page cache %s", o.heap, o.pageCache)
	}
	if b.store, err = graph.Open(conn); err != nil {
		return err
	}
	defer b.store.Close(context.Background())
	auth := neo4j.NoAuth()
	if conn.Password != "" {
		auth = neo4j.BasicAuth(conn.Username, conn.Password, "")
	}
	if b.driver, err = neo4j.NewDriverWithContext(conn.URI, auth); err != nil {
		return err
	}
	defer func() { _ = b.driver.Close(context.Background()) }()
	b.database = conn.Database
	if err := b.store.WaitReady(ctx); err != nil {
		return err
	}
	if n, err := b.store.CountNodes(ctx); err != nil || n > 0 {
		if err == nil {
			err = fmt.Errorf("the graph holds %d nodes: the benchmark deletes every node, so give it an empty database", n)
		}
		return err
	}
	version, err := b.version(ctx)
	if err != nil {
		return err
	}

	// A subdirectory of the import directory, so that a server's own files
	// there are neither overwritten nor removed.
	sub := filepath.Join(importDir, "psmgraph-seedload")
	if !o.keep {
		defer func() { _ = os.RemoveAll(sub) }()
	}
	if err := copyFiles(b.ds, filepath.Join(sub, "data")); err != nil {
		return fmt.Errorf("copy the data set into the import directory: %w", err)
	}
	b.csvURL = "file:///psmgraph-seedload/data/"

	if o.warmup > 0 {
		if err := b.warmUp(ctx, filepath.Join(root, "warmup"), sub); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}

	// The second run of a round goes first in the next, so that neither
	// loader always runs just after the other's load and deletion.
	var results []result
	for round := 1; round <= o.rounds; round++ {
		runs := []func() (result, error){
			func() (result, error) { return b.runPsmgraph(ctx, round == 1 && o.cpuProfile != "") },
			func() (result, error) { return b.runLoadCSV(ctx) },
		}
		if (round%2 == 0) != o.csvFirst {
			runs[0], runs[1] = runs[1], runs[0]
		}
		for _, run := range runs {
			r, err := run()
			if err != nil {
				return fmt.Errorf("%s run %d: %w", r.name, round, err)
			}
			r.round = round
			results = append(results, r)
		}
	}
	if !o.keep {
		if err := b.empty(ctx); err != nil {
			return err
		}
	}

	csvWrite := "MERGE"
	if o.csvCreate {
		csvWrite = "CREATE"
	}
	fmt.Fprintf(stdout, "psmgraph seed vs LOAD CSV (%s): %d node rows + %d relationship rows, batch %d, %d round(s), warm-up %d relationship rows\n",
		csvWrite, b.ds.NodeRows(), b.ds.RelRows(), o.batch, o.rounds, o.warmup)
	fmt.Fprintf(stdout, "machine: %s\n", host.Machine())
	fmt.Fprintf(stdout, "neo4j:   %s, %s\n", version, neo4jDesc)
	fmt.Fprintf(stdout, "data:    %d files, %.1f MiB, generated in %s\n\n", len(b.ds.Files), float64(b.ds.Bytes)/(1<<20), generated.Round(time.Millisecond))
	b.printTable(stdout, results)
	return nil
}

// warmUp loads a set with both loaders, untimed. Whichever loader runs first
// on a new Neo4j pays for JIT compilation, the JVM heap's growth and the
// store files' growth (later loads reuse the records a deletion freed): at
// 1M rows, a third more CPU than the same load run second.
func (b *bench) warmUp(ctx context.Context, dir, importDir string) error {
	fmt.Fprintf(b.log, "warm-up: %d relationship rows, untimed\n", b.o.warmup)
	if err := os.Mkdir(dir, 0o750); err != nil {
		return err
	}
	ds, err := shape.Generate(dir, shape.Size{Rels: b.o.warmup})
	if err != nil {
		return err
	}
	if err := copyFiles(ds, filepath.Join(importDir, "warmup")); err != nil {
		return err
	}
	warm := &bench{o: b.o, ds: ds, store: b.store, driver: b.driver, database: b.database,
		csvURL: "file:///psmgraph-seedload/warmup/", log: io.Discard}
	warm.o.cpuProfile = ""
	if _, err := warm.runPsmgraph(ctx, false); err != nil {
		return err
	}
	_, err = warm.runLoadCSV(ctx)
	return err
}

// runPsmgraph times what `psmgraph seed DIR` does: read and validate the set,
// then load it.
func (b *bench) runPsmgraph(ctx context.Context, profile bool) (result, error) {
	res := result{name: "psmgraph"}
	if err := b.empty(ctx); err != nil {
		return res, err
	}
	fmt.Fprintln(b.log, "psmgraph: loading")
	if profile {
		f, err := os.Create(b.o.cpuProfile)
		if err != nil {
			return res, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return res, err
		}
		defer pprof.StopCPUProfile()
	}
	rssKnown := resetPeakRSS()

	// Progress comes after each batch, and a batch never spans two files:
	// the row counts of the files, in load order, tell when each one ends.
	var files []fileTime
	for _, nt := range graph.NodeTypes {
		if n := b.ds.Nodes[nt.Label]; n > 0 {
			files = append(files, fileTime{file: nt.File, rows: n})
		}
	}
	for _, rt := range graph.RelationshipTypes {
		if n := b.ds.Rels[rt.Type]; n > 0 {
			files = append(files, fileTime{file: rt.File, rows: n})
		}
	}
	next, ends, last := 0, files[0].rows, time.Duration(0)
	reported := time.Now()
	progress := func(p seed.Progress) {
		if next < len(files) && p.Done == ends {
			files[next].elapsed = p.Elapsed - last
			last = p.Elapsed
			if next++; next < len(files) {
				ends += files[next].rows
			}
		}
		if time.Since(reported) > 15*time.Second {
			reported = time.Now()
			fmt.Fprintf(b.log, "  %d of %d rows, %.0f rows/s\n", p.Done, p.Total, float64(p.Done)/p.Elapsed.Seconds())
		}
	}

	cpu := readCPUTimes()
	started := time.Now()
	set, err := seed.Read(os.DirFS(b.ds.Dir))
	if err != nil {
		return res, fmt.Errorf("the generated data set is invalid: %w", err)
	}
	res.validation = time.Since(started)
	sum, err := seed.Load(ctx, b.store, set, seed.Options{BatchSize: b.o.batch, Progress: progress,
		Edit: graph.Edit{Actor: "bench/seedload", Reason: "a benchmark load"}})
	res.total = time.Since(started)
	res.ourCPU, res.othersCPU = cpu.since()
	if err != nil {
		return res, err
	}
	if rssKnown {
		res.peakRSS = peakRSS()
	}
	res.files = files
	nodes, rels := sum.Totals()
	if nodes.Created != b.ds.NodeRows() || rels.Created != b.ds.RelRows() {
		return res, fmt.Errorf("created %d nodes and %d relationships, want %d and %d: was the graph empty?",
			nodes.Created, rels.Created, b.ds.NodeRows(), b.ds.RelRows())
	}
	return res, b.check(ctx, res.name)
}

func (b *bench) runLoadCSV(ctx context.Context) (result, error) {
	res := result{name: "LOAD CSV"}
	if err := b.empty(ctx); err != nil {
		return res, err
	}
	fmt.Fprintln(b.log, "LOAD CSV: loading")
	cpu := readCPUTimes()
	started := time.Now()
	files, err := runLoadCSV(ctx, b.driver, b.database, b.csvURL, b.ds, b.o.batch, b.o.csvCreate)
	res.total = time.Since(started)
	res.ourCPU, res.othersCPU = cpu.since()
	if err != nil {
		return res, err
	}
	res.files = files
	return res, b.check(ctx, res.name)
}

// check verifies that the run left the graph the data set describes, and the
// same graph as the first run.
func (b *bench) check(ctx context.Context, name string) error {
	fp, err := fingerprint(ctx, b.driver, b.database, b.ds)
	if err != nil {
		return fmt.Errorf("after the %s run: %w", name, err)
	}
	if b.reference == nil {
		b.reference = fp
		return nil
	}
	if d := firstDifference(b.reference, fp); d != "" {
		return fmt.Errorf("the %s run left a different graph from the first run: %s", name, d)
	}
	return nil
}

// empty deletes the graph and applies the schema, as before a first seed.
// Relationships go first, in batches: store.DeleteAll takes 10,000 nodes a
// transaction with their relationships, and the hubs (kinds, sectors), all
// among the first nodes, would bring most of the graph into one transaction.
func (b *bench) empty(ctx context.Context) error {
	session := b.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: b.database})
	defer session.Close(ctx)
	result, err := session.Run(ctx, "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS", nil)
	if err == nil {
		_, err = result.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("delete the relationships: %w", err)
	}
	if err := b.store.DeleteAll(ctx); err != nil {
		return fmt.Errorf("delete the nodes: %w", err)
	}
	return b.store.ApplySchema(ctx)
}

func (b *bench) version(ctx context.Context) (string, error) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0], edition",
		nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(b.database))
	if err != nil {
		return "", fmt.Errorf("neo4j version: %w", err)
	}
	if len(res.Records) == 0 {
		return "neo4j", nil
	}
	return fmt.Sprintf("%v %v %v", res.Records[0].Values...), nil
}

// copyFiles copies the data set's files into dir, created if missing.
func copyFiles(ds *shape.Dataset, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range ds.Files {
		data, err := os.ReadFile(filepath.Join(ds.Dir, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// printTable prints every run, the ratio of rows per second, and where each
// run spent its time, file by file.
func (b *bench) printTable(w io.Writer, results []result) {
	nodeRows, relRows := b.ds.NodeRows(), b.ds.RelRows()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\tnodes\trels\tseconds\trows/s\tnode s\tnode rows/s\trel s\trel rows/s\tvalidation s\tGo peak RSS MiB\tour CPU s\tothers' CPU s\t")
	type total struct {
		all, rels time.Duration
		cpu       float64
	}
	totals := map[string]total{}
	for _, r := range results {
		nodeTime, relTime := r.phases()
		t := totals[r.name]
		t.all += r.total
		t.rels += relTime
		t.cpu += r.ourCPU
		totals[r.name] = t
		validation, rss := "-", "-"
		if r.name == "psmgraph" {
			validation = fmt.Sprintf("%.1f", r.validation.Seconds())
			if r.peakRSS > 0 {
				rss = fmt.Sprintf("%.0f", r.peakRSS)
			}
		}
		fmt.Fprintf(tw, "%s #%d\t%d\t%d\t%.1f\t%.0f\t%.1f\t%.0f\t%.1f\t%.0f\t%s\t%s\t%.1f\t%.1f\t\n", r.name, r.round,
			nodeRows, relRows, r.total.Seconds(), perSecond(nodeRows+relRows, r.total),
			nodeTime.Seconds(), perSecond(nodeRows, nodeTime), relTime.Seconds(), perSecond(relRows, relTime), validation, rss, r.ourCPU, r.othersCPU)
	}
	_ = tw.Flush()
	// The ratio of rows per second is the inverse ratio of times.
	a, c := totals["psmgraph"], totals["LOAD CSV"]
	fmt.Fprintf(w, "\npsmgraph / LOAD CSV, rows/s: %.2f overall (all rows, validation included), %.2f for relationship rows\n",
		c.all.Seconds()/a.all.Seconds(), c.rels.Seconds()/a.rels.Seconds())
	if a.cpu > 0 {
		fmt.Fprintf(w, "psmgraph / LOAD CSV, rows per CPU second of this process and its Neo4j: %.2f\n", c.cpu/a.cpu)
	}
	fmt.Fprintln(w, "(psmgraph's time is seed.Read + seed.Load; LOAD CSV's excludes copying the files into the import directory;")
	fmt.Fprintf(w, " our CPU s: CPU time of this process and its Neo4j during the run; others': of every other process; of %d CPUs × seconds)\n", runtime.NumCPU())

	fmt.Fprintln(w, "\nseconds per file:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "file\trows\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s #%d\t", r.name, r.round)
	}
	fmt.Fprintln(tw)
	// Both loaders take the files in the same order.
	for k, f := range results[0].files {
		fmt.Fprintf(tw, "%s\t%d\t", f.file, f.rows)
		for _, r := range results {
			fmt.Fprintf(tw, "%.1f\t", r.files[k].elapsed.Seconds())
		}
		fmt.Fprintln(tw)
	}
	_ = tw.Flush()
}

// phases splits a run's load time into its node and relationship files.
// psmgraph's validation belongs to neither.
func (r result) phases() (nodes, rels time.Duration) {
	for _, f := range r.files {
		if isNodeFile(f.file) {
			nodes += f.elapsed
		} else {
			rels += f.elapsed
		}
	}
	return nodes, rels
}

func isNodeFile(file string) bool {
	for _, nt := range graph.NodeTypes {
		if nt.File == file {
			return true
		}
	}
	return false
}

func perSecond(rows int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(rows) / d.Seconds()
}
