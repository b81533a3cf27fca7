package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/psmgraph/psmgraph/internal/neo4jtest"
)

var validSet = filepath.Join("..", "..", "seed", "testdata", "valid")

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestValidateExitCodes(t *testing.T) {
	if out, err := runCmd(t, "validate", validSet); err != nil || !strings.Contains(out, "no problems") {
		t.Errorf("valid set: %v\n%s", err, out)
	}
	broken := filepath.Join("..", "..", "seed", "testdata", "invalid", "wrong-types")
	out, err := runCmd(t, "validate", broken)
	if !errors.Is(err, errDataProblems) || !strings.Contains(out, "sources.csv:2:12: year:") {
		t.Errorf("broken set: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"validate"}, {"validate", "a", "b"}, {"validate", "/no/such/dir"}} {
		if _, err := runCmd(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func TestSeedAndExport(t *testing.T) {
	neo4jtest.Store(t) // empty
	c := neo4jtest.Conn(t)
	t.Setenv("NEO4J_URI", c.URI)
	t.Setenv("NEO4J_PASSWORD", c.Password)

	out, err := runCmd(t, "seed", "-dry-run", validSet)
	if err != nil || !strings.Contains(out, "dry run of") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, err = runCmd(t, "seed", validSet)
	if err != nil || strings.Contains(out, "no changes") {
		t.Fatalf("first seed: %v\n%s", err, out)
	}
	out, err = runCmd(t, "seed", validSet)
	if err != nil || !strings.Contains(out, "no changes") {
		t.Errorf("second seed: %v\n%s; want no changes", err, out)
	}
	broken := filepath.Join("..", "..", "seed", "testdata", "invalid", "ids")
	if out, err := runCmd(t, "seed", broken); !errors.Is(err, errDataProblems) {
		t.Errorf("seeding a broken set: %v\n%s", err, out)
	}

	dir := filepath.Join(t.TempDir(), "export")
	if out, err := runCmd(t, "export", dir); err != nil || !strings.Contains(out, "exported 11 rows") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "validate", dir); err != nil {
		t.Errorf("the export does not validate: %v\n%s", err, out)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, "export", other); err == nil {
		t.Error("export into a folder holding other files: no error")
	}
}
