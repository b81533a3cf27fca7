package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// problemsOf reads fsys and returns its report, failing unless Read found
// problems.
func problemsOf(t *testing.T, fsys fs.FS) string {
	t.Helper()
	set, err := Read(fsys)
	var problems Problems
	if !errors.As(err, &problems) || set != nil {
		t.Fatalf("Read = %v, %v; want problems", set, err)
	}
	return problems.Error()
}

func testFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "valid", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A folder that holds no file of the data set is no empty data set: an empty
// folder, unrelated files, names in the wrong case or the folder above the
// data are all mistakes, reported as such.
func TestNoDataSetIsAProblem(t *testing.T) {
	sources := testFile(t, "sources.csv")
	const none = "no CSV file of the data set: expected names such as sources.csv and mutuals.csv (see docs/csv.md)"
	for name, tc := range map[string]struct {
		fsys fs.FS
		want string
	}{
		"empty":           {fstest.MapFS{}, none},
		"unrelated files": {fstest.MapFS{"notes.txt": {Data: []byte("x")}, "data.json": {Data: []byte("{}")}}, none},
		"parent folder":   {fstest.MapFS{"data/sources.csv": {Data: sources}}, none},
		"upper case": {fstest.MapFS{"SOURCES.CSV": {Data: sources}},
			none + "\nSOURCES.CSV: not a file of the data set: names are in lower case: did you mean sources.csv?"},
		"mixed case beside a good file": {fstest.MapFS{"sources.csv": {Data: sources}, "Mutuals.csv": {Data: []byte("id\n")}},
			"Mutuals.csv: not a file of the data set: names are in lower case: did you mean mutuals.csv?"},
		"unknown extension case": {fstest.MapFS{"sources.csv": {Data: sources}, "mutual.CSV": {Data: []byte("id\n")}},
			"mutual.CSV: unknown file: a data set has only the files listed in docs/csv.md"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := problemsOf(t, tc.fsys); got != tc.want {
				t.Errorf("report:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// Only regular files are read. Anything else in place of a file of the data
// set is refused by name, before it is opened: opening a named pipe waits
// for a writer, and a device never ends.
func TestOnlyRegularFilesAreRead(t *testing.T) {
	sources := testFile(t, "sources.csv")
	for kind, mode := range map[string]fs.FileMode{
		"a named pipe": fs.ModeNamedPipe,
		"a device":     fs.ModeDevice | fs.ModeCharDevice,
		"a directory":  fs.ModeDir,
		"a socket":     fs.ModeSocket,
	} {
		t.Run(kind, func(t *testing.T) {
			fsys := fstest.MapFS{"sources.csv": {Data: sources}, "jurisdictions.csv": {Mode: mode}}
			want := "jurisdictions.csv: not a regular file but " + kind + ": a data set holds regular files only"
			if got := problemsOf(t, fsys); got != want {
				t.Errorf("report:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	t.Run("a symbolic link to nothing", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "sources.csv"), sources, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "gone.csv"), filepath.Join(dir, "jurisdictions.csv")); err != nil {
			t.Fatal(err)
		}
		want := "jurisdictions.csv: a symbolic link to nothing: its target does not exist"
		if got := problemsOf(t, os.DirFS(dir)); got != want {
			t.Errorf("report:\n%s\nwant:\n%s", got, want)
		}
	})
}

// generated is a file system of one regular file whose content is made as
// it is read, without end unless size is set; it counts the bytes read.
type generated struct {
	name string
	next func(i int) string // the content's i-th piece
	size int64              // stop after this many bytes; 0 for never
	read atomic.Int64
}

func (g *generated) Open(name string) (fs.File, error) {
	if name == g.name {
		return &generatedFile{g: g}, nil
	}
	return g.listing().Open(name)
}

// listing is the file system's folder, for ReadDir and Stat.
func (g *generated) listing() fstest.MapFS { return fstest.MapFS{g.name: {}} }

type generatedFile struct {
	g       *generated
	i       int
	pending string
	off     int64
}

func (f *generatedFile) Stat() (fs.FileInfo, error) { return fs.Stat(f.g.listing(), f.g.name) }
func (f *generatedFile) Close() error               { return nil }

func (f *generatedFile) Read(p []byte) (int, error) {
	if f.g.size > 0 && f.off >= f.g.size {
		return 0, io.EOF
	}
	for len(f.pending) < len(p) {
		f.pending += f.g.next(f.i)
		f.i++
	}
	n := copy(p, f.pending)
	if f.g.size > 0 {
		n = min(n, int(f.g.size-f.off))
	}
	f.pending = f.pending[n:]
	f.off += int64(n)
	f.g.read.Add(int64(n))
	return n, nil
}

// A huge cell is refused while it is read: the reader holds at most a row's
// limit of it, not the file.
func TestAHugeCellIsRefusedWhileRead(t *testing.T) {
	g := &generated{name: "jurisdictions.csv", size: 50 << 20, next: func(i int) string {
		if i == 0 {
			return "id,name,code,country,level\njurisdiction:ca,"
		}
		return strings.Repeat("a", 1<<16)
	}}
	want := fmt.Sprintf("jurisdictions.csv:2:%d: row longer than 256 KiB, the limit of a row", MaxRowBytes+1)
	if got := problemsOf(t, g); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	if n := g.read.Load(); n > MaxRowBytes+1<<20 {
		t.Errorf("read %d bytes of a file refused at its second row", n)
	}
}

// Reading stops when its context ends, however long the file.
func TestReadStopsWhenCancelled(t *testing.T) {
	g := &generated{name: "jurisdictions.csv", next: func(i int) string {
		if i == 0 {
			return "id,name,code,country,level\n"
		}
		return fmt.Sprintf("jurisdiction:j%d,J%d,CA-J,CA,PROVINCIAL\n", i, i)
	}}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := ReadContext(ctx, g)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("ReadContext = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("still reading 5s after the cancellation (%d bytes read)", g.read.Load())
	}
}

// A file name that holds control characters is shown quoted, so that a
// report never sends a terminal an escape sequence.
func TestFileNamesAreShownQuoted(t *testing.T) {
	fsys := fstest.MapFS{"sources.csv": {Data: testFile(t, "sources.csv")}, "\x1b[2Jx.csv": {}}
	want := `"\x1b[2Jx.csv": unknown file: a data set has only the files listed in docs/csv.md`
	if got := problemsOf(t, fsys); got != want {
		t.Errorf("report:\n%q\nwant:\n%q", got, want)
	}
}
