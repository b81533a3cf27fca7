package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/server"
)

// event is one revision a subscriber received.
type event struct {
	Revision struct {
		Number int
		Reason string
	}
	Changes []struct{ Op, Type, From, To string }
}

// subscribe opens a subscription to the revisions after after on the
// replica at base, and returns its events until the stream ends, and a
// function that cuts it.
func subscribe(t *testing.T, base string, after int) (<-chan event, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	body, _ := json.Marshal(map[string]any{"query": fmt.Sprintf(`subscription { revisions(after: %d) { revision { number reason } changes { op type from to } } }`, after)})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		resp.Body.Close()
		t.Fatalf("subscribe: status %d", resp.StatusCode)
	}
	events := make(chan event, 16)
	go func() {
		defer close(events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var msg struct {
				Data struct{ Revisions event }
			}
			if json.Unmarshal([]byte(data), &msg) == nil && msg.Data.Revisions.Revision.Number > 0 {
				events <- msg.Data.Revisions
			}
		}
	}()
	return events, cancel
}

func next(t *testing.T, events <-chan event, within time.Duration) (event, bool) {
	t.Helper()
	select {
	case e, ok := <-events:
		return e, ok
	case <-time.After(within):
		return event{}, false
	}
}

// A change written through one replica reaches a subscriber of another;
// a subscriber that comes back with the last revision it saw misses
// nothing and sees nothing twice; a client holds a bounded number of
// subscriptions; shutdown ends them.
func TestSubscribersOfAnyReplicaSeeEveryRevision(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:curator:" + auth.HashKey(curatorKey)}})
	if err != nil {
		t.Fatal(err)
	}
	streams, endStreams := context.WithCancel(context.Background())
	defer endStreams()
	a := serveOver(t, store, server.Options{Auth: authn})
	b := serveOver(t, store, server.Options{Auth: authn, Streams: streams, RequestTimeout: time.Second})
	h, err := store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	head := h.Revision
	write := func(to string) {
		t.Helper()
		code, out := as(t, a, curatorKey, `mutation($to: ID!) { link(type: IS_A, from: "mutual:central-surrey-health", to: $to,
		  properties: [{name: "sourceIds", value: "source:psm-paper"}], reason: "feed test") { type } }`, map[string]any{"to": to})
		if code != http.StatusOK || len(out.Errors) > 0 {
			t.Fatalf("write: %d %+v", code, out.Errors)
		}
	}

	events, cut := subscribe(t, b.URL, head)
	wrote := time.Now()
	write("kind:spin-in")
	e, ok := next(t, events, 5*time.Second)
	if !ok || e.Revision.Number != head+1 || e.Revision.Reason != "feed test" || len(e.Changes) != 1 || e.Changes[0].To != "kind:spin-in" {
		t.Fatalf("first event: %+v (%v)", e, ok)
	}
	t.Logf("a change through one replica reached a subscriber of the other in %v", time.Since(wrote).Round(time.Millisecond))
	// The stream outlives the request timeout.
	time.Sleep(1200 * time.Millisecond)
	write("kind:spin-off")
	if e, ok := next(t, events, 5*time.Second); !ok || e.Revision.Number != head+2 {
		t.Fatalf("after the request timeout: %+v (%v)", e, ok)
	}
	cut()
	write("kind:spin-up-employees") // while nobody listens
	events, cut = subscribe(t, b.URL, head+2)
	defer cut()
	if e, ok := next(t, events, 5*time.Second); !ok || e.Revision.Number != head+3 || e.Changes[0].To != "kind:spin-up-employees" {
		t.Fatalf("after reconnecting: %+v (%v)", e, ok)
	}
	if e, ok := next(t, events, 600*time.Millisecond); ok {
		t.Errorf("an event twice, or one that never was: %+v", e)
	}

	// A client's subscriptions are bounded: three more fit, the next not.
	for range server.MaxStreams - 1 {
		_, c := subscribe(t, b.URL, head+3)
		defer c()
	}
	body, _ := json.Marshal(map[string]any{"query": `subscription { revisions { revision { number } } }`})
	req, _ := http.NewRequest(http.MethodPost, b.URL+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("subscription %d: status %d, want 429", server.MaxStreams+1, resp.StatusCode)
	}

	// Shutdown ends the streams.
	endStreams()
	deadline := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-events:
		case <-deadline:
			t.Fatal("a stream outlived shutdown by 5s")
		}
	}
}

// A subscription outlives an outage of Neo4j: the operator is told once
// that the change log cannot be read and once that it can again, and the
// subscriber then gets the revision written meanwhile.
func TestSubscriptionOutlivesAnOutage(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	h, err := store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:curator:" + auth.HashKey(curatorKey)}})
	if err != nil {
		t.Fatal(err)
	}
	writer := serveOver(t, store, server.Options{Auth: authn})

	proxy, conn := neo4jtest.NewProxy(t)
	conn.RetryTime = 50 * time.Millisecond // each poll fails fast while Neo4j is away
	through, err := graph.Open(conn)
	if err != nil {
		t.Fatal(err)
	}
	defer through.Close(context.Background())
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	reader := serveOver(t, through, server.Options{Schema: compile.New(resolvers.New(through, resolvers.WithLogger(logger)), through, compile.Options{})})

	events, cut := subscribe(t, reader.URL, h.Revision)
	defer cut()
	proxy.Pause()
	const away, back = "cannot read the change log", "reads the change log again"
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), away); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no warning while Neo4j was away; the log:\n%s", logs.String())
		}
	}
	time.Sleep(time.Second) // several more polls fail
	code, out := as(t, writer, curatorKey, `mutation { link(type: IS_A, from: "mutual:central-surrey-health", to: "kind:spin-in",
	  properties: [{name: "sourceIds", value: "source:psm-paper"}], reason: "during the outage") { type } }`, nil)
	if code != http.StatusOK || len(out.Errors) > 0 {
		t.Fatalf("write: %d %+v", code, out.Errors)
	}
	proxy.Resume()
	if e, ok := next(t, events, 10*time.Second); !ok || e.Revision.Number != h.Revision+1 || e.Revision.Reason != "during the outage" {
		t.Fatalf("after the outage: %+v (%v)", e, ok)
	}
	log := logs.String()
	if n := strings.Count(log, away); n != 1 {
		t.Errorf("%d warnings for one outage, want 1; the log:\n%s", n, log)
	}
	if !strings.Contains(log, back) {
		t.Errorf("no word that the change log is read again; the log:\n%s", log)
	}
}
