package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

// When the embedded Neo4j dies under load, every request in flight gets an
// answer, DATABASE_UNAVAILABLE, before psmgraph exits with an error: none
// sees its connection dropped.
func TestEmbeddedNeo4jDiesUnderLoad(t *testing.T) {
	root, err := neo4jtest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	base, cmd, exited := startServe(t,
		"NEO4J_URI=",
		"PSMGRAPH_DATA_DIR="+t.TempDir(),
		"PSMGRAPH_NEO4J_PORT=0",
		"PSMGRAPH_NEO4J_HEAP=512m",
		"PSMGRAPH_NEO4J_PAGECACHE=64m",
		"PSMGRAPH_NEO4J_LAUNCHER="+filepath.Join(root, "embedded", "launcher"),
		"PSMGRAPH_RATE_LIMIT=0",
		"PSMGRAPH_COST_LIMIT=0",
		"PSMGRAPH_ANSWER_CACHE_MB=0", // every request reads Neo4j, whose death this is about
		"LOG_LEVEL=error",
	)
	neo4j := childPID(t, cmd.Process.Pid)

	// Clients ask without pause, on connections of their own, until the
	// server stops accepting them.
	const clients = 8
	var (
		wg       sync.WaitGroup
		stopped  atomic.Bool
		mu       sync.Mutex
		answered = map[string]int{}
		dropped  []string
	)
	query := `{"query":"{ levers(first: 100) { edges { node { id heldBy { edges { node { id } } } } } } }"}`
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
			for !stopped.Load() {
				resp, err := client.Post(base+"/graphql", "application/json", strings.NewReader(query))
				mu.Lock()
				switch {
				case err != nil && errors.Is(err, syscall.ECONNREFUSED):
					stopped.Store(true) // the listener has closed: nothing more is in flight
				case err != nil:
					dropped = append(dropped, err.Error())
				default:
					var out struct {
						Errors []struct {
							Extensions map[string]any `json:"extensions"`
						} `json:"errors"`
					}
					_ = json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					code := "ok"
					if len(out.Errors) > 0 {
						code, _ = out.Errors[0].Extensions["code"].(string)
					}
					answered[code]++
				}
				mu.Unlock()
			}
		}()
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		ok := answered["ok"]
		mu.Unlock()
		if ok >= clients {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30s of load: answers %v, dropped %q", answered, dropped)
		}
	}
	if err := syscall.Kill(neo4j, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err == nil {
			t.Error("psmgraph exited 0 after its Neo4j died; want an error")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("psmgraph still runs 30s after its Neo4j died")
	}
	stopped.Store(true)
	wg.Wait()
	t.Logf("answers: %v; dropped: %d", answered, len(dropped))
	if len(dropped) > 0 {
		t.Errorf("%d requests in flight got no answer: %q", len(dropped), dropped[0])
	}
	if answered["ok"] == 0 || answered["DATABASE_UNAVAILABLE"] == 0 {
		t.Errorf("answers %v: want some before Neo4j died, and DATABASE_UNAVAILABLE after", answered)
	}
}

// childPID returns the process id of pid's only child: the embedded Neo4j.
func childPID(t *testing.T, pid int) int {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var children []int
	for _, path := range stats {
		stat, err := os.ReadFile(path)
		if err != nil {
			continue // gone since the glob
		}
		// After the command name in parentheses: state, then parent pid.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			child, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
			children = append(children, child)
		}
	}
	if len(children) != 1 {
		t.Fatalf("psmgraph has children %v; want one, the embedded Neo4j", children)
	}
	return children[0]
}
