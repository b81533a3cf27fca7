package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
)

// queryCounter runs psmgraph's schema in this process and counts the
// Cypher queries its store sends: the served binary cannot report them,
// and its planner, resolvers and store are the same code.
type queryCounter struct {
	store   *neo4jtest.Counter
	handler http.Handler
}

func newQueryCounter(store *graph.Store) *queryCounter {
	h := handler.New(compile.New(resolvers.New(store), store, compile.Options{}))
	h.AddTransport(transport.POST{})
	return &queryCounter{store: neo4jtest.Count(store), handler: h}
}

// perRequest runs the query a few times and returns the queries each cost.
func (c *queryCounter) perRequest(ctx context.Context, query string) (float64, error) {
	const runs = 3
	before := c.store.Queries()
	for range runs {
		body, _ := json.Marshal(map[string]string{"query": query})
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("content-type", "application/json")
		rec := httptest.NewRecorder()
		c.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			return 0, fmt.Errorf("in-process psmgraph answered %d: %.300s", rec.Code, rec.Body.String())
		}
	}
	return float64(c.store.Queries()-before) / runs, nil
}

// peerQueries reads how many Cypher queries the peer has run so far.
func peerQueries(ctx context.Context, base string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/stats", nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var stats struct {
		Queries int64 `json:"queries"`
	}
	return stats.Queries, json.NewDecoder(resp.Body).Decode(&stats)
}
