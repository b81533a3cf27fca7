package graph

import (
	"context"
	"slices"
	"strings"
)

// labelOf is the Cypher expression for node v's own label, beside Entity.
func labelOf(v string) string {
	return "[l IN labels(" + v + ") WHERE l <> 'Entity'][0]"
}

// labelAmong is labelOf for a node that has one of the labels: the label
// itself when there is only one, which Neo4j need not look up.
func labelAmong(v string, labels []Label) string {
	if len(labels) == 1 {
		return "'" + string(labels[0]) + "'"
	}
	return labelOf(v)
}

// Node returns the node with the id, or a NOT_FOUND error.
func (s *Store) Node(ctx context.Context, id string) (Node, error) {
	nodes, err := s.Nodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	n, ok := nodes[id]
	if !ok {
		return nil, Errorf(CodeNotFound, "no node has the id %q", id)
	}
	return n, nil
}

// Nodes returns the nodes with the ids, by id, in one query; ids that name no
// node are absent from the map.
func (s *Store) Nodes(ctx context.Context, ids []string) (map[string]Node, error) {
	records, err := s.read(ctx, `UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN `+labelOf("n")+` AS label, properties(n) AS props`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]Node, len(records))
	for _, r := range records {
		if n, ok := decodeRecord(r.Values[0], r.Values[1]); ok {
			out[n.GetID()] = n
		}
	}
	return out, nil
}

// List returns a page of the label's nodes ordered by id, with the total.
// Paging by id (not by offset) keeps a page stable while nodes are added
// before it, and uses the id index.
func (s *Store) List(ctx context.Context, label Label, args ListArgs) (Page[Node], error) {
	if args.First < 0 {
		return Page[Node]{}, Errorf(CodeBadInput, "first must not be negative")
	}
	if err := args.Where.Validate([]Label{label}); err != nil {
		return Page[Node]{}, err
	}
	// One more than the page tells whether another page follows.
	start, orderBy, skip, err := args.order([]Label{label})
	if err != nil {
		return Page[Node]{}, err
	}
	p := params{"after": args.After, "limit": args.First + 1, "offset": args.Offset}
	// Only conditions that can fail are written out: a list with none is
	// counted from Neo4j's count store instead of node by node.
	var conds []string
	if args.AsOf != nil {
		p["asOf"] = neo4jDate(*args.AsOf)
		p["includeUndated"] = args.IncludeUndated
		conds = append(conds, inEffect("n"))
	}
	if !args.Where.IsZero() {
		conds = append(conds, args.Where.where("n", p, 0))
	}
	match := "(n:" + string(label) + ")"
	hint, split := args.listHint("n", label)
	rows := "MATCH " + match + hint + whereClause(append([]string{start}, conds...)) +
		" WITH n ORDER BY " + orderBy + " " + skip + "LIMIT $limit"
	if split {
		rows = args.splitRows(match, hint, "n", conds, orderBy, "$offset", "$limit")
	}
	records, err := s.read(ctx, "MATCH "+match+whereClause(conds)+` WITH count(n) AS total
CALL {
  `+rows+`
  RETURN collect(properties(n)) AS nodes
}
RETURN total, nodes`, p)
	if err != nil {
		return Page[Node]{}, err
	}
	total, _ := records[0].Get("total")
	nodes, _ := records[0].Get("nodes")
	raw, _ := nodes.([]any)
	page := Page[Node]{Total: int(asInt(total)), HasNext: len(raw) > args.First, Offset: offsetOf(args.PageArgs)}
	for _, r := range raw[:min(len(raw), args.First)] {
		props, _ := r.(map[string]any)
		if n, ok := decodeNode(label, props); ok {
			page.Items = append(page.Items, n)
		}
	}
	return page, nil
}

// whereClause is a WHERE clause of the conditions, all of which must hold;
// "" for none.
func whereClause(conds []string) string {
	conds = slices.DeleteFunc(slices.Clone(conds), func(c string) bool { return c == "true" })
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// decodeRecord decodes a (label, properties) pair from a query's record.
func decodeRecord(label, props any) (Node, bool) {
	l, _ := label.(string)
	p, _ := props.(map[string]any)
	return decodeNode(Label(l), p)
}

// inEffect is the Cypher condition that node n was in effect on the day
// $asOf, or true when $asOf is null. A node is in effect from its first date
// (a statute's inForce, a programme's start, a commitment's issue) until its
// end, exclusive. A date known only to the month or year counts by its
// certain side: the node is in effect once it has certainly begun and until
// it has certainly ended. A node of a dated label without a first date is
// in effect only when $includeUndated is true; other labels (levers, kinds)
// have no dates and are always in effect.
func inEffect(n string) string {
	from := "coalesce(" + lastDay(n, "inForce") + ", " + lastDay(n, "start") + ", " + lastDay(n, "issued") + ")"
	undated := "($includeUndated OR NOT (" + n + ":Statute OR " + n + ":Programme OR " + n + ":ProcurementProgramme OR " + n + ":MandateCommitment))"
	return "($asOf IS NULL OR (CASE WHEN " + from + " IS NULL THEN " + undated + " ELSE " + from + " <= $asOf END" +
		" AND (" + n + ".end IS NULL OR " + lastDay(n, "end") + " > $asOf)))"
}

// lastDay is the Cypher for the last day that node n's date property may
// be, by its precision.
func lastDay(n, property string) string {
	d, p := n+"."+property, n+"."+PrecisionOf(property)
	return "CASE " + p + " WHEN '" + string(PrecisionYear) + "' THEN " + d + " + duration('P1Y') - duration('P1D')" +
		" WHEN '" + string(PrecisionMonth) + "' THEN " + d + " + duration('P1M') - duration('P1D') ELSE " + d + " END"
}

// offsetOf is the Offset of a page for args: -1 when paged by id.
func offsetOf(args PageArgs) int {
	if !args.Ordered() {
		return -1
	}
	return args.Offset
}
