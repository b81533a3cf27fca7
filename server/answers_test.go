package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

// answer is one answer as a cache sees it.
type answer struct {
	status   int
	header   http.Header
	body     string
	revision float64 // the extension's
}

func askAt(t *testing.T, method, base, query string, header http.Header) answer {
	t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, base+"/graphql?query="+url.QueryEscape(query), nil)
	} else {
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ = http.NewRequest(method, base+"/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
	var parsed struct{ Extensions struct{ Revision float64 } }
	if len(b) > 0 {
		_ = json.Unmarshal(b, &parsed)
	}
	out.revision = parsed.Extensions.Revision
	return out
}

// Two replicas over one Neo4j, each following the graph's revision: every
// answer says its revision; a repeated query is answered without Neo4j; a
// GET revalidates for a 304; a change through one replica reaches the
// other's answers within its polling interval, and a writer that sends
// its bookmark reads its own write at once.
func TestAnswersSayTheirRevisionAndCachesKeepThem(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	// The followers read through a store of their own, so that the count
	// of the serving store's queries is the answers' alone.
	follow, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = follow.Close(context.Background()) })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:curator:" + auth.HashKey(curatorKey)}})
	if err != nil {
		t.Fatal(err)
	}
	const poll = 50 * time.Millisecond
	replica := func() string {
		revs := server.NewRevisions(follow.Head)
		if err := revs.Read(ctx); err != nil {
			t.Fatal(err)
		}
		go revs.Run(ctx, poll)
		return serveOver(t, store, server.Options{Auth: authn, Revisions: revs, CacheControl: "no-cache", AnswerCacheBytes: 1 << 20}).URL
	}
	a, b := replica(), replica()
	queries := neo4jtest.Count(store)

	const q = `{ mutualKinds(first: 3) { edges { node { id name } } } }`
	first := askAt(t, http.MethodPost, a, q, nil)
	rev := first.header.Get("X-Graph-Revision")
	if first.status != http.StatusOK || rev == "" || strconv.Itoa(int(first.revision)) != rev {
		t.Fatalf("first answer: %d, header %q, extension %v: %s", first.status, rev, first.revision, first.body)
	}
	before := queries.Queries()
	if again := askAt(t, http.MethodPost, a, q, nil); again.body != first.body || queries.Queries() != before {
		t.Errorf("a repeated query ran %d queries; answer %s", queries.Queries()-before, again.body)
	}

	get := askAt(t, http.MethodGet, a, q, nil)
	tag := get.header.Get("ETag")
	if get.status != http.StatusOK || tag == "" || get.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET: %d, ETag %q, Cache-Control %q", get.status, tag, get.header.Get("Cache-Control"))
	}
	if again := askAt(t, http.MethodGet, a, q, http.Header{"If-None-Match": {tag}}); again.status != http.StatusNotModified || again.body != "" {
		t.Errorf("revalidation: %d %q, want 304", again.status, again.body)
	}
	// An answer with an error is not tagged.
	if bad := askAt(t, http.MethodGet, a, `{ mutualKinds(first: 101) { totalCount } }`, nil); bad.header.Get("ETag") != "" {
		t.Errorf("an error was tagged %q", bad.header.Get("ETag"))
	}

	// A change through a, seen by b within its interval.
	bearer := http.Header{"Authorization": {"Bearer " + curatorKey}}
	wrote := askAt(t, http.MethodPost, a, `mutation { updateEntity(id: "kind:co-op-extension",
	  properties: [{name: "name", value: "Co-op extension, renamed"}], reason: "a test of the caches") { id } }`, bearer)
	if wrote.status != http.StatusOK || strings.Contains(wrote.body, "errors") {
		t.Fatalf("mutation: %d %s", wrote.status, wrote.body)
	}
	own := askAt(t, http.MethodPost, a, q, http.Header{"X-Neo4j-Bookmark": {wrote.header.Get("X-Neo4j-Bookmark")}})
	if !strings.Contains(own.body, "renamed") {
		t.Errorf("the writer, with its bookmark, read %s", own.body)
	}
	// On the replica it wrote through, no one reads the old answer again.
	if same := askAt(t, http.MethodPost, a, q, nil); !strings.Contains(same.body, "renamed") {
		t.Errorf("after a write through it, the replica answered %s", same.body)
	}
	// b may read the new data before it knows the new revision: it says
	// the revision it knew when the read began.
	changed := time.Now()
	for {
		seen := askAt(t, http.MethodPost, b, q, nil)
		if strings.Contains(seen.body, "renamed") && seen.header.Get("X-Graph-Revision") != rev {
			t.Logf("a change through one replica reached the other's answers, at its new revision, in %v (polling every %v)",
				time.Since(changed).Round(time.Millisecond), poll)
			break
		}
		if time.Since(changed) > 5*time.Second {
			t.Fatalf("after 5s the other replica still answers %s", seen.body)
		}
		time.Sleep(poll / 5)
	}
	if again := askAt(t, http.MethodGet, b, q, http.Header{"If-None-Match": {tag}}); again.status != http.StatusOK || again.header.Get("ETag") == tag {
		t.Errorf("revalidating the old answer: %d, ETag %q", again.status, again.header.Get("ETag"))
	}
}

// While a load is written, its batches change the graph within one
// revision: no answer is kept or tagged until it completes.
func TestNothingIsCachedWhileALoadIsWritten(t *testing.T) {
	store := neo4jtest.Store(t)
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	batches := 0
	_, err = seed.Load(ctx, store, set, seed.Options{BatchSize: 50, Progress: func(seed.Progress) {
		if batches++; batches == 2 {
			stop()
		}
	}})
	if err == nil {
		t.Fatal("the load did not stop")
	}
	revs := server.NewRevisions(store.Head)
	if err := revs.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	base := serveOver(t, store, server.Options{Revisions: revs, CacheControl: "no-cache", AnswerCacheBytes: 1 << 20}).URL
	queries := neo4jtest.Count(store)
	const q = `{ mutualKinds(first: 3) { edges { node { id } } } }`
	// cached reports whether a repeated query read Neo4j, and the ETag of a GET.
	cached := func() (bool, string) {
		askAt(t, http.MethodPost, base, q, nil)
		before := queries.Queries()
		askAt(t, http.MethodPost, base, q, nil)
		get := askAt(t, http.MethodGet, base, q, nil)
		if get.header.Get("X-Graph-Revision") == "" {
			t.Error("an answer without its revision")
		}
		return queries.Queries() == before, get.header.Get("ETag")
	}
	if hit, tag := cached(); hit || tag != "" {
		t.Errorf("during a load: answered from the cache %t, ETag %q; want neither", hit, tag)
	}
	if _, err := seed.Load(context.Background(), store, set, seed.Options{BatchSize: 50}); err != nil {
		t.Fatal(err)
	}
	if err := revs.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hit, tag := cached(); !hit || tag == "" {
		t.Errorf("after the load: answered from the cache %t, ETag %q; want both", hit, tag)
	}
}
