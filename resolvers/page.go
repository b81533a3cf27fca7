package resolvers

import (
	"encoding/base64"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/psmgraph/psmgraph/graph"
)

// MaxFirst caps the page size a client may ask for.
const MaxFirst = 100

// Cursors are opaque to clients. Inside, "id:<id>" continues a list ordered by
// id after that id, which stays right while items are added before it;
// "o:<n>" continues an ordered list at position n. The prefix tells the two
// apart, and a later format from both.
const (
	idCursor     = "id:"
	offsetCursor = "o:"
)

// IDCursor is the cursor after the node with the id, in a list ordered by id.
func IDCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(idCursor + id))
}

// OffsetCursor is the cursor after the first n items of an ordered list.
func OffsetCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(offsetCursor + strconv.Itoa(n)))
}

// PageArgsOf checks a connection's first, after and orderBy arguments and
// turns them into the store's paging arguments.
func PageArgsOf(first *int, after *string, orderBy []SortBy, edgeOrderBy []graph.Sort) (graph.PageArgs, error) {
	args := graph.PageArgs{First: 20}
	if first != nil {
		if *first < 0 || *first > MaxFirst {
			return args, graph.Errorf(graph.CodeBadInput, "first must be between 0 and %d", MaxFirst)
		}
		args.First = *first
	}
	for _, s := range orderBy {
		args.OrderBy = append(args.OrderBy, graph.Sort{Property: propertyOfField(string(s.Field)), Descending: s.Direction != nil && *s.Direction == SortDirectionDesc})
	}
	if err := graph.CheckSorts(args.OrderBy); err != nil {
		return args, err
	}
	args.EdgeOrderBy = edgeOrderBy
	if after == nil || *after == "" {
		return args, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*after)
	cursor := string(raw)
	switch {
	case err != nil:
	case !args.Ordered() && strings.HasPrefix(cursor, idCursor):
		args.After = strings.TrimPrefix(cursor, idCursor)
		return args, nil
	case args.Ordered() && strings.HasPrefix(cursor, offsetCursor):
		if n, err := strconv.Atoi(strings.TrimPrefix(cursor, offsetCursor)); err == nil && n >= 0 {
			args.Offset = n
			return args, nil
		}
	}
	return args, graph.Errorf(graph.CodeBadInput, "after is not a cursor of this list in this order")
}

// EdgeSortsOf reads an edgeOrderBy argument: each key names a property of
// the relationships, and may sort it DESC.
func EdgeSortsOf(keys []map[string]any) []graph.Sort {
	out := make([]graph.Sort, 0, len(keys))
	for _, k := range keys {
		field := reflect.ValueOf(deref(k["field"])).String()
		direction := reflect.ValueOf(deref(k["direction"]))
		out = append(out, graph.Sort{Property: strings.ToLower(field),
			Descending: direction.Kind() == reflect.String && direction.String() == string(SortDirectionDesc)})
	}
	return out
}

// propertyOfField names the property that a value of SortField, or of the
// aggregates' property enums, names: IN_FORCE is inForce.
func propertyOfField(value string) string {
	words := strings.Split(strings.ToLower(value), "_")
	for i := 1; i < len(words); i++ {
		r := []rune(words[i])
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, "")
}
