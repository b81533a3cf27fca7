package seed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzRead feeds arbitrary bytes as a node file and a relationship file:
// Read must never panic, and must either accept the set or locate every
// problem in a file that exists.
//
//	go test ./seed -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "*", "*"))
	for _, dir := range append(dirs, filepath.Join("testdata", "valid")) {
		nodes, _ := os.ReadFile(filepath.Join(dir, "jurisdictions.csv"))
		rels, _ := os.ReadFile(filepath.Join(dir, "part_of.csv"))
		f.Add(nodes, rels)
	}
	f.Fuzz(func(t *testing.T, nodes, rels []byte) {
		fsys := fstest.MapFS{
			"jurisdictions.csv": {Data: nodes},
			"part_of.csv":       {Data: rels},
		}
		set, err := Read(fsys)
		var problems Problems
		switch {
		case err == nil:
			if set == nil {
				t.Fatal("no error and no set")
			}
		case errors.As(err, &problems):
			if len(problems) == 0 {
				t.Fatal("an empty Problems error")
			}
			for _, p := range problems {
				if (p.File != "jurisdictions.csv" && p.File != "part_of.csv") || p.Line < 0 || p.Column < 0 || strings.TrimSpace(p.Message) == "" {
					t.Fatalf("problem without a place or a message: %+v", p)
				}
			}
		default:
			t.Fatalf("an error that is not Problems: %v", err)
		}
	})
}
