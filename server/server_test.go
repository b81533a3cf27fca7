package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

const allowedOrigin = "https://explorer.example.org"

// newServer serves the API over store on a real HTTP listener, as a
// developer runs it: playground, introspection and one allowed origin.
func newServer(t *testing.T, store *graph.Store) *httptest.Server {
	t.Helper()
	return serveOver(t, store, server.Options{CORSAllowedOrigins: []string{allowedOrigin}, Playground: true, Introspection: true})
}

// serveOver serves the API over store with the options, closed when the
// test ends.
func serveOver(t testing.TB, store *graph.Store, o server.Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(handlerOver(store, o))
	t.Cleanup(srv.Close)
	return srv
}

// handlerOver is the API over store with the options, the readiness check
// and what the options leave unset filled in: the schema over store, no
// log, a 64 KiB body and a 5 s time limit.
func handlerOver(store *graph.Store, o server.Options) http.Handler {
	compiled := compile.Options{}
	if o.Telemetry != nil {
		compiled.Declined = o.Telemetry.Declined
	}
	if o.Schema == nil {
		o.Schema = compile.New(resolvers.New(store), store, compiled)
	}
	o.Ready = func(ctx context.Context) error { return store.Answering(ctx, 10*time.Second) }
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 64 << 10
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 5 * time.Second
	}
	return server.New(o)
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func postQuery(t *testing.T, url, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(url+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode (status %d): %v", resp.StatusCode, err)
	}
	return out
}

// loadShipped loads the shipped data set and returns it, so that tests can
// derive what the API must answer.
func loadShipped(t testing.TB, store *graph.Store) *seed.Set {
	t.Helper()
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), store, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestGraphQLAnswersFromNeo4j(t *testing.T) {
	store := neo4jtest.Store(t)
	set := loadShipped(t, store)
	srv := newServer(t, store)

	const query = `query Kinds($after: String) {
	  mutualKinds(first: 2, after: $after) {
	    totalCount
	    edges { cursor node { id name nameFr } }
	    pageInfo { hasNextPage endCursor }
	  }
	}`
	var ids []string
	var after any
	for range 10 {
		resp := postQuery(t, srv.URL, query, map[string]any{"after": after})
		if len(resp.Errors) > 0 {
			t.Fatalf("errors: %+v", resp.Errors)
		}
		var data struct {
			MutualKinds struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID, Name string } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		if err := json.Unmarshal(resp.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.MutualKinds.TotalCount != len(set.Nodes[graph.LabelMutualKind]) {
			t.Errorf("totalCount %d, want %d", data.MutualKinds.TotalCount, len(set.Nodes[graph.LabelMutualKind]))
		}
		for _, e := range data.MutualKinds.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !data.MutualKinds.PageInfo.HasNextPage {
			break
		}
		after = data.MutualKinds.PageInfo.EndCursor
	}
	var want []string
	for _, k := range set.Nodes[graph.LabelMutualKind] {
		want = append(want, k["id"].(string))
	}
	sort.Strings(want)
	if got, w := strings.Join(ids, ","), strings.Join(want, ","); got != w {
		t.Errorf("paged ids %s, want %s", got, w)
	}
}

func TestGraphQLOverGET(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	srv := newServer(t, store)

	q := url.Values{"query": {`{ node(id: "jurisdiction:ca-qc") { id ... on Jurisdiction { code level } } }`}}
	resp, err := http.Get(srv.URL + "/graphql?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	want := `{"data":{"node":{"id":"jurisdiction:ca-qc","code":"CA-QC","level":"PROVINCIAL"}}}`
	if string(body) != want {
		t.Errorf("GET /graphql = %s, want %s", body, want)
	}
}

func TestErrorsCarryCodes(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := newServer(t, store)
	for _, tc := range []struct {
		name, query, code string
	}{
		{"first over the cap", `{ mutualKinds(first: 1000) { totalCount } }`, "BAD_USER_INPUT"},
		{"negative first", `{ jurisdictions(first: -1) { totalCount } }`, "BAD_USER_INPUT"},
		{"forged cursor", `{ jurisdictions(after: "bm90LWEtY3Vyc29y") { totalCount } }`, "BAD_USER_INPUT"},
		{"unknown field", `{ nothing }`, "GRAPHQL_VALIDATION_FAILED"},
		{"syntax", `{ mutualKinds(`, "GRAPHQL_PARSE_FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := postQuery(t, srv.URL, tc.query, nil)
			if len(resp.Errors) == 0 {
				t.Fatalf("no error for %s", tc.query)
			}
			if got := resp.Errors[0].Extensions["code"]; got != tc.code {
				t.Errorf("code %v, want %s (message %q)", got, tc.code, resp.Errors[0].Message)
			}
		})
	}
}

func TestNodeNotFoundIsNull(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := newServer(t, store)
	resp := postQuery(t, srv.URL, `{ node(id: "kind:nowhere") { id } }`, nil)
	if len(resp.Errors) > 0 || string(resp.Data) != `{"node":null}` {
		t.Errorf("data %s errors %+v; want a null node and no error", resp.Data, resp.Errors)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := newServer(t, store)
	body := `{"query":"{ mutualKinds { totalCount } }","variables":{"pad":"` + strings.Repeat("x", 100<<10) + `"}}`
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d for a body over the limit, want 413", resp.StatusCode)
	}
}

func preflight(t *testing.T, srvURL, origin string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, srvURL+"/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestCORSPreflight(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := newServer(t, store)

	allowed := preflight(t, srv.URL, allowedOrigin)
	if got := allowed.Header.Get("Access-Control-Allow-Origin"); got != allowedOrigin {
		t.Errorf("allowed origin: Access-Control-Allow-Origin %q, want %q", got, allowedOrigin)
	}
	if got := allowed.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(got, "POST") {
		t.Errorf("allowed origin: Access-Control-Allow-Methods %q, want POST in it", got)
	}
	refused := preflight(t, srv.URL, "https://evil.example.com")
	if got := refused.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("refused origin: Access-Control-Allow-Origin %q, want none", got)
	}
}

