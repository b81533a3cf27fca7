package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

// BenchmarkRead serves reads over the shipped data through the whole
// handler, in process, and reports beside the time the process's CPU time
// and Neo4j's (from send to last record decoded) per request: the API's own
// share, which a CPU profile of this benchmark breaks down.
func BenchmarkRead(b *testing.B) {
	store := neo4jtest.Store(b)
	loadShipped(b, store)
	var db dbTime
	store.Observe(&db)
	h := handlerOver(store, server.Options{})
	for _, bc := range []struct{ name, query string }{
		{"nested", `{ statutes(first: 10) { edges { node { id name affects(first: 5) { edges { effect rationale node { id name
			challenges(first: 5) { edges { rationale node { id name } } } } } } } } } }`},
		{"page", `{ mutuals(first: 10) { totalCount edges { node { id name ownership } } pageInfo { hasNextPage endCursor } } }`},
		{"filter", `{ mutuals(first: 10, where: {supportedBy: {some: {kind: {in: [CAPITAL, FUNDING]}}}}) { edges { node { id name } } } }`},
		{"filtered list", `{ programmes(first: 20, where: {kind: {eq: FUNDING}, budget: {gte: 1000000}}) { edges { node { id name kind budget } } } }`},
		{"change log", `{ revision { number at } release { name } changes(first: 10) { totalCount edges { cursor node { op entity type revision { number } } } } }`},
		{"histories", `{ mutualKinds(first: 6) { edges { node { id name history(first: 3) { totalCount edges { node { op type revision { number kind } } } } } } } }`},
	} {
		body, _ := json.Marshal(map[string]string{"query": bc.query})
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			db.took.Store(0)
			cpu := cpuTime()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(db.took.Load())/float64(b.N)/1e6, "neo4j-ms/op")
		})
	}
}

// dbTime adds up the time transactions take.
type dbTime struct{ took atomic.Int64 }

func (d *dbTime) Transaction(_ context.Context, t graph.Transaction) { d.took.Add(int64(t.Took)) }

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
