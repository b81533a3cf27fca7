package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
	"github.com/psmgraph/psmgraph/telemetry"
)

// production serves the API with the switches as a deployment leaves them
// by default: no playground, no introspection.
func production(t *testing.T, o server.Options) *httptest.Server {
	t.Helper()
	return serveOver(t, neo4jtest.Store(t), o)
}

func TestPlaygroundAndIntrospectionOffByDefault(t *testing.T) {
	srv := production(t, server.Options{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/explorer/" {
		t.Errorf("GET / = %d to %q; want the explorer, not the playground", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, q := range []string{
		`{ __schema { queryType { name } } }`,
		`{ __type(name: "Lever") { fields { name } } }`,
		`{ ...F } fragment F on Query { ... on Query { __schema { types { name } } } }`,
	} {
		out := postQuery(t, srv.URL, q, nil)
		if len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != server.CodeIntrospectionDisabled {
			t.Errorf("%s: %s %+v; want INTROSPECTION_DISABLED", q, out.Data, out.Errors)
		}
	}
	// Suggestions would tell the schema piecemeal.
	out := postQuery(t, srv.URL, `{ mutualKind }`, nil)
	if len(out.Errors) == 0 || strings.Contains(out.Errors[0].Message, "Did you mean") {
		t.Errorf("a misspelt field: %+v; want an error without suggestions", out.Errors)
	}
	// __typename is not introspection: clients rely on it.
	if out := postQuery(t, srv.URL, `{ __typename }`, nil); len(out.Errors) > 0 {
		t.Errorf("__typename: %+v", out.Errors)
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := production(t, server.Options{})
	for path, policy := range map[string]string{
		"/graphql?query=%7B__typename%7D": "default-src 'none'",
		"/healthz":                        "default-src 'none'",
		"/explorer/":                      "default-src 'self'",
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") != "no-referrer" || !strings.HasPrefix(h.Get("Content-Security-Policy"), policy) {
			t.Errorf("%s: headers %v", path, h)
		}
		if strings.Contains(h.Get("Content-Security-Policy"), "unsafe") {
			t.Errorf("%s: an unsafe content policy %q", path, h.Get("Content-Security-Policy"))
		}
	}
}

func TestRateLimitPerClient(t *testing.T) {
	const key = "limited-key"
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:reader:" + auth.HashKey(key)}})
	if err != nil {
		t.Fatal(err)
	}
	srv := production(t, server.Options{Auth: authn, Clients: server.ClientLimits{Rate: 0.5, Burst: 3, TrustForwardedFor: true}})
	send := func(header, value string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		if header != "" {
			req.Header.Set(header, value)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	for i := range 3 {
		if resp := send("X-Forwarded-For", "203.0.113.7"); resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d of a burst of 3: %d", i+1, resp.StatusCode)
		}
	}
	resp := send("X-Forwarded-For", "203.0.113.7")
	wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusTooManyRequests || wait < 1 || wait > 2 {
		t.Errorf("past the burst: %d, Retry-After %q; want 429 and the 2s a token takes", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Other clients are not held back by that one: another address, and an
	// API key (behind the same address).
	if resp := send("X-Forwarded-For", "198.51.100.1, 203.0.113.8"); resp.StatusCode != http.StatusOK {
		t.Errorf("another client: %d", resp.StatusCode)
	}
	if resp := send("Authorization", "Bearer "+key); resp.StatusCode != http.StatusOK {
		t.Errorf("a keyed client: %d", resp.StatusCode)
	}
	// Probes are never limited: a load balancer must always reach them.
	for range 5 {
		r, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			t.Fatalf("/healthz %d under the rate limit", r.StatusCode)
		}
	}
}

func TestMetricsAndRequestLog(t *testing.T) {
	const key = "key-that-must-not-leak"
	authn, err := auth.New(auth.Config{APIKeys: []string{"ana:reader:" + auth.HashKey(key)}, JWTSecret: "secret-that-must-not-leak"})
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	tel := telemetry.New(store, log, 0) // every query counts as slow: the slow-query log shows
	srv := serveOver(t, store, server.Options{Logger: log, Auth: authn, Telemetry: tel, Metrics: true})

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql",
		strings.NewReader(`{"query":"query Kinds($q: String!) { mutualKinds { totalCount } search(text: $q) { score } }","variables":{"q":"needle-typed-by-a-user"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("X-Request-ID", "trace-me-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Request-ID") != "trace-me-42" {
		t.Errorf("X-Request-ID %q, want the caller's", resp.Header.Get("X-Request-ID"))
	}
	postQuery(t, srv.URL, `query Broken { node(id: "x") { nope } }`, nil)
	// An analysis, compiled too; and arguments the resolvers refuse, which
	// the planner leaves to them, and says so.
	postQuery(t, srv.URL, `query Path { trace(from: "kind:spin-out", to: "jurisdiction:ca", maxHops: 1) { length } }`, nil)
	postQuery(t, srv.URL, `query Refused { trace(from: "kind:spin-out", to: "jurisdiction:ca", maxHops: 9) { length } }`, nil)

	resp, err = http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`psmgraph_graphql_requests_total{operation="Kinds",outcome="ok"} 1`,
		`psmgraph_graphql_requests_total{operation="Broken",outcome="GRAPHQL_VALIDATION_FAILED"} 1`,
		`psmgraph_graphql_request_duration_seconds_count{operation="Kinds"} 1`,
		`psmgraph_graphql_cypher_queries_per_request_count 4`,
		`psmgraph_graphql_resolved_total{reason="arguments"} 1`,
		`psmgraph_neo4j_connections_max 100`,
		`psmgraph_neo4j_connections_in_use 0`,
		`go_goroutines`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Kinds ran one compiled query for its two fields, Path one, Broken
	// and Refused none.
	if !bytes.Contains(metrics, []byte(`psmgraph_graphql_cypher_queries_per_request_sum 2`)) {
		t.Errorf("queries per request: %s", grep(metrics, "cypher_queries_per_request"))
	}

	var sawRequest, sawSlow bool
	scanner := bufio.NewScanner(strings.NewReader(logs.String()))
	for scanner.Scan() {
		var line map[string]any
		if err := json.Unmarshal(scanner.Bytes(), &line); err != nil {
			t.Fatalf("a log line that is not JSON: %s", scanner.Text())
		}
		switch {
		case line["msg"] == "request" && line["operation"] == "Kinds":
			sawRequest = line["request_id"] == "trace-me-42" && line["status"] == float64(200) &&
				line["queries"] == float64(1) && line["code"] == "" && line["duration"] != nil
		case line["msg"] == "slow query" && line["request_id"] == "trace-me-42":
			sawSlow = line["query"] != ""
		}
	}
	if !sawRequest || !sawSlow {
		t.Errorf("the log lacks the request line (%v) or a slow-query line (%v):\n%s", sawRequest, sawSlow, logs.String())
	}
	// Secrets and what users typed stay out of logs and metrics.
	for _, secret := range []string{key, "secret-that-must-not-leak", auth.HashKey(key), "needle-typed-by-a-user"} {
		if strings.Contains(logs.String(), secret) || bytes.Contains(metrics, []byte(secret)) {
			t.Errorf("%q appears in the logs or metrics", secret)
		}
	}
}

func grep(text []byte, s string) string {
	var out []string
	for _, line := range strings.Split(string(text), "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
