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

// upsertNodesCypher merges each row's node by id. A node is written only
// when its label or properties differ from the row, so a second load of the
// same rows writes nothing. SET n = row replaces every property, so that a
// value removed from the data is removed from the graph. It returns each
// row it wrote, with the node's properties before (null for a new node).
func upsertNodesCypher(label Label) string {
	return `UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {id: row.id})
WITH row, old, properties(old) AS before
WHERE old IS NULL OR NOT (old:` + string(label) + ` AND before = row)
MERGE (n:Entity {id: row.id})
SET n = row, n:` + string(label) + `
RETURN row.id AS id, before`
}

func createNodesCypher(label Label) string {
	return `UNWIND $rows AS row
CREATE (n:Entity:` + string(label) + `)
SET n = row`
}

// upsertRelsCypher merges each row's relationship between its endpoints,
// writing only those that differ. It returns how many rows found both
// endpoints, so that a missing one fails the batch instead of dropping the
// row, and each row it wrote, with the properties before.
func upsertRelsCypher(t RelType) string {
	return `UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
OPTIONAL MATCH (a)-[old:` + string(t) + `]->(b)
WITH a, b, row, properties(old) AS before
WITH a, b, row, before, before IS NULL OR before <> row.props AS changed
CALL (a, b, row, changed) {
  WITH * WHERE changed
  MERGE (a)-[r:` + string(t) + `]->(b)
  SET r = row.props
}
RETURN count(*) AS matched, collect(CASE WHEN changed THEN {from: row.from, to: row.to, before: before} END) AS changed`
}

func createRelsCypher(t RelType) string {
	return `UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[r:` + string(t) + `]->(b)
SET r = row.props
RETURN count(*) AS matched, [] AS changed`
}

// batch is what a load's batch did, and the revision it logged it under.
type batch struct {
	counts   Counts
	revision int
}

// loadTx runs a load's batch in a write transaction, and keeps the revision
// it logged under only once the transaction has committed.
func loadTx(ctx context.Context, s *Store, what string, log *LoadLog, work neo4j.ManagedTransactionWorkT[batch]) (Counts, error) {
	done, err := writeTx(ctx, s, what, work)
	if err != nil {
		return Counts{}, err
	}
	log.opened(done.revision)
	return done.counts, nil
}

// LoadNodes writes the rows as nodes of the label, each row a map of
// properties with its "id", in one write transaction that logs what it
// changes under the load's revision; the rows come from file. Dry, it
// counts what it would do in a read transaction (log may then be nil).
func (s *Store) LoadNodes(ctx context.Context, label Label, rows []map[string]any, mode Mode, log *LoadLog, file LoadFile) (Counts, error) {
	params := map[string]any{"rows": nodeRows(rows)}
	if mode == DryRun {
		records, err := s.read(ctx, nodeOutcome(label)+"RETURN outcome, count(*) AS n", params)
		return countOutcomes(records), err
	}
	return loadTx(ctx, s, "load "+string(label), log, func(tx neo4j.ManagedTransaction) (batch, error) {
		var c Counts
		var created []string
		var entries []map[string]any
		if mode == Fresh {
			if _, err := collect(ctx, createNodesCypher(label), params)(tx); err != nil {
				return batch{}, err
			}
			for _, row := range rows {
				created = append(created, fmt.Sprint(row["id"]))
			}
		} else {
			records, err := collect(ctx, upsertNodesCypher(label), params)(tx)
			if err != nil {
				return batch{}, err
			}
			byID := map[string]map[string]any{}
			for _, row := range rows {
				byID[fmt.Sprint(row["id"])] = row
			}
			for _, rec := range records {
				id, _ := rec.Values[0].(string)
				before, ok := rec.Values[1].(map[string]any)
				if !ok {
					created = append(created, id)
					continue
				}
				e, err := entryOf(Change{Op: OpUpdate, Entity: id, Type: string(label),
					Before: nodeCells(label, fromNeo4j(before)), After: nodeCells(label, byID[id])})
				if err != nil {
					return batch{}, err
				}
				entries = append(entries, e)
			}
			c.Updated = len(entries)
		}
		if c.Created = len(created); c.Created > 0 {
			entries = append([]map[string]any{createdEntry(string(label), file, created, nil, nil)}, entries...)
		}
		c.Unchanged = len(rows) - c.Created - c.Updated
		n, err := log.record(ctx, tx, entries, &Counts{Created: c.Created, Updated: c.Updated}, &Counts{})
		return batch{counts: c, revision: n}, err
	})
}

