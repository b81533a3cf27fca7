// Command api measures psmgraph's GraphQL API against the floor: the same
// data fetched by hand-written Cypher through the Go driver, in the same
// process and the same run, alternating so that drift hits both. It prints,
// per operation and concurrency, throughput, p50 and p99 latency, the ratio
// of psmgraph's throughput to the floor's, and Cypher queries per request.
//
//	go run ./bench/api [-duration 8s] [-concurrency 1,8]
//
// It starts a throwaway embedded Neo4j and loads the shipped data set, unless
// NEO4J_URI names a server (whose data it then replaces: use a scratch one).
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/embedded"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

// operation is one question asked both ways.
type operation struct {
	name    string
	graphql string
	cypher  string
}

var operations = []operation{
	{
		name:    "filtered list",
		graphql: `{ statutes(first: 20, where: {order: {in: [FEDERAL, PROVINCIAL]}}) { edges { node { id name citation inForce } } } }`,
		cypher: `MATCH (n:Statute) WHERE EXISTS { (n)-[:HELD_BY]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level IN ['NATIONAL', 'PROVINCIAL'] }
RETURN n.id AS id, n.name AS name, n.citation AS citation, n.inForce AS inForce ORDER BY n.id LIMIT 20`,
	},
	{
		name: "3-level nested",
		graphql: `{ mutualKinds(first: 10) { edges { node { id name affectedBy(first: 50) { edges { effect rationale sources { name }
		  node { id name ... on Lever { heldBy { edges { node { name } } } } ... on Statute { heldBy { edges { node { name } } } }
		  ... on Programme { heldBy { edges { node { name } } } } } } } } } } }`,
		cypher: `MATCH (k:MutualKind) WITH k ORDER BY k.id LIMIT 10
RETURN k.id AS id, k.name AS name, COLLECT {
  MATCH (k)<-[a:AFFECTS]-(m) WITH a, m ORDER BY m.id LIMIT 50
  RETURN {effect: a.effect, rationale: a.rationale,
    sources: [s IN a.sourceIds | COLLECT { MATCH (src:Source {id: s}) RETURN src.name }[0]],
    node: {id: m.id, name: m.name, heldBy: COLLECT { MATCH (m)-[:HELD_BY]->(j:Jurisdiction) RETURN j.name ORDER BY j.id }}}
} AS affectedBy`,
	},
	{
		name:    "page + totalCount",
		graphql: `{ mutuals(first: 10, after: "` + cursor("mutual:c") + `") { totalCount edges { node { id name ownership } } pageInfo { hasNextPage endCursor } } }`,
		cypher: `MATCH (n:Mutual) WITH count(n) AS total
CALL { MATCH (n:Mutual) WHERE n.id > 'mutual:c' RETURN n ORDER BY n.id LIMIT 11 }
RETURN total, n.id AS id, n.name AS name, n.ownership AS ownership`,
	},
	{
		name:    "search",
		graphql: `{ search(text: "co-operative", first: 10) { score type node { id name } } }`,
		cypher: `CALL db.index.fulltext.queryNodes('entity_text', '+(co\\-operative OR co\\-operative*)') YIELD node, score
RETURN node.id AS id, node.name AS name, [l IN labels(node) WHERE l <> 'Entity'][0] AS type, score ORDER BY score DESC, node.id LIMIT 10`,
	},
	{
		name:    "trace",
		graphql: `{ trace(from: "commitment:social-procurement", to: "kind:spin-out", maxHops: 3, first: 10) { length nodes { id name } hops { type rationale } } }`,
		cypher: `MATCH (a:Entity {id: 'commitment:social-procurement'}), (b:Entity {id: 'kind:spin-out'})
MATCH p = SHORTEST 10 (a)-[]-{1,3}(b)
RETURN [n IN nodes(p) | {id: n.id, name: n.name}] AS nodes, [r IN relationships(p) | {type: type(r), rationale: r.rationale}] AS hops ORDER BY length(p)`,
	},
	{
		name:    "leversAffecting",
		graphql: `{ leversAffecting(kind: "kind:spin-out", orders: [FEDERAL]) { lever { id name } effect chain { nodes { id } } } }`,
		cypher: `MATCH (k:MutualKind {id: 'kind:spin-out'})
MATCH p = (x)-[:ADVANCES|REALISED_BY]->{0,3}(m)-[:AFFECTS]->(k)
WHERE x:Lever OR x:Statute OR x:Programme OR x:ProcurementProgramme OR x:MandateCommitment
WITH x, p, [(x)-[:HELD_BY]->(j:Jurisdiction) | j] + [(x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) | j] AS js
WHERE any(j IN js WHERE j.country = 'CA' AND j.level = 'NATIONAL')
RETURN x.id AS id, x.name AS name, last(relationships(p)).effect AS effect, [n IN nodes(p) | n.id] AS chain ORDER BY length(p), x.id`,
	},
}

// cursor makes the API's cursor for a list ordered by id, continuing after id.
func cursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte("id:" + id)) }

func main() {
	duration := flag.Duration("duration", 8*time.Second, "measuring time per operation, concurrency and side")
	levels := flag.String("concurrency", "1,8", "comma-separated numbers of concurrent clients")
	out := flag.String("out", "", "also write the table to this file")
	flag.Parse()
	if err := run(*duration, *levels, *out); err != nil {
		log.Fatal(err)
	}
}

