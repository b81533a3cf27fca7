package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/psmgraph/psmgraph/bench/internal/host"
)

// api is psmgraph running as a process of its own.
type api struct {
	cmd  *exec.Cmd
	base string
	url  string
	done chan struct{}
}

// startAPI builds psmgraph and serves the Neo4j at uri with it, loading the
// shipped data set into an empty graph. The per-client rate limit is off:
// all the load comes from one client.
func startAPI(ctx context.Context, work, uri string) (*api, error) {
	binary := filepath.Join(work, "psmgraph")
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/psmgraph")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build psmgraph: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(binary, "serve") //nolint:gosec // the binary just built
	cmd.Env = append(os.Environ(),
		"NEO4J_URI="+uri,
		"PORT="+strconv.Itoa(port),
		"PSMGRAPH_RATE_LIMIT=0",
		"LOG_LEVEL=error", // slow queries are warnings: under load, many
	)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	a := &api{cmd: cmd, base: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan struct{})}
	a.url = a.base + "/graphql"
	go func() { _ = cmd.Wait(); close(a.done) }()
	for deadline := time.Now().Add(2 * time.Minute); ; {
		if resp, err := http.Get(a.base + "/readyz"); err == nil { //nolint:gosec,noctx // our own server on the loopback interface
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return a, nil
			}
		}
		select {
		case <-a.done:
			return nil, fmt.Errorf("psmgraph exited before it was ready")
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			a.stop()
			return nil, fmt.Errorf("psmgraph not ready after 2 minutes")
		}
	}
}

// stop sends SIGTERM and waits; psmgraph finishes what is in flight.
func (a *api) stop() {
	_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.done
	}
}

// sample is the API's memory at a moment of the run.
type sample struct {
	at        time.Duration
	rssMiB    float64
	heapMiB   float64 // Go heap in use, from /metrics
	goroutine float64
}

func (a *api) memory(at time.Duration) sample {
	rss, _ := host.RSS(a.cmd.Process.Pid)
	s := sample{at: at, rssMiB: rss}
	resp, err := http.Get(a.base + "/metrics") //nolint:gosec,noctx // our own server on the loopback interface
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
