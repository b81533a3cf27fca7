package graph

import (
	"strings"
	"testing"
)

func TestParseSearchIsBadInput(t *testing.T) {
	for _, text := range []string{"", "*:*", strings.Repeat("a ", 33)} {
		_, err := ParseSearch(text)
		if ErrorCode(err) != CodeBadInput || strings.Contains(err.Error(), "bad search text") {
			t.Errorf("%.20q: %v (code %s), want a BAD_USER_INPUT error in the text's own words", text, err, ErrorCode(err))
		}
	}
}
