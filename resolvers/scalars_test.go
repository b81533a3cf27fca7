package resolvers_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// A scalar reads back what it writes, at each precision a PartialDate
// has; what is not one of them is the client's mistake, with its code.
func TestScalarsReadWhatTheyWrite(t *testing.T) {
	for _, s := range []string{"2013", "2013-10", "2013-10-10"} {
		d, err := resolvers.UnmarshalPartialDate(s)
		if err != nil {
			t.Fatalf("PartialDate %q: %v", s, err)
		}
		var out bytes.Buffer
		resolvers.MarshalPartialDate(d).MarshalGQL(&out)
		if got := out.String(); got != strconv.Quote(s) {
			t.Errorf("PartialDate %q is written %s", s, got)
		}
	}
	day, err := resolvers.UnmarshalDate("1999-12-31")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	resolvers.MarshalDate(day).MarshalGQL(&out)
	if got := out.String(); got != `"1999-12-31"` {
		t.Errorf("Date 1999-12-31 is written %s", got)
	}

	refused := map[string]func() error{
		"PartialDate 2013-13":  func() error { _, err := resolvers.UnmarshalPartialDate("2013-13"); return err },
		"PartialDate 13 Oct":   func() error { _, err := resolvers.UnmarshalPartialDate("13 Oct 2013"); return err },
		"PartialDate 2013 int": func() error { _, err := resolvers.UnmarshalPartialDate(int64(2013)); return err },
		"Date 2013-10":         func() error { _, err := resolvers.UnmarshalDate("2013-10"); return err },
		"Date as a number":     func() error { _, err := resolvers.UnmarshalDate(json.Number("20131010")); return err },
		"Int over 32 bits":     func() error { _, err := resolvers.UnmarshalInt(json.Number("2147483648")); return err },
		"Int with a fraction":  func() error { _, err := resolvers.UnmarshalInt(json.Number("1.5")); return err },
	}
	for name, read := range refused {
		if code := graph.ErrorCode(read()); code != graph.CodeBadInput {
			t.Errorf("%s: code %q, want %q", name, code, graph.CodeBadInput)
		}
	}
	if n, err := resolvers.UnmarshalInt(json.Number("-2147483648")); err != nil || n != -2147483648 {
		t.Errorf("Int -2147483648: %d, %v", n, err)
	}
}
