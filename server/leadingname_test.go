package server

import "testing"

func TestLeadingName(t *testing.T) {
	for doc, want := range map[string]string{
		"query Matrix { x }":            "Matrix",
		"\n  mutation\tSave_2($a: Int)": "Save_2",
		"subscription S{":               "S",
		"{ statutes { id } }":           "",
		"query { x }":                   "",
		"query{ x }":                    "",
		"query\n  Named\n{":             "Named",
		"queryMatrix { x }":             "",
		"query 2x { x }":                "",
		"fragment F on T { id }":        "",
		"":                              "",
	} {
		if got := leadingName(doc); got != want {
			t.Errorf("leadingName(%q) = %q, want %q", doc, got, want)
		}
	}
}
