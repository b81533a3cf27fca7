package graph

import "context"

// PutJurisdictions creates or updates the jurisdictions, matched by id.
func (s *Store) PutJurisdictions(ctx context.Context, js []Jurisdiction) error {
	rows := make([]map[string]any, len(js))
	for i, j := range js {
		rows[i] = map[string]any{"id": j.ID, "name": j.Name, "nameFr": optional(j.NameFr), "code": j.Code, "country": j.Country, "level": string(j.Level)}
	}
	return s.mergeNodes(ctx, LabelJurisdiction, rows)
}

// PutMutualKinds creates or updates the kinds of mutual, matched by id.
func (s *Store) PutMutualKinds(ctx context.Context, ks []MutualKind) error {
	rows := make([]map[string]any, len(ks))
	for i, k := range ks {
		rows[i] = map[string]any{"id": k.ID, "name": k.Name, "nameFr": optional(k.NameFr), "description": k.Description, "descriptionFr": optional(k.DescriptionFr)}
	}
	return s.mergeNodes(ctx, LabelMutualKind, rows)
}

// mergeNodes upserts the rows as nodes of the label in one transaction, so
// that a batch is written whole or not at all and a re-run changes nothing.
// A nil property is removed, as SET n += does with nulls.
func (s *Store) mergeNodes(ctx context.Context, label Label, rows []map[string]any) error {
	_, err := s.write(ctx, `UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n:`+string(label)+`, n += row`, map[string]any{"rows": rows})
	return err
}

// DeleteAll removes every node and relationship, in batches so that a large
// graph does not need one huge transaction.
func (s *Store) DeleteAll(ctx context.Context) error {
	for {
		records, err := s.write(ctx, `MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted`, nil)
		if err != nil {
			return err
		}
		if n, _ := records[0].Get("deleted"); asInt(n) == 0 {
			return nil
		}
	}
}

// optional turns an absent value into a Cypher null.
func optional(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}
