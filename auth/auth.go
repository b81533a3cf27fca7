// Package auth says who is calling the API and what they may do: API keys,
// kept as SHA-256 hashes in the configuration, and JSON Web Tokens, signed
// with a shared secret (HS256) or by an identity provider whose public keys
// a JWKS URL serves (RS256, ES256), each carrying roles.
package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// Role is what a caller may do.
type Role string

// The roles. A curator may also read.
const (
	RoleReader  Role = "reader"
	RoleCurator Role = "curator"
)

// Principal is an authenticated caller.
type Principal struct {
	// Subject names the caller: the key's name or the token's subject.
	Subject string
	Roles   []Role
}

// Has reports whether the principal holds the role; a curator reads too.
func (p Principal) Has(r Role) bool {
	return slices.Contains(p.Roles, r) || (r == RoleReader && slices.Contains(p.Roles, RoleCurator))
}

// ErrInvalid is the error for credentials that are not good: an unknown key,
// a bad signature, an expired token. It says no more, on purpose.
var ErrInvalid = errors.New("invalid credentials")

// Config lists what the authenticator accepts; the zero Config accepts
// nothing.
type Config struct {
	// APIKeys are "name:role:sha256-hex" entries, the hash of each key's
	// text (see HashKey).
	APIKeys []string
	// JWTSecret, when set, verifies HS256 tokens.
	JWTSecret string
	// JWKSURL, when set, serves the public keys that verify RS256 and ES256
	// tokens; Client fetches it (nil means a client with a 5s timeout).
	JWKSURL string
	Client  *http.Client
	// Issuer and Audience, when set, must match a token's iss and aud.
	Issuer   string
	Audience string
}

// Authenticator checks credentials against the configured keys.
type Authenticator struct {
	keys   []apiKey
	secret []byte
	// jwks returns the key set, fetching it on the first call; nil without
	// a JWKS URL.
	jwks   func() (keyfunc.Keyfunc, error)
	stop   context.CancelFunc
	parser *jwt.Parser
	now    func() time.Time
}

type apiKey struct {
	name string
	role Role
	hash []byte
}

// New makes an authenticator; a malformed API key entry is an error.
func New(c Config) (*Authenticator, error) {
	a := &Authenticator{secret: []byte(c.JWTSecret), stop: func() {}, now: time.Now}
	options := []jwt.ParserOption{
		// "none" is not among them; key, below, picks the key for each.
		jwt.WithValidMethods([]string{"HS256", "RS256", "ES256"}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(c.Issuer), // "" checks nothing
		jwt.WithTimeFunc(func() time.Time { return a.now() }),
	}
	if c.Audience != "" {
		options = append(options, jwt.WithAudience(c.Audience))
	}
	a.parser = jwt.NewParser(options...)
	if c.JWKSURL != "" {
		if err := checkJWKSURL(c.JWKSURL); err != nil {
			return nil, err
		}
		client := c.Client
		if client == nil {
			client = &http.Client{Timeout: fetchTimeout}
		}
		var ctx context.Context
		ctx, a.stop = context.WithCancel(context.Background())
		a.jwks = keySet(ctx, c.JWKSURL, client)
	}
	for _, k := range c.APIKeys {
		parts := strings.Split(k, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("API key %q: want name:role:sha256-hex", redact(k))
		}
		role := Role(parts[1])
		if role != RoleReader && role != RoleCurator {
			return nil, fmt.Errorf("API key %q: role %q is not reader or curator", parts[0], role)
		}
		hash, err := hex.DecodeString(parts[2])
		if err != nil || len(hash) != sha256.Size {
			return nil, fmt.Errorf("API key %q: the hash is not 64 hex digits of SHA-256", parts[0])
		}
		a.keys = append(a.keys, apiKey{name: parts[0], role: role, hash: hash})
	}
	return a, nil
}

// Close ends the key set's hourly refresh. A server's authenticator lives as
// long as the process and need not be closed.
func (a *Authenticator) Close() { a.stop() }

// checkJWKSURL wants https, since the keys decide who is a curator; plain
// http only to this machine.
func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("JWKS URL %q is not a URL", raw)
	}
	ip := net.ParseIP(u.Hostname())
	local := u.Hostname() == "localhost" || ip != nil && ip.IsLoopback()
	if u.Scheme == "https" || u.Scheme == "http" && local {
		return nil
	}
	return fmt.Errorf("JWKS URL %q: want https (plain http only to localhost)", raw)
}

// HashKey returns the hex SHA-256 of a key, as the configuration keeps it.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the principal a bearer credential stands for: a JWT
// when it has three dot-separated parts, else an API key.
func (a *Authenticator) Authenticate(ctx context.Context, credential string) (Principal, error) {
	if strings.Count(credential, ".") == 2 && (len(a.secret) > 0 || a.jwks != nil) {
		return a.token(ctx, credential)
	}
	sum := sha256.Sum256([]byte(credential))
	var found *apiKey
	// Compare with every key, in constant time, so that timing reveals
	// neither which key matched nor how much of one.
	for i := range a.keys {
		if subtle.ConstantTimeCompare(sum[:], a.keys[i].hash) == 1 {
			found = &a.keys[i]
		}
	}
	if found == nil {
		return Principal{}, ErrInvalid
	}
	return Principal{Subject: found.name, Roles: []Role{found.role}}, nil
}

// claims are the parts of a token psmgraph reads.
type claims struct {
	jwt.RegisteredClaims
	Roles []string `json:"roles"`
	Role  string   `json:"role"`
}

func (a *Authenticator) token(ctx context.Context, t string) (Principal, error) {
	var c claims
	if _, err := a.parser.ParseWithClaims(t, &c, a.key(ctx)); err != nil {
		return Principal{}, ErrInvalid
	}
	p := Principal{Subject: c.Subject}
	for _, r := range append(c.Roles, c.Role) {
		if role := Role(r); role == RoleReader || role == RoleCurator {
			p.Roles = append(p.Roles, role)
		}
	}
	return p, nil
}

// key lets the algorithm decide the key's kind: the secret for HS256 only,
// a published key for RS256 and ES256 only, so that a public key never
// serves as an HMAC secret. The library checks that the key suits the
// algorithm (RSA for RS256, ECDSA for ES256).
func (a *Authenticator) key(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		switch t.Method.Alg() {
		case "HS256":
			if len(a.secret) > 0 {
				return a.secret, nil
			}
		case "RS256", "ES256":
			if a.jwks != nil {
				return publishedKey(ctx, a.jwks, t)
			}
		}
		return nil, ErrInvalid
	}
}

// redact keeps a malformed key's first characters, for an error message that
// does not print a whole secret.
func redact(s string) string {
	if len(s) <= 4 {
		return "…"
	}
	return s[:4] + "…"
}

type principalKey struct{}

// WithPrincipal returns a context that carries the caller.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the caller the context carries, if any.
func From(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
