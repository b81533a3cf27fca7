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
// unknown). A load's revision is complete once its last batch is written;
// one given up part-way, for another load, never is.
type Revision struct {
	Number        int
	At            time.Time
	Actor, Reason string
	Kind          string
	Nodes, Rels   *Counts
	Complete      bool
}

// Change is one node or relationship that a revision created, updated or
// deleted: a node has an Entity id, a relationship its ends. Type is the
// node's label or the relationship's type. Before and After are its
// properties as the CSV files spell them, nil where it did not exist.
//
// A load logs the rows a batch created as one entry, their ids and the
// file that holds their properties (File), which reads as one Change per
// row, Item its place in the entry.
type Change struct {
	Revision      Revision
	Seq, Item     int
	Op            ChangeOp
	Entity        string
	Type          string
	From, To      string
	Before, After map[string]string
	File          *LoadFile
}

// logChanges writes a revision of the edit and its changes, in the
// transaction that makes them.
// Nothing is recorded when nothing changed.
func logChanges(ctx context.Context, tx neo4j.ManagedTransaction, edit Edit, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	entries := make([]map[string]any, len(changes))
	for i, c := range changes {
		e, err := entryOf(c)
		if err != nil {
			return err
		}
		entries[i] = e
	}
	number, err := openRevision(ctx, tx, RevisionEdit, edit, "")
	if err != nil {
		return err
	}
	return appendChanges(ctx, tx, number, entries, nil, nil)
}

// entryOf is the log's record of one change: its properties before and
// after as JSON objects.
func entryOf(c Change) (map[string]any, error) {
	e := map[string]any{"op": string(c.Op), "type": c.Type}
	for k, v := range map[string]string{"entity": c.Entity, "from": c.From, "to": c.To} {
		if v != "" {
			e[k] = v
		}
	}
	for k, v := range map[string]map[string]string{"before": c.Before, "after": c.After} {
		if v != nil {
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			e[k] = string(b)
		}
	}
	return e, nil
}

// openRevision advances the log's head and writes the revision it numbers,
// returning the number. A load's revision stays open until the load's last
// batch (CompleteLoad); opening one gives up any other that is still open,
// left by a load that stopped and was not run again, as abandoned.
func openRevision(ctx context.Context, tx neo4j.ManagedTransaction, kind string, edit Edit, key string) (int, error) {
	cypher := nextRevision + `
CREATE (r:Revision {number: h.number, at: datetime(), actor: $actor, reason: $reason, kind: $kind})
RETURN r.number`
	if kind == RevisionLoad {
		cypher = nextRevision + `
WITH h
OPTIONAL MATCH (stale:Revision {open: true})
REMOVE stale.open
SET stale.abandoned = true
WITH DISTINCT h
SET h.open = h.number
CREATE (r:Revision {number: h.number, at: datetime(), actor: $actor, reason: $reason, kind: $kind, key: $key, open: true,
  nodesCreated: 0, nodesUpdated: 0, nodesDeleted: 0, relsCreated: 0, relsUpdated: 0, relsDeleted: 0})
RETURN r.number`
	}
	record, err := single(ctx, tx, cypher, map[string]any{"actor": edit.Actor, "reason": edit.Reason, "kind": kind, "key": orNil(key)})
	if err != nil {
		return 0, err
	}
	return int(asInt(record.Values[0])), nil
}

