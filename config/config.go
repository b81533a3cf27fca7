// Package config reads psmgraph's settings, once, from command-line flags, the
// environment and a .env file, in that order of precedence.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/psmgraph/psmgraph/graph"
)

// Config holds every setting of the binary.
type Config struct {
	// Port is the HTTP port the API listens on.
	Port int
	// Neo4j is the database to use; an empty URI means the embedded one.
	Neo4j graph.Settings
	// DataDir holds the embedded Neo4j's store.
	DataDir  string
	Embedded Embedded

	// SeedWhenEmpty loads the shipped data set when serve finds the graph empty.
	SeedWhenEmpty bool

	// APIKeys are "name:role:sha256-hex" entries; JWTSecret verifies HS256
	// tokens and JWKSURL serves the public keys of RS256 and ES256 ones.
	// ReadsRequireAuth closes reads to anonymous callers.
	APIKeys          []string
	JWTSecret        string
	JWKSURL          string
	JWTIssuer        string
	JWTAudience      string
	ReadsRequireAuth bool

	// Playground serves GraphiQL at /; Introspection answers schema queries.
	Playground    bool
	Introspection bool
	Metrics       bool

	CORSAllowedOrigins []string
	MaxBodyBytes       int64
	RequestTimeout     time.Duration
	ShutdownDelay      time.Duration
	// RevisionPoll is how often the replica reads the graph's revision;
	// AnswerCacheMB bounds the answers kept in memory; CacheControl is the
	// Cache-Control of GET answers.
	RevisionPoll    time.Duration
	AnswerCacheMB   int
	CacheControl    string
	ShutdownTimeout time.Duration
	// RateLimit is each client's sustained requests per second, 0 for none;
	// RateBurst how many it may send at once.
	RateLimit float64
	RateBurst int
	// CostLimit is the operation cost each client may spend per second, 0
	// for no limit; ClientConcurrency the Neo4j transactions it may run at
	// once, 0 for no limit beyond the pool.
	CostLimit         float64
	ClientConcurrency int
	// TrustForwardedFor takes the client's address from X-Forwarded-For, as
	// the load balancer in front wrote it.
	TrustForwardedFor bool
	SlowQuery         time.Duration

	LogLevel  slog.Level
	LogFormat string

	// raw keeps each setting's value as given, by environment name, for LogValue.
	raw map[string]string
}

// Embedded sizes and places the embedded Neo4j.
type Embedded struct {
	Port      int
	Heap      string
	PageCache string
	Launcher  string
}

// UsesEmbedded reports whether psmgraph must start its own Neo4j.
func (c *Config) UsesEmbedded() bool { return c.Neo4j.URI == "" }

// setting is one configuration variable: its environment name, its default,
// what it means, and how it lands in Config. The flag's name derives from the
// environment name, so the two cannot drift apart.
type setting struct {
	env    string
	def    string
	usage  string
	secret bool
	set    func(c *Config, v string) error
}

