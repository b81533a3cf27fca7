package graph

import "context"

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
