package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The change log: every curator's change is recorded in the transaction
// that makes it, as a revision (its number, time, actor and reason) and
// the changes it made, each node or relationship created, updated or
// deleted with its properties before and after. The log's nodes carry no
// Entity label, so that no list, search or export sees them, and nothing
// in the API writes them but a change.

// Edit says who makes a change, and why.
type Edit struct {
	Actor, Reason string
}

// ChangeOp is what a change did to a node or a relationship.
type ChangeOp string

// The ops.
const (
	OpCreate ChangeOp = "CREATE"
	OpUpdate ChangeOp = "UPDATE"
	OpDelete ChangeOp = "DELETE"
)

// The kinds of revision.
const (
	RevisionEdit = "EDIT"
	RevisionLoad = "LOAD"
)

// Revision is one change of the graph, numbered from 1: an edit, or a
// load, which says what it did to nodes and relationships (Unchanged
// unknown).
type Revision struct {
	Number        int
	At            time.Time
	Actor, Reason string
	Kind          string
	Nodes, Rels   *Counts
}

// Change is one node or relationship that a revision created, updated or
// deleted: a node has an Entity id, a relationship its ends. Type is the
// node's label or the relationship's type. Before and After are its
// properties as the CSV files spell them, nil where it did not exist.
type Change struct {
	Revision      Revision
	Seq           int
	Op            ChangeOp
	Entity        string
	Type          string
	From, To      string
	Before, After map[string]string
}

// logChanges writes a revision of the edit and its changes, in the
// transaction that makes them.
// Nothing is recorded when nothing changed.
func logChanges(ctx context.Context, tx neo4j.ManagedTransaction, edit Edit, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(changes))
	for i, c := range changes {
		row := map[string]any{"seq": i + 1, "op": string(c.Op), "type": c.Type}
		for k, v := range map[string]string{"entity": c.Entity, "from": c.From, "to": c.To} {
			if v != "" {
				row[k] = v
			}
		}
		for k, v := range map[string]map[string]string{"before": c.Before, "after": c.After} {
			if v != nil {
				b, err := json.Marshal(v)
				if err != nil {
					return err
				}
				row[k] = string(b)
			}
		}
		rows[i] = row
	}
	_, err := tx.Run(ctx, nextRevision+`
CREATE (r:Revision {number: h.number, at: datetime(), actor: $actor, reason: $reason, kind: $kind})
WITH r
UNWIND $changes AS c
CREATE (:Change {revision: r.number, seq: c.seq, op: c.op, type: c.type, entity: c.entity, from: c.from, to: c.to,
  before: c.before, after: c.after})`,
		map[string]any{"actor": edit.Actor, "reason": edit.Reason, "kind": RevisionEdit, "changes": rows})
	return err
}

// RecordLoad records a load that changed the graph as one revision, with
// what it did to nodes and to relationships.
func (s *Store) RecordLoad(ctx context.Context, edit Edit, nodes, rels Counts) error {
	_, err := s.write(ctx, nextRevision+`
CREATE (:Revision {number: h.number, at: datetime(), actor: $actor, reason: $reason, kind: $kind,
  nodesCreated: $nodes[0], nodesUpdated: $nodes[1], nodesDeleted: $nodes[2],
  relsCreated: $rels[0], relsUpdated: $rels[1], relsDeleted: $rels[2]})`,
		map[string]any{"actor": edit.Actor, "reason": edit.Reason, "kind": RevisionLoad,
			"nodes": []int{nodes.Created, nodes.Updated, nodes.Deleted}, "rels": []int{rels.Created, rels.Updated, rels.Deleted}})
	return err
}

// nextRevision advances the head of the change log to the number h.number
// of the revision being made; its lock on the head serialises writers.
const nextRevision = `MERGE (h:RevisionHead {id: 'head'})
SET h.number = coalesce(h.number, 0) + 1`

// logSchema are the change log's constraints and indexes.
var logSchema = []string{
	"CREATE CONSTRAINT revisionhead_id IF NOT EXISTS FOR (h:RevisionHead) REQUIRE h.id IS UNIQUE",
	"CREATE CONSTRAINT revision_number IF NOT EXISTS FOR (r:Revision) REQUIRE r.number IS UNIQUE",
	"CREATE RANGE INDEX revision_actor IF NOT EXISTS FOR (r:Revision) ON (r.actor)",
	"CREATE RANGE INDEX change_revision IF NOT EXISTS FOR (c:Change) ON (c.revision, c.seq)",
	"CREATE RANGE INDEX change_entity IF NOT EXISTS FOR (c:Change) ON (c.entity)",
	"CREATE RANGE INDEX change_from IF NOT EXISTS FOR (c:Change) ON (c.from)",
	"CREATE RANGE INDEX change_to IF NOT EXISTS FOR (c:Change) ON (c.to)",
	"CREATE CONSTRAINT release_name IF NOT EXISTS FOR (x:Release) REQUIRE x.name IS UNIQUE",
	"CREATE RANGE INDEX release_revision IF NOT EXISTS FOR (x:Release) ON (x.revision)",
}

