package graph

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HomeCountry is the country whose orders of government the graph names:
// psmgraph reads levers from Canada's side, so another country's are FOREIGN.
const HomeCountry = "CA"

// The orders of government.
const (
	OrderFederal     = "FEDERAL"
	OrderProvincial  = "PROVINCIAL"
	OrderTerritorial = "TERRITORIAL"
	OrderMunicipal   = "MUNICIPAL"
	OrderForeign     = "FOREIGN"
)

// OrderOf is the order of government of a jurisdiction.
func OrderOf(country, level string) string {
	switch {
	case country != HomeCountry:
		return OrderForeign
	case level == "NATIONAL":
		return OrderFederal
	default:
		return level // PROVINCIAL, TERRITORIAL, MUNICIPAL
	}
}

// orderCypher is OrderOf in Cypher, for the jurisdiction j.
const orderCypher = `CASE WHEN j.country <> '` + HomeCountry + `' THEN 'FOREIGN' WHEN j.level = 'NATIONAL' THEN 'FEDERAL' ELSE j.level END`

// Path is a walk through the graph: Nodes[i] and Nodes[i+1] are joined by
// Hops[i].
type Path struct {
	Nodes []Node
	Hops  []Hop
}

// Hop is one relationship on a path.
type Hop struct {
	Type     RelType
	From, To string // the relationship's start and end, as stored
	// Forward is true when the path walks the relationship from start to end.
	Forward bool
	EdgeProps
}

// pathProjection returns a path p as the nodes and relationships decodePath
// reads.
var pathProjection = `[n IN nodes(p) | {label: ` + labelOf("n") + `, props: properties(n)}] AS nodes,
  [r IN relationships(p) | {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels`

func decodePath(nodes, rels any) Path {
	var p Path
	ns, _ := nodes.([]any)
	for _, raw := range ns {
		m, _ := raw.(map[string]any)
		if n, ok := decodeRecord(m["label"], m["props"]); ok {
			p.Nodes = append(p.Nodes, n)
		}
	}
	rs, _ := rels.([]any)
	for i, raw := range rs {
		m, _ := raw.(map[string]any)
		props, _ := m["props"].(map[string]any)
		h := Hop{Type: RelType(str(m, "type")), From: str(m, "from"), To: str(m, "to"), EdgeProps: decodeEdgeProps(props)}
		h.Forward = i < len(p.Nodes) && p.Nodes[i].GetID() == h.From
		p.Hops = append(p.Hops, h)
	}
	return p
}

// MaxHops bounds a trace: longer paths through a dense graph are too many to
// enumerate within a request's time.
const MaxHops = 6

// Trace asks for up to First paths between two nodes, shortest first, of
// at most MaxHops relationships of the types Via (any, when none), followed
// in either direction; with Stated, only paths whose every link its
// sources state.
type Trace struct {
	From, To string
	MaxHops  int
	Via      []RelType
	First    int
	Stated   bool
}

// traceCypher matches the trace's paths p; its parameters are traceParams.
func traceCypher(t Trace) (string, error) {
	if t.MaxHops < 1 || t.MaxHops > MaxHops {
		return "", Errorf(CodeBadInput, "maxHops must be between 1 and %d", MaxHops)
	}
	types := ""
	if len(t.Via) > 0 {
		for _, rt := range t.Via {
			if !slices.ContainsFunc(RelationshipTypes, func(t RelationshipType) bool { return t.Type == rt }) {
				return "", Errorf(CodeBadInput, "no relationship type %q", rt)
			}
		}
		types = ":" + strings.Join(asStrings(t.Via), "|")
	}
	// One branch per length, shortest first, each stopping at the limit:
	// the outer LIMIT stops pulling rows once it has enough, so longer
	// branches run only while shorter ones found too few. The work is
	// bounded by first and maxHops, not by how many paths a hub lies on, as
	// it is when SHORTEST k searches from both ends. The hop counts and the
	// types are spliced: Cypher takes neither as a parameter, and both come
	// from validated, closed sets.
	where := ""
	if t.Stated {
		where = " WHERE " + allStated
	}
	branches := make([]string, t.MaxHops)
	for i := range branches {
		branches[i] = "  MATCH p = (a)-[" + types + "]-{" + strconv.Itoa(i+1) + "}(b)" + where + " RETURN p LIMIT $first"
	}
	return `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
CALL (a, b) {
` + strings.Join(branches, "\n  UNION ALL\n") + `
}
WITH p LIMIT $first`, nil
}

