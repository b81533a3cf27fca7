package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

// outcome is what one GraphQL request got: its HTTP status, its first
// error's code ("" for none) and how long it took.
type outcome struct {
	status int
	code   string
	took   time.Duration
	at     time.Time
}

func ask(client *http.Client, url, query string) outcome {
	return exchange(client, url, gqlBody(query))
}

// exchange posts a raw body to the API; it fails no test, so that
// goroutines may call it.
func exchange(client *http.Client, url string, body []byte) outcome {
	started := time.Now()
	resp, err := client.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return outcome{code: "TRANSPORT: " + err.Error(), took: time.Since(started)}
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return outcome{status: resp.StatusCode, code: "UNDECODABLE", took: time.Since(started)}
	}
	o := outcome{status: resp.StatusCode, took: time.Since(started)}
	if len(out.Errors) > 0 {
		o.code, _ = out.Errors[0].Extensions["code"].(string)
	}
	return o
}

// syncBuffer is a log destination that concurrent requests may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func gqlBody(query string) []byte {
	b, _ := json.Marshal(map[string]string{"query": query})
	return b
}

// Neo4j stops while requests flow: the API does not crash, each request
// fails fast with DATABASE_UNAVAILABLE, /readyz says 503, and once Neo4j is
// back the API serves again by itself.
func TestNeo4jStopsAndComesBack(t *testing.T) {
	neo := neo4jtest.NewDedicated(t)
	store, err := graph.Open(neo.Settings())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	ctx := context.Background()
	if err := store.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, store, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	// The log tells what an unexpected failure was.
	var logs syncBuffer
	srv := serveOver(t, store, server.Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))})
	const query = `{ mutualKinds { totalCount edges { node { id name } } } }`

	// Clients keep asking throughout, as real traffic would.
	var (
		mu       sync.Mutex
		outcomes []outcome
		stopFlow atomic.Bool
		flow     sync.WaitGroup
		// flowing is closed at the fourth answer: the flow is running.
		flowing = make(chan struct{})
	)
	for range 4 {
		flow.Add(1)
		go func() {
			defer flow.Done()
			for !stopFlow.Load() {
				o := ask(http.DefaultClient, srv.URL, query)
				o.at = time.Now()
				mu.Lock()
				outcomes = append(outcomes, o)
				if len(outcomes) == 4 {
					close(flowing)
				}
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	// Stop Neo4j once the flow runs.
	select {
	case <-flowing:
	case <-time.After(10 * time.Second):
		t.Fatal("the flow had no 4 answers within 10s")
	}

	neo.Stop()
	stoppedAt := time.Now()
	if status, body := getStatus(t, srv.URL+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz %d %v with Neo4j stopped, want 503", status, body)
	}
	// Requests sent while Neo4j is down fail fast, with the code.
	var slowest time.Duration
	for range 10 {
		o := ask(http.DefaultClient, srv.URL, query)
		if o.code != string(graph.CodeUnavailable) {
			t.Errorf("with Neo4j stopped: status %d code %q, want DATABASE_UNAVAILABLE", o.status, o.code)
		}
		slowest = max(slowest, o.took)
	}
	t.Logf("with Neo4j stopped, the slowest of 10 requests failed in %v", slowest)
	if slowest > time.Second {
		t.Errorf("a request took %v to fail with Neo4j stopped; the bound is a second", slowest)
	}

	restartBegan := time.Now()
	neo.Start()
	restartedAt := time.Now()
	var recovered time.Duration
	for {
		o := ask(http.DefaultClient, srv.URL, query)
		if o.status == http.StatusOK && o.code == "" {
			recovered = time.Since(restartedAt)
			break
		}
		if time.Since(restartedAt) > 30*time.Second {
			t.Fatal("the API did not recover within 30s of Neo4j's return")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("Neo4j was down %v; the API answered again %v after it was back", restartedAt.Sub(stoppedAt).Round(time.Millisecond), recovered)
	if status, _ := getStatus(t, srv.URL+"/readyz"); status != http.StatusOK {
		t.Errorf("/readyz %d after recovery, want 200", status)
	}
	stopFlow.Store(true)
	flow.Wait()

	// Every request of the flow either succeeded or failed with a code a
	// client can act on; none got a 500, a dropped connection or a hang.
	var ok, unavailable int
	for _, o := range outcomes {
		switch {
		case o.status == http.StatusOK && o.code == "":
			ok++
		case o.code == string(graph.CodeUnavailable):
			unavailable++
		default:
			t.Errorf("a request during the outage got status %d code %q, %v before the restart began", o.status, o.code, restartBegan.Sub(o.at))
		}
	}
	t.Logf("the flow: %d answered, %d DATABASE_UNAVAILABLE", ok, unavailable)
	if t.Failed() {
		t.Logf("the log:\n%s", logs.String())
	}
	if ok == 0 || unavailable == 0 {
		t.Errorf("the flow saw %d answers and %d outages; it must have seen both", ok, unavailable)
	}
}

// A request past its time limit answers TIMEOUT, promptly.
func TestSlowRequestAnswersTimeout(t *testing.T) {
	neo4jtest.Store(t)
	proxy, conn := neo4jtest.NewProxy(t)
	store, err := graph.Open(conn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	srv := serveOver(t, store, server.Options{RequestTimeout: 300 * time.Millisecond})
	proxy.Delay(2 * time.Second)
	o := ask(http.DefaultClient, srv.URL, `{ mutualKinds { totalCount } }`)
	if o.code != string(graph.CodeTimeout) {
		t.Errorf("status %d code %q, want TIMEOUT", o.status, o.code)
	}
	if o.took > 1500*time.Millisecond {
		t.Errorf("TIMEOUT came after %v, for a limit of 300ms", o.took)
	}
}
