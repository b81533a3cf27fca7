package telemetry

import (
	"fmt"
	"strings"
	"testing"
)

// Operation names come from clients: only well-formed ones, and no more
// than the bound, become labels.
func TestOperationLabelsAreBounded(t *testing.T) {
	s := newNameSet(3)
	for name, want := range map[string]string{
		"":                      "anonymous",
		"Kinds":                 "Kinds",
		"with space":            "other",
		"1starts_with_digit":    "other",
		strings.Repeat("a", 65): "other",
		"Levers":                "Levers",
		"line\nbreak":           "other",
		`quote"s`:               "other",
	} {
		if got := s.label(name); got != want {
			t.Errorf("label(%q) = %q, want %q", name, got, want)
		}
	}
	s.label("Third")
	if got := s.label("Fourth"); got != "other" {
		t.Errorf("a fourth name became %q; the bound is 3", got)
	}
	if got := s.label("Kinds"); got != "Kinds" {
		t.Errorf("a name admitted before became %q", got)
	}
}

func TestRecordKeepsTheFirstCodeAndName(t *testing.T) {
	var nilRecord *Record
	nilRecord.Fail("X") // outside a request: no record, no panic
	nilRecord.SetOperation("Y")
	r := &Record{}
	r.SetOperation("")
	r.SetOperation("First")
	r.SetOperation("Second")
	r.Fail("BAD_USER_INPUT")
	r.Fail("INTERNAL")
	if r.Operation() != "First" || r.Code() != "BAD_USER_INPUT" {
		t.Errorf("operation %q code %q", r.Operation(), r.Code())
	}
}

func TestOneLine(t *testing.T) {
	q := "MATCH (n)\n\t  WHERE n.id = $id\nRETURN n"
	if got := oneLine(q, 100); got != "MATCH (n) WHERE n.id = $id RETURN n" {
		t.Errorf("%q", got)
	}
	if got := oneLine(strings.Repeat("x ", 100), 10); got != fmt.Sprint("x x x x x ", "…") {
		t.Errorf("%q", got)
	}
}
