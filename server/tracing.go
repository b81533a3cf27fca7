package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/psmgraph/psmgraph/telemetry"
)

// traceRequests makes each request a span, a child of the caller's when its
// traceparent header names one. The span holds the method, the path and the
// status: never the query string, which may carry a GraphQL document and
// its variables, nor a header. While tracing is off it makes no span: the
// caller's trace context still names the request in its log line.
func traceRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		if !telemetry.Tracing() {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		ctx, span := telemetry.Tracer().Start(ctx, r.Method+" "+route(r.URL.Path), trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
		defer span.End()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", rec.status))
		if rec.status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(rec.status))
		}
	})
}

// route is the part of a path that names what was asked for: the span's
// name stays one of a few.
func route(path string) string {
	if path == "/" || path == "/graphql" {
		return path
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return "/" + first
}

// traceOperations makes each GraphQL operation a span of its request: its
// type and name, and the codes of its errors, never its variables nor the
// errors' messages, which may quote them.
type traceOperations struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = traceOperations{}

func (traceOperations) ExtensionName() string                          { return "Tracing" }
func (traceOperations) Validate(schema graphql.ExecutableSchema) error { return nil }

func (traceOperations) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if !telemetry.Tracing() {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx)
	kind, opName := "query", op.OperationName
	if op.Operation != nil {
		kind, opName = string(op.Operation.Operation), op.Operation.Name
	}
	name := kind
	if opName != "" {
		name += " " + opName
	}
	ctx, span := telemetry.Tracer().Start(ctx, name, trace.WithAttributes(
		attribute.String("graphql.operation.type", kind), attribute.String("graphql.operation.name", opName)))
	respond := next(ctx)
	ended := false
	return func(ctx context.Context) *graphql.Response {
		resp := respond(trace.ContextWithSpan(ctx, span))
		if ended {
			return resp
		}
		ended = true
		if resp != nil && len(resp.Errors) > 0 {
			var errCodes []string
			for _, e := range resp.Errors {
				if code, ok := e.Extensions["code"].(string); ok {
					errCodes = append(errCodes, code)
				}
			}
			span.SetAttributes(attribute.StringSlice("graphql.error.codes", errCodes))
			span.SetStatus(codes.Error, strings.Join(errCodes, ","))
		}
		span.End()
		return resp
	}
}
