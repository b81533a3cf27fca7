package resolvers_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/psmgraph/psmgraph/graph"
)

// effectOf is the effect of a chain: its last step's, an AFFECTS.
func (o *oracle) effectOf(c chain) string {
	for _, r := range o.set.Rels[graph.RelAffects] {
		if r.From == c[len(c)-2] && r.To == c[len(c)-1] {
			return r.Props["effect"].(string)
		}
	}
	return ""
}

// allChains are the chains of every kind of mutual whose lever the orders
// and jurisdictions hold (any, when none given).
func (o *oracle) allChains(orders, jurisdictions []string) []chain {
	var out []chain
	for _, k := range o.set.Nodes[graph.LabelMutualKind] {
		for c := range o.chains(k["id"].(string), orders, jurisdictions, nil) {
			out = append(out, strings.Split(c, " > "))
		}
	}
	return out
}

type difference struct {
	Effect, Means string
	Chains        []influence
	ChainCount    int
}

type comparison struct {
	Kind                struct{ ID string }
	LeftOnly, RightOnly []difference
	Both                []struct{ Effect, Means string }
}

// side renders a comparison side's chains as "effect means: chain" lines.
func side(diffs []difference) []string {
	var out []string
	for _, d := range diffs {
		for _, in := range d.Chains {
			if in.Effect != d.Effect {
				out = append(out, "effect mismatch: "+in.Effect)
			}
			out = append(out, d.Effect+" "+d.Means+": "+in.chain().String())
		}
	}
	slices.Sort(out)
	return out
}

