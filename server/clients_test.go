package server_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

// One client sending many requests of many aliased analyses at once takes
// at most its share of Neo4j's connections: another client's requests are
// answered meanwhile, /readyz stays 200, and no request fails for want of a
// connection. The pool here is small and its wait short, so that without
// the client's bound the barrage would take every connection and fail
// requests with DATABASE_UNAVAILABLE.
func TestOneClientCannotTakeThePool(t *testing.T) {
	neo4jtest.Store(t)
	conn := neo4jtest.Settings(t)
	conn.MaxPoolSize, conn.AcquireTimeout = 6, 300*time.Millisecond
	store, err := graph.Open(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(t.Context()) })
	loadShipped(t, store)
	const share = 2
	// An INTERNAL answer's cause is in the server's log, not in the answer.
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	srv := serveOver(t, store, server.Options{Logger: logger, RequestTimeout: 20 * time.Second, Clients: server.ClientLimits{Concurrency: share, TrustForwardedFor: true}})

	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := range 45 {
		fmt.Fprintf(&aliases, `a%d: leversAffecting(kind: "kind:spin-out", first: %d) { effect } `, i, 50+i)
	}
	aliases.WriteString("}")
	var (
		wg          sync.WaitGroup
		mu          sync.Mutex
		barrage     = map[string]int{}
		ordinary    = map[string]int{}
		notReady    int
		mostInUse   int64
		barrageWent atomic.Int32
	)
	post := func(addr, query string) string {
		_, out := send(t, srv.URL, http.Header{"X-Forwarded-For": {addr}}, query, nil)
		c, _ := code(out).(string)
		return c
	}
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2 {
				c := post("192.0.2.66", aliases.String())
				mu.Lock()
				barrage[c]++
				mu.Unlock()
			}
			barrageWent.Add(1)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for barrageWent.Load() < 6 {
			c := post("192.0.2.7", `{ mutualKinds { totalCount } }`)
			status, _ := getStatus(t, srv.URL+"/readyz")
			mu.Lock()
			ordinary[c]++
			if status != http.StatusOK {
				notReady++
			}
			mostInUse = max(mostInUse, store.InUse())
			mu.Unlock()
		}
	}()
	wg.Wait()
	t.Logf("the barrage's answers by code: %v; the other client's: %v; at most %d transactions at once", barrage, ordinary, mostInUse)
	if barrage[""] == 0 || barrage["DATABASE_UNAVAILABLE"] > 0 || barrage["INTERNAL"] > 0 {
		t.Errorf("the barrage's answers %v: want them answered, or TIMEOUT, and never DATABASE_UNAVAILABLE or INTERNAL", barrage)
	}
	if len(ordinary) != 1 || ordinary[""] == 0 {
		t.Errorf("the other client's answers %v: want every one answered", ordinary)
	}
	if notReady > 0 {
		t.Errorf("/readyz answered 503 %d times while Neo4j was merely busy", notReady)
	}
	// The barrage's share, and the other client's one request.
	if mostInUse > share+1 {
		t.Errorf("%d transactions ran at once; want at most %d", mostInUse, share+1)
	}
}

// A request whose aliases all fail for the same reason logs one line, at
// level ERROR, that counts them.
func TestOneLogLinePerRequest(t *testing.T) {
	gone, err := graph.Open(graph.Settings{URI: "bolt://127.0.0.1:1", RetryTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	srv := serveOver(t, gone, server.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	var q strings.Builder
	q.WriteString("{ ")
	for i := range 20 {
		fmt.Fprintf(&q, "a%d: mutuals(first: %d) { totalCount } ", i, i+1)
	}
	q.WriteString("}")
	if o := ask(http.DefaultClient, srv.URL, q.String()); o.code != "DATABASE_UNAVAILABLE" {
		t.Fatalf("code %q; want DATABASE_UNAVAILABLE", o.code)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], "errors=20") {
		t.Errorf("log of one request whose 20 aliases failed:\n%s\nwant one ERROR line with errors=20", log.String())
	}
}

// Wrong credentials are refused with 401 until an address has failed too
// often, then with 429 before any credential is checked; other addresses
// and anonymous readers are not held back.
func TestFailedAuthenticationsAreLimitedPerAddress(t *testing.T) {
	srv := production(t, server.Options{Clients: server.ClientLimits{Rate: 1000, Burst: 1000, TrustForwardedFor: true}})
	try := func(addr, key string) int {
		header := http.Header{"X-Forwarded-For": {addr}}
		if key != "" {
			header.Set("Authorization", "Bearer "+key)
		}
		resp, _ := send(t, srv.URL, header, `{ __typename }`, nil)
		return resp.StatusCode
	}
	statuses := map[int]int{}
	for i := range 30 {
		statuses[try("198.51.100.1", fmt.Sprintf("wrong-%d", i))]++
	}
	if statuses[http.StatusUnauthorized] != 20 || statuses[http.StatusTooManyRequests] != 10 {
		t.Errorf("30 wrong keys from one address: %v; want 20 refused 401, then 10 refused 429", statuses)
	}
	if s := try("198.51.100.2", "wrong"); s != http.StatusUnauthorized {
		t.Errorf("a wrong key from another address: %d; want 401", s)
	}
	if s := try("198.51.100.1", ""); s != http.StatusOK {
		t.Errorf("an anonymous read from the limited address: %d; want 200", s)
	}
}
