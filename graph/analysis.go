package graph

import (
	"context"
	"math"
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

// Hit is a full-text search result.
type Hit struct {
	Node  Node
	Label Label
	Score float64
}

// luceneSpecial are the characters Lucene's query parser gives a meaning.
const luceneSpecial = `+-&|!(){}[]^"~*?:\/`

// searchQuery turns a user's words into a Lucene query in which every word
// must match, literally, and the last may be a prefix (as one types). The
// words are escaped, so no input can change the query's structure.
func searchQuery(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		var b strings.Builder
		for _, r := range w {
			if strings.ContainsRune(luceneSpecial, r) {
				b.WriteRune('\\')
			}
			b.WriteRune(r)
		}
		words[i] = "+" + b.String()
		if i == len(words)-1 {
			words[i] = "+(" + b.String() + " OR " + b.String() + "*)"
		}
	}
	return strings.Join(words, " ")
}

// Search finds entities whose names or descriptions match the text, best
// first, optionally only of some labels.
func (s *Store) Search(ctx context.Context, text string, labels []Label, first int) ([]Hit, error) {
	q := searchQuery(text)
	if q == "" {
		return nil, Errorf(CodeBadInput, "search text has no words")
	}
	var only []string
	for _, l := range labels {
		only = append(only, string(l))
	}
	records, err := s.read(ctx, `CALL db.index.fulltext.queryNodes('`+fullTextIndex+`', $q) YIELD node AS n, score
WITH n, score, `+labelOf("n")+` AS label
WHERE $labels IS NULL OR label IN $labels
RETURN label, properties(n) AS props, score
ORDER BY score DESC, n.id
LIMIT $first`, map[string]any{"q": q, "labels": nilIfEmpty(only), "first": first})
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, 0, len(records))
	for _, r := range records {
		n, ok := decodeRecord(r.Values[0], r.Values[1])
		score, _ := r.Values[2].(float64)
		if ok {
			label, _ := r.Values[0].(string)
			hits = append(hits, Hit{Node: n, Label: Label(label), Score: score})
		}
	}
	return hits, nil
}

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

// Trace returns up to first paths between two nodes, shortest first, of at
// most maxHops relationships of the given types (any, when none), followed
// in either direction.
func (s *Store) Trace(ctx context.Context, from, to string, maxHops int, via []RelType, first int) ([]Path, error) {
	if maxHops < 1 || maxHops > MaxHops {
		return nil, Errorf(CodeBadInput, "maxHops must be between 1 and %d", MaxHops)
	}
	types := ""
	if len(via) > 0 {
		names := make([]string, len(via))
		for i, t := range via {
			names[i] = string(t)
		}
		types = ":" + strings.Join(names, "|")
	}
	// One branch per length, shortest first, each stopping at the limit:
	// the outer LIMIT stops pulling rows once it has enough, so longer
	// branches run only while shorter ones found too few. The work is
	// bounded by first and maxHops, not by how many paths a hub lies on, as
	// it is when SHORTEST k searches from both ends. The hop counts and the
	// types are spliced: Cypher takes neither as a parameter, and both come
	// from validated, closed sets.
	branches := make([]string, maxHops)
	for i := range branches {
		branches[i] = "  MATCH p = (a)-[" + types + "]-{" + strconv.Itoa(i+1) + "}(b) RETURN p LIMIT $first"
	}
	records, err := s.read(ctx, `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
CALL (a, b) {
`+strings.Join(branches, "\n  UNION ALL\n")+`
}
WITH p LIMIT $first
RETURN `+pathProjection, map[string]any{"from": from, "to": to, "first": first})
	if err != nil {
		return nil, err
	}
	paths := make([]Path, len(records))
	for i, r := range records {
		paths[i] = decodePath(r.Values[0], r.Values[1])
	}
	return paths, nil
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
}

