package graph

import (
	"context"
)

// labelOf is the Cypher expression for node v's own label, beside Entity.
func labelOf(v string) string {
	return "[l IN labels(" + v + ") WHERE l <> 'Entity'][0]"
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
	p := params{"after": args.After, "limit": args.First + 1, "asOf": nil, "offset": args.Offset}
	if args.AsOf != nil {
		p["asOf"] = neo4jDate(*args.AsOf)
	}
	where := inEffect("n") + " AND " + args.Where.where("n", p, 0)
	records, err := s.read(ctx, `MATCH (n:`+string(label)+`) WHERE `+where+` WITH count(n) AS total
CALL {
  MATCH (n:`+string(label)+`) WHERE `+start+` AND `+where+`
  WITH n ORDER BY `+orderBy+` `+skip+`LIMIT $limit
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

// decodeRecord decodes a (label, properties) pair from a query's record.
func decodeRecord(label, props any) (Node, bool) {
	l, _ := label.(string)
	p, _ := props.(map[string]any)
	return decodeNode(Label(l), p)
}

// inEffect is the Cypher condition that node n was in effect on the day
// $asOf, or true when $asOf is null. A node is in effect from its first date
// (a statute's inForce, a programme's start, a commitment's issue) until its
// end, exclusive; a missing date does not exclude it.
func inEffect(n string) string {
	from := "coalesce(" + n + ".inForce, " + n + ".start, " + n + ".issued)"
	return "($asOf IS NULL OR ((" + from + " IS NULL OR " + from + " <= $asOf) AND (" + n + ".end IS NULL OR " + n + ".end > $asOf)))"
}

// offsetOf is the Offset of a page for args: -1 when paged by id.
func offsetOf(args PageArgs) int {
	if len(args.OrderBy) == 0 {
		return -1
	}
	return args.Offset
}
