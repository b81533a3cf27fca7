package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
)

// Abusive requests are refused cheaply, each with a code, and the server
// keeps answering ordinary requests meanwhile.
func TestAbusiveRequestsAreRefusedCheaply(t *testing.T) {
	srv := newCuratedServer(t, false)
	nest := func(n int) string {
		return "{ jurisdictions { edges { node { " + strings.Repeat("parts { edges { node { ", n) + "id" +
			strings.Repeat(" } } }", n) + " } } } }"
	}
	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := range 10_000 {
		fmt.Fprintf(&aliases, "a%d: mutualKinds { totalCount } ", i)
	}
	aliases.WriteString("}")
	abusive := []struct {
		name   string
		body   []byte
		status int    // the HTTP status wanted, 0 for any 2xx-4xx
		code   string // the error code wanted
	}{
		{"depth 100", gqlBody(nest(33)), 0, "COMPLEXITY_LIMIT"},
		{"10,000 aliases", gqlBody(aliases.String()), 0, "GRAPHQL_PARSE_FAILED"},
		{"first: 1000000000", gqlBody(`{ mutualKinds(first: 1000000000) { edges { node { mutuals(first: 1000000000) { totalCount } } } } }`), 0, "COMPLEXITY_LIMIT"},
		{"an aggregate per item", gqlBody(`{ mutualKinds(first: 100) { edges { node { mutuals { aggregate { groups(by: [OWNERSHIP, STATUS]) { count } } } } } } }`), 0, "COMPLEXITY_LIMIT"},
		{"a 10 MB body", append(gqlBody(`{ __typename }`), bytes.Repeat([]byte(" "), 10<<20)...), http.StatusRequestEntityTooLarge, "BAD_USER_INPUT"},
		{"malformed JSON", []byte(`{"query": "{ __typename }"`), http.StatusBadRequest, "BAD_USER_INPUT"},
		{"not JSON at all", []byte("\x00\xff<html>"), http.StatusBadRequest, "BAD_USER_INPUT"},
	}

	// Ordinary requests run beside the barrage and must keep answering.
	var (
		stop     atomic.Bool
		wg       sync.WaitGroup
		mu       sync.Mutex
		ordinary []time.Duration
		failures []string
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			o := ask(http.DefaultClient, srv.URL, `{ mutualKinds { totalCount } }`)
			mu.Lock()
			ordinary = append(ordinary, o.took)
			if o.status != http.StatusOK || o.code != "" {
				failures = append(failures, fmt.Sprintf("%d %s", o.status, o.code))
			}
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()

	slowest := map[string]time.Duration{}
	for started := time.Now(); time.Since(started) < 3*time.Second; {
		for _, a := range abusive {
			o := exchange(http.DefaultClient, srv.URL, a.body)
			slowest[a.name] = max(slowest[a.name], o.took)
			if o.status >= 500 || (a.status != 0 && o.status != a.status) || o.code != a.code {
				t.Fatalf("%s: status %d code %q; want status %d code %q", a.name, o.status, o.code, a.status, a.code)
			}
		}
	}
	stop.Store(true)
	for _, a := range abusive {
		t.Logf("%s: refused in at most %v", a.name, slowest[a.name].Round(time.Millisecond))
		if slowest[a.name] > 2*time.Second {
			t.Errorf("%s took %v to refuse: not cheap", a.name, slowest[a.name])
		}
	}
	wg.Wait()
	sort.Slice(ordinary, func(i, j int) bool { return ordinary[i] < ordinary[j] })
	if len(ordinary) == 0 || len(failures) > 0 {
		t.Fatalf("ordinary requests during the barrage: %d answered, failures %v", len(ordinary), failures)
	}
	worst := ordinary[len(ordinary)-1]
	t.Logf("%d ordinary requests during the barrage: median %v, slowest %v", len(ordinary), ordinary[len(ordinary)/2], worst)
	if worst > 5*time.Second {
		t.Errorf("an ordinary request took %v during the barrage", worst)
	}
}

// injections are strings an attacker tries in place of ids, names, search
// text and filter values: Cypher, Lucene, JSON and HTML metacharacters.
var injections = []string{
	`' OR 1=1 //`,
	`"}) MATCH (n) DETACH DELETE n //`,
	"kind:spin-out' OR '1'='1",
	`x") RETURN 1 UNION MATCH (n) RETURN n //`,
	`$id`,
	`*:*`,
	`name:* OR description:*`,
	`\`,
	"\x00",
	`</script><script>alert(1)</script>`,
	strings.Repeat("A", 10_000),
	// Words that occur, wrapped in syntax: the search must still find them,
	// and only them.
	`"public" +service) AND mutual*:`,
}

// Every string argument of every query and mutation, given each injection,
// is taken literally: no internal error, nothing matched that should not
// be, and the graph unchanged afterwards.
func TestInjectionInEveryStringArgument(t *testing.T) {
	srv := newCuratedServer(t, false)
	store := storeOf(t)
	before := fingerprint(t, store)
	schema := resolvers.New(store).Schema()

	sent := 0
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation} {
		for _, field := range root.Fields {
			if strings.HasPrefix(field.Name, "__") {
				continue
			}
			for _, payload := range injections {
				query, vars, ok := operationFor(schema, root, field, payload)
				if !ok {
					continue
				}
				sent++
				status, out := as(t, srv, curatorKey, query, vars)
				if status >= 500 {
					t.Errorf("%s with %.30q: status %d", field.Name, payload, status)
				}
				for _, e := range out.Errors {
					if e.Extensions["code"] == "INTERNAL" || e.Extensions["code"] == nil {
						t.Errorf("%s with %.30q: %s %v", field.Name, payload, e.Message, e.Extensions)
					}
				}
			}
		}
	}
	t.Logf("%d requests, every string argument of %d queries and %d mutations", sent, len(schema.Query.Fields), len(schema.Mutation.Fields))
	if after := fingerprint(t, store); after != before {
		t.Error("the graph changed under injection attempts")
	}

	// Literal matching, where a match would be visible.
	hits := 0
	for _, payload := range injections {
		vars := map[string]any{"p": payload}
		// A hit must hold every word of the text, so that no word acts as an
		// operator that widens the query; only the English analyzer's stop
		// words (and, or, not, the) may be missing: it drops them, as words.
		_, out := as(t, srv, "", `query($p: String!) { search(text: $p) { node { name nameFr description descriptionFr } } }`, vars)
		var found struct {
			Search []struct{ Node map[string]*string }
		}
		_ = json.Unmarshal(out.Data, &found)
		hits += len(found.Search)
		for _, hit := range found.Search {
			var text strings.Builder
			for _, v := range hit.Node {
				if v != nil {
					text.WriteString(strings.ToLower(*v) + " ")
				}
			}
			for _, w := range wordsOf(payload) {
				if !strings.Contains(text.String(), w) && !englishStopWords[w] {
					t.Errorf("search %.30q found %q, which lacks the word %q", payload, *hit.Node["name"], w)
				}
			}
		}
		for query, empty := range map[string]string{
			`query($p: String) { mutualKinds(where: {name: {eq: $p}}) { totalCount } }`:           `{"mutualKinds":{"totalCount":0}}`,
			`query($p: String) { mutualKinds(where: {name: {contains: $p}}) { totalCount } }`:     `{"mutualKinds":{"totalCount":0}}`,
			`query($p: String) { levers(where: {description: {startsWith: $p}}) { totalCount } }`: `{"levers":{"totalCount":0}}`,
			`query($p: ID!) { node(id: $p) { id } }`:                                              `{"node":null}`,
			`query($p: ID!) { nodes(ids: [$p]) { id } }`:                                          `{"nodes":[null]}`,
		} {
			_, out := as(t, srv, "", query, vars)
			if string(out.Data) != empty && len(out.Errors) == 0 {
				t.Errorf("%s with %.30q matched something: %s", query, payload, out.Data)
			}
		}
	}
	if hits == 0 {
		t.Error("no search found anything: the words that occur were lost with the syntax around them")
	}

	// An aggregate names properties by enum values, which the schema
	// checks before anything reaches the store.
	for _, payload := range injections {
		for _, query := range []string{
			`query($p: NumberProperty!) { mutuals { aggregate { number(of: $p) { sum } } } }`,
			`query($p: GroupProperty!) { programmes { aggregate { groups(by: [$p]) { count } } } }`,
		} {
			_, out := as(t, srv, "", query, map[string]any{"p": payload})
			if len(out.Errors) == 0 || out.Errors[0].Extensions["code"] == "INTERNAL" {
				t.Errorf("%s with %.30q: %s %v", query, payload, out.Data, out.Errors)
			}
		}
	}
}

// wordsOf is the words of a text, lower-cased, as a reader sees them.
// englishStopWords are the words the english analyzer of Neo4j's
// full-text indexes leaves out (Lucene's English stop set).
var englishStopWords = func() map[string]bool {
	words := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be but by for if in into is it no not of on or such
	  that the their then there these they this to was will with`) {
		words[w] = true
	}
	return words
}()

