package resolvers

import (
	"context"
	"slices"

	"github.com/psmgraph/psmgraph/graph"
)

// GapsOf reads gaps' arguments: from 1 to graph.MaxGapJurisdictions
// jurisdictions, in id order, each once.
func GapsOf(kind string, jurisdictions []string, unaddressedOnly, statedOnly *bool) (graph.GapsQuery, error) {
	if len(jurisdictions) == 0 || len(jurisdictions) > graph.MaxGapJurisdictions {
		return graph.GapsQuery{}, graph.Errorf(graph.CodeBadInput, "name from 1 to %d jurisdictions", graph.MaxGapJurisdictions)
	}
	return graph.GapsQuery{Kind: kind, Jurisdictions: slices.Compact(slices.Sorted(slices.Values(jurisdictions))),
		Stated: statedOnly != nil && *statedOnly, Unaddressed: unaddressedOnly != nil && *unaddressedOnly}, nil
}

// gaps answers the gaps question, with the kind and the jurisdictions
// checked: an id that names no kind of mutual, or no jurisdiction, is a
// BAD_USER_INPUT error, as in the other analyses.
func (r *Resolver) gaps(ctx context.Context, q graph.GapsQuery) ([]Gap, error) {
	found, err := r.Store.Nodes(ctx, append([]string{q.Kind}, q.Jurisdictions...))
	if err != nil {
		return nil, err
	}
	if _, ok := found[q.Kind].(graph.MutualKind); !ok {
		return nil, graph.Errorf(graph.CodeBadInput, "%q is not the id of a kind of mutual", q.Kind)
	}
	for _, id := range q.Jurisdictions {
		if _, ok := found[id].(graph.Jurisdiction); !ok {
			return nil, graph.Errorf(graph.CodeBadInput, "%q is not the id of a jurisdiction", id)
		}
	}
	gaps, err := r.Store.Gaps(ctx, q)
	if err != nil {
		return nil, err
	}
	hop := func(h graph.Hop, from, to graph.Node) *Hop {
		out := toHop(h, from, to)
		return &out
	}
	out := make([]Gap, 0, len(gaps))
	for _, g := range gaps {
		challenge, _ := g.Challenge.(graph.Challenge)
		gap := Gap{Challenge: &challenge, Faces: hop(g.Faces, found[q.Kind], g.Challenge),
			Mitigations: []Mitigation{}, Unaddressed: len(g.Mitigations) == 0}
		for _, m := range g.Mitigations {
			mit := Mitigation{Measure: m.Measure, Mitigates: hop(m.Mitigates, m.Measure, g.Challenge), HeldBy: []Hop{}}
			for _, h := range m.HeldBy {
				mit.HeldBy = append(mit.HeldBy, toHop(h, m.Measure, found[h.To]))
			}
			gap.Mitigations = append(gap.Mitigations, mit)
		}
		out = append(out, gap)
	}
	return out, nil
}
