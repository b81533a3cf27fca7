package seed

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/psmgraph/psmgraph/graph"
)

// The limits of a data set's values. Read and Row apply them, and so
// psmgraph validate and seed, importCsv and the entity mutations alike, so
// that a set that validates is one that Neo4j stores whole. They are far
// above what the data needs (the shipped set's longest id is 56 bytes, its
// longest cell 339, its longest list 7 ids) and far below what Neo4j
// refuses.
const (
	// MaxIDBytes bounds an id, and every id a list or a relationship names.
	// Ids are keys of the uniqueness constraints, whose range indexes refuse
	// a key over about 8 KB (8,160 bytes pass in Neo4j 5.26, 8,167 do not).
	MaxIDBytes = 256
	// MaxNameBytes bounds a name (name, nameFr): a label in lists and graphs.
	MaxNameBytes = 1 << 10
	// MaxCellBytes bounds every other value.
	MaxCellBytes = 64 << 10
	// MaxListItems bounds the ids of a list (sourceIds); an id repeated in
	// a list is kept once.
	MaxListItems = 100
	// MaxRowBytes bounds a row of a file, separators and quotes included (a
	// quoted cell may span lines), and a mutation's values together: reading
	// holds no more of a row than this before it has seen the row whole.
	MaxRowBytes = 256 << 10
	// MaxLocatorBytes bounds where in a source a claim stands: a section,
	// a page, a heading.
	MaxLocatorBytes = 200
)

// limitOf returns the most bytes a property's value may hold, and what to
// call that limit.
func limitOf(p graph.Property) (int, string) {
	switch p.Name {
	case "id", "from", "to":
		return MaxIDBytes, "an id"
	case "name", "nameFr":
		return MaxNameBytes, "a name"
	}
	return MaxCellBytes, "a cell"
}

// checkValue checks a value against its property's limit, and that it holds
// no control character: a NUL or an escape sequence stored in a name would
// reach every terminal and page that shows it.
func checkValue(p graph.Property, v string) error {
	if limit, what := limitOf(p); len(v) > limit {
		return tooLong(len(v), limit, what)
	}
	if i := strings.IndexFunc(v, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(v[i:])
		return fmt.Errorf("control character %U at byte %d: a value holds no control characters, tabs and line breaks included", r, i+1)
	}
	return nil
}

func tooLong(n, limit int, what string) error {
	return fmt.Errorf("%d bytes, longer than %s, the limit of %s", n, size(limit), what)
}

// size spells a limit in bytes or KiB.
func size(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}
