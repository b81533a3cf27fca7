package graph

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// An aggregate asks for figures over every item of a list or a walk that
// its arguments keep, every page of it: counts, and the extremes, sums and
// averages of properties, over all the items or in groups of those that
// share values. Neo4j computes them in the read that pages the list.

// Measure is what a figure computes of a property.
type Measure string

// The measures.
const (
	// MeasureCount counts the items; it names no property.
	MeasureCount Measure = "count"
	// MeasureNumber is the count, minimum, maximum, sum and average of a
	// number, over the items that have it.
	MeasureNumber Measure = "number"
	// MeasureDate is the earliest and the latest of a date, as far as
	// each is known.
	MeasureDate Measure = "date"
	// MeasureText is the first and the last of a text or an enum, in the
	// order of their code points.
	MeasureText Measure = "text"
)

// Figure is one figure of an aggregate: a measure of a property of the
// items' nodes or, in a walk, of their relationships.
type Figure struct {
	Measure  Measure
	Property string
}

// Key names the figure in its aggregate's or group's answer.
func (f Figure) Key() string {
	if f.Property == "" {
		return string(f.Measure)
	}
	return string(f.Measure) + "_" + f.Property
}

// Grouping asks for the figures of each group of items that have the same
// values of the properties By: at most MaxGroupKeys, each an enum or the
// unit of an amount.
type Grouping struct {
	By      []string
	Figures []Figure
}

// Key names the grouping in its aggregate's answer.
func (g Grouping) Key() string { return "groups_" + strings.Join(g.By, "_") }

// MaxGroupKeys bounds the properties a grouping groups by.
const MaxGroupKeys = 3

// Aggregate asks for figures over the whole list, and for groupings.
type Aggregate struct {
	Figures []Figure
	Groups  []Grouping
}

// The keys of an aggregate's answer: TreeFigures, a map of each figure by
// its key, and each grouping's key, a list of its groups in the order of
// their values (a missing value last). A group is a map of TreeValues, its
// values in the order of By, and its figures by key. A count is a number;
// a number figure a map of FigureCount, FigureMin, FigureMax, FigureSum
// and FigureAverage; a date or a text figure a map of FigureMin and
// FigureMax, a date as a PartialDate's text.
const (
	TreeAggregate = "aggregate"
	TreeFigures   = "figures"
	TreeValues    = "values"
	FigureCount   = "count"
	FigureMin     = "min"
	FigureMax     = "max"
	FigureSum     = "sum"
	FigureAverage = "average"
)

// aggregated is a property that an aggregate may name: its Cypher, on the
// item's node or relationship, and its model.
type aggregated struct {
	cypher string
	Property
}

// aggregateTerms finds an aggregate's properties on nodes n of the labels
// and, in a walk, on its relationships rel.
type aggregateTerms struct {
	labels []Label
	walk   *Walk
	n, rel string
	// where is the list's filter, and dated whether a day in effect keeps
	// its items too: what fromIndex asks of the conditions.
	where Filter
	dated bool
}

// fromIndex reports whether indexes hold number property prop of every
// item the conditions keep, beside the values they test: the conditions
// test only prop and at most one enum held to one value, which an index
// pairs with prop. Figures of prop then read the index alone, over the
// items that have it, where a figure beside others reads every node.
func (t aggregateTerms) fromIndex(prop string) bool {
	w := t.where
	if t.walk != nil || t.dated || len(t.labels) != 1 ||
		len(w.And) > 0 || len(w.Or) > 0 || w.Not != nil || len(w.Rels) > 0 || len(w.Orders) > 0 {
		return false
	}
	enum := w.fixedEnum(t.labels, prop)
	for _, pf := range w.Props {
		if pf.Name != prop && (pf.Name != enum || pf.Op != OpEq) {
			return false
		}
	}
	p, ok := PropertyOf(t.labels, prop)
	return ok && (p.Type == TypeInt || p.Type == TypeFloat) // each has a range index (propertyIndexes)
}

// apart reports whether the figures are counts and numbers that fromIndex
// serves, each then read by a query of its own: a count is Neo4j's count
// of index entries or nodes, the others read an index; together, they
// would read every node's properties.
func (t aggregateTerms) apart(figures []Figure) bool {
	for _, f := range figures {
		if f.Measure != MeasureCount && (f.Measure != MeasureNumber || !t.fromIndex(f.Property)) {
			return false
		}
	}
	return true
}

