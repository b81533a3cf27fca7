package seed_test

import (
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

func shipped(t *testing.T) *seed.Set {
	t.Helper()
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatalf("the shipped data set does not validate:\n%v", err)
	}
	return set
}

func ids(set *seed.Set, label graph.Label) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, row := range set.Nodes[label] {
		out[row["id"].(string)] = row
	}
	return out
}

// The product's question must have an answer for every kind of mutual and
// both Canadian orders of government: some federal and some provincial
// measure affects each kind.
func TestShippedDataCoversEveryKindFromBothOrders(t *testing.T) {
	set := shipped(t)
	jurisdictions := ids(set, graph.LabelJurisdiction)
	order := func(jurisdictionID string) string {
		j := jurisdictions[jurisdictionID]
		switch {
		case j["country"] != "CA":
			return "foreign"
		case j["level"] == "NATIONAL":
			return "federal"
		default:
			return "provincial"
		}
	}
	orders := map[string][]string{} // measure id → orders of the jurisdictions holding it
	for _, r := range set.Rels[graph.RelHeldBy] {
		orders[r.From] = append(orders[r.From], order(r.To))
	}
	// A commitment is federal through its ministry's jurisdiction.
	ministryOrder := map[string]string{}
	for _, r := range set.Rels[graph.RelOf] {
		ministryOrder[r.From] = order(r.To)
	}
	for _, r := range set.Rels[graph.RelMandated] {
		orders[r.To] = append(orders[r.To], ministryOrder[r.From])
	}

	reached := map[string]map[string]bool{}
	for _, r := range set.Rels[graph.RelAffects] {
		if reached[r.To] == nil {
			reached[r.To] = map[string]bool{}
		}
		for _, o := range orders[r.From] {
			reached[r.To][o] = true
		}
	}
	kinds := ids(set, graph.LabelMutualKind)
	if len(kinds) < 7 {
		t.Errorf("%d kinds of mutual; the paper names 7 routes", len(kinds))
	}
	for id := range kinds {
		if !reached[id]["federal"] || !reached[id]["provincial"] {
			t.Errorf("%s is affected from %v; want federal and provincial measures", id, reached[id])
		}
	}
}

func TestEveryClaimHasARationaleAndASource(t *testing.T) {
	set := shipped(t)
	for _, rt := range []graph.RelType{graph.RelAffects, graph.RelMitigates} {
		if len(set.Rels[rt]) == 0 {
			t.Errorf("no %s relationships", rt)
		}
		for _, r := range set.Rels[rt] {
			rationale, _ := r.Props["rationale"].(string)
			sources, _ := r.Props["sourceIds"].([]string)
			if len(rationale) < 10 || len(sources) == 0 {
				t.Errorf("%s %s -> %s: rationale %q, sources %v", rt, r.From, r.To, rationale, sources)
			}
		}
	}
}

// A measure reaches a kind through what it advances, is realised by or
// establishes, so it infers no effect on a kind that one of those affects:
// chains would count the claim twice, and impact could never find the
// instrument alone in supporting the kind (see the data's README).
func TestAMeasureInfersNoClaimItsInstrumentsMake(t *testing.T) {
	set := shipped(t)
	below := map[string][]string{}
	for _, rt := range []graph.RelType{graph.RelAdvances, graph.RelRealisedBy, graph.RelEstablishes} {
		for _, r := range set.Rels[rt] {
			below[r.From] = append(below[r.From], r.To)
		}
	}
	affects := map[[2]string]bool{}
	for _, r := range set.Rels[graph.RelAffects] {
		affects[[2]string{r.From, r.To}] = true
	}
	for _, r := range set.Rels[graph.RelAffects] {
		if r.Props["evidence"] != graph.Inferred {
			continue
		}
		seen := map[string]bool{}
		for next := below[r.From]; len(next) > 0; {
			m := next[0]
			next = next[1:]
			if seen[m] {
				continue
			}
			seen[m] = true
			if affects[[2]string{m, r.To}] {
				t.Errorf("%s infers an effect on %s, which %s, below it, claims already", r.From, r.To, m)
			}
			next = append(next, below[m]...)
		}
	}
}

func TestShippedDataHoldsThePapersEntities(t *testing.T) {
	set := shipped(t)
	sources := ids(set, graph.LabelSource)
	if _, ok := sources["source:psm-paper"]; !ok {
		t.Error("the paper itself is not a source")
	}
	if len(sources) < 17 {
		t.Errorf("%d sources; the paper alone lists 16 references", len(sources))
	}
	codes := map[string]bool{}
	for _, j := range set.Nodes[graph.LabelJurisdiction] {
		codes[j["code"].(string)] = true
	}
	for _, code := range []string{"CA", "CA-ON", "CA-BC", "CA-QC", "GB", "AU"} {
		if !codes[code] {
			t.Errorf("no jurisdiction %s", code)
		}
	}
	for _, label := range []graph.Label{graph.LabelMinistry, graph.LabelMandateCommitment, graph.LabelLever,
		graph.LabelStatute, graph.LabelProgramme, graph.LabelMutual, graph.LabelChallenge, graph.LabelOutcome, graph.LabelSector} {
		if len(set.Nodes[label]) == 0 {
			t.Errorf("no %s nodes", label)
		}
	}
	if n := len(set.Nodes[graph.LabelMandateCommitment]); n != 5 {
		t.Errorf("%d mandate commitments; the paper lists 5", n)
	}
	if n := len(set.Nodes[graph.LabelChallenge]); n != 4 {
		t.Errorf("%d challenges; the paper lists 4", n)
	}
}

// Every entity of the shipped set described in English is described in
// French too, sources excepted: a bilingual front end shows either.
func TestShippedEntitiesAreDescribedInBothLanguages(t *testing.T) {
	set := shipped(t)
	for label, rows := range set.Nodes {
		if label == graph.LabelSource {
			continue
		}
		for _, row := range rows {
			if row["description"] != nil && row["descriptionFr"] == nil {
				t.Errorf("%s has a description and no descriptionFr", row["id"])
			}
		}
	}
}

// The shipped set is held to the strict checks: evidence and a source on
// every claim, a source on every entity, and a date or a note on every
// statute and programme.
func TestShippedSetPassesStrictChecks(t *testing.T) {
	if _, err := seed.ReadWith(t.Context(), seed.Shipped(), seed.Checks{Strict: true}); err != nil {
		t.Fatalf("the shipped set fails the strict checks:\n%v", err)
	}
}
