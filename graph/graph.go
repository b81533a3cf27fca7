// Package graph is the knowledge graph of public service mutuals and the policy
// levers that affect them: its model, its domain types, and the Neo4j store
// that holds them. It is the only package that speaks Cypher or imports the
// Neo4j driver.
package graph

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Label is a Neo4j node label of the model. Labels form a closed set: Cypher
// cannot take a label as a parameter, so queries are built only from these
// constants, never from user input.
type Label string

// Node is any entity of the graph: it has a stable, human-readable id such as
// "kind:spin-out".
type Node interface {
	IsNode()
	GetID() string
}

// Entity holds what every node has, whatever its label.
type Entity struct {
	ID            string
	Name          string
	NameFr        *string
	Aliases       []string
	Description   *string
	DescriptionFr *string
	SourceIDs     []string
	Note          *string
}

// IsNode marks every entity as a Node.
func (Entity) IsNode() {}

// GetID returns the entity's id.
func (e Entity) GetID() string { return e.ID }

// Jurisdiction is a government that holds levers: Canada, a province, the UK.
type Jurisdiction struct {
	Entity
	// Code is the ISO 3166 code, such as CA, CA-QC or GB.
	Code string
	// Country is the ISO 3166-1 code of the country: CA for Québec.
	Country string
	Level   string
}

// Ministry is a minister's portfolio and department.
type Ministry struct {
	Entity
	Minister, Holder, Department, URL *string
}

// Agency is a regulator or agency that is not a ministry.
type Agency struct {
	Entity
	URL *string
}

// MandateCommitment is a commitment in a minister's mandate letter.
type MandateCommitment struct {
	Entity
	Issued  *time.Time
	Outcome *string
	// IssuedAsKnown is Issued as far as it is known; Issued is nil unless
	// known to the day.
	IssuedAsKnown *PartialDate
}

// Lever is a kind of policy lever a government holds.
type Lever struct {
	Entity
	Instrument string
}

// Statute is an act or code, in force from InForce until End.
type Statute struct {
	Entity
	Citation              *string
	Enacted, InForce, End *time.Time
	URL                   *string
	// The dates as far as they are known; the dates above are nil unless
	// known to the day.
	EnactedAsKnown, InForceAsKnown, EndAsKnown *PartialDate
}

// Programme is a funding, support, capital or strategy programme.
type Programme struct {
	Entity
	Kind     string
	Budget   *float64
	Currency *string
	URL      *string
	Span
}

// ProcurementProgramme is a procurement policy, right or programme.
type ProcurementProgramme struct {
	Entity
	URL *string
	Span
}

// Span is when a programme was announced, began and ended.
type Span struct {
	Announced, Start, End *time.Time
	// The dates as far as they are known; the dates above are nil unless
	// known to the day.
	AnnouncedAsKnown, StartAsKnown, EndAsKnown *PartialDate
}

// MutualKind is a route by which a public service mutual comes to be.
type MutualKind struct {
	Entity
	Route, Initiator string
}

// Mutual is a real organization, or a category of them.
type Mutual struct {
	Entity
	Ownership string
	LegalForm *string
	Founded   *int
	Category  bool
	Count     *int
	Website   *string
	// Status says whether it still operates as a mutual, since StatusSince
	// (nil unless known to the day; StatusSinceAsKnown as far as known).
	Status             *string
	StatusSince        *time.Time
	StatusSinceAsKnown *PartialDate
	OwnershipShares    *string
}

// Sector is a field of public service.
type Sector struct{ Entity }

// Challenge is a risk or objection raised against mutuals.
type Challenge struct{ Entity }

// Outcome is a benefit claimed for mutuals.
type Outcome struct{ Entity }

// Source is a document that supports claims in the graph.
type Source struct {
	Entity
	Author, Publisher *string
	Year              *int
	Published         *time.Time
	URL               *string
	// PublishedAsKnown is Published as far as it is known.
	PublishedAsKnown *PartialDate
}

// PageArgs asks for one page of a list: at most First items of those Where
// keeps. By default the list is ordered by id and the page starts after the
// id After ("" for the first page); with OrderBy, it is ordered by those
// properties (then by id) and the page starts at Offset.
type PageArgs struct {
	First   int
	After   string
	Where   Filter
	OrderBy []Sort
	Offset  int
	// EdgeWhere and EdgeOrderBy test and order a page of neighbours by
	// the properties of the relationships that reach them: EdgeWhere holds
	// only conditions on properties, with AND, OR and NOT; the edge's keys
	// come before OrderBy's.
	EdgeWhere   Filter
	EdgeOrderBy []Sort
}

// Ordered reports a page in an order of properties, whose cursors count
// positions; else it is in id order, and its cursors are ids.
func (a PageArgs) Ordered() bool { return len(a.OrderBy) > 0 || len(a.EdgeOrderBy) > 0 }

