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
// j, x, p and js, in the order of k's id, j's id and chainOrder. The chains
// through the node give the candidates and, for a loss, all its chains; a
// candidate is a loss when no sustaining chain from j's levers avoids the
// node, which Neo4j stops looking for at the first it finds.
func lossesCypher(f InfluenceFilter) string {
	stated := ""
	if f.Stated {
		stated = " AND " + allStated
	}
	sustaining := leverLikeX + " AND last(relationships(p)).effect IN $sustaining" + stated
	return `MATCH (k:MutualKind)
` + chainPattern + `
WHERE ` + sustaining + ` AND any(n IN nodes(p) WHERE n.id = $through)
WITH k, x, p, ` + jurisdictionsCypher + `
UNWIND [i IN range(0, size(js) - 1) WHERE NOT js[i] IN js[0..i] | js[i]] AS j
WITH k, j, collect({x: x, p: p}) AS cs
WHERE NOT EXISTS {
  ` + chainPattern + `
  WHERE ` + sustaining + ` AND none(n IN nodes(p) WHERE n.id = $through)
    AND (EXISTS { (x)-[:HELD_BY]->(j) } OR EXISTS { (x)<-[:MANDATED]-(:Ministry)-[:OF]->(j) })
}
UNWIND cs AS c
WITH k, j, c.x AS x, c.p AS p ORDER BY k.id, j.id, ` + chainOrder + `
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
