package resolvers

import (
	"encoding/base64"
	"strings"

	"github.com/psmgraph/psmgraph/graph"
)

// MaxFirst caps the page size a client may ask for.
const MaxFirst = 100

// cursorPrefix versions the cursor format, so that a later change of format
// can tell old cursors apart instead of misreading them.
const cursorPrefix = "id:"

// encodeCursor makes an opaque cursor from the id a page ends at.
func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

// pageArgs checks a connection's first and after arguments and turns them
// into the store's paging arguments.
func pageArgs(first *int, after *string) (graph.PageArgs, error) {
	args := graph.PageArgs{First: 20}
	if first != nil {
		if *first < 0 || *first > MaxFirst {
			return args, graph.Errorf(graph.CodeBadInput, "first must be between 0 and %d", MaxFirst)
		}
		args.First = *first
	}
	if after != nil && *after != "" {
		raw, err := base64.RawURLEncoding.DecodeString(*after)
		id, ok := strings.CutPrefix(string(raw), cursorPrefix)
		if err != nil || !ok {
			return args, graph.Errorf(graph.CodeBadInput, "after is not a cursor from this API")
		}
		args.After = id
	}
	return args, nil
}
