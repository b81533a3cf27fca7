// Package graph is the knowledge graph of public service mutuals and the policy
// levers that affect them: its domain types, and the Neo4j store that holds them.
// It is the only package that speaks Cypher or imports the Neo4j driver.
package graph

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

// JurisdictionLevel says which order of government a jurisdiction is.
type JurisdictionLevel string

// The jurisdiction levels.
const (
	LevelNational    JurisdictionLevel = "NATIONAL"
	LevelProvincial  JurisdictionLevel = "PROVINCIAL"
	LevelTerritorial JurisdictionLevel = "TERRITORIAL"
	LevelState       JurisdictionLevel = "STATE"
	LevelMunicipal   JurisdictionLevel = "MUNICIPAL"
)

// Jurisdiction is a government that holds levers: Canada, a province, the UK.
type Jurisdiction struct {
	ID     string
	Name   string
	NameFr *string
	// Code is the ISO 3166 code, such as CA, CA-QC or GB.
	Code string
	// Country is the ISO 3166-1 code of the country: CA for Québec.
	Country string
	Level   JurisdictionLevel
}

// IsNode marks Jurisdiction as a Node.
func (Jurisdiction) IsNode() {}

// GetID returns the node's id.
func (j Jurisdiction) GetID() string { return j.ID }

// MutualKind is a route by which a public service mutual comes to be: a
// spin-out, a community or employee spin-up, spinning together, and so on.
type MutualKind struct {
	ID            string
	Name          string
	NameFr        *string
	Description   string
	DescriptionFr *string
}

// IsNode marks MutualKind as a Node.
func (MutualKind) IsNode() {}

// GetID returns the node's id.
func (k MutualKind) GetID() string { return k.ID }

// PageArgs asks for one page of a list ordered by id: at most First items
// whose id sorts after After ("" for the first page).
type PageArgs struct {
	First int
	After string
}

// Page is one page of a list, with what a cursor connection needs around it.
type Page[T any] struct {
	Items   []T
	HasNext bool
	// Total counts the whole list, not just this page.
	Total int
}
