package resolvers_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

// asCurator sends a request as a caller with the curator role.
func asCurator(bd *client.Request) {
	bd.HTTP = bd.HTTP.WithContext(auth.WithPrincipal(bd.HTTP.Context(), auth.Principal{Subject: "test", Roles: []auth.Role{auth.RoleCurator}}))
}

// mutate runs a mutation as a curator and returns the error's message and
// code, "" for none.
func mutate(t *testing.T, a *api, q string, vars map[string]any) (message, code string) {
	t.Helper()
	opts := []client.Option{asCurator}
	for name, v := range vars {
		opts = append(opts, client.Var(name, v))
	}
	resp, err := a.client.RawPost(q, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var errs []struct {
		Message    string
		Extensions struct{ Code string }
	}
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatal(err)
		}
	}
	if len(errs) == 0 {
		return "", ""
	}
	return errs[0].Message, errs[0].Extensions.Code
}

func props(kv ...string) []map[string]any {
	var out []map[string]any
	for i := 0; i < len(kv); i += 2 {
		out = append(out, map[string]any{"name": kv[i], "value": kv[i+1]})
	}
	return out
}

const createMutual = `mutation($props: [PropertyInput!]!) { createEntity(type: MUTUAL, properties: $props, reason: "a test") { id } }`

// The entity mutations hold values to the data set's limits, and refuse
// control characters, with the column named and BAD_USER_INPUT; nothing is
// written.
func TestMutationsApplyTheLimits(t *testing.T) {
	a := newAPI(t)
	longID := "mutual:" + strings.Repeat("a", 9000)
	for name, tc := range map[string]struct {
		query string
		vars  map[string]any
		want  string
	}{
		"an id too long for the index": {createMutual, map[string]any{"props": props("id", longID, "name", "Long", "ownership", "MEMBER")},
			"id: 9007 bytes, longer than 256 bytes, the limit of an id"},
		"a NUL in a name": {createMutual, map[string]any{"props": props("id", "mutual:nul", "name", "Nul\x00", "ownership", "MEMBER")},
			"name: control character U+0000 at byte 4"},
		"an escape sequence in a note": {createMutual, map[string]any{"props": props("id", "mutual:esc", "name", "Esc", "ownership", "MEMBER", "note", "\x1b[2J")},
			"note: control character U+001B at byte 1"},
		"a name too long": {createMutual, map[string]any{"props": props("id", "mutual:long", "name", strings.Repeat("n", seed.MaxNameBytes+1), "ownership", "MEMBER")},
			"name: 1025 bytes, longer than 1 KiB, the limit of a name"},
		"a list too long": {createMutual, map[string]any{"props": props("id", "mutual:list", "name", "List", "ownership", "MEMBER",
			"sourceIds", strings.Repeat("source:psm-paper;", 200_000)+"source:psm-paper")},
			"properties of 3400037 bytes together, longer than 256 KiB, the limit of a row"},
		"a list of too many items": {createMutual, map[string]any{"props": props("id", "mutual:list", "name", "List", "ownership", "MEMBER",
			"sourceIds", strings.Repeat("source:psm-paper;", 150)+"source:psm-paper")},
			"sourceIds: 151 items, more than 100, the limit of a list"},
		"an update with a terminal escape": {`mutation { updateEntity(id: "kind:spin-out", properties: [{name: "name", value: "Spin-out\u009b31m"}], reason: "a test") { id } }`, nil,
			"name: control character U+009B at byte 9"},
		"a link with a tab": {`mutation { link(type: FACES, from: "kind:spin-out", to: "challenge:accountability", properties: [{name: "rationale", value: "a\tb"}, {name: "sourceIds", value: "source:psm-paper"}], reason: "a test") { type } }`, nil,
			"rationale: control character U+0009 at byte 2"},
	} {
		t.Run(name, func(t *testing.T) {
			msg, code := mutate(t, a, tc.query, tc.vars)
			if code != "BAD_USER_INPUT" || !strings.Contains(msg, tc.want) {
				t.Errorf("%s %s; want BAD_USER_INPUT %q", code, msg, tc.want)
			}
		})
	}
	var node struct{ Node *struct{ ID string } }
	a.query(t, `{ node(id: "mutual:nul") { id } }`, &node)
	if node.Node != nil {
		t.Error("the refused mutual was written")
	}
	var kind struct{ Node struct{ Name string } }
	a.query(t, `{ node(id: "kind:spin-out") { ... on Entity { name } } }`, &kind)
	if strings.ContainsRune(kind.Node.Name, 0x9b) {
		t.Errorf("the refused update was written: %q", kind.Node.Name)
	}
}

// A list that names one source many times is kept with each source once.
func TestCreateEntityKeepsARepeatedSourceOnce(t *testing.T) {
	a := newAPI(t)
	const id = "mutual:repeats-its-source"
	t.Cleanup(func() { mutate(t, a, `mutation { deleteEntity(id: "`+id+`", reason: "a test") }`, nil) })
	if msg, code := mutate(t, a, createMutual, map[string]any{"props": props("id", id, "name", "Repeats", "ownership", "MEMBER",
		"sourceIds", strings.Repeat("source:psm-paper;", 99)+"source:psm-paper")}); code != "" {
		t.Fatalf("%s %s", code, msg)
	}
	var node struct {
		Node struct{ Sources []struct{ ID string } }
	}
	a.query(t, `{ node(id: "`+id+`") { ... on Mutual { sources { id } } } }`, &node)
	if len(node.Node.Sources) != 1 {
		t.Errorf("sources %v, want source:psm-paper once", node.Node.Sources)
	}
}

