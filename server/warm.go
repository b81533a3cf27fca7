package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// Warm runs the playground's example operations once on the schema, so that
// Neo4j has planned and compiled their queries before the first user asks:
// on a fresh Neo4j the first influence matrix takes seconds, the next tens
// of milliseconds. The requests go straight to GraphQL, past
// authentication, limits and metrics. It returns how long they took.
func Warm(ctx context.Context, schema graphql.ExecutableSchema) (time.Duration, error) {
	h := GraphQL(schema, slog.New(slog.DiscardHandler), false)
	started := time.Now()
	for _, m := range exampleNames.FindAllStringSubmatch(examples, -1) {
		if err := ctx.Err(); err != nil {
			return time.Since(started), err // shutting down before the server was warm
		}
		body, _ := json.Marshal(map[string]string{"query": examples, "operationName": m[1]})
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			return time.Since(started), fmt.Errorf("warm-up with %s: status %d: %.200s", m[1], rec.Code, rec.Body)
		}
	}
	return time.Since(started), nil
}

var exampleNames = regexp.MustCompile(`(?m)^query (\w+)`)
