package seed

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a data set, located where a text editor
// can find it. Line and Column count from 1; columns count bytes. A problem
// with a whole file has Line 0.
type Problem struct {
	File    string
	Line    int
	Column  int
	Message string
}

func (p Problem) String() string {
	if p.File == "" {
		return p.Message
	}
	// A file's name comes from a folder or an upload: quoted when it holds
	// what a terminal would act on.
	file := p.File
	if strings.ContainsFunc(file, unicode.IsControl) || !utf8.ValidString(file) {
		file = strconv.Quote(file)
	}
	if p.Line == 0 {
		return file + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d:%d: %s", file, p.Line, p.Column, p.Message)
}

// Problems is every problem a data set has. It is an error, so that a caller
// can pass it on; its message lists them all, one a line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sort orders problems by file, line and column, so that reports are stable
// and read like the files.
func (ps Problems) sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}
