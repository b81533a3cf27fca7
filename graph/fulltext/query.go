package fulltext

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// The properties a node's search fields are written to, beside its own;
// snake case keeps them apart from the model's camel-case properties.
const (
	PropKeys    = "search_keys"    // the keys of its names and aliases
	PropNameEn  = "search_name_en" // its English name and aliases, folded
	PropNameFr  = "search_name_fr" // its French name and aliases, folded
	PropTextEn  = "search_text_en" // its English description, folded
	PropTextFr  = "search_text_fr" // its French description, folded
	PropVersion = "search_version" // the Version that wrote them
)

// Index is a full-text index over search fields, with the analyzer Neo4j
// applies to them. Only analyzers that every Neo4j 5 server offers are
// used, so that the indexes build on a user's own server and on Aura.
type Index struct {
	Name       string
	Analyzer   string
	Properties []string
}

// The indexes a search asks.
var (
	// Keys holds one token per name and alias, for exact matches.
	Keys = Index{"entity_keys", "whitespace", []string{PropKeys}}
	// English and French stem their language's fields: charity finds
	// charities, économie finds économique.
	English = Index{"entity_english", "english", []string{PropNameEn, PropTextEn}}
	French  = Index{"entity_french", "french", []string{PropNameFr, PropTextFr}}
	// Words holds every field unstemmed, for the prefix of the last word
	// and for misspellings: prefix and fuzzy terms bypass the analyzer, so
	// they must meet the words as written.
	Words = Index{"entity_words", "standard-no-stop-words", []string{PropNameEn, PropNameFr, PropTextEn, PropTextFr}}
)

// Indexes are the full-text indexes the search fields need.
var Indexes = []Index{Keys, English, French, Words}

// Entry is what a node's search fields are made of.
type Entry struct {
	Name, NameFr, Description, DescriptionFr string
	Aliases                                  []string
}

// maxKeyRunes bounds a key: the whitespace analyzer splits a longer token,
// so that a part of it would match as if whole.
const maxKeyRunes = 200

// Fields are the search fields of an entry, to store on its node.
func Fields(e Entry) map[string]any {
	var keys []string
	for _, s := range append([]string{e.Name, e.NameFr}, e.Aliases...) {
		if k := Key(s); k != "" && utf8.RuneCountInString(k) <= maxKeyRunes && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	aliases := Fold(strings.Join(e.Aliases, " ; "))
	nameEn, nameFr := Fold(e.Name), Fold(e.NameFr)
	textEn, textFr := Fold(e.Description), Fold(e.DescriptionFr)
	// A text given alike in both languages (a source's title) counts once,
	// as written: else it would outweigh a name given in one language.
	if nameFr == nameEn {
		nameFr = ""
	}
	if textFr == textEn {
		textFr = ""
	}
	return map[string]any{
		PropKeys:    strings.Join(keys, " "),
		PropNameEn:  strings.TrimSpace(nameEn + " " + aliases),
		PropNameFr:  strings.TrimSpace(nameFr + " " + aliases),
		PropTextEn:  textEn,
		PropTextFr:  textFr,
		PropVersion: int64(Version),
	}
}

// Bounds on search text: no token of the indexes is longer than the
// analyzers' 255 characters, and a query of many words is no search a
// person types.
const (
	maxSearchRunes = 1000
	maxSearchWords = 32
	maxWordRunes   = 255
)

// ErrInput is wrapped by the errors of a search text that cannot be asked.
var ErrInput = errors.New("bad search text")

func inputError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInput}, args...)...)
}

// Query is a search text as the indexes are asked it. Its words hold only
// letters and digits: no quote, operator, field or wildcard of Lucene's
// query syntax from the text survives, and and, or and not, lower-cased,
// are words like any other.
type Query struct {
	// Text is the text as given, trimmed, which may be an id.
	Text string
	// Key is the text as one key, or "" when too long to be one.
	Key string
	// English, French and Words ask their index for every word, the last
	// also as a prefix, with name matches weighing more than description
	// matches.
	English, French, Words string
	// Similar asks Words for every word or one spelt nearly alike, for
	// when nothing else matches.
	Similar string
}

// nameBoost weighs a match in a name or alias against one in a
// description.
const nameBoost = "^4"

// Parse checks a search text and returns its queries. A text of no words,
// too many or too long ones is an error wrapping ErrInput.
func Parse(text string) (Query, error) {
	if utf8.RuneCountInString(text) > maxSearchRunes {
		return Query{}, inputError("search text is longer than %d characters", maxSearchRunes)
	}
	ws := words(text)
	switch {
	case len(ws) == 0:
		return Query{}, inputError("search text has no words")
	case len(ws) > maxSearchWords:
		return Query{}, inputError("search text has more than %d words", maxSearchWords)
	}
	for _, w := range ws {
		if utf8.RuneCountInString(w) > maxWordRunes {
			return Query{}, inputError("a search word is longer than %d characters", maxWordRunes)
		}
	}
	q := Query{Text: strings.TrimSpace(text), Key: strings.Join(ws, "")}
	if utf8.RuneCountInString(q.Key) > maxKeyRunes {
		q.Key = ""
	}
	q.English = every(ws, English.Properties, exactOrPrefix)
	q.French = every(ws, French.Properties, exactOrPrefix)
	q.Words = every(ws, Words.Properties, exactOrPrefix)
	q.Similar = every(ws, Words.Properties, similar)
	return q, nil
}

// term spells the terms that match a word in one field: the word, and for
// the last word of a text also its prefix.
type term func(w string, last bool) []string

func exactOrPrefix(w string, last bool) []string {
	if last {
		return []string{w, w + "*"}
	}
	return []string{w}
}

// similar matches a word within one edit when short, two when long; a word
// of two letters or fewer only as written, as almost any word is near it.
func similar(w string, _ bool) []string {
	switch n := utf8.RuneCountInString(w); {
	case n <= 2:
		return []string{w}
	case n <= 5:
		return []string{w + "~1"}
	}
	return []string{w + "~2"}
}

// every is the Lucene query that every word must match in one of the
// fields, names weighing more.
func every(ws, fields []string, terms term) string {
	clauses := make([]string, len(ws))
	for i, w := range ws {
		var alts []string
		for _, t := range terms(w, i == len(ws)-1) {
			for _, f := range fields {
				alt := f + ":" + t
				if isName(f) {
					alt += nameBoost
				}
				alts = append(alts, alt)
			}
		}
		clauses[i] = "+(" + strings.Join(alts, " ") + ")"
	}
	return strings.Join(clauses, " ")
}

func isName(field string) bool { return field == PropNameEn || field == PropNameFr }
