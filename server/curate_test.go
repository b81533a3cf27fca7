package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/server"
)

const curatorKey, readerKey = "curator-secret-key", "reader-secret-key"

func newCuratedServer(t *testing.T, readsRequireAuth bool) *httptest.Server {
	t.Helper()
	store := neo4jtest.Store(t)
	loadShipped(t, store)
	authn, err := auth.New(auth.Config{APIKeys: []string{"ci:curator:" + auth.HashKey(curatorKey), "web:reader:" + auth.HashKey(readerKey)}})
	if err != nil {
		t.Fatal(err)
	}
	return serveOver(t, store, server.Options{Auth: authn, ReadsRequireAuth: readsRequireAuth, MaxBodyBytes: 1 << 20, RequestTimeout: 10 * time.Second})
}

// as posts a query with a bearer credential ("" for none).
func as(t *testing.T, srv *httptest.Server, key, query string, vars map[string]any) (int, gqlResponse) {
	t.Helper()
	header := http.Header{}
	if key != "" {
		header.Set("Authorization", "Bearer "+key)
	}
	resp, out := send(t, srv.URL, header, query, vars)
	return resp.StatusCode, out
}

// send posts a query with the headers (nil for none) and returns the
// response, its body consumed, and the answer.
func send(t *testing.T, url string, header http.Header, query string, vars map[string]any) (*http.Response, gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	for name, values := range header {
		req.Header[name] = values
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("status %d, body %s", resp.StatusCode, data)
	}
	return resp, out
}

func code(r gqlResponse) any {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0].Extensions["code"]
}

const createMutual = `mutation($props: [PropertyInput!]!) { createEntity(type: MUTUAL, properties: $props, reason: "a test") { id name ... on Mutual { ownership founded } } }`

func props(kv ...string) []map[string]string {
	var out []map[string]string
	for i := 0; i < len(kv); i += 2 {
		out = append(out, map[string]string{"name": kv[i], "value": kv[i+1]})
	}
	return out
}

func TestMutationsNeedTheCuratorRole(t *testing.T) {
	srv := newCuratedServer(t, false)
	vars := map[string]any{"props": props("id", "mutual:test-coop", "name", "Test co-op", "ownership", "MEMBER")}
	if _, r := as(t, srv, "", createMutual, vars); code(r) != "UNAUTHENTICATED" {
		t.Errorf("anonymous: %+v", r.Errors)
	}
	if _, r := as(t, srv, readerKey, createMutual, vars); code(r) != "FORBIDDEN" {
		t.Errorf("reader: %+v", r.Errors)
	}
	if status, r := as(t, srv, "wrong-key", `{ sectors { totalCount } }`, nil); status != http.StatusUnauthorized || code(r) != "UNAUTHENTICATED" {
		t.Errorf("a bad key: %d %+v", status, r.Errors)
	}
	if _, r := as(t, srv, "", `{ sectors { totalCount } }`, nil); len(r.Errors) > 0 {
		t.Errorf("anonymous read with open reads: %+v", r.Errors)
	}
	closed := newCuratedServer(t, true)
	if status, _ := as(t, closed, "", `{ sectors { totalCount } }`, nil); status != http.StatusUnauthorized {
		t.Errorf("anonymous read with closed reads: %d", status)
	}
	if _, r := as(t, closed, readerKey, `{ sectors { totalCount } }`, nil); len(r.Errors) > 0 {
		t.Errorf("reader with closed reads: %+v", r.Errors)
	}
}

