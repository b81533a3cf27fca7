package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

var b64 = base64.RawURLEncoding.EncodeToString

// signWith signs claims as a JWS with an RSA or P-256 key, the way an
// identity provider does.
func signWith(t *testing.T, key crypto.Signer, alg, kid string, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": alg, "kid": kid, "typ": "JWT"})
	c, _ := json.Marshal(claims)
	unsigned := b64(h) + "." + b64(c)
	digest := sha256.Sum256([]byte(unsigned))
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		s, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = s
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	}
	return unsigned + "." + b64(sig)
}

func publicJWK(kid string, key crypto.Signer) map[string]string {
	switch k := key.Public().(type) {
	case *rsa.PublicKey:
		return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PublicKey:
		ecdh, _ := k.ECDH()
		point := ecdh.Bytes() // 0x04 || X || Y
		return map[string]string{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64(point[1:33]), "y": b64(point[33:])}
	}
	return nil
}

func TestTokensVerifiedByAKeySet(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rotated, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	stranger, _ := rsa.GenerateKey(rand.Reader, 2048)

	var fetches atomic.Int32
	keys := []map[string]string{publicJWK("rsa-1", rsaKey), publicJWK("ec-1", ecKey)}
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	}))
	defer idp.Close()

	a, err := New(Config{JWKSURL: idp.URL, Issuer: "https://idp.example", Audience: "psmgraph", JWTSecret: "shared"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	a.now = func() time.Time { return now }
	good := map[string]any{"sub": "ana", "roles": []string{"curator"}, "iss": "https://idp.example", "aud": "psmgraph", "exp": now.Add(time.Hour).Unix()}
	with := func(k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range good {
			c[kk] = vv
		}
		c[k] = v
		return c
	}
	for _, tc := range []struct {
		name  string
		token string
		valid bool
	}{
		{"RS256", signWith(t, rsaKey, "RS256", "rsa-1", good), true},
		{"ES256", signWith(t, ecKey, "ES256", "ec-1", good), true},
		{"audience in a list", signWith(t, ecKey, "ES256", "ec-1", with("aud", []string{"other", "psmgraph"})), true},
		{"wrong audience", signWith(t, ecKey, "ES256", "ec-1", with("aud", "other")), false},
		{"wrong issuer", signWith(t, rsaKey, "RS256", "rsa-1", with("iss", "https://evil.example")), false},
		{"expired", signWith(t, rsaKey, "RS256", "rsa-1", with("exp", now.Add(-time.Minute).Unix())), false},
		{"signed by another key", signWith(t, stranger, "RS256", "rsa-1", good), false},
		{"unknown kid", signWith(t, stranger, "RS256", "nobody", good), false},
		{"RSA key named as ES256", signWith(t, rsaKey, "ES256", "rsa-1", good), false},
		// The public key's text must never pass as an HMAC secret.
		{"HS256 with the wrong secret", sign(t, "not-shared", "HS256", good), false},
		{"HS256 with the secret", sign(t, "shared", "HS256", good), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := a.Authenticate(context.Background(), tc.token)
			if (err == nil) != tc.valid {
				t.Fatalf("err %v, want valid %v", err, tc.valid)
			}
			if tc.valid && (p.Subject != "ana" || !p.Has(RoleCurator)) {
				t.Errorf("principal %+v", p)
			}
		})
	}

	// A key rotated in is found by fetching again, but no more than once a
	// minute however many unknown kids arrive.
	before := fetches.Load()
	keys = append(keys, publicJWK("ec-2", rotated))
	if _, err := a.Authenticate(context.Background(), signWith(t, rotated, "ES256", "ec-2", good)); err == nil {
		t.Error("a key fetched less than a minute ago was refetched at once")
	}
	now = now.Add(2 * time.Minute)
	good["exp"] = now.Add(time.Hour).Unix()
	if _, err := a.Authenticate(context.Background(), signWith(t, rotated, "ES256", "ec-2", good)); err != nil {
		t.Errorf("the rotated key: %v", err)
	}
	if got := fetches.Load() - before; got != 1 {
		t.Errorf("%d fetches after the rotation, want 1", got)
	}
}

// With the key set's server down, tokens are refused, not waved through.
func TestKeySetUnreachable(t *testing.T) {
	idp := httptest.NewServer(http.NotFoundHandler())
	idp.Close()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	a, _ := New(Config{JWKSURL: idp.URL})
	token := signWith(t, key, "ES256", "ec-1", map[string]any{"roles": []string{"reader"}, "exp": time.Now().Add(time.Hour).Unix()})
	if _, err := a.Authenticate(context.Background(), token); err == nil {
		t.Error("a token was accepted without its key set")
	}
}

func TestKeySetURLMustBeSecure(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://idp.example/.well-known/jwks.json": true,
		"http://127.0.0.1:8081/jwks":                true,
		"http://localhost/jwks":                     true,
		"http://idp.example/jwks":                   false,
		"ftp://idp.example/jwks":                    false,
		"idp.example/jwks":                          false,
	} {
		if _, err := New(Config{JWKSURL: url}); (err == nil) != ok {
			t.Errorf("%s: err %v, want accepted %v", url, err, ok)
		}
	}
}