// appendChanges writes entries to the log under the revision, numbering
// them after those it holds, and adds a load's counts (nil for an edit).
func appendChanges(ctx context.Context, tx neo4j.ManagedTransaction, number int, entries []map[string]any, nodes, rels *Counts) error {
	counts := func(c *Counts) any {
		if c == nil {
			return nil
		}
		return []int{c.Created, c.Updated, c.Deleted}
	}
	_, err := tx.Run(ctx, `MATCH (r:Revision {number: $number})
WITH r, coalesce(r.seqs, 0) AS base
SET r.seqs = base + size($entries),
  r.nodesCreated = r.nodesCreated + $nodes[0], r.nodesUpdated = r.nodesUpdated + $nodes[1], r.nodesDeleted = r.nodesDeleted + $nodes[2],
  r.relsCreated = r.relsCreated + $rels[0], r.relsUpdated = r.relsUpdated + $rels[1], r.relsDeleted = r.relsDeleted + $rels[2]
WITH r, base
UNWIND range(0, size($entries) - 1) AS i
WITH r, base + i + 1 AS seq, $entries[i] AS e
CREATE (:Change {revision: r.number, seq: seq, op: e.op, type: e.type, entity: e.entity, from: e.from, to: e.to,
  before: e.before, after: e.after, rows: e.rows, ids: e.ids, froms: e.froms, tos: e.tos, file: e.file, sha256: e.sha256})`,
		map[string]any{"number": number, "entries": entries, "nodes": counts(nodes), "rels": counts(rels)})
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
	// The ids of the rows a load's batch created, each list item one term;
	// kept up to date after each commit rather than in it, which spares a
	// load's batches Lucene's work (Changes waits for it to catch up).
	"CREATE FULLTEXT INDEX change_rows IF NOT EXISTS FOR (c:Change) ON EACH [c.ids, c.froms, c.tos] " +
		"OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword', `fulltext.eventually_consistent`: true}}",
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
type ChangeKey struct{ Revision, Seq, Item int }

// changeItems expands each log entry logEntry of revision logRev into its
// items, from the item start: one for most, one per row for a load's batch
// of created rows; of an entity, when not "", only the items that name
// it, kept before they are made maps. The log's reads name their
// variables log*, so that no variable of a read tree around them is taken
// for theirs.
func changeItems(start, entity string) string {
	items := `
UNWIND range(` + start + `, coalesce(logEntry.rows, 1) - 1) AS logIdx`
	if entity != "" {
		items += `
WITH logRev, logEntry, logIdx WHERE ` + entity + ` IN [coalesce(logEntry.entity, logEntry.ids[logIdx]),
  coalesce(logEntry.from, logEntry.froms[logIdx]), coalesce(logEntry.to, logEntry.tos[logIdx])]`
	}
	return items + `
WITH logRev, logEntry, logIdx, {seq: logEntry.seq, item: logIdx, op: logEntry.op, type: logEntry.type,
  entity: coalesce(logEntry.entity, logEntry.ids[logIdx]), from: coalesce(logEntry.from, logEntry.froms[logIdx]),
  to: coalesce(logEntry.to, logEntry.tos[logIdx]), before: logEntry.before, after: logEntry.after,
  file: logEntry.file, sha256: logEntry.sha256} AS logItem`
}

// changeLog compiles a read of the log as q asks (q.First and q.After
// taken as they are) into an expression of the map {total, page} that
// DecodeChanges reads, and the clause that must come before it, if any;
// its values are added to p. The changes kept are those of q.Entity, or,
// when node is not "", of the node it names; the caller makes sure the
// full-text index of the log's rows is up to date (see awaitLogIndex).
func changeLog(q ChangeQuery, node string, p params) (before, expr string) {
	after := ChangeKey{Revision: -1, Item: -1}
	if q.After != nil {
		after = *q.After
	}
	since, until, actor := p.add(q.Since), p.add(q.Until), p.add(orNil(q.Actor))
	afterRev, afterSeq := p.add(after.Revision), p.add(after.Seq)
	revisions := `
WHERE (` + since + ` IS NULL OR logRev.number >= ` + since + `) AND (` + until + ` IS NULL OR logRev.number <= ` + until + `)
  AND (` + actor + ` IS NULL OR logRev.actor = ` + actor + `)`
	entries := `MATCH (logRev:Revision), (logEntry:Change {revision: logRev.number})` + revisions
	var total, entity string
	if node == "" && q.Entity == "" {
		// Every entry counts as many changes as it has items. A sum in a
		// subquery expression slows Neo4j's plan of the whole query, so the
		// sum has a CALL of its own.
		before, total = `CALL () { `+entries+` RETURN sum(coalesce(logEntry.rows, 1)) AS logTotal }
`, "logTotal"
	} else {
		// The entries that name the entity, by index: the entity's own, its
		// links', and the load batches that created either.
		imports := node
		entity = node + ".id"
		if node == "" {
			entity = p.add(q.Entity)
		}
		entries = `CALL (` + imports + `) {
  MATCH (logEntry:Change {entity: ` + entity + `}) RETURN logEntry
  UNION MATCH (logEntry:Change {from: ` + entity + `}) RETURN logEntry
  UNION MATCH (logEntry:Change {to: ` + entity + `}) RETURN logEntry
  UNION CALL db.index.fulltext.queryNodes('change_rows', '"' + replace(replace(` + entity + `, '\\', '\\\\'), '"', '\\"') + '"')
    YIELD node AS logEntry RETURN logEntry
}
MATCH (logRev:Revision {number: logEntry.revision})` + revisions
		total = `COUNT { ` + entries + changeItems("0", entity) + ` RETURN logItem }`
	}
	page := `COLLECT { ` + entries + `
  AND (logRev.number < ` + afterRev + ` OR logRev.number = ` + afterRev + ` AND logEntry.seq >= ` + afterSeq + ` OR ` + afterRev + ` < 0)
  WITH logRev, logEntry ORDER BY logRev.number DESC, logEntry.seq` +
		changeItems(`CASE WHEN logRev.number = `+afterRev+` AND logEntry.seq = `+afterSeq+` THEN `+p.add(after.Item)+` + 1 ELSE 0 END`, entity) + `
  WITH logRev, logItem ORDER BY logRev.number DESC, logEntry.seq, logIdx LIMIT ` + p.add(q.First) + `
  RETURN {revision: logRev {.*, at: toString(logRev.at)}, change: logItem} }`
	return before, "{total: " + total + ", page: " + page + "}"
}

// awaitLogIndex waits, at the start of a query, until the full-text
// indexes hold what has been written: the log's rows are found through
// one, which a read right after a load must not miss.
const awaitLogIndex = "CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()\n"

// Changes reads a page of the log, and how many changes the query keeps
// in all.
func (s *Store) Changes(ctx context.Context, q ChangeQuery) ([]Change, int, error) {
	p := params{}
	before, log := changeLog(q, "", p)
	cypher := before + "RETURN " + log
	if q.Entity != "" {
		cypher = awaitLogIndex + cypher
	}
	records, err := s.read(ctx, cypher, p)
	if err != nil {
		return nil, 0, err
	}
	return DecodeChanges(records[0].Values[0])
}

// DecodeChanges reads the answer of a read of the log: its page of
// changes, and how many the read keeps in all.
func DecodeChanges(v any) ([]Change, int, error) {
	m, _ := v.(map[string]any)
	page, _ := m["page"].([]any)
	out := make([]Change, len(page))
	for i, v := range page {
		item, _ := v.(map[string]any)
		r, _ := item["revision"].(map[string]any)
		c, _ := item["change"].(map[string]any)
		var err error
		if out[i], err = decodeChange(r, c); err != nil {
			return nil, 0, err
		}
	}
	return out, int(asInt(m["total"])), nil
}

// RevisionChanges is a revision and the changes it made, in order: at
// most FeedChanges of them, of Count.
type RevisionChanges struct {
	Revision Revision
	Changes  []Change
	Count    int
}

// FeedChanges bounds the changes RevisionsAfter reads of one revision: a
// load may make millions, which Changes pages through.
const FeedChanges = 1000

// RevisionsAfter reads at most limit revisions after the one numbered
// after, in order, each with its first changes. It stops before a load
// that is still being written, so that a reader that takes each revision
// as it comes takes each once, complete, and in order.
func (s *Store) RevisionsAfter(ctx context.Context, after, limit int) ([]RevisionChanges, error) {
	records, err := s.read(ctx, `MATCH (logRev:Revision) WHERE logRev.number > $after
WITH logRev ORDER BY logRev.number LIMIT $limit
CALL (logRev) { MATCH (logEntry:Change {revision: logRev.number}) RETURN sum(coalesce(logEntry.rows, 1)) AS count }
RETURN logRev {.*, at: toString(logRev.at)},
  COLLECT { MATCH (logEntry:Change {revision: logRev.number}) WITH logRev, logEntry ORDER BY logEntry.seq`+changeItems("0", "")+`
    WITH logEntry, logIdx, logItem ORDER BY logEntry.seq, logIdx RETURN logItem LIMIT $changes },
  count`,
		map[string]any{"after": after, "limit": limit, "changes": FeedChanges})
	if err != nil {
		return nil, err
	}
	var out []RevisionChanges
	for _, rec := range records {
		r, _ := rec.Values[0].(map[string]any)
		if r["open"] == true {
			break
		}
		rc := RevisionChanges{Count: int(asInt(rec.Values[2]))}
		if rc.Revision, err = decodeRevision(r); err != nil {
			return nil, err
		}
		cs, _ := rec.Values[1].([]any)
		for _, v := range cs {
			c, _ := v.(map[string]any)
			change, err := decodeChange(r, c)
			if err != nil {
				return nil, err
			}
			rc.Changes = append(rc.Changes, change)
		}
		out = append(out, rc)
	}
	return out, nil
}

// Head is the change log's head: its latest revision, and the load
// revision being written, if any (0 when none).
type Head struct {
	Revision, Loading int
}

// Head reads the log's head: one read of one node, for the replicas that
// follow it.
func (s *Store) Head(ctx context.Context) (Head, error) {
	records, err := s.read(ctx, `OPTIONAL MATCH (h:RevisionHead {id: 'head'}) RETURN coalesce(h.number, 0), coalesce(h.open, 0)`, nil)
	if err != nil {
		return Head{}, err
	}
	return Head{Revision: int(asInt(records[0].Values[0])), Loading: int(asInt(records[0].Values[1]))}, nil
}

// latestRevision reads the log's latest revision, as DecodeRevision
// reads it: null before the first.
const latestRevision = `OPTIONAL MATCH (logRev:Revision) WITH logRev ORDER BY logRev.number DESC LIMIT 1
RETURN logRev {.*, at: toString(logRev.at)}`

// LatestRevision is the graph's latest revision; nil before its first.
func (s *Store) LatestRevision(ctx context.Context) (*Revision, error) {
	records, err := s.read(ctx, latestRevision, nil)
	if err != nil {
		return nil, err
	}
	return DecodeRevision(records[0].Values[0])
}

// DecodeRevision reads a revision as the log's reads return it; nil for
// none.
func DecodeRevision(v any) (*Revision, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil
	}
	r, err := decodeRevision(m)
	return &r, err
}

