package resolvers_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// relevanceCase is one line of testdata/relevance.tsv: a text an analyst
// types, and the ids its first five hits must hold.
type relevanceCase struct {
	text string
	want []string
}

func readRelevance(t *testing.T) []relevanceCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "relevance.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes = '\t', true
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cases []relevanceCase
	for _, rec := range records[1:] {
		cases = append(cases, relevanceCase{text: rec[0], want: strings.Fields(rec[1])})
	}
	return cases
}

// The floors the relevance set must reach.
const (
	minRecallAt5 = 0.95
	minMRR       = 0.8
)

// TestSearchRelevance measures search on the shipped data against the
// relevance set: recall@5 is the share of wanted ids among their query's
// first five hits; the reciprocal rank of a query is 1/k for the first of
// its wanted ids at rank k in the first ten hits, 0 when none is there.
func TestSearchRelevance(t *testing.T) {
	a := newAPI(t)
	cases := readRelevance(t)
	if len(cases) < 40 {
		t.Fatalf("the relevance set has %d queries, fewer than 40", len(cases))
	}
	wanted, found, rr := 0, 0, 0.0
	for _, c := range cases {
		var resp struct {
			Search []struct{ Node struct{ ID string } }
		}
		a.query(t, `query($text: String!) { search(text: $text, first: 10) { node { id } } }`, &resp,
			client.Var("text", c.text))
		var ids []string
		for _, h := range resp.Search {
			ids = append(ids, h.Node.ID)
		}
		top5 := ids[:min(5, len(ids))]
		best := 0
		for _, id := range c.want {
			wanted++
			if slices.Contains(top5, id) {
				found++
			} else {
				t.Logf("%q: %s is not in the first five: %v", c.text, id, top5)
			}
			if k := slices.Index(ids, id) + 1; k > 0 && (best == 0 || k < best) {
				best = k
			}
		}
		if best > 0 {
			rr += 1 / float64(best)
		}
	}
	recall, mrr := float64(found)/float64(wanted), rr/float64(len(cases))
	t.Logf("relevance set: %d queries, recall@5 %s, MRR %s", len(cases),
		strconv.FormatFloat(recall, 'f', 3, 64), strconv.FormatFloat(mrr, 'f', 3, 64))
	if recall < minRecallAt5 || mrr < minMRR {
		t.Errorf("recall@5 %.3f and MRR %.3f: the floors are %.2f and %.2f", recall, mrr, minRecallAt5, minMRR)
	}
}
