package graph

import (
	"strings"
	"testing"
)

func TestSearchWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // the Lucene query, or the error's start
	}{
		{"spin-out", "+spin +(out OR out*)"},
		{"Coopératives de travail", "+coopératives +de +(travail OR travail*)"},
		{"l'économie sociale", `+l\'économie +(sociale OR sociale*)`},
		{"' OR 1=1 //", "+or +1 +(1 OR 1*)"},
		{`name:* OR description:*`, "+name +or +(description OR description*)"},
		{`"}) MATCH (n) DETACH DELETE n //`, "+match +n +detach +delete +(n OR n*)"},
		{`*:* \ ~ ^ [a TO z]`, "+a +to +(z OR z*)"},
		{"</script><script>alert(1)</script>", "+script +script +alert +1 +(script OR script*)"},
		{"   ", "search text has no words"},
		{"*:*", "search text has no words"},
		{strings.Repeat("a", 256), "a search word is longer than 255"},
		{strings.Repeat("a ", 33), "search text has more than 32 words"},
		{strings.Repeat("a", 1001), "search text is longer than 1000"},
	} {
		words, err := searchWords(tc.text)
		got := ""
		if err != nil {
			got = err.Error()
			if ErrorCode(err) != CodeBadInput {
				t.Errorf("%.40q: code %s, want BAD_USER_INPUT", tc.text, ErrorCode(err))
			}
		} else {
			got = searchQuery(words)
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%.40q: %q, want %q", tc.text, got, tc.want)
		}
	}
}
