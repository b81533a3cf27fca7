package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/server"
)

// A mutation answers with a bookmark; a client that sends it to another
// replica reads its write there. A bookmark the database never issued is
// the client's mistake.
func TestBookmarksCarryWritesAcrossReplicas(t *testing.T) {
	writer := newCuratedServer(t, false)
	// The other replica: its own process state, its own driver.
	store, err := graph.Open(neo4jtest.Conn(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	reader := httptest.NewServer(server.New(server.Options{
		Logger: slog.New(slog.DiscardHandler), Schema: resolvers.New(store), Ready: store.Ping,
		MaxBodyBytes: 64 << 10, RequestTimeout: 5 * time.Second,
	}))
	defer reader.Close()

	body, _ := json.Marshal(map[string]any{"query": createMutual, "variables": map[string]any{
		"props": props("id", "mutual:bookmarked", "name", "Bookmarked co-op", "ownership", "MEMBER"),
	}})
	req, _ := http.NewRequest(http.MethodPost, writer.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+curatorKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	bookmark := resp.Header.Get("X-Neo4j-Bookmark")
	if bookmark == "" || strings.Contains(string(answer), "errors") {
		t.Fatalf("the mutation answered %s with bookmark %q; want data and a bookmark", answer, bookmark)
	}
	if b := fetchHeader(t, writer.URL, `{ __typename }`); b != "" {
		t.Errorf("a read answered with bookmark %q; only writes leave one", b)
	}

	read := func(bookmark string) gqlResponse {
		req, _ := http.NewRequest(http.MethodPost, reader.URL+"/graphql",
			strings.NewReader(`{"query":"{ node(id: \"mutual:bookmarked\") { id } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Neo4j-Bookmark", bookmark)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out gqlResponse
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if out := read(bookmark); len(out.Errors) > 0 || !strings.Contains(string(out.Data), "mutual:bookmarked") {
		t.Errorf("the other replica, with the bookmark: %s %+v", out.Data, out.Errors)
	}
	if out := read("FB:not-a-bookmark"); len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("a made-up bookmark: %s %+v; want BAD_USER_INPUT", out.Data, out.Errors)
	}
}

func fetchHeader(t *testing.T, url, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("X-Neo4j-Bookmark")
}
