package graph

import (
	"context"
	"fmt"
	"strings"
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
	// Deleted counts what a pruning load removed, as the set no longer
	// holds it.
	Deleted int
}

// Add adds other's counts to c.
func (c *Counts) Add(other Counts) {
	c.Created += other.Created
	c.Updated += other.Updated
	c.Unchanged += other.Unchanged
	c.Deleted += other.Deleted
}

// Changed reports whether anything was created or updated.
func (c Counts) Changed() bool { return c.Created+c.Updated+c.Deleted > 0 }

// Property values go to Neo4j as: string, int64, float64, bool, []string, and
// time.Time for dates (stored as Neo4j DATE, midnight in UTC).

// nodeOutcome classifies each row against the graph, for a dry run: a node that does not
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

// relOutcome classifies each row against the graph, for a dry run.
// Endpoints are matched optionally so that a dry run against a graph that
// lacks them yet still counts the relationship as one to create.
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

// Mode says how a load writes a batch.
type Mode int

// The modes of a load.
const (
	// DryRun counts what a load would do, in a read transaction.
	DryRun Mode = iota
	// Upsert merges each row by id and writes only what differs.
	Upsert
	// Fresh creates every row without looking for it first: for a label or
	// relationship type that had nothing when the load began. A uniqueness
	// constraint still refuses a node id that exists.
	Fresh
)

// upsertNodesCypher merges each row's node by id. A new node takes the
// row's properties on creation; an existing one is written only when its
// label or properties differ, so a second load of the same rows writes
// nothing. SET n = row replaces every property, so that a value removed from
// the data is removed from the graph.
func upsertNodesCypher(label Label) string {
	return `UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
ON CREATE SET n = row, n:` + string(label) + `
WITH n, row WHERE NOT (n:` + string(label) + ` AND properties(n) = row)
SET n = row, n:` + string(label) + `
RETURN count(*) AS updated`
}

func createNodesCypher(label Label) string {
	return `UNWIND $rows AS row
CREATE (n:Entity:` + string(label) + `)
SET n = row
WITH count(n) AS created
RETURN 0 AS updated`
}

// upsertRelsCypher merges each row's relationship between its endpoints; it
// returns how many rows found both endpoints, so that a missing one fails
// the batch instead of dropping the row.
func upsertRelsCypher(t RelType) string {
	return `UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:` + string(t) + `]->(b)
ON CREATE SET r = row.props
WITH r, row, properties(r) <> row.props AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET r = row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS updated`
}

func createRelsCypher(t RelType) string {
	return `UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:` + string(t) + `]->(b)
SET r = row.props
RETURN count(*) AS matched, 0 AS updated`
}

// LoadNodes writes the rows as nodes of the label, each row a map of
// properties with its "id", in one write transaction (or, dry, counts what
// it would do in a read transaction).
func (s *Store) LoadNodes(ctx context.Context, label Label, rows []map[string]any, mode Mode) (Counts, error) {
	params := map[string]any{"rows": nodeRows(rows)}
	if mode == DryRun {
		records, err := s.read(ctx, nodeOutcome(label)+"RETURN outcome, count(*) AS n", params)
		return countOutcomes(records), err
	}
	cypher := upsertNodesCypher(label)
	if mode == Fresh {
		cypher = createNodesCypher(label)
	}
	return writeTx(ctx, s, cypher, func(tx neo4j.ManagedTransaction) (Counts, error) {
		updated, summary, err := runBatch(ctx, tx, cypher, params)
		if err != nil {
			return Counts{}, err
		}
		created := summary.Counters().NodesCreated()
		return Counts{Created: created, Updated: updated, Unchanged: len(rows) - created - updated}, nil
	})
}

// LoadRelationships writes relationships of the type between existing
// nodes, in one write transaction. It fails, writing nothing, if an
// endpoint is missing, so that a load never drops a relationship silently.
func (s *Store) LoadRelationships(ctx context.Context, t RelType, rows []RelRow, mode Mode) (Counts, error) {
	params := make([]map[string]any, len(rows))
	for i, r := range rows {
		params[i] = map[string]any{"from": r.From, "to": r.To, "props": toNeo4j(r.Props)}
	}
	if mode == DryRun {
		records, err := s.read(ctx, relOutcome(t)+"RETURN outcome, count(*) AS n", map[string]any{"rows": params})
		return countOutcomes(records), err
	}
	cypher := upsertRelsCypher(t)
	if mode == Fresh {
		cypher = createRelsCypher(t)
	}
	return writeTx(ctx, s, cypher, func(tx neo4j.ManagedTransaction) (Counts, error) {
		result, err := tx.Run(ctx, cypher, map[string]any{"rows": params})
		if err != nil {
			return Counts{}, err
		}
		record, err := result.Single(ctx)
		if err != nil {
			return Counts{}, err
		}
		matched, updated := int(asInt(record.Values[0])), int(asInt(record.Values[1]))
		if matched < len(rows) {
			// Returning an error rolls the whole batch back.
			return Counts{}, Errorf(CodeBadInput, "%d %s relationships have an endpoint missing from the graph", len(rows)-matched, t)
		}
		summary, err := result.Consume(ctx)
		if err != nil {
			return Counts{}, err
		}
		created := summary.Counters().RelationshipsCreated()
		return Counts{Created: created, Updated: updated, Unchanged: len(rows) - created - updated}, nil
	})
}

