package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// sameData reports whether psmgraph's and the peer's responses hold the same
// data once each is brought to a common form (see canonical), and if not
// the two forms, for the error message.
func sameData(psmgraph, peer []byte) (bool, string, string, error) {
	a, err := canonical(psmgraph)
	if err != nil {
		return false, "", "", fmt.Errorf("psmgraph's response: %w", err)
	}
	b, err := canonical(peer)
	if err != nil {
		return false, "", "", fmt.Errorf("the peer's response: %w", err)
	}
	return a == b, a, b, nil
}

// canonical renders a GraphQL response's data in a form that does not
// depend on the server's conventions: a connection without page cursors is
// the list of its edges; an edge is its node's fields with the
// relationship's properties (psmgraph puts them on the edge, the library
// under properties); an aggregate's count is a number (the library's is
// under count.nodes); a field's Connection suffix is dropped; cursors,
// which each server encodes its own way, are dropped; lists are sorted;
// numbers keep 12 significant digits, since an average summed in another
// order differs in its last ones.
func canonical(body []byte) (string, error) {
	var resp struct {
		Data any `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", err
	}
	if resp.Data == nil {
		return "", fmt.Errorf("no data: %.200s", body)
	}
	out, err := json.Marshal(normalise(resp.Data))
	return string(out), err
}

func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			k = strings.TrimSuffix(k, "Connection")
			switch k {
			case "cursor", "endCursor", "startCursor":
				continue
			case "count":
				// The library counts an aggregate's nodes under count.
				if m, ok := val.(map[string]any); ok && len(m) == 1 && m["nodes"] != nil {
					out[k] = m["nodes"]
					continue
				}
			case "node", "properties":
				if m, ok := normalise(val).(map[string]any); ok {
					for mk, mv := range m {
						out[mk] = mv
					}
					continue
				}
			}
			out[k] = normalise(val)
		}
		if edges, ok := out["edges"]; ok && len(out) == 1 {
			return edges
		}
		return out
	case []any:
		out := make([]any, len(x))
		keys := make([]string, len(x))
		for i, e := range x {
			out[i] = normalise(e)
			b, _ := json.Marshal(out[i])
			keys[i] = string(b)
		}
		idx := make([]int, len(x))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
		sorted := make([]any, len(x))
		for i, j := range idx {
			sorted[i] = out[j]
		}
		return sorted
	case float64:
		rounded, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
		return rounded
	}
	return v
}
