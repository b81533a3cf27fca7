package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/shape"
)

// fingerprint describes the graph as lines of text: nodes and property
// counts per label, relationships and property counts per type, and the
// sample nodes with their properties and outgoing relationships, values
// printed with their types. Two loads of one set must print the same lines.
func fingerprint(ctx context.Context, driver neo4j.DriverWithContext, database string, ds *shape.Dataset) ([]string, error) {
	read := func(cypher string, params map[string]any) ([]*neo4j.Record, error) {
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(database), neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			return nil, err
		}
		return res.Records, nil
	}
	var lines []string
	// The change log's nodes record a load, and the search_ properties
	// are psmgraph's full-text fields: neither is the data's.
	records, err := read(`MATCH (n) WHERE NOT (n:Revision OR n:RevisionHead OR n:Change OR n:Release)
UNWIND labels(n) AS l
RETURN l, count(*) AS n, sum(size([k IN keys(n) WHERE NOT k STARTS WITH 'search_'])) AS p ORDER BY l`, nil)
	if err != nil {
		return nil, fmt.Errorf("count nodes: %w", err)
	}
	got := map[string]int64{}
	for _, r := range records {
		got[r.Values[0].(string)] = r.Values[1].(int64)
		lines = append(lines, fmt.Sprintf("label %v: %v nodes, %v properties", r.Values...))
	}
	want := map[string]int{string(graph.LabelEntity): ds.NodeRows()}
	for l, n := range ds.Nodes {
		want[string(l)] = n
	}
	if err := compareCounts("nodes", got, want); err != nil {
		return nil, err
	}

	records, err = read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n, sum(size(keys(r))) AS p ORDER BY t", nil)
	if err != nil {
		return nil, fmt.Errorf("count relationships: %w", err)
	}
	got = map[string]int64{}
	for _, r := range records {
		got[r.Values[0].(string)] = r.Values[1].(int64)
		lines = append(lines, fmt.Sprintf("type %v: %v relationships, %v properties", r.Values...))
	}
	want = map[string]int{}
	for t, n := range ds.Rels {
		want[string(t)] = n
	}
	if err := compareCounts("relationships", got, want); err != nil {
		return nil, err
	}

	records, err = read(`UNWIND $ids AS id
MATCH (n:Entity {id: id})
OPTIONAL MATCH (n)-[r]->(m)
WITH n, r, m ORDER BY type(r), m.id
RETURN n.id, COLLECT { UNWIND labels(n) AS l RETURN l ORDER BY l },
  COLLECT { UNWIND keys(n) AS k WITH k WHERE NOT k STARTS WITH 'search_' RETURN [k, n[k]] ORDER BY k },
  collect([type(r), m.id, properties(r)])`,
		map[string]any{"ids": ds.Samples})
	if err != nil {
		return nil, fmt.Errorf("read the sample nodes: %w", err)
	}
	if len(records) != len(ds.Samples) {
		return nil, fmt.Errorf("found %d of the %d sample nodes", len(records), len(ds.Samples))
	}
	for _, r := range records {
		lines = append(lines, "node "+canonical(r.Values))
	}
	sort.Strings(lines)
	return lines, nil
}

func compareCounts(what string, got map[string]int64, want map[string]int) error {
	var bad []string
	for k, n := range want {
		if got[k] != int64(n) {
			bad = append(bad, fmt.Sprintf("%s: %d, want %d", k, got[k], n))
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			bad = append(bad, fmt.Sprintf("%s: %d, want none", k, n))
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return fmt.Errorf("the graph has the wrong number of %s: %s", what, strings.Join(bad, "; "))
	}
	return nil
}

// canonical prints a value with its type and maps in key order, so that
// equal graphs print equal text.
func canonical(v any) string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + canonical(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			parts[i] = canonical(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case dbtype.Date:
		return "date " + v.Time().Format("2006-01-02")
	case string:
		return fmt.Sprintf("%q", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T %v", v, v)
}

// firstDifference returns the first line where a and b differ.
func firstDifference(a, b []string) string {
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("%q\n  vs %q", x, y)
		}
	}
	return ""
}
