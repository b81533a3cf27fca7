// Command load holds a mixed read workload on psmgraph at a fixed rate for a
// while and reports throughput, latency percentiles, errors, and the API's
// resident memory from start to end. It builds psmgraph, starts it as a
// process of its own over a throwaway embedded Neo4j (or -neo4j-uri)
// loaded with the shipped data set, and talks to it on the loopback
// interface only. It exits 1 when a request failed or memory grew past
// noise.
//
//	go run ./bench/load -rate 100 -duration 3m -out bench/results/load.md
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	"github.com/psmgraph/psmgraph/embedded"
)

func main() {
	var o options
	flag.Float64Var(&o.rate, "rate", 100, "requests per second, sent on schedule whatever the answers' pace")
	flag.DurationVar(&o.duration, "duration", 3*time.Minute, "how long to hold the rate, after the warm-up")
	flag.DurationVar(&o.warmup, "warmup", 15*time.Second, "load before measuring, at the same rate")
	flag.IntVar(&o.maxInFlight, "max-in-flight", 256, "requests outstanding at once; past it a request counts as failed")
	flag.StringVar(&o.neo4jURI, "neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j holding (or to be loaded with) the shipped data set; empty starts a throwaway embedded one")
	flag.StringVar(&o.out, "out", "", "also write the report to this Markdown file")
	flag.Float64Var(&o.growthMiB, "max-growth-mib", 32, "resident memory growth, start to end, beyond which the run fails")
	flag.IntVar(&o.answerCacheMB, "answer-cache-mb", 64, "the API's answer cache (PSMGRAPH_ANSWER_CACHE_MB); 0 turns it off")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type options struct {
	rate        float64
	duration    time.Duration
	warmup      time.Duration
	maxInFlight int
	neo4jURI    string
	out         string
	growthMiB   float64
	// answerCacheMB sizes the API's cache of repeated queries' answers.
	answerCacheMB int
}

func run(ctx context.Context, o options) error {
	if o.rate <= 0 || o.duration <= 0 {
		return fmt.Errorf("want a positive -rate and -duration")
	}
	ops, err := operations(filepath.Join("server", "examples.graphql"))
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "psmgraph-load-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	uri := o.neo4jURI
	if uri == "" {
		neo, err := embedded.Start(ctx, embedded.Options{
			Launcher: filepath.Join("embedded", "launcher"), Home: filepath.Join(work, "neo4j"),
			Heap: "1g", PageCache: "256m", SmallDisk: true, Logger: log,
		})
		if err != nil {
			return err
		}
		defer neo.Stop(time.Minute) //nolint:errcheck // the report is out; a slow stop changes nothing
		uri = neo.URI()
	}
	api, err := startAPI(ctx, work, uri, o.answerCacheMB)
	if err != nil {
		return err
	}
	defer api.Stop()

	fmt.Fprintf(os.Stderr, "warming up for %v at %.0f requests/s\n", o.warmup, o.rate)
	if _, err := drive(ctx, api.URL, ops, o.rate, o.warmup, o.maxInFlight, nil); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "measuring for %v\n", o.duration)
	memory := []sample{sampleMemory(api, 0)}
	res, err := drive(ctx, api.URL, ops, o.rate, o.duration, o.maxInFlight, func(elapsed time.Duration) {
		memory = append(memory, sampleMemory(api, elapsed))
	})
	if err != nil {
		return err
	}
	memory = append(memory, sampleMemory(api, o.duration))
	report := format(o, ops, res, memory)
	fmt.Print(report)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil { //nolint:gosec // a report, not a secret
			return err
		}
	}
	growth := memory[len(memory)-1].rssMiB - memory[0].rssMiB
	switch {
	case res.failed() > 0:
		return fmt.Errorf("%d of %d requests failed", res.failed(), res.sent)
	case growth > o.growthMiB:
		return fmt.Errorf("resident memory grew %.1f MiB, more than the %.0f MiB allowed", growth, o.growthMiB)
	}
	return nil
}

// operation is one named query of the playground's examples.
type operation struct {
	name string
	body []byte
}

// operations reads the example document and makes one request of each of
// its operations: the analysts' questions, as the playground offers them.
func operations(path string) ([]operation, error) {
	doc, err := os.ReadFile(path) //nolint:gosec // the repository's own file
	if err != nil {
		return nil, fmt.Errorf("%w (run from the repository's root)", err)
	}
	var ops []operation
	for _, m := range regexp.MustCompile(`(?m)^query (\w+)`).FindAllStringSubmatch(string(doc), -1) {
		ops = append(ops, operation{name: m[1], body: requestBody(string(doc), m[1])})
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("%s holds no named query", path)
	}
	return ops, nil
}

func requestBody(doc, name string) []byte {
	b, _ := json.Marshal(map[string]string{"operationName": name, "query": doc})
	return b
}
