package graph

import "slices"

// This file is the model: every node label and relationship type, with the
// properties each carries. The CSV layout, its validation and its docs, the
// loader's Cypher and the schema's constraints all derive from these tables,
// so a change to the model is made here once.

// The labels of the model.
const (
	// LabelEntity is carried by every node beside its own label, so that one
	// uniqueness constraint makes ids unique across the graph and one index
	// finds any node by id.
	LabelEntity Label = "Entity"

	LabelJurisdiction         Label = "Jurisdiction"
	LabelMinistry             Label = "Ministry"
	LabelAgency               Label = "Agency"
	LabelMandateCommitment    Label = "MandateCommitment"
	LabelLever                Label = "Lever"
	LabelStatute              Label = "Statute"
	LabelProgramme            Label = "Programme"
	LabelProcurementProgramme Label = "ProcurementProgramme"
	LabelMutualKind           Label = "MutualKind"
	LabelMutual               Label = "Mutual"
	LabelSector               Label = "Sector"
	LabelChallenge            Label = "Challenge"
	LabelOutcome              Label = "Outcome"
	LabelSource               Label = "Source"
)

// RelType is a relationship type of the model; like labels, types form a
// closed set and are never taken from user input.
type RelType string

// The relationship types of the model.
const (
	RelPartOf            RelType = "PART_OF"
	RelOf                RelType = "OF"
	RelHeldBy            RelType = "HELD_BY"
	RelMandated          RelType = "MANDATED"
	RelAdvances          RelType = "ADVANCES"
	RelRealisedBy        RelType = "REALISED_BY"
	RelAdministeredBy    RelType = "ADMINISTERED_BY"
	RelAffects           RelType = "AFFECTS"
	RelMitigates         RelType = "MITIGATES"
	RelFaces             RelType = "FACES"
	RelClaims            RelType = "CLAIMS"
	RelIsA               RelType = "IS_A"
	RelServes            RelType = "SERVES"
	RelLocatedIn         RelType = "LOCATED_IN"
	RelContractedUnder   RelType = "CONTRACTED_UNDER"
	RelSupportedBy       RelType = "SUPPORTED_BY"
	RelIncorporatedUnder RelType = "INCORPORATED_UNDER"
	RelEstablishes       RelType = "ESTABLISHES"
	RelSupervisedBy      RelType = "SUPERVISED_BY"
	RelAmends            RelType = "AMENDS"
)

// Type is the type of a property's value.
type Type string

// The property types, with how a CSV cell spells each.
const (
	TypeString Type = "string"  // any text
	TypeInt    Type = "integer" // a whole number: 1998
	TypeFloat  Type = "number"  // a decimal number: 10000000.50
	TypeBool   Type = "boolean" // true or false
	TypeDate   Type = "date"    // ISO 8601 calendar date: 1999-12-31, or 1999-12 or 1999 when only the month or year is known
	TypeURL    Type = "url"     // an absolute http or https URL
	TypeEnum   Type = "enum"    // one of the property's Values
	TypeRefs   Type = "ids"     // a ;-separated list of ids of nodes of the property's Refs label
	TypeTexts  Type = "texts"   // a ;-separated list of short texts
)

// IsList reports whether a property of the type holds a list, which no
// list is sorted by.
func (t Type) IsList() bool { return t == TypeRefs || t == TypeTexts }

// Property is one property of a node or relationship.
type Property struct {
	Name     string
	Type     Type
	Required bool
	// Values lists the allowed values of an enum.
	Values []string
	// Refs is the label of the nodes a TypeRefs list points at.
	Refs Label
	// Unit names the property that holds the unit of an amount (a
	// budget's currency): aggregates never add amounts of two units.
	Unit string
	Doc  string
	// Example is a value for the docs' example row.
	Example string
}

// NodeType describes one label: its id prefix, its CSV file and its properties
// beyond the common ones every node has (see CommonProperties).
type NodeType struct {
	Label Label
	// Prefix starts every id of the label: "kind" for "kind:spin-out".
	Prefix string
	// File is the label's CSV file in a data set.
	File       string
	Doc        string
	Properties []Property
	// Example names an entity of the label, for the docs' example row.
	Example string
}