// runBatch runs a batch's query, returning the count of rows it updated and
// the summary, whose counters tell what it created.
func runBatch(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (int, neo4j.ResultSummary, error) {
	result, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return 0, nil, err
	}
	record, err := result.Single(ctx)
	if err != nil {
		return 0, nil, err
	}
	summary, err := result.Consume(ctx)
	return int(asInt(record.Values[0])), summary, err
}

// IsEmpty reports whether the graph has no node of the label (from Neo4j's
// count store: no scan).
func (s *Store) IsEmpty(ctx context.Context, label Label) (bool, error) {
	records, err := s.read(ctx, "MATCH (n:"+string(label)+") RETURN count(n) AS n", nil)
	if err != nil {
		return false, err
	}
	return asInt(records[0].Values[0]) == 0, nil
}

// HasNone reports whether the graph has no relationship of the type.
func (s *Store) HasNone(ctx context.Context, t RelType) (bool, error) {
	records, err := s.read(ctx, "MATCH ()-[r:"+string(t)+"]->() RETURN count(r) AS n", nil)
	if err != nil {
		return false, err
	}
	return asInt(records[0].Values[0]) == 0, nil
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

// nodeRows are rows of nodes as written to Neo4j, search fields and all.
func nodeRows(rows []map[string]any) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = nodeProps(r)
	}
	return out
}

// toNeo4j converts property values to the driver's types; nil values are
// dropped, as Neo4j stores no nulls. A date known to less than the day is
// stored as its first possible day, with its precision beside it.
func toNeo4j(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		switch v := v.(type) {
		case nil:
		case time.Time:
			out[k] = neo4jDate(v)
		case PartialDate:
			out[k] = neo4jDate(v.Day)
			if v.Precision != PrecisionDay {
				out[PrecisionOf(k)] = string(v.Precision)
			}
		default:
			out[k] = v
		}
	}
	return out
}

// fromNeo4j is the inverse of toNeo4j: a date with a precision beside it
// reads as a PartialDate.
func fromNeo4j(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		switch v := v.(type) {
		case dbtype.Date:
			out[k] = v.Time()
			if p, ok := props[PrecisionOf(k)].(string); ok {
				out[k] = PartialDate{Day: v.Time(), Precision: Precision(p)}
			}
		case string:
			if base, ok := strings.CutSuffix(k, PrecisionOf("")); ok {
				if _, dated := props[base].(dbtype.Date); dated {
					continue // read with its date
				}
			}
			out[k] = v
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

// PruneNodes deletes the nodes of the label whose ids keep lacks, with their
// relationships, in one write transaction; dry, it counts them in a read.
// It returns how many there are.
func (s *Store) PruneNodes(ctx context.Context, label Label, keep []string, dry bool) (int, error) {
	match := "MATCH (n:" + string(label) + ") WHERE NOT n.id IN $keep"
	return s.prune(ctx, "prune "+string(label), match+" RETURN count(n) AS n",
		match+" WITH collect(n) AS gone FOREACH (n IN gone | DETACH DELETE n) RETURN size(gone) AS n",
		map[string]any{"keep": keep}, dry)
}

// PruneRelationships deletes the relationships of the type whose endpoints
// keep lacks, as PruneNodes does nodes.
func (s *Store) PruneRelationships(ctx context.Context, t RelType, keep []RelRow, dry bool) (int, error) {
	pairs := make([]string, len(keep))
	for i, r := range keep {
		pairs[i] = r.From + "|" + r.To // ids hold no |
	}
	match := "MATCH (a)-[r:" + string(t) + "]->(b) WHERE NOT a.id + '|' + b.id IN $keep"
	return s.prune(ctx, "prune "+string(t), match+" RETURN count(r) AS n",
		match+" WITH collect(r) AS gone FOREACH (r IN gone | DELETE r) RETURN size(gone) AS n",
		map[string]any{"keep": pairs}, dry)
}

func (s *Store) prune(ctx context.Context, what, count, del string, params map[string]any, dry bool) (int, error) {
	var records []*neo4j.Record
	var err error
	if dry {
		records, err = s.read(ctx, count, params)
	} else {
		records, err = writeTx(ctx, s, what, collect(ctx, del, params))
	}
	if err != nil || len(records) == 0 {
		return 0, err
	}
	n, _ := records[0].Get("n")
	return int(asInt(n)), nil
}
