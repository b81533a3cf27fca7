package main

import (
	"encoding/base64"
	"fmt"

	"github.com/psmgraph/psmgraph/graph/fulltext"
	"github.com/psmgraph/psmgraph/internal/shape"
)

// misspelt is the text of the misspelt search.
const misspelt = "cooperatve" //nolint:misspell // the question is a misspelling

// searchFloor asks one full-text index the query psmgraph's search would
// ask it for the text.
func searchFloor(index fulltext.Index, text string, query func(fulltext.Query) string) string {
	q, err := fulltext.Parse(text)
	if err != nil {
		panic(err)
	}
	return "CALL db.index.fulltext.queryNodes('" + index.Name + "', '" + query(q) + "') YIELD node, score\n" +
		"RETURN node.id AS id, node.name AS name, score ORDER BY score DESC, node.id LIMIT 20"
}

// operation is one question, asked of psmgraph, of the peer (when both can
// answer it) and of Neo4j directly through hand-written Cypher, the floor.
// Each side's query is written as its users would write it; the floor's
// as well as we know how, so that it stays a floor: where psmgraph found a
// faster form (reading a list in id order from the index, a trace one
// length at a time), the floor uses it too.
type operation struct {
	name     string
	psmgraph string
	peer     string // "" for psmgraph's own operations
	floor    string
}

// pageAfter is where the connection page starts: the mutual of that number,
// or the middle of a small set.
func pageAfter(mutuals int) int { return min(1000, mutuals/2) }

