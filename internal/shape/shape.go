// Package shape generates data sets with the shape of psmgraph's real graph
// at any size: the same labels, relationship types and properties, every
// label sized in proportion, hubs (kinds of mutual, sectors, popular
// programmes) with the high degrees the real ones have, and mutuals, by far
// the most numerous, filling the rest. The same size gives the same files.
package shape

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// Size says how large a set to generate.
type Size struct {
	// Nodes is how many nodes the set holds, about: each label but Mutual
	// takes a share of it (never less than the shipped set has), mutuals the
	// rest. Relationships come to about five per node.
	Nodes int
	// Rels, when positive, fixes the number of relationship rows instead:
	// the other labels are sized for Rels/5 nodes, and mutuals are added
	// until the set holds exactly Rels relationship rows.
	Rels int
}

// Landmarks are ids that every generated set holds, whatever its size, with
// a chain of at most three steps from Commitment to Kind: benchmarks ask
// about them.
const (
	Kind       = "kind:spin-out"
	Commitment = "commitment:c000001"
	Lever      = "lever:l000001"
)

// Dataset is what Generate wrote: the files, in load order, and how many
// rows of each label and type.
type Dataset struct {
	Dir   string
	Files []string
	Nodes map[graph.Label]int
	Rels  map[graph.RelType]int
	Bytes int64
	// Samples are ids of nodes of several labels, first and last ones
	// included, for checks that compare two loads of the set.
	Samples []string
}

// NodeRows is the number of node rows of the set.
func (d *Dataset) NodeRows() int { return sum(d.Nodes) }

// RelRows is the number of relationship rows of the set.
func (d *Dataset) RelRows() int { return sum(d.Rels) }

