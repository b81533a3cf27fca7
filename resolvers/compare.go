package resolvers

import (
	"context"

	"github.com/psmgraph/psmgraph/graph"
)

// toInfluence is a chain as the API shows it.
func toInfluence(in graph.Influence) Influence {
	return Influence{Lever: in.Lever, Jurisdictions: in.Jurisdictions, Orders: toOrders(in.Orders),
		Effect: in.Effect, Chain: toPath(in.Chain), Stated: in.Chain.Stated()}
}

// checkJurisdictions fails with BAD_USER_INPUT unless every id names a
// jurisdiction.
func (r *Resolver) checkJurisdictions(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	found, err := r.Store.Nodes(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := found[id].(graph.Jurisdiction); !ok {
			return graph.Errorf(graph.CodeBadInput, "%q is not the id of a jurisdiction", id)
		}
	}
	return nil
}

// SideOf reads one side of compare: jurisdictions, orders or both, and the
// most chains each difference shows.
func SideOf(name string, s SideInput, kinds []string, statedOnly *bool, first *int) (graph.InfluenceFilter, error) {
	perEnd, err := LimitArg(first, 20)
	if err != nil {
		return graph.InfluenceFilter{}, err
	}
	if len(s.Jurisdictions) == 0 && len(s.Orders) == 0 {
		return graph.InfluenceFilter{}, graph.Errorf(graph.CodeBadInput, "%s names no jurisdictions and no orders", name)
	}
	if len(s.Jurisdictions) > graph.MaxGapJurisdictions {
		return graph.InfluenceFilter{}, graph.Errorf(graph.CodeBadInput, "%s names more than %d jurisdictions", name, graph.MaxGapJurisdictions)
	}
	return graph.InfluenceFilter{Kinds: kinds, Jurisdictions: s.Jurisdictions, Orders: orderStrings(s.Orders),
		Stated: statedOnly != nil && *statedOnly, PerEnd: perEnd}, nil
}

// compare lays two sides' chains side by side, kind by kind.
func (r *Resolver) compare(ctx context.Context, left, right graph.InfluenceFilter) ([]KindComparison, error) {
	kinds, err := r.matrixColumns(ctx, left.Kinds)
	if err != nil {
		return nil, err
	}
	if err := r.checkJurisdictions(ctx, append(append([]string{}, left.Jurisdictions...), right.Jurisdictions...)); err != nil {
		return nil, err
	}
	ids := make([]string, len(kinds))
	for i, k := range kinds {
		ids[i] = k.ID
	}
	sides := [2][]graph.Influence{}
	ends := [2][]graph.ChainEnd{}
	for i, f := range []graph.InfluenceFilter{left, right} {
		f.Kinds = ids
		if sides[i], err = r.Store.Influences(ctx, f); err != nil {
			return nil, err
		}
		for _, in := range sides[i] {
			ends[i] = append(ends[i], graph.EndOf(in))
		}
	}
	differences := func(side []graph.Influence, bcs []graph.ViaChains) []Difference {
		out := make([]Difference, len(bcs))
		for i, bc := range bcs {
			out[i] = Difference{Effect: bc.Effect, Means: TypeOfLabel(bc.Means), Chains: make([]Influence, len(bc.Chains)),
				ChainCount: side[bc.Chains[0]].Ends}
			for c, at := range bc.Chains {
				out[i].Chains[c] = toInfluence(side[at])
			}
		}
		return out
	}
	out := make([]KindComparison, len(kinds))
	for i, d := range graph.Differences(ids, ends[0], ends[1]) {
		both := make([]Bearing, len(d.Both))
		for b, bearing := range d.Both {
			both[b] = Bearing{Effect: bearing.Effect, Means: TypeOfLabel(bearing.Means)}
		}
		out[i] = KindComparison{Kind: &kinds[i], LeftOnly: differences(sides[0], d.LeftOnly),
			RightOnly: differences(sides[1], d.RightOnly), Both: both}
	}
	return out, nil
}