// meansOf is the entity type of the measure whose AFFECTS ends a chain, as
// the API names types: its label in capitals, words joined by underscores.
func meansOf(c chain) string {
	nt, _ := graph.NodeTypeOf(c[len(c)-2])
	var b strings.Builder
	for i, r := range string(nt.Label) {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func TestCompareAgreesWithTheData(t *testing.T) {
	a := newAPI(t)
	o := newOracle(a.set)
	type sideArgs struct{ orders, jurisdictions []string }
	differences := 0
	for _, tc := range []struct{ left, right sideArgs }{
		{sideArgs{jurisdictions: []string{"jurisdiction:gb"}}, sideArgs{orders: []string{graph.OrderFederal}}},
		{sideArgs{orders: []string{graph.OrderProvincial}}, sideArgs{orders: []string{graph.OrderFederal}}},
		{sideArgs{jurisdictions: []string{"jurisdiction:ca-qc"}}, sideArgs{jurisdictions: []string{"jurisdiction:ca-on"}}},
		{sideArgs{orders: []string{graph.OrderForeign}}, sideArgs{orders: []string{graph.OrderFederal, graph.OrderProvincial}}},
	} {
		input := func(s sideArgs) map[string]any {
			return map[string]any{"orders": s.orders, "jurisdictions": s.jurisdictions}
		}
		var resp struct{ Compare []comparison }
		a.query(t, `query($l: SideInput!, $r: SideInput!) { compare(left: $l, right: $r, first: 100) { kind { id }
		  leftOnly { effect means chainCount chains { lever { __typename id } effect chain { nodes { id } hops { type rationale sources { id } } } } }
		  rightOnly { effect means chainCount chains { lever { __typename id } effect chain { nodes { id } hops { type rationale sources { id } } } } }
		  both { effect means } } }`, &resp, client.Var("l", input(tc.left)), client.Var("r", input(tc.right)))
		if len(resp.Compare) != len(a.set.Nodes[graph.LabelMutualKind]) {
			t.Errorf("%v: %d kinds compared, want every kind", tc, len(resp.Compare))
		}
		for _, c := range resp.Compare {
			for _, d := range append(append([]difference{}, c.LeftOnly...), c.RightOnly...) {
				if d.ChainCount != len(d.Chains) {
					t.Errorf("%v, %s, %s %s: chainCount %d with %d chains", tc, c.Kind.ID, d.Effect, d.Means, d.ChainCount, len(d.Chains))
				}
			}
			bearings := func(s sideArgs) map[string][]string {
				out := map[string][]string{} // "effect means" to chains
				for ch := range o.chains(c.Kind.ID, s.orders, s.jurisdictions, nil) {
					cc := chain(strings.Split(ch, " > "))
					b := o.effectOf(cc) + " " + meansOf(cc)
					out[b] = append(out[b], ch)
				}
				return out
			}
			l, r := bearings(tc.left), bearings(tc.right)
			var leftOnly, rightOnly, both, gotBoth []string
			for b := range l {
				if len(r[b]) > 0 {
					both = append(both, b)
					continue
				}
				for _, ch := range l[b] {
					leftOnly = append(leftOnly, b+": "+ch)
				}
			}
			for b := range r {
				if len(l[b]) == 0 {
					for _, ch := range r[b] {
						rightOnly = append(rightOnly, b+": "+ch)
					}
				}
			}
			for _, b := range c.Both {
				gotBoth = append(gotBoth, b.Effect+" "+b.Means)
			}
			slices.Sort(leftOnly)
			slices.Sort(rightOnly)
			slices.Sort(both)
			slices.Sort(gotBoth)
			differences += len(leftOnly) + len(rightOnly)
			if got := side(c.LeftOnly); !slices.Equal(got, leftOnly) {
				t.Errorf("%v, %s: left only\n got %q\nwant %q", tc, c.Kind.ID, got, leftOnly)
			}
			if got := side(c.RightOnly); !slices.Equal(got, rightOnly) {
				t.Errorf("%v, %s: right only\n got %q\nwant %q", tc, c.Kind.ID, got, rightOnly)
			}
			if !slices.Equal(gotBoth, both) {
				t.Errorf("%v, %s: both %q, want %q", tc, c.Kind.ID, gotBoth, both)
			}
		}
	}
	if differences == 0 {
		t.Error("no side has an effect the other lacks: the comparisons show nothing")
	}
}

// first bounds the chains each difference shows, the first in chain order,
// and chainCount still counts them all.
func TestCompareShowsTheFirstChains(t *testing.T) {
	a := newAPI(t)
	q := `query($first: Int) { compare(left: {jurisdictions: ["jurisdiction:gb"]}, right: {orders: [FEDERAL]}, first: $first) {
	  leftOnly { effect means chainCount chains { chain { nodes { id } } } } } }`
	var all, one struct{ Compare []comparison }
	a.query(t, q, &all, client.Var("first", 100))
	a.query(t, q, &one, client.Var("first", 1))
	bounded := 0
	for i, c := range all.Compare {
		for j, d := range c.LeftOnly {
			got := one.Compare[i].LeftOnly[j]
			if got.ChainCount != d.ChainCount || len(got.Chains) != 1 || got.Chains[0].chain().String() != d.Chains[0].chain().String() {
				t.Errorf("%s %s: first 1 gives %d of %d chains, %v; want the first of %v", d.Effect, d.Means, len(got.Chains), got.ChainCount, got.Chains, d.Chains)
			}
			if d.ChainCount > 1 {
				bounded++
			}
		}
	}
	if bounded == 0 {
		t.Error("no difference has several chains: first 1 bounds nothing")
	}
}

func TestImpactAgreesWithTheData(t *testing.T) {
	a := newAPI(t)
	o := newOracle(a.set)
	all := o.allChains(nil, nil)
	sustains := func(c chain) bool { e := o.effectOf(c); return e == "ENABLES" || e == "FUNDS" }
	losses := 0
	for _, label := range []graph.Label{graph.LabelLever, graph.LabelStatute, graph.LabelProgramme, graph.LabelProcurementProgramme, graph.LabelMandateCommitment} {
		for _, row := range a.set.Nodes[label] {
			id := row["id"].(string)
			var want []string
			places := map[string]bool{} // kind > jurisdiction
			for _, c := range all {
				if slices.Contains(c, id) {
					want = append(want, c.String())
					if sustains(c) {
						_, js := o.holders(c[0])
						for _, j := range js {
							places[c[len(c)-1]+" > "+j] = true
						}
					}
				}
			}
			var wantLosses []string
			for place := range places {
				kind, j, _ := strings.Cut(place, " > ")
				lost := true
				for _, c := range all {
					_, js := o.holders(c[0])
					if c[len(c)-1] == kind && sustains(c) && slices.Contains(js, j) && !slices.Contains(c, id) {
						lost = false
					}
				}
				if lost {
					wantLosses = append(wantLosses, place)
				}
			}
			slices.Sort(want)
			slices.Sort(wantLosses)

			var resp struct {
				Impact struct {
					Chains []influence
					Losses []struct {
						Kind, Jurisdiction struct{ ID string }
						Chains             []influence
					}
				}
			}
			a.query(t, `query($id: ID!) { impact(id: $id) {
			  chains { lever { __typename id } effect chain { nodes { id } hops { type rationale sources { id } } } }
			  losses { kind { id } jurisdiction { id } chains { lever { __typename id } jurisdictions { id } effect chain { nodes { id } hops { type rationale sources { id } } } } } } }`,
				&resp, client.Var("id", id))
			var got, gotLosses []string
			for _, in := range resp.Impact.Chains {
				got = append(got, in.chain().String())
			}
			for _, l := range resp.Impact.Losses {
				gotLosses = append(gotLosses, l.Kind.ID+" > "+l.Jurisdiction.ID)
				for _, in := range l.Chains {
					if c := in.chain(); !slices.Contains(c, id) || c[len(c)-1] != l.Kind.ID || (in.Effect != "ENABLES" && in.Effect != "FUNDS") {
						t.Errorf("%s: a lost chain %s (%s) that is not an enabling or funding chain through it to %s", id, c, in.Effect, l.Kind.ID)
					}
					// A lost chain names every jurisdiction that holds its lever.
					_, holders := o.holders(in.chain()[0])
					var shown []string
					for _, j := range in.Jurisdictions {
						shown = append(shown, j.ID)
					}
					slices.Sort(holders)
					slices.Sort(shown)
					if !slices.Equal(slices.Compact(holders), shown) {
						t.Errorf("%s: a lost chain from %s names the jurisdictions %v, want %v", id, in.chain()[0], shown, slices.Compact(holders))
					}
				}
			}
			slices.Sort(got)
			slices.Sort(gotLosses)
			losses += len(gotLosses)
			if !slices.Equal(got, want) {
				t.Errorf("impact of %s: chains\n got %q\nwant %q", id, got, want)
			}
			if !slices.Equal(gotLosses, wantLosses) {
				t.Errorf("impact of %s: losses\n got %q\nwant %q", id, gotLosses, wantLosses)
			}
		}
	}
	if losses == 0 {
		t.Error("nothing would lose anything: the impacts show nothing")
	}
}