// AllProperties are the label's properties: the common ones, then its own.
func (nt NodeType) AllProperties() []Property {
	return append(append([]Property{}, CommonProperties...), nt.Properties...)
}

// RelationshipType describes one relationship type: the labels it may join,
// its CSV file and its properties.
type RelationshipType struct {
	Type RelType
	File string
	From []Label
	To   []Label
	Doc  string
	// Properties are the relationship's own, beyond its endpoints.
	Properties []Property
}

// Enumerations shared by several properties.
var (
	// Effects says how a lever, statute, programme or commitment bears on a
	// kind of mutual, strongest first.
	Effects = []string{"ENABLES", "FUNDS", "REGULATES", "CONSTRAINS"}
	// Roles of a ministry in a mandate commitment.
	Roles = []string{"LEAD", "SUPPORT"}
	// Levels of a jurisdiction.
	Levels = []string{"NATIONAL", "PROVINCIAL", "TERRITORIAL", "STATE", "MUNICIPAL"}
	// MutualStatuses say whether an organization still operates as a mutual.
	MutualStatuses = []string{"ACTIVE", "DISSOLVED", "ACQUIRED", "IN_ADMINISTRATION"}
	// Instruments of a lever.
	Instruments = []string{"LEGISLATION", "TAX", "SPENDING", "PROCUREMENT", "GRANTS", "CAPITAL", "GOVERNANCE", "OVERSIGHT"}
)

// sources is the property, on nodes and relationships alike, that names the
// evidence for a claim. Each id may be followed by @ and where the source
// says it (source:x@s. 3); the places are kept beside the ids, in Locators.
func sources(required bool, example string) Property {
	return Property{Name: "sourceIds", Type: TypeRefs, Refs: LabelSource, Required: required,
		Doc: "ids of the sources that support it, each optionally followed by @ and where the source says it: a section, page, paragraph or heading", Example: example}
}

// Locators is the stored property that holds, beside sourceIds and in its
// order, where each source says what it supports ("" where not given). It
// is no column of its own: the sourceIds cell carries it after @.
const Locators = "locators"

// How well a claim-carrying relationship is established.
const (
	// Stated: every source it cites says it, at the place its locator names.
	Stated = "STATED"
	// Inferred: it is the curators' reasoning, which its rationale gives.
	Inferred = "INFERRED"
)

// Evidences are the values of a relationship's evidence.
var Evidences = []string{Stated, Inferred}

// span dates a relationship that holds for a while: who administered a
// statute before a regulator took it over.
func span() []Property {
	return []Property{
		{Name: "since", Type: TypeDate, Doc: "the day it began to hold, where it began after the things it joins", Example: "2019-06-08"},
		{Name: "until", Type: TypeDate, Doc: "the day it ceased to hold; empty while it holds", Example: "2019-06-08"},
	}
}

// claim are the properties of a relationship that makes a claim, after its
// own: why it holds, its sources, whether they state it or it is inferred,
// and a caveat. PART_OF, OF and LOCATED_IN state geography and government
// structure, and make no claim.
func claim(rationaleRequired, sourcesRequired bool, own ...Property) []Property {
	example := ""
	if sourcesRequired {
		example = "source:psm-paper"
	}
	return append(own, rationale(rationaleRequired), sources(sourcesRequired, example),
		Property{Name: "evidence", Type: TypeEnum, Values: Evidences, Example: Stated,
			Doc: "STATED when every source it cites says it, each with a locator; INFERRED when the rationale reasons it from them"},
		linkNote)
}

// MakesClaim reports whether a relationship type carries evidence.
func (rt RelationshipType) MakesClaim() bool {
	return slices.ContainsFunc(rt.Properties, func(p Property) bool { return p.Name == "evidence" })
}

