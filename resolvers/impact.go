package resolvers

import (
	"context"
	"slices"

	"github.com/psmgraph/psmgraph/graph"
)

// ImpactOf reads impact's arguments.
func ImpactOf(id string, statedOnly *bool) graph.InfluenceFilter {
	return graph.InfluenceFilter{Through: id, Stated: statedOnly != nil && *statedOnly}
}

// isMeasure reports whether a node is one an impact question may ask
// about: one of the labels that may affect a kind of mutual.
func isMeasure(n graph.Node) bool {
	if n == nil {
		return false
	}
	nt, ok := graph.NodeTypeOf(n.GetID())
	return ok && slices.Contains(graph.Affecting, nt.Label)
}

// impact finds the chains through a node, and what the kinds of mutual
// would lose without it.
func (r *Resolver) impact(ctx context.Context, f graph.InfluenceFilter) (*Impact, error) {
	found, err := r.Store.Nodes(ctx, []string{f.Through})
	if err != nil {
		return nil, err
	}
	if !isMeasure(found[f.Through]) {
		return nil, graph.Errorf(graph.CodeBadInput, "%q is not the id of a lever, statute, programme, procurement programme or mandate commitment", f.Through)
	}
	through, err := r.Store.Influences(ctx, f)
	if err != nil {
		return nil, err
	}
	losses, err := r.Store.Losses(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &Impact{Chains: make([]Influence, len(through)), Losses: make([]Loss, len(losses))}
	for i, in := range through {
		out.Chains[i] = toInfluence(in)
	}
	for i, l := range losses {
		out.Losses[i] = Loss{Kind: &losses[i].Kind, Jurisdiction: &losses[i].Jurisdiction, Chains: make([]Influence, len(l.Chains))}
		for c, in := range l.Chains {
			out.Losses[i].Chains[c] = toInfluence(in)
		}
	}
	return out, nil
}