// InfluenceFilter narrows influences; an empty field does not filter.
type InfluenceFilter struct {
	Kinds         []string
	Orders        []string
	Jurisdictions []string
	AsOf          *time.Time
	// Limit bounds how many chains come back; 0 means all.
	Limit int
}

// chainSteps are the relationships a chain follows before its last step, an
// AFFECTS: a commitment advances a lever or programme, a lever is realised
// by a statute or programme. MaxChainSteps bounds them.
const (
	chainSteps    = "ADVANCES|REALISED_BY"
	MaxChainSteps = 3
)

// Influences returns every chain from a lever, statute, programme,
// procurement programme or commitment, through up to MaxChainSteps advances
// or realisations, to an AFFECTS onto a kind of mutual; shortest first.
func (s *Store) Influences(ctx context.Context, f InfluenceFilter) ([]Influence, error) {
	var asOf any
	if f.AsOf != nil {
		asOf = neo4jDate(*f.AsOf)
	}
	// The chains are filtered with existence tests and cut to the limit
	// before anything is projected: the jurisdictions and the path's
	// properties are read for the chains returned, not for every chain.
	held := func(cond string) string {
		return "(EXISTS { MATCH (x)-[:HELD_BY]->(j:Jurisdiction) WHERE " + cond + " }" +
			" OR EXISTS { MATCH (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) WHERE " + cond + " })"
	}
	records, err := s.read(ctx, `MATCH (k:MutualKind) WHERE $kinds IS NULL OR k.id IN $kinds
MATCH p = (x)-[:`+chainSteps+`]->{0,`+strconv.Itoa(MaxChainSteps)+`}(m)-[:AFFECTS]->(k)
WHERE (x:Lever OR x:Statute OR x:Programme OR x:ProcurementProgramme OR x:MandateCommitment)
  AND all(n IN nodes(p) WHERE `+inEffect("n")+`)
  AND ($orders IS NULL OR `+held(orderCypher+" IN $orders")+`)
  AND ($jurisdictions IS NULL OR `+held("j.id IN $jurisdictions")+`)
WITH x, p ORDER BY length(p), x.id, last(nodes(p)).id
LIMIT $limit
WITH x, p, [(x)-[:HELD_BY]->(j:Jurisdiction) | j] + [(x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) | j] AS js
RETURN `+labelOf("x")+` AS label, properties(x) AS props, last(relationships(p)).effect AS effect,
  [j IN js | properties(j)] AS jurisdictions, [j IN js | `+orderCypher+`] AS orders, `+pathProjection+`
ORDER BY length(p), x.id, last(nodes(p)).id`, map[string]any{
		"kinds": nilIfEmpty(f.Kinds), "orders": nilIfEmpty(f.Orders), "jurisdictions": nilIfEmpty(f.Jurisdictions), "asOf": asOf,
		"limit": limitOrAll(f.Limit),
	})
	if err != nil {
		return nil, err
	}
	out := make([]Influence, 0, len(records))
	for _, r := range records {
		lever, ok := decodeRecord(r.Values[0], r.Values[1])
		if !ok {
			continue
		}
		in := Influence{Lever: lever, Effect: str(r.AsMap(), "effect"), Chain: decodePath(r.Values[5], r.Values[6])}
		js, _ := r.Values[3].([]any)
		seen := map[string]bool{}
		for _, raw := range js {
			props, _ := raw.(map[string]any)
			if j, ok := decodeNode(LabelJurisdiction, props); ok && !seen[j.GetID()] {
				seen[j.GetID()] = true
				in.Jurisdictions = append(in.Jurisdictions, j.(Jurisdiction))
			}
		}
		orders, _ := r.Values[4].([]any)
		seenOrder := map[string]bool{}
		for _, o := range orders {
			if s, ok := o.(string); ok && !seenOrder[s] {
				seenOrder[s] = true
				in.Orders = append(in.Orders, s)
			}
		}
		out = append(out, in)
	}
	return out, nil
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