// LoadRelationships writes relationships of the type between existing
// nodes, in one write transaction that logs what it changes, as LoadNodes
// does. It fails, writing nothing, if an endpoint is missing, so that a
// load never drops a relationship silently.
func (s *Store) LoadRelationships(ctx context.Context, t RelType, rows []RelRow, mode Mode, log *LoadLog, file LoadFile) (Counts, error) {
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
	return loadTx(ctx, s, "load "+string(t), log, func(tx neo4j.ManagedTransaction) (batch, error) {
		record, err := single(ctx, tx, cypher, map[string]any{"rows": params})
		if err != nil {
			return batch{}, err
		}
		if matched := int(asInt(record.Values[0])); matched < len(rows) {
			// Returning an error rolls the whole batch back.
			return batch{}, Errorf(CodeBadInput, "%d %s relationships have an endpoint missing from the graph", len(rows)-matched, t)
		}
		var c Counts
		var froms, tos []string
		var entries []map[string]any
		if mode == Fresh {
			for _, r := range rows {
				froms, tos = append(froms, r.From), append(tos, r.To)
			}
		} else {
			changed, _ := record.Values[1].([]any)
			props := map[[2]string]map[string]any{}
			for _, r := range rows {
				props[[2]string{r.From, r.To}] = r.Props
			}
			for _, v := range changed {
				m, _ := v.(map[string]any)
				from, to := str(m, "from"), str(m, "to")
				before, ok := m["before"].(map[string]any)
				if !ok {
					froms, tos = append(froms, from), append(tos, to)
					continue
				}
				e, err := entryOf(Change{Op: OpUpdate, Type: string(t), From: from, To: to,
					Before: relCells(t, fromNeo4j(before)), After: relCells(t, props[[2]string{from, to}])})
				if err != nil {
					return batch{}, err
				}
				entries = append(entries, e)
			}
			c.Updated = len(entries)
		}
		if c.Created = len(froms); c.Created > 0 {
			entries = append([]map[string]any{createdEntry(string(t), file, nil, froms, tos)}, entries...)
		}
		c.Unchanged = len(rows) - c.Created - c.Updated
		n, err := log.record(ctx, tx, entries, &Counts{}, &Counts{Created: c.Created, Updated: c.Updated})
		return batch{counts: c, revision: n}, err
	})
}

// IsEmpty reports whether the graph has no node of the label (from Neo4j's
// count store: no scan).
func (s *Store) IsEmpty(ctx context.Context, label Label) (bool, error) {
	n, err := s.count(ctx, "MATCH (n:"+string(label)+") RETURN count(n) AS n", nil)
	return err == nil && n == 0, err
}

// HasNone reports whether the graph has no relationship of the type.
func (s *Store) HasNone(ctx context.Context, t RelType) (bool, error) {
	n, err := s.count(ctx, "MATCH ()-[r:"+string(t)+"]->() RETURN count(r) AS n", nil)
	return err == nil && n == 0, err
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
	return s.count(ctx, "MATCH (n:Entity) RETURN count(n) AS n", nil)
}

// ExportNodes returns every node of the label as a map of its properties, by
// id, with dates as time.Time and lists as []string.
func (s *Store) ExportNodes(ctx context.Context, label Label) ([]map[string]any, error) {
	return readAll(ctx, s, "MATCH (n:"+string(label)+") RETURN properties(n) AS p ORDER BY n.id", nil, func(v []any) (map[string]any, bool) {
		return fromNeo4j(asMap(v[0])), true
	})
}

