package compile

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// errNull is a value missing where the schema promises one: the data
// breaks the model, and the resolvers report it field by field.
var errNull = errors.New("a non-null field has no value")

// writer renders a plan's answer as the response's data: in the
// selection's order, with the scalars' own marshallers, so that the bytes
// are those the resolvers would write.
type writer struct {
	b      *bytes.Buffer
	schema *ast.Schema
}

// write renders the answer of the plan's query.
func (p *plan) write(b *bytes.Buffer, schema *ast.Schema, answer map[string]any) error {
	w := writer{b: b, schema: schema}
	b.WriteByte('{')
	for i := range p.fields {
		f := &p.fields[i]
		w.key(i, f.key)
		var err error
		switch f.kind {
		case kindTypename:
			w.str(f.typename)
		case kindNode:
			items, _ := answer[f.name].([]any)
			err = w.nullable(f, w.node(f.object, nodeOf(items, 0)))
		case kindNodes:
			items, _ := answer[f.name].([]any)
			err = w.list(len(items), func(i int) error {
				if n := nodeOf(items, i); n != nil {
					return w.node(f.object, n)
				}
				w.null()
				return nil
			})
		case kindConnection:
			res, _ := answer[f.name].(map[string]any)
			err = w.connection(f, res)
		case kindSearch:
			hits, _ := answer[f.name].([]any)
			err = w.hits(f, hits)
		case kindTrace:
			paths, _ := answer[f.name].([]any)
			err = w.list(len(paths), func(i int) error {
				path, _ := paths[i].(map[string]any)
				return w.path(f.fields, path)
			})
		case kindInfluences:
			chains, _ := answer[f.name].([]any)
			err = w.list(len(chains), func(i int) error {
				chain, _ := chains[i].(map[string]any)
				return w.influence(f.fields, chain)
			})
		case kindMatrix:
			err = w.matrix(f, answer[f.columns], answer[f.name])
		case kindGaps:
			err = w.gaps(f, answer)
		case kindCompare:
			err = w.compare(f, answer)
		case kindImpact:
			err = w.impact(f, answer)
		case kindLog:
			err = w.changeLog(f, answer[f.name])
		default:
			err = fmt.Errorf("field %s of kind %d at the root", f.key, f.kind)
		}
		if err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// nodeOf is the node of a list's item i, or nil.
func nodeOf(items []any, i int) map[string]any {
	if i >= len(items) {
		return nil
	}
	item, _ := items[i].(map[string]any)
	n, _ := item[graph.TreeNode].(map[string]any)
	return n
}

func (w *writer) key(i int, key string) {
	if i > 0 {
		w.b.WriteByte(',')
	}
	w.str(key)
	w.b.WriteByte(':')
}

// str writes s as a JSON string, as gqlgen's String marshaller does: most
// strings need no escape and are copied between quotes at once.
func (w *writer) str(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			graphql.MarshalString(s).MarshalGQL(w.b)
			return
		}
	}
	w.b.WriteByte('"')
	w.b.WriteString(s)
	w.b.WriteByte('"')
}

func (w *writer) null() { w.b.WriteString("null") }

// errMissing marks an object that was not there to write: the caller
// writes null in its place, where the schema allows one.
var errMissing = errors.New("no value")

// nullable finishes a field whose writing may have found no value.
func (w *writer) nullable(f *field, err error) error {
	if errors.Is(err, errMissing) {
		if f.typ.NonNull {
			return errNull
		}
		w.null()
		return nil
	}
	return err
}

// node writes what the object shows of node n.
func (w *writer) node(o *object, n map[string]any) error {
	if n == nil {
		return errMissing
	}
	typ := o.static
	if typ == "" {
		typ, _ = n[graph.TreeLabel].(string)
	}
	fields, ok := o.types[typ]
	if !ok {
		return fmt.Errorf("node of type %q where %v are planned", typ, o.types)
	}
	w.b.WriteByte('{')
	for i := range fields {
		f := &fields[i]
		w.key(i, f.key)
		if err := w.nodeField(f, typ, n); err != nil {
			return err
		}
	}
	w.b.WriteByte('}')
	return nil
}

