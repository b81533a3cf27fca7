package graph

import (
	"context"
)

// Node returns the node with the id, or a NOT_FOUND error. The id's prefix
// names the label, so the lookup uses that label's index.
func (s *Store) Node(ctx context.Context, id string) (Node, error) {
	nt, ok := NodeTypeOf(id)
	if !ok {
		return nil, Errorf(CodeNotFound, "no node has the id %q", id)
	}
	label := nt.Label
	records, err := s.read(ctx, "MATCH (n:"+string(label)+" {id: $id}) RETURN n {.*} AS n", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, Errorf(CodeNotFound, "no node has the id %q", id)
	}
	props, _ := records[0].Values[0].(map[string]any)
	return decode(label, props)
}

// Jurisdictions returns a page of jurisdictions ordered by id.
func (s *Store) Jurisdictions(ctx context.Context, args PageArgs) (Page[Jurisdiction], error) {
	return list(ctx, s, LabelJurisdiction, args, decodeJurisdiction)
}

// MutualKinds returns a page of the kinds of mutual ordered by id.
func (s *Store) MutualKinds(ctx context.Context, args PageArgs) (Page[MutualKind], error) {
	return list(ctx, s, LabelMutualKind, args, decodeMutualKind)
}

// listQuery counts the label's nodes and returns one page of them by id, in
// one round trip. Paging by id (not by offset) keeps a page stable while
// nodes are added before it, and uses the id index.
func listQuery(label Label) string {
	return `MATCH (n:` + string(label) + `) WITH count(n) AS total
CALL {
  MATCH (n:` + string(label) + `) WHERE n.id > $after
  WITH n ORDER BY n.id LIMIT $limit
  RETURN collect(n {.*}) AS nodes
}
RETURN total, nodes`
}

func list[T any](ctx context.Context, s *Store, label Label, args PageArgs, decode func(map[string]any) T) (Page[T], error) {
	if args.First < 0 {
		return Page[T]{}, Errorf(CodeBadInput, "first must not be negative")
	}
	// Ask for one more than the page to learn whether another page follows.
	records, err := s.read(ctx, listQuery(label), map[string]any{"after": args.After, "limit": args.First + 1})
	if err != nil {
		return Page[T]{}, err
	}
	total, _ := records[0].Get("total")
	nodes, _ := records[0].Get("nodes")
	raw, _ := nodes.([]any)
	page := Page[T]{Total: int(asInt(total)), HasNext: len(raw) > args.First}
	for _, r := range raw[:min(len(raw), args.First)] {
		props, _ := r.(map[string]any)
		page.Items = append(page.Items, decode(props))
	}
	return page, nil
}

func decode(label Label, props map[string]any) (Node, error) {
	switch label {
	case LabelJurisdiction:
		return decodeJurisdiction(props), nil
	case LabelMutualKind:
		return decodeMutualKind(props), nil
	}
	return nil, Errorf(CodeNotFound, "the API does not serve %s nodes yet", label)
}

func decodeJurisdiction(p map[string]any) Jurisdiction {
	return Jurisdiction{
		ID:      str(p, "id"),
		Name:    str(p, "name"),
		NameFr:  optStr(p, "nameFr"),
		Code:    str(p, "code"),
		Country: str(p, "country"),
		Level:   JurisdictionLevel(str(p, "level")),
	}
}

func decodeMutualKind(p map[string]any) MutualKind {
	return MutualKind{
		ID:            str(p, "id"),
		Name:          str(p, "name"),
		NameFr:        optStr(p, "nameFr"),
		Description:   str(p, "description"),
		DescriptionFr: optStr(p, "descriptionFr"),
	}
}

func str(p map[string]any, key string) string {
	s, _ := p[key].(string)
	return s
}

func optStr(p map[string]any, key string) *string {
	if s, ok := p[key].(string); ok {
		return &s
	}
	return nil
}

func asInt(v any) int64 {
	n, _ := v.(int64)
	return n
}
