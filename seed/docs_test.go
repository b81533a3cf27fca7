package seed

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/csv.md")

func TestDocsAreCurrent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDocs(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "csv.md")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, buf.Bytes()) {
		t.Error("docs/csv.md is out of date: run go test ./seed -update")
	}
}
