package resolvers

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// changes reads a page of the change log.
func (r *Resolver) changes(ctx context.Context, q graph.ChangeQuery, first *int, after *string) (*ChangeConnection, error) {
	q, n, err := ChangePage(q, first, after)
	if err != nil {
		return nil, err
	}
	page, total, err := r.Store.Changes(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &ChangeConnection{PageInfo: &PageInfo{HasNextPage: len(page) > n}, TotalCount: total}
	page = page[:min(n, len(page))]
	out.Edges = make([]ChangeEdge, len(page))
	for i, c := range page {
		cursor := ChangeCursor(c)
		out.Edges[i] = ChangeEdge{Cursor: cursor, Node: toChange(c)}
		if i == 0 {
			out.PageInfo.StartCursor = &cursor
		}
		out.PageInfo.EndCursor = &cursor
	}
	return out, nil
}

// ChangePage checks a page of the change log's first and after arguments,
// and returns the query that reads it, and its size: the query reads one
// change more, which tells whether another page follows.
func ChangePage(q graph.ChangeQuery, first *int, after *string) (graph.ChangeQuery, int, error) {
	n := 20
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxFirst {
		return q, 0, graph.Errorf(graph.CodeBadInput, "first must be between 0 and %d", MaxFirst)
	}
	q.First = n + 1
	if after != nil {
		key, err := changeKeyOf(*after)
		if err != nil {
			return q, 0, err
		}
		q.After = &key
	}
	return q, n, nil
}

const changeCursorPrefix = "change:"

// ChangeCursor names a change by its revision, its entry and its item in
// the entry; a cursor without the item names the entry's first.
func ChangeCursor(c graph.Change) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s%d:%d:%d", changeCursorPrefix, c.Revision.Number, c.Seq, c.Item))
}

func changeKeyOf(cursor string) (graph.ChangeKey, error) {
	var k graph.ChangeKey
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		parts := strings.Split(strings.TrimPrefix(string(raw), changeCursorPrefix), ":")
		_, err = fmt.Sscanf(string(raw), changeCursorPrefix+"%d:%d", &k.Revision, &k.Seq)
		if err == nil && len(parts) == 3 {
			k.Item, err = strconv.Atoi(parts[2])
		}
	}
	if err != nil {
		return k, graph.Errorf(graph.CodeBadInput, "after is not a cursor of the change log")
	}
	return k, nil
}

func toRevision(r graph.Revision) *Revision {
	return &Revision{Number: r.Number, At: r.At.UTC().Format(time.RFC3339), Actor: r.Actor, Reason: r.Reason,
		Kind: RevisionKind(r.Kind), Complete: r.Complete, Nodes: r.Nodes, Relationships: r.Rels}
}

func toChange(c graph.Change) *Change {
	out := &Change{Revision: toRevision(c.Revision), Op: ChangeOp(c.Op), Type: c.Type,
		Entity: orNil(c.Entity), From: orNil(c.From), To: orNil(c.To), Before: values(c.Before), After: values(c.After)}
	if c.File != nil {
		out.File = &LoadedFile{Name: c.File.Name, Sha256: orNil(c.File.SHA256)}
	}
	return out
}

// values lists properties by name; nil for none.
func values(cells map[string]string) []PropertyValue {
	if cells == nil {
		return nil
	}
	out := make([]PropertyValue, 0, len(cells))
	for _, name := range slices.Sorted(maps.Keys(cells)) {
		out = append(out, PropertyValue{Name: name, Value: cells[name]})
	}
	return out
}

func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// feedBatch bounds the revisions one read of the log sends.
const feedBatch = 100

// follow sends each revision after after (the latest, when nil), in order,
// until ctx ends: a subscriber that comes back with the last revision it
// saw misses none.
func (r *Resolver) follow(ctx context.Context, after *int) (<-chan *RevisionChanges, error) {
	last := 0
	if after != nil {
		last = *after
	} else {
		head, err := r.Store.Head(ctx)
		if err != nil {
			return nil, err
		}
		last = head.Revision
	}
	out := make(chan *RevisionChanges)
	go func() {
		defer close(out)
		tick := time.NewTicker(r.FeedPoll)
		defer tick.Stop()
		failing := false
		for {
			batch, err := r.Store.RevisionsAfter(ctx, last, feedBatch)
			switch {
			case err != nil && ctx.Err() != nil:
				return
			case err != nil && !failing:
				// Once per outage: the subscriber waits, and loses nothing.
				r.Logger.WarnContext(ctx, "a subscription cannot read the change log; it tries again at each poll", "after", last, "err", err)
				failing = true
			case err == nil && failing:
				r.Logger.InfoContext(ctx, "a subscription reads the change log again", "after", last)
				failing = false
			}
			for _, rc := range batch {
				changes := make([]Change, len(rc.Changes))
				for i, c := range rc.Changes {
					changes[i] = *toChange(c)
				}
				select {
				case out <- &RevisionChanges{Revision: toRevision(rc.Revision), Changes: changes, ChangeCount: rc.Count}:
					last = rc.Revision.Number
				case <-ctx.Done():
					return
				}
			}
			if len(batch) == feedBatch {
				continue // more are waiting
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return out, nil
}
