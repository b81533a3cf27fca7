package graph

import (
	"context"
	"slices"
	"strconv"
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
	labels := make([]string, len(w.Targets))
	for i, l := range w.Targets {
		labels[i] = string(l)
	}
	target := "(n:" + strings.Join(labels, "|") + ")"
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
	start, orderBy, skip, err := args.order(w.Targets)
	if err != nil {
		return nil, err
	}
	p := params{"ids": parents, "after": args.After, "limit": args.First + 1, "offset": args.Offset}
	var conds []string
	if !args.Where.IsZero() {
		conds = append(conds, args.Where.where("n", p, 0))
	}
	total := "0"
	if wantsTotal(ctx) {
		total = "COUNT { MATCH " + w.pattern("") + whereClause(conds) + " }"
	}
	records, err := s.read(ctx, `UNWIND $ids AS pid
MATCH (p:Entity {id: pid})
CALL (p) {
  MATCH `+w.pattern("r")+whereClause(append([]string{start}, conds...))+`
  WITH r, n ORDER BY `+orderBy+` `+skip+`LIMIT $limit
  RETURN collect({rel: `+relProps(ctx, "r")+`, label: `+labelAmong("n", w.Targets)+`, node: `+nodeProps(ctx, "n")+`}) AS edges
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

// Branch asks a read for pages of neighbours below each node it returns: a
// walk and its paging, for the nodes of the From labels (any node, when
// none), with the count of every neighbour if Total, and branches of its
// own below the nodes it reaches. A list and everything a request selects
// below it then cost one query, as a hand-written Cypher query with nested
// subqueries would.
type Branch struct {
	Walk  Walk
	Args  PageArgs
	From  []Label
	Total bool
	Below []Branch
}

// Below is the branches a read fetches, and where their pages go: Prime
// receives each node's page of each branch, at any depth.
type Below struct {
	Branches []Branch
	Prime    func(w Walk, args PageArgs, parent string, page Page[Edge])
}

// branchQuery is one branch compiled for a parent variable: the subquery
// that collects its edges into the column, and the count of its neighbours.
type branchQuery struct {
	branch *Branch
	call   string
	column string
	total  string
}

// compileBranches compiles the branches below the node variable v. Each
// branch's variables and parameters take the name prefix, unique in the
// query, and its position.
func compileBranches(ctx context.Context, v string, branches []Branch, p params, prefix string) ([]branchQuery, error) {
	out := make([]branchQuery, len(branches))
	for i := range branches {
		b := &branches[i]
		if b.Args.First < 0 {
			return nil, Errorf(CodeBadInput, "first must not be negative")
		}
		if err := b.Args.Where.Validate(b.Walk.Targets); err != nil {
			return nil, err
		}
		start, orderBy, skip, err := b.Args.order(b.Walk.Targets)
		if err != nil {
			return nil, err
		}
		name := prefix + strconv.Itoa(i)
		r, n := name+"r", name+"n"
		rename := strings.NewReplacer("n.", n+".", "$after", p.add(b.Args.After), "$offset", p.add(b.Args.Offset))
		var conds []string
		if len(b.From) > 0 {
			from := make([]string, len(b.From))
			for j, l := range b.From {
				from[j] = v + ":" + string(l)
			}
			conds = append(conds, "("+strings.Join(from, " OR ")+")")
		}
		if !b.Args.Where.IsZero() {
			conds = append(conds, b.Args.Where.where(n, p, 0))
		}
		pattern := func(rel string) string {
			return strings.NewReplacer("(p)", "("+v+")", "(n:", "("+n+":").Replace(b.Walk.pattern(rel))
		}
		below, err := compileBranches(ctx, n, b.Below, p, name+"_")
		if err != nil {
			return nil, err
		}
		var calls strings.Builder
		columns, totals := make([]string, len(below)), make([]string, len(below))
		for j, q := range below {
			calls.WriteString(q.call)
			columns[j], totals[j] = q.column, q.total
		}
		q := branchQuery{branch: b, column: name + "e", total: "0"}
		if b.Total {
			q.total = "COUNT { MATCH " + pattern("") + whereClause(conds) + " }"
		}
		q.call = `
CALL (` + v + `) {
  MATCH ` + pattern(r) + whereClause(append([]string{rename.Replace(start)}, conds...)) + `
  WITH ` + r + `, ` + n + ` ORDER BY ` + rename.Replace(orderBy) + ` ` + rename.Replace(skip) + `LIMIT ` + p.add(b.Args.First+1) + calls.String() + `
  RETURN collect({rel: ` + relProps(ctx, r) + `, label: ` + labelAmong(n, b.Walk.Targets) + `, node: ` + nodeProps(ctx, n) + `,
    below: [` + strings.Join(columns, ", ") + `], totals: [` + strings.Join(totals, ", ") + `]}) AS ` + q.column + `
}`
		out[i] = q
	}
	return out, nil
}

// belowProjection is what a row projects for the branches below its node:
// each branch's edges and total, in the branches' order.
func belowProjection(qs []branchQuery) string {
	columns, totals := make([]string, len(qs)), make([]string, len(qs))
	for i, q := range qs {
		columns[i], totals[i] = q.column, q.total
	}
	return "below: [" + strings.Join(columns, ", ") + "], totals: [" + strings.Join(totals, ", ") + "]"
}

// primeBelow decodes the branches' pages below the node parent, from the
// below and totals lists belowProjection made, and hands each to prime.
func primeBelow(branches []Branch, parent string, m map[string]any, prime func(Walk, PageArgs, string, Page[Edge])) {
	below, _ := m["below"].([]any)
	totals, _ := m["totals"].([]any)
	for i := range branches {
		if i >= len(below) || i >= len(totals) {
			return
		}
		b := &branches[i]
		if len(b.From) > 0 && !slices.Contains(b.From, labelOfMap(m)) {
			continue // the branch does not apply to this node's label
		}
		raw, _ := below[i].([]any)
		page := Page[Edge]{Total: int(asInt(totals[i])), HasNext: len(raw) > b.Args.First, Offset: offsetOf(b.Args)}
		for _, e := range raw[:min(len(raw), b.Args.First)] {
			em, _ := e.(map[string]any)
			node, ok := decodeRecord(em["label"], em["node"])
			if !ok {
				continue
			}
			rel, _ := em["rel"].(map[string]any)
			page.Items = append(page.Items, Edge{Node: node, EdgeProps: decodeEdgeProps(rel)})
			primeBelow(b.Below, node.GetID(), em, prime)
		}
		prime(b.Walk, b.Args, parent, page)
	}
}

// labelOfMap is the label an edge's or a row's map names.
func labelOfMap(m map[string]any) Label {
	l, _ := m["label"].(string)
	return Label(l)
}