func (w *writer) nodeField(f *field, typ string, n map[string]any) error {
	switch f.kind {
	case kindTypename:
		w.str(typ)
	case kindProperty:
		if f.typ.Elem != nil { // aliases: a list of strings, none when absent
			items, _ := n[f.name].([]any)
			return w.list(len(items), func(i int) error { return w.scalar(f.typ.Elem, items[i]) })
		}
		return w.scalar(f.typ, n[f.name])
	case kindDate:
		d, ok := n[f.name].(dbtype.Date)
		if !ok || n[graph.PrecisionOf(f.name)] != nil {
			return w.nullable(f, errMissing)
		}
		resolvers.MarshalDate(d.Time()).MarshalGQL(w.b)
	case kindPartialDate:
		return w.partialDate(f, n)
	case kindOrder:
		country, _ := n["country"].(string)
		level, _ := n["level"].(string)
		w.str(graph.OrderOf(country, level))
	case kindSources:
		sources, _ := n[f.name].([]any)
		return w.list(len(sources), func(i int) error {
			m, _ := sources[i].(map[string]any)
			return nonNull(w.node(f.object, m))
		})
	case kindSingle:
		res, _ := n[f.name].(map[string]any)
		items, _ := res[graph.TreeItems].([]any)
		return w.nullable(f, w.node(f.object, nodeOf(items, 0)))
	case kindConnection:
		res, _ := n[f.name].(map[string]any)
		return w.connection(f, res)
	case kindLog:
		return w.changeLog(f, n[f.name])
	default:
		return fmt.Errorf("field %s of kind %d on a node", f.key, f.kind)
	}
	return nil
}

// nonNull turns a missing value into errNull, where the schema promises
// one.
func nonNull(err error) error {
	if errors.Is(err, errMissing) {
		return errNull
	}
	return err
}

// partialDate writes a date of props as far as it is known.
func (w *writer) partialDate(f *field, props map[string]any) error {
	d, ok := props[f.name].(dbtype.Date)
	if !ok {
		return w.nullable(f, errMissing)
	}
	precision := graph.PrecisionDay
	if s, ok := props[graph.PrecisionOf(f.name)].(string); ok {
		precision = graph.Precision(s)
	}
	resolvers.MarshalPartialDate(graph.PartialDate{Day: d.Time(), Precision: precision}).MarshalGQL(w.b)
	return nil
}

// scalar writes a stored value as the field's type reads it: a value of
// another type reads as none, and none of a non-null string or boolean as
// its zero, as the resolvers' model types have it.
func (w *writer) scalar(t *ast.Type, v any) error {
	if t.Elem != nil {
		return fmt.Errorf("list %s written as a scalar", t)
	}
	name := t.Name()
	if def := w.schema.Types[name]; def != nil && def.Kind == ast.Enum {
		name = "String"
	}
	switch name {
	case "String", "ID", "PartialDate":
		// A PartialDate is read as its text (an aggregate's dates).
		if s, ok := v.(string); ok {
			w.str(s)
			return nil
		}
		if t.NonNull {
			w.str("")
			return nil
		}
	case "Int":
		if n, ok := v.(int64); ok {
			resolvers.MarshalInt(int(n)).MarshalGQL(w.b)
			return nil
		}
	case "Float":
		switch n := v.(type) {
		case float64:
			// Infinities and NaN are no GraphQL Float: the resolvers say so.
			return graphql.MarshalFloatContext(n).MarshalGQLContext(context.Background(), w.b)
		case int64:
			return graphql.MarshalFloatContext(float64(n)).MarshalGQLContext(context.Background(), w.b)
		}
	case "Boolean":
		b, ok := v.(bool)
		if ok || t.NonNull {
			graphql.MarshalBoolean(b).MarshalGQL(w.b)
			return nil
		}
	default:
		return fmt.Errorf("scalar %s is not written", name)
	}
	if t.NonNull {
		return errNull
	}
	w.null()
	return nil
}

