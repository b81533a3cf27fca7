package seed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// chunkBytes is how much of a file is read at a time.
const chunkBytes = 64 << 10

// errNotUTF8 marks the first byte of a file that is not UTF-8.
var errNotUTF8 = errors.New("not valid UTF-8")

// stopError is why a file was read no further, and where.
type stopError struct {
	line, column int
	msg          string
}

func (e *stopError) Error() string { return e.msg }

// guard passes a file's bytes on to the CSV reader, checking them first. It
// stops at the first byte that is not UTF-8, at a row longer than
// MaxRowBytes before the CSV reader has buffered more of it, and when ctx
// ends; so reading a file takes memory in proportion to a row, whatever the
// file holds. It counts lines and columns, to say where it stopped.
type guard struct {
	ctx     context.Context
	r       io.Reader
	chunk   []byte
	checked []byte // read and checked, not yet passed on
	cut     []byte // the start of a rune the last read cut off
	err     error  // what ends the file once checked is passed on
	passed  int64  // bytes passed on
	rowEnd  int64  // passed at which the current row reaches MaxRowBytes
	line    int    // of the next byte, from 1
	column  int    // of the next byte, in bytes from 1
}

func newGuard(ctx context.Context, r io.Reader) *guard {
	return &guard{ctx: ctx, r: r, chunk: make([]byte, chunkBytes), cut: make([]byte, 0, utf8.UTFMax),
		rowEnd: MaxRowBytes, line: 1, column: 1}
}

// startRow tells where the next row starts: offset is the CSV reader's.
func (g *guard) startRow(offset int64) { g.rowEnd = offset + MaxRowBytes }

func (g *guard) Read(p []byte) (int, error) {
	for len(g.checked) == 0 {
		if g.err != nil {
			if errors.Is(g.err, errNotUTF8) {
				return 0, g.stop(errNotUTF8.Error())
			}
			return 0, g.err
		}
		g.fill()
	}
	if g.passed >= g.rowEnd {
		return 0, g.stop(fmt.Sprintf("row longer than %d KiB, the limit of a row", MaxRowBytes>>10))
	}
	n := copy(p[:min(int64(len(p)), g.rowEnd-g.passed)], g.checked)
	g.pass(g.checked[:n])
	g.checked = g.checked[n:]
	return n, nil
}

// fill reads the next chunk and checks that it is UTF-8, holding back a rune
// the read cut off until the next chunk completes it.
func (g *guard) fill() {
	if err := g.ctx.Err(); err != nil {
		g.err = err
		return
	}
	n := copy(g.chunk, g.cut)
	m, err := g.r.Read(g.chunk[n:])
	data := g.chunk[:n+m]
	g.cut = g.cut[:0]
	if err == nil {
		cut := cutRune(data)
		g.cut = append(g.cut, data[len(data)-cut:]...)
		data = data[:len(data)-cut]
	}
	if !utf8.Valid(data) {
		data, err = data[:firstInvalid(data)], errNotUTF8
	}
	g.checked, g.err = data, err
}

// pass counts the bytes passed on.
func (g *guard) pass(b []byte) {
	g.passed += int64(len(b))
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		g.line += bytes.Count(b, []byte{'\n'})
		g.column = len(b) - i
		return
	}
	g.column += len(b)
}

func (g *guard) stop(msg string) error {
	return &stopError{line: g.line, column: g.column, msg: msg}
}

// cutRune returns how many bytes at the end of b begin a rune that b cuts
// off.
func cutRune(b []byte) int {
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

// firstInvalid returns the index of the first byte of b that is not UTF-8.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		c, size := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
