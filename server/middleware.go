package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"go.opentelemetry.io/otel/trace"
	"log/slog"
	"net/http"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/telemetry"
)

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	if rec := telemetry.RecordOf(ctx); rec != nil {
		return rec.ID
	}
	return ""
}

// withRequestID gives every request an id, taken from X-Request-ID when the
// caller sent a sane one, so that a request can be followed across
// services, and a record of what it does.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !printable(id, 128) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		ctx, _ := telemetry.WithRecord(r.Context(), id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// printable accepts short values of visible ASCII, so that a caller cannot
// inject lines or control characters into the logs.
func printable(v string, maxLen int) bool {
	if v == "" || len(v) > maxLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] > '~' {
			return false
		}
	}
	return true
}

// statusRecorder remembers the status a handler wrote, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Flush passes a stream's events on as they come.
func (s *statusRecorder) Flush() { _ = http.NewResponseController(s.ResponseWriter).Flush() }

// logRequests writes one log line per request, with the GraphQL operation,
// the error code, the Neo4j transactions it cost and, at level ERROR, the
// first of the server's own errors and their number, and counts GraphQL
// requests in the metrics.
func logRequests(log *slog.Logger, t *telemetry.Telemetry, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		took := time.Since(started)
		record := telemetry.RecordOf(r.Context())
		attrs := []any{
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"duration", took,
			"request_id", record.ID,
		}
		if sc := trace.SpanContextFromContext(r.Context()); sc.IsValid() {
			attrs = append(attrs, "trace_id", sc.TraceID().String())
		}
		if r.URL.Path == "/graphql" && r.Method != http.MethodOptions {
			attrs = append(attrs, "operation", record.Operation(), "code", record.Code(), "queries", record.Queries())
			if t != nil {
				t.Request(record, took)
			}
		}
		if n, fault := record.Faults(); n > 0 {
			log.ErrorContext(r.Context(), "request", append(attrs, "err", fault, "errors", n)...)
			return
		}
		log.InfoContext(r.Context(), "request", attrs...)
	})
}

// recoverPanics turns a panic outside GraphQL into a 500 and a log line
// instead of a dropped connection.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "panic", v, "request_id", RequestID(r.Context()))
				fail(w, r, http.StatusInternalServerError, string(graph.CodeInternal), "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