func TestNoOriginsAllowedByDefault(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := serveOver(t, store, server.Options{MaxBodyBytes: 1 << 20, RequestTimeout: time.Second})
	if got := preflight(t, srv.URL, allowedOrigin).Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("with no allow-list: Access-Control-Allow-Origin %q, want none", got)
	}
}

func getStatus(t *testing.T, url string) (int, map[string]string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// With the database gone, the process stays alive (/healthz), says it is not
// ready (/readyz), and GraphQL answers DATABASE_UNAVAILABLE.
func TestDatabaseGone(t *testing.T) {
	neo4jtest.Store(t)
	proxy, conn := neo4jtest.NewProxy(t)
	store, err := graph.Open(conn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(context.Background())
	srv := newServer(t, store)

	if status, _ := getStatus(t, srv.URL+"/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz %d with the database up, want 200", status)
	}
	proxy.Cut()
	status, body := getStatus(t, srv.URL+"/readyz")
	if status != http.StatusServiceUnavailable || body["reason"] == "" {
		t.Errorf("/readyz %d %v with the database gone, want 503 with a reason", status, body)
	}
	if status, _ := getStatus(t, srv.URL+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz %d with the database gone, want 200", status)
	}
	resp := postQuery(t, srv.URL, `{ mutualKinds { totalCount } }`, nil)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "DATABASE_UNAVAILABLE" {
		t.Errorf("errors %+v, want DATABASE_UNAVAILABLE", resp.Errors)
	}
}

// The playground's page and every file it loads come from psmgraph itself,
// under a content policy that allows nothing inline and no other host.
func TestPlaygroundIsServedFromItsOwnFiles(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := newServer(t, store)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		policy := resp.Header.Get("Content-Security-Policy")
		if !strings.HasPrefix(policy, "default-src 'self'") || strings.Contains(policy, "unsafe") {
			t.Errorf("%s: content policy %q", path, policy)
		}
		return resp, string(body)
	}
	resp, page := get("/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<main id="graphiql">`) {
		t.Fatalf("GET / = %d, want the playground's page:\n%s", resp.StatusCode, page)
	}
	if !resp.Request.URL.Query().Has("query") {
		t.Errorf("GET / was not sent to the examples: %s", resp.Request.URL)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 8 {
		t.Fatalf("the page loads %d files: %s", len(refs), page)
	}
	for _, ref := range refs {
		path := ref[1]
		if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
			t.Errorf("the page loads %q, which is not on its own origin", path)
			continue
		}
		if path == "/explorer/" || strings.HasPrefix(path, "/explorer/favicon") {
			continue
		}
		if resp, body := get(path); resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s = %d, %d bytes", path, resp.StatusCode, len(body))
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<style") {
		t.Error("the page has an inline script or style")
	}
	// Each response has a nonce of its own for styles, which the page
	// tells its scripts.
	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
	if nonce == nil || !strings.Contains(page, `<meta name="psmgraph-style-nonce" content="`+nonce[1]+`">`) {
		t.Errorf("the page's nonce is not its policy's: %q", resp.Header.Get("Content-Security-Policy"))
	} else if again, _ := get("/?query=x"); strings.Contains(again.Header.Get("Content-Security-Policy"), nonce[1]) {
		t.Error("two responses have the same nonce")
	}
}

