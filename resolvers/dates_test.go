package resolvers_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// inEffectOn keeps what was certainly in effect on the day and leaves out
// what has no first date unless includeUndated; the deprecated asOf counts
// the undated in. Each is checked against the oracle, on days around the
// set's own dates.
func TestInEffectOnLeavesOutTheUndated(t *testing.T) {
	a := newAPI(t)
	o := newOracle(a.set)
	lists := map[graph.Label]string{
		graph.LabelStatute: "statutes", graph.LabelProgramme: "programmes",
		graph.LabelProcurementProgramme: "procurementProgrammes", graph.LabelMandateCommitment: "mandateCommitments",
	}
	undatedLeftOut := 0
	for _, day := range []string{"2005-06-30", "2010-01-01", "2013-12-31", "2016-01-01", "2021-01-01"} {
		d, _ := time.Parse(time.DateOnly, day)
		for label, list := range lists {
			for _, c := range []struct {
				args    string
				undated bool
			}{
				{fmt.Sprintf(`inEffectOn: %q`, day), false},
				{fmt.Sprintf(`inEffectOn: %q, includeUndated: true`, day), true},
				{fmt.Sprintf(`asOf: %q`, day), true},
			} {
				var want []string
				for _, row := range a.set.Nodes[label] {
					id := row["id"].(string)
					if o.inEffectOn(id, &d, c.undated) {
						want = append(want, id)
					}
					if !c.undated && o.inEffectOn(id, &d, true) && !o.inEffectOn(id, &d, false) {
						undatedLeftOut++
					}
				}
				var resp map[string]struct {
					Edges []struct{ Node struct{ ID string } }
				}
				a.query(t, fmt.Sprintf(`{ %s(first: 100, %s) { edges { node { id } } } }`, list, c.args), &resp)
				var got []string
				for _, e := range resp[list].Edges {
					got = append(got, e.Node.ID)
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s(%s): %v, want %v", list, c.args, got, want)
				}
			}
		}
	}
	if undatedLeftOut == 0 {
		t.Error("no undated entity was left out: the test checks nothing of includeUndated")
	}

	// Chains too: every step of every chain kept was in effect.
	kind := "kind:spin-out"
	d, _ := time.Parse(time.DateOnly, "2016-01-01")
	var resp struct {
		LeversAffecting []struct {
			Chain struct{ Nodes []struct{ ID string } }
		}
	}
	a.query(t, fmt.Sprintf(`{ leversAffecting(kind: %q, first: 1000, inEffectOn: "2016-01-01") { chain { nodes { id } } } }`, kind), &resp)
	want := 0
	for c := range o.chains(kind, nil, nil, nil) {
		ok := true
		for _, id := range splitChain(c) {
			ok = ok && o.inEffectOn(id, &d, false)
		}
		if ok {
			want++
		}
	}
	if len(resp.LeversAffecting) != want {
		t.Errorf("leversAffecting(inEffectOn: 2016-01-01): %d chains, want %d", len(resp.LeversAffecting), want)
	}
}
