package telemetry

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/psmgraph/psmgraph/graph"
)

// Telemetry counts what the API does and logs what is slow. It observes the
// store, so that every Neo4j transaction is counted against its request.
type Telemetry struct {
	registry   *prometheus.Registry
	operations *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	queries    prometheus.Histogram
	dbErrors   *prometheus.CounterVec
	declined   *prometheus.CounterVec
	names      *nameSet

	log  *slog.Logger
	slow time.Duration
}

// New makes the telemetry of an API over store, and starts observing it.
// Transactions slower than slow are logged.
func New(store *graph.Store, log *slog.Logger, slow time.Duration) *Telemetry {
	t := &Telemetry{
		registry: prometheus.NewRegistry(),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "psmgraph_graphql_requests_total",
			Help: "GraphQL requests by operation name and outcome (ok or the first error's code).",
		}, []string{"operation", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "psmgraph_graphql_request_duration_seconds",
			Help:    "Time to answer a GraphQL request, by operation name.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15},
		}, []string{"operation"}),
		queries: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "psmgraph_graphql_cypher_queries_per_request",
			Help:    "Neo4j transactions one GraphQL request ran.",
			Buckets: []float64{0, 1, 2, 3, 4, 6, 8, 12, 16, 32},
		}),
		dbErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "psmgraph_neo4j_errors_total",
			Help: "Failed Neo4j transactions by class: ClientError, TransientError, DatabaseError, ConnectivityError, Timeout or Other.",
		}, []string{"class"}),
		declined: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "psmgraph_graphql_resolved_total",
			Help: "Operations answered by the resolvers, not one compiled query, by reason: operation (not a query), field (one the planner does not cover), arguments (refused) or data (an answer the model forbids).",
		}, []string{"reason"}),
		names: newNameSet(maxOperationNames),
		log:   log,
		slow:  slow,
	}
	t.registry.MustRegister(t.operations, t.latency, t.queries, t.dbErrors, t.declined,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "psmgraph_neo4j_connections_in_use",
			Help: "Neo4j transactions holding a pooled connection now.",
		}, func() float64 { return float64(store.InUse()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "psmgraph_neo4j_connections_max",
			Help: "Most connections the driver's pool opens per Neo4j server.",
		}, func() float64 { return float64(store.PoolSize()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	store.Observe(t)
	return t
}

// Handler serves the metrics in Prometheus's text format.
func (t *Telemetry) Handler() http.Handler {
	return promhttp.HandlerFor(t.registry, promhttp.HandlerOpts{Registry: t.registry})
}

// Declined counts an operation the planner left to the resolvers, by its
// reason; the detail is for the log, which the planner writes at debug
// level.
func (t *Telemetry) Declined(reason, _ string) {
	t.declined.WithLabelValues(reason).Inc()
}

// Transaction counts a Neo4j transaction against its request, counts its
// failure by class, and logs it when slow. The query's parameters are not
// logged: they carry what users typed.
func (t *Telemetry) Transaction(ctx context.Context, tx graph.Transaction) {
	rec := RecordOf(ctx)
	if rec != nil {
		rec.queries.Add(1)
	}
	if tx.Err != nil {
		if class := graph.ErrorClass(tx.Err); class != "" {
			t.dbErrors.WithLabelValues(class).Inc()
		}
	}
	if tx.Took >= t.slow {
		attrs := []any{"took", tx.Took.Round(time.Millisecond), "write", tx.Write, "query", oneLine(tx.Query, 500)}
		if tx.Err != nil {
			attrs = append(attrs, "code", graph.ErrorCode(tx.Err))
		}
		if rec != nil {
			attrs = append(attrs, "request_id", rec.ID)
		}
		t.log.WarnContext(ctx, "slow query", attrs...)
	}
}

// Request counts a finished GraphQL request.
func (t *Telemetry) Request(rec *Record, took time.Duration) {
	op := t.names.label(rec.Operation())
	outcome := rec.Code()
	if outcome == "" {
		outcome = "ok"
	}
	t.operations.WithLabelValues(op, outcome).Inc()
	t.latency.WithLabelValues(op).Observe(took.Seconds())
	t.queries.Observe(float64(rec.Queries()))
}

// maxOperationNames bounds the operation label's values: names come from
// clients, and each new one is a new time series.
const maxOperationNames = 200

var operationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// nameSet admits the first few distinct well-formed operation names as
// labels; the rest share "other".
type nameSet struct {
	mu    sync.Mutex
	max   int
	names map[string]bool
}

func newNameSet(max int) *nameSet { return &nameSet{max: max, names: map[string]bool{}} }

func (s *nameSet) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !operationName.MatchString(name) {
		return "other"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.names[name] {
		if len(s.names) >= s.max {
			return "other"
		}
		s.names[name] = true
	}
	return name
}

// oneLine squeezes a query's whitespace and cuts it to n bytes, for a log.
func oneLine(q string, n int) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > n {
		q = q[:n] + "…"
	}
	return q
}