// Every example the playground opens with runs without error on the shipped
// data set and finds something.
func TestPlaygroundExamplesRun(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	srv := newServer(t, store)
	doc, err := os.ReadFile("examples.graphql")
	if err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`(?m)^query (\w+)`).FindAllStringSubmatch(string(doc), -1)
	if len(names) < 5 {
		t.Fatalf("%d examples", len(names))
	}
	for _, m := range names {
		body, _ := json.Marshal(map[string]any{"query": string(doc), "operationName": m[1]})
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		var out gqlResponse
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		var fields map[string]json.RawMessage
		if err == nil {
			err = json.Unmarshal(out.Data, &fields)
		}
		if err != nil || len(out.Errors) > 0 || len(fields) == 0 {
			t.Errorf("%s: %v %+v", m[1], err, out.Errors)
		}
		for name, v := range fields {
			if s := string(v); s == "[]" || s == "null" || strings.Contains(s, `"edges":[]`) && !strings.Contains(s, `"edges":[{`) {
				t.Errorf("%s: %s found nothing: %s", m[1], name, s)
			}
		}
	}
}

// Every operation in docs/queries.md's GraphQL blocks runs without error on
// the shipped data set.
func TestQueriesDocExamplesRun(t *testing.T) {
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	srv := newServer(t, store)
	doc, err := os.ReadFile("../docs/queries.md")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, block := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		for _, op := range operationsOf(block[1]) {
			ran++
			if resp := postQuery(t, srv.URL, op, nil); len(resp.Errors) > 0 || len(resp.Data) == 0 {
				t.Errorf("%s: %+v", op, resp.Errors)
			}
		}
	}
	if ran < 10 {
		t.Errorf("ran %d operations of docs/queries.md", ran)
	}
}

// operationsOf splits a block of anonymous operations, each a selection
// set at the top level, with comment lines between them.
func operationsOf(block string) []string {
	var ops []string
	var op strings.Builder
	depth := 0
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		op.WriteString(line + "\n")
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth == 0 && strings.TrimSpace(op.String()) != "" {
			ops = append(ops, op.String())
			op.Reset()
		}
	}
	return ops
}

func TestAbusiveShapesAreRefused(t *testing.T) {
	store := neo4jtest.Store(t)
	srv := newServer(t, store)
	deep := "{ jurisdictions { edges { node { " + strings.Repeat("parts { edges { node { ", 20) + "id" +
		strings.Repeat(" } } }", 20) + " } } } }"
	wide := "{ " + strings.Repeat("a: mutualKinds(first: 100) { edges { node { affectedBy(first: 100) { edges { node { id } } } } } } ", 100) + "}"
	huge := `{ mutualKinds(first: 100) { edges { node { affectedBy(first: 100) { edges { node { ... on Lever {
	  heldBy(first: 100) { edges { node { mutuals(first: 100) { edges { node { id } } } } } } } } } } } } } }`
	for name, q := range map[string]string{"deep": deep, "many aliases": wide, "nested pages": huge} {
		resp := postQuery(t, srv.URL, q, nil)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT" {
			t.Errorf("%s: errors %+v; want COMPLEXITY_LIMIT", name, resp.Errors)
		}
	}
	// An ordinary analyst's request passes.
	resp := postQuery(t, srv.URL, `{ mutualKinds { edges { node { affectedBy(first: 50) { edges { node { id } sources { name } } } } } } }`, nil)
	if len(resp.Errors) > 0 {
		t.Errorf("an ordinary request: %+v", resp.Errors)
	}
}

// Warm runs every example on the shipped data set without an error, and
// reports one when the data cannot answer them.
func TestWarm(t *testing.T) {
	store := neo4jtest.Store(t)
	if _, err := server.Warm(context.Background(), compile.New(resolvers.New(store), store, compile.Options{})); err != nil {
		t.Fatalf("warm-up of an empty graph: %v", err)
	}
	loadShipped(t, store)
	took, err := server.Warm(context.Background(), compile.New(resolvers.New(store), store, compile.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warm-up took %v", took)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := server.Warm(ctx, compile.New(resolvers.New(store), store, compile.Options{})); err == nil {
		t.Error("a cancelled warm-up reported no error")
	}
}
