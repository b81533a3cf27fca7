package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

// A mutation answers with a bookmark; a client that sends it to another
// replica reads its write there. A bookmark the database never issued is
// the client's mistake.
func TestBookmarksCarryWritesAcrossReplicas(t *testing.T) {
	writer := newCuratedServer(t, false)
	// The other replica: its own process state, its own driver.
	store, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	reader := serveOver(t, store, server.Options{})

	resp, created := send(t, writer.URL, http.Header{"Authorization": {"Bearer " + curatorKey}}, createMutual, map[string]any{
		"props": props("id", "mutual:bookmarked", "name", "Bookmarked co-op", "ownership", "MEMBER"),
	})
	bookmark := resp.Header.Get("X-Neo4j-Bookmark")
	if bookmark == "" || len(created.Errors) > 0 {
		t.Fatalf("the mutation answered %s %+v with bookmark %q; want data and a bookmark", created.Data, created.Errors, bookmark)
	}
	if resp, _ := send(t, writer.URL, nil, `{ __typename }`, nil); resp.Header.Get("X-Neo4j-Bookmark") != "" {
		t.Errorf("a read answered with bookmark %q; only writes leave one", resp.Header.Get("X-Neo4j-Bookmark"))
	}

	read := func(bookmark string) gqlResponse {
		_, out := send(t, reader.URL, http.Header{"X-Neo4j-Bookmark": {bookmark}}, `{ node(id: "mutual:bookmarked") { id } }`, nil)
		return out
	}
	if out := read(bookmark); len(out.Errors) > 0 || !strings.Contains(string(out.Data), "mutual:bookmarked") {
		t.Errorf("the other replica, with the bookmark: %s %+v", out.Data, out.Errors)
	}
	if out := read("FB:not-a-bookmark"); len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("a made-up bookmark: %s %+v; want BAD_USER_INPUT", out.Data, out.Errors)
	}
}
