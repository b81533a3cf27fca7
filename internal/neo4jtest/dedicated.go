package neo4jtest

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
)

// Dedicated is a Neo4j of one test's own, which the test may stop and start
// again, on the same port and store, as an operator restarting the database
// would. It is always the embedded Neo4j, whatever NEO4J_URI says: a test
// must not stop a server it was lent.
type Dedicated struct {
	t    testing.TB
	opts embedded.Options
	srv  *embedded.Server
}

// NewDedicated starts a dedicated Neo4j, stopped when the test ends.
func NewDedicated(t testing.TB) *Dedicated {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	d := &Dedicated{t: t, opts: embedded.Options{
		Launcher:  filepath.Join(root, "embedded", "launcher"),
		Home:      t.TempDir(),
		Heap:      "512m",
		PageCache: "64m",
		SmallDisk: true,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}}
	d.Start()
	u, err := url.Parse(d.srv.URI())
	if err != nil {
		t.Fatal(err)
	}
	d.opts.Port, _ = strconv.Atoi(u.Port()) // later starts reuse the port
	t.Cleanup(func() {
		if d.srv != nil {
			_ = d.srv.Stop(time.Minute)
		}
	})
	return d
}

// Settings return how to reach the dedicated Neo4j.
func (d *Dedicated) Settings() graph.Settings {
	return graph.Settings{URI: d.srv.URI(), Username: "neo4j"}
}

// Start starts the Neo4j, on its earlier port and store if it ran before.
func (d *Dedicated) Start() {
	d.t.Helper()
	srv, err := embedded.Start(context.Background(), d.opts)
	if err != nil {
		d.t.Fatalf("start the dedicated neo4j: %v", err)
	}
	d.srv = srv
}

// Stop stops the Neo4j as SIGTERM does.
func (d *Dedicated) Stop() {
	d.t.Helper()
	if err := d.srv.Stop(time.Minute); err != nil {
		d.t.Fatalf("stop the dedicated neo4j: %v", err)
	}
}
