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
	"sync"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
)

// The Neo4j of this test binary, found or started by the first test that
// asks for it.
var (
	once       sync.Once
	settings   graph.Settings
	connectErr error
	stop       = func() {}
	pid        int // of the embedded Neo4j, when this binary started it
)

// readyWait bounds the wait for the database.
const readyWait = 20 * time.Second

// Main runs a package's tests and then stops the Neo4j they started, if any;
// call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }
//
// Tests of pure code in the package start nothing.
func Main(m *testing.M) int {
	code := m.Run()
	stop()
	return code
}

// Settings return how to reach the test Neo4j: the server NEO4J_URI names, or
// else a throwaway embedded one, started once per test binary. The test fails
// when Neo4j cannot be started or does not answer.
func Settings(t testing.TB) graph.Settings {
	t.Helper()
	once.Do(func() { settings, connectErr = connect() })
	if connectErr != nil {
		t.Fatalf("neo4jtest: %v", connectErr)
	}
	return settings
}

func connect() (graph.Settings, error) {
	ctx := context.Background()
	c := graph.Settings{
		URI:      os.Getenv("NEO4J_URI"),
		Username: or(os.Getenv("NEO4J_USERNAME"), "neo4j"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"),
	}
	if c.URI == "" {
		uri, err := startEmbedded(ctx)
		if err != nil {
			return c, err
		}
		c.URI = uri
	}
	store, err := graph.Open(c)
	if err != nil {
		return c, err
	}
	defer store.Close(ctx)
	waitCtx, cancel := context.WithTimeout(ctx, readyWait)
	defer cancel()
	if err := store.WaitReady(waitCtx); err != nil {
		return c, fmt.Errorf("the Neo4j at %s does not answer: %w", c.URI, err)
	}
	return c, nil
}

// startEmbedded starts a throwaway Neo4j in a temporary directory.
func startEmbedded(ctx context.Context) (uri string, err error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	home, err := os.MkdirTemp("", "psmgraph-test-neo4j-*")
	if err != nil {
		return "", err
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
		return "", err
	}
	pid = srv.PID()
	stop = func() {
		_ = srv.Stop(time.Minute)
		_ = os.RemoveAll(home)
	}
	return srv.URI(), nil
}

// Store returns a store on the test Neo4j, emptied and with the schema
// applied, that is closed when the test ends. Tests that use it must not run
// in parallel: they share one database.
func Store(t testing.TB) *graph.Store {
	t.Helper()
	store, err := graph.Open(Settings(t))
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
