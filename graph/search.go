package graph

import (
	"context"
	"errors"
	"maps"
	"strings"

	"github.com/psmgraph/psmgraph/graph/fulltext"
)

// Hit is a full-text search result.
type Hit struct {
	Node  Node
	Label Label
	// Score is its relevance, higher first: every hit of a better Match
	// scores above every hit of a worse one.
	Score float64
	Match Match
}

// Match says how a search hit matched the text, best first.
type Match string

// The ways a hit matches.
const (
	// MatchID: the text is its id.
	MatchID Match = "ID"
	// MatchExact: the text is one of its names or aliases, as folded.
	MatchExact Match = "EXACT"
	// MatchWords: every word of the text is in its names or descriptions,
	// stemmed, the last perhaps as a prefix.
	MatchWords Match = "WORDS"
	// MatchSimilar: nothing matched better, and every word is in it spelt
	// nearly alike.
	MatchSimilar Match = "SIMILAR"
)

// tiers rank the matches in Cypher; tierMatch reads them back.
var tierMatch = map[int64]Match{3: MatchID, 2: MatchExact, 1: MatchWords, 0: MatchSimilar}

// ParseSearch checks a search text and returns the indexes' queries; a
// text that cannot be asked is a BAD_USER_INPUT error.
func ParseSearch(text string) (fulltext.Query, error) {
	q, err := fulltext.Parse(text)
	if errors.Is(err, fulltext.ErrInput) {
		return q, Errorf(CodeBadInput, "%s", strings.TrimPrefix(err.Error(), fulltext.ErrInput.Error()+": "))
	}
	return q, err
}

// searchCypher finds a search's hits as the rows n0, tier and score, best
// first, at most s.First. Each index is asked for every word; the hits of
// all are merged, each at its best match; only when none is found are
// words spelt nearly alike looked for. An exact hit's score is raised above
// every word hit's, so that scores fall in the order of the hits.
func searchCypher(p params, s Search) (string, error) {
	q, err := ParseSearch(s.Text)
	if err != nil {
		return "", err
	}
	only := p.add(nilIfEmpty(asStrings(s.Labels)))
	ask := func(index fulltext.Index, query string) string {
		return "CALL db.index.fulltext.queryNodes('" + index.Name + "', " + p.add(query) + ") YIELD node AS n0, score "
	}
	branches := []string{
		"MATCH (n0:Entity {id: " + p.add(q.Text) + "}) RETURN n0, 3 AS tier, 0.0 AS score",
		ask(fulltext.English, q.English) + "RETURN n0, 1 AS tier, score",
		ask(fulltext.French, q.French) + "RETURN n0, 1 AS tier, score",
		ask(fulltext.Words, q.Words) + "RETURN n0, 1 AS tier, score",
	}
	if q.Key != "" {
		branches = append(branches, ask(fulltext.Keys, fulltext.PropKeys+":"+q.Key)+"RETURN n0, 2 AS tier, score")
	}
	inLabels := " WHERE " + only + " IS NULL OR " + labelOf("n0") + " IN " + only
	return "CALL () { " + strings.Join(branches, " UNION ALL ") + " }" +
		" WITH n0, max(tier) AS tier, max(score) AS score" + inLabels +
		" WITH collect({n0: n0, tier: tier, score: score}) AS found, max(CASE WHEN tier = 1 THEN score END) AS top" +
		" CALL (found, top) {" +
		" UNWIND found AS f RETURN f.n0 AS n0, f.tier AS tier," +
		" CASE WHEN f.tier > 1 THEN coalesce(top, 0.0) + f.tier + f.score / (1 + f.score) ELSE f.score END AS score" +
		" UNION ALL WITH found WHERE size(found) = 0 " + ask(fulltext.Words, q.Similar) + "RETURN n0, 0 AS tier, score }" +
		" WITH n0, tier, score" + inLabels +
		" WITH n0, tier, score ORDER BY score DESC, n0.id LIMIT " + p.add(s.First), nil
}

// Search finds entities whose ids, names, aliases or descriptions match
// the text, best first, optionally only of some labels.
func (s *Store) Search(ctx context.Context, text string, labels []Label, first int) ([]Hit, error) {
	p := params{}
	match, err := searchCypher(p, Search{Text: text, Labels: labels, First: first})
	if err != nil {
		return nil, err
	}
	return readAll(ctx, s, match+" RETURN "+labelOf("n0")+" AS label, properties(n0) AS props, tier, score", p, func(v []any) (Hit, bool) {
		n, ok := decodeRecord(v[0], v[1])
		label, _ := v[0].(string)
		tier, _ := v[2].(int64)
		score, _ := v[3].(float64)
		return Hit{Node: n, Label: Label(label), Score: score, Match: tierMatch[tier]}, ok
	})
}

// searchFields are the fields the full-text indexes read of a node with
// these properties.
func searchFields(props map[string]any) map[string]any {
	aliases, ok := props["aliases"].([]string) // as written
	if !ok {
		aliases = strList(props, "aliases") // as Neo4j returns it
	}
	return fulltext.Fields(fulltext.Entry{Name: str(props, "name"), NameFr: str(props, "nameFr"),
		Description: str(props, "description"), DescriptionFr: str(props, "descriptionFr"), Aliases: aliases})
}

// nodeProps are a node's properties as written to Neo4j: its own, and its
// search fields.
func nodeProps(props map[string]any) map[string]any {
	out := toNeo4j(props)
	maps.Copy(out, searchFields(out))
	return out
}

// maxRefold bounds the nodes Refold rewrites in one transaction.
const maxRefold = 1000

// Refold writes the search fields of every node whose fields are missing
// or were written by other rules than the current ones (a graph loaded by
// an earlier version), so that search finds them all. It returns how many
// it wrote.
func (s *Store) Refold(ctx context.Context) (int, error) {
	total, after := 0, ""
	for {
		// In id order from a cursor, so that the whole pass reads each node
		// once, through the id index, however many need writing.
		records, err := s.read(ctx, `MATCH (n:Entity) WHERE n.id > $after
  AND (n.`+fulltext.PropVersion+` IS NULL OR n.`+fulltext.PropVersion+` <> $version)
WITH n ORDER BY n.id LIMIT $batch
RETURN n.id AS id, properties(n) AS props`, map[string]any{"after": after, "version": int64(fulltext.Version), "batch": maxRefold})
		if err != nil || len(records) == 0 {
			return total, err
		}
		rows := make([]map[string]any, len(records))
		for i, r := range records {
			props, _ := r.Values[1].(map[string]any)
			rows[i] = map[string]any{"id": r.Values[0], "fields": searchFields(props)}
		}
		after, _ = records[len(records)-1].Values[0].(string)
		if _, err := s.write(ctx, `UNWIND $rows AS row MATCH (n:Entity {id: row.id}) SET n += row.fields`,
			map[string]any{"rows": rows}); err != nil {
			return total, err
		}
		total += len(rows)
	}
}

// MatchOfTier reads a search hit's match from the tier a read returns.
func MatchOfTier(tier any) Match {
	t, _ := tier.(int64)
	return tierMatch[t]
}
