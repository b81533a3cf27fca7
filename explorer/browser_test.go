package explorer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/internal/neo4jtest"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/seed"
	"github.com/psmgraph/psmgraph/server"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

// TestBrowser drives the explorer and the playground in Chromium with
// Playwright (e2e/explorer.mjs) against the real API over the shipped data
// set, and the explorer against two copies of its pages on other origins:
// one the API allows, one it does not.
func TestBrowser(t *testing.T) {
	browser := chromium(t)
	node := nodeJS(t)
	checkE2E(t)

	store := neo4jtest.Store(t)
	set, err := seed.Read(seed.Shipped())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), store, set, seed.Options{}); err != nil {
		t.Fatal(err)
	}

	// The copies' origins must be known before the API, which allows one.
	allowed := httptest.NewUnstartedServer(nil)
	refused := httptest.NewUnstartedServer(nil)
	t.Cleanup(allowed.Close)
	t.Cleanup(refused.Close)
	allowedOrigin := "http://" + allowed.Listener.Addr().String()
	// psmgraph sends the explorer's pages with its own strict content
	// security policy; the script fails on any breach of it.
	api := httptest.NewServer(server.New(server.Options{
		Logger:             slog.New(slog.DiscardHandler),
		Schema:             compile.New(resolvers.New(store), store, compile.Options{}),
		Ready:              store.Ping,
		CORSAllowedOrigins: []string{allowedOrigin},
		MaxBodyBytes:       1 << 20,
		RequestTimeout:     15 * time.Second,
		Playground:         true,
		Introspection:      true,
	}))
	t.Cleanup(api.Close)
	for _, pages := range []*httptest.Server{allowed, refused} {
		pages.Config.Handler = pagesCopy(t, api.URL)
		pages.Start()
	}

	artifacts := os.Getenv("PSMGRAPH_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join("e2e", "artifacts")
	}
	artifacts, err = filepath.Abs(artifacts)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "explorer.mjs")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(),
		"PSMGRAPH_URL="+api.URL,
		"PSMGRAPH_ALLOWED_ORIGIN="+allowedOrigin,
		"PSMGRAPH_REFUSED_ORIGIN="+refused.URL,
		"PSMGRAPH_ARTIFACTS="+artifacts,
		"CHROMIUM="+browser,
	)
	cmd.WaitDelay = 10 * time.Second // for browser processes left holding the output
	out, err := cmd.CombinedOutput()
	for line := range strings.Lines(string(out)) {
		t.Log(strings.TrimRight(line, "\n"))
	}
	if err != nil {
		t.Fatalf("the browser tests failed: %v", err)
	}
}

// TestGraphQLOverHTTP runs graphql-http's audit of the GraphQL-over-HTTP
// specification (e2e/http-audit.mjs) against /graphql as psmgraph serves it:
// every MUST, SHOULD and MAY it checks passes.
func TestGraphQLOverHTTP(t *testing.T) {
	node := nodeJS(t)
	checkE2E(t)
	store := neo4jtest.Store(t)
	api := httptest.NewServer(server.New(server.Options{
		Logger:         slog.New(slog.DiscardHandler),
		Schema:         compile.New(resolvers.New(store), store, compile.Options{}),
		Ready:          store.Ping,
		MaxBodyBytes:   1 << 20,
		RequestTimeout: 15 * time.Second,
		// The audit asks for a type by name.
		Introspection: true,
	}))
	t.Cleanup(api.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "http-audit.mjs", api.URL+"/graphql")
	cmd.Dir = "e2e"
	out, err := cmd.CombinedOutput()
	for line := range strings.Lines(string(out)) {
		t.Log(strings.TrimRight(line, "\n"))
	}
	if err != nil {
		t.Fatalf("the audit failed: %v", err)
	}
}

// copyPolicy is the Content-Security-Policy of a copy of the pages on
// another origin: psmgraph's own for the explorer, but for requests to the
// API's origin.
func copyPolicy(api string) string {
	return "default-src 'self'; connect-src 'self' " + api + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// pagesCopy serves a copy of the explorer's pages under /explorer/, as a
// front-end team would host them on its own origin: the psmgraph-api meta tag
// names the API at apiURL.
func pagesCopy(t *testing.T, apiURL string) http.Handler {
	t.Helper()
	index, err := os.ReadFile(filepath.Join("web", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	const meta = `<meta name="psmgraph-api" content="/graphql">`
	if !bytes.Contains(index, []byte(meta)) {
		t.Fatalf("web/index.html lacks %s", meta)
	}
	index = bytes.Replace(index, []byte(meta), []byte(`<meta name="psmgraph-api" content="`+apiURL+`/graphql">`), 1)
	files := http.StripPrefix("/explorer/", http.FileServerFS(os.DirFS("web")))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", copyPolicy(apiURL))
		if r.URL.Path == "/explorer/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(index)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// chromium returns the browser to drive: $CHROMIUM, else Debian's
// /usr/bin/chromium, which make e2e-deps (a prerequisite of make test)
// installs where it is missing.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the browser tests need Chromium at %s (or CHROMIUM set to one): make e2e-deps installs it: %v", path, err)
	}
	return path
}

// nodeJS returns the path of Node.js, which must be recent enough for
// Playwright.
func nodeJS(t *testing.T) string {
	t.Helper()
	const major = 20
	path := lookPath(t, "node")
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	var v int
	if _, err := fmt.Sscanf(string(out), "v%d.", &v); err != nil || v < major {
		t.Fatalf("the browser tests need Node.js %d or later; %s is %s", major, path, strings.TrimSpace(string(out)))
	}
	return path
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("the browser tests need %s: %v", name, err)
	}
	return path
}

// checkE2E checks that e2e/'s dependencies are installed from its lock
// file as it is: make e2e-deps installs them and stamps the lock file's
// hash.
func checkE2E(t *testing.T) {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join("e2e", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(lock)
	stamp, err := os.ReadFile(filepath.Join("e2e", "node_modules", ".package-lock.sha256"))
	if err != nil || string(stamp) != hex.EncodeToString(sum[:]) {
		t.Fatal("explorer/e2e's npm packages are missing or were installed from another lock file: run make e2e-deps")
	}
}
