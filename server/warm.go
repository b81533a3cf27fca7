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
// authentication, limits and metrics. An example that names an id the
// graph lacks (a new or another data set) is refused as BAD_USER_INPUT,
// which warming ignores: its query was planned or never runs. It returns
// how long they took.
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
		if rec.Code != http.StatusOK || !onlyBadInput(rec.Body.Bytes()) {
			return time.Since(started), fmt.Errorf("warm-up with %s: status %d: %.200s", m[1], rec.Code, rec.Body)
		}
	}
	return time.Since(started), nil
}

var exampleNames = regexp.MustCompile(`(?m)^query (\w+)`)

// onlyBadInput reports a response without errors, or whose every error is
// BAD_USER_INPUT.
func onlyBadInput(body []byte) bool {
	var resp struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	if json.Unmarshal(body, &resp) != nil {
		return false
	}
	for _, e := range resp.Errors {
		if e.Extensions.Code != "BAD_USER_INPUT" {
			return false
		}
	}
	return true
}
