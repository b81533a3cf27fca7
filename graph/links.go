package graph

import (
	"context"
	"strings"
)

// Direction says which way a walk follows a relationship.
type Direction bool

// The directions of a walk.
const (
	Out Direction = true  // from the relationship's start to its end
	In  Direction = false // from its end back to its start
)

// Walk is one way of stepping from a node to its neighbours: a relationship
// type, a direction, and the labels of the nodes it reaches.
type Walk struct {
	Type    RelType
	Dir     Direction
	Targets []Label
}

// pattern is the walk's Cypher pattern from p to n through r, built from the
// closed sets of types and labels.
func (w Walk) pattern(rel string) string {
	target := "(n:" + strings.Join(asStrings(w.Targets), "|") + ")"
	if w.Dir == Out {
		return "(p)-[" + rel + ":" + string(w.Type) + "]->" + target
	}
	return "(p)<-[" + rel + ":" + string(w.Type) + "]-" + target
}

// Edge is one step of a walk: the node reached and the relationship's
// properties.
type Edge struct {
	Node Node
	EdgeProps
}

// EdgeProps are the properties a relationship may carry.
type EdgeProps struct {
	Effect    *string
	Role      *string
	Rationale *string
	SourceIDs []string
	// Locators say where each source states the link, in SourceIDs' order
	// ("" where not given); nil when none is given.
	Locators []string
	// Evidence is STATED or INFERRED; nil where the data does not say.
	Evidence *string
	Note     *string
	// Since and Until date a link that held for a while, as far as known.
	Since, Until *PartialDate
}

func decodeEdgeProps(p map[string]any) EdgeProps {
	return EdgeProps{
		Effect:    optStr(p, "effect"),
		Role:      optStr(p, "role"),
		Rationale: optStr(p, "rationale"),
		SourceIDs: strList(p, "sourceIds"),
		Locators:  strList(p, Locators),
		Evidence:  optStr(p, "evidence"),
		Note:      optStr(p, "note"),
		Since:     optPartial(p, "since"),
		Until:     optPartial(p, "until"),
	}
}

// IsStated reports a link that its sources state.
func (e EdgeProps) IsStated() bool { return e.Evidence != nil && *e.Evidence == Stated }

// Neighbours returns, for each of the parent ids, one page of the nodes the
// walk reaches from it, ordered by id, with the relationship's properties and
// the total count: one query for any number of parents, so that a list of
// nodes and their neighbours costs two round trips, not one per node.
func (s *Store) Neighbours(ctx context.Context, w Walk, parents []string, args PageArgs) (map[string]Page[Edge], error) {
	if args.First < 0 {
		return nil, Errorf(CodeBadInput, "first must not be negative")
	}
	if err := args.Where.Validate(w.Targets); err != nil {
		return nil, err
	}
	start, orderBy, skip, err := args.walkOrder(w, "r")
	if err != nil {
		return nil, err
	}
	p := params{"ids": parents, "after": args.After, "limit": args.First + 1, "offset": args.Offset}
	var conds []string
	if !args.Where.IsZero() {
		conds = append(conds, args.Where.where("n", p, 0))
	}
	counted := w.pattern("")
	edge, err := args.edgeCondition(w, "r", p)
	if err != nil {
		return nil, err
	}
	if edge != "" {
		conds, counted = append(conds, edge), w.pattern("r")
	}
	total := "COUNT { MATCH " + counted + whereClause(conds) + " }"
	records, err := s.read(ctx, `UNWIND $ids AS pid
MATCH (p:Entity {id: pid})
CALL (p) {
  MATCH `+w.pattern("r")+whereClause(append([]string{start}, conds...))+`
  WITH r, n ORDER BY `+orderBy+` `+skip+`LIMIT $limit
  RETURN collect({rel: properties(r), label: `+labelAmong("n", w.Targets)+`, node: properties(n)}) AS edges
}
RETURN pid, edges, `+total+` AS total`, p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Page[Edge], len(records))
	for _, r := range records {
		pid, _ := r.Values[0].(string)
		raw, _ := r.Values[1].([]any)
		page := Page[Edge]{Total: int(asInt(r.Values[2])), HasNext: len(raw) > args.First, Offset: offsetOf(args)}
		for _, e := range raw[:min(len(raw), args.First)] {
			m, _ := e.(map[string]any)
			node, ok := decodeRecord(m["label"], m["node"])
			if !ok {
				continue
			}
			rel, _ := m["rel"].(map[string]any)
			page.Items = append(page.Items, Edge{Node: node, EdgeProps: decodeEdgeProps(rel)})
		}
		out[pid] = page
	}
	return out, nil
}

// Only restricts a walk to the targets of one label: a field typed for
// one label over a relationship that reaches several.
func (w Walk) Only(l Label) Walk {
	w.Targets = []Label{l}
	return w
}

// WalkOf is the walk along the relationship type in the direction given,
// reaching the labels the model allows at that end.
func WalkOf(t RelType, dir Direction) Walk {
	rt, err := RelationshipTypeOf(t)
	if err != nil {
		panic(err) // a programming error: types are constants
	}
	if dir == Out {
		return Walk{Type: t, Dir: dir, Targets: rt.To}
	}
	return Walk{Type: t, Dir: dir, Targets: rt.From}
}