func sum[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// counts sizes every label but Mutual for a set of n nodes.
type counts struct {
	sources, municipalities, ministries, agencies, commitments int
	levers, statutes, programmes, procurement, challenges      int
}

func countsFor(n int) counts {
	share := func(per, least int) int { return max(n/per, least) }
	return counts{
		sources:        share(200, 50),
		municipalities: max(n/500-len(jurisdictions), 0),
		ministries:     share(200, 14),
		agencies:       share(1000, 3),
		commitments:    share(100, 6),
		levers:         share(100, 22),
		statutes:       share(100, 22),
		programmes:     share(50, 19),
		procurement:    share(200, 5),
		challenges:     share(100_000, 5),
	}
}

func (c counts) total() int {
	return c.sources + len(jurisdictions) + c.municipalities + c.ministries + c.agencies + c.commitments + c.levers + c.statutes +
		c.programmes + c.procurement + c.challenges + len(kinds) + len(sectors) + len(outcomes)
}

// The fixed part of the graph, as in the real one.
var (
	jurisdictions = []struct{ slug, name, code, country, level, parent string }{
		{"ca", "Canada", "CA", "CA", "NATIONAL", ""},
		{"gb", "United Kingdom", "GB", "GB", "NATIONAL", ""},
		{"au", "Australia", "AU", "AU", "NATIONAL", ""},
		{"ca-qc", "Québec", "CA-QC", "CA", "PROVINCIAL", "ca"},
		{"ca-on", "Ontario", "CA-ON", "CA", "PROVINCIAL", "ca"},
		{"ca-bc", "British Columbia", "CA-BC", "CA", "PROVINCIAL", "ca"},
		{"ca-ns", "Nova Scotia", "CA-NS", "CA", "PROVINCIAL", "ca"},
		{"ca-nu", "Nunavut", "CA-NU", "CA", "TERRITORIAL", "ca"},
		{"gb-sct", "Scotland", "GB-SCT", "GB", "PROVINCIAL", "gb"},
		{"au-nsw", "New South Wales", "AU-NSW", "AU", "STATE", "au"},
		{"au-vic", "Victoria", "AU-VIC", "AU", "STATE", "au"},
		{"ca-qc-montreal", "Montréal", "CA-QC-MTL", "CA", "MUNICIPAL", "ca-qc"},
	}
	nationals = 3 // the first jurisdictions
	sectors   = []string{"child-care", "health-care", "social-housing", "home-care", "proximity-services",
		"youth-services", "libraries", "leisure", "transport", "employment"}
	kinds = []struct{ slug, route, initiator string }{
		{"spin-out", "SPIN_OUT", "EMPLOYEES"},
		{"spin-up", "SPIN_UP", "COMMUNITY"},
		{"spinning-together", "SPINNING_TOGETHER", "ORGANIZATIONS"},
		{"spin-off", "SPIN_OFF", "PROVIDERS"},
		{"spin-in", "SPIN_IN", "GOVERNMENT"},
		{"extension", "EXTENSION", "COOPERATIVES"},
		{"spin-out-government", "SPIN_OUT", "GOVERNMENT"},
	}
	outcomes = []string{"value-for-money", "innovation", "staff-engagement", "user-voice", "resilience", "social-value", "local-jobs"}
)

const randomSeed = 20240611

// Generate writes, in dir, a valid data set of the size.
func Generate(dir string, size Size) (*Dataset, error) {
	n := size.Nodes
	if size.Rels > 0 {
		n = size.Rels / 5
	}
	g := &generator{
		rnd:   rand.New(rand.NewPCG(randomSeed, uint64(size.Nodes)<<32|uint64(size.Rels))), //nolint:gosec // reproducible data, not secrets
		ds:    &Dataset{Dir: dir, Nodes: map[graph.Label]int{}, Rels: map[graph.RelType]int{}},
		open:  map[string]*table{},
		c:     countsFor(n),
		nodes: n,
		rels:  size.Rels,
	}
	err := g.create()
	if err == nil {
		err = g.run()
	}
	if cerr := g.closeAll(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	for _, f := range g.ds.Files {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			g.ds.Bytes += st.Size()
		}
	}
	return g.ds, nil
}

type generator struct {
	rnd   *rand.Rand
	ds    *Dataset
	open  map[string]*table
	c     counts
	nodes int // nodes wanted, unless rels is set
	rels  int // relationship rows wanted, when positive
	done  int // relationship rows written
}

// Ids of the generated nodes, numbered from 1, padded so that the order of
// ids is the order of numbers.
func sourceID(i int) string       { return fmt.Sprintf("source:s%05d", i) }
func municipalityID(i int) string { return fmt.Sprintf("jurisdiction:m%05d", i) }
func ministryID(i int) string     { return fmt.Sprintf("ministry:y%05d", i) }
func agencyID(i int) string       { return fmt.Sprintf("agency:a%05d", i) }
func commitmentID(i int) string   { return fmt.Sprintf("commitment:c%06d", i) }
func leverID(i int) string        { return fmt.Sprintf("lever:l%06d", i) }
func statuteID(i int) string      { return fmt.Sprintf("statute:s%06d", i) }
func programmeID(i int) string    { return fmt.Sprintf("programme:p%06d", i) }
func procurementID(i int) string  { return fmt.Sprintf("procurement:r%05d", i) }
func challengeID(i int) string    { return fmt.Sprintf("challenge:h%03d", i) }
func mutualID(i int) string       { return fmt.Sprintf("mutual:m%07d", i) }

func (g *generator) run() error {
	steps := []func() error{g.sources, g.jurisdictions, g.ministries, g.commitments, g.levers, g.statutes,
		g.programmes, g.procurement, g.kindsAndTopics, g.mutuals}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	g.ds.Samples = []string{sourceID(1), "jurisdiction:ca-qc", Kind, Commitment, Lever, statuteID(g.c.statutes),
		programmeID(1), programmeID(g.c.programmes), mutualID(1), mutualID(g.ds.Nodes[graph.LabelMutual])}
	return nil
}

func (g *generator) sources() error {
	for i := 1; i <= g.c.sources; i++ {
		t := g.node(graph.LabelSource, sourceID(i), fmt.Sprintf("Report %d on public service mutuals", i))
		t.set("author", "Jonathan Bland")
		t.set("publisher", []string{"Co-operatives UK", "Cabinet Office", "CIRIEC Canada"}[i%3])
		t.set("year", strconv.Itoa(2000+i%25))
		if i%2 == 0 {
			t.set("published", g.date(2000, 2024))
		}
		t.set("url", fmt.Sprintf("https://example.org/reports/%d", i))
		if err := t.end(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) jurisdictions() error {
	for _, j := range jurisdictions {
		t := g.node(graph.LabelJurisdiction, "jurisdiction:"+j.slug, j.name)
		t.set("code", j.code)
		t.set("country", j.country)
		t.set("level", j.level)
		t.set("sourceIds", g.sourceIDs())
		if err := t.end(); err != nil {
			return err
		}
		if j.parent != "" {
			if err := g.rel(graph.RelPartOf, "jurisdiction:"+j.slug, "jurisdiction:"+j.parent).end(); err != nil {
				return err
			}
		}
	}
	for i := 1; i <= g.c.municipalities; i++ {
		parent := jurisdictions[nationals+g.rnd.IntN(len(jurisdictions)-nationals-1)]
		t := g.node(graph.LabelJurisdiction, municipalityID(i), fmt.Sprintf("Municipality %d of %s", i, parent.name))
		t.set("code", fmt.Sprintf("%s-M%05d", parent.code, i))
		t.set("country", parent.country)
		t.set("level", "MUNICIPAL")
		if err := t.end(); err != nil {
			return err
		}
		if err := g.rel(graph.RelPartOf, municipalityID(i), "jurisdiction:"+parent.slug).end(); err != nil {
			return err
		}
	}
	return nil
}

// holder picks the jurisdiction that holds a lever, statute or programme:
// mostly national or provincial ones, some municipal.
func (g *generator) holder() string {
	switch r := g.rnd.IntN(10); {
	case r < 4:
		return "jurisdiction:" + jurisdictions[g.rnd.IntN(g.rnd.IntN(nationals)+1)].slug
	case r < 9 || g.c.municipalities == 0:
		return "jurisdiction:" + jurisdictions[nationals+g.rnd.IntN(len(jurisdictions)-nationals)].slug
	default:
		return municipalityID(1 + g.rnd.IntN(g.c.municipalities))
	}
}

func (g *generator) ministries() error {
	for i := 1; i <= g.c.ministries; i++ {
		t := g.node(graph.LabelMinistry, ministryID(i), fmt.Sprintf("Department %d of Economic and Social Development", i))
		t.set("minister", fmt.Sprintf("Minister %d", i))
		t.set("department", fmt.Sprintf("Department %d", i))
		if err := t.end(); err != nil {
			return err
		}
		// Ministries belong to national and provincial governments.
		j := jurisdictions[g.rnd.IntN(g.rnd.IntN(len(jurisdictions)-1)+1)]
		if err := g.rel(graph.RelOf, ministryID(i), "jurisdiction:"+j.slug).end(); err != nil {
			return err
		}
	}
	// So do regulators.
	for i := 1; i <= g.c.agencies; i++ {
		if err := g.node(graph.LabelAgency, agencyID(i), fmt.Sprintf("Financial Services Regulatory Authority %d", i)).end(); err != nil {
			return err
		}
		j := jurisdictions[g.rnd.IntN(len(jurisdictions))]
		if err := g.rel(graph.RelOf, agencyID(i), "jurisdiction:"+j.slug).end(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) commitments() error {
	for i := 1; i <= g.c.commitments; i++ {
		id := commitmentID(i)
		t := g.node(graph.LabelMandateCommitment, id, fmt.Sprintf("Commitment %d: support employee-owned providers of public services", i))
		t.set("issued", g.date(2010, 2024))
		if i%4 == 0 {
			t.set("outcome", "Announced in the budget")
		}
		if err := t.end(); err != nil {
			return err
		}
		lead := 1 + g.skewed(g.c.ministries)
		m := g.rel(graph.RelMandated, ministryID(lead), id)
		m.set("role", "LEAD")
		m.set("sourceIds", g.sourceIDs())
		if err := m.end(); err != nil {
			return err
		}
		if support := 1 + g.rnd.IntN(g.c.ministries); support != lead && g.rnd.IntN(10) < 3 {
			m := g.rel(graph.RelMandated, ministryID(support), id)
			m.set("role", "SUPPORT")
			m.set("sourceIds", g.sourceIDs())
			if err := m.end(); err != nil {
				return err
			}
		}
		targets := map[string]bool{}
		if i == 1 {
			targets[Lever] = true // the landmark chain: commitment, lever, kind
		}
		for len(targets) < 1+g.rnd.IntN(3) {
			targets[g.measure()] = true
		}
		for _, to := range sortedKeys(targets) {
			a := g.rel(graph.RelAdvances, id, to)
			a.set("rationale", "The commitment asks for it")
			a.set("sourceIds", g.sourceIDs())
			if err := a.end(); err != nil {
				return err
			}
		}
		if g.rnd.IntN(5) == 0 {
			if err := g.affects(id, 1, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// measure picks what a commitment advances: a lever, a statute, a programme
// or a procurement programme, popular ones more often.
func (g *generator) measure() string {
	switch r := g.rnd.IntN(20); {
	case r < 10:
		return leverID(1 + g.skewed(g.c.levers))
	case r < 14:
		return statuteID(1 + g.skewed(g.c.statutes))
	case r < 19:
		return programmeID(1 + g.skewed(g.c.programmes))
	default:
		return procurementID(1 + g.skewed(g.c.procurement))
	}
}

var instruments = graph.Instruments

func (g *generator) levers() error {
	for i := 1; i <= g.c.levers; i++ {
		id := leverID(i)
		t := g.node(graph.LabelLever, id, fmt.Sprintf("Lever %d: %s for social enterprise", i, strings.ToLower(instruments[i%len(instruments)])))
		t.set("instrument", instruments[i%len(instruments)])
		if err := t.end(); err != nil {
			return err
		}
		if err := g.heldAndAffects(id, 3, i == 1); err != nil {
			return err
		}
		if err := g.mitigates(id, g.rnd.IntN(3)); err != nil {
			return err
		}
		targets := map[string]bool{}
		for len(targets) < 1+g.rnd.IntN(2) {
			if g.rnd.IntN(2) == 0 {
				targets[statuteID(1+g.skewed(g.c.statutes))] = true
			} else {
				targets[programmeID(1+g.skewed(g.c.programmes))] = true
			}
		}
		for _, to := range sortedKeys(targets) {
			r := g.rel(graph.RelRealisedBy, id, to)
			r.set("sourceIds", g.sourceIDs())
			if err := r.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) statutes() error {
	for i := 1; i <= g.c.statutes; i++ {
		id := statuteID(i)
		t := g.node(graph.LabelStatute, id, fmt.Sprintf("Co-operatives and Mutuals Act %d", i))
		t.set("citation", fmt.Sprintf("S.C. %d, c. %d", 1950+i%75, 1+i%40))
		t.set("enacted", g.date(1950, 2020))
		t.set("inForce", g.date(1950, 2021))
		if i%10 == 0 {
			t.set("end", g.date(2022, 2030))
		}
		t.set("url", fmt.Sprintf("https://laws.example.org/acts/%d", i))
		if err := t.end(); err != nil {
			return err
		}
		if err := g.heldAndAffects(id, 3, false); err != nil {
			return err
		}
		if err := g.mitigates(id, g.rnd.IntN(2)); err != nil {
			return err
		}
		if g.rnd.IntN(2) == 0 {
			if err := g.administered(id); err != nil {
				return err
			}
		}
		if i > 1 && i%6 == 0 { // an amending act
			a := g.rel(graph.RelAmends, id, statuteID(1+g.rnd.IntN(i-1)))
			a.set("sourceIds", g.sourceIDs())
			if err := a.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) programmes() error {
	for i := 1; i <= g.c.programmes; i++ {
		id := programmeID(i)
		t := g.node(graph.LabelProgramme, id, fmt.Sprintf("Programme %d for social enterprise, \"mutuals\" and co-operatives", i))
		if i%3 == 0 {
			t.set("nameFr", fmt.Sprintf("Programme %d pour l'économie sociale", i))
		}
		t.set("description", "Funds the start-up, conversion and growth of employee- and member-owned providers of public services.")
		t.set("kind", []string{"FUNDING", "SUPPORT", "CAPITAL", "STRATEGY", "POLICY", "RESEARCH"}[i%6])
		t.set("budget", strconv.FormatFloat(float64(100_000+g.rnd.IntN(50_000_000))+0.5, 'f', -1, 64))
		t.set("currency", []string{"CAD", "GBP", "AUD"}[i%3])
		t.set("announced", g.date(2000, 2023))
		t.set("url", fmt.Sprintf("https://gov.example.org/programmes/%d", i))
		t.set("start", g.date(2000, 2023))
		if i%5 == 0 {
			t.set("end", g.date(2024, 2030))
		}
		if err := t.end(); err != nil {
			return err
		}
		if err := g.heldAndAffects(id, 2, false); err != nil {
			return err
		}
		if err := g.mitigates(id, g.rnd.IntN(2)); err != nil {
			return err
		}
		if err := g.administered(id); err != nil {
			return err
		}
		if i%4 == 0 { // a programme a statute establishes
			e := g.rel(graph.RelEstablishes, statuteID(1+g.skewed(g.c.statutes)), id)
			e.set("sourceIds", g.sourceIDs())
			if err := e.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) procurement() error {
	for i := 1; i <= g.c.procurement; i++ {
		id := procurementID(i)
		t := g.node(graph.LabelProcurementProgramme, id, fmt.Sprintf("Social procurement policy %d", i))
		t.set("announced", g.date(2005, 2023))
		t.set("start", g.date(2005, 2023))
		t.set("url", fmt.Sprintf("https://buy.example.org/policies/%d", i))
		if err := t.end(); err != nil {
			return err
		}
		if err := g.heldAndAffects(id, 2, false); err != nil {
			return err
		}
	}
	return nil
}

// heldAndAffects writes who holds a lever-like node and the one to most
// kinds it affects; the landmark lever affects the landmark kind.
func (g *generator) heldAndAffects(id string, most int, landmark bool) error {
	if err := g.rel(graph.RelHeldBy, id, g.holder()).end(); err != nil {
		return err
	}
	return g.affects(id, 1+g.rnd.IntN(most), landmark)
}

func (g *generator) affects(id string, n int, landmark bool) error {
	picked := g.pick(n, len(kinds), false)
	if landmark && !contains(picked, 0) {
		picked[0] = 0
	}
	for _, k := range picked {
		a := g.rel(graph.RelAffects, id, "kind:"+kinds[k].slug)
		a.set("effect", graph.Effects[g.rnd.IntN(len(graph.Effects))])
		a.set("rationale", "Bears on how such mutuals are formed and funded")
		a.set("sourceIds", g.sourceIDs())
		if err := a.end(); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) mitigates(id string, n int) error {
	for _, c := range g.pick(n, g.c.challenges, false) {
		m := g.rel(graph.RelMitigates, id, challengeID(c+1))
		m.set("rationale", "Answers the objection")
		m.set("sourceIds", g.sourceIDs())
		if err := m.end(); err != nil {
			return err
		}
	}
	return nil
}

// administered gives a statute or programme a ministry, or now and then a
// regulator that took it over on a day.
func (g *generator) administered(id string) error {
	if g.rnd.IntN(5) > 0 {
		return g.rel(graph.RelAdministeredBy, id, ministryID(1+g.skewed(g.c.ministries))).end()
	}
	t := g.rel(graph.RelAdministeredBy, id, agencyID(1+g.rnd.IntN(g.c.agencies)))
	t.set("since", g.date(2000, 2024))
	return t.end()
}

func (g *generator) kindsAndTopics() error {
	for i := 1; i <= g.c.challenges; i++ {
		t := g.node(graph.LabelChallenge, challengeID(i), fmt.Sprintf("Challenge %d: accountability", i))
		if err := t.end(); err != nil {
			return err
		}
	}
	for _, o := range outcomes {
		if err := g.node(graph.LabelOutcome, "outcome:"+o, strings.ReplaceAll(o, "-", " ")).end(); err != nil {
			return err
		}
	}
	for _, s := range sectors {
		t := g.node(graph.LabelSector, "sector:"+s, strings.ReplaceAll(s, "-", " "))
		t.set("description", "Public services in "+strings.ReplaceAll(s, "-", " ")+", as the paper groups them.")
		if err := t.end(); err != nil {
			return err
		}
	}
	for _, k := range kinds {
		id := "kind:" + k.slug
		t := g.node(graph.LabelMutualKind, id, strings.ReplaceAll(k.slug, "-", " "))
		t.set("nameFr", "essaimage "+k.slug)
		t.set("description", "A route by which a mutual comes to be: "+k.slug+".")
		t.set("route", k.route)
		t.set("initiator", k.initiator)
		if err := t.end(); err != nil {
			return err
		}
		for _, c := range g.pick(min(2+g.rnd.IntN(2), g.c.challenges), g.c.challenges, false) {
			f := g.rel(graph.RelFaces, id, challengeID(c+1))
			f.set("rationale", "The paper raises it for this route")
			f.set("sourceIds", g.sourceIDs())
			if err := f.end(); err != nil {
				return err
			}
		}
		for _, o := range g.pick(2+g.rnd.IntN(3), len(outcomes), false) {
			c := g.rel(graph.RelClaims, id, "outcome:"+outcomes[o])
			c.set("sourceIds", g.sourceIDs())
			if err := c.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

// mutuals writes mutuals until the set has the nodes, or the relationship
// rows, asked for. Per mutual: one IS_A, one or two SERVES, one LOCATED_IN,
// one or two SUPPORTED_BY, and now and then a CONTRACTED_UNDER and an
// INCORPORATED_UNDER: about 5.5 relationships.
func (g *generator) mutuals() error {
	want := max(g.nodes-g.c.total(), 10)
	for i := 1; (g.rels > 0 && g.done < g.rels) || (g.rels == 0 && i <= want); i++ {
		id := mutualID(i)
		if err := g.mutual(i, id); err != nil {
			return err
		}
		s := g.rel(graph.RelIsA, id, "kind:"+kinds[g.rnd.IntN(len(kinds))].slug)
		s.set("sourceIds", g.sourceIDs())
		if err := s.end(); err != nil {
			return err
		}
		for _, s := range g.pick(1+g.rnd.IntN(2), len(sectors), false) {
			if err := g.rel(graph.RelServes, id, "sector:"+sectors[s]).end(); err != nil {
				return err
			}
		}
		if err := g.rel(graph.RelLocatedIn, id, g.holder()).end(); err != nil {
			return err
		}
		for _, p := range g.pick(1+g.rnd.IntN(2), g.c.programmes, true) {
			s := g.rel(graph.RelSupportedBy, id, programmeID(p+1))
			s.set("sourceIds", g.sourceIDs())
			if err := s.end(); err != nil {
				return err
			}
		}
		if g.rnd.IntN(10) < 3 {
			c := g.rel(graph.RelContractedUnder, id, procurementID(1+g.skewed(g.c.procurement)))
			c.set("sourceIds", g.sourceIDs())
			if err := c.end(); err != nil {
				return err
			}
		}
		if g.rnd.IntN(10) == 0 {
			r := g.rel(graph.RelSupervisedBy, id, agencyID(1+g.rnd.IntN(g.c.agencies)))
			r.set("sourceIds", g.sourceIDs())
			if err := r.end(); err != nil {
				return err
			}
		}
		if g.rnd.IntN(10) < 3 {
			c := g.rel(graph.RelIncorporatedUnder, id, statuteID(1+g.skewed(g.c.statutes)))
			c.set("sourceIds", g.sourceIDs())
			if err := c.end(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) mutual(i int, id string) error {
	sector := sectors[g.rnd.IntN(len(sectors))]
	t := g.node(graph.LabelMutual, id, fmt.Sprintf("%s Co-operative No. %d, Ltd", strings.ReplaceAll(sector, "-", " "), i))
	if i%3 == 0 {
		t.set("nameFr", fmt.Sprintf("Coopérative de %s n° %d", sector, i))
	}
	t.set("description", fmt.Sprintf("Delivers %s under member control in its region; spun out of a public body in %d.",
		strings.ReplaceAll(sector, "-", " "), 1970+i%55))
	t.set("ownership", []string{"EMPLOYEE", "MEMBER", "CONSUMER", "MULTI_STAKEHOLDER", "COMMUNITY"}[g.rnd.IntN(5)])
	t.set("legalForm", []string{"community interest company", "co-operative", "company limited by guarantee"}[i%3])
	t.set("founded", strconv.Itoa(1970+g.rnd.IntN(55)))
	if i%100 == 0 {
		t.set("category", "true")
		t.set("count", strconv.Itoa(10+g.rnd.IntN(1000)))
	} else {
		t.set("category", "false")
	}
	if i%2 == 0 {
		t.set("website", fmt.Sprintf("https://m%07d.example.org/", i))
	}
	if i%50 == 0 {
		t.set("note", "Founding year uncertain: sources disagree.")
	}
	return t.end()
}

// sourceIDs names one or two sources, as most rows cite; a few sources are
// cited far more than the rest.
func (g *generator) sourceIDs() string {
	first := 1 + g.skewed(g.c.sources)
	if g.rnd.IntN(4) == 0 {
		if second := 1 + g.rnd.IntN(g.c.sources); second != first {
			return sourceID(first) + ";" + sourceID(second)
		}
	}
	return sourceID(first)
}

// skewed picks an index below n, low ones far more often: a few programmes
// support many mutuals, as popular programmes do.
func (g *generator) skewed(n int) int { return g.rnd.IntN(g.rnd.IntN(n) + 1) }

// pick returns k distinct indexes below n (k <= n), skewed or not.
func (g *generator) pick(k, n int, skewed bool) []int {
	out := make([]int, 0, k)
	for len(out) < k {
		i := g.rnd.IntN(n)
		if skewed {
			i = g.skewed(n)
		}
		if !contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (g *generator) date(from, to int) string {
	d := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rnd.IntN(365*(to-from+1)))
	return d.Format(time.DateOnly)
}

// create opens a file for each label and type of the model, its columns
// those of the model, so that the generator follows the model as it changes.
func (g *generator) create() error {
	for _, nt := range graph.NodeTypes {
		if err := g.createTable(nt.File, nil, nt.AllProperties()); err != nil {
			return err
		}
	}
	for _, rt := range graph.RelationshipTypes {
		if err := g.createTable(rt.File, []string{"from", "to"}, rt.Properties); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) createTable(file string, cols []string, props []graph.Property) error {
	for _, p := range props {
		cols = append(cols, p.Name)
	}
	t, err := newTable(filepath.Join(g.ds.Dir, file), cols)
	if err != nil {
		return err
	}
	g.open[file] = t
	g.ds.Files = append(g.ds.Files, file)
	return nil
}

// node starts a row of the label with its id and name.
func (g *generator) node(l graph.Label, id, name string) *table {
	g.ds.Nodes[l]++
	nt, ok := graph.NodeTypeFor(l)
	if !ok {
		panic("no node type " + l)
	}
	t := g.open[nt.File]
	t.set("id", id)
	t.set("name", name)
	return t
}

// rel starts a row of the type from one id to another. Past the number of
// rows asked for, it returns a table that writes nothing.
func (g *generator) rel(rt graph.RelType, from, to string) *table {
	if g.rels > 0 && g.done >= g.rels {
		return discard
	}
	g.done++
	g.ds.Rels[rt]++
	t, err := graph.RelationshipTypeOf(rt)
	if err != nil {
		panic(err)
	}
	tb := g.open[t.File]
	tb.set("from", from)
	tb.set("to", to)
	return tb
}

func (g *generator) closeAll() error {
	var first error
	for _, t := range g.open {
		if err := t.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