// importCSV uploads files of the working directory as a curator and
// returns the report, or the error's message and code.
func importCSV(t *testing.T, a *api, names ...string) (ok bool, problems []string, message, code string) {
	t.Helper()
	uploads := make([]*os.File, len(names))
	for i, name := range names {
		f, err := os.Open(name) // an upload is named by its path as opened
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		uploads[i] = f
	}
	opts := []client.Option{asCurator, client.Var("files", uploads)}
	if len(names) > 0 {
		opts = append(opts, client.WithFiles())
	}
	resp, err := a.client.RawPost(`mutation($files: [Upload!]!) { importCsv(files: $files, reason: "a test import") { ok problems } }`, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Errors) > 0 {
		var errs []struct {
			Message    string
			Extensions struct{ Code string }
		}
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatal(err)
		}
		return false, nil, errs[0].Message, errs[0].Extensions.Code
	}
	var report struct {
		Ok       bool
		Problems []string
	}
	data, _ := json.Marshal(resp.Data.(map[string]any)["importCsv"])
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	return report.Ok, report.Problems, "", ""
}

// writeFiles writes files by name in a new working directory.
func writeFiles(t *testing.T, files map[string]string) {
	t.Helper()
	t.Chdir(t.TempDir())
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// importCsv reports a value Neo4j would refuse as a problem of the file,
// before it writes anything.
func TestImportCSVAppliesTheLimits(t *testing.T) {
	a := newAPI(t)
	writeFiles(t, map[string]string{
		"sources.csv":  "id,name\nsource:import-test,Fine\nsource:" + strings.Repeat("a", 9000) + ",Long\nsource:import-esc,\x1b[31mRed\n",
		"mutuals.csv":  "id,name,ownership\nmutual:import-test,Fine,MEMBER\n",
		"outcomes.csv": "id,name\noutcome:import-test,\"two\nlines\"\n",
	})
	ok, problems, msg, code := importCSV(t, a, "sources.csv", "mutuals.csv", "outcomes.csv")
	want := []string{
		"outcomes.csv:2:21: name: control character U+000A at byte 4: a value holds no control characters, tabs and line breaks included",
		"sources.csv:3:1: id: 9007 bytes, longer than 256 bytes, the limit of an id",
		"sources.csv:4:19: name: control character U+001B at byte 1: a value holds no control characters, tabs and line breaks included",
	}
	if ok || code != "" || strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("ok %v, %s %s, problems:\n%s\nwant:\n%s", ok, code, msg, strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	var node struct{ Node *struct{ ID string } }
	a.query(t, `{ node(id: "mutual:import-test") { id } }`, &node)
	if node.Node != nil {
		t.Error("the refused import wrote mutual:import-test")
	}
}

// An import of no file of the data set is no success, and a file uploaded
// twice is refused.
func TestImportCSVWantsTheDataSet(t *testing.T) {
	a := newAPI(t)
	writeFiles(t, map[string]string{"sources.csv": "id,name\nsource:import-test,Fine\n", "OUTCOMES.CSV": "id,name\n"})
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{nil, "no CSV file of the data set: expected names such as sources.csv and mutuals.csv (see docs/csv.md)"},
		{[]string{"OUTCOMES.CSV"}, "OUTCOMES.CSV: not a file of the data set: names are in lower case: did you mean outcomes.csv?"},
	} {
		if ok, problems, msg, code := importCSV(t, a, tc.files...); ok || !slices.Contains(problems, tc.want) {
			t.Errorf("%v: ok %v, %s %s, problems %q; want %q", tc.files, ok, code, msg, problems, tc.want)
		}
	}
	if _, _, msg, code := importCSV(t, a, "sources.csv", "sources.csv"); code != "BAD_USER_INPUT" || msg != `"sources.csv" is uploaded twice` {
		t.Errorf("a file uploaded twice: %s %s", code, msg)
	}
}

// An import that Neo4j stops part-way says what it wrote, with the code of
// its error, and importing the same files again completes it once the cause
// is gone. Here an entity under another label takes the id of the outcome
// imported, in a graph that has no outcome yet.
func TestImportCSVStoppedPartWaySaysWhatItWrote(t *testing.T) {
	ctx := context.Background()
	store := neo4jtest.Store(t)
	t.Cleanup(func() { shared = nil }) // the tests after load the shipped set again
	a := &api{client: client.New(server.GraphQL(resolvers.New(store), slog.New(slog.DiscardHandler), true))}
	if _, err := store.CreateNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, graph.LabelSource, map[string]any{"id": "outcome:in-the-way", "name": "In the way"}, nil); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, map[string]string{
		"sources.csv":  "id,name\nsource:partial,Partial\n",
		"outcomes.csv": "id,name\noutcome:in-the-way,Outcome\n",
	})
	_, _, msg, code := importCSV(t, a, "sources.csv", "outcomes.csv")
	want := "the change conflicts with an existing entity; the import stopped part-way, having written " +
		"nodes (1 created, 0 updated) and relationships (0 created, 0 updated): importing the same files again completes it"
	if code != "BAD_USER_INPUT" || msg != want {
		t.Errorf("%s %s\nwant BAD_USER_INPUT %s", code, msg, want)
	}
	if err := store.DeleteNode(ctx, graph.Edit{Actor: "test", Reason: "a test"}, "outcome:in-the-way"); err != nil {
		t.Fatal(err)
	}
	if ok, problems, msg, code := importCSV(t, a, "sources.csv", "outcomes.csv"); !ok || code != "" {
		t.Errorf("the second import: ok %v, %s %s, %v", ok, code, msg, problems)
	}
	if n, _ := store.CountNodes(ctx); n != 2 {
		t.Errorf("%d nodes after the second import, want 2", n)
	}
}
