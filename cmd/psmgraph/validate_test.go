package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dataDir returns a new folder holding the valid test set's sources.csv.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(validSet, "sources.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sources.csv"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runWithin runs the command, failing the test if it takes longer than d.
func runWithin(t *testing.T, d time.Duration, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		var out strings.Builder
		err := run(ctx, args, &out, &out)
		done <- result{out.String(), err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(d):
		t.Fatalf("%v: still running after %s", args, d)
		return "", nil
	}
}

// Something other than a regular file in place of a file of the data set is
// refused at once, by name: a named pipe would hang the reader, /dev/zero
// would fill the memory.
func TestValidateRefusesWhatIsNoRegularFile(t *testing.T) {
	for name, place := range map[string]func(t *testing.T, path string) string{
		"a named pipe": func(t *testing.T, path string) string {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
			// Should the reader open it, a writer lets the open return.
			t.Cleanup(func() {
				if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
			})
			return "not a regular file but a named pipe"
		},
		"a device": func(t *testing.T, path string) string {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
			return "not a regular file but a device"
		},
		"a directory": func(t *testing.T, path string) string {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
			return "not a regular file but a directory"
		},
		"a dangling symbolic link": func(t *testing.T, path string) string {
			if err := os.Symlink(filepath.Join(filepath.Dir(path), "gone.csv"), path); err != nil {
				t.Fatal(err)
			}
			return "a symbolic link to nothing"
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := dataDir(t)
			want := place(t, filepath.Join(dir, "mutuals.csv"))
			for _, cmd := range []string{"validate", "seed"} {
				out, err := runWithin(t, 5*time.Second, context.Background(), cmd, dir)
				if !errors.Is(err, errDataProblems) || !strings.Contains(out, dir+"/mutuals.csv: "+want) {
					t.Errorf("%s: %v\n%s\nwant the problem %q", cmd, err, out, want)
				}
			}
		})
	}
}

// A folder without the data set's files is an error, never "0 rows, no
// problems".
func TestValidateWantsTheDataSet(t *testing.T) {
	empty := t.TempDir()
	unrelated := t.TempDir()
	if err := os.WriteFile(filepath.Join(unrelated, "notes.txt"), []byte("notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	if err := os.CopyFS(filepath.Join(parent, "data"), os.DirFS(validSet)); err != nil {
		t.Fatal(err)
	}
	upper := t.TempDir()
	data, _ := os.ReadFile(filepath.Join(validSet, "sources.csv"))
	if err := os.WriteFile(filepath.Join(upper, "SOURCES.CSV"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string][]string{
		empty:     {empty + ": no CSV file of the data set: expected names such as sources.csv and mutuals.csv"},
		unrelated: {unrelated + ": no CSV file of the data set"},
		parent:    {parent + ": no CSV file of the data set"},
		upper:     {upper + ": no CSV file of the data set", upper + "/SOURCES.CSV: not a file of the data set: names are in lower case: did you mean sources.csv?"},
	} {
		for _, cmd := range []string{"validate", "seed"} {
			out, err := runCmd(t, cmd, dir)
			if !errors.Is(err, errDataProblems) || strings.Contains(out, "no problems") || strings.Contains(out, "loaded") {
				t.Errorf("%s %s: %v\n%s", cmd, dir, err, out)
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s:\n%s\nwant %q", cmd, dir, out, w)
				}
			}
		}
	}
}

// A signal (here, its context) stops validation while it reads, with a
// clear error, however large the set.
func TestValidateStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "jurisdictions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "id,name,code,country,level")
	for i := range 1_000_000 {
		fmt.Fprintf(f, "jurisdiction:j%d,Jurisdiction %d,CA-J,CA,PROVINCIAL\n", i, i)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"validate", "seed"} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		started := time.Now()
		out, err := runWithin(t, 10*time.Second, ctx, cmd, dir)
		if err == nil || !strings.Contains(err.Error(), "interrupted while reading "+dir) {
			t.Errorf("%s: %v\n%s\nwant an interruption", cmd, err, out)
		}
		if took := time.Since(started); took > 2*time.Second {
			t.Errorf("%s: stopped %s after it began, the signal came at 100ms", cmd, took)
		}
	}
}