// cellsOf spells the properties of a node or relationship as the CSV
// files do, for the log: those of the model (props) that it has, and the
// sources' locators.
func cellsOf(props []Property, row map[string]any) map[string]string {
	out := map[string]string{}
	for _, p := range props {
		if v, ok := row[p.Name]; ok && v != nil {
			out[p.Name] = FormatCell(v)
		}
	}
	if v, ok := row[Locators]; ok && v != nil {
		out[Locators] = FormatCell(v)
	}
	return out
}

// nodeCells are cellsOf a node of the label.
func nodeCells(label Label, row map[string]any) map[string]string {
	nt, _ := NodeTypeFor(label)
	return cellsOf(nt.AllProperties(), row)
}

// relCells are cellsOf a relationship of the type.
func relCells(t RelType, row map[string]any) map[string]string {
	rt, _ := RelationshipTypeOf(t)
	return cellsOf(rt.Properties, row)
}

// FormatCell spells a value as a CSV cell holds it, and as the data set's reader
// parses it back.
func FormatCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.DateOnly)
	case PartialDate:
		return v.String()
	case []string:
		return strings.Join(v, ListSeparator)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i], _ = x.(string)
		}
		return strings.Join(parts, ListSeparator)
	}
	return fmt.Sprint(v)
}

// ListSeparator separates the items of a list in a cell.
const ListSeparator = ";"

// ChangeQuery asks for changes, newest first: of revisions Since and Until
// (inclusive, where given), of one Entity and its relationships, or made
// by one Actor; at most First, after the change After names.
type ChangeQuery struct {
	Since, Until *int
	Entity       string
	Actor        string
	First        int
	After        *ChangeKey
}

// ChangeKey names a change in the log: its revision and place in it.
type ChangeKey struct{ Revision, Seq int }

