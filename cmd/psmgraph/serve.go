package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/config"
	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/server"
	"github.com/psmgraph/psmgraph/telemetry"
)

// databaseWait bounds the wait for Neo4j to answer at start-up.
const databaseWait = time.Minute

// readyWithin is how recent an answer from Neo4j keeps the replica ready
// without a ping: a database busy with long queries still answers.
const readyWithin = 10 * time.Second

// warmBudget bounds the warm-up, and so the time before the replica is
// ready: past it, the rest of the examples are left cold.
const warmBudget = time.Minute

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("psmgraph serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	authn, err := auth.New(auth.Config{
		APIKeys:   cfg.APIKeys,
		JWTSecret: cfg.JWTSecret,
		JWKSURL:   cfg.JWKSURL,
		Issuer:    cfg.JWTIssuer,
		Audience:  cfg.JWTAudience,
	})
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	defer authn.Close() // stops the key set's hourly refresh
	log := newLogger(cfg, stderr)
	log.Info("starting psmgraph", "config", cfg)
	tuneGC()
	if cfg.Playground && !cfg.Introspection {
		log.Warn("the playground is on but introspection is off: it will not know the schema")
	}

	db, stopDB, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopDB()
	if cfg.SeedWhenEmpty {
		sum, loaded, err := seedShippedIfEmpty(ctx, db.store)
		if err != nil {
			return fmt.Errorf("seed the empty graph: %w", err)
		}
		if loaded {
			nodes, rels := sum.Totals()
			log.Info("the graph was empty: loaded the shipped data set",
				"nodes", nodes.Created, "relationships", rels.Created, "took", sum.Elapsed.Round(time.Millisecond))
		}
	}

	tel := telemetry.New(db.store, log, cfg.SlowQuery)
	stopTracing, err := telemetry.StartTracing(ctx, db.store)
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	defer func() {
		// The spans of the last requests, sent within the shutdown's time.
		flush, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := stopTracing(flush); err != nil {
			log.Warn("tracing: the last spans were not sent", "err", err)
		}
	}()
	// Reads are one compiled query each; the resolvers answer the rest.
	schema := compile.New(resolvers.New(db.store, resolvers.WithFeedPoll(cfg.RevisionPoll), resolvers.WithLogger(log)), db.store, compile.Options{Logger: log, Declined: tel.Declined})
	// Once shutdown begins, /readyz says so while requests are still
	// served, so that a load balancer drains this replica first; until the
	// warm-up has run, it says so too, so that the first users reach a
	// warm replica and do not share it with the warm-up.
	var draining, warm atomic.Bool
	ready := func(ctx context.Context) error {
		switch {
		case draining.Load():
			return server.ErrDraining
		case !warm.Load():
			return server.ErrWarming
		}
		return db.store.Answering(ctx, readyWithin)
	}
	// Every replica follows the change log's head, for answers that say
	// their revision and caches that keep them while it holds.
	revisions := server.NewRevisions(db.store.Head)
	if err := revisions.Read(ctx); err != nil {
		log.Warn("the graph's revision is not known yet: answers say it from the next read", "err", err)
	}
	go revisions.Run(ctx, cfg.RevisionPoll)
	// Subscriptions end when shutdown begins, which would wait for them.
	streams, endStreams := context.WithCancel(context.Background())
	defer endStreams()
	srv := &http.Server{
		Addr: net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler: server.New(server.Options{
			Logger:             log,
			Schema:             schema,
			Ready:              ready,
			Auth:               authn,
			ReadsRequireAuth:   cfg.ReadsRequireAuth,
			CORSAllowedOrigins: cfg.CORSAllowedOrigins,
			MaxBodyBytes:       cfg.MaxBodyBytes,
			RequestTimeout:     cfg.RequestTimeout,
			Clients: server.ClientLimits{
				Rate: cfg.RateLimit, Burst: cfg.RateBurst, Cost: cfg.CostLimit,
				Concurrency: cfg.ClientConcurrency, TrustForwardedFor: cfg.TrustForwardedFor,
			},
			Playground:       cfg.Playground,
			Introspection:    cfg.Introspection,
			Telemetry:        tel,
			Metrics:          cfg.Metrics,
			Revisions:        revisions,
			CacheControl:     cfg.CacheControl,
			AnswerCacheBytes: cfg.AnswerCacheMB << 20,
			Streams:          streams,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(endStreams)
	listener, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	base := "http://" + displayAddr(listener.Addr())
	log.Info("serving", "graphql", base+"/graphql", "explorer", base+"/explorer/", "playground", cfg.Playground)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(listener) }()
	go func() {
		wctx, cancel := context.WithTimeout(ctx, warmBudget)
		took, err := server.Warm(wctx, schema)
		cancel()
		switch {
		case ctx.Err() != nil: // shutting down already
			return
		case err != nil:
			// Cold queries are slow, not wrong: the replica serves anyway.
			log.Warn("warm-up", "err", err, "took", took.Round(time.Millisecond))
		default:
			log.Info("warmed up: the example operations ran once", "took", took.Round(time.Millisecond))
		}
		warm.Store(true)
	}()

	var exit error
	select {
	case err := <-serveErr:
		return err
	case <-db.died:
		// The requests in flight fail fast without it: let them answer
		// DATABASE_UNAVAILABLE before the process goes.
		exit = errors.New("the embedded Neo4j exited unexpectedly")
		log.Error("the embedded Neo4j exited: answering the requests in flight, then exiting")
	case <-ctx.Done():
	}
	draining.Store(true)
	if exit == nil && cfg.ShutdownDelay > 0 {
		log.Info("shutting down: not ready, still serving", "delay", cfg.ShutdownDelay)
		time.Sleep(cfg.ShutdownDelay)
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return errors.Join(exit, fmt.Errorf("shutdown: %w", err))
	}
	return exit
}

// database is the Neo4j the API runs on: the configured one, or the
// embedded one it started.
type database struct {
	store *graph.Store
	// died is closed if the embedded Neo4j exits on its own; nil (never
	// ready) for a configured server.
	died <-chan struct{}
}

// openDatabase connects to NEO4J_URI, or starts the embedded Neo4j when it is
// unset, waits until it answers and applies the schema. The returned stop
// closes the connection and stops what was started.
func openDatabase(ctx context.Context, cfg *config.Config, log *slog.Logger) (*database, func(), error) {
	conn := cfg.Neo4j
	stop := func() {}
	db := &database{}
	if cfg.UsesEmbedded() {
		home, err := filepath.Abs(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		neo, err := embedded.Start(ctx, embedded.Options{
			Launcher:  cfg.Embedded.Launcher,
			Home:      home,
			Port:      cfg.Embedded.Port,
			Heap:      cfg.Embedded.Heap,
			PageCache: cfg.Embedded.PageCache,
			Password:  cfg.Neo4j.Password,
			Logger:    log.With("component", "neo4j"),
		})
		if err != nil {
			return nil, nil, err
		}
		conn.URI, conn.Username = neo.URI(), "neo4j"
		db.died = neo.Done()
		stop = func() {
			if err := neo.Stop(time.Minute); err != nil {
				log.Error("stop the embedded neo4j", "err", err)
			}
		}
	}
	store, err := graph.Open(conn)
	if err != nil {
		stop()
		return nil, nil, err
	}
	db.store = store
	closeAll := func() {
		if err := store.Close(context.Background()); err != nil {
			log.Warn("close the neo4j driver", "err", err)
		}
		stop()
	}
	waitCtx, cancel := context.WithTimeout(ctx, databaseWait)
	defer cancel()
	if err := store.WaitReady(waitCtx); err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("neo4j at %s does not answer: %w", conn.URI, err)
	}
	if err := store.ApplySchema(ctx); err != nil {
		closeAll()
		return nil, nil, err
	}
	log.Info("neo4j ready", "uri", conn.URI)
	return db, closeAll, nil
}

// loadConfig reads the configuration with the command's flags; a bad flag or
// value is a usage error.
func loadConfig(fs *flag.FlagSet, args []string) (*config.Config, error) {
	cfg, err := config.Load(fs, args, ".env")
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	return cfg, err
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP.IsUnspecified() {
		return net.JoinHostPort("localhost", strconv.Itoa(tcp.Port))
	}
	return tcp.String()
}

// Collector defaults for serving, each used only where the environment does
// not set its own (GOGC, GOMEMLIMIT).
const (
	servingGCPercent   = 400
	servingMemoryLimit = 1 << 30
)

// tuneGC makes the collector run less often than Go's default. Requests
// make garbage fast (a nested read of 300 objects makes 0.9 MB) while the
// live heap stays small (about 20 MiB), so at GOGC=100 the collector ran
// every few requests and took a quarter of the API's CPU; at 400 it takes
// less than a tenth of that. The soft limit bounds what the larger
// headroom may cost: near it, the collector runs as often as it must.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(servingGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(servingMemoryLimit)
	}
}
