package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// RelRow is one relationship to load: its endpoints' ids and its properties.
type RelRow struct {
	From, To string
	Props    map[string]any
}

// Counts says what a load did, or would do, to the graph.
type Counts struct {
	Created, Updated, Unchanged int
}

// Add adds other's counts to c.
func (c *Counts) Add(other Counts) {
	c.Created += other.Created
	c.Updated += other.Updated
	c.Unchanged += other.Unchanged
}

// Changed reports whether anything was created or updated.
func (c Counts) Changed() bool { return c.Created+c.Updated > 0 }

// Property values go to Neo4j as: string, int64, float64, bool, []string, and
// time.Time for dates (stored as Neo4j DATE, midnight in UTC).

// nodeOutcome classifies each row against the graph: a node that does not
// exist is created, one whose properties and label match exactly is left
// unchanged, any other is updated.
func nodeOutcome(label Label) string {
	return `UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {id: row.id})
WITH row, CASE
  WHEN old IS NULL THEN 'created'
  WHEN old:` + string(label) + ` AND properties(old) = row THEN 'unchanged'
  ELSE 'updated' END AS outcome
`
}

// mergeNodesCypher writes the rows that need it: SET n = row replaces every
// property, so a value removed from the data is removed from the graph, and a
// second run of the same rows writes nothing at all.
func mergeNodesCypher(label Label) string {
	return nodeOutcome(label) + `FOREACH (_ IN CASE WHEN outcome = 'unchanged' THEN [] ELSE [1] END |
  MERGE (n:Entity {id: row.id})
  SET n = row, n:` + string(label) + `)
RETURN outcome, count(*) AS n`
}

// relOutcome classifies each row against the graph. Endpoints are matched
// optionally so that a dry run against a graph that lacks them yet still
// counts the relationship as one to create.
func relOutcome(t RelType) string {
	return `UNWIND $rows AS row
OPTIONAL MATCH (a:Entity {id: row.from})
OPTIONAL MATCH (b:Entity {id: row.to})
OPTIONAL MATCH (a)-[old:` + string(t) + `]->(b)
WITH a, b, row, CASE
  WHEN old IS NULL THEN 'created'
  WHEN properties(old) = row.props THEN 'unchanged'
  ELSE 'updated' END AS outcome
`
}

func mergeRelsCypher(t RelType) string {
	return relOutcome(t) + `FOREACH (_ IN CASE WHEN outcome = 'unchanged' OR a IS NULL OR b IS NULL THEN [] ELSE [1] END |
  MERGE (a)-[r:` + string(t) + `]->(b)
  SET r = row.props)
RETURN outcome, a IS NOT NULL AND b IS NOT NULL AS linked, count(*) AS n`
}

// MergeNodes creates or updates the nodes of the label, each row a map of
// properties with its "id", in one write transaction. With write false it
// only counts what it would do, in a read transaction.
func (s *Store) MergeNodes(ctx context.Context, label Label, rows []map[string]any, write bool) (Counts, error) {
	params := map[string]any{"rows": toNeo4jRows(rows)}
	if !write {
		records, err := s.read(ctx, nodeOutcome(label)+"RETURN outcome, count(*) AS n", params)
		return countOutcomes(records), err
	}
	records, err := s.write(ctx, mergeNodesCypher(label), params)
	return countOutcomes(records), err
}

// MergeRelationships creates or updates relationships of the type between
// existing nodes, in one write transaction. It fails if an endpoint is
// missing, so a load never drops a relationship silently.
func (s *Store) MergeRelationships(ctx context.Context, t RelType, rows []RelRow, write bool) (Counts, error) {
	params := make([]map[string]any, len(rows))
	for i, r := range rows {
		params[i] = map[string]any{"from": r.From, "to": r.To, "props": toNeo4j(r.Props)}
	}
	if !write {
		records, err := s.read(ctx, relOutcome(t)+"RETURN outcome, count(*) AS n", map[string]any{"rows": params})
		return countOutcomes(records), err
	}
	return writeTx(ctx, s, func(tx neo4j.ManagedTransaction) (Counts, error) {
		result, err := tx.Run(ctx, mergeRelsCypher(t), map[string]any{"rows": params})
		if err != nil {
			return Counts{}, err
		}
		records, err := result.Collect(ctx)
		if err != nil {
			return Counts{}, err
		}
		for _, r := range records {
			if linked, _ := r.Get("linked"); linked == false {
				n, _ := r.Get("n")
				// Returning an error rolls the whole batch back.
				return Counts{}, Errorf(CodeBadInput, "%d %s relationships have an endpoint missing from the graph", asInt(n), t)
			}
		}
		return countOutcomes(records), nil
	})
}

func countOutcomes(records []*neo4j.Record) Counts {
	var c Counts
	for _, r := range records {
		outcome, _ := r.Get("outcome")
		n, _ := r.Get("n")
		switch outcome {
		case "created":
			c.Created += int(asInt(n))
		case "updated":
			c.Updated += int(asInt(n))
		case "unchanged":
			c.Unchanged += int(asInt(n))
		}
	}
	return c
}

// CountNodes returns how many nodes the graph holds.
func (s *Store) CountNodes(ctx context.Context) (int, error) {
	records, err := s.read(ctx, "MATCH (n:Entity) RETURN count(n) AS n", nil)
	if err != nil {
		return 0, err
	}
	n, _ := records[0].Get("n")
	return int(asInt(n)), nil
}

// ExportNodes returns every node of the label as a map of its properties, by
// id, with dates as time.Time and lists as []string.
func (s *Store) ExportNodes(ctx context.Context, label Label) ([]map[string]any, error) {
	records, err := s.read(ctx, "MATCH (n:"+string(label)+") RETURN properties(n) AS p ORDER BY n.id", nil)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(records))
	for i, r := range records {
		p, _ := r.Values[0].(map[string]any)
		out[i] = fromNeo4j(p)
	}
	return out, nil
}

// ExportRelationships returns every relationship of the type, ordered by its
// endpoints' ids.
func (s *Store) ExportRelationships(ctx context.Context, t RelType) ([]RelRow, error) {
	records, err := s.read(ctx, "MATCH (a:Entity)-[r:"+string(t)+"]->(b:Entity) "+
		"RETURN a.id AS from, b.id AS to, properties(r) AS p ORDER BY from, to", nil)
	if err != nil {
		return nil, err
	}
	out := make([]RelRow, len(records))
	for i, r := range records {
		from, _ := r.Values[0].(string)
		to, _ := r.Values[1].(string)
		p, _ := r.Values[2].(map[string]any)
		out[i] = RelRow{From: from, To: to, Props: fromNeo4j(p)}
	}
	return out, nil
}

func toNeo4jRows(rows []map[string]any) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = toNeo4j(r)
	}
	return out
}

// toNeo4j converts property values to the driver's types; nil values are
// dropped, as Neo4j stores no nulls.
func toNeo4j(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		switch v := v.(type) {
		case nil:
		case time.Time:
			out[k] = neo4jDate(v)
		default:
			out[k] = v
		}
	}
	return out
}

func fromNeo4j(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		switch v := v.(type) {
		case dbtype.Date:
			out[k] = v.Time()
		case []any:
			list := make([]string, len(v))
			for i, item := range v {
				list[i] = fmt.Sprint(item)
			}
			out[k] = list
		default:
			out[k] = v
		}
	}
	return out
}

// neo4jDate is the Neo4j DATE of t's calendar day.
func neo4jDate(t time.Time) dbtype.Date { return neo4j.DateOf(t) }