// CommonProperties are carried by every node, before its label's own.
var CommonProperties = []Property{
	{Name: "id", Type: TypeString, Required: true, Doc: "stable id: the label's prefix, a colon and a slug", Example: "kind:spin-out"},
	{Name: "name", Type: TypeString, Required: true, Doc: "name in English", Example: "Spin-out"},
	{Name: "nameFr", Type: TypeString, Doc: "name in French, where one is published", Example: "Essaimage"},
	{Name: "aliases", Type: TypeTexts, Doc: "acronyms and short names it is known by, in English or French (CBCA; LCSA), which search matches exactly"},
	{Name: "description", Type: TypeString, Doc: "one or two sentences in English"},
	{Name: "descriptionFr", Type: TypeString, Doc: "the description in French"},
	sources(false, "source:psm-paper"),
	{Name: "note", Type: TypeString, Doc: "a caveat for readers: what is uncertain or disputed about this entity"},
}

// datesOfEffect lets a query ask what was in force on a day: in force from
// start (inclusive) to end (exclusive); no end means still in force. A date
// known only to the month or year counts by its certain side: in force
// from the last day it may have started, until the last day it may have
// ended.
func datesOfEffect(startName, startDoc string) []Property {
	return []Property{
		{Name: startName, Type: TypeDate, Doc: startDoc, Example: "1999-12-31"},
		{Name: "end", Type: TypeDate, Doc: "the day it ceased to have effect (repealed, closed); empty while in effect"},
	}
}