func traceParams(t Trace) map[string]any {
	return map[string]any{"from": t.From, "to": t.To, "first": t.First}
}

// Trace returns the paths the trace asks for.
func (s *Store) Trace(ctx context.Context, t Trace) ([]Path, error) {
	cypher, err := traceCypher(t)
	if err != nil {
		return nil, err
	}
	return readAll(ctx, s, cypher+"\nRETURN "+pathProjection, traceParams(t), func(v []any) (Path, bool) {
		return decodePath(v[0], v[1]), true
	})
}

// Influence is a chain by which a lever, statute, programme or commitment
// affects a kind of mutual.
type Influence struct {
	// Lever is where the chain starts.
	Lever         Node
	Jurisdictions []Jurisdiction
	Orders        []string
	// Effect is the effect of the chain's last step, onto the kind.
	Effect string
	Chain  Path
	// Ends counts the chains of its end, when the filter bounds them per
	// end (InfluenceFilter.PerEnd).
	Ends int
}

// allStated holds for a path p whose every link its sources state.
const allStated = "all(r IN relationships(p) WHERE r.evidence = '" + Stated + "')"

// Stated reports a path whose every link its sources state.
func (p Path) Stated() bool {
	for _, h := range p.Hops {
		if !h.IsStated() {
			return false
		}
	}
	return true
}

// InfluenceFilter narrows influences; an empty field does not filter.
type InfluenceFilter struct {
	Kinds         []string
	Orders        []string
	Jurisdictions []string
	AsOf          *time.Time
	// IncludeUndated keeps, with AsOf, the steps that have no first date.
	IncludeUndated bool
	// Stated keeps only the chains whose every link its sources state.
	Stated bool
	// Through keeps only the chains that start at or pass through the
	// node of this id.
	Through string
	// Limit bounds how many chains come back; 0 means all.
	Limit int
	// PerEnd, when not 0, bounds the chains that come back of each end:
	// the kind they reach, their effect and the label of the measure whose
	// AFFECTS ends them (see ChainEnd). Each says how many its end has.
	PerEnd int
}

// chainSteps are the relationships a chain follows before its last step, an
// AFFECTS: a commitment advances a lever or programme, a lever is realised
// by a statute or programme, a statute establishes a programme or right.
// MaxChainSteps bounds them.
const (
	chainSteps    = "ADVANCES|REALISED_BY|ESTABLISHES"
	MaxChainSteps = 3
)

// Influences returns every chain from a lever, statute, programme,
// procurement programme or commitment, through up to MaxChainSteps advances
// or realisations, to an AFFECTS onto a kind of mutual; shortest first.
func (s *Store) Influences(ctx context.Context, f InfluenceFilter) ([]Influence, error) {
	return readAll(ctx, s, influencesCypher(f)+"\nRETURN "+influenceColumns+", ends\nORDER BY "+chainOrder, chainParams(f), func(v []any) (Influence, bool) {
		in, ok := decodeInfluence(v)
		in.Ends = int(asInt(v[7]))
		return in, ok
	})
}

// influenceColumns return a chain p from x, held by js, as decodeInfluence
// reads it.
var influenceColumns = labelOf("x") + ` AS label, properties(x) AS props, last(relationships(p)).effect AS effect,
  [j IN js | properties(j)] AS jurisdictions, [j IN js | ` + orderCypher + `] AS orders, ` + pathProjection

// decodeInfluence reads a chain from the values of influenceColumns.
func decodeInfluence(v []any) (Influence, bool) {
	lever, ok := decodeRecord(v[0], v[1])
	if !ok {
		return Influence{}, false
	}
	effect, _ := v[2].(string)
	in := Influence{Lever: lever, Effect: effect, Chain: decodePath(v[5], v[6])}
	js, _ := v[3].([]any)
	seen := map[string]bool{}
	for _, raw := range js {
		props, _ := raw.(map[string]any)
		if j, ok := decodeNode(LabelJurisdiction, props); ok && !seen[j.GetID()] {
			seen[j.GetID()] = true
			in.Jurisdictions = append(in.Jurisdictions, j.(Jurisdiction))
		}
	}
	in.Orders = Distinct(v[4])
	return in, true
}

