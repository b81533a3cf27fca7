package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

// FuzzGraphQLRequest sends whatever the fuzzer makes up down the whole
// request path, to the real database: it must never panic nor answer 500,
// and an error must come as JSON with a code.
//
//	go test -run '^$' -fuzz FuzzGraphQLRequest -fuzztime 60s ./server/
func FuzzGraphQLRequest(f *testing.F) {
	store := neo4jtest.Store(f)
	loadShipped(f, store)
	h := handlerOver(store, server.Options{Introspection: true})
	for _, seed := range []struct{ method, contentType, body string }{
		{"POST", "application/json", `{"query":"{ mutualKinds { totalCount edges { node { id name } } } }"}`},
		{"POST", "application/json", `{"query":"query($k: ID!) { leversAffecting(kind: $k, first: 5) { effect } }","variables":{"k":"kind:spin-out"}}`},
		{"POST", "application/json", `{"query":"{ trace(from: \"kind:spin-out\", to: \"jurisdiction:ca\") { hops { type } } }"}`},
		{"POST", "application/json", `{"query":"{ search(text: \"co-op\") { score } }"}`},
		{"POST", "application/json", `{"query":"mutation { deleteEntity(id: \"x\") }"}`},
		{"POST", "application/json", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}`},
		{"POST", "application/json", `{"query":"{ __schema { types { name } } }"}`},
		{"POST", "application/json", `{"query": 12}`},
		{"POST", "application/graphql", `{ __typename }`},
		{"POST", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{}\r\n--x--"},
		{"GET", "", ""},
		{"PUT", "text/plain", "hello"},
	} {
		f.Add(seed.method, seed.contentType, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, method, contentType string, body []byte) {
		if !validMethod(method) {
			return // net/http refuses such requests before a handler sees them
		}
		target := "/graphql"
		if method == http.MethodGet {
			target += "?query=" + url.QueryEscape(string(body))
			body = nil
		}
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q %q: status %d: %s", method, contentType, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusUnsupportedMediaType {
			var out gqlResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Errors) == 0 || out.Errors[0].Extensions["code"] == nil {
				t.Fatalf("%s %q %q: status %d without a coded error: %s", method, contentType, body, rec.Code, rec.Body)
			}
		}
	})
}

func validMethod(m string) bool {
	if m == "" || len(m) > 16 {
		return false
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
