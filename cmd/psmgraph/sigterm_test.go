package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
)

// SIGTERM under load: the requests in flight finish with their answers, new
// connections are refused from the moment shutdown begins, and the process
// exits 0.
func TestSIGTERMUnderLoad(t *testing.T) {
	store := neo4jtest.Store(t)
	proxy, conn := neo4jtest.NewProxy(t)
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(t.Context(), store, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	base, cmd, exited := startServe(t,
		"NEO4J_URI="+conn.URI,
		"NEO4J_PASSWORD="+conn.Password,
		"PSMGRAPH_RATE_LIMIT=0",
		"PSMGRAPH_SHUTDOWN_TIMEOUT=30s",
		"PSMGRAPH_SLOW_QUERY=1m",
		"LOG_LEVEL=warn",
	)

	const inFlight = 8
	query := `{"query":"{ jurisdictions { totalCount } }"}`
	want := fmt.Sprintf(`{"jurisdictions":{"totalCount":%d}}`, len(set.Nodes[graph.LabelJurisdiction]))
	// The requests go over connections the server has already accepted:
	// one still waiting in the listener's queue when shutdown closes it
	// would be refused, as it should be, but it would not be in flight.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}}
	var opened sync.WaitGroup
	for range inFlight {
		opened.Go(func() {
			if resp, err := client.Get(base + "/healthz"); err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	opened.Wait()

	// Every answer from Neo4j now comes late, so requests stay in flight.
	proxy.Delay(500 * time.Millisecond)
	var (
		wg       sync.WaitGroup
		written  sync.WaitGroup
		finished atomic.Int32
		answers  = make([]string, inFlight)
	)
	for i := range inFlight {
		wg.Add(1)
		written.Add(1)
		go func() {
			defer wg.Done()
			defer finished.Add(1)
			var once sync.Once
			trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(written.Done) }}
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodPost,
				base+"/graphql", strings.NewReader(query))
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			once.Do(written.Done)
			if err != nil {
				answers[i] = err.Error()
				return
			}
			defer resp.Body.Close()
			// The data, and the revision it was read at.
			var body struct {
				Data       json.RawMessage
				Extensions struct{ Revision *int }
			}
			_ = json.NewDecoder(resp.Body).Decode(&body)
			answers[i] = fmt.Sprintf("%d %s", resp.StatusCode, body.Data)
			if body.Extensions.Revision == nil {
				answers[i] += " without its revision"
			}
		}()
	}
	// Signal once every request is sent and Neo4j's answer to one of them
	// is held back: that request is in flight.
	written.Wait()
	select {
	case <-proxy.Holding():
	case <-time.After(10 * time.Second):
		t.Fatal("no request reached Neo4j within 10s")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// New connections are refused while the requests in flight still run.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := fresh.Get(base + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections still accepted 10s after SIGTERM")
		}
	}
	if n := finished.Load(); n == inFlight {
		t.Fatalf("all %d requests had finished before new ones were refused: nothing was in flight", n)
	}

	wg.Wait()
	for i, got := range answers {
		if got != "200 "+want {
			t.Errorf("in-flight request %d: %s; want 200 %s", i, got, want)
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("psmgraph exited with %v after SIGTERM, want status 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("psmgraph did not exit within 30s of SIGTERM")
	}
}
