package resolvers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// gapsOracle answers the gaps question from the data set in Go: for each
// challenge the kind faces, the measures that mitigate it and are held by
// one of the jurisdictions, as "challenge: measure@jurisdiction,..." lines.
func gapsOracle(set *seed.Set, kind string, jurisdictions []string, stated, unaddressedOnly bool) []string {
	ok := func(r graph.RelRow) bool { return !stated || r.Props["evidence"] == graph.Stated }
	held := map[string][]string{}
	for _, r := range set.Rels[graph.RelHeldBy] {
		if ok(r) && slices.Contains(jurisdictions, r.To) {
			held[r.From] = append(held[r.From], r.To)
		}
	}
	var out []string
	for _, f := range set.Rels[graph.RelFaces] {
		if f.From != kind || !ok(f) {
			continue
		}
		var measures []string
		for _, m := range set.Rels[graph.RelMitigates] {
			if m.To == f.To && ok(m) && len(held[m.From]) > 0 {
				js := slices.Sorted(slices.Values(held[m.From]))
				measures = append(measures, m.From+"@"+strings.Join(js, ","))
			}
		}
		if unaddressedOnly && len(measures) > 0 {
			continue
		}
		slices.Sort(measures)
		out = append(out, f.To+": "+strings.Join(measures, " ")+" | "+fmt.Sprint(f.Props["rationale"]))
	}
	slices.Sort(out)
	return out
}

func TestGapsAgreeWithTheData(t *testing.T) {
	a := newAPI(t)
	var kinds, jurisdictions []string
	for _, r := range a.set.Nodes[graph.LabelMutualKind] {
		kinds = append(kinds, r["id"].(string))
	}
	for _, r := range a.set.Nodes[graph.LabelJurisdiction] {
		jurisdictions = append(jurisdictions, r["id"].(string))
	}
	asks := [][]string{{"jurisdiction:ca-on"}, {"jurisdiction:ca", "jurisdiction:ca-on"}, jurisdictions}
	for _, j := range jurisdictions {
		asks = append(asks, []string{j})
	}
	mitigated, unaddressed := 0, 0
	for _, kind := range kinds {
		for _, js := range asks {
			for _, flags := range [][2]bool{{false, false}, {true, false}, {false, true}} {
				stated, only := flags[0], flags[1]
				var resp struct {
					Gaps []struct {
						Challenge   struct{ ID string }
						Faces       struct{ Rationale *string }
						Mitigations []struct {
							Measure   struct{ ID string }
							Mitigates struct {
								From, To struct{ ID string }
							}
							HeldBy []struct{ To struct{ ID string } }
						}
						Unaddressed bool
					}
				}
				a.query(t, `query($kind: ID!, $js: [ID!]!, $stated: Boolean, $only: Boolean) {
				  gaps(kind: $kind, jurisdictions: $js, statedOnly: $stated, unaddressedOnly: $only) {
				    challenge { id } faces { rationale }
				    mitigations { measure { id } mitigates { from { id } to { id } } heldBy { to { id } } }
				    unaddressed } }`, &resp,
					client.Var("kind", kind), client.Var("js", js), client.Var("stated", stated), client.Var("only", only))
				var got []string
				for _, g := range resp.Gaps {
					var measures []string
					for _, m := range g.Mitigations {
						if m.Mitigates.From.ID != m.Measure.ID || m.Mitigates.To.ID != g.Challenge.ID {
							t.Errorf("%s: mitigates joins %s and %s", g.Challenge.ID, m.Mitigates.From.ID, m.Mitigates.To.ID)
						}
						var held []string
						for _, h := range m.HeldBy {
							held = append(held, h.To.ID)
						}
						measures = append(measures, m.Measure.ID+"@"+strings.Join(held, ","))
					}
					if g.Unaddressed != (len(measures) == 0) {
						t.Errorf("%s: unaddressed %v with %d mitigations", g.Challenge.ID, g.Unaddressed, len(measures))
					}
					if g.Unaddressed {
						unaddressed++
					} else {
						mitigated++
					}
					rationale := "<nil>"
					if g.Faces.Rationale != nil {
						rationale = *g.Faces.Rationale
					}
					got = append(got, g.Challenge.ID+": "+strings.Join(measures, " ")+" | "+rationale)
				}
				if want := gapsOracle(a.set, kind, js, stated, only); !slices.Equal(got, want) {
					t.Errorf("gaps of %s in %v (stated %v, unaddressed only %v):\n got %q\nwant %q", kind, js, stated, only, got, want)
				}
			}
		}
	}
	if mitigated == 0 || unaddressed == 0 {
		t.Errorf("%d mitigated and %d unaddressed challenges: the shipped data should show both", mitigated, unaddressed)
	}
}
