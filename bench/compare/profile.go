package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// profiler shows how Neo4j runs an operation: the PROFILE of the one query
// psmgraph's planner compiles for it (in this process, over the same
// database) and of the floor's query, each operator with its rows and
// database hits.
type profiler struct {
	store   *graph.Store
	driver  neo4j.DriverWithContext
	handler http.Handler
	last    string // the plan of the last tree read
}

func newProfiler(store *graph.Store, driver neo4j.DriverWithContext) *profiler {
	p := &profiler{store: store, driver: driver}
	h := handler.New(compile.New(resolvers.New(store), p, compile.Options{}))
	h.AddTransport(transport.POST{})
	p.handler = h
	return p
}

// ReadTree profiles the tree's query, then reads it.
func (p *profiler) ReadTree(ctx context.Context, tree graph.Tree) (map[string]any, error) {
	var err error
	if p.last, err = p.profile(ctx, tree.Cypher, tree.Params); err != nil {
		return nil, err
	}
	return p.store.ReadTree(ctx, tree)
}

// plans returns the PROFILE of psmgraph's query for the operation and of the
// floor's, as Markdown.
func (p *profiler) plans(ctx context.Context, op operation) (string, error) {
	p.last = ""
	body := strings.NewReader(fmt.Sprintf(`{"query": %q}`, op.psmgraph))
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", body)
	req.Header.Set("content-type", "application/json")
	rec := httptest.NewRecorder()
	p.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		return "", fmt.Errorf("in-process psmgraph answered %d: %.300s", rec.Code, rec.Body.String())
	}
	ours := p.last
	if ours == "" {
		ours = "(answered by the resolvers: no compiled query)\n"
	}
	floor, err := p.profile(ctx, op.floor, nil)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("**%s**, psmgraph:\n\n```\n%s```\n\nfloor:\n\n```\n%s```\n\n", op.name, ours, floor), nil
}

// profile runs PROFILE of the query and renders the plan: one operator a
// line, indented by depth, with its rows and database hits; then the total
// hits and the query's peak memory.
func (p *profiler) profile(ctx context.Context, cypher string, params map[string]any) (string, error) {
	session := p.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer session.Close(ctx)
	result, err := session.Run(ctx, "PROFILE "+cypher, params)
	if err != nil {
		return "", err
	}
	// Neo4j has the profile's figures only once every row is read.
	if _, err := result.Collect(ctx); err != nil {
		return "", err
	}
	summary, err := result.Consume(ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	total := int64(0)
	var walk func(plan neo4j.ProfiledPlan, depth int)
	walk = func(plan neo4j.ProfiledPlan, depth int) {
		details, _ := plan.Arguments()["Details"].(string)
		fmt.Fprintf(&b, "%s%s  rows %d, hits %d  %.160s\n", strings.Repeat("  ", depth),
			strings.TrimSuffix(plan.Operator(), "@neo4j"), plan.Records(), plan.DbHits(), details)
		total += plan.DbHits()
		for _, c := range plan.Children() {
			walk(c, depth+1)
		}
	}
	walk(summary.Profile(), 0)
	fmt.Fprintf(&b, "total database hits: %d", total)
	// The most memory the query held at once, as Neo4j counts it
	// against its transaction memory limits.
	if peak, ok := summary.Profile().Arguments()["GlobalMemory"].(int64); ok {
		fmt.Fprintf(&b, "; peak memory: %.1f MiB", float64(peak)/(1<<20))
	}
	b.WriteString("\n")
	return b.String(), nil
}
