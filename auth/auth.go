// Package auth says who is calling the API and what they may do: API keys,
// kept as SHA-256 hashes in the configuration, and JSON Web Tokens signed
// with HS256, each carrying roles.
package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
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

// Authenticator checks credentials against the configured keys and secret.
type Authenticator struct {
	keys   []apiKey
	secret []byte
	now    func() time.Time
}

type apiKey struct {
	name string
	role Role
	hash []byte
}

// New makes an authenticator. Each key is "name:role:sha256-hex", the hash of
// the key's text (see HashKey); secret, when set, verifies HS256 tokens.
func New(keys []string, secret string) (*Authenticator, error) {
	a := &Authenticator{secret: []byte(secret), now: time.Now}
	for _, k := range keys {
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

// HashKey returns the hex SHA-256 of a key, as the configuration keeps it.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the principal a bearer credential stands for: a JWT
// when it has three dot-separated parts, else an API key.
func (a *Authenticator) Authenticate(credential string) (Principal, error) {
	if strings.Count(credential, ".") == 2 && len(a.secret) > 0 {
		return a.token(credential)
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
	Subject   string   `json:"sub"`
	Roles     []string `json:"roles"`
	Role      string   `json:"role"`
	ExpiresAt *int64   `json:"exp"`
	NotBefore *int64   `json:"nbf"`
}

func (a *Authenticator) token(t string) (Principal, error) {
	parts := strings.Split(t, ".")
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodePart(parts[0], &header); err != nil || header.Alg != "HS256" {
		return Principal{}, ErrInvalid // only HS256: never "none", never a key confusion
	}
	mac := hmac.New(sha256.New, a.secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return Principal{}, ErrInvalid
	}
	var c claims
	if err := decodePart(parts[1], &c); err != nil {
		return Principal{}, ErrInvalid
	}
	now := a.now().Unix()
	if c.ExpiresAt == nil || now >= *c.ExpiresAt || (c.NotBefore != nil && now < *c.NotBefore) {
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

func decodePart(part string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
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
