package resolvers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// The paper's questions, answered through the API and checked against an
// oracle computed from the data set itself in Go, independently of Cypher.

// chain is a route from a lever (or statute, programme, commitment) to a
// kind of mutual: node ids from start to kind.
type chain []string

func (c chain) String() string { return strings.Join(c, " > ") }

// oracle enumerates the chains the API's leversAffecting must find: up to
// three ADVANCES, REALISED_BY or ESTABLISHES steps, then an AFFECTS onto the
// kind.
type oracle struct {
	set   *seed.Set
	nodes map[string]map[string]any
	back  map[string][]string // step targets to their sources
}

func newOracle(set *seed.Set) *oracle {
	o := &oracle{set: set, nodes: map[string]map[string]any{}, back: map[string][]string{}}
	for _, rows := range set.Nodes {
		for _, r := range rows {
			o.nodes[r["id"].(string)] = r
		}
	}
	for _, t := range []graph.RelType{graph.RelAdvances, graph.RelRealisedBy, graph.RelEstablishes} {
		for _, r := range set.Rels[t] {
			o.back[r.To] = append(o.back[r.To], r.From)
		}
	}
	return o
}

func (o *oracle) InEffect(id string, asOf *time.Time) bool {
	return o.inEffectOn(id, asOf, true)
}

// inEffectOn is inEffect with a choice about what has no first date: a
// date known to the month or year counts by its last possible day.
func (o *oracle) inEffectOn(id string, day *time.Time, undated bool) bool {
	if day == nil {
		return true
	}
	n := o.nodes[id]
	dated := false
	for _, from := range []string{"inForce", "start", "issued"} {
		if d, ok := asKnown(n[from]); ok {
			dated = true
			if d.LastDay().After(*day) {
				return false
			}
		}
	}
	if !dated && !undated {
		switch strings.SplitN(id, ":", 2)[0] {
		case "statute", "programme", "procurement", "commitment":
			return false
		}
	}
	end, ok := asKnown(n["end"])
	return !ok || end.LastDay().After(*day)
}

// orders returns the orders of government and jurisdictions holding an
// entity: through HELD_BY, or for a commitment through its ministries.
func (o *oracle) holders(id string) (orders, jurisdictions []string) {
	add := func(j string) {
		n := o.nodes[j]
		orders = append(orders, graph.OrderOf(n["country"].(string), n["level"].(string)))
		jurisdictions = append(jurisdictions, j)
	}
	for _, r := range o.set.Rels[graph.RelHeldBy] {
		if r.From == id {
			add(r.To)
		}
	}
	for _, m := range o.set.Rels[graph.RelMandated] {
		if m.To == id {
			for _, r := range o.set.Rels[graph.RelOf] {
				if r.From == m.From {
					add(r.To)
				}
			}
		}
	}
	return orders, jurisdictions
}