// operations are the benchmark's questions about a generated set with the
// given number of mutuals; the landmark ids are in every such set.
func operations(mutuals int) []operation {
	after := pageAfter(mutuals)
	psmCursor := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "id:mutual:m%07d", after))
	// The library pages by offset: its cursor is the position of the edge
	// before the page, from 0.
	peerCursor := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "arrayconnection:%d", after-1))
	return []operation{
		{
			name:     "filtered list",
			psmgraph: `{ programmes(first: 20, where: {kind: {eq: FUNDING}, budget: {gte: 1000000}}) { edges { node { id name kind budget } } } }`,
			peer:     `{ programmes(where: {kind: {eq: FUNDING}, budget: {gte: 1000000}}, sort: [{id: ASC}], limit: 20) { id name kind budget } }`,
			floor: `MATCH (n:Programme) USING INDEX n:Programme(id) WHERE n.id > '' AND n.kind = 'FUNDING' AND n.budget >= 1000000
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.budget AS budget ORDER BY n.id LIMIT 20`,
		},
		{
			name: "3-level nested",
			psmgraph: `{ statutes(first: 10) { edges { node { id name affects(first: 5) { edges { effect rationale node { id name
			  challenges(first: 5) { edges { rationale node { id name } } } } } } } } } }`,
			peer: `{ statutes(sort: [{id: ASC}], limit: 10) { id name affectsConnection(first: 5, sort: [{node: {id: ASC}}]) {
			  edges { properties { effect rationale } node { id name
			  challengesConnection(first: 5, sort: [{node: {id: ASC}}]) { edges { properties { rationale } node { id name } } } } } } } }`,
			floor: `MATCH (s:Statute) WITH s ORDER BY s.id LIMIT 10
RETURN s.id AS id, s.name AS name, COLLECT {
  MATCH (s)-[a:AFFECTS]->(k:MutualKind) WITH a, k ORDER BY k.id LIMIT 5
  RETURN {effect: a.effect, rationale: a.rationale, id: k.id, name: k.name, challenges: COLLECT {
    MATCH (k)-[f:FACES]->(c:Challenge) WITH f, c ORDER BY c.id LIMIT 5
    RETURN {rationale: f.rationale, id: c.id, name: c.name} }}
} AS affects`,
		},
		{
			name: "edge filter",
			psmgraph: `{ statutes(first: 10) { edges { node { id name affects(first: 5, edgeWhere: {effect: {in: [REGULATES, CONSTRAINS]}}) {
			  edges { effect node { id name } } } } } } }`,
			peer: `{ statutes(sort: [{id: ASC}], limit: 10) { id name affectsConnection(first: 5, where: {edge: {effect: {in: [REGULATES, CONSTRAINS]}}},
			  sort: [{node: {id: ASC}}]) { edges { properties { effect } node { id name } } } } }`,
			floor: `MATCH (s:Statute) WITH s ORDER BY s.id LIMIT 10
RETURN s.id AS id, s.name AS name, COLLECT {
  MATCH (s)-[a:AFFECTS]->(k:MutualKind) WHERE a.effect IN ['REGULATES', 'CONSTRAINS'] WITH a, k ORDER BY k.id LIMIT 5
  RETURN {effect: a.effect, id: k.id, name: k.name}
} AS affects`,
		},
		{
			// Figures over a filtered list, not a page of it.
			name: "aggregate",
			psmgraph: `{ mutuals(where: {ownership: {eq: EMPLOYEE}}) { aggregate { count
			  founded: number(of: FOUNDED) { min max sum average } } } }`,
			peer: `{ mutuals: mutualsConnection(where: {ownership: {eq: EMPLOYEE}}) { aggregate { count { nodes }
			  node { founded { min max sum average } } } } }`,
			floor: `MATCH (n:Mutual) WHERE n.ownership = 'EMPLOYEE'
RETURN count(*) AS count, min(n.founded) AS min, max(n.founded) AS max, sum(n.founded) AS sum, avg(n.founded) AS average`,
		},
		{
			// Each of a page's nodes counts its links, those of one effect
			// too.
			name: "nested aggregate",
			psmgraph: `{ statutes(first: 10) { edges { node { id affects { aggregate { count } }
			  constrains: affects(edgeWhere: {effect: {in: [REGULATES, CONSTRAINS]}}) { aggregate { count } } } } } }`,
			peer: `{ statutes(sort: [{id: ASC}], limit: 10) { id affects: affectsConnection { aggregate { count { nodes } } }
			  constrains: affectsConnection(where: {edge: {effect: {in: [REGULATES, CONSTRAINS]}}}) { aggregate { count { nodes } } } } }`,
			floor: `MATCH (s:Statute) WITH s ORDER BY s.id LIMIT 10
RETURN s.id AS id, COUNT { (s)-[:AFFECTS]->(:MutualKind) } AS affects,
  COUNT { (s)-[a:AFFECTS]->(:MutualKind) WHERE a.effect IN ['REGULATES', 'CONSTRAINS'] } AS constrains`,
		},
		{
			name:     "page + totalCount",
			psmgraph: `{ mutuals(first: 10, after: "` + psmCursor + `") { totalCount edges { node { id name ownership } } pageInfo { hasNextPage endCursor } } }`,
			peer:     `{ mutualsConnection(first: 10, after: "` + peerCursor + `", sort: [{id: ASC}]) { totalCount edges { node { id name ownership } } pageInfo { hasNextPage endCursor } } }`,
			floor: fmt.Sprintf(`MATCH (n:Mutual) WITH count(n) AS total
CALL { MATCH (n:Mutual) WHERE n.id > 'mutual:m%07d' RETURN n ORDER BY n.id LIMIT 11 }
RETURN total, collect({id: n.id, name: n.name, ownership: n.ownership}) AS nodes`, after),
		},
		{
			name: "relationship filter",
			psmgraph: `{ mutuals(first: 10, where: {supportedBy: {some: {kind: {in: [CAPITAL, FUNDING]}}}, sectors: {some: {id: {in: ["sector:child-care", "sector:health-care"]}}}}) {
			  edges { node { id name } } } }`,
			peer: `{ mutuals(where: {supportedBy: {some: {kind: {in: [CAPITAL, FUNDING]}}}, sectors: {some: {id: {in: ["sector:child-care", "sector:health-care"]}}}}, sort: [{id: ASC}], limit: 10) { id name } }`,
			floor: `MATCH (n:Mutual) USING INDEX n:Mutual(id)
WHERE n.id > '' AND EXISTS { (n)-[:SUPPORTED_BY]->(p:Programme) WHERE p.kind IN ['CAPITAL', 'FUNDING'] }
  AND EXISTS { (n)-[:SERVES]->(s:Sector) WHERE s.id IN ['sector:child-care', 'sector:health-care'] }
RETURN n.id AS id, n.name AS name ORDER BY n.id LIMIT 10`,
		},
		{
			name:     "sorted list",
			psmgraph: `{ mutuals(first: 20, orderBy: [{field: NAME}]) { edges { node { id name } } } }`,
			peer:     `{ mutuals(sort: [{name: ASC}, {id: ASC}], limit: 20) { id name } }`,
			floor:    `MATCH (n:Mutual) WHERE n.name IS NOT NULL RETURN n.id AS id, n.name AS name ORDER BY n.name, n.id LIMIT 20`,
		},
		{
			// A year some mutuals may lack: the floor's plain ORDER BY sorts
			// every mutual; psmgraph reads those with a year from its index.
			name:     "sorted by year",
			psmgraph: `{ mutuals(first: 20, orderBy: [{field: FOUNDED}]) { edges { node { id name founded } } } }`,
			peer:     `{ mutuals(sort: [{founded: ASC}, {id: ASC}], limit: 20) { id name founded } }`,
			floor:    `MATCH (n:Mutual) RETURN n.id AS id, n.name AS name, n.founded AS founded ORDER BY n.founded, n.id LIMIT 20`,
		},
		{
			// Newest first: Cypher puts the mutuals without a year first,
			// which no index holds. The floor reads every mutual's year;
			// psmgraph finds that none lacks one by counting the index.
			name:     "newest first",
			psmgraph: `{ mutuals(first: 20, orderBy: [{field: FOUNDED, direction: DESC}]) { edges { node { id name founded } } } }`,
			peer:     `{ mutuals(sort: [{founded: DESC}, {id: ASC}], limit: 20) { id name founded } }`,
			floor:    `MATCH (n:Mutual) RETURN n.id AS id, n.name AS name, n.founded AS founded ORDER BY n.founded DESC, n.id LIMIT 20`,
		},
		{
			name: "filtered sorted list",
			psmgraph: `{ mutuals(first: 20, where: {founded: {gte: 2015}, ownership: {eq: EMPLOYEE}}, orderBy: [{field: FOUNDED, direction: DESC}]) {
			  edges { node { id name founded } } } }`,
			peer: `{ mutuals(where: {founded: {gte: 2015}, ownership: {eq: EMPLOYEE}}, sort: [{founded: DESC}, {id: ASC}], limit: 20) { id name founded } }`,
			floor: `MATCH (n:Mutual) WHERE n.founded >= 2015 AND n.ownership = 'EMPLOYEE'
RETURN n.id AS id, n.name AS name, n.founded AS founded ORDER BY n.founded DESC, n.id LIMIT 20`,
		},
		{
			name:     "name contains",
			psmgraph: `{ mutuals(first: 20, where: {name: {contains: "care"}}) { edges { node { id name } } } }`,
			peer:     `{ mutuals(where: {name: {contains: "care"}}, sort: [{id: ASC}], limit: 20) { id name } }`,
			floor: `MATCH (n:Mutual) USING INDEX n:Mutual(id) WHERE n.id > '' AND n.name CONTAINS 'care'
RETURN n.id AS id, n.name AS name ORDER BY n.id LIMIT 20`,
		},
		{
			// Every programme's French name holds the words. The floor asks
			// one index; psmgraph asks four and merges, by match and score.
			name:     "search",
			psmgraph: `{ search(text: "économie sociale", first: 20) { type match score node { id name } } }`,
			floor:    searchFloor(fulltext.French, "économie sociale", func(q fulltext.Query) string { return q.French }),
		},
		{
			// Nothing matches as written, so psmgraph also asks for words
			// spelt nearly alike; the floor asks only that.
			name:     "search misspelt",
			psmgraph: `{ search(text: "` + misspelt + `", first: 20) { type match score node { id name } } }`,
			floor:    searchFloor(fulltext.Words, misspelt, func(q fulltext.Query) string { return q.Similar }),
		},
		{
			name: "gaps",
			psmgraph: `{ gaps(kind: "` + shape.Kind + `", jurisdictions: ["jurisdiction:ca", "jurisdiction:ca-on"]) {
			  challenge { id name } unaddressed mitigations { measure { id name } mitigates { rationale } heldBy { to { id } } } } }`,
			floor: `MATCH (k:MutualKind {id: '` + shape.Kind + `'})-[f:FACES]->(c:Challenge)
RETURN c.id AS id, c.name AS name, COLLECT {
  MATCH (x)-[m:MITIGATES]->(c) WHERE EXISTS { (x)-[:HELD_BY]->(j:Jurisdiction) WHERE j.id IN ['jurisdiction:ca', 'jurisdiction:ca-on'] }
  RETURN {id: x.id, name: x.name, rationale: m.rationale, held: [(x)-[:HELD_BY]->(j:Jurisdiction) WHERE j.id IN ['jurisdiction:ca', 'jurisdiction:ca-on'] | j.id]}
  ORDER BY x.id
} AS mitigations ORDER BY c.id`,
		},
		{
			// The floor reads both sides' chains in one pass and leaves
			// the grouping to the client.
			name: "compare",
			psmgraph: `{ compare(left: {jurisdictions: ["jurisdiction:gb"]}, right: {orders: [FEDERAL, PROVINCIAL]}) {
			  kind { id } leftOnly { effect means chains { lever { id } } } rightOnly { effect means chains { lever { id } } } both { effect means } } }`,
			floor: `MATCH (k:MutualKind)
MATCH p = (x)-[:ADVANCES|REALISED_BY|ESTABLISHES]->{0,3}(m)-[a:AFFECTS]->(k)
WHERE (x:Lever OR x:Statute OR x:Programme OR x:ProcurementProgramme OR x:MandateCommitment)
WITH k, x, m, a, EXISTS { (x)-[:HELD_BY]->(:Jurisdiction {id: 'jurisdiction:gb'}) } AS left,
  (EXISTS { (x)-[:HELD_BY]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level IN ['NATIONAL', 'PROVINCIAL'] }
    OR EXISTS { (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level IN ['NATIONAL', 'PROVINCIAL'] }) AS right
WHERE left OR right
RETURN k.id AS kind, a.effect AS effect, [l IN labels(m) WHERE l <> 'Entity'][0] AS means, x.id AS lever, left, right`,
		},
		{
			// The floor finds the chains through the lever; psmgraph also
			// weighs every enabling or funding chain of the kinds they reach.
			name:     "impact",
			psmgraph: `{ impact(id: "` + shape.Lever + `") { chains { lever { id } effect } losses { kind { id } jurisdiction { id } chains { lever { id } } } } }`,
			floor: `MATCH (k:MutualKind)
MATCH p = (x)-[:ADVANCES|REALISED_BY|ESTABLISHES]->{0,3}(m)-[a:AFFECTS]->(k)
WHERE (x:Lever OR x:Statute OR x:Programme OR x:ProcurementProgramme OR x:MandateCommitment)
  AND any(n IN nodes(p) WHERE n.id = '` + shape.Lever + `')
RETURN x.id AS lever, k.id AS kind, a.effect AS effect`,
		},
		{
			name:     "trace",
			psmgraph: `{ trace(from: "` + shape.Commitment + `", to: "` + shape.Kind + `", maxHops: 3, first: 10) { length nodes { id name } hops { type rationale } } }`,
			floor: `MATCH (a:Entity {id: '` + shape.Commitment + `'}), (b:Entity {id: '` + shape.Kind + `'})
CALL (a, b) {
  MATCH p = (a)-[]-{1}(b) RETURN p LIMIT 10
  UNION ALL
  MATCH p = (a)-[]-{2}(b) RETURN p LIMIT 10
  UNION ALL
  MATCH p = (a)-[]-{3}(b) RETURN p LIMIT 10
}
WITH p LIMIT 10
RETURN [n IN nodes(p) | {id: n.id, name: n.name}] AS nodes, [r IN relationships(p) | {type: type(r), rationale: r.rationale}] AS hops`,
		},
		{
			name:     "leversAffecting",
			psmgraph: `{ leversAffecting(kind: "` + shape.Kind + `", orders: [FEDERAL], first: 100) { lever { id name } effect chain { nodes { id } } } }`,
			floor: `MATCH (k:MutualKind {id: '` + shape.Kind + `'})
MATCH p = (x)-[:ADVANCES|REALISED_BY|ESTABLISHES]->{0,3}(m)-[:AFFECTS]->(k)
WHERE (x:Lever OR x:Statute OR x:Programme OR x:ProcurementProgramme OR x:MandateCommitment)
  AND (EXISTS { (x)-[:HELD_BY]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level = 'NATIONAL' }
    OR EXISTS { (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level = 'NATIONAL' })
RETURN x.id AS id, x.name AS name, last(relationships(p)).effect AS effect, [n IN nodes(p) | n.id] AS chain
ORDER BY length(p), x.id LIMIT 100`,
		},
		{
			name:     "influenceMatrix",
			psmgraph: `{ influenceMatrix(orders: [FEDERAL]) { kinds { id } rows { lever { id name } cells { effect paths } } } }`,
			floor: `MATCH p = (x)-[:ADVANCES|REALISED_BY|ESTABLISHES]->{0,3}(m)-[:AFFECTS]->(k:MutualKind)
WHERE (x:Lever OR x:Statute OR x:Programme OR x:ProcurementProgramme OR x:MandateCommitment)
  AND (EXISTS { (x)-[:HELD_BY]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level = 'NATIONAL' }
    OR EXISTS { (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j:Jurisdiction) WHERE j.country = 'CA' AND j.level = 'NATIONAL' })
RETURN x.id AS id, x.name AS name, k.id AS kind, collect(last(relationships(p)).effect) AS effects, count(p) AS paths`,
		},
	}
}