// NodeTypes lists every label of the model, in load order.
var NodeTypes = []NodeType{
	{Label: LabelSource, Prefix: "source", File: "sources.csv", Example: "Time to get serious: international lessons for developing public service mutuals",
		Doc: "A document that supports claims in the graph: the paper itself, each reference it lists, and each source of an added fact.",
		Properties: []Property{
			{Name: "author", Type: TypeString, Doc: "authors, as credited", Example: "Jonathan Bland"},
			{Name: "publisher", Type: TypeString, Doc: "publishing body", Example: "Co-operatives UK"},
			{Name: "year", Type: TypeInt, Doc: "year of publication", Example: "2011"},
			{Name: "published", Type: TypeDate, Doc: "day of publication, where known"},
			{Name: "url", Type: TypeURL, Doc: "where to read it", Example: "https://example.org/report"},
		}},
	{Label: LabelJurisdiction, Prefix: "jurisdiction", File: "jurisdictions.csv", Example: "Québec",
		Doc: "A government that holds levers: Canada, a province, the United Kingdom, Australia, an Australian state.",
		Properties: []Property{
			{Name: "code", Type: TypeString, Required: true, Doc: "ISO 3166 code (3166-2 for subdivisions)", Example: "CA-QC"},
			{Name: "country", Type: TypeString, Required: true, Doc: "ISO 3166-1 alpha-2 code of the country", Example: "CA"},
			{Name: "level", Type: TypeEnum, Required: true, Values: Levels, Doc: "order of government", Example: "PROVINCIAL"},
		}},
	{Label: LabelMinistry, Prefix: "ministry", File: "ministries.csv", Example: "Department of Finance",
		Doc: "A minister's portfolio and the department that serves it.",
		Properties: []Property{
			{Name: "minister", Type: TypeString, Doc: "the minister's title", Example: "Minister of Finance"},
			{Name: "holder", Type: TypeString, Doc: "who held it when the commitments were given", Example: "Bill Morneau"},
			{Name: "department", Type: TypeString, Doc: "the department, by its usual name", Example: "Finance Canada"},
			{Name: "url", Type: TypeURL, Doc: "the department's site"},
		}},
	{Label: LabelAgency, Prefix: "agency", File: "agencies.csv", Example: "Financial Services Regulatory Authority of Ontario",
		Doc: "A regulator or agency that is not a ministry: it administers statutes or programmes, or supervises organizations.",
		Properties: []Property{
			{Name: "url", Type: TypeURL, Doc: "its site"},
		}},
	{Label: LabelMandateCommitment, Prefix: "commitment", File: "commitments.csv", Example: "Modernize the rules governing charities and non-profits",
		Doc: "A commitment in a minister's mandate letter.",
		Properties: []Property{
			{Name: "issued", Type: TypeDate, Doc: "the day the letter was published", Example: "2015-11-13"},
			{Name: "outcome", Type: TypeString, Doc: "what became of it, with dates", Example: "Social Finance Fund announced 2018-11-21"},
		}},
	{Label: LabelLever, Prefix: "lever", File: "levers.csv", Example: "Tax rules for business activities of charities and non-profits",
		Doc: "A kind of policy lever a government holds, as the paper names them.",
		Properties: []Property{
			{Name: "instrument", Type: TypeEnum, Required: true, Values: Instruments, Doc: "how the lever works", Example: "TAX"},
		}},
	{Label: LabelStatute, Prefix: "statute", File: "statutes.csv", Example: "Canada Cooperatives Act",
		Doc: "An act or code of a legislature.",
		Properties: append([]Property{
			{Name: "citation", Type: TypeString, Doc: "official citation", Example: "S.C. 1998, c. 1"},
			{Name: "enacted", Type: TypeDate, Doc: "royal assent or enactment", Example: "1998-03-31"},
			{Name: "url", Type: TypeURL, Doc: "the official text"},
		}, datesOfEffect("inForce", "the day it came into force")...)},
	{Label: LabelProgramme, Prefix: "programme", File: "programmes.csv", Example: "Mutuals Support Programme",
		Doc: "A funding, support, capital or strategy programme, or a policy that sets one up.",
		Properties: append([]Property{
			{Name: "kind", Type: TypeEnum, Required: true, Values: []string{"FUNDING", "SUPPORT", "CAPITAL", "STRATEGY", "POLICY", "RESEARCH"}, Doc: "what it provides", Example: "SUPPORT"},
			{Name: "budget", Type: TypeFloat, Unit: "currency", Doc: "budget in currency units", Example: "10000000"},
			{Name: "currency", Type: TypeString, Doc: "ISO 4217 code of the budget", Example: "GBP"},
			{Name: "announced", Type: TypeDate, Doc: "the day it was announced", Example: "2011-12-06"},
			{Name: "url", Type: TypeURL, Doc: "its official page"},
		}, datesOfEffect("start", "the day it began")...)},
	{Label: LabelProcurementProgramme, Prefix: "procurement", File: "procurement_programmes.csv", Example: "Policy on Social Procurement",
		Doc: "A procurement policy, right or programme through which public bodies buy services from mutuals.",
		Properties: append([]Property{
			{Name: "announced", Type: TypeDate, Doc: "the day it was announced"},
			{Name: "url", Type: TypeURL, Doc: "its official page"},
		}, datesOfEffect("start", "the day it took effect")...)},
	{Label: LabelMutualKind, Prefix: "kind", File: "mutual_kinds.csv", Example: "Spin-out",
		Doc: "A route by which a public service mutual comes to be.",
		Properties: []Property{
			{Name: "route", Type: TypeEnum, Required: true, Values: []string{"SPIN_OUT", "SPIN_UP", "SPINNING_TOGETHER", "SPIN_OFF", "SPIN_IN", "EXTENSION"}, Doc: "the route", Example: "SPIN_OUT"},
			{Name: "initiator", Type: TypeEnum, Required: true, Values: []string{"GOVERNMENT", "COMMUNITY", "EMPLOYEES", "PROVIDERS", "ORGANIZATIONS", "COOPERATIVES"}, Doc: "who starts it", Example: "GOVERNMENT"},
		}},
	{Label: LabelMutual, Prefix: "mutual", File: "mutuals.csv", Example: "Central Surrey Health",
		Doc: "A real organization, or a category of them (such as Québec's CPEs), that delivers public services under member or employee control.",
		Properties: []Property{
			{Name: "ownership", Type: TypeEnum, Required: true, Values: []string{"EMPLOYEE", "MEMBER", "CONSUMER", "MULTI_STAKEHOLDER", "COMMUNITY"}, Doc: "who controls it", Example: "EMPLOYEE"},
			{Name: "legalForm", Type: TypeString, Doc: "its legal form", Example: "community interest company"},
			{Name: "founded", Type: TypeInt, Doc: "year founded or spun out", Example: "2006"},
			{Name: "category", Type: TypeBool, Doc: "true when the row stands for a category of organizations, not one", Example: "false"},
			{Name: "count", Type: TypeInt, Doc: "for a category: how many organizations, as the source counts them"},
			{Name: "website", Type: TypeURL, Doc: "its website"},
			{Name: "status", Type: TypeEnum, Values: MutualStatuses, Doc: "whether it still operates as a mutual, where a source says", Example: "ACTIVE"},
			{Name: "statusSince", Type: TypeDate, Doc: "since when it has had that status (dissolved, acquired or in administration on that day)", Example: "2021-06"},
			{Name: "ownershipShares", Type: TypeString, Doc: "who owns what share, where known, as a source gives it", Example: "staff 25%; government 35%; Equiniti 40%"},
		}},
	{Label: LabelSector, Prefix: "sector", File: "sectors.csv", Example: "Child care",
		Doc: "A field of public service: child care, health care, social housing, proximity services."},
	{Label: LabelChallenge, Prefix: "challenge", File: "challenges.csv", Example: "Accountability",
		Doc: "A risk or objection the paper raises against mutuals."},
	{Label: LabelOutcome, Prefix: "outcome", File: "outcomes.csv", Example: "Value for money",
		Doc: "A benefit the paper says mutuals can bring."},
}