// Settings lists every variable, in the order the docs show them.
var settings = []setting{
	{"PORT", "8080", "HTTP port of the API", false, portTo(func(c *Config, n int) { c.Port = n })},
	{"NEO4J_URI", "", "Neo4j to use (bolt://, neo4j://, neo4j+s://); empty starts the embedded Neo4j", false,
		func(c *Config, v string) error { c.Neo4j.URI = v; return nil }},
	{"NEO4J_USERNAME", "neo4j", "Neo4j user", false, func(c *Config, v string) error { c.Neo4j.Username = v; return nil }},
	{"NEO4J_PASSWORD", "", "Neo4j password; for the embedded Neo4j, setting one turns authentication on", true,
		func(c *Config, v string) error { c.Neo4j.Password = v; return nil }},
	{"NEO4J_DATABASE", "", "Neo4j database; empty means the server's default", false,
		func(c *Config, v string) error { c.Neo4j.Database = v; return nil }},
	{"NEO4J_MAX_POOL_SIZE", "100", "most connections the driver opens to each Neo4j server", false,
		positiveTo(func(c *Config, n int) { c.Neo4j.MaxPoolSize = n })},
	{"NEO4J_ACQUISITION_TIMEOUT", "5s", "longest wait for a free connection before a request fails", false,
		durationTo(func(c *Config, d time.Duration) { c.Neo4j.AcquireTimeout = d })},
	{"NEO4J_RETRY_TIME", "500ms", "how long a transaction that failed transiently is retried", false,
		durationTo(func(c *Config, d time.Duration) { c.Neo4j.RetryTime = d })},
	{"NEO4J_TX_TIMEOUT", "60s", "upper bound of every Neo4j transaction, loads included", false,
		durationTo(func(c *Config, d time.Duration) { c.Neo4j.TxTimeout = d })},
	{"PSMGRAPH_DATA_DIR", "./.data", "store directory of the embedded Neo4j", false,
		func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"PSMGRAPH_NEO4J_PORT", "7687", "Bolt port of the embedded Neo4j on 127.0.0.1; 0 picks a free one", false,
		portTo(func(c *Config, n int) { c.Embedded.Port = n })},
	{"PSMGRAPH_NEO4J_HEAP", "1g", "JVM heap of the embedded Neo4j", false,
		func(c *Config, v string) error { c.Embedded.Heap = v; return nil }},
	{"PSMGRAPH_NEO4J_PAGECACHE", "512m", "page cache of the embedded Neo4j", false,
		func(c *Config, v string) error { c.Embedded.PageCache = v; return nil }},
	{"PSMGRAPH_NEO4J_LAUNCHER", "./embedded/launcher", "Maven project of the embedded Neo4j launcher", false,
		func(c *Config, v string) error { c.Embedded.Launcher = v; return nil }},
	{"PSMGRAPH_SEED_WHEN_EMPTY", "true", "load the shipped data set when serve finds the graph empty", false,
		boolTo(func(c *Config, b bool) { c.SeedWhenEmpty = b })},
	{"PSMGRAPH_API_KEYS", "", "comma-separated API keys as name:role:sha256-hex of the key (role reader or curator); mutations need curator", true,
		func(c *Config, v string) error { c.APIKeys = splitList(v); return nil }},
	{"PSMGRAPH_JWT_SECRET", "", "secret that verifies HS256 JSON Web Tokens carrying roles (claim roles or role)", true,
		func(c *Config, v string) error { c.JWTSecret = v; return nil }},
	{"PSMGRAPH_JWKS_URL", "", "https URL of a JSON Web Key Set that verifies RS256 and ES256 tokens carrying roles", false,
		func(c *Config, v string) error { c.JWKSURL = v; return nil }},
	{"PSMGRAPH_JWT_ISSUER", "", "when set, a token's iss claim must equal it", false,
		func(c *Config, v string) error { c.JWTIssuer = v; return nil }},
	{"PSMGRAPH_JWT_AUDIENCE", "", "when set, a token's aud claim must hold it", false,
		func(c *Config, v string) error { c.JWTAudience = v; return nil }},
	{"PSMGRAPH_READS_REQUIRE_AUTH", "false", "refuse reads from callers without a key or token", false,
		boolTo(func(c *Config, b bool) { c.ReadsRequireAuth = b })},
	{"PSMGRAPH_PLAYGROUND", "false", "serve the GraphiQL playground at /", false,
		boolTo(func(c *Config, b bool) { c.Playground = b })},
	{"PSMGRAPH_INTROSPECTION", "false", "answer schema introspection queries (the playground needs them)", false,
		boolTo(func(c *Config, b bool) { c.Introspection = b })},
	{"PSMGRAPH_METRICS", "true", "serve Prometheus metrics at /metrics", false,
		boolTo(func(c *Config, b bool) { c.Metrics = b })},
	{"CORS_ALLOWED_ORIGINS", "", "comma-separated origins allowed to call the API from a browser; * allows any", false,
		func(c *Config, v string) error { c.CORSAllowedOrigins = splitList(v); return nil }},
	{"PSMGRAPH_MAX_BODY_BYTES", "1048576", "largest request body accepted, in bytes", false,
		func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return errors.New("want a positive number of bytes")
			}
			c.MaxBodyBytes = n
			return nil
		}},
	{"PSMGRAPH_REQUEST_TIMEOUT", "15s", "time limit of a request, passed on to Neo4j as the transaction timeout", false,
		durationTo(func(c *Config, d time.Duration) { c.RequestTimeout = d })},
	{"PSMGRAPH_RATE_LIMIT", "50", "requests per second each client may sustain (by key, token or address); 0 turns the limit off", false,
		func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				return errors.New("want a number of requests per second, 0 for no limit")
			}
			c.RateLimit = f
			return nil
		}},
	{"PSMGRAPH_RATE_BURST", "100", "requests a client may send at once above its rate", false,
		positiveTo(func(c *Config, n int) { c.RateBurst = n })},
	{"PSMGRAPH_COST_LIMIT", "200000", "operation cost each client may spend per second, as the complexity limit counts it (one operation of the most cost at once); 0 turns the limit off", false,
		func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				return errors.New("want a cost per second, 0 for no limit")
			}
			c.CostLimit = f
			return nil
		}},
	{"PSMGRAPH_CLIENT_CONCURRENCY", "8", "Neo4j transactions each client may run at once, so that no client holds the whole pool; 0 turns the limit off", false,
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errors.New("want a whole number, 0 for no limit")
			}
			c.ClientConcurrency = n
			return nil
		}},
	{"PSMGRAPH_TRUST_FORWARDED_FOR", "false", "take the client's address from the last X-Forwarded-For entry (behind a load balancer)", false,
		boolTo(func(c *Config, b bool) { c.TrustForwardedFor = b })},
	{"PSMGRAPH_REVISION_POLL", "250ms", "how often each replica reads the graph's latest revision: a change written through another replica reaches this one's answers within it", false,
		durationTo(func(c *Config, d time.Duration) { c.RevisionPoll = d })},
	{"PSMGRAPH_ANSWER_CACHE_MB", "64", "memory for the answers of repeated queries, each served again without Neo4j while the revision is the same; 0 turns the cache off", false,
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errors.New("want a whole number of MiB, 0 for no cache")
			}
			c.AnswerCacheMB = n
			return nil
		}},
	{"PSMGRAPH_CACHE_CONTROL", "no-cache", "Cache-Control of GET answers, which carry an ETag: no-cache has browsers and CDNs ask again each time, for a 304 while nothing changed", false,
		func(c *Config, v string) error { c.CacheControl = v; return nil }},
	{"PSMGRAPH_SLOW_QUERY", "1s", "log Neo4j transactions that take longer than this", false,
		durationTo(func(c *Config, d time.Duration) { c.SlowQuery = d })},
	{"PSMGRAPH_SHUTDOWN_DELAY", "0s", "at shutdown, how long /readyz answers 503 while requests are still served, so that a load balancer stops sending them", false,
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return errors.New("want a duration such as 5s, or 0s")
			}
			c.ShutdownDelay = d
			return nil
		}},
	{"PSMGRAPH_SHUTDOWN_TIMEOUT", "20s", "how long in-flight requests may take to finish at shutdown", false,
		durationTo(func(c *Config, d time.Duration) { c.ShutdownTimeout = d })},
	{"LOG_LEVEL", "info", "debug, info, warn or error", false,
		func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
	{"LOG_FORMAT", "text", "text or json", false, func(c *Config, v string) error {
		if v != "text" && v != "json" {
			return errors.New("want text or json")
		}
		c.LogFormat = v
		return nil
	}},
}

