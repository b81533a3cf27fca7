package graph

// ChainEnd is how a chain ends: the kind of mutual it reaches, with what
// effect, through a measure of what label (the one whose AFFECTS is its
// last step).
type ChainEnd struct {
	Kind, Effect string
	Means        Label
}

// EffectVia is what chains do to a kind of mutual: an effect, through a
// measure of a label.
type EffectVia struct {
	Effect string
	Means  Label
}

// AllVia are the effects through each label, in the order a comparison lists them: the
// strongest effect first, then by the labels that may affect a kind.
var AllVia = func() []EffectVia {
	var out []EffectVia
	for _, e := range Effects {
		for _, l := range Affecting {
			out = append(out, EffectVia{Effect: e, Means: l})
		}
	}
	return out
}()

// ViaChains is an effect through a label, with the chains of one side that have it, by
// their index in that side's chains.
type ViaChains struct {
	EffectVia
	Chains []int
}

// Difference is how two sides bear on one kind of mutual.
type Difference struct {
	LeftOnly, RightOnly []ViaChains
	Both                []EffectVia
}

// Differences compares two sides' chains kind by kind, for the kinds
// given, in their order: the bearings only the left side's chains have,
// only the right's, and both's, each in AllVia' order.
func Differences(kinds []string, left, right []ChainEnd) []Difference {
	index := func(ends []ChainEnd) map[string]map[EffectVia][]int {
		out := map[string]map[EffectVia][]int{}
		for i, e := range ends {
			if out[e.Kind] == nil {
				out[e.Kind] = map[EffectVia][]int{}
			}
			b := EffectVia{Effect: e.Effect, Means: e.Means}
			out[e.Kind][b] = append(out[e.Kind][b], i)
		}
		return out
	}
	l, r := index(left), index(right)
	out := make([]Difference, len(kinds))
	for i, k := range kinds {
		d := Difference{LeftOnly: []ViaChains{}, RightOnly: []ViaChains{}, Both: []EffectVia{}}
		for _, b := range AllVia {
			lc, rc := l[k][b], r[k][b]
			switch {
			case len(lc) > 0 && len(rc) > 0:
				d.Both = append(d.Both, b)
			case len(lc) > 0:
				d.LeftOnly = append(d.LeftOnly, ViaChains{EffectVia: b, Chains: lc})
			case len(rc) > 0:
				d.RightOnly = append(d.RightOnly, ViaChains{EffectVia: b, Chains: rc})
			}
		}
		out[i] = d
	}
	return out
}

// EndOf is how an influence's chain ends.
func EndOf(in Influence) ChainEnd {
	nodes := in.Chain.Nodes
	if len(nodes) < 2 {
		return ChainEnd{Effect: in.Effect}
	}
	means, _ := NodeTypeOf(nodes[len(nodes)-2].GetID())
	return ChainEnd{Kind: nodes[len(nodes)-1].GetID(), Effect: in.Effect, Means: means.Label}
}
