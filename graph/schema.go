package graph

import (
	"context"
	"fmt"
	"strings"
)

// fullTextIndex is the full-text index over every entity's names and
// descriptions, in English and French.
const fullTextIndex = "entity_text"

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
	stmts = append(stmts,
		"CREATE FULLTEXT INDEX "+fullTextIndex+" IF NOT EXISTS FOR (n:Entity) "+
			"ON EACH [n.name, n.nameFr, n.description, n.descriptionFr]",
		// Queries planned before an index is online would scan: wait for them.
		"CALL db.awaitIndexes(300)",
	)
	return stmts
}

// indexedStrings are the string properties lists filter and sort on by
// value: names and codes. Other strings are texts that the full-text index
// serves, or links; an index on them would only slow every load.
var indexedStrings = map[string]bool{
	"name": true, "nameFr": true, "code": true, "country": true, "citation": true, "currency": true,
}

// propertyIndexes are a range index on every property a list may filter or
// sort on (names, codes, enums, numbers, dates), so that a filter seeks
// and an order reads the index in order instead of sorting the label, and
// a text index on the English name, which serves contains.
func propertyIndexes() []string {
	var stmts []string
	for _, nt := range NodeTypes {
		l := strings.ToLower(string(nt.Label))
		for _, p := range nt.AllProperties() {
			switch {
			case p.Name == "id": // unique, so indexed by its constraint
			case p.Type == TypeString && !indexedStrings[p.Name]:
			case p.Type == TypeEnum, p.Type == TypeInt, p.Type == TypeFloat, p.Type == TypeDate, p.Type == TypeString:
				stmts = append(stmts, fmt.Sprintf("CREATE RANGE INDEX %s_%s IF NOT EXISTS FOR (n:%s) ON (n.%s)",
					l, strings.ToLower(p.Name), nt.Label, p.Name))
			}
		}
		stmts = append(stmts, fmt.Sprintf("CREATE TEXT INDEX %s_name_text IF NOT EXISTS FOR (n:%s) ON (n.name)", l, nt.Label))
	}
	return stmts
}

// ApplySchema creates the model's constraints and indexes where missing and
// waits until they are online.
func (s *Store) ApplySchema(ctx context.Context) error {
	for _, stmt := range schemaStatements() {
		if _, err := s.write(ctx, stmt, nil); err != nil {
			return fmt.Errorf("apply schema: %w", err)
		}
	}
	return nil
}