// MaxSortKeys bounds the properties a list is ordered by: after a few, the
// order is the id's anyway, and each key costs Neo4j a comparison per row.
const MaxSortKeys = 4

// Sort orders a list by a property.
type Sort struct {
	Property   string
	Descending bool
}

// CheckSorts refuses an order of more keys than MaxSortKeys, or one that
// names a property twice.
func CheckSorts(sorts []Sort) error {
	if len(sorts) > MaxSortKeys {
		return Errorf(CodeBadInput, "orderBy holds %d keys; the limit is %d", len(sorts), MaxSortKeys)
	}
	for i, s := range sorts {
		if slices.ContainsFunc(sorts[:i], func(o Sort) bool { return o.Property == s.Property }) {
			return Errorf(CodeBadInput, "orderBy names %q twice", s.Property)
		}
	}
	return nil
}

// order compiles the page's ordering and its start for node variable n, with
// the property names checked against the labels' model.
func (a PageArgs) order(labels []Label) (start, orderBy, skip string, err error) {
	if len(a.OrderBy) == 0 {
		return "n.id > $after", "n.id", "", nil
	}
	if err := CheckSorts(a.OrderBy); err != nil {
		return "", "", "", err
	}
	var keys []string
	for _, s := range a.OrderBy {
		p, ok := PropertyOf(labels, s.Property)
		if !ok || p.Type.IsList() {
			return "", "", "", Errorf(CodeBadInput, "cannot order by %q", s.Property)
		}
		key := "n." + p.Name
		if s.Descending {
			key += " DESC"
		}
		keys = append(keys, key)
	}
	if e := a.Where.fixedEnum(labels, a.OrderBy[0].Property); e != "" {
		// The enum has one value in the list, so ordering by it first
		// changes nothing; but it tells Neo4j that the index on the enum
		// and the first key together gives the rows in order.
		key := "n." + e
		if a.OrderBy[0].Descending {
			key += " DESC"
		}
		keys = append([]string{key}, keys...)
	}
	start = "true"
	if requiredOfAll(labels, a.OrderBy[0].Property) {
		// Always true, but it lets Neo4j read the property's index in
		// order instead of sorting every node: an index holds no nulls.
		start = "n." + a.OrderBy[0].Property + " IS NOT NULL"
	}
	return start, strings.Join(append(keys, "n.id"), ", "), "SKIP $offset ", nil
}

// listHint is the index hint of a list of the label's nodes, as node
// variable n, that has Neo4j read the list in its order and stop at the
// page's end, whatever its statistics say: the id index for a list in id
// order; for a list ordered by a key, the key's index, or the index
// pairing it with an enum the filter holds to one value. split reports a
// key that some kept nodes may lack (the model does not require it, and no
// condition on it keeps only nodes that have it): an index holds no node
// that lacks its key, so the list is read in two parts (splitRows), the
// hint serving the part that has it. "" for any other list.
func (a PageArgs) listHint(n string, label Label) (hint string, split bool) {
	index := "id"
	if len(a.OrderBy) > 0 {
		labels, key := []Label{label}, a.OrderBy[0].Property
		p, ok := PropertyOf(labels, key)
		if !ok {
			return "", false
		}
		split = !p.Required && !a.Where.tests(key)
		switch e := a.Where.fixedEnum(labels, key); {
		case e != "":
			index = e + ", " + key
		case split && rangeIndexed(p):
			index = key
		default:
			return "", false
		}
	}
	return " USING INDEX " + n + ":" + string(label) + "(" + index + ")", split
}

// splitRows is the Cypher that binds n to each node of a page of a list
// whose listHint is hint, and split: of the nodes that match reaches and conds keep,
// ordered by orderBy, limit nodes after offset (Cypher expressions). It
// reads the nodes that have the first key from the hinted index, in order,
// and those that lack it apart, which takes reading every node. Cypher
// sorts a missing value after every other: in an ascending order those
// come last, and are read only when the others fall short of the page; in
// a descending one they come first, and are read only when the count of
// all the nodes, from Neo4j's count store when nothing is tested, exceeds
// the count of the index's entries.
func (a PageArgs) splitRows(match, hint, n string, conds []string, orderBy, offset, limit string) string {
	key, want := n+"."+a.OrderBy[0].Property, offset+" + "+limit
	part := func(hint, has string) string {
		return "MATCH " + match + hint + whereClause(append([]string{key + has}, conds...))
	}
	valued, missing := part(hint, " IS NOT NULL"), part("", " IS NULL")
	ordered := func(part string) string {
		return part + " WITH " + n + " ORDER BY " + orderBy + " LIMIT " + want + " RETURN " + n
	}
	// Unwinding no row keeps Neo4j from reading a part at all; a condition
	// on the rest alone it would test on every node the part reads.
	when := func(cond, part string) string {
		return "UNWIND CASE WHEN " + cond + " THEN [true] ELSE [] END AS " + n + "Read CALL (" + n + "Read) { " +
			ordered(part) + " } RETURN " + n
	}
	head, rows := n+"Head", n+"Rows"
	short := "size(" + head + ") < " + want
	first, then := ordered(valued), when(short, missing)
	if a.OrderBy[0].Descending {
		lacking := "COUNT { MATCH " + match + whereClause(conds) + " } > COUNT { " + valued + " }"
		first, then = when(lacking, missing), when(short, valued)
	}
	// Subquery expressions, not collect(), which Neo4j would take for an
	// aggregation of the expression around them.
	return "WITH COLLECT { " + first + " } AS " + head + " WITH " + head + " + COLLECT { " + then + " } AS " + rows +
		" UNWIND " + rows + "[" + offset + ".." + want + "] AS " + n
}

