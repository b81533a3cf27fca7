package shape

import (
	"bufio"
	"encoding/csv"
	"os"
)

// table writes one CSV file, a row at a time, cells set by column name.
type table struct {
	f   *os.File
	buf *bufio.Writer
	w   *csv.Writer
	idx map[string]int
	row []string
	err error
	// sink discards rows: the table of relationships past the count asked for.
	sink bool
}

var discard = &table{sink: true}

func newTable(path string, cols []string) (*table, error) {
	f, err := os.Create(path) //nolint:gosec // a file of the data set being generated
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
	if t.sink {
		return
	}
	i, ok := t.idx[col]
	if !ok {
		panic("the model has no column " + col) // a generator bug, not a data problem
	}
	t.row[i] = val
}

// end writes the row and clears it for the next.
func (t *table) end() error {
	if t.sink {
		return nil
	}
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
