package server_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	collector "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
	"github.com/psmgraph/psmgraph/telemetry"
)

// receiver is an OTLP/HTTP trace collector in the test's process: it keeps
// every span sent to it.
type receiver struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req collector.ExportTraceServiceRequest
	if r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
		http.Error(w, "not a trace export", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			rc.spans = append(rc.spans, ss.Spans...)
		}
	}
	out, _ := proto.Marshal(&collector.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

// A request becomes three spans, each the child of the one before: the
// HTTP request (of the caller's span), the GraphQL operation and the Neo4j
// transaction. None holds the variables or the query's text, and the
// request's log line names the trace.
func TestTracesFollowARequestToNeo4j(t *testing.T) {
	rc := &receiver{}
	collectorSrv := httptest.NewServer(rc)
	t.Cleanup(collectorSrv.Close)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collectorSrv.URL)
	t.Setenv("OTEL_SERVICE_NAME", "psmgraph-test")

	store := neo4jtest.Store(t)
	stop, err := telemetry.StartTracing(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	srv := serveOver(t, store, server.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})

	const (
		traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		parent  = "00f067aa0ba902b7"
		secret  = "mutual:secret-value-4711"
	)
	body := `{"query":"query Secret($id: ID!) { node(id: $id) { id } }","variables":{"id":"` + secret + `"}}`
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql?variables=%7B%22id%22%3A%22"+secret+"%22%7D", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Traceparent", "00-"+traceID+"-"+parent+"-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := stop(context.Background()); err != nil { // flushes
		t.Fatal(err)
	}

	rc.mu.Lock()
	defer rc.mu.Unlock()
	byName := map[string]*tracepb.Span{}
	for _, s := range rc.spans {
		if hex.EncodeToString(s.TraceId) == traceID {
			byName[s.Name] = s
		}
		text := s.String()
		if strings.Contains(text, "secret-value") || strings.Contains(text, "MATCH") {
			t.Errorf("span %q holds a variable or the query's text: %s", s.Name, text)
		}
	}
	chain := []struct{ name, parent string }{
		{"POST /graphql", parent},
		{"query Secret", "POST /graphql"},
		{"neo4j read", "query Secret"},
	}
	for _, c := range chain {
		s := byName[c.name]
		if s == nil {
			t.Fatalf("no span %q in the trace; spans: %v", c.name, names(rc.spans))
		}
		want := c.parent
		if p := byName[c.parent]; p != nil {
			want = hex.EncodeToString(p.SpanId)
		}
		if got := hex.EncodeToString(s.ParentSpanId); got != want {
			t.Errorf("span %q has parent %s, want %s (%s)", c.name, got, want, c.parent)
		}
	}
	if !strings.Contains(logs.String(), `"trace_id":"`+traceID+`"`) {
		t.Errorf("the request's log line does not name the trace: %s", logs.String())
	}
}

func names(spans []*tracepb.Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

// Without a collector no span is made, yet a caller's trace context still
// names the request in its log line.
func TestWithoutTracingTheLogStillNamesTheCallersTrace(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	store := neo4jtest.Store(t)
	stop, err := telemetry.StartTracing(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stop(context.Background()) }()
	if telemetry.Tracing() {
		t.Fatal("tracing is on without a collector")
	}
	var logs bytes.Buffer
	srv := serveOver(t, store, server.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	const traceID = "0af7651916cd43dd8448eb211c80319c"
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Traceparent", "00-"+traceID+"-b7ad6b7169203331-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(logs.String(), `"trace_id":"`+traceID+`"`) {
		t.Errorf("the request's log line does not name the caller's trace: %s", logs.String())
	}
}