func (o *oracle) chains(kind string, orders, jurisdictions []string, asOf *time.Time) map[string]bool {
	out := map[string]bool{}
	var walk func(c chain)
	walk = func(c chain) {
		for _, id := range c {
			if !o.InEffect(id, asOf) {
				return
			}
		}
		ords, js := o.holders(c[0])
		if (len(orders) == 0 || anyIn(ords, orders)) && (len(jurisdictions) == 0 || anyIn(js, jurisdictions)) {
			out[c.String()] = true
		}
		if len(c) == 2+3 { // three steps before the AFFECTS
			return
		}
		for _, from := range o.back[c[0]] {
			walk(append(chain{from}, c...))
		}
	}
	for _, r := range o.set.Rels[graph.RelAffects] {
		if r.To == kind {
			walk(chain{r.From, r.To})
		}
	}
	return out
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

type influence struct {
	Lever struct {
		Typename string `json:"__typename"`
		ID       string
	}
	Effect        string
	Jurisdictions []struct{ ID string }
	Chain         struct {
		Nodes []struct{ ID string }
		Hops  []struct {
			Type      string
			Rationale *string
			Sources   []struct{ ID string }
		}
	}
}

func (in influence) chain() chain {
	var c chain
	for _, n := range in.Chain.Nodes {
		c = append(c, n.ID)
	}
	return c
}

func leversAffecting(t *testing.T, a *api, args string) []influence {
	t.Helper()
	var resp struct{ LeversAffecting []influence }
	a.query(t, `{ leversAffecting(first: 1000, `+args+`) { lever { __typename id } effect
	  chain { nodes { id } hops { type rationale sources { id } } } } }`, &resp)
	return resp.LeversAffecting
}

func sameChains(t *testing.T, got []influence, want map[string]bool) {
	t.Helper()
	have := map[string]bool{}
	for _, in := range got {
		c := in.chain()
		have[c.String()] = true
		if c[0] != in.Lever.ID {
			t.Errorf("chain %s does not start at its lever %s", c, in.Lever.ID)
		}
		for _, h := range in.Chain.Hops {
			if len(h.Sources) == 0 {
				t.Errorf("chain %s: a %s hop without sources", c, h.Type)
			}
		}
	}
	for c := range want {
		if !have[c] {
			t.Errorf("missing chain %s", c)
		}
	}
	for c := range have {
		if !want[c] {
			t.Errorf("unexpected chain %s", c)
		}
	}
}

// Which provincial levers affect community spin-ups in Québec?
func TestProvincialLeversOnCommunitySpinUpsInQuebec(t *testing.T) {
	a := newAPI(t)
	got := leversAffecting(t, a, `kind: "kind:spin-up-community", orders: [PROVINCIAL], jurisdictions: ["jurisdiction:ca-qc"]`)
	want := newOracle(a.set).chains("kind:spin-up-community", []string{"PROVINCIAL"}, []string{"jurisdiction:ca-qc"}, nil)
	if len(want) == 0 {
		t.Fatal("the data set answers nothing: the oracle found no chain")
	}
	sameChains(t, got, want)
}

// Which ministers' commitments reach spin-outs, and how?
func TestCommitmentsThatReachSpinOuts(t *testing.T) {
	a := newAPI(t)
	var commitments []influence
	for _, in := range leversAffecting(t, a, `kind: "kind:spin-out", orders: [FEDERAL]`) {
		if in.Lever.Typename == "MandateCommitment" {
			commitments = append(commitments, in)
		}
	}
	o := newOracle(a.set)
	want := map[string]bool{}
	for c := range o.chains("kind:spin-out", []string{"FEDERAL"}, nil, nil) {
		if strings.HasPrefix(c, "commitment:") {
			want[c] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("the oracle found no commitment reaching spin-outs")
	}
	sameChains(t, commitments, want)
}

// What did the United Kingdom have that Canada lacks? The matrix of British
// levers by kind, against the oracle's chain counts.
func TestWhatTheUKHad(t *testing.T) {
	a := newAPI(t)
	var resp struct {
		InfluenceMatrix struct {
			Kinds []struct{ ID string }
			Rows  []struct {
				Lever  struct{ ID string }
				Orders []string
				Cells  []struct {
					Effect *string
					Paths  int
				}
			}
		}
	}
	a.query(t, `{ influenceMatrix(orders: [FOREIGN], jurisdictions: ["jurisdiction:gb"]) {
	  kinds { id } rows { lever { id } orders cells { effect paths } } } }`, &resp)
	o := newOracle(a.set)
	want := map[string]int{} // "lever|kind" → chains
	for _, k := range resp.InfluenceMatrix.Kinds {
		for c := range o.chains(k.ID, []string{"FOREIGN"}, []string{"jurisdiction:gb"}, nil) {
			ids := strings.Split(c, " > ")
			want[ids[0]+"|"+k.ID]++
		}
	}
	got := map[string]int{}
	for _, r := range resp.InfluenceMatrix.Rows {
		if !slices.Contains(r.Orders, "FOREIGN") {
			t.Errorf("%s has orders %v", r.Lever.ID, r.Orders)
		}
		for i, cell := range r.Cells {
			if cell.Paths > 0 {
				got[r.Lever.ID+"|"+resp.InfluenceMatrix.Kinds[i].ID] = cell.Paths
				if cell.Effect == nil {
					t.Errorf("%s: a cell with chains but no effect", r.Lever.ID)
				}
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("matrix cells %v\nwant %v", got, want)
	}
	if len(got) == 0 {
		t.Error("the UK holds no lever on any kind of mutual")
	}
}

// A chain the data set states, commitment to measure to kind, is traced with
// its relationships' properties.
func TestTraceAKnownChain(t *testing.T) {
	a := newAPI(t)
	var from, via, to string
	for _, adv := range a.set.Rels[graph.RelAdvances] {
		for _, aff := range a.set.Rels[graph.RelAffects] {
			if aff.From == adv.To {
				from, via, to = adv.From, adv.To, aff.To
			}
		}
	}
	if from == "" {
		t.Fatal("the data set has no commitment-to-measure-to-kind chain")
	}
	var resp struct {
		Trace []struct {
			Length int
			Nodes  []struct{ ID string }
			Hops   []struct {
				Type      string
				Forward   bool
				Rationale *string
				Sources   []struct{ ID string }
			}
		}
	}
	a.query(t, `query($from: ID!, $to: ID!) { trace(from: $from, to: $to, maxHops: 2, via: [ADVANCES, AFFECTS], first: 50) {
	  length nodes { id } hops { type forward rationale sources { id } } } }`, &resp,
		client.Var("from", from), client.Var("to", to))
	for i, p := range resp.Trace {
		if i > 0 && p.Length < resp.Trace[i-1].Length {
			t.Errorf("paths not shortest first: %d after %d", p.Length, resp.Trace[i-1].Length)
		}
		if len(p.Nodes) == 3 && p.Nodes[1].ID == via {
			if p.Hops[0].Type != "ADVANCES" || p.Hops[1].Type != "AFFECTS" || !p.Hops[0].Forward ||
				p.Hops[0].Rationale == nil || len(p.Hops[1].Sources) == 0 {
				t.Errorf("hops %+v", p.Hops)
			}
			return
		}
	}
	t.Errorf("no path %s > %s > %s in %+v", from, via, to, resp.Trace)
}

// As of a day, only chains whose every step was in effect count.
func TestAsOfDropsWhatWasNotYetInForce(t *testing.T) {
	a := newAPI(t)
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	o := newOracle(a.set)
	dropped := 0
	for _, kind := range []string{"kind:spin-out", "kind:co-op-extension"} {
		got := leversAffecting(t, a, `kind: "`+kind+`", asOf: "2016-01-01"`)
		sameChains(t, got, o.chains(kind, nil, nil, &day))
		dropped += len(o.chains(kind, nil, nil, nil)) - len(got)
	}
	if dropped == 0 {
		t.Error("no chain was dropped as of 2016: the data set's later measures should be")
	}
}