// connection writes a connection from its read's answer.
func (w *writer) connection(f *field, res map[string]any) error {
	if res == nil {
		return errNull
	}
	items, _ := res[graph.TreeItems].([]any)
	n := min(len(items), f.page.first)
	cursor := func(i int) string {
		if f.page.ordered {
			return resolvers.OffsetCursor(f.page.offset + i + 1)
		}
		id, _ := nodeOf(items, i)["id"].(string)
		return resolvers.IDCursor(id)
	}
	w.b.WriteByte('{')
	for i := range f.fields {
		sub := &f.fields[i]
		w.key(i, sub.key)
		switch sub.kind {
		case kindTypename:
			w.str(f.typename)
		case kindTotal:
			total, _ := res[graph.TreeTotal].(int64)
			resolvers.MarshalInt(int(total)).MarshalGQL(w.b)
		case kindPageInfo:
			w.b.WriteByte('{')
			for j, pf := range sub.fields {
				w.key(j, pf.key)
				switch pf.kind {
				case kindTypename:
					w.str("PageInfo")
				case kindHasNext:
					graphql.MarshalBoolean(len(items) > f.page.first).MarshalGQL(w.b)
				case kindHasPrevious:
					graphql.MarshalBoolean(false).MarshalGQL(w.b)
				case kindStartCursor, kindEndCursor:
					if n == 0 {
						w.null()
					} else if pf.kind == kindStartCursor {
						w.str(cursor(0))
					} else {
						w.str(cursor(n - 1))
					}
				}
			}
			w.b.WriteByte('}')
		case kindAggregate:
			answer, _ := res[graph.TreeAggregate].(map[string]any)
			if err := w.aggregate(sub, answer); err != nil {
				return err
			}
		case kindEdges:
			err := w.list(n, func(e int) error {
				item, _ := items[e].(map[string]any)
				return w.edge(sub, item, cursor, e)
			})
			if err != nil {
				return err
			}
		}
	}
	w.b.WriteByte('}')
	return nil
}

// edge writes the edge at index i of a connection from its item; cursor,
// asked only when the edge's cursor is selected, names its place.
func (w *writer) edge(f *field, item map[string]any, cursor func(i int) string, i int) error {
	rel, _ := item[graph.TreeRel].(map[string]any)
	citations, _ := item[graph.TreeCitations].([]any)
	return w.object(f.fields, func(sub *field) error {
		switch sub.kind {
		case kindCursor:
			w.str(cursor(i))
			return nil
		case kindEdgeNode:
			node, _ := item[graph.TreeNode].(map[string]any)
			return nonNull(w.node(sub.object, node))
		}
		return w.relField(sub, rel, citations)
	})
}

// relField writes a field of a relationship shown on an edge or a hop,
// from its properties and citations.
func (w *writer) relField(f *field, rel map[string]any, citations []any) error {
	switch f.kind {
	case kindRelProperty:
		return w.scalar(f.typ, rel[f.name])
	case kindRelPartialDate:
		return w.partialDate(f, rel)
	case kindEdgeSources, kindCitations:
		return w.list(len(citations), func(c int) error {
			citation, _ := citations[c].(map[string]any)
			if f.kind == kindEdgeSources {
				source, _ := citation[graph.TreeSource].(map[string]any)
				return nonNull(w.node(f.object, source))
			}
			return w.citation(f, citation)
		})
	}
	return fmt.Errorf("field %s of kind %d on a relationship", f.key, f.kind)
}

// object writes an object of fixed type: each field by write.
func (w *writer) object(fields []field, write func(f *field) error) error {
	w.b.WriteByte('{')
	for i := range fields {
		f := &fields[i]
		w.key(i, f.key)
		if f.kind == kindTypename {
			w.str(f.typename)
			continue
		}
		if err := write(f); err != nil {
			return err
		}
	}
	w.b.WriteByte('}')
	return nil
}

