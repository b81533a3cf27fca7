package resolvers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
)

// splitChain is a chain's node ids.
func splitChain(c string) []string { return strings.Split(c, " > ") }

// linkKey names a link of the data set.
func linkKey(t graph.RelType, from, to string) string { return string(t) + " " + from + " " + to }

// statedLinks are the data set's links that their sources state.
func (o *oracle) statedLinks() map[string]bool {
	out := map[string]bool{}
	for t, rows := range o.set.Rels {
		for _, r := range rows {
			if r.Props["evidence"] == graph.Stated {
				out[linkKey(t, r.From, r.To)] = true
			}
		}
	}
	return out
}

// stated reports a chain whose every link is stated: its steps by ADVANCES,
// REALISED_BY or ESTABLISHES, then its AFFECTS.
func (o *oracle) stated(c []string, links map[string]bool) bool {
	for i := 0; i+1 < len(c); i++ {
		if i+2 == len(c) {
			if !links[linkKey(graph.RelAffects, c[i], c[i+1])] {
				return false
			}
			continue
		}
		if !slices.ContainsFunc([]graph.RelType{graph.RelAdvances, graph.RelRealisedBy, graph.RelEstablishes}, func(t graph.RelType) bool {
			return links[linkKey(t, c[i], c[i+1])]
		}) {
			return false
		}
	}
	return true
}

