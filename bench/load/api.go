package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/psmgraph/psmgraph/bench/internal/host"
	"github.com/psmgraph/psmgraph/bench/internal/process"
)

// startAPI builds psmgraph and serves the Neo4j at uri with it, loading the
// shipped data set into an empty graph, with an answer cache of cacheMB.
// The per-client rate and cost limits are off: all the load comes from
// one client.
func startAPI(ctx context.Context, work, uri string, cacheMB int) (*process.Server, error) {
	binary := filepath.Join(work, "psmgraph")
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/psmgraph")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build psmgraph: %w", err)
	}
	cmd := exec.Command(binary, "serve") //nolint:gosec // the binary just built
	cmd.Dir = work                       // away from any .env of the working tree
	return process.Start(ctx, "psmgraph", cmd, []string{
		"NEO4J_URI=" + uri,
		"PSMGRAPH_RATE_LIMIT=0",
		"PSMGRAPH_COST_LIMIT=0",
		"PSMGRAPH_ANSWER_CACHE_MB=" + strconv.Itoa(cacheMB),
		"LOG_LEVEL=error", // slow queries are warnings: under load, many
	}, "/readyz", os.Stderr)
}

// sample is the API's memory at a moment of the run.
type sample struct {
	at        time.Duration
	rssMiB    float64
	heapMiB   float64 // Go heap in use, from /metrics
	goroutine float64
}

// sampleMemory samples the server's resident memory, and its Go heap and
// goroutines from its metrics.
func sampleMemory(api *process.Server, at time.Duration) sample {
	rss, _ := host.RSS(api.Pid())
	s := sample{at: at, rssMiB: rss}
	resp, err := http.Get(api.Base + "/metrics") //nolint:gosec,noctx // our own server on the loopback interface
	if err != nil {
		return s
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		v, err := strconv.ParseFloat(value, 64)
		if !ok || err != nil {
			continue
		}
		switch name {
		case "go_memstats_heap_inuse_bytes":
			s.heapMiB = v / (1 << 20)
		case "go_goroutines":
			s.goroutine = v
		}
	}
	return s
}