func decodeRevision(m map[string]any) (Revision, error) {
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(m["at"]))
	if err != nil {
		return Revision{}, err
	}
	r := Revision{Number: int(asInt(m["number"])), At: at, Actor: str(m, "actor"), Reason: str(m, "reason"), Kind: str(m, "kind")}
	r.Complete = m["open"] != true && m["abandoned"] != true
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
	out := Change{Revision: rev, Seq: int(asInt(c["seq"])), Item: int(asInt(c["item"])), Op: ChangeOp(str(c, "op")),
		Type: str(c, "type"), Entity: str(c, "entity"), From: str(c, "from"), To: str(c, "to")}
	if file, ok := c["file"].(string); ok {
		out.File = &LoadFile{Name: file, SHA256: str(c, "sha256")}
	}
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

// headRelease reads the newest release of the log's head, as
// DecodeRelease reads it: null when none is, and while a load is being
// written, when the graph matches no release.
const headRelease = `OPTIONAL MATCH (logHead:RevisionHead {id: 'head'})
WITH coalesce(logHead.number, 0) AS logNumber, coalesce(logHead.open, 0) AS logOpen
OPTIONAL MATCH (logRelease:Release {revision: logNumber}) WHERE logOpen = 0
WITH logRelease ORDER BY logRelease.at DESC LIMIT 1
RETURN logRelease {.name, .revision, .manifest, at: toString(logRelease.at)}`

// DecodeRelease reads a release as the log's reads return it; nil for
// none.
func DecodeRelease(v any) (*Release, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(m["at"]))
	if err != nil {
		return nil, err
	}
	return &Release{Revision: int(asInt(m["revision"])), At: at, Name: str(m, "name"), Manifest: str(m, "manifest")}, nil
}

// ReleaseOf is the newest release of the revision; nil when there is none.
func (s *Store) ReleaseOf(ctx context.Context, revision int) (*Release, error) {
	records, err := s.read(ctx, `MATCH (x:Release {revision: $revision}) WITH x ORDER BY x.at DESC LIMIT 1
RETURN x {.name, .revision, .manifest, at: toString(x.at)}`, map[string]any{"revision": revision})
	if err != nil || len(records) == 0 {
		return nil, err
	}
	return DecodeRelease(records[0].Values[0])
}
