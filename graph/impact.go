package graph

import "context"

// Sustaining are the effects whose loss an impact reports: a kind of mutual
// losing every chain that enables or funds it from a jurisdiction.
var Sustaining = []string{"ENABLES", "FUNDS"}

// Loss is what a kind of mutual would lose without a node: every chain by
// which a jurisdiction's levers enable or fund it runs through that node.
type Loss struct {
	Kind         MutualKind
	Jurisdiction Jurisdiction
	// Chains are those chains, in chainOrder.
	Chains []Influence
}

// lossesCypher matches the losses of the node f.Through, with f.Stated:
// for each kind of mutual k and jurisdiction j whose every sustaining
// chain from a lever j holds runs through it, those chains, as rows of k,
// j, x, p and js, in the order of k's id, j's id and chainOrder. Only the
// kinds and jurisdictions of a sustaining chain through the node are
// looked at again.
func lossesCypher(f InfluenceFilter) string {
	stated := ""
	if f.Stated {
		stated = " AND " + allStated
	}
	sustaining := leverLikeX + " AND last(relationships(p)).effect IN $sustaining" + stated
	return `MATCH (k:MutualKind)
` + chainPattern + `
WHERE ` + sustaining + ` AND any(n IN nodes(p) WHERE n.id = $through)
WITH k, x, ` + jurisdictionsCypher + `
UNWIND js AS j
WITH DISTINCT k, j
` + chainPattern + `
WHERE ` + sustaining + `
  AND (EXISTS { (x)-[:HELD_BY]->(j) } OR EXISTS { (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j) })
WITH k, j, x, p ORDER BY k.id, j.id, ` + chainOrder + `
WITH k, j, collect({x: x, p: p}) AS cs
WHERE all(c IN cs WHERE any(n IN nodes(c.p) WHERE n.id = $through))
UNWIND cs AS c
WITH k, j, c.x AS x, c.p AS p
WITH k, j, x, p, ` + jurisdictionsCypher
}

// lossParams are the parameters of lossesCypher.
func lossParams(f InfluenceFilter) map[string]any {
	return map[string]any{"through": f.Through, "sustaining": Sustaining}
}

// Losses returns the losses of the node f.Through: the kinds of mutual
// whose every enabling or funding chain from a jurisdiction runs through
// it, by kind and jurisdiction id; with f.Stated, of the stated chains.
func (s *Store) Losses(ctx context.Context, f InfluenceFilter) ([]Loss, error) {
	records, err := s.read(ctx, lossesCypher(f)+"\nRETURN properties(k) AS kind, properties(j) AS jurisdiction, "+influenceColumns, lossParams(f))
	if err != nil {
		return nil, err
	}
	var out []Loss
	for _, r := range records {
		in, ok := decodeInfluence(r.Values[2:])
		k, kok := decodeNode(LabelMutualKind, asMap(r.Values[0]))
		j, jok := decodeNode(LabelJurisdiction, asMap(r.Values[1]))
		if !ok || !kok || !jok {
			continue
		}
		if n := len(out); n == 0 || out[n-1].Kind.ID != k.GetID() || out[n-1].Jurisdiction.ID != j.GetID() {
			out = append(out, Loss{Kind: k.(MutualKind), Jurisdiction: j.(Jurisdiction)})
		}
		out[len(out)-1].Chains = append(out[len(out)-1].Chains, in)
	}
	return out, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
