package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/shape"
)

// loadCSVNodes is Neo4j's own upsert of a node file: the same MERGE on the
// Entity id as psmgraph, with each cell converted to its model type, so that
// both loads leave the same graph. An empty cell is null in LOAD CSV, and
// n += {p: null} leaves p unset, as psmgraph's loader does. With create, it
// creates every node instead, as psmgraph does for a label the graph has
// none of: the like-for-like baseline on an empty graph.
func loadCSVNodes(nt graph.NodeType, url string, batch int, create bool) string {
	var props []string
	for _, p := range append(append([]graph.Property{}, graph.CommonProperties...), nt.Properties...) {
		if p.Name != "id" || create {
			props = append(props, fmt.Sprintf("`%s`: %s", p.Name, typed(p)))
		}
	}
	write := fmt.Sprintf("MERGE (n:Entity {id: row.id})\n  SET n:%s, n += {%s}", nt.Label, strings.Join(props, ", "))
	if create {
		write = fmt.Sprintf("CREATE (n:Entity:%s)\n  SET n += {%s}", nt.Label, strings.Join(props, ", "))
	}
	return fmt.Sprintf(`LOAD CSV WITH HEADERS FROM '%s' AS row
CALL (row) {
  %s
} IN TRANSACTIONS OF %d ROWS`, url, write, batch)
}

// loadCSVRels is Neo4j's own upsert of a relationship file, or with create
// its plain creation.
func loadCSVRels(rt graph.RelationshipType, url string, batch int, create bool) string {
	set := ""
	if len(rt.Properties) > 0 {
		var props []string
		for _, p := range rt.Properties {
			props = append(props, fmt.Sprintf("`%s`: %s", p.Name, typed(p)))
		}
		set = "\n  SET r += {" + strings.Join(props, ", ") + "}"
	}
	write := "MERGE"
	if create {
		write = "CREATE"
	}
	return fmt.Sprintf(`LOAD CSV WITH HEADERS FROM '%s' AS row
CALL (row) {
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  %s (a)-[r:%s]->(b)%s
} IN TRANSACTIONS OF %d ROWS`, url, write, rt.Type, set, batch)
}

// typed converts a cell as psmgraph's reader does; the generated cells have
// no surrounding spaces, so no trim is needed to match it.
func typed(p graph.Property) string {
	cell := "row.`" + p.Name + "`"
	switch p.Type {
	case graph.TypeInt:
		return "toInteger(" + cell + ")"
	case graph.TypeFloat:
		return "toFloat(" + cell + ")"
	case graph.TypeBool:
		return "toBoolean(" + cell + ")"
	case graph.TypeDate:
		return "date(" + cell + ")"
	case graph.TypeRefs, graph.TypeTexts:
		return "split(" + cell + ", ';')"
	}
	return cell
}

// fileTime is how long a load spent on one file.
type fileTime struct {
	file    string
	rows    int
	elapsed time.Duration
}

// runLoadCSV loads every file of ds from the server's import directory, under
// prefix (a file:/// URL), one auto-commit query per file: CALL … IN
// TRANSACTIONS commits its own batches and is refused inside a transaction
// function. The files go in psmgraph's order: nodes, then relationships.
func runLoadCSV(ctx context.Context, driver neo4j.DriverWithContext, database, prefix string, ds *shape.Dataset, batch int, create bool) ([]fileTime, error) {
	session := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite, DatabaseName: database})
	defer session.Close(ctx)
	var times []fileTime
	run := func(file, cypher string, created func(neo4j.Counters) int, rows int) error {
		started := time.Now()
		result, err := session.Run(ctx, cypher, nil)
		if err == nil {
			var summary neo4j.ResultSummary
			if summary, err = result.Consume(ctx); err == nil && created(summary.Counters()) != rows {
				err = fmt.Errorf("created %d, want %d: was the graph empty?", created(summary.Counters()), rows)
			}
		}
		if err != nil {
			return fmt.Errorf("LOAD CSV %s: %w", file, err)
		}
		times = append(times, fileTime{file: file, rows: rows, elapsed: time.Since(started)})
		return nil
	}
	for _, nt := range graph.NodeTypes {
		if rows := ds.Nodes[nt.Label]; rows > 0 {
			if err := run(nt.File, loadCSVNodes(nt, prefix+nt.File, batch, create), neo4j.Counters.NodesCreated, rows); err != nil {
				return times, err
			}
		}
	}
	for _, rt := range graph.RelationshipTypes {
		if rows := ds.Rels[rt.Type]; rows > 0 {
			if err := run(rt.File, loadCSVRels(rt, prefix+rt.File, batch, create), neo4j.Counters.RelationshipsCreated, rows); err != nil {
				return times, err
			}
		}
	}
	return times, nil
}
