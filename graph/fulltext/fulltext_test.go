package fulltext

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Co-operative Corporations Act", "cooperative corporations act"},
		{"co-op housing", "cooperative housing"},
		{"Co-ops and coops", "cooperatives and cooperatives"},
		{"co-operation", "cooperation"},
		{"coopératives de solidarité", "cooperatives de solidarite"},
		{"Not-for-Profit", "nonprofit"},
		{"not for profits", "nonprofits"},
		{"Non-Profits", "nonprofits"},
		{"child care and child-care", "childcare and childcare"},
		{"Spin-out, spin outs, spinout", "spinout spinouts spinout"},
		{"spin-up spin-off spin-ins", "spinup spinoff spinins"},
		{"spinning together", "spinning together"},
		{"l'économie sociale", "economie sociale"},
		{"Loi sur l’économie sociale", "loi sur economie sociale"},
		{"d'emploi, qu'une, jusqu'à", "emploi une a"},
		{"Ontario's levers", "ontario levers"},
		{"O'Neil", "oneil"},
		{"QUÉBEC", "quebec"},
		{"Œuvre, Ærø, Straße", "oeuvre aero strasse"},
		{"EÉSAD", "eesad"},
		{"  ", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"CBCA", "cbca"},
		{"C.B.C.A.", "cbca"},
		{"C.c.Q.", "ccq"},
		{"Spin out", "spinout"},
		{"Spin-out", "spinout"},
		{"MSP 2.0", "msp20"},
	} {
		if got := Key(tc.in); got != tc.want {
			t.Errorf("Key(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFields(t *testing.T) {
	f := Fields(Entry{Name: "Canada Business Corporations Act", NameFr: "Loi canadienne sur les sociétés par actions",
		Description: "Federal law for business corporations.", Aliases: []string{"CBCA", "LCSA", "cbca"}})
	if got, want := f[PropKeys], "canadabusinesscorporationsact loicanadiennesurlessocietesparactions cbca lcsa"; got != want {
		t.Errorf("keys %q, want %q", got, want)
	}
	if got, want := f[PropNameEn], "canada business corporations act cbca lcsa cbca"; got != want {
		t.Errorf("English name %q, want %q", got, want)
	}
	if got := f[PropVersion]; got != int64(Version) {
		t.Errorf("version %v", got)
	}
}

// Whatever the text, the queries hold only field names, boosts, prefixes,
// fuzziness, grouping and words of letters and digits: nothing of the
// text's own Lucene syntax reaches an index.
func TestParseNeutralisesSyntax(t *testing.T) {
	clause := `\+\((search_[a-z_]+:[\p{L}\p{N}]+(\*|~[12])?(\^4)? ?)+\)`
	safe := regexp.MustCompile(`^` + clause + `( ` + clause + `)*$`)
	for _, tc := range []struct {
		text  string
		words string // the words the text is asked as
	}{
		{"spin-out", "spinout"},
		{"l'économie sociale", "economie sociale"},
		{"' OR 1=1 //", "or 1 1"},
		{`name:* OR description:*`, "name or description"},
		{`"}) MATCH (n) DETACH DELETE n //`, "match n detach delete n"},
		{`*:* \ ~ ^ [a TO z]`, "a to z"},
		{"search_keys:cbca^100", "search keys cbca 100"},
		{"</script><script>alert(1)</script>", "script script alert 1 script"},
	} {
		q, err := Parse(tc.text)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		for _, lucene := range []string{q.English, q.French, q.Words, q.Similar} {
			if !safe.MatchString(lucene) {
				t.Errorf("%q: unsafe query %q", tc.text, lucene)
			}
		}
		if got := strings.Join(words(tc.text), " "); got != tc.words {
			t.Errorf("%q: words %q, want %q", tc.text, got, tc.words)
		}
		if strings.ContainsAny(q.Key, " :*~^\"\\()[]{}+-!&|/?") {
			t.Errorf("%q: key %q holds syntax", tc.text, q.Key)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"   ", "search text has no words"},
		{"*:*", "search text has no words"},
		{strings.Repeat("a", 256), "a search word is longer than 255"},
		{strings.Repeat("a ", 33), "search text has more than 32 words"},
		{strings.Repeat("a", 1001), "search text is longer than 1000"},
	} {
		_, err := Parse(tc.text)
		if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.40q: %v, want %q", tc.text, err, tc.want)
		}
	}
}

func TestParseQueries(t *testing.T) {
	q, err := Parse("Co-op procurement")
	if err != nil {
		t.Fatal(err)
	}
	if q.Key != "cooperativeprocurement" {
		t.Errorf("key %q", q.Key)
	}
	want := "+(search_name_en:cooperative^4 search_text_en:cooperative) " +
		"+(search_name_en:procurement^4 search_text_en:procurement search_name_en:procurement*^4 search_text_en:procurement*)"
	if q.English != want {
		t.Errorf("English\n%s\nwant\n%s", q.English, want)
	}
	if !strings.Contains(q.Similar, "search_text_fr:procurement~2") || !strings.Contains(q.Similar, "search_name_en:cooperative~2^4") {
		t.Errorf("similar %s", q.Similar)
	}
	// A key longer than the keys index holds whole is no key.
	if q, _ := Parse(strings.Repeat("abcdefghij ", 21)); q.Key != "" {
		t.Errorf("a key of 210 letters: %q", q.Key)
	}
}

// Searches run at once, and load while they run: folding is safe for
// concurrent use (go test -race tells).
func TestFoldConcurrently(t *testing.T) {
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 200 {
				ok = ok && Fold("l'économie sociale") == "economie sociale"
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("folding at once gave another answer")
		}
	}
}