// influencesCypher matches the chains p from x that the filter keeps, up
// to its limit, in chainOrder, with the jurisdictions that hold x, js. The
// chains are filtered with existence tests and cut to the limit before
// anything is projected: the jurisdictions and the path's properties are
// read for the chains returned, not for every chain.
func influencesCypher(f InfluenceFilter) string {
	if f.PerEnd > 0 {
		// Only the first chains of each end are projected; ends counts
		// them all. Each end's chains are sorted apart, keeping only the
		// first: sorting every chain at once would hold them all with
		// their sort keys, several times the memory.
		return chainsCypher(f) + `
WITH k, last(relationships(p)).effect AS effect, ` + labelOf("m") + ` AS means, collect(p) AS endChains
CALL (endChains) {
  UNWIND endChains AS p
  WITH p, nodes(p)[0] AS x ORDER BY ` + chainOrder + `
  LIMIT $perEnd
  RETURN collect(p) AS first
}
UNWIND first AS p
WITH nodes(p)[0] AS x, p, size(endChains) AS ends
WITH x, p, ends ORDER BY ` + chainOrder + `
LIMIT $limit
WITH x, p, ends, ` + jurisdictionsCypher
	}
	return chainsCypher(f) + `
WITH x, p ORDER BY ` + chainOrder + `
LIMIT $limit
WITH x, p, 0 AS ends, ` + jurisdictionsCypher
}

// chainOrder orders chains shortest first, then by lever and kind, then by
// the ids along the way, so that chains always come in one order.
const chainOrder = "length(p), x.id, last(nodes(p)).id, [n IN nodes(p) | n.id]"

// chainsCypher matches every chain p from a lever-like x to a kind of
// mutual k that the filter keeps. Only the filter's conditions are written
// out, so that the planner sees a kind's id and starts there, walking back
// along its few AFFECTS, rather than from every lever, statute and
// programme.
func chainsCypher(f InfluenceFilter) string {
	held := func(cond string) string {
		return "(EXISTS { MATCH (x)-[:HELD_BY]->(j:Jurisdiction) WHERE " + cond + " }" +
			" OR EXISTS { MATCH (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) WHERE " + cond + " })"
	}
	kinds := ""
	if len(f.Kinds) > 0 {
		kinds = " WHERE k.id IN $kinds"
	}
	conds := []string{leverLikeX}
	if f.AsOf != nil {
		conds = append(conds, "all(n IN nodes(p) WHERE "+inEffect("n")+")")
	}
	if f.Stated {
		conds = append(conds, allStated)
	}
	if len(f.Orders) > 0 {
		conds = append(conds, held(orderCypher+" IN $orders"))
	}
	if len(f.Jurisdictions) > 0 {
		conds = append(conds, held("j.id IN $jurisdictions"))
	}
	if f.Through != "" {
		conds = append(conds, "any(n IN nodes(p) WHERE n.id = $through)")
	}
	return `MATCH (k:MutualKind)` + kinds + "\n" + chainPattern + `
WHERE ` + strings.Join(conds, "\n  AND ")
}

// labelTest is the Cypher test that v has one of the labels.
func labelTest(v string, labels []Label) string {
	return "(" + v + ":" + strings.Join(asStrings(labels), " OR "+v+":") + ")"
}

// asStrings are the names of labels or relationship types.
func asStrings[T ~string](names []T) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return out
}

// chainPattern matches a chain p from x to the kind k; leverLikeX keeps
// those that start at a lever, statute, programme, procurement programme
// or commitment.
var (
	chainPattern = `MATCH p = (x)-[:` + chainSteps + `]->{0,` + strconv.Itoa(MaxChainSteps) + `}(m)-[:AFFECTS]->(k)`
	leverLikeX   = labelTest("x", Affecting)
)

// jurisdictionsCypher lists the jurisdictions that hold x, as js: its own,
// or for a commitment its ministries'. Its variable is its own, so that a j
// bound before it does not narrow it.
const jurisdictionsCypher = `[(x)-[:HELD_BY]->(holder:Jurisdiction) | holder] + [(x)<-[:MANDATED]-(:Ministry)-[:OF]->(holder:Jurisdiction) | holder] AS js`