func wordsOf(text string) []string {
	return regexp.MustCompile(`[\p{L}\p{N}]+`).FindAllString(strings.ToLower(text), -1)
}

// operationFor writes an operation that calls the field with payload in
// every string argument (and every string field of its input arguments) and
// plausible values elsewhere; ok is false when the field takes no string.
func operationFor(schema *ast.Schema, root *ast.Definition, field *ast.FieldDefinition, payload string) (string, map[string]any, bool) {
	vars := map[string]any{}
	var params, args []string
	injected := false
	for _, arg := range field.Arguments {
		v, hasString, ok := valueFor(schema, arg.Type, payload, 0)
		if !ok {
			if arg.Type.NonNull {
				return "", nil, false // an upload: the multipart test covers it
			}
			continue
		}
		injected = injected || hasString
		vars[arg.Name] = v
		params = append(params, "$"+arg.Name+": "+arg.Type.String())
		args = append(args, arg.Name+": $"+arg.Name)
	}
	if !injected {
		return "", nil, false
	}
	op := "query"
	if root == schema.Mutation {
		op = "mutation"
	}
	selection := ""
	if def := schema.Types[field.Type.Name()]; def != nil && (def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union) {
		selection = " { __typename }"
	}
	return fmt.Sprintf("%s(%s) { %s(%s)%s }", op, strings.Join(params, ", "), field.Name, strings.Join(args, ", "), selection), vars, true
}