// property is the property name, of the node first, then of the
// relationship.
func (t aggregateTerms) property(name string) (aggregated, error) {
	if p, ok := PropertyOf(t.labels, name); ok && !p.Type.IsList() {
		return aggregated{t.n + "." + p.Name, p}, nil
	}
	if t.walk != nil {
		if p, ok := RelPropertyOf(t.walk.Type, name); ok && !p.Type.IsList() {
			return aggregated{t.rel + "." + p.Name, p}, nil
		}
	}
	return aggregated{}, Errorf(CodeBadInput, "the items of this list have no property %q to aggregate", name)
}

// figures compiles the map of the figures, among items grouped by the
// properties units holds; read, when not nil, is the query that reads a
// figure apart from the others.
func (t aggregateTerms) figures(figures []Figure, units []string, read func(Figure) string) (string, error) {
	parts := make([]string, 0, len(figures))
	seen := map[string]bool{}
	for _, f := range figures {
		if seen[f.Key()] {
			continue
		}
		seen[f.Key()] = true
		e, err := t.figure(f, units)
		if err != nil {
			return "", err
		}
		if read != nil {
			e = read(f)
		}
		parts = append(parts, f.Key()+": "+e)
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// readApart reads each figure apart (apart): a count of the items that
// match and conds keep; a number over those that have it, from the index
// that holds it: its count and sum in one pass, its extremes each from an
// end of the index, its average from its sum.
func (t aggregateTerms) readApart(match string, conds []string) func(Figure) string {
	return func(f Figure) string {
		if f.Measure == MeasureCount {
			return "COUNT { MATCH " + match + whereClause(conds) + " }"
		}
		p := t.n + "." + f.Property
		read := func(ret string) string {
			return "COLLECT { MATCH " + match + whereClause(append(slices.Clip(conds), p+" IS NOT NULL")) + " RETURN " + ret + " }[0]"
		}
		return "[total IN [" + read("{"+FigureCount+": count(*), "+FigureSum+": sum("+p+")}") + "] | total {." + FigureCount + ", ." + FigureSum +
			", " + FigureMin + ": " + read(p+" AS value ORDER BY value LIMIT 1") +
			", " + FigureMax + ": " + read(p+" AS value ORDER BY value DESC LIMIT 1") +
			", " + FigureAverage + ": CASE total." + FigureCount + " WHEN 0 THEN null ELSE toFloat(total." + FigureSum + ") / total." + FigureCount + " END}][0]"
	}
}

// figure compiles one figure.
func (t aggregateTerms) figure(f Figure, units []string) (string, error) {
	if f.Measure == MeasureCount {
		if f.Property != "" {
			return "", Errorf(CodeBadInput, "a count counts items, not a property")
		}
		return "count(*)", nil
	}
	p, err := t.property(f.Property)
	if err != nil {
		return "", err
	}
	minMax := func(e string) string {
		return "{" + FigureMin + ": min(" + e + "), " + FigureMax + ": max(" + e + ")}"
	}
	switch {
	case f.Measure == MeasureNumber && (p.Type == TypeInt || p.Type == TypeFloat):
		if p.Unit != "" && !slices.Contains(units, p.Unit) {
			return "", Errorf(CodeBadInput, "%s is an amount in units of %s: aggregate it in groups by %s, since amounts in different units do not add up", p.Name, p.Unit, p.Unit)
		}
		e := p.cypher
		return "{" + FigureCount + ": count(" + e + "), " + FigureMin + ": min(" + e + "), " + FigureMax + ": max(" + e + "), " +
			FigureSum + ": sum(" + e + "), " + FigureAverage + ": avg(" + e + ")}", nil
	case f.Measure == MeasureDate && p.Type == TypeDate:
		return minMax(partialDateText(p.cypher)), nil
	case f.Measure == MeasureText && (p.Type == TypeString || p.Type == TypeEnum):
		return minMax(p.cypher), nil
	}
	return "", Errorf(CodeBadInput, "%s is a %s: it has no %s figures", p.Name, p.Type, f.Measure)
}

// partialDateText is the Cypher for date e as a PartialDate's text, as far
// as its precision beside it says. The texts sort as the dates do, a less
// precise date before the more precise ones that share its first day.
func partialDateText(e string) string {
	p := e + "Precision" // as PrecisionOf names it
	return "CASE " + p + " WHEN '" + string(PrecisionYear) + "' THEN left(toString(" + e + "), 4)" +
		" WHEN '" + string(PrecisionMonth) + "' THEN left(toString(" + e + "), 7) ELSE toString(" + e + ") END"
}

// grouping compiles the groups of the items that match and conds keep.
func (t aggregateTerms) grouping(g Grouping, match string, conds []string) (string, error) {
	if len(g.By) == 0 || len(g.By) > MaxGroupKeys {
		return "", Errorf(CodeBadInput, "a grouping groups by 1 to %d properties, not %d", MaxGroupKeys, len(g.By))
	}
	keys := make([]string, len(g.By))
	vars := make([]string, len(g.By))
	for i, name := range g.By {
		if slices.Contains(g.By[:i], name) {
			return "", Errorf(CodeBadInput, "a grouping names %q twice", name)
		}
		p, err := t.property(name)
		if err != nil {
			return "", err
		}
		if p.Type != TypeEnum && !isUnit(name) {
			return "", Errorf(CodeBadInput, "cannot group by %s: only by an enum or the unit of an amount, which have few values", name)
		}
		vars[i] = "grp" + strconv.Itoa(i)
		keys[i] = p.cypher + " AS " + vars[i]
	}
	figures, err := t.figures(g.Figures, g.By, nil)
	if err != nil {
		return "", err
	}
	return "COLLECT { MATCH " + match + whereClause(conds) + " WITH " + strings.Join(keys, ", ") + ", " + figures + " AS figs" +
		" ORDER BY " + strings.Join(vars, ", ") + " RETURN figs {.*, " + TreeValues + ": [" + strings.Join(vars, ", ") + "]} }", nil
}

// isUnit reports a property that holds the unit of another's amounts.
func isUnit(name string) bool {
	for _, nt := range NodeTypes {
		if slices.ContainsFunc(nt.Properties, func(p Property) bool { return p.Unit == name }) {
			return true
		}
	}
	return false
}

// aggregate compiles an aggregate of the items that match and conds keep.
func (t aggregateTerms) aggregate(a Aggregate, match string, conds []string) (string, error) {
	var parts []string
	if len(a.Figures) > 0 {
		var read func(Figure) string
		if t.apart(a.Figures) {
			read = t.readApart(match, conds)
		}
		figures, err := t.figures(a.Figures, nil, read)
		if err != nil {
			return "", err
		}
		if read == nil { // one read of the items for all the figures
			figures = "COLLECT { MATCH " + match + whereClause(conds) + " RETURN " + figures + " }[0]"
		}
		parts = append(parts, TreeFigures+": "+figures)
	}
	// Groupings by the same properties are read once, with all their
	// figures.
	var groups []Grouping
	for _, g := range a.Groups {
		i := slices.IndexFunc(groups, func(o Grouping) bool { return o.Key() == g.Key() })
		if i < 0 {
			groups = append(groups, Grouping{By: g.By})
			i = len(groups) - 1
		}
		groups[i].Figures = append(groups[i].Figures, g.Figures...)
	}
	for _, g := range groups {
		e, err := t.grouping(g, match, conds)
		if err != nil {
			return "", err
		}
		parts = append(parts, g.Key()+": "+e)
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// Aggregate computes the aggregate that list asks for: list reads a label's
// nodes or, below the node parent, a walk. The answer is the aggregate's,
// as TreeAggregate holds it; nil when parent names no node.
func (s *Store) Aggregate(ctx context.Context, list Read, parent string) (map[string]any, error) {
	list.Key = "list"
	reads := []Read{list}
	if parent != "" {
		reads = []Read{{Key: "parent", IDs: []string{parent}, Node: Shape{Below: reads}}}
	}
	tree, err := CompileTree(reads)
	if err != nil {
		return nil, err
	}
	out, err := s.ReadTree(ctx, tree)
	if err != nil {
		return nil, err
	}
	if parent != "" {
		items, _ := out["parent"].([]any)
		if len(items) == 0 {
			return nil, nil
		}
		item, _ := items[0].(map[string]any)
		out, _ = item[TreeNode].(map[string]any)
	}
	res, _ := out["list"].(map[string]any)
	agg, _ := res[TreeAggregate].(map[string]any)
	return agg, nil
}

// Check reports whether the aggregate suits a list of nodes of the labels
// or, when walk is not nil, a walk: that each figure and grouping names
// properties they have, of the kinds it may measure.
func (a Aggregate) Check(labels []Label, walk *Walk) error {
	_, err := aggregateTerms{labels: labels, walk: walk, n: "n", rel: "r"}.aggregate(a, "(n)", nil)
	return err
}