// Changes reads a page of the log, and how many changes the query keeps
// in all.
func (s *Store) Changes(ctx context.Context, q ChangeQuery) ([]Change, int, error) {
	p := map[string]any{"since": q.Since, "until": q.Until, "entity": orNil(q.Entity), "actor": orNil(q.Actor),
		"first": q.First, "afterRevision": nil, "afterSeq": nil}
	if q.After != nil {
		p["afterRevision"], p["afterSeq"] = q.After.Revision, q.After.Seq
	}
	match := `MATCH (r:Revision), (c:Change {revision: r.number})
WHERE ($since IS NULL OR r.number >= $since) AND ($until IS NULL OR r.number <= $until)
  AND ($actor IS NULL OR r.actor = $actor)
  AND ($entity IS NULL OR $entity IN [c.entity, c.from, c.to])`
	records, err := s.read(ctx, `CALL () { `+match+` RETURN count(c) AS total }
CALL () { `+match+`
  AND ($afterRevision IS NULL OR r.number < $afterRevision OR r.number = $afterRevision AND c.seq > $afterSeq)
  WITH r, c ORDER BY r.number DESC, c.seq LIMIT $first
  RETURN collect({revision: r {.*, at: toString(r.at)}, change: c {.*}}) AS page }
RETURN total, page`, p)
	if err != nil {
		return nil, 0, err
	}
	total := int(asInt(records[0].Values[0]))
	page, _ := records[0].Values[1].([]any)
	out := make([]Change, len(page))
	for i, v := range page {
		m, _ := v.(map[string]any)
		r, _ := m["revision"].(map[string]any)
		c, _ := m["change"].(map[string]any)
		if out[i], err = decodeChange(r, c); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// HeadRevision is the number of the graph's latest revision, 0 before the
// first: one read of one node, for the replicas that follow it.
func (s *Store) HeadRevision(ctx context.Context) (int, error) {
	records, err := s.read(ctx, `OPTIONAL MATCH (h:RevisionHead {id: 'head'}) RETURN coalesce(h.number, 0)`, nil)
	if err != nil {
		return 0, err
	}
	return int(asInt(records[0].Values[0])), nil
}

// RevisionChanges is a revision and the changes it made, in order.
type RevisionChanges struct {
	Revision Revision
	Changes  []Change
}

// RevisionsAfter reads at most limit revisions after the one numbered
// after, in order, each with its changes.
func (s *Store) RevisionsAfter(ctx context.Context, after, limit int) ([]RevisionChanges, error) {
	records, err := s.read(ctx, `MATCH (r:Revision) WHERE r.number > $after
WITH r ORDER BY r.number LIMIT $limit
RETURN r {.*, at: toString(r.at)}, COLLECT { MATCH (c:Change {revision: r.number}) WITH c ORDER BY c.seq RETURN c {.*} }`,
		map[string]any{"after": after, "limit": limit})
	if err != nil {
		return nil, err
	}
	out := make([]RevisionChanges, len(records))
	for i, rec := range records {
		r, _ := rec.Values[0].(map[string]any)
		if out[i].Revision, err = decodeRevision(r); err != nil {
			return nil, err
		}
		cs, _ := rec.Values[1].([]any)
		for _, v := range cs {
			c, _ := v.(map[string]any)
			change, err := decodeChange(r, c)
			if err != nil {
				return nil, err
			}
			out[i].Changes = append(out[i].Changes, change)
		}
	}
	return out, nil
}

// LatestRevision is the graph's latest revision; nil before its first.
func (s *Store) LatestRevision(ctx context.Context) (*Revision, error) {
	records, err := s.read(ctx, `MATCH (r:Revision) WITH r ORDER BY r.number DESC LIMIT 1 RETURN r {.*, at: toString(r.at)}`, nil)
	if err != nil || len(records) == 0 {
		return nil, err
	}
	m, _ := records[0].Values[0].(map[string]any)
	r, err := decodeRevision(m)
	return &r, err
}

func decodeRevision(m map[string]any) (Revision, error) {
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(m["at"]))
	if err != nil {
		return Revision{}, err
	}
	r := Revision{Number: int(asInt(m["number"])), At: at}
	r.Actor, _ = m["actor"].(string)
	r.Reason, _ = m["reason"].(string)
	r.Kind, _ = m["kind"].(string)
	if r.Kind == RevisionLoad {
		r.Nodes = &Counts{Created: int(asInt(m["nodesCreated"])), Updated: int(asInt(m["nodesUpdated"])), Deleted: int(asInt(m["nodesDeleted"]))}
		r.Rels = &Counts{Created: int(asInt(m["relsCreated"])), Updated: int(asInt(m["relsUpdated"])), Deleted: int(asInt(m["relsDeleted"]))}
	}
	return r, nil
}

func decodeChange(r, c map[string]any) (Change, error) {
	rev, err := decodeRevision(r)
	if err != nil {
		return Change{}, err
	}
	out := Change{Revision: rev, Seq: int(asInt(c["seq"]))}
	op, _ := c["op"].(string)
	out.Op = ChangeOp(op)
	out.Type, _ = c["type"].(string)
	out.Entity, _ = c["entity"].(string)
	out.From, _ = c["from"].(string)
	out.To, _ = c["to"].(string)
	for k, to := range map[string]*map[string]string{"before": &out.Before, "after": &out.After} {
		if s, ok := c[k].(string); ok {
			if err := json.Unmarshal([]byte(s), to); err != nil {
				return Change{}, err
			}
		}
	}
	return out, nil
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Release is a snapshot of the graph that psmgraph release wrote: its
// name, the revision it snapshots, when, and its manifest's SHA-256.
type Release struct {
	Name     string
	Revision int
	At       time.Time
	Manifest string
}

// RecordRelease notes a release in the graph, for the API to name. It
// does not advance the revision: a release changes nothing.
func (s *Store) RecordRelease(ctx context.Context, r Release) error {
	_, err := s.write(ctx, `MERGE (x:Release {name: $name}) SET x.revision = $revision, x.at = datetime($at), x.manifest = $manifest`,
		map[string]any{"name": r.Name, "revision": r.Revision, "at": r.At.UTC().Format(time.RFC3339Nano), "manifest": r.Manifest})
	return err
}

// ReleaseOf is the newest release of the revision; nil when there is none.
func (s *Store) ReleaseOf(ctx context.Context, revision int) (*Release, error) {
	records, err := s.read(ctx, `MATCH (x:Release {revision: $revision}) WITH x ORDER BY x.at DESC LIMIT 1
RETURN x.name, x.revision, toString(x.at), x.manifest`, map[string]any{"revision": revision})
	if err != nil || len(records) == 0 {
		return nil, err
	}
	v := records[0].Values
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(v[2]))
	if err != nil {
		return nil, err
	}
	r := Release{Revision: int(asInt(v[1])), At: at}
	r.Name, _ = v[0].(string)
	r.Manifest, _ = v[3].(string)
	return &r, nil
}