func run(duration time.Duration, levels, out string) error {
	ctx := context.Background()
	conn, stop, err := database(ctx)
	if err != nil {
		return err
	}
	defer stop()
	store, err := graph.Open(conn)
	if err != nil {
		return err
	}
	defer store.Close(ctx)
	if err := store.DeleteAll(ctx); err != nil {
		return err
	}
	if err := store.ApplySchema(ctx); err != nil {
		return err
	}
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		return err
	}
	if _, err := seed.Load(ctx, store, set, seed.Options{}); err != nil {
		return err
	}

	counted := &neo4jtest.Counting{Store: store}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	api := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: server.New(server.Options{
		Logger: slog.New(slog.DiscardHandler), Schema: resolvers.New(counted), Ready: store.Ping,
		MaxBodyBytes: 1 << 20, RequestTimeout: 30 * time.Second,
	})}
	go func() { _ = api.Serve(listener) }()
	defer func() { _ = api.Close() }()
	url := "http://" + listener.Addr().String() + "/graphql"

	auth := neo4j.NoAuth()
	if conn.Password != "" {
		auth = neo4j.BasicAuth(conn.Username, conn.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(conn.URI, auth)
	if err != nil {
		return err
	}
	defer func() { _ = driver.Close(ctx) }()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	sides := map[string]func() error{}
	var b strings.Builder
	fmt.Fprintf(&b, "machine: %s/%s, %d CPUs; Neo4j %s; each cell %s after a warm-up, both sides alternating\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), conn.URI, duration)
	fmt.Fprintf(&b, "| operation | clients | psmgraph req/s | p50 | p99 | Cypher floor req/s | p50 | p99 | psmgraph/floor | queries/request |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, op := range operations {
		op := op
		sides["psmgraph"] = func() error { return postGraphQL(client, url, op.graphql) }
		sides["floor"] = func() error { return readCypher(ctx, driver, conn.Database, op.cypher) }
		for _, side := range []string{"psmgraph", "floor"} { // both answer, and warm up
			if err := sides[side](); err != nil {
				return fmt.Errorf("%s, %s: %w", op.name, side, err)
			}
			measure(sides[side], 1, time.Second)
		}
		for _, level := range strings.Split(levels, ",") {
			clients, err := strconv.Atoi(strings.TrimSpace(level))
			if err != nil || clients < 1 {
				return fmt.Errorf("bad concurrency %q", level)
			}
			var api, floor result
			before, requests := counted.Queries(), 0
			for range 4 { // alternate in quarters
				a := measure(sides["psmgraph"], clients, duration/4)
				f := measure(sides["floor"], clients, duration/4)
				requests += len(a.latencies)
				api.add(a)
				floor.add(f)
			}
			perRequest := float64(counted.Queries()-before) / float64(max(requests, 1))
			fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %.0f | %s | %s | %.2f | %.1f |\n", op.name, clients,
				api.rate(), api.quantile(0.5), api.quantile(0.99), floor.rate(), floor.quantile(0.5), floor.quantile(0.99),
				api.rate()/floor.rate(), perRequest)
		}
	}
	fmt.Print(b.String())
	if out != "" {
		if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
			return err
		}
		return os.WriteFile(out, []byte(b.String()), 0o600)
	}
	return nil
}

// result is the latencies of one measurement and how long it ran.
type result struct {
	latencies []time.Duration
	elapsed   time.Duration
}

func (r *result) add(o result) {
	r.latencies = append(r.latencies, o.latencies...)
	r.elapsed += o.elapsed
}

func (r result) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

func (r result) quantile(q float64) string {
	if len(r.latencies) == 0 {
		return "-"
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	d := s[min(int(q*float64(len(s))), len(s)-1)]
	return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
}

// measure runs do from clients goroutines for the duration; a failed call
// stops the benchmark, since a fast error is no measure of anything.
func measure(do func() error, clients int, d time.Duration) result {
	var mu sync.Mutex
	var all []time.Duration
	var failed atomic.Value
	deadline := time.Now().Add(d)
	started := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := do(); err != nil {
					failed.Store(err)
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		log.Fatal(err)
	}
	return result{latencies: all, elapsed: time.Since(started)}
}

func postGraphQL(client *http.Client, url, query string) error {
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(data, []byte(`"errors"`)) || len(data) < 30 {
		return fmt.Errorf("psmgraph answered %d: %.300s", resp.StatusCode, data)
	}
	return nil
}

func readCypher(ctx context.Context, driver neo4j.DriverWithContext, database, cypher string) error {
	result, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return err
	}
	if len(result.Records) == 0 {
		return fmt.Errorf("the floor's query found nothing: %.80s", cypher)
	}
	return nil
}

// database finds NEO4J_URI, or starts a throwaway embedded Neo4j.
func database(ctx context.Context) (graph.Conn, func(), error) {
	if uri := os.Getenv("NEO4J_URI"); uri != "" {
		return graph.Conn{URI: uri, Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"),
			Database: os.Getenv("NEO4J_DATABASE")}, func() {}, nil
	}
	home, err := os.MkdirTemp("", "psmgraph-bench-*")
	if err != nil {
		return graph.Conn{}, nil, err
	}
	srv, err := embedded.Start(ctx, embedded.Options{Launcher: filepath.Join("embedded", "launcher"), Home: home,
		Heap: "2g", PageCache: "1g", SmallDisk: true})
	if err != nil {
		_ = os.RemoveAll(home)
		return graph.Conn{}, nil, err
	}
	return graph.Conn{URI: srv.URI()}, func() { _ = srv.Stop(time.Minute); _ = os.RemoveAll(home) }, nil
}
