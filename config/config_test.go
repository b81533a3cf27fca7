package config

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, dotenv string) (*Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".env")
	if dotenv != "" {
		if err := os.WriteFile(path, []byte(dotenv), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, path)
}

// clearEnv unsets every setting for the test, so that the machine's own
// environment cannot leak in.
func clearEnv(t *testing.T) {
	for _, s := range settings {
		t.Setenv(s.env, "")
		_ = os.Unsetenv(s.env)
	}
}

func TestDefaults(t *testing.T) {
	clearEnv(t)
	c, err := load(t, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8080 || !c.UsesEmbedded() || c.DataDir != "./.data" || c.Neo4j.Username != "neo4j" ||
		c.RequestTimeout != 15*time.Second || len(c.CORSAllowedOrigins) != 0 || c.LogLevel != slog.LevelInfo {
		t.Errorf("defaults: %+v", c)
	}
}

func TestPrecedence(t *testing.T) {
	clearEnv(t)
	dotenv := "PORT=1111\nNEO4J_URI=bolt://from-file:7687\nPSMGRAPH_DATA_DIR=/from/file\nCORS_ALLOWED_ORIGINS=https://a.example, https://b.example\n"
	t.Setenv("PORT", "2222")
	t.Setenv("NEO4J_URI", "bolt://from-env:7687")
	c, err := load(t, []string{"-port", "3333"}, dotenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 3333 {
		t.Errorf("port %d: a flag must win over the environment and the file", c.Port)
	}
	if c.Neo4j.URI != "bolt://from-env:7687" {
		t.Errorf("uri %q: the environment must win over the file", c.Neo4j.URI)
	}
	if c.DataDir != "/from/file" {
		t.Errorf("data dir %q: the file must win over the default", c.DataDir)
	}
	if got := strings.Join(c.CORSAllowedOrigins, "|"); got != "https://a.example|https://b.example" {
		t.Errorf("origins %q", got)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct{ env, value string }{
		{"PORT", "eighty"},
		{"PORT", "70000"},
		{"PSMGRAPH_REQUEST_TIMEOUT", "soon"},
		{"PSMGRAPH_MAX_BODY_BYTES", "-1"},
		{"LOG_LEVEL", "loud"},
		{"LOG_FORMAT", "xml"},
	} {
		clearEnv(t)
		t.Setenv(tc.env, tc.value)
		_, err := load(t, nil, "")
		if err == nil || !strings.Contains(err.Error(), tc.env) {
			t.Errorf("%s=%s: error %v, want one naming %s", tc.env, tc.value, err, tc.env)
		}
	}
}

func TestSecretsAreMasked(t *testing.T) {
	clearEnv(t)
	t.Setenv("NEO4J_PASSWORD", "hunter2-secret")
	c, err := load(t, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "config", c)
	if strings.Contains(buf.String(), "hunter2") || !strings.Contains(buf.String(), "NEO4J_PASSWORD") {
		t.Errorf("logged config %s: want the password named and masked", buf.String())
	}
}

func TestFlagNames(t *testing.T) {
	for env, want := range map[string]string{"PSMGRAPH_DATA_DIR": "data-dir", "NEO4J_URI": "neo4j-uri", "PORT": "port"} {
		if got := FlagName(env); got != want {
			t.Errorf("FlagName(%s) = %s, want %s", env, got, want)
		}
	}
}

// .env.example documents every variable; it must match what Document writes.
// Run `go test ./config -update` after adding a setting.
func TestEnvExampleIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	if err := Document(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", ".env.example")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, buf.Bytes()) {
		t.Errorf(".env.example is out of date: run go test ./config -update")
	}
	for _, s := range settings {
		if !bytes.Contains(committed, []byte(s.env+"=")) {
			t.Errorf(".env.example lacks %s", s.env)
		}
	}
}

var update = flag.Bool("update", false, "rewrite .env.example")

func TestDocsDocumentEverySetting(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !bytes.Contains(doc, []byte("| `"+s.env+"` |")) {
			t.Errorf("docs/configuration.md's table lacks %s", s.env)
		}
	}
}