// FlagName is the command-line flag of an environment variable:
// PSMGRAPH_DATA_DIR becomes -data-dir and NEO4J_URI -neo4j-uri.
func FlagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(env, "PSMGRAPH_")), "_", "-")
}

// Load parses args with the flags of every setting. A flag wins over the
// environment, which wins over the file dotenv (".env"; a missing file is no
// error), which wins over the default.
func Load(fs *flag.FlagSet, args []string, dotenv string) (*Config, error) {
	file, err := godotenv.Read(dotenv)
	if err != nil && !isNotExist(err) {
		return nil, fmt.Errorf("read %s: %w", dotenv, err)
	}
	values := make([]*string, len(settings))
	for i, s := range settings {
		v, ok := os.LookupEnv(s.env)
		if !ok {
			v, ok = file[s.env]
		}
		if !ok {
			v = s.def
		}
		values[i] = fs.String(FlagName(s.env), v, s.usage+" ($"+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c := &Config{raw: make(map[string]string, len(settings))}
	for i, s := range settings {
		c.raw[s.env] = *values[i]
		if err := s.set(c, strings.TrimSpace(*values[i])); err != nil {
			return nil, fmt.Errorf("%s (-%s) = %q: %w", s.env, FlagName(s.env), *values[i], err)
		}
	}
	return c, nil
}

// LogValue lets a Config be logged at start-up, every setting by its
// environment name, with secrets masked.
func (c *Config) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, len(settings))
	for _, s := range settings {
		v := c.raw[s.env]
		if s.secret && v != "" {
			v = "********"
		}
		attrs = append(attrs, slog.String(s.env, v))
	}
	return slog.GroupValue(attrs...)
}

// Document writes a .env file that lists every variable with its meaning and
// default; .env.example is this output.
func Document(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# psmgraph configuration. Copy to .env and edit; the environment wins over\n")
	b.WriteString("# this file and command-line flags win over both. Each variable also has a\n")
	b.WriteString("# flag of the same name in lower case: PSMGRAPH_DATA_DIR is -data-dir.\n")
	for _, s := range settings {
		fmt.Fprintf(&b, "\n# %s\n%s=%s\n", s.usage, s.env, s.def)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func portTo(set func(*Config, int)) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 65535 {
			return errors.New("want a port number from 0 to 65535")
		}
		set(c, n)
		return nil
	}
}

func positiveTo(set func(*Config, int)) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return errors.New("want a positive whole number")
		}
		set(c, n)
		return nil
	}
}

func boolTo(set func(*Config, bool)) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		set(c, b)
		return nil
	}
}

func durationTo(set func(*Config, time.Duration)) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("want a positive duration such as 15s")
		}
		set(c, d)
		return nil
	}
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