func TestCuratorEditsTheGraph(t *testing.T) {
	srv := newCuratedServer(t, false)
	run := func(query string, vars map[string]any) gqlResponse {
		t.Helper()
		_, r := as(t, srv, curatorKey, query, vars)
		return r
	}

	created := run(createMutual, map[string]any{"props": props("id", "mutual:test-coop", "name", "Test co-op",
		"ownership", "MEMBER", "founded", "2019", "sourceIds", "source:psm-paper")})
	if len(created.Errors) > 0 || !strings.Contains(string(created.Data), `"founded":2019`) {
		t.Fatalf("create: %s %+v", created.Data, created.Errors)
	}
	for name, p := range map[string][]map[string]string{
		"a duplicate id":         props("id", "mutual:test-coop", "name", "Again", "ownership", "MEMBER"),
		"a bad enum":             props("id", "mutual:other", "name", "Other", "ownership", "SHAREHOLDERS"),
		"a missing name":         props("id", "mutual:other", "ownership", "MEMBER"),
		"an id of another type":  props("id", "kind:other", "name", "Other", "ownership", "MEMBER"),
		"a source that is none":  props("id", "mutual:other", "name", "Other", "ownership", "MEMBER", "sourceIds", "source:nowhere"),
		"an unknown property":    props("id", "mutual:other", "name", "Other", "ownership", "MEMBER", "colour", "red"),
		"a property given twice": props("id", "mutual:other", "name", "Other", "name", "Again", "ownership", "MEMBER"),
	} {
		if r := run(createMutual, map[string]any{"props": p}); code(r) != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	if r := run(createMutual, map[string]any{"props": props("id", "mutual:other", "name", "Other", "ownership", "SHAREHOLDERS")}); len(r.Errors) == 0 ||
		!strings.Contains(r.Errors[0].Message, "EMPLOYEE, MEMBER") {
		t.Errorf("a bad enum's message does not list the allowed values: %+v", r.Errors)
	}

	updated := run(`mutation { updateEntity(id: "mutual:test-coop", properties: [{name: "founded", value: ""}, {name: "legalForm", value: "co-operative"}], reason: "a test") {
	  ... on Mutual { founded legalForm name } } }`, nil)
	if len(updated.Errors) > 0 || !strings.Contains(string(updated.Data), `"founded":null,"legalForm":"co-operative","name":"Test co-op"`) {
		t.Errorf("update: %s %+v", updated.Data, updated.Errors)
	}

	linked := run(`mutation { link(type: IS_A, from: "mutual:test-coop", to: "kind:spin-up-community", properties: [{name: "sourceIds", value: "source:psm-paper"}], reason: "a test") {
	  type from { id } to { id } sources { id } } }`, nil)
	if len(linked.Errors) > 0 || !strings.Contains(string(linked.Data), `"to":{"id":"kind:spin-up-community"}`) {
		t.Errorf("link: %s %+v", linked.Data, linked.Errors)
	}
	if r := run(`mutation { link(type: IS_A, from: "mutual:test-coop", to: "sector:health-care", properties: [{name: "sourceIds", value: "source:psm-paper"}], reason: "a test") { type } }`, nil); code(r) != "BAD_USER_INPUT" {
		t.Errorf("a link to an endpoint of the wrong type: %+v", r.Errors)
	}
	read := run(`{ node(id: "kind:spin-up-community") { ... on MutualKind { mutuals(where: {id: {eq: "mutual:test-coop"}}) { totalCount } } } }`, nil)
	if !strings.Contains(string(read.Data), `"totalCount":1`) {
		t.Errorf("the link is not visible from the kind: %s", read.Data)
	}
	if r := run(`mutation { unlink(type: IS_A, from: "mutual:test-coop", to: "kind:spin-up-community", reason: "a test") }`, nil); string(r.Data) != `{"unlink":true}` {
		t.Errorf("unlink: %s %+v", r.Data, r.Errors)
	}

	if r := run(`mutation { deleteEntity(id: "source:psm-paper", reason: "a test") }`, nil); code(r) != "BAD_USER_INPUT" {
		t.Errorf("deleting a cited source: %+v", r.Errors)
	}
	if r := run(`mutation { deleteEntity(id: "mutual:test-coop", reason: "a test") }`, nil); len(r.Errors) > 0 {
		t.Errorf("delete: %+v", r.Errors)
	}
	if r := run(`{ node(id: "mutual:test-coop") { id } }`, nil); string(r.Data) != `{"node":null}` {
		t.Errorf("after delete: %s", r.Data)
	}
	if r := run(`mutation { deleteEntity(id: "mutual:test-coop", reason: "a test") }`, nil); code(r) != "NOT_FOUND" {
		t.Errorf("deleting twice: %+v", r.Errors)
	}
}

// importCSV uploads the CSV files of a folder as a GraphQL multipart request.
func importCSV(t *testing.T, srv *httptest.Server, key, dir string, dryRun bool) gqlResponse {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".csv") {
			names = append(names, e.Name())
		}
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	operations, _ := json.Marshal(map[string]any{
		"query":     `mutation($files: [Upload!]!, $dry: Boolean) { importCsv(files: $files, dryRun: $dry, reason: "a test import") { ok dryRun problems nodes { created updated unchanged } relationships { created } } }`,
		"variables": map[string]any{"files": make([]any, len(names)), "dry": dryRun},
	})
	files := map[string][]string{}
	for i := range names {
		files[strconv.Itoa(i)] = []string{"variables.files." + strconv.Itoa(i)}
	}
	mapping, _ := json.Marshal(files)
	_ = w.WriteField("operations", string(operations))
	_ = w.WriteField("map", string(mapping))
	for i, name := range names {
		part, _ := w.CreateFormFile(strconv.Itoa(i), name)
		data, _ := os.ReadFile(filepath.Join(dir, name))
		_, _ = part.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportCSV(t *testing.T) {
	srv := newCuratedServer(t, false)
	valid := filepath.Join("..", "seed", "testdata", "valid")

	if r := importCSV(t, srv, readerKey, valid, false); code(r) != "FORBIDDEN" {
		t.Errorf("a reader's import: %+v", r.Errors)
	}
	dry := importCSV(t, srv, curatorKey, valid, true)
	if len(dry.Errors) > 0 || !strings.Contains(string(dry.Data), `"ok":true,"dryRun":true`) {
		t.Fatalf("dry run: %s %+v", dry.Data, dry.Errors)
	}
	first := importCSV(t, srv, curatorKey, valid, false)
	if len(first.Errors) > 0 || !strings.Contains(string(first.Data), `"ok":true`) || strings.Contains(string(first.Data), `"nodes":{"created":0,"updated":0`) {
		t.Errorf("import: %s %+v", first.Data, first.Errors)
	}
	again := importCSV(t, srv, curatorKey, valid, false)
	if !strings.Contains(string(again.Data), `"nodes":{"created":0,"updated":0,`) || !strings.Contains(string(again.Data), `"relationships":{"created":0}`) {
		t.Errorf("second import changed something: %s", again.Data)
	}
	broken := importCSV(t, srv, curatorKey, filepath.Join("..", "seed", "testdata", "invalid", "wrong-types"), false)
	if !strings.Contains(string(broken.Data), `"ok":false`) || !strings.Contains(string(broken.Data), `sources.csv:2:12: year: \"twenty\" is not an integer`) {
		t.Errorf("a broken set: %s %+v", broken.Data, broken.Errors)
	}
}