// rationale is the one-line reason a claim-carrying relationship holds.
func rationale(required bool) Property {
	return Property{Name: "rationale", Type: TypeString, Required: required, Doc: "one line: why the link holds",
		Example: "Sets the charter under which federal co-operatives are formed"}
}

// linkNote is the caveat a relationship may carry, as a node's note does.
var linkNote = Property{Name: "note", Type: TypeString, Doc: "a caveat for readers: what is uncertain about this link"}

// Groups of labels that relationships share.
var (
	leverLike = []Label{LabelLever, LabelStatute, LabelProgramme, LabelProcurementProgramme}
	measures  = []Label{LabelStatute, LabelProgramme, LabelProcurementProgramme}
)

// Affecting are the labels whose nodes may affect a kind of mutual: where a
// chain starts, and what an impact question asks about.
var Affecting = append(append([]Label{}, leverLike...), LabelMandateCommitment)

// RelationshipTypes lists every relationship type of the model.
var RelationshipTypes = []RelationshipType{
	{Type: RelPartOf, File: "part_of.csv", From: []Label{LabelJurisdiction}, To: []Label{LabelJurisdiction},
		Doc:        "A jurisdiction lies within another: Québec within Canada.",
		Properties: []Property{linkNote}},
	{Type: RelOf, File: "of.csv", From: []Label{LabelMinistry, LabelAgency}, To: []Label{LabelJurisdiction},
		Doc:        "A ministry or agency belongs to a jurisdiction's government.",
		Properties: []Property{linkNote}},
	{Type: RelHeldBy, File: "held_by.csv", From: leverLike, To: []Label{LabelJurisdiction},
		Doc:        "A lever, statute or programme is held by a jurisdiction.",
		Properties: claim(false, false)},
	{Type: RelMandated, File: "mandated.csv", From: []Label{LabelMinistry}, To: []Label{LabelMandateCommitment},
		Doc: "A ministry was given a mandate commitment, as lead or in support.",
		Properties: claim(false, true,
			Property{Name: "role", Type: TypeEnum, Required: true, Values: Roles, Doc: "lead or supporting ministry", Example: "LEAD"},
		)},
	{Type: RelAdvances, File: "advances.csv", From: []Label{LabelMandateCommitment}, To: leverLike,
		Doc:        "A commitment advances a lever, or led to a statute or programme.",
		Properties: claim(true, true)},
	{Type: RelRealisedBy, File: "realised_by.csv", From: []Label{LabelLever}, To: measures,
		Doc:        "A lever takes concrete form in a statute or programme.",
		Properties: claim(false, true)},
	{Type: RelEstablishes, File: "establishes.csv", From: []Label{LabelStatute}, To: []Label{LabelProgramme, LabelProcurementProgramme},
		Doc:        "A statute establishes a programme, or a right such as the Community Right to Challenge.",
		Properties: claim(false, true)},
	{Type: RelAmends, File: "amends.csv", From: []Label{LabelStatute}, To: []Label{LabelStatute},
		Doc:        "A statute amends another.",
		Properties: claim(false, true)},
	{Type: RelAdministeredBy, File: "administered_by.csv", From: measures, To: []Label{LabelMinistry, LabelAgency},
		Doc:        "A statute or programme is administered by a ministry or an agency, since and until a day where it changed hands.",
		Properties: claim(false, false, span()...)},
	{Type: RelSupervisedBy, File: "supervised_by.csv", From: []Label{LabelMutual}, To: []Label{LabelAgency, LabelMinistry},
		Doc:        "An organization is registered with, or supervised by, a regulator: not an effect, which AFFECTS states.",
		Properties: claim(false, true, span()...)},
	{Type: RelAffects, File: "affects.csv", From: Affecting, To: []Label{LabelMutualKind},
		Doc: "A lever, statute, programme or commitment bears on a kind of mutual.",
		Properties: claim(true, true,
			Property{Name: "effect", Type: TypeEnum, Required: true, Values: Effects, Doc: "how it bears on the kind", Example: "ENABLES"},
		)},
	{Type: RelMitigates, File: "mitigates.csv", From: leverLike, To: []Label{LabelChallenge},
		Doc:        "A lever, statute or programme answers a challenge.",
		Properties: claim(true, true)},
	{Type: RelFaces, File: "faces.csv", From: []Label{LabelMutualKind}, To: []Label{LabelChallenge},
		Doc:        "A kind of mutual faces a challenge.",
		Properties: claim(false, true)},
	{Type: RelClaims, File: "claims.csv", From: []Label{LabelMutualKind}, To: []Label{LabelOutcome},
		Doc:        "A kind of mutual is claimed to bring an outcome.",
		Properties: claim(false, true)},
	{Type: RelIsA, File: "is_a.csv", From: []Label{LabelMutual}, To: []Label{LabelMutualKind},
		Doc:        "An organization came about by a route.",
		Properties: claim(false, true)},
	{Type: RelServes, File: "serves.csv", From: []Label{LabelMutual}, To: []Label{LabelSector},
		Doc:        "An organization delivers services in a sector.",
		Properties: claim(false, false)},
	{Type: RelLocatedIn, File: "located_in.csv", From: []Label{LabelMutual}, To: []Label{LabelJurisdiction},
		Doc:        "An organization operates in a jurisdiction.",
		Properties: []Property{linkNote}},
	{Type: RelContractedUnder, File: "contracted_under.csv", From: []Label{LabelMutual}, To: []Label{LabelProcurementProgramme},
		Doc:        "An organization delivers services under a procurement programme or right.",
		Properties: claim(false, true)},
	{Type: RelSupportedBy, File: "supported_by.csv", From: []Label{LabelMutual}, To: []Label{LabelProgramme},
		Doc:        "An organization was helped by a programme.",
		Properties: claim(false, true)},
	{Type: RelIncorporatedUnder, File: "incorporated_under.csv", From: []Label{LabelMutual}, To: []Label{LabelStatute},
		Doc:        "An organization, or a category of them, is incorporated under a statute.",
		Properties: claim(false, true)},
}

// NodeTypeOf returns the node type whose ids start with the prefix of id.
func NodeTypeOf(id string) (NodeType, bool) {
	for _, nt := range NodeTypes {
		if len(id) > len(nt.Prefix) && id[:len(nt.Prefix)] == nt.Prefix && id[len(nt.Prefix)] == ':' {
			return nt, true
		}
	}
	return NodeType{}, false
}
