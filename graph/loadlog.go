package graph

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// A load is one revision of the change log, written in batches. Each batch
// that changes the graph logs its changes in its own transaction, under the
// load's revision, which the first such batch opens; the revision is
// complete at the load's last batch (CompleteLoad). A load run again with
// the same data, after it stopped part-way, resumes the revision it left
// open, so that a killed load completed by running it again is still one
// revision.
//
// The rows a batch creates are logged as one entry: their ids and the file,
// with its SHA-256, that holds their properties. That keeps the log's cost
// to a load small. The rows it updates or deletes are logged one by one,
// with their properties before and after.

// LoadLog is one load's revision.
type LoadLog struct {
	edit   Edit
	key    string
	number int
}

// LoadFile is a file of a load, and its SHA-256.
type LoadFile struct{ Name, SHA256 string }

// StartLoad begins the log of a load. key names the load's data and
// options: a load whose key is that of a revision left open resumes it; an
// empty key never resumes. Nothing is written until a batch changes the
// graph.
func (s *Store) StartLoad(ctx context.Context, edit Edit, key string) (*LoadLog, error) {
	log := &LoadLog{edit: edit, key: key}
	if key == "" {
		return log, nil
	}
	records, err := s.read(ctx, `MATCH (r:Revision {open: true, key: $key}) RETURN max(r.number)`, map[string]any{"key": key})
	if err != nil {
		return nil, err
	}
	log.number = int(asInt(records[0].Values[0]))
	return log, nil
}

// CompleteLoad marks the load's revision complete, if it has one.
func (s *Store) CompleteLoad(ctx context.Context, log *LoadLog) error {
	if log.number == 0 {
		return nil
	}
	_, err := s.write(ctx, `MATCH (r:Revision {number: $number}) REMOVE r.open
WITH r
MATCH (h:RevisionHead {id: 'head'}) WHERE h.open = r.number
REMOVE h.open`, map[string]any{"number": log.number})
	return err
}

// record logs a batch's changes in its transaction tx, opening the load's
// revision if this is the first batch to change anything. It returns the
// revision, which the caller keeps (opened) once tx commits.
func (l *LoadLog) record(ctx context.Context, tx neo4j.ManagedTransaction, entries []map[string]any, nodes, rels *Counts) (int, error) {
	if len(entries) == 0 {
		return l.number, nil
	}
	number := l.number
	if number == 0 {
		var err error
		if number, err = openRevision(ctx, tx, RevisionLoad, l.edit, l.key); err != nil {
			return 0, err
		}
	}
	return number, appendChanges(ctx, tx, number, entries, nodes, rels)
}

// opened keeps the revision a committed batch logged under.
func (l *LoadLog) opened(number int) {
	if number != 0 {
		l.number = number
	}
}

// createdEntry logs the rows of a batch that a load created: their ids,
// or their ends for relationships, and the file that holds them.
func createdEntry(t string, file LoadFile, ids, froms, tos []string) map[string]any {
	e := map[string]any{"op": string(OpCreate), "type": t, "file": file.Name, "sha256": orNil(file.SHA256)}
	if ids != nil {
		e["ids"], e["rows"] = ids, len(ids)
	} else {
		e["froms"], e["tos"], e["rows"] = froms, tos, len(froms)
	}
	return e
}