// Every AFFECTS edge shows the evidence and the citations the data set
// gives it, each source with its locator.
func TestEdgesShowTheirEvidence(t *testing.T) {
	a := newAPI(t)
	want := map[string]string{}
	for _, r := range a.set.Rels[graph.RelAffects] {
		ev, _ := r.Props["evidence"].(string)
		ids, _ := r.Props["sourceIds"].([]string)
		locators, _ := r.Props[graph.Locators].([]string)
		var cites []string
		for i, id := range ids {
			loc := ""
			if i < len(locators) {
				loc = locators[i]
			}
			cites = append(cites, id+"@"+loc)
		}
		slices.Sort(cites)
		want[r.From+" "+r.To] = ev + " " + strings.Join(cites, ",")
	}
	var resp struct {
		MutualKinds struct {
			Edges []struct {
				Node struct {
					ID         string
					AffectedBy struct {
						Edges []struct {
							Node      struct{ ID string }
							Evidence  *string
							Citations []struct {
								Source  struct{ ID string }
								Locator *string
							}
						}
					}
				}
			}
		}
	}
	a.query(t, `{ mutualKinds(first: 100) { edges { node { id affectedBy(first: 100) { edges {
	  node { id } evidence citations { source { id } locator } } } } } } }`, &resp)
	got := map[string]string{}
	for _, k := range resp.MutualKinds.Edges {
		for _, e := range k.Node.AffectedBy.Edges {
			ev := ""
			if e.Evidence != nil {
				ev = *e.Evidence
			}
			var cites []string
			for _, c := range e.Citations {
				loc := ""
				if c.Locator != nil {
					loc = *c.Locator
				}
				cites = append(cites, c.Source.ID+"@"+loc)
			}
			slices.Sort(cites)
			got[e.Node.ID+" "+k.Node.ID] = ev + " " + strings.Join(cites, ",")
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d AFFECTS edges through the API, %d in the data set", len(got), len(want))
	}
	for link, w := range want {
		if got[link] != w {
			t.Errorf("%s: evidence and citations %q, want %q", link, got[link], w)
		}
	}
}

// With statedOnly, leversAffecting finds exactly the chains whose every
// link is stated, each saying so; without it, each chain says whether it
// is; and each matrix cell counts its stated chains.
func TestStatedOnlyKeepsTheChainsAnAnalystCanCite(t *testing.T) {
	a := newAPI(t)
	o := newOracle(a.set)
	links := o.statedLinks()
	statedChains := 0
	for _, kind := range a.set.Nodes[graph.LabelMutualKind] {
		id := kind["id"].(string)
		all := o.chains(id, nil, nil, nil)
		want := map[string]bool{}
		for c := range all {
			if o.stated(splitChain(c), links) {
				want[c] = true
			}
		}
		statedChains += len(want)
		got := leversAffecting(t, a, fmt.Sprintf(`kind: %q, statedOnly: true`, id))
		sameChains(t, got, want)

		var resp struct {
			LeversAffecting []struct {
				Stated bool
				Chain  struct {
					Nodes []struct{ ID string }
					Hops  []struct{ Evidence *string }
				}
			}
		}
		a.query(t, fmt.Sprintf(`{ leversAffecting(first: 1000, kind: %q) { stated chain { nodes { id } hops { evidence } } } }`, id), &resp)
		for _, in := range resp.LeversAffecting {
			var c []string
			for _, n := range in.Chain.Nodes {
				c = append(c, n.ID)
			}
			if in.Stated != want[strings.Join(c, " > ")] {
				t.Errorf("chain %v: stated %v, want %v", c, in.Stated, !in.Stated)
			}
		}
	}
	if statedChains == 0 {
		t.Fatal("no chain of the data set is stated at every link: the test checks nothing")
	}

	var matrix struct {
		InfluenceMatrix struct {
			Kinds []struct{ ID string }
			Rows  []struct {
				Lever struct{ ID string }
				Cells []struct{ Paths, StatedPaths int }
			}
		}
	}
	a.query(t, `{ influenceMatrix { kinds { id } rows { lever { id } cells { paths statedPaths } } } }`, &matrix)
	total := 0
	for _, row := range matrix.InfluenceMatrix.Rows {
		for i, cell := range row.Cells {
			kind := matrix.InfluenceMatrix.Kinds[i].ID
			want := 0
			for c := range o.chains(kind, nil, nil, nil) {
				if strings.HasPrefix(c, row.Lever.ID+" > ") && o.stated(splitChain(c), links) {
					want++
				}
			}
			if cell.StatedPaths != want || cell.StatedPaths > cell.Paths {
				t.Errorf("cell %s × %s: %d stated of %d chains, want %d stated", row.Lever.ID, kind, cell.StatedPaths, cell.Paths, want)
			}
			total += cell.StatedPaths
		}
	}
	if total != statedChains {
		t.Errorf("the matrix counts %d stated chains, leversAffecting %d", total, statedChains)
	}
}

// trace with statedOnly follows stated links and no others.
func TestTraceStatedOnly(t *testing.T) {
	a := newAPI(t)
	var stated, inferred *graph.RelRow
	for i, r := range a.set.Rels[graph.RelAffects] {
		switch r.Props["evidence"] {
		case graph.Stated:
			stated = &a.set.Rels[graph.RelAffects][i]
		case graph.Inferred:
			inferred = &a.set.Rels[graph.RelAffects][i]
		}
	}
	if stated == nil || inferred == nil {
		t.Fatal("the data set lacks a stated or an inferred AFFECTS: the test checks nothing")
	}
	for _, c := range []struct {
		link  *graph.RelRow
		paths int
	}{{stated, 1}, {inferred, 0}} {
		var resp struct {
			Trace []struct{ Hops []struct{ Evidence *string } }
		}
		a.query(t, fmt.Sprintf(`{ trace(from: %q, to: %q, maxHops: 1, via: [AFFECTS], statedOnly: true) { hops { evidence } } }`, c.link.From, c.link.To), &resp)
		if len(resp.Trace) != c.paths {
			t.Errorf("trace %s > %s stated only: %d paths, want %d", c.link.From, c.link.To, len(resp.Trace), c.paths)
		}
		for _, p := range resp.Trace {
			if len(p.Hops) != 1 || p.Hops[0].Evidence == nil || *p.Hops[0].Evidence != graph.Stated {
				t.Errorf("trace %s > %s stated only gave hops %+v", c.link.From, c.link.To, p.Hops)
			}
		}
	}
}
