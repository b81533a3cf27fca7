package compile

import (
	"maps"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// The change log's fields (Query.changes, Query.revision, Query.release
// and every entity's history) show records, not nodes: the tree reads
// them, the writer makes each a document (maps by field name, lists and
// leaves) and writes what the selection shows of it.

// changeLog plans a field that reads the change log, or declines it. Of
// an entity's history (below), the tree keeps the entity's changes.
func (p *planner) changeLog(out *field, read *graph.Read, f graphql.CollectedField, below bool) error {
	out.kind, out.typename = kindLog, f.Definition.Type.Name()
	args := f.ArgumentMap(p.op.Variables)
	switch f.Name {
	case "revision":
		read.Revision = true
	case "release":
		read.Release = true
	case "changes", "history":
		var q graph.ChangeQuery
		if !below {
			var ok bool
			if q, ok = changeFilter(args); !ok {
				return decline(reasonArguments, "changes: since, until, entity or actor is refused")
			}
		}
		first, err := intArg(args["first"])
		if err != nil {
			return err
		}
		var after *string
		if args["after"] != nil {
			s, ok := args["after"].(string)
			if !ok {
				return decline(reasonArguments, "%s: after is not a string", f.Name)
			}
			after = &s
		}
		q, n, err := resolvers.ChangePage(q, first, after)
		if err != nil {
			return decline(reasonArguments, "%s: first or after is refused", f.Name)
		}
		read.Log, out.page = &q, &page{first: n}
	default:
		return decline(reasonField, "%s is not compiled", f.Name)
	}
	out.fields = p.document(f.Selections, out.typename)
	return nil
}

// changeFilter reads Query.changes' since, until, entity and actor.
func changeFilter(args map[string]any) (graph.ChangeQuery, bool) {
	var q graph.ChangeQuery
	for name, bound := range map[string]**int{"since": &q.Since, "until": &q.Until} {
		if args[name] == nil {
			continue
		}
		n, err := resolvers.UnmarshalInt(args[name])
		if err != nil {
			return q, false
		}
		*bound = &n
	}
	for name, s := range map[string]*string{"entity": &q.Entity, "actor": &q.Actor} {
		v, ok := args[name].(string)
		if args[name] != nil && !ok {
			return q, false
		}
		*s = v
	}
	return q, true
}

// document plans what a selection shows of a document of the named type:
// each field its value by name; an object's, the fields it shows in turn.
func (p *planner) document(sel ast.SelectionSet, typename string) []field {
	out := []field{}
	for _, f := range graphql.CollectFields(p.op, sel, []string{typename}) {
		sub := field{key: f.Alias, typ: f.Definition.Type, kind: kindDocument, name: f.Name, typename: typename}
		if f.Name == "__typename" {
			sub.kind = kindTypename
		} else if len(f.Selections) > 0 {
			sub.fields = p.document(f.Selections, f.Definition.Type.Name())
		}
		out = append(out, sub)
	}
	return out
}

// changeLog writes a change log field from its read's answer.
func (w *writer) changeLog(f *field, answer any) error {
	var doc any
	switch f.typename {
	case "ChangeConnection":
		changes, total, err := graph.DecodeChanges(answer)
		if err != nil {
			return err
		}
		doc = changeConnection(changes, total, f.page.first)
	case "Revision":
		r, err := graph.DecodeRevision(answer)
		if err != nil {
			return err
		}
		if r != nil {
			doc = revisionDocument(*r)
		}
	case "Release":
		r, err := graph.DecodeRelease(answer)
		if err != nil {
			return err
		}
		if r != nil {
			doc = map[string]any{"name": r.Name, "revision": int64(r.Revision), "at": utc(r.At), "manifest": r.Manifest}
		}
	}
	return w.document(f, f.typ, doc)
}

// document writes v, a document, as field f of type t shows it.
func (w *writer) document(f *field, t *ast.Type, v any) error {
	switch {
	case v == nil:
		if t.NonNull {
			return errNull
		}
		w.null()
		return nil
	case t.Elem != nil:
		items, _ := v.([]any)
		return w.list(len(items), func(i int) error { return w.document(f, t.Elem, items[i]) })
	case f.fields == nil:
		return w.scalar(t, v)
	}
	m, _ := v.(map[string]any)
	w.b.WriteByte('{')
	for i := range f.fields {
		sub := &f.fields[i]
		w.key(i, sub.key)
		if sub.kind == kindTypename {
			w.str(sub.typename)
		} else if err := w.document(sub, sub.typ, m[sub.name]); err != nil {
			return err
		}
	}
	w.b.WriteByte('}')
	return nil
}

// changeConnection is the document of a page of the log: the first n of
// the changes read, which hold one more when another page follows.
func changeConnection(changes []graph.Change, total, n int) map[string]any {
	page := changes[:min(n, len(changes))]
	edges := make([]any, len(page))
	var start, end any
	for i, c := range page {
		cursor := resolvers.ChangeCursor(c)
		edges[i] = map[string]any{"cursor": cursor, "node": changeDocument(c)}
		if i == 0 {
			start = cursor
		}
		end = cursor
	}
	return map[string]any{"edges": edges, "totalCount": int64(total), "pageInfo": map[string]any{
		"hasNextPage": len(changes) > n, "hasPreviousPage": false, "startCursor": start, "endCursor": end}}
}

func changeDocument(c graph.Change) map[string]any {
	doc := map[string]any{"revision": revisionDocument(c.Revision), "op": string(c.Op), "type": c.Type,
		"entity": orNil(c.Entity), "from": orNil(c.From), "to": orNil(c.To),
		"before": cellsDocument(c.Before), "after": cellsDocument(c.After)}
	if c.File != nil {
		doc["file"] = map[string]any{"name": c.File.Name, "sha256": orNil(c.File.SHA256)}
	}
	return doc
}

func revisionDocument(r graph.Revision) map[string]any {
	return map[string]any{"number": int64(r.Number), "at": utc(r.At), "actor": r.Actor, "reason": r.Reason,
		"kind": r.Kind, "complete": r.Complete, "nodes": countsDocument(r.Nodes), "relationships": countsDocument(r.Rels)}
}

func countsDocument(c *graph.Counts) any {
	if c == nil {
		return nil
	}
	return map[string]any{"created": int64(c.Created), "updated": int64(c.Updated), "deleted": int64(c.Deleted)}
}

// cellsDocument lists properties by name; none for nil.
func cellsDocument(cells map[string]string) any {
	if cells == nil {
		return nil
	}
	out := make([]any, 0, len(cells))
	for _, name := range slices.Sorted(maps.Keys(cells)) {
		out = append(out, map[string]any{"name": name, "value": cells[name]})
	}
	return out
}

// utc is a time as the API writes it: RFC 3339, in UTC, to the second.
func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// orNil is none for the empty string.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