// valueFor is a value of the type, strings being the payload.
func valueFor(schema *ast.Schema, t *ast.Type, payload string, depth int) (value any, hasString, ok bool) {
	if t.Elem != nil {
		v, s, ok := valueFor(schema, t.Elem, payload, depth)
		return []any{v}, s, ok
	}
	switch t.NamedType {
	case "String", "ID":
		return payload, true, true
	case "Int":
		return 1, false, true
	case "Float":
		return 1.5, false, true
	case "Boolean":
		return false, false, true
	case "Date":
		return "2020-01-01", false, true
	case "Upload":
		return nil, false, false
	}
	def := schema.Types[t.NamedType]
	switch {
	case def == nil:
		return nil, false, false
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name, false, true
	case def.Kind == ast.InputObject && depth < 2:
		obj := map[string]any{}
		for _, f := range def.Fields {
			if f.Type.Elem != nil && f.Type.Elem.NamedType == def.Name {
				continue // AND, OR, NOT: the same input again
			}
			v, s, ok := valueFor(schema, f.Type, payload, depth+1)
			if ok {
				obj[f.Name] = v
				hasString = hasString || s
			} else if f.Type.NonNull {
				return nil, false, false
			}
		}
		return obj, hasString, true
	}
	return nil, false, false
}

// fingerprint is a hash of the whole graph, as its export writes it.
func fingerprint(t *testing.T, store *graph.Store) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := seed.Export(context.Background(), store, dir); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintln(h, d.Name())
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// storeOf opens a second store on the test Neo4j, to look at the graph a
// server writes.
func storeOf(t *testing.T) *graph.Store {
	t.Helper()
	store, err := graph.Open(neo4jtest.Settings(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	return store
}
