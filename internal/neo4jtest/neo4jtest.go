// Package neo4jtest gives integration tests a real Neo4j: the server that
// NEO4J_URI names, or else a throwaway embedded one started for the test
// binary. Tests never skip for want of a database: they fail.
package neo4jtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
)

// conn is the Neo4j of this test binary, set by Main.
var conn graph.Conn

// readyWait bounds the wait for the database before any test runs.
const readyWait = 20 * time.Second

// Main runs a package's tests against Neo4j; call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }
//
// It returns a failing status, with the reason on stderr, when Neo4j cannot
// be started or does not answer.
func Main(m *testing.M) int {
	ctx := context.Background()
	conn = graph.Conn{
		URI:      os.Getenv("NEO4J_URI"),
		Username: or(os.Getenv("NEO4J_USERNAME"), "neo4j"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
	if conn.URI == "" {
		stop, err := startEmbedded(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "neo4jtest:", err)
			return 1
		}
		defer stop()
	}
	store, err := graph.Open(conn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest:", err)
		return 1
	}
	waitCtx, cancel := context.WithTimeout(ctx, readyWait)
	err = store.WaitReady(waitCtx)
	cancel()
	_ = store.Close(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "neo4jtest: the Neo4j at %s does not answer: %v\n", conn.URI, err)
		return 1
	}
	return m.Run()
}

// startEmbedded starts a throwaway Neo4j in a temporary directory and points
// conn at it.
func startEmbedded(ctx context.Context) (stop func(), err error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	home, err := os.MkdirTemp("", "psmgraph-test-neo4j-*")
	if err != nil {
		return nil, err
	}
	srv, err := embedded.Start(ctx, embedded.Options{
		Launcher:  filepath.Join(root, "embedded", "launcher"),
		Home:      home,
		Heap:      "1g",
		PageCache: "256m",
		SmallDisk: true,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		_ = os.RemoveAll(home)
		return nil, err
	}
	conn.URI = srv.URI()
	return func() {
		_ = srv.Stop(time.Minute)
		_ = os.RemoveAll(home)
	}, nil
}

// Conn returns how to reach the test Neo4j.
func Conn() graph.Conn { return conn }

// Store returns a store on the test Neo4j, emptied and with the schema
// applied, that is closed when the test ends. Tests that use it must not run
// in parallel: they share one database.
func Store(t testing.TB) *graph.Store {
	t.Helper()
	store, err := graph.Open(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	ctx := context.Background()
	if err := store.DeleteAll(ctx); err != nil {
		t.Fatalf("empty the test database: %v", err)
	}
	if err := store.ApplySchema(ctx); err != nil {
		t.Fatalf("apply the schema: %v", err)
	}
	return store
}

// RepoRoot returns the directory of the repository's go.mod, found upwards
// from the working directory (a package's directory under go test).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
