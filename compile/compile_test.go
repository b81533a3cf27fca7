package compile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

// paths are the two ways of answering over one graph: the compiled path
// and the resolvers alone, with the transactions each runs and the
// operations the planner declined.
type paths struct {
	compiled, resolved http.Handler
	queries            atomic.Int64
	declined           atomic.Int64
	detail             atomic.Value
	store              *graph.Store
	set                *seed.Set // the data set loaded, where known
}

func (p *paths) Transaction(context.Context, graph.Transaction) { p.queries.Add(1) }

// shippedPaths loads the shipped data set into an empty database.
func shippedPaths(t *testing.T) *paths {
	t.Helper()
	return loadedPaths(t, seed.Shipped())
}

// loadedPaths loads the data set of the files into an empty database.
func loadedPaths(t *testing.T, files fs.FS) *paths {
	t.Helper()
	neo4jtest.Store(t) // empties the database
	store, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	set, err := seed.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), store, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	p := newPaths(store)
	p.set = set
	return p
}

func newPaths(store *graph.Store) *paths {
	p := &paths{store: store}
	store.Observe(p)
	log := slog.New(slog.DiscardHandler)
	p.resolved = server.GraphQL(resolvers.New(store), log, true)
	p.compiled = server.GraphQL(compile.New(resolvers.New(store), store, compile.Options{
		Declined: func(reason, detail string) { p.declined.Add(1); p.detail.Store(reason + ": " + detail) },
	}), log, true)
	return p
}

// post sends the operation to h and returns the body of the answer.
func post(t *testing.T, h http.Handler, query string, vars map[string]any) []byte {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.Bytes()
}
