package graph

import "context"

// GapsQuery asks what a kind of mutual faces in some jurisdictions and what
// answers it there.
type GapsQuery struct {
	Kind string
	// Jurisdictions are the ids of the jurisdictions whose measures count.
	Jurisdictions []string
	// Stated keeps only links their sources state: the kind's FACES, the
	// measure's MITIGATES and HELD_BY.
	Stated bool
	// Unaddressed keeps only the challenges nothing held there mitigates.
	Unaddressed bool
}

// MaxGapJurisdictions bounds the jurisdictions of one gaps question.
const MaxGapJurisdictions = 50

// Gap is a challenge a kind of mutual faces, with the measures held by the
// jurisdictions asked that mitigate it: none, and it is a gap.
type Gap struct {
	Challenge   Node
	Faces       Hop
	Mitigations []Mitigation
}

// Mitigation is a measure that mitigates a challenge, with the links by
// which the jurisdictions asked hold it.
type Mitigation struct {
	Measure   Node
	Mitigates Hop
	HeldBy    []Hop
}

// gapsCypher matches each challenge c the kind k faces by f, as rows in
// the challenges' id order, with ms: what mitigation returns of each
// measure x that mitigates c by m and that the jurisdictions asked hold,
// in id order; held is what held returns of each of its HELD_BY links h to
// a jurisdiction j asked, in their id order.
func gapsCypher(held, mitigation string) string {
	return `MATCH (k:MutualKind {id: $kind})-[f:FACES]->(c:Challenge)
WHERE NOT $stated OR f.evidence = '` + Stated + `'
WITH k, f, c, COLLECT {
  MATCH (x)-[m:MITIGATES]->(c) WHERE NOT $stated OR m.evidence = '` + Stated + `'
  WITH x, m, COLLECT {
    MATCH (x)-[h:HELD_BY]->(j:Jurisdiction)
    WHERE j.id IN $jurisdictions AND (NOT $stated OR h.evidence = '` + Stated + `')
    WITH h, j ORDER BY j.id
    RETURN ` + held + `
  } AS held
  WHERE size(held) > 0
  WITH x, m, held ORDER BY x.id
  RETURN ` + mitigation + `
} AS ms
WITH k, f, c, ms WHERE NOT $unaddressed OR size(ms) = 0
WITH k, f, c, ms ORDER BY c.id`
}

// gapParams are the parameters of gapsCypher.
func gapParams(q GapsQuery) map[string]any {
	return map[string]any{"kind": q.Kind, "jurisdictions": q.Jurisdictions, "stated": q.Stated, "unaddressed": q.Unaddressed}
}

// Gaps answers a gaps question: nothing when the kind is no kind of
// mutual. Too few or too many jurisdictions are a BAD_USER_INPUT error.
func (s *Store) Gaps(ctx context.Context, q GapsQuery) ([]Gap, error) {
	if len(q.Jurisdictions) == 0 || len(q.Jurisdictions) > MaxGapJurisdictions {
		return nil, Errorf(CodeBadInput, "name from 1 to %d jurisdictions", MaxGapJurisdictions)
	}
	cypher := gapsCypher("{to: j.id, props: properties(h)}",
		"{label: "+labelOf("x")+", props: properties(x), mitigates: properties(m), held: held}") +
		"\nRETURN properties(c) AS challenge, properties(f) AS faces, ms"
	return readAll(ctx, s, cypher, gapParams(q), func(v []any) (Gap, bool) {
		c, _ := decodeNode(LabelChallenge, asMap(v[0]))
		g := Gap{Challenge: c, Faces: hop(RelFaces, q.Kind, c.GetID(), asMap(v[1]))}
		ms, _ := v[2].([]any)
		for _, raw := range ms {
			m := asMap(raw)
			measure, ok := decodeRecord(m["label"], m["props"])
			if !ok {
				continue
			}
			mit := Mitigation{Measure: measure, Mitigates: hop(RelMitigates, measure.GetID(), c.GetID(), asMap(m["mitigates"]))}
			held, _ := m["held"].([]any)
			for _, raw := range held {
				h := asMap(raw)
				mit.HeldBy = append(mit.HeldBy, hop(RelHeldBy, measure.GetID(), str(h, "to"), asMap(h["props"])))
			}
			g.Mitigations = append(g.Mitigations, mit)
		}
		return g, true
	})
}

// hop is a relationship walked from its start to its end.
func hop(t RelType, from, to string, props map[string]any) Hop {
	return Hop{Type: t, From: from, To: to, Forward: true, EdgeProps: decodeEdgeProps(props)}
}
