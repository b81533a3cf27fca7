package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
)

// runAsPsmgraph makes the test binary run as the psmgraph command, so that a
// test can start it as a process of its own and signal it.
const runAsPsmgraph = "PSMGRAPH_TEST_RUN_AS_PSMGRAPH"

func TestMain(m *testing.M) {
	if os.Getenv(runAsPsmgraph) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(neo4jtest.Main(m))
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"serve", "-port", "x"}, {"serve", "-no-such-flag"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
}

// serve starts on the configured Neo4j, loads the shipped data set into the
// empty graph, is ready once it has warmed up, answers from it, and on
// cancellation (as on SIGTERM) shuts down cleanly.
func TestServeAndShutdown(t *testing.T) {
	emptyNeo4j(t)
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	var log syncBuffer
	go func() {
		done <- run(ctx, []string{"serve", "-port", strconv.Itoa(port), "-log-level", "info"}, io.Discard, &log)
	}()

	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done)
	if !strings.Contains(log.String(), "warmed up") {
		t.Errorf("ready before the warm-up had run; the log so far:\n%s", log.String())
	}
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"{ jurisdictions { totalCount } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	// The shipped set's load is the graph's first revision.
	want := fmt.Sprintf(`{"data":{"jurisdictions":{"totalCount":%d}},"extensions":{"revision":1}}`, len(set.Nodes[graph.LabelJurisdiction]))
	if string(body) != want || resp.Header.Get("X-Graph-Revision") != "1" {
		t.Errorf("graphql answered %s (revision %q), want %s", body, resp.Header.Get("X-Graph-Revision"), want)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown: %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startServe runs psmgraph serve in a process of its own, on a free port,
// with the settings given beside the environment, and waits until it is
// ready. It returns its base URL, the process, and a channel that gets its
// exit once it has ended; the process is killed when the test ends.
func startServe(t *testing.T, settings ...string) (base string, cmd *exec.Cmd, exited <-chan error) {
	t.Helper()
	port := freePort(t)
	cmd = exec.Command(os.Args[0], "serve")
	cmd.Env = append(append(os.Environ(), runAsPsmgraph+"=1", "PORT="+strconv.Itoa(port)), settings...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	base = "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done)
	return base, cmd, done
}

// waitReady waits until psmgraph at base says it is ready, failing the
// test if it ends first or takes over a minute.
func waitReady(t *testing.T, base string, exited <-chan error) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("psmgraph ended before it was ready: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("psmgraph not ready within 60s")
		}
	}
}

// syncBuffer is a log that the server's goroutines write while a test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