// ExportRelationships returns every relationship of the type, ordered by its
// endpoints' ids.
func (s *Store) ExportRelationships(ctx context.Context, t RelType) ([]RelRow, error) {
	return readAll(ctx, s, "MATCH (a:Entity)-[r:"+string(t)+"]->(b:Entity) "+
		"RETURN a.id AS from, b.id AS to, properties(r) AS p ORDER BY from, to", nil, func(v []any) (RelRow, bool) {
		from, _ := v[0].(string)
		to, _ := v[1].(string)
		return RelRow{From: from, To: to, Props: fromNeo4j(asMap(v[2]))}, true
	})
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
// relationships, in one write transaction that logs each with its
// properties under the load's revision; dry, it counts them in a read. It
// returns how many nodes there are.
func (s *Store) PruneNodes(ctx context.Context, label Label, keep []string, dry bool, log *LoadLog) (int, error) {
	match := "MATCH (n:" + string(label) + ") WHERE NOT n.id IN $keep"
	params := map[string]any{"keep": keep}
	if dry {
		return s.count(ctx, match+" RETURN count(n) AS n", params)
	}
	c, err := loadTx(ctx, s, "prune "+string(label), log, func(tx neo4j.ManagedTransaction) (batch, error) {
		records, err := collect(ctx, match+`
RETURN n.id AS id, properties(n) AS props,
  COLLECT { MATCH (n)-[r]-() RETURN {key: elementId(r), type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)} } AS rels`,
			params)(tx)
		if err != nil || len(records) == 0 {
			return batch{}, err
		}
		var entries []map[string]any
		var nodes, rels Counts
		seen := map[string]bool{}
		for _, rec := range records {
			id, _ := rec.Values[0].(string)
			props, _ := rec.Values[1].(map[string]any)
			changes := []Change{{Op: OpDelete, Entity: id, Type: string(label), Before: nodeCells(label, fromNeo4j(props))}}
			nodes.Deleted++
			links, _ := rec.Values[2].([]any)
			for _, v := range links {
				r, _ := v.(map[string]any)
				if key := fmt.Sprint(r["key"]); !seen[key] {
					seen[key] = true
					changes = append(changes, relDeletion(r))
					rels.Deleted++
				}
			}
			for _, c := range changes {
				e, err := entryOf(c)
				if err != nil {
					return batch{}, err
				}
				entries = append(entries, e)
			}
		}
		if _, err := tx.Run(ctx, match+" DETACH DELETE n", params); err != nil {
			return batch{}, err
		}
		n, err := log.record(ctx, tx, entries, &nodes, &rels)
		return batch{counts: nodes, revision: n}, err
	})
	return c.Deleted, err
}

// PruneRelationships deletes the relationships of the type whose endpoints
// keep lacks, as PruneNodes does nodes.
func (s *Store) PruneRelationships(ctx context.Context, t RelType, keep []RelRow, dry bool, log *LoadLog) (int, error) {
	pairs := make([]string, len(keep))
	for i, r := range keep {
		pairs[i] = r.From + "|" + r.To // ids hold no |
	}
	match := "MATCH (a)-[r:" + string(t) + "]->(b) WHERE NOT a.id + '|' + b.id IN $keep"
	params := map[string]any{"keep": pairs}
	if dry {
		return s.count(ctx, match+" RETURN count(r) AS n", params)
	}
	c, err := loadTx(ctx, s, "prune "+string(t), log, func(tx neo4j.ManagedTransaction) (batch, error) {
		records, err := collect(ctx, match+`
WITH r, {type: type(r), from: a.id, to: b.id, props: properties(r)} AS gone
DELETE r
RETURN gone`, params)(tx)
		if err != nil || len(records) == 0 {
			return batch{}, err
		}
		entries := make([]map[string]any, len(records))
		for i, rec := range records {
			r, _ := rec.Values[0].(map[string]any)
			if entries[i], err = entryOf(relDeletion(r)); err != nil {
				return batch{}, err
			}
		}
		rels := Counts{Deleted: len(records)}
		n, err := log.record(ctx, tx, entries, &Counts{}, &rels)
		return batch{counts: rels, revision: n}, err
	})
	return c.Deleted, err
}

// relDeletion is the change of deleting a relationship read as a map of
// its type, ends and properties.
func relDeletion(r map[string]any) Change {
	t := str(r, "type")
	return Change{Op: OpDelete, Type: t, From: str(r, "from"), To: str(r, "to"), Before: relCells(RelType(t), fromNeo4j(asMap(r["props"])))}
}

// count runs a query that returns a count n.
func (s *Store) count(ctx context.Context, cypher string, params map[string]any) (int, error) {
	records, err := s.read(ctx, cypher, params)
	if err != nil || len(records) == 0 {
		return 0, err
	}
	return int(asInt(records[0].Values[0])), nil
}
