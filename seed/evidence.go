package seed

import (
	"fmt"
	"strings"

	"github.com/psmgraph/psmgraph/graph"
)

// LocatorSeparator stands between a source's id and where the source says
// what it supports, in a list of sources: source:x@s. 3.
const LocatorSeparator = "@"

// splitCitations splits a source list's items, each an id and a locator
// after LocatorSeparator (maybe empty), into the ids and their locators;
// locators is nil when no item has one, so that a set without them stores
// nothing more.
func splitCitations(items []string) (ids, locators []string) {
	located := false
	for _, item := range items {
		id, locator, _ := strings.Cut(item, LocatorSeparator)
		ids = append(ids, id)
		locators = append(locators, locator)
		located = located || locator != ""
	}
	if !located {
		return ids, nil
	}
	return ids, locators
}

// putCitations stores a list's items in row under name, as their ids and,
// when any item has one, their locators; it returns the ids.
func putCitations(row map[string]any, name string, items []string) []string {
	ids, locators := splitCitations(items)
	row[name] = ids
	if locators != nil {
		row[graph.Locators] = locators
	}
	return ids
}

// joinCitations is the inverse of splitCitations, for export.
func joinCitations(ids, locators []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if i < len(locators) && locators[i] != "" {
			out[i] += LocatorSeparator + locators[i]
		}
	}
	return out
}

// A rowProblem is a problem of a row, with the column it is about.
type rowProblem struct {
	column  string
	message string
}

// evidenceProblems checks that a link's evidence holds together, at any
// level of checks: a STATED link cites sources and says where each states
// it; an INFERRED one says in its rationale what it is inferred from.
func evidenceProblems(row map[string]any) []rowProblem {
	switch row["evidence"] {
	case graph.Stated:
		ids, _ := row["sourceIds"].([]string)
		locators, _ := row[graph.Locators].([]string)
		if len(ids) == 0 {
			return []rowProblem{{"evidence", "evidence: STATED needs the sources that state it, in sourceIds"}}
		}
		var missing []string
		for i, id := range ids {
			if i >= len(locators) || locators[i] == "" {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return []rowProblem{{"sourceIds", fmt.Sprintf("evidence: STATED needs where each source states it (%s@s. 3): %s has none", missing[0], strings.Join(missing, ", "))}}
		}
	case graph.Inferred:
		if s, _ := row["rationale"].(string); s == "" {
			return []rowProblem{{"evidence", "evidence: INFERRED needs a rationale that says what it is inferred from"}}
		}
	}
	return nil
}

// strictLinkProblems holds a link that makes a claim to the shipped set's
// standard: it says whether its sources state it, and cites one.
func strictLinkProblems(rt graph.RelationshipType, row map[string]any) []rowProblem {
	if !rt.MakesClaim() {
		return nil
	}
	var out []rowProblem
	if row["evidence"] == nil {
		out = append(out, rowProblem{"evidence", "evidence: strict checks want STATED or INFERRED on every " + string(rt.Type)})
	}
	if ids, _ := row["sourceIds"].([]string); len(ids) == 0 {
		out = append(out, rowProblem{"sourceIds", "sourceIds: strict checks want a source on every " + string(rt.Type)})
	}
	return out
}

// strictNodeProblems holds an entity to the shipped set's standard: it
// cites a source (unless it is one), and a statute or programme is dated,
// or its note says why it is not.
func strictNodeProblems(nt graph.NodeType, row map[string]any) []rowProblem {
	var out []rowProblem
	if ids, _ := row["sourceIds"].([]string); len(ids) == 0 && nt.Label != graph.LabelSource {
		out = append(out, rowProblem{"id", "sourceIds: strict checks want a source on every entity"})
	}
	date := map[graph.Label]string{
		graph.LabelStatute:              "inForce",
		graph.LabelProgramme:            "start",
		graph.LabelProcurementProgramme: "start",
	}[nt.Label]
	if date != "" && row[date] == nil && row["note"] == nil {
		out = append(out, rowProblem{"id", fmt.Sprintf("%s: strict checks want a date, or a note that says why there is none", date)})
	}
	return out
}
