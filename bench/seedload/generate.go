package main

import (
	"bufio"
	"encoding/csv"
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

// dataset is what generate wrote: the files, in load order, and how many rows
// of each label and type, which both loads must end up with in the graph.
type dataset struct {
	dir   string
	files []string
	nodes map[graph.Label]int
	rels  map[graph.RelType]int
	bytes int64
	// samples are ids whose nodes and relationships are compared, property
	// by property, between the two loads.
	samples []string
}

func (d *dataset) nodeRows() int { return sum(d.nodes) }
func (d *dataset) relRows() int  { return sum(d.rels) }

func sum[K comparable](m map[K]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// The hubs of the graph, sized like the real one: a few sources and
// jurisdictions, a handful of kinds and sectors, many programmes and, below
// them, as many mutuals as the relationship count asks for.
var (
	jurisdictions = []struct{ slug, name, code, country, level string }{
		{"ca", "Canada", "CA", "CA", "NATIONAL"},
		{"ca-qc", "Québec", "CA-QC", "CA", "PROVINCIAL"},
		{"ca-on", "Ontario", "CA-ON", "CA", "PROVINCIAL"},
		{"ca-bc", "British Columbia", "CA-BC", "CA", "PROVINCIAL"},
		{"ca-ns", "Nova Scotia", "CA-NS", "CA", "PROVINCIAL"},
		{"ca-nu", "Nunavut", "CA-NU", "CA", "TERRITORIAL"},
		{"gb", "United Kingdom", "GB", "GB", "NATIONAL"},
		{"gb-sct", "Scotland", "GB-SCT", "GB", "PROVINCIAL"},
		{"au", "Australia", "AU", "AU", "NATIONAL"},
		{"au-nsw", "New South Wales", "AU-NSW", "AU", "STATE"},
		{"au-vic", "Victoria", "AU-VIC", "AU", "STATE"},
		{"ca-qc-montreal", "Montréal", "CA-QC-MTL", "CA", "MUNICIPAL"},
	}
	sectors = []string{"child-care", "health-care", "social-housing", "home-care", "proximity-services",
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
	sources    = []string{"source:psm-paper", "source:registry-2024", "source:survey-2023"}
	programmes = 1000
)

// Per mutual: one IS_A, one or two SERVES, one LOCATED_IN and one to three
// SUPPORTED_BY, about 5.5 relationship rows.
const (
	maxServes      = 2
	maxSupportedBy = 3
	randomSeed     = 20240611
)

// generate writes, in dir, a valid data set whose IS_A, SERVES, LOCATED_IN and
// SUPPORTED_BY files hold exactly rels rows. The same rels gives the same files.
func generate(dir string, rels int) (*dataset, error) {
	g := &generator{
		rnd:  rand.New(rand.NewPCG(randomSeed, uint64(rels))),
		ds:   &dataset{dir: dir, nodes: map[graph.Label]int{}, rels: map[graph.RelType]int{}},
		open: map[string]*table{},
	}
	err := g.create()
	if err == nil {
		err = g.run(rels)
	}
	if cerr := g.closeAll(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	for _, f := range g.ds.files {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			g.ds.bytes += st.Size()
		}
	}
	return g.ds, nil
}

type generator struct {
	rnd  *rand.Rand
	ds   *dataset
	open map[string]*table
}

func (g *generator) run(rels int) error {
	for i, id := range sources {
		t := g.nodes(graph.LabelSource)
		t.set("id", id)
		t.set("name", fmt.Sprintf("Source %d: a report on public service mutuals", i+1))
		t.set("author", "Jonathan Bland")
		t.set("publisher", "Co-operatives UK")
		t.set("year", strconv.Itoa(2011+i))
		t.set("published", fmt.Sprintf("%d-0%d-1%d", 2011+i, i+1, i))
		t.set("url", "https://example.org/"+strings.TrimPrefix(id, "source:"))
		if err := t.end(); err != nil {
			return err
		}
	}
	for _, j := range jurisdictions {
		t := g.nodes(graph.LabelJurisdiction)
		t.set("id", "jurisdiction:"+j.slug)
		t.set("name", j.name)
		t.set("code", j.code)
		t.set("country", j.country)
		t.set("level", j.level)
		t.set("sourceIds", sources[0])
		if err := t.end(); err != nil {
			return err
		}
	}
	for _, s := range sectors {
		t := g.nodes(graph.LabelSector)
		t.set("id", "sector:"+s)
		t.set("name", strings.ReplaceAll(s, "-", " "))
		t.set("description", "Public services in "+strings.ReplaceAll(s, "-", " ")+", as the paper groups them.")
		if err := t.end(); err != nil {
			return err
		}
	}
	for _, k := range kinds {
		t := g.nodes(graph.LabelMutualKind)
		t.set("id", "kind:"+k.slug)
		t.set("name", strings.ReplaceAll(k.slug, "-", " "))
		t.set("nameFr", "essaimage "+k.slug)
		t.set("description", "A route by which a mutual comes to be: "+k.slug+".")
		t.set("sourceIds", sources[0])
		t.set("route", k.route)
		t.set("initiator", k.initiator)
		if err := t.end(); err != nil {
			return err
		}
	}
	for i := 1; i <= programmes; i++ {
		if err := g.programme(i); err != nil {
			return err
		}
	}
	done := 0
	// emit writes one relationship row unless the count is reached.
	emit := func(t graph.RelType, from, to string, withSources bool) error {
		if done == rels {
			return nil
		}
		done++
		tb := g.rels(t)
		tb.set("from", from)
		tb.set("to", to)
		if withSources {
			tb.set("sourceIds", g.sourceIDs())
		}
		return tb.end()
	}
	for i := 1; done < rels; i++ {
		id, err := g.mutual(i)
		if err != nil {
			return err
		}
		if err := emit(graph.RelIsA, id, "kind:"+kinds[g.rnd.IntN(len(kinds))].slug, true); err != nil {
			return err
		}
		for _, s := range g.pick(1+g.rnd.IntN(maxServes), len(sectors), false) {
			if err := emit(graph.RelServes, id, "sector:"+sectors[s], false); err != nil {
				return err
			}
		}
		if err := emit(graph.RelLocatedIn, id, "jurisdiction:"+jurisdictions[g.rnd.IntN(len(jurisdictions))].slug, false); err != nil {
			return err
		}
		for _, p := range g.pick(1+g.rnd.IntN(maxSupportedBy), programmes, true) {
			if err := emit(graph.RelSupportedBy, id, programmeID(p+1), true); err != nil {
				return err
			}
		}
	}
	g.ds.samples = []string{sources[1], "jurisdiction:ca-qc", "kind:spin-in", programmeID(1), programmeID(programmes),
		mutualID(1), mutualID(2), mutualID(g.ds.nodes[graph.LabelMutual])}
	return nil
}

func programmeID(i int) string { return fmt.Sprintf("programme:p%04d", i) }
func mutualID(i int) string    { return fmt.Sprintf("mutual:m%07d", i) }

func (g *generator) programme(i int) error {
	t := g.nodes(graph.LabelProgramme)
	t.set("id", programmeID(i))
	t.set("name", fmt.Sprintf("Programme %d for social enterprise, \"mutuals\" and co-operatives", i))
	if i%3 == 0 {
		t.set("nameFr", fmt.Sprintf("Programme %d pour l'économie sociale", i))
	}
	t.set("description", "Funds the start-up, conversion and growth of employee- and member-owned providers of public services.")
	t.set("sourceIds", g.sourceIDs())
	t.set("kind", []string{"FUNDING", "SUPPORT", "CAPITAL", "STRATEGY", "POLICY", "RESEARCH"}[i%6])
	t.set("budget", strconv.FormatFloat(float64(100_000+g.rnd.IntN(50_000_000))+0.5, 'f', -1, 64))
	t.set("currency", []string{"CAD", "GBP", "AUD"}[i%3])
	t.set("announced", g.date(2000, 2023))
	t.set("url", fmt.Sprintf("https://gov.example.org/programmes/%d", i))
	t.set("start", g.date(2000, 2023))
	if i%5 == 0 {
		t.set("end", g.date(2024, 2030))
	}
	return t.end()
}

func (g *generator) mutual(i int) (string, error) {
	id := mutualID(i)
	t := g.nodes(graph.LabelMutual)
	sector := sectors[g.rnd.IntN(len(sectors))]
	t.set("id", id)
	t.set("name", fmt.Sprintf("%s Co-operative No. %d, Ltd", strings.ReplaceAll(sector, "-", " "), i))
	if i%3 == 0 {
		t.set("nameFr", fmt.Sprintf("Coopérative de %s n° %d", sector, i))
	}
	t.set("description", fmt.Sprintf("Delivers %s under member control in its region; spun out of a public body in %d.",
		strings.ReplaceAll(sector, "-", " "), 1970+i%55))
	t.set("sourceIds", g.sourceIDs())
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
	return id, t.end()
}

// sourceIDs names one or two sources, as most rows cite.
func (g *generator) sourceIDs() string {
	if g.rnd.IntN(4) == 0 {
		return sources[0] + ";" + sources[1+g.rnd.IntN(len(sources)-1)]
	}
	return sources[g.rnd.IntN(len(sources))]
}

// pick returns k distinct indexes below n; skewed, a few programmes support
// many mutuals, as popular programmes do.
func (g *generator) pick(k, n int, skewed bool) []int {
	out := make([]int, 0, k)
	for len(out) < k {
		i := g.rnd.IntN(n)
		if skewed {
			i = g.rnd.IntN(i + 1)
		}
		dup := false
		for _, o := range out {
			dup = dup || o == i
		}
		if !dup {
			out = append(out, i)
		}
	}
	return out
}

func (g *generator) date(from, to int) string {
	d := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rnd.IntN(365*(to-from+1)))
	return d.Format(time.DateOnly)
}

// The labels and types the generated set has; its files come in the model's
// order, the order both loaders take them in.
var (
	generatedLabels = []graph.Label{graph.LabelSource, graph.LabelJurisdiction, graph.LabelProgramme,
		graph.LabelMutualKind, graph.LabelMutual, graph.LabelSector}
	generatedTypes = []graph.RelType{graph.RelIsA, graph.RelServes, graph.RelLocatedIn, graph.RelSupportedBy}
)

// create opens a file for each generated label and type, its columns those
// of the model, so that the generator follows the model as it changes.
func (g *generator) create() error {
	for _, nt := range graph.NodeTypes {
		if slices.Contains(generatedLabels, nt.Label) {
			props := append(append([]graph.Property{}, graph.CommonProperties...), nt.Properties...)
			if err := g.createTable(nt.File, nil, props); err != nil {
				return err
			}
		}
	}
	for _, rt := range graph.RelationshipTypes {
		if slices.Contains(generatedTypes, rt.Type) {
			if err := g.createTable(rt.File, []string{"from", "to"}, rt.Properties); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *generator) createTable(file string, cols []string, props []graph.Property) error {
	for _, p := range props {
		cols = append(cols, p.Name)
	}
	t, err := newTable(filepath.Join(g.ds.dir, file), cols)
	if err != nil {
		return err
	}
	g.open[file] = t
	g.ds.files = append(g.ds.files, file)
	return nil
}

// nodes returns the table for a new row of the label.
func (g *generator) nodes(l graph.Label) *table {
	g.ds.nodes[l]++
	for _, nt := range graph.NodeTypes {
		if nt.Label == l {
			return g.open[nt.File]
		}
	}
	panic("no node type " + l)
}

// rels returns the table for a new row of the type.
func (g *generator) rels(t graph.RelType) *table {
	g.ds.rels[t]++
	for _, rt := range graph.RelationshipTypes {
		if rt.Type == t {
			return g.open[rt.File]
		}
	}
	panic("no relationship type " + t)
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

// table writes one CSV file, a row at a time, cells set by column name.
type table struct {
	f   *os.File
	buf *bufio.Writer
	w   *csv.Writer
	idx map[string]int
	row []string
	err error
}

func newTable(path string, cols []string) (*table, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	t := &table{f: f, buf: buf, w: csv.NewWriter(buf), idx: map[string]int{}, row: make([]string, len(cols))}
	for i, c := range cols {
		t.idx[c] = i
	}
	t.err = t.w.Write(cols)
	return t, nil
}

func (t *table) set(col, val string) {
	i, ok := t.idx[col]
	if !ok {
		panic("the model has no column " + col) // a generator bug, not a data problem
	}
	t.row[i] = val
}

// end writes the row and clears it for the next.
func (t *table) end() error {
	if t.err == nil {
		t.err = t.w.Write(t.row)
	}
	clear(t.row)
	return t.err
}

func (t *table) close() error {
	t.w.Flush()
	err := t.err
	if err == nil {
		err = t.w.Error()
	}
	if err == nil {
		err = t.buf.Flush()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}