// path writes a path: its nodes, and its hops with the nodes they join.
func (w *writer) path(fields []field, path map[string]any) error {
	nodes, _ := path[graph.TreeNodes].([]any)
	hops, _ := path[graph.TreeHops].([]any)
	node := func(i int) map[string]any {
		n, _ := nodes[i].(map[string]any)
		return n
	}
	byID := func(id any) map[string]any {
		for i := range nodes {
			if n := node(i); n["id"] == id {
				return n
			}
		}
		return nil
	}
	return w.object(fields, func(f *field) error {
		switch f.kind {
		case kindLength:
			resolvers.MarshalInt(len(hops)).MarshalGQL(w.b)
			return nil
		case kindPathNodes:
			return w.list(len(nodes), func(i int) error { return nonNull(w.node(f.object, node(i))) })
		case kindHops:
			return w.list(len(hops), func(i int) error {
				hop, _ := hops[i].(map[string]any)
				return w.hop(f, hop, byID(hop[graph.TreeFrom]), byID(hop[graph.TreeTo]), i < len(nodes) && node(i)["id"] == hop[graph.TreeFrom])
			})
		}
		return fmt.Errorf("field %s of kind %d on a path", f.key, f.kind)
	})
}

// influence writes one chain by which a lever affects a kind of mutual.
func (w *writer) influence(fields []field, chain map[string]any) error {
	return w.object(fields, func(f *field) error {
		switch f.kind {
		case kindLever:
			lever, _ := chain[graph.TreeNode].(map[string]any)
			return nonNull(w.node(f.object, lever))
		case kindHeld:
			held, _ := chain[graph.TreeHeld].([]any)
			return w.list(len(held), func(i int) error {
				j, _ := held[i].(map[string]any)
				return nonNull(w.node(f.object, j))
			})
		case kindOrders:
			return w.strings(graph.Distinct(chain[graph.TreeOrders]))
		case kindEffect:
			return w.scalar(f.typ, chain[graph.TreeEffect])
		case kindStated:
			return w.scalar(f.typ, chain[graph.TreeStated])
		case kindChain:
			path, _ := chain[graph.TreePath].(map[string]any)
			return w.path(f.fields, path)
		}
		return fmt.Errorf("field %s of kind %d on an influence", f.key, f.kind)
	})
}

// matrix writes an influence matrix from the kinds that are its columns
// and the bearings of each lever: a row for each lever that bears on a
// column.
func (w *writer) matrix(f *field, columnsRead, bearingsRead any) error {
	kinds, err := columnsOf(columnsRead, "influenceMatrix")
	if err != nil {
		return err
	}
	ids := make([]string, len(kinds))
	for i, k := range kinds {
		ids[i], _ = k["id"].(string)
	}
	type row struct {
		lever  map[string]any
		orders []string
		cells  []graph.Cell
	}
	var rows []row
	levers, _ := bearingsRead.([]any)
	for _, raw := range levers {
		lb, _ := raw.(map[string]any)
		cells, shown := graph.Cells(ids, graph.BearingsOf(lb[graph.TreeBearings]))
		if shown {
			lever, _ := lb[graph.TreeNode].(map[string]any)
			rows = append(rows, row{lever: lever, orders: graph.Distinct(lb[graph.TreeOrders]), cells: cells})
		}
	}
	return w.object(f.fields, func(sub *field) error {
		switch sub.kind {
		case kindColumns:
			return w.list(len(kinds), func(i int) error { return nonNull(w.node(sub.object, kinds[i])) })
		case kindRows:
			return w.list(len(rows), func(r int) error {
				return w.object(sub.fields, func(rf *field) error {
					switch rf.kind {
					case kindLever:
						return nonNull(w.node(rf.object, rows[r].lever))
					case kindOrders:
						return w.strings(rows[r].orders)
					case kindCells:
						return w.list(len(kinds), func(c int) error {
							cell := rows[r].cells[c]
							return w.object(rf.fields, func(cf *field) error {
								switch cf.kind {
								case kindCellKind:
									return nonNull(w.node(cf.object, kinds[c]))
								case kindCellEffect:
									if cell.Effect == "" {
										w.null()
									} else {
										w.str(cell.Effect)
									}
								case kindCellPaths:
									resolvers.MarshalInt(cell.Paths).MarshalGQL(w.b)
								case kindCellStated:
									resolvers.MarshalInt(cell.Stated).MarshalGQL(w.b)
								default:
									return fmt.Errorf("field %s of kind %d on a cell", cf.key, cf.kind)
								}
								return nil
							})
						})
					}
					return fmt.Errorf("field %s of kind %d on a row", rf.key, rf.kind)
				})
			})
		}
		return fmt.Errorf("field %s of kind %d on a matrix", sub.key, sub.kind)
	})
}

