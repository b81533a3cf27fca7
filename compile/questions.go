package compile

import (
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// This file plans and writes the analysts' questions: gaps, compare and
// impact. Each reads, beside its answer, the nodes its ids name, so that
// an id of the wrong type is declined and the resolvers report it.

// checkRead reads the nodes of ids, for their labels.
func (p *planner) checkRead(ids []string) graph.Read {
	return graph.Read{Key: p.key(), IDs: ids, Node: graph.Shape{Properties: []string{"id"}, Label: true}}
}

// labelsOf are the labels of the nodes a check read found, "" where an id
// names none.
func labelsOf(v any) []string {
	items, _ := v.([]any)
	out := make([]string, len(items))
	for i := range items {
		out[i], _ = nodeOf(items, i)[graph.TreeLabel].(string)
	}
	return out
}

// gapsQuestion plans gaps: its answer, and a check of its kind and
// jurisdictions.
func (p *planner) gapsQuestion(out *field, read *graph.Read, f graphql.CollectedField, args map[string]any) ([]graph.Read, error) {
	kindID, _ := args["kind"].(string)
	js, ok := stringList(args["jurisdictions"])
	if !ok {
		return nil, decline(reasonArguments, "gaps: jurisdictions are not a list of ids")
	}
	q, err := resolvers.GapsOf(kindID, js, boolArg(args, "unaddressedOnly"), boolArg(args, "statedOnly"))
	if err != nil {
		return nil, decline(reasonArguments, "gaps: too few or too many jurisdictions")
	}
	out.kind, read.Gaps = kindGaps, &q
	check := p.checkRead(append([]string{q.Kind}, q.Jurisdictions...))
	out.also = []string{check.Key}
	read.Node = graph.Shape{Properties: []string{"id"}}
	node := func(sub *field, k kind, f graphql.CollectedField) error {
		sub.kind = k
		return p.objectInto(sub, f.Selections, f.Definition.Type.Name(), nil, &read.Node)
	}
	hop := func(sub *field, k kind, f graphql.CollectedField) error {
		sub.kind = k
		var err error
		sub.fields, err = p.hop(f, &read.Path, func(h *field, hf graphql.CollectedField) error {
			return p.objectInto(h, hf.Selections, hf.Definition.Type.Name(), nil, &read.Node)
		})
		return err
	}
	out.fields, err = p.fixed(f.Selections, "Gap", map[string]kind{"unaddressed": kindUnaddressed}, func(sub *field, gf graphql.CollectedField) error {
		switch gf.Name {
		case "challenge":
			return node(sub, kindGapChallenge, gf)
		case "faces":
			return hop(sub, kindFaces, gf)
		case "mitigations":
			sub.kind = kindMitigations
			var err error
			sub.fields, err = p.fixed(gf.Selections, "Mitigation", nil, func(m *field, mf graphql.CollectedField) error {
				switch mf.Name {
				case "measure":
					return node(m, kindMeasure, mf)
				case "mitigates":
					return hop(m, kindMitigates, mf)
				case "heldBy":
					return hop(m, kindHeldBy, mf)
				}
				return notCompiled(m, mf.Name)
			})
			return err
		}
		return notCompiled(sub, gf.Name)
	})
	return []graph.Read{*read, check}, err
}

// sideOf reads a side of compare as its resolver does.
func sideOf(name string, v any, kinds []string, stated *bool, first *int) (graph.InfluenceFilter, error) {
	m, _ := v.(map[string]any)
	var s resolvers.SideInput
	if m["jurisdictions"] != nil {
		js, ok := stringList(m["jurisdictions"])
		if !ok {
			return graph.InfluenceFilter{}, decline(reasonArguments, "compare: %s's jurisdictions are not a list of ids", name)
		}
		s.Jurisdictions = js
	}
	if m["orders"] != nil {
		orders, ok := stringList(m["orders"])
		if !ok {
			return graph.InfluenceFilter{}, decline(reasonArguments, "compare: %s's orders are not a list of names", name)
		}
		for _, o := range orders {
			s.Orders = append(s.Orders, resolvers.Order(o))
		}
	}
	f, err := resolvers.SideOf(name, s, kinds, stated, first)
	if err != nil {
		return f, decline(reasonArguments, "compare: %s is refused", name)
	}
	return f, nil
}

// compareQuestion plans compare: both sides' chains, the kinds compared,
// and a check of the jurisdictions named.
func (p *planner) compareQuestion(out *field, left *graph.Read, f graphql.CollectedField, args map[string]any) ([]graph.Read, error) {
	var kinds []string
	if args["kinds"] != nil {
		var ok bool
		if kinds, ok = stringList(args["kinds"]); !ok {
			return nil, decline(reasonArguments, "compare: kinds are not a list of ids")
		}
	}
	stated := boolArg(args, "statedOnly")
	first, err := intArg(args["first"])
	if err != nil {
		return nil, err
	}
	lf, err := sideOf("left", args["left"], kinds, stated, first)
	if err != nil {
		return nil, err
	}
	rf, err := sideOf("right", args["right"], kinds, stated, first)
	if err != nil {
		return nil, err
	}
	out.kind, left.Chains = kindCompare, &lf
	right := graph.Read{Key: p.key(), Chains: &rf}
	columns := p.columnsRead(kinds)
	check := p.checkRead(append(append([]string{}, lf.Jurisdictions...), rf.Jurisdictions...))
	out.also = []string{right.Key, columns.Key, check.Key}
	// How a chain ends needs the label of its nodes.
	left.Path.Node = graph.Shape{Properties: []string{"id"}, Label: true}
	via := func(sub *field, vf graphql.CollectedField, typename string) error {
		var err error
		sub.fields, err = p.fixed(vf.Selections, typename, map[string]kind{"effect": kindViaEffect, "means": kindViaMeans, "chainCount": kindViaCount},
			func(d *field, df graphql.CollectedField) error {
				if df.Name == "chains" {
					d.kind = kindViaChains
					return p.influences(d, left, df)
				}
				return notCompiled(d, df.Name)
			})
		return err
	}
	out.fields, err = p.fixed(f.Selections, "KindComparison", nil, func(sub *field, cf graphql.CollectedField) error {
		switch cf.Name {
		case "kind":
			sub.kind = kindCompareKind
			return p.objectInto(sub, cf.Selections, "MutualKind", nil, &columns.Node)
		case "leftOnly":
			sub.kind = kindLeftOnly
			return via(sub, cf, "Difference")
		case "rightOnly":
			sub.kind = kindRightOnly
			return via(sub, cf, "Difference")
		case "both":
			sub.kind = kindBoth
			return via(sub, cf, "Bearing")
		}
		return notCompiled(sub, cf.Name)
	})
	if err != nil {
		return nil, err
	}
	// Both sides show their chains alike.
	right.Node, right.Path, right.Held = left.Node, left.Path, left.Held
	return []graph.Read{*left, right, columns, check}, nil
}

// columnsRead reads the kinds of mutual with these ids, in their order,
// else all of them.
func (p *planner) columnsRead(ids []string) graph.Read {
	columns := graph.Read{Key: p.key()}
	if len(ids) > 0 {
		columns.IDs = ids
	} else {
		columns.Label, columns.Items = graph.LabelMutualKind, true
		columns.Args.First = resolvers.MaxFirst
	}
	columns.Node = graph.Shape{Properties: []string{"id"}, Label: true}
	return columns
}

// impactQuestion plans impact: the chains through its node, the losses
// without it, and a check of the node.
func (p *planner) impactQuestion(out *field, chains *graph.Read, f graphql.CollectedField, args map[string]any) ([]graph.Read, error) {
	id, _ := args["id"].(string)
	filter := resolvers.ImpactOf(id, boolArg(args, "statedOnly"))
	through, losses := filter, filter
	out.kind, chains.Chains = kindImpact, &through
	lossRead := graph.Read{Key: p.key(), Losses: &losses}
	check := p.checkRead([]string{id})
	out.also = []string{lossRead.Key, check.Key}
	var err error
	out.fields, err = p.fixed(f.Selections, "Impact", nil, func(sub *field, cf graphql.CollectedField) error {
		switch cf.Name {
		case "chains":
			sub.kind = kindImpactChains
			return p.influences(sub, chains, cf)
		case "losses":
			sub.kind = kindLosses
			var err error
			sub.fields, err = p.fixed(cf.Selections, "Loss", nil, func(l *field, lf graphql.CollectedField) error {
				switch lf.Name {
				case "kind":
					l.kind = kindLossKind
					// The kind is the last node of each of its chains.
					lossRead.Path.Node = merge(lossRead.Path.Node, graph.Shape{Properties: []string{"id"}})
					return p.objectInto(l, lf.Selections, "MutualKind", nil, &lossRead.Path.Node)
				case "jurisdiction":
					l.kind = kindLossJurisdiction
					// The jurisdiction is among those that hold each chain's lever.
					if lossRead.Held == nil {
						lossRead.Held = &graph.Shape{}
					}
					*lossRead.Held = merge(*lossRead.Held, graph.Shape{Properties: []string{"id"}})
					return p.objectInto(l, lf.Selections, "Jurisdiction", nil, lossRead.Held)
				case "chains":
					l.kind = kindLossChains
					return p.influences(l, &lossRead, lf)
				}
				return notCompiled(l, lf.Name)
			})
			return err
		}
		return notCompiled(sub, cf.Name)
	})
	return []graph.Read{*chains, lossRead, check}, err
}

// gaps writes a gaps question's answer.
func (w *writer) gaps(f *field, answer map[string]any) error {
	labels := labelsOf(answer[f.also[0]])
	for i, l := range labels {
		want := graph.LabelJurisdiction
		if i == 0 {
			want = graph.LabelMutualKind
		}
		if l != string(want) {
			return decline(reasonArguments, "gaps: an id is not a kind of mutual or a jurisdiction")
		}
	}
	gaps, _ := answer[f.name].([]any)
	return w.list(len(gaps), func(i int) error {
		g := asMap(gaps[i])
		challenge, kind := asMap(g[graph.TreeNode]), asMap(g[graph.TreeKind])
		ms, _ := g[graph.TreeMitigations].([]any)
		return w.object(f.fields, func(sub *field) error {
			switch sub.kind {
			case kindGapChallenge:
				return nonNull(w.node(sub.object, challenge))
			case kindFaces:
				return w.hop(sub, asMap(g[graph.TreeHop]), kind, challenge, true)
			case kindUnaddressed:
				graphql.MarshalBoolean(len(ms) == 0).MarshalGQL(w.b)
				return nil
			case kindMitigations:
				return w.list(len(ms), func(j int) error {
					m := asMap(ms[j])
					measure := asMap(m[graph.TreeNode])
					held, _ := m[graph.TreeHeld].([]any)
					return w.object(sub.fields, func(mf *field) error {
						switch mf.kind {
						case kindMeasure:
							return nonNull(w.node(mf.object, measure))
						case kindMitigates:
							return w.hop(mf, asMap(m[graph.TreeHop]), measure, challenge, true)
						case kindHeldBy:
							return w.list(len(held), func(h int) error {
								hm := asMap(held[h])
								return w.hop(mf, asMap(hm[graph.TreeHop]), measure, asMap(hm[graph.TreeNode]), true)
							})
						}
						return fmt.Errorf("field %s of kind %d on a mitigation", mf.key, mf.kind)
					})
				})
			}
			return fmt.Errorf("field %s of kind %d on a gap", sub.key, sub.kind)
		})
	})
}

// hop writes a relationship from its start, from, to its end, to, walked
// forward or not.
func (w *writer) hop(f *field, hop, from, to map[string]any, forward bool) error {
	rel := asMap(hop[graph.TreeRel])
	citations, _ := hop[graph.TreeCitations].([]any)
	return w.object(f.fields, func(sub *field) error {
		switch sub.kind {
		case kindHopType:
			return w.scalar(sub.typ, hop[graph.TreeType])
		case kindHopFrom:
			return nonNull(w.node(sub.object, from))
		case kindHopTo:
			return nonNull(w.node(sub.object, to))
		case kindForward:
			graphql.MarshalBoolean(forward).MarshalGQL(w.b)
			return nil
		}
		return w.relField(sub, rel, citations)
	})
}

// endOf is how a chain, as a read returns it, ends.
func endOf(chain map[string]any) graph.ChainEnd {
	nodes, _ := asMap(chain[graph.TreePath])[graph.TreeNodes].([]any)
	effect, _ := chain[graph.TreeEffect].(string)
	if len(nodes) < 2 {
		return graph.ChainEnd{Effect: effect}
	}
	kind, _ := asMap(nodes[len(nodes)-1])["id"].(string)
	means, _ := asMap(nodes[len(nodes)-2])[graph.TreeLabel].(string)
	return graph.ChainEnd{Kind: kind, Effect: effect, Means: graph.Label(means)}
}

// compare writes a comparison of two sides' chains, kind by kind.
func (w *writer) compare(f *field, answer map[string]any) error {
	kinds, err := columnsOf(answer[f.also[1]], "compare")
	if err != nil {
		return err
	}
	for _, l := range labelsOf(answer[f.also[2]]) {
		if l != string(graph.LabelJurisdiction) {
			return decline(reasonArguments, "compare: an id is not a jurisdiction")
		}
	}
	ids := make([]string, len(kinds))
	for i, k := range kinds {
		ids[i], _ = k["id"].(string)
	}
	var sides [2][]any
	var ends [2][]graph.ChainEnd
	for i, key := range []string{f.name, f.also[0]} {
		sides[i], _ = answer[key].([]any)
		for _, c := range sides[i] {
			ends[i] = append(ends[i], endOf(asMap(c)))
		}
	}
	diffs := graph.Differences(ids, ends[0], ends[1])
	via := func(fields []field, side []any, effect string, means graph.Label, chains []int) error {
		return w.object(fields, func(d *field) error {
			switch d.kind {
			case kindViaEffect:
				w.str(effect)
			case kindViaMeans:
				w.str(string(resolvers.TypeOfLabel(means)))
			case kindViaChains:
				return w.list(len(chains), func(c int) error { return w.influence(d.fields, asMap(side[chains[c]])) })
			case kindViaCount:
				ends, _ := asMap(side[chains[0]])[graph.TreeEnds].(int64)
				resolvers.MarshalInt(int(ends)).MarshalGQL(w.b)
			default:
				return fmt.Errorf("field %s of kind %d on a difference", d.key, d.kind)
			}
			return nil
		})
	}
	return w.list(len(kinds), func(i int) error {
		d := diffs[i]
		return w.object(f.fields, func(sub *field) error {
			switch sub.kind {
			case kindCompareKind:
				return nonNull(w.node(sub.object, kinds[i]))
			case kindLeftOnly, kindRightOnly:
				side, vcs := sides[0], d.LeftOnly
				if sub.kind == kindRightOnly {
					side, vcs = sides[1], d.RightOnly
				}
				return w.list(len(vcs), func(v int) error {
					return via(sub.fields, side, vcs[v].Effect, vcs[v].Means, vcs[v].Chains)
				})
			case kindBoth:
				return w.list(len(d.Both), func(v int) error {
					return via(sub.fields, nil, d.Both[v].Effect, d.Both[v].Means, nil)
				})
			}
			return fmt.Errorf("field %s of kind %d on a comparison", sub.key, sub.kind)
		})
	})
}

// impact writes what depends on a node: the chains through it and the
// losses without it.
func (w *writer) impact(f *field, answer map[string]any) error {
	if labels := labelsOf(answer[f.also[1]]); len(labels) != 1 || !slices.Contains(graph.Affecting, graph.Label(labels[0])) {
		return decline(reasonArguments, "impact: the id is not a measure")
	}
	chains, _ := answer[f.name].([]any)
	losses, _ := answer[f.also[0]].([]any)
	return w.object(f.fields, func(sub *field) error {
		switch sub.kind {
		case kindImpactChains:
			return w.list(len(chains), func(i int) error { return w.influence(sub.fields, asMap(chains[i])) })
		case kindLosses:
			return w.list(len(losses), func(i int) error {
				loss := asMap(losses[i])
				lost, _ := loss[graph.TreeChains].([]any)
				first := asMap(lost[0])
				return w.object(sub.fields, func(lf *field) error {
					switch lf.kind {
					case kindLossKind:
						nodes, _ := asMap(first[graph.TreePath])[graph.TreeNodes].([]any)
						return nonNull(w.node(lf.object, asMap(nodes[len(nodes)-1])))
					case kindLossJurisdiction:
						held, _ := first[graph.TreeHeld].([]any)
						for _, j := range held {
							if asMap(j)["id"] == loss[graph.TreeJurisdiction] {
								return nonNull(w.node(lf.object, asMap(j)))
							}
						}
						return errNull
					case kindLossChains:
						return w.list(len(lost), func(c int) error { return w.influence(lf.fields, asMap(lost[c])) })
					}
					return fmt.Errorf("field %s of kind %d on a loss", lf.key, lf.kind)
				})
			})
		}
		return fmt.Errorf("field %s of kind %d on an impact", sub.key, sub.kind)
	})
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
