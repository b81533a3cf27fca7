// Command compare measures psmgraph against the Neo4j GraphQL Library
// (@neo4j/graphql 7, on Node, served by GraphQL Yoga), the layer a team
// would otherwise put over Neo4j, and against two floors: the same data
// fetched by hand-written Cypher through the Go driver, and the same Cypher
// served over HTTP as JSON by a minimal Go handler in a process of its own.
//
// For each scale it generates a graph of the real one's shape with about
// that many nodes (internal/shape), starts a throwaway embedded Neo4j,
// loads the graph with `psmgraph seed`, and serves that Neo4j through
// psmgraph's binary and through the library, each in its own process. Then,
// operation by operation, it checks that both servers return the same data,
// warms every side up, and measures each at every concurrency level in
// alternating quarters, so that drift on a shared machine hits them all.
//
//	make build && go run ./bench/compare [-scale shipped,100000] [-duration 4s] [-concurrency 1,8]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/bench/internal/host"
	"github.com/psmgraph/psmgraph/bench/internal/peerschema"
	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/shape"
	"github.com/psmgraph/psmgraph/seed"
)

type options struct {
	scaleFlag       string
	scales          []int
	levels          []int
	duration        time.Duration
	warmup          time.Duration
	only            string
	out             string
	psmgraph        string
	peerDir         string
	launcher        string
	heap, pageCache string
	keep            bool
	profile         bool
	// answerCacheMB is psmgraph's answer cache: off by default, so that
	// every request reads Neo4j, as the peer's do.
	answerCacheMB int
	// runs is how many times each cell is measured, its median reported.
	runs int
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == serveFloorArg {
		if err := serveHTTPFloor(); err != nil {
			fmt.Fprintln(os.Stderr, "compare:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	scales := flag.String("scale", "shipped,100000", "comma-separated graph sizes in nodes (relationships come to about 5.5 per node); shipped: the shipped data set's")
	levels := flag.String("concurrency", "1,8", "comma-separated numbers of concurrent clients")
	flag.DurationVar(&o.duration, "duration", 4*time.Second, "measuring time per operation, concurrency and side")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "untimed load per operation and side before measuring")
	flag.StringVar(&o.only, "ops", "", "comma-separated operation names to run; empty: all")
	flag.IntVar(&o.runs, "runs", 1, "measure each cell this many times, the sides alternating in each, and report each side's median run")
	flag.IntVar(&o.answerCacheMB, "answer-cache-mb", 0, "psmgraph's answer cache (PSMGRAPH_ANSWER_CACHE_MB); 0, the default, has every request read Neo4j, as the peer's do")
	flag.StringVar(&o.out, "out", "", "also write the tables to this Markdown file")
	flag.StringVar(&o.psmgraph, "psmgraph", "bin/psmgraph", "psmgraph's binary (make build)")
	flag.StringVar(&o.peerDir, "peer", filepath.Join("bench", "peer"), "the peer's Node project")
	flag.StringVar(&o.launcher, "launcher", filepath.Join("embedded", "launcher"), "the embedded Neo4j launcher's project")
	flag.StringVar(&o.heap, "heap", "3g", "JVM heap of the embedded Neo4j")
	flag.StringVar(&o.pageCache, "pagecache", "2g", "page cache of the embedded Neo4j")
	flag.BoolVar(&o.keep, "keep", false, "keep each scale's data set and Neo4j store")
	flag.BoolVar(&o.profile, "profile", false, "after each scale's table, the PROFILE of psmgraph's and the floor's query for each operation")
	flag.Parse()
	var err error
	o.scaleFlag = *scales
	if o.scales, err = parseScales(*scales); err == nil {
		o.levels, err = parseInts(*levels)
	}
	if err != nil || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "compare:", err)
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if _, err := os.Stat(o.psmgraph); err != nil {
		return fmt.Errorf("psmgraph's binary: %w (make build)", err)
	}
	var err error
	if o.psmgraph, err = filepath.Abs(o.psmgraph); err != nil {
		return err
	}
	if err := installPeer(ctx, o.peerDir, os.Stderr); err != nil {
		return fmt.Errorf("install the peer: %w", err)
	}
	var doc strings.Builder
	only := ""
	if o.only != "" {
		only = fmt.Sprintf(" -ops %q", o.only)
	}
	if o.answerCacheMB != 0 {
		only += fmt.Sprintf(" -answer-cache-mb %d", o.answerCacheMB)
	}
	if o.runs > 1 {
		only += fmt.Sprintf(" -runs %d", o.runs)
	}
	fmt.Fprintf(&doc, "Command: `go run ./bench/compare -scale %s -duration %s -concurrency %s%s` (%s)\n\n",
		o.scaleFlag, o.duration, joinInts(o.levels), only, time.Now().Format(time.DateOnly))
	fmt.Fprintf(&doc, "- machine: %s\n- Neo4j: 5.26.30 Community, embedded, heap %s, page cache %s; psmgraph, the peer and this load generator on the same machine\n",
		host.Machine(), o.heap, o.pageCache)
	fmt.Fprintf(&doc, "- peer: @neo4j/graphql 7.6.3 with graphql-yoga 5.24.1 on Node %s (bench/peer)\n", nodeVersion())
	fmt.Fprintf(&doc, "- each cell: %s per side after a %s warm-up, in quarters alternating psmgraph, peer, floor and HTTP floor", o.duration, o.warmup)
	if o.runs > 1 {
		fmt.Fprintf(&doc, "; %d such runs, each side's median run reported", o.runs)
	}
	doc.WriteString("\n\n")
	for _, n := range o.scales {
		table, err := scale(ctx, o, n)
		if err != nil {
			return fmt.Errorf("scale %d: %w", n, err)
		}
		fmt.Print(table)
		doc.WriteString(table)
		if o.out != "" {
			if err := os.WriteFile(o.out, []byte(doc.String()), 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}

// scale generates, loads, serves and measures one size of graph.
func scale(ctx context.Context, o options, nodes int) (string, error) {
	root, err := os.MkdirTemp("", "psmgraph-compare-*")
	if err != nil {
		return "", err
	}
	if o.keep {
		fmt.Fprintln(os.Stderr, "keeping", root)
	} else {
		defer func() { _ = os.RemoveAll(root) }()
	}
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

	started := time.Now()
	ds, err := shape.Generate(mkdir(root, "data"), shape.Size{Nodes: nodes})
	if err != nil {
		return "", err
	}
	generated := time.Since(started)
	logf("generated %d nodes and %d relationships in %s", ds.NodeRows(), ds.RelRows(), generated.Round(time.Millisecond))

	srv, err := embedded.Start(ctx, embedded.Options{Launcher: o.launcher, Home: filepath.Join(root, "neo4j"),
		Heap: o.heap, PageCache: o.pageCache, SmallDisk: true,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return "", err
	}
	defer func() { _ = srv.Stop(time.Minute) }()

	started = time.Now()
	if err := seedWith(ctx, o.psmgraph, srv.URI(), ds.Dir); err != nil {
		return "", err
	}
	seeded := time.Since(started)
	logf("seeded in %s", seeded.Round(time.Millisecond))

	serverLog, err := os.Create(filepath.Join(root, "servers.log"))
	if err != nil {
		return "", err
	}
	defer serverLog.Close()
	typeDefs := filepath.Join(root, "typedefs.graphql")
	if err := os.WriteFile(typeDefs, []byte(peerschema.TypeDefs()), 0o600); err != nil {
		return "", err
	}
	psm, err := startPsmgraph(ctx, o.psmgraph, srv.URI(), root, o.answerCacheMB, serverLog)
	if err != nil {
		return "", err
	}
	defer psm.Stop()
	peer, err := startPeer(ctx, o.peerDir, typeDefs, srv.URI(), serverLog)
	if err != nil {
		return "", err
	}
	defer peer.Stop()
	ops := operations(ds.Nodes[graph.LabelMutual])
	httpFloor, err := startHTTPFloor(ctx, root, srv.URI(), ops, serverLog)
	if err != nil {
		return "", err
	}
	defer httpFloor.Stop()

	driver, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.NoAuth())
	if err != nil {
		return "", err
	}
	defer func() { _ = driver.Close(ctx) }()
	store, err := graph.Open(graph.Settings{URI: srv.URI()})
	if err != nil {
		return "", err
	}
	defer func() { _ = store.Close(ctx) }()
	b := &bench{o: o, psm: psm, peer: peer, httpFloor: httpFloor, driver: driver, counter: newQueryCounter(store), neo4jPID: srv.PID()}

	var rows []row
	for _, op := range ops {
		if o.only != "" && !contains(strings.Split(o.only, ","), op.name) {
			continue
		}
		logf("%s", op.name)
		r, err := b.operation(ctx, op)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if err != nil {
			logf("  %v", err)
		}
		rows = append(rows, r...)
	}
	out := formatScale(ds, generated, seeded, rows)
	if o.profile {
		p := newProfiler(store, driver)
		out += "#### Query plans\n\n"
		for _, op := range ops {
			if o.only != "" && !contains(strings.Split(o.only, ","), op.name) {
				continue
			}
			plans, err := p.plans(ctx, op)
			if err != nil {
				plans = fmt.Sprintf("**%s**: no plan: %v\n\n", op.name, err)
			}
			out += plans
		}
	}
	return out, nil
}

func mkdir(parent, name string) string {
	dir := filepath.Join(parent, name)
	_ = os.MkdirAll(dir, 0o750)
	return dir
}

// seedWith loads the data set as a data team would: `psmgraph seed DIR`.
func seedWith(ctx context.Context, binary, uri, dir string) error {
	cmd := exec.CommandContext(ctx, binary, "seed", dir) //nolint:gosec // the binary the benchmark built
	cmd.Env = append(os.Environ(), "NEO4J_URI="+uri, "LOG_LEVEL=warn")
	cmd.Dir = filepath.Dir(dir)
	var out bytes.Buffer // its progress line, printed only if it fails
	cmd.Stdout, cmd.Stderr = io.Discard, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("psmgraph seed: %w: %s", err, out.String())
	}
	return nil
}

func nodeVersion() string {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

// parseScales reads node counts; "shipped" is the shipped data set's.
func parseScales(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "shipped" {
			set, err := seed.Read(seed.Shipped())
			if err != nil {
				return nil, err
			}
			nodes := 0
			for _, rows := range set.Nodes {
				nodes += len(rows)
			}
			out = append(out, nodes)
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad scale %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad number %q", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no concurrency level")
	}
	return out, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}
