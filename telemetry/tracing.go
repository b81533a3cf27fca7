package telemetry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/psmgraph/psmgraph/graph"
)

// tracing is on while StartTracing's exporter sends spans.
var tracing atomic.Bool

// Tracing reports whether spans are sent anywhere: while they are not, the
// server makes none, and a caller's trace context only names the request
// in its log line.
func Tracing() bool { return tracing.Load() }

// Tracer is psmgraph's OpenTelemetry tracer: a span per HTTP request, per
// GraphQL operation and per Neo4j transaction. Until StartTracing installs
// an exporter its spans cost nothing and go nowhere.
func Tracer() trace.Tracer { return otel.Tracer("github.com/psmgraph/psmgraph") }

// StartTracing sends spans by OTLP over HTTP to the collector that the
// standard variables name (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, with their headers, timeout and TLS
// settings; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES), and takes W3C
// trace context from callers. Without an endpoint, or with
// OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, tracing stays off.
// It returns the function that flushes the spans and stops.
func StartTracing(ctx context.Context, store *graph.Store) (func(context.Context) error, error) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	if !tracingWanted() {
		return func(context.Context) error { return nil }, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	// The environment's resource attributes, OTEL_SERVICE_NAME among
	// them, come after psmgraph's own name and win.
	res, err := resource.New(ctx, resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("service.name", "psmgraph")), resource.WithFromEnv())
	if err != nil {
		return nil, err
	}
	provider := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(provider)
	store.Observe(transactionSpans{})
	tracing.Store(true)
	return func(ctx context.Context) error {
		tracing.Store(false)
		return provider.Shutdown(ctx)
	}, nil
}

func tracingWanted() bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") || os.Getenv("OTEL_TRACES_EXPORTER") == "none" {
		return false
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// transactionSpans records each Neo4j transaction as a span of the request
// that ran it, after the fact, from its start and duration. A span names
// the query by a hash of its text: never the text, which a filter's values
// do not reach but which is long, and never its parameters.
type transactionSpans struct{}

func (transactionSpans) Transaction(ctx context.Context, tx graph.Transaction) {
	end := time.Now()
	name := "neo4j read"
	if tx.Write {
		name = "neo4j write"
	}
	sum := sha256.Sum256([]byte(tx.Query))
	_, span := Tracer().Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(end.Add(-tx.Took)),
		trace.WithAttributes(
			attribute.String("db.system.name", "neo4j"),
			attribute.String("db.namespace", tx.Database),
			attribute.String("db.query.summary", hex.EncodeToString(sum[:8])),
		))
	if tx.Err != nil {
		code := string(graph.ErrorCode(tx.Err))
		span.SetAttributes(attribute.String("error.type", code))
		span.SetStatus(codes.Error, code)
	}
	span.End(trace.WithTimestamp(end))
}