// neighbourStart is the start of a page of neighbours, given the start of
// a list: no condition, unless a cursor says where the page starts. A
// condition on an indexed property leads Neo4j to seek every node of the
// label in the index and then look for the relationship, instead of
// following the relationships of the one node at hand.
func (a PageArgs) neighbourStart(start string) string {
	if a.Ordered() || a.After == "" {
		return "true"
	}
	return start
}

// walkOrder is order for a page of neighbours through relationship rel of
// the walk: the edge's keys first, where there are any, and no condition on
// the id unless a cursor after an id asks for one.
func (a PageArgs) walkOrder(w Walk, rel string) (start, orderBy, skip string, err error) {
	start, orderBy, skip, err = a.order(w.Targets)
	if err != nil || len(a.EdgeOrderBy) == 0 {
		return a.neighbourStart(start), orderBy, skip, err
	}
	if err := CheckSorts(a.EdgeOrderBy); err != nil {
		return "", "", "", err
	}
	var keys []string
	for _, s := range a.EdgeOrderBy {
		p, ok := RelPropertyOf(w.Type, s.Property)
		if !ok || p.Type != TypeEnum && p.Type != TypeDate {
			return "", "", "", Errorf(CodeBadInput, "cannot order %s by %q", w.Type, s.Property)
		}
		key := rel + "." + p.Name
		if p.Type == TypeEnum {
			// In the order the model lists the values: an effect's
			// strongest first. The values come from the model.
			key = "CASE " + key
			for i, v := range p.Values {
				key += " WHEN '" + v + "' THEN " + strconv.Itoa(i)
			}
			key += " END"
		}
		if s.Descending {
			key += " DESC"
		}
		keys = append(keys, key)
	}
	return "true", strings.Join(keys, ", ") + ", " + orderBy, "SKIP $offset ", nil
}

// CheckWalk reports whether the page's arguments suit a walk: its edge's
// conditions and keys name properties the relationship type has.
func (a PageArgs) CheckWalk(w Walk) error {
	if _, _, _, err := a.walkOrder(w, "r"); err != nil {
		return err
	}
	_, err := a.edgeCondition(w, "r", params{})
	return err
}

// edgeCondition compiles the page's conditions on relationship rel of the
// walk, "" when it has none.
func (a PageArgs) edgeCondition(w Walk, rel string, p params) (string, error) {
	if a.EdgeWhere.IsZero() {
		return "", nil
	}
	if err := a.EdgeWhere.validateEdge(w.Type); err != nil {
		return "", err
	}
	return a.EdgeWhere.where(rel, p, 0), nil
}

// RelPropertyOf is the relationship type's property by name.
func RelPropertyOf(t RelType, name string) (Property, bool) {
	for _, rt := range RelationshipTypes {
		if rt.Type == t {
			i := slices.IndexFunc(rt.Properties, func(p Property) bool { return p.Name == name })
			if i >= 0 {
				return rt.Properties[i], true
			}
		}
	}
	return Property{}, false
}

// requiredOfAll reports a property that every node of the labels has.
func requiredOfAll(labels []Label, name string) bool {
	for _, l := range labels {
		if p, ok := PropertyOf([]Label{l}, name); !ok || !p.Required {
			return false
		}
	}
	return len(labels) > 0
}

// ListArgs asks for one page of a label's nodes, optionally only those in
// effect on a day: with IncludeUndated, those without a first date too.
type ListArgs struct {
	PageArgs
	AsOf           *time.Time
	IncludeUndated bool
}

// Page is one page of a list, with what a cursor connection needs around it.
type Page[T any] struct {
	Items   []T
	HasNext bool
	// Total counts the whole list, not just this page.
	Total int
	// Offset is the position of the first item in an ordered list, or -1 for
	// a list paged by id.
	Offset int
}
