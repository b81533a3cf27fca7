package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/psmgraph/psmgraph/graph/fulltext"
)

// retiredIndexes are indexes earlier versions created that no query uses
// any longer: the one full-text index over names and descriptions as
// written, which the search fields' indexes replace.
var retiredIndexes = []string{"entity_text"}

// schemaStatements are the constraints and indexes the model needs. Each is
// idempotent (IF NOT EXISTS), so ApplySchema runs at every start-up.
func schemaStatements() []string {
	labels := []Label{LabelEntity}
	for _, nt := range NodeTypes {
		labels = append(labels, nt.Label)
	}
	stmts := make([]string, 0, len(labels)+2)
	for _, l := range labels {
		// Schema commands take no parameters; labels come from the closed set.
		stmts = append(stmts, fmt.Sprintf(
			"CREATE CONSTRAINT %s_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE",
			strings.ToLower(string(l)), l))
	}
	stmts = append(stmts, propertyIndexes()...)
	for _, ix := range fulltext.Indexes {
		// Index options take no parameters either; the analyzers are fixed.
		stmts = append(stmts, fmt.Sprintf(
			"CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:Entity) ON EACH [n.%s] OPTIONS {indexConfig: {`fulltext.analyzer`: '%s'}}",
			ix.Name, strings.Join(ix.Properties, ", n."), ix.Analyzer))
	}
	stmts = append(stmts, logSchema...)
	for _, name := range retiredIndexes {
		stmts = append(stmts, "DROP INDEX "+name+" IF EXISTS")
	}
	// Queries planned before an index is online would scan: wait for them.
	return append(stmts, "CALL db.awaitIndexes(300)")
}

// indexedStrings are the string properties lists filter and sort on by
// value: names and codes. Other strings are texts that the full-text index
// serves, or links; an index on them would only slow every load.
var indexedStrings = map[string]bool{
	"name": true, "nameFr": true, "code": true, "country": true, "citation": true, "currency": true,
}

// propertyIndexes are a range index on every property a list may filter or
// sort on (names, codes, enums, numbers, dates), so that a filter seeks
// and an order reads the index in order instead of sorting the label; a
// text index on the English name, which serves contains; and a range index
// on each pair of an enum and a number or a date (pairIndexed).
func propertyIndexes() []string {
	var stmts []string
	for _, nt := range NodeTypes {
		l := strings.ToLower(string(nt.Label))
		for _, p := range nt.AllProperties() {
			if rangeIndexed(p) {
				stmts = append(stmts, fmt.Sprintf("CREATE RANGE INDEX %s_%s IF NOT EXISTS FOR (n:%s) ON (n.%s)",
					l, strings.ToLower(p.Name), nt.Label, p.Name))
			}
		}
		stmts = append(stmts, fmt.Sprintf("CREATE TEXT INDEX %s_name_text IF NOT EXISTS FOR (n:%s) ON (n.name)", l, nt.Label))
		for _, e := range nt.AllProperties() {
			for _, p := range nt.AllProperties() {
				if pairIndexed([]Label{nt.Label}, e.Name, p.Name) {
					stmts = append(stmts, fmt.Sprintf("CREATE RANGE INDEX %s_%s_%s IF NOT EXISTS FOR (n:%s) ON (n.%s, n.%s)",
						l, strings.ToLower(e.Name), strings.ToLower(p.Name), nt.Label, e.Name, p.Name))
				}
			}
		}
	}
	return stmts
}

// rangeIndexed reports whether a property has a range index of its own:
// names, codes, enums, numbers and dates. The id has none: its uniqueness
// constraint indexes it.
func rangeIndexed(p Property) bool {
	switch p.Type {
	case TypeString:
		return indexedStrings[p.Name]
	case TypeEnum, TypeInt, TypeFloat, TypeDate:
		return true
	}
	return false
}

// pairIndexed reports whether nodes of the labels, one label, have a range
// index on an enum and a number or a date together. A list kept to one
// value of the enum then reads the number or date from the index: in its
// order, and without reading the nodes, for an order or a figure by it.
func pairIndexed(labels []Label, enum, prop string) bool {
	if len(labels) != 1 {
		return false
	}
	e, ok := PropertyOf(labels, enum)
	if !ok || e.Type != TypeEnum {
		return false
	}
	p, ok := PropertyOf(labels, prop)
	return ok && (p.Type == TypeInt || p.Type == TypeFloat || p.Type == TypeDate)
}

// ApplySchema creates the model's constraints and indexes where missing,
// waits until they are online, and writes the search fields of nodes that
// lack them or hold an earlier version's (Refold).
func (s *Store) ApplySchema(ctx context.Context) error {
	for _, stmt := range schemaStatements() {
		if _, err := s.write(ctx, stmt, nil); err != nil {
			return fmt.Errorf("apply schema: %w", err)
		}
	}
	if _, err := s.Refold(ctx); err != nil {
		return fmt.Errorf("apply schema: search fields: %w", err)
	}
	return nil
}
