package graph

import "context"

// Read exposes the store's raw read to the package's external tests.
func (s *Store) Read(ctx context.Context, cypher string, params map[string]any) ([]map[string]any, error) {
	records, err := s.read(ctx, cypher, params)
	rows := make([]map[string]any, len(records))
	for i, r := range records {
		rows[i] = r.AsMap()
	}
	return rows, err
}
