// Package server is psmgraph's HTTP surface: the GraphQL endpoint, the
// playground and the explorer, health and readiness probes, metrics, CORS,
// authentication, rate and size limits, security headers and request logs.
package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/rs/cors"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/explorer"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/playground"
	"github.com/psmgraph/psmgraph/telemetry"
)

// Options configure the HTTP surface.
type Options struct {
	Logger *slog.Logger
	// Schema answers GraphQL requests.
	Schema graphql.ExecutableSchema
	// Ready reports whether the database answers; /readyz calls it.
	Ready func(ctx context.Context) error
	// CORSAllowedOrigins lists the origins a browser may call the API from;
	// "*" allows any. Empty allows none: same-origin pages only.
	CORSAllowedOrigins []string
	// Auth checks credentials; ReadsRequireAuth refuses anonymous callers.
	Auth             *auth.Authenticator
	ReadsRequireAuth bool
	// MaxBodyBytes bounds a request body; RequestTimeout bounds a request.
	MaxBodyBytes   int64
	RequestTimeout time.Duration
	// Clients bounds each client's requests, cost and Neo4j work.
	Clients ClientLimits
	// Playground serves GraphiQL at /, which needs Introspection.
	Playground    bool
	Introspection bool
	// Telemetry, when set, counts requests; Metrics serves them at /metrics.
	Telemetry *telemetry.Telemetry
	Metrics   bool
	// Revisions, when set, follows the graph's revision: answers say it,
	// GET answers carry an ETag and CacheControl, and AnswerCacheBytes
	// (0: none) of repeated queries' answers are kept in memory.
	Revisions        *Revisions
	CacheControl     string
	AnswerCacheBytes int
	// Streams, when it ends, ends every subscription: at shutdown, which
	// would otherwise wait for them.
	Streams context.Context
}

// ErrDraining is what Ready returns once shutdown has begun: the replica
// still serves, but a load balancer should send it nothing new.
var ErrDraining = errors.New("shutting down")

// ErrWarming is what Ready returns while the replica runs its warm-up
// (Warm): it serves, but slowly, and beside the warm-up's own queries.
var ErrWarming = errors.New("warming up")

// readyTimeout bounds a readiness probe: a load balancer must not wait on a
// database that hangs.
const readyTimeout = 2 * time.Second

// New returns the handler of every route.
func New(o Options) http.Handler {
	mux := http.NewServeMux()
	authn := o.Auth
	if authn == nil {
		authn, _ = auth.New(auth.Config{}) // no keys: every credential is refused
	}
	cs := newClients(o.Clients)
	var graphQL http.Handler
	if o.Revisions != nil {
		graphQL = withRevision(o.Revisions, o.CacheControl, withBookmarks(ensureCodes(
			GraphQL(o.Schema, o.Logger, o.Introspection, answers{cache: newAnswerCache(o.AnswerCacheBytes)}))))
	} else {
		graphQL = withBookmarks(ensureCodes(GraphQL(o.Schema, o.Logger, o.Introspection)))
	}
	streams := o.Streams
	if streams == nil {
		streams = context.Background()
	}
	api := checkUpgradeOrigin(o.CORSAllowedOrigins, limit(o.MaxBodyBytes, o.RequestTimeout, streams,
		cs.limitAuthFailures(authenticate(authn, o.ReadsRequireAuth, cs.limitClients(graphQL)))))
	mux.Handle("GET /graphql", api)
	mux.Handle("POST /graphql", api)
	mux.Handle("OPTIONS /graphql", api)
	if o.Playground {
		pg := playground.Handler(examples)
		mux.Handle("GET /{$}", pg)
		mux.Handle("GET "+playground.Prefix, pg)
	} else {
		mux.Handle("GET /{$}", http.RedirectHandler("/explorer/", http.StatusFound))
	}
	if o.Metrics && o.Telemetry != nil {
		mux.Handle("GET /metrics", o.Telemetry.Handler())
	}
	mux.Handle("GET /explorer/", explorer.Handler("/explorer/"))
	mux.Handle("GET /explorer", http.RedirectHandler("/explorer/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := o.Ready(ctx); err != nil {
			reason := "the database does not answer"
			switch {
			case errors.Is(err, ErrDraining), errors.Is(err, ErrWarming):
				reason = err.Error()
			default:
				o.Logger.Warn("not ready", "err", err)
			}
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": reason})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	return withRequestID(traceRequests(securityHeaders(logRequests(o.Logger, o.Telemetry,
		recoverPanics(o.Logger, corsFor(o.CORSAllowedOrigins).Handler(mux))))))
}

// examples are the playground's example operations, documented in
// docs/queries.md.
//
//go:embed examples.graphql
var examples string

// corsFor allows cross-origin calls from the listed origins only. rs/cors
// reads an empty list as "allow all", so an empty list is made explicit.
func corsFor(origins []string) *cors.Cors {
	opts := cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Authorization", "X-Request-ID", bookmarkHeader, "If-None-Match"},
		ExposedHeaders: []string{"X-Request-ID", bookmarkHeader, "Retry-After", revisionHeader, "ETag"},
		MaxAge:         600,
	}
	if len(origins) == 0 {
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	return cors.New(opts)
}

// limit bounds a request's body and its time; the deadline reaches Neo4j as
// the transaction timeout. A subscription's stream has no time limit: it
// ends when its client goes, or when streams ends.
func limit(maxBody int64, timeout time.Duration, streams context.Context, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			fail(w, r, http.StatusRequestEntityTooLarge, string(graph.CodeBadInput), "the request body is larger than the limit")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		var ctx context.Context
		var cancel context.CancelFunc
		if isStream(r) {
			ctx, cancel = context.WithCancel(r.Context())
			stop := context.AfterFunc(streams, cancel)
			defer stop()
			_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
		} else {
			ctx, cancel = context.WithTimeout(r.Context(), timeout)
		}
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isStream reports a request for a subscription's stream: server-sent
// events, or a WebSocket.
func isStream(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream") || isUpgrade(r)
}

func isUpgrade(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// checkUpgradeOrigin refuses a WebSocket upgrade from a page of an origin
// the CORS list does not allow, with 403: the CORS middleware does not see
// upgrades, and a browser sends them with the page's cookies. An upgrade
// without Origin comes from no browser; one from the API's own origin is
// allowed.
func checkUpgradeOrigin(origins []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); isUpgrade(r) && origin != "" && !originAllowed(origins, origin, r.Host) {
			fail(w, r, http.StatusForbidden, string(graph.CodeForbidden), "this origin may not open a WebSocket to the API")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func originAllowed(origins []string, origin, host string) bool {
	if u, err := url.Parse(origin); err == nil && u.Host == host {
		return true
	}
	return slices.Contains(origins, "*") || slices.Contains(origins, origin)
}

// errorBody is a GraphQL-shaped error response for failures before GraphQL
// runs, so that clients parse one shape.
func errorBody(code, message string) map[string]any {
	return map[string]any{"errors": []map[string]any{{
		"message":    message,
		"extensions": map[string]string{"code": code},
	}}}
}

// fail answers an error before GraphQL runs, and notes its code for the
// request's log line and metrics.
func fail(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	telemetry.RecordOf(r.Context()).Fail(code)
	writeJSON(w, status, errorBody(code, message))
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
