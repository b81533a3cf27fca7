// Package fulltext turns names, descriptions and search texts into the
// words the full-text indexes hold, and search texts into the indexes'
// queries. Neo4j's built-in analyzers stem English and French; what no
// built-in analyzer does (folding accents, French elision, the spelling
// variants of this field, acronyms) is done here, on both sides: when a
// node is written and when a search is asked.
package fulltext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Version names the folding rules. A node's search fields record the
// version that wrote them, so that a change of rules rewrites them.
const Version = 1

// Fold returns the words of s, space-separated: lower-cased, without
// accents, French elisions (l'économie: economie) or English possessives
// (Ontario's: ontario), with the field's spelling variants made one
// (co-op, co-operative: cooperative; not-for-profit: nonprofit).
func Fold(s string) string {
	return strings.Join(words(s), " ")
}

// Key is s as one word: its folded words run together, so that "CBCA",
// "C.B.C.A." and "cbca" are one key, and "spin out" and "Spin-out" another.
func Key(s string) string {
	return strings.Join(words(s), "")
}

// words splits s into folded words.
func words(s string) []string {
	s = strings.ToLower(unaccent(s))
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		if w = unelide(w); w != "" {
			out = append(out, w)
		}
	}
	return variants(out)
}

// ligatures and typographic apostrophes that decomposition leaves.
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss", "ø", "o", "Ø", "o", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "’", "'", "‘", "'", "ʼ", "'")

// unaccent decomposes letters and drops their combining marks. It uses
// only the norm package's forms, which are safe for concurrent use (a
// transform.Chain is not: it keeps buffers between calls).
func unaccent(s string) string {
	decomposed := norm.NFD.String(ligatures.Replace(s))
	return norm.NFC.String(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, decomposed))
}

// elisions are the French words that drop their vowel before another:
// l'économie, d'emploi, qu'une.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
}

// unelide drops an elided French article or pronoun, an English
// possessive, and any apostrophe left: l'économie, Ontario's, O'Neil.
func unelide(w string) string {
	w = strings.Trim(w, "'")
	if head, tail, ok := strings.Cut(w, "'"); ok && elisions[head] {
		w = tail
	}
	w = strings.TrimSuffix(w, "'s")
	return strings.ReplaceAll(w, "'", "")
}

// variants makes the spelling variants of the field one word: the words of
// a variant, however hyphenated or spaced, become its one spelling.
func variants(ws []string) []string {
	out := ws[:0:0]
	for i := 0; i < len(ws); i++ {
		if word, n := variant(ws[i:]); n > 0 {
			out = append(out, word)
			i += n - 1
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

// variant returns the one spelling of the variant ws starts with and how
// many of its words it takes, or 0.
func variant(ws []string) (string, int) {
	at := func(i int) string {
		if i < len(ws) {
			return ws[i]
		}
		return ""
	}
	plural := func(w, base string) (string, bool) {
		switch w {
		case base:
			return "", true
		case base + "s":
			return "s", true
		}
		return "", false
	}
	switch at(0) {
	case "co": // co-op, co-ops, co-operative, co-operatives, co-operation
		switch next := at(1); {
		case next == "op" || next == "ops":
			return "cooperative" + strings.TrimPrefix(next, "op"), 2
		case strings.HasPrefix(next, "operat"):
			return "co" + next, 2
		}
	case "coop", "coops": // a co-op without its hyphen
		return "cooperative" + strings.TrimPrefix(at(0), "coop"), 1
	case "non": // non-profit
		if s, ok := plural(at(1), "profit"); ok {
			return "nonprofit" + s, 2
		}
	case "not": // not-for-profit
		if s, ok := plural(at(2), "profit"); ok && at(1) == "for" {
			return "nonprofit" + s, 3
		}
	case "child": // child care
		if at(1) == "care" {
			return "childcare", 2
		}
	case "spin": // spin-out, spin out, spin-ups
		for _, route := range []string{"out", "up", "off", "in"} {
			if s, ok := plural(at(1), route); ok {
				return "spin" + route + s, 2
			}
		}
	}
	return "", 0
}