// columnsOf reads a matrix's kinds: the kinds of mutual asked for by id,
// each of which must be one, or the first page of them all.
func columnsOf(v any, question string) ([]map[string]any, error) {
	var items []any
	switch v := v.(type) {
	case []any:
		items = v
	case map[string]any:
		items, _ = v[graph.TreeItems].([]any)
	}
	kinds := make([]map[string]any, len(items))
	for i := range items {
		kinds[i] = nodeOf(items, i)
		if kinds[i] == nil || kinds[i][graph.TreeLabel] != string(graph.LabelMutualKind) {
			// The resolvers say which id it is.
			return nil, decline(reasonArguments, "%s: a kind is not a kind of mutual", question)
		}
	}
	return kinds, nil
}

// strings writes a list of strings.
func (w *writer) strings(list []string) error {
	return w.list(len(list), func(i int) error {
		w.str(list[i])
		return nil
	})
}

// citation writes one citation: a source, and where it states the link.
func (w *writer) citation(f *field, c map[string]any) error {
	w.b.WriteByte('{')
	for i := range f.fields {
		sub := &f.fields[i]
		w.key(i, sub.key)
		switch sub.kind {
		case kindTypename:
			w.str("Citation")
		case kindLocator:
			if l, ok := c[graph.TreeLocator].(string); ok && l != "" {
				w.str(l)
			} else {
				w.null()
			}
		case kindCitationSource:
			source, _ := c[graph.TreeSource].(map[string]any)
			if err := nonNull(w.node(sub.object, source)); err != nil {
				return err
			}
		}
	}
	w.b.WriteByte('}')
	return nil
}

// hits writes a search's hits.
func (w *writer) hits(f *field, hits []any) error {
	return w.list(len(hits), func(i int) error {
		hit, _ := hits[i].(map[string]any)
		node, _ := hit[graph.TreeNode].(map[string]any)
		label, _ := node[graph.TreeLabel].(string)
		return w.object(f.fields, func(sub *field) error {
			switch sub.kind {
			case kindHitType:
				w.str(string(resolvers.TypeOfLabel(graph.Label(label))))
				return nil
			case kindHitScore:
				return w.scalar(sub.typ, hit[graph.TreeScore])
			case kindHitMatch:
				w.str(string(graph.MatchOfTier(hit[graph.TreeMatch])))
				return nil
			case kindHitNode:
				return nonNull(w.node(sub.object, node))
			}
			return fmt.Errorf("field %s of kind %d on a hit", sub.key, sub.kind)
		})
	})
}

// list writes a JSON list of n items, each written by item, and stops at
// the first error.
func (w *writer) list(n int, item func(i int) error) error {
	w.b.WriteByte('[')
	for i := range n {
		if i > 0 {
			w.b.WriteByte(',')
		}
		if err := item(i); err != nil {
			return err
		}
	}
	w.b.WriteByte(']')
	return nil
}