// chainParams are the parameters of chainsCypher.
func chainParams(f InfluenceFilter) map[string]any {
	var asOf any
	if f.AsOf != nil {
		asOf = neo4jDate(*f.AsOf)
	}
	return map[string]any{"kinds": nilIfEmpty(f.Kinds), "orders": nilIfEmpty(f.Orders),
		"jurisdictions": nilIfEmpty(f.Jurisdictions), "asOf": asOf, "includeUndated": f.IncludeUndated, "through": f.Through, "limit": limitOrAll(f.Limit), "perEnd": f.PerEnd}
}

// Bearing sums up the chains from one lever-like node to one kind of
// mutual: how many there are, and the effect of each's last step.
type Bearing struct {
	Kind    string
	Effects []string
	Paths   int
	// Stated counts the chains whose every link its sources state.
	Stated int
}

// LeverBearings is a lever-like node with the orders of government that
// hold it and its bearing on each kind of mutual it affects.
type LeverBearings struct {
	Lever    Node
	Orders   []string
	Bearings []Bearing
}

// Bearings returns, for every lever-like node with a chain the filter
// keeps, its bearings on the kinds of mutual, ordered by id: what an
// influence matrix shows, counted in Neo4j rather than by fetching every
// chain. The filter's Limit does not apply.
func (s *Store) Bearings(ctx context.Context, f InfluenceFilter) ([]LeverBearings, error) {
	return readAll(ctx, s, bearingsCypher(f)+`
RETURN `+labelOf("x")+` AS label, properties(x) AS props, [j IN js | `+orderCypher+`] AS orders, bearings
ORDER BY x.id`, chainParams(f), func(v []any) (LeverBearings, bool) {
		lever, ok := decodeRecord(v[0], v[1])
		return LeverBearings{Lever: lever, Orders: Distinct(v[2]), Bearings: BearingsOf(v[3])}, ok
	})
}

// bearingsCypher sums the chains of chainsCypher up by their lever x, as
// bearings, with the jurisdictions that hold x, js.
func bearingsCypher(f InfluenceFilter) string {
	return chainsCypher(f) + `
WITH x, k.id AS kind, collect(last(relationships(p)).effect) AS effects, count(p) AS paths,
  sum(CASE WHEN ` + allStated + ` THEN 1 ELSE 0 END) AS stated
WITH x, collect({kind: kind, effects: effects, paths: paths, stated: stated}) AS bearings
WITH x, bearings, ` + jurisdictionsCypher
}

// BearingsOf reads the bearings of one lever, as Neo4j returns them.
func BearingsOf(v any) []Bearing {
	raw, _ := v.([]any)
	out := make([]Bearing, 0, len(raw))
	for _, b := range raw {
		m, _ := b.(map[string]any)
		out = append(out, Bearing{Kind: str(m, "kind"), Effects: strList(m, "effects"), Paths: int(asInt(m["paths"])), Stated: int(asInt(m["stated"]))})
	}
	return out
}

// Cell sums up a lever's bearings on one kind of mutual: the strongest
// effect of its chains ("" when none), and how many chains there are, all
// and stated.
type Cell struct {
	Effect        string
	Paths, Stated int
}

// Cells lays a lever's bearings out on the kinds given, one cell each, and
// says whether any of them bears on one of those kinds.
func Cells(kinds []string, bearings []Bearing) ([]Cell, bool) {
	cells := make([]Cell, len(kinds))
	shown := false
	for _, b := range bearings {
		for c, k := range kinds {
			if k != b.Kind {
				continue
			}
			shown = true
			cell := &cells[c]
			cell.Paths += b.Paths
			cell.Stated += b.Stated
			for _, e := range b.Effects {
				if cell.Effect == "" || strength(e) < strength(cell.Effect) {
					cell.Effect = e
				}
			}
		}
	}
	return cells, shown
}

// strength ranks effects, strongest first, as Effects lists them.
func strength(effect string) int {
	if i := slices.Index(Effects, effect); i >= 0 {
		return i
	}
	return len(Effects)
}

// Distinct returns the strings of a Cypher list, each once, in order.
func Distinct(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func nilIfEmpty(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

// limitOrAll is a Cypher LIMIT for n, where 0 means no limit.
func limitOrAll(n int) int64 {
	if n <= 0 {
		return math.MaxInt64
	}
	return int64(n)
}
