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
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

var b64 = base64.RawURLEncoding.EncodeToString

// signWith signs claims as a JWS with an RSA or EC key, the way an identity
// provider does.
func signWith(t *testing.T, key crypto.Signer, alg, kid string, claims map[string]any) string {
	t.Helper()
	header := map[string]string{"alg": alg, "typ": "JWT"}
	if kid != "" {
		header["kid"] = kid
	}
	h, _ := json.Marshal(header)
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
		size := (k.Curve.Params().BitSize + 7) / 8
		sig = append(r.FillBytes(make([]byte, size)), s.FillBytes(make([]byte, size))...)
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
		size := (len(point) - 1) / 2
		return map[string]string{"kty": "EC", "kid": kid, "crv": k.Curve.Params().Name, "x": b64(point[1 : 1+size]), "y": b64(point[1+size:])}
	}
	return nil
}

// provider serves an identity provider's key set from memory, as the transport
// of the client that fetches it. With hold set, each fetch says so on
// fetching and lasts until the test sends on release (two seconds at most),
// like a slow provider.
type provider struct {
	mu       sync.Mutex
	keys     []map[string]string
	fetches  int
	hold     bool
	held     atomic.Bool
	fetching chan struct{}
	release  chan struct{}
}

func newProvider(keys ...map[string]string) *provider {
	return &provider{keys: keys, fetching: make(chan struct{}, 1), release: make(chan struct{}, 1)}
}

func (p *provider) RoundTrip(*http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.fetches++
	answer := httptest.NewRecorder()
	_ = json.NewEncoder(answer).Encode(map[string]any{"keys": p.keys})
	hold := p.hold
	p.mu.Unlock()
	if hold {
		p.held.Store(true)
		p.fetching <- struct{}{}
		select {
		case <-p.release:
		case <-time.After(2 * time.Second):
		}
		p.held.Store(false)
	}
	return answer.Result(), nil
}

func (p *provider) serve(keys ...map[string]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = keys
}

func (p *provider) fetched() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fetches
}

func newWithProvider(t *testing.T, c Config, idp *provider) *Authenticator {
	t.Helper()
	c.JWKSURL, c.Client = "https://idp.example/jwks", &http.Client{Transport: idp}
	a, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

func TestTokensVerifiedByAKeySet(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rotated, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	stranger, _ := rsa.GenerateKey(rand.Reader, 2048)

	// In the bubble the clock is fake: the refetch gap and the hourly
	// refresh pass at once.
	synctest.Test(t, func(t *testing.T) {
		idp := newProvider(publicJWK("rsa-1", rsaKey), publicJWK("ec-1", ecKey))
		a := newWithProvider(t, Config{Issuer: "https://idp.example", Audience: "psmgraph", JWTSecret: "shared"}, idp)
		good := map[string]any{"sub": "ana", "roles": []string{"curator"}, "iss": "https://idp.example", "aud": "psmgraph", "exp": time.Now().Add(time.Hour).Unix()}
		with := func(k string, v any) map[string]any {
			c := maps.Clone(good)
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
			{"expired", signWith(t, rsaKey, "RS256", "rsa-1", with("exp", time.Now().Add(-time.Minute).Unix())), false},
			{"signed by another key", signWith(t, stranger, "RS256", "rsa-1", good), false},
			{"unknown kid", signWith(t, stranger, "RS256", "nobody", good), false},
			{"RSA key named as ES256", signWith(t, rsaKey, "ES256", "rsa-1", good), false},
			// The public key's text must never pass as an HMAC secret.
			{"HS256 with the wrong secret", sign(t, "not-shared", "HS256", good), false},
			{"HS256 with the secret", sign(t, "shared", "HS256", good), true},
		} {
			// No t.Run: subtests cannot run in the bubble.
			p, err := a.Authenticate(context.Background(), tc.token)
			if (err == nil) != tc.valid {
				t.Errorf("%s: err %v, want valid %v", tc.name, err, tc.valid)
				continue
			}
			if tc.valid && (p.Subject != "ana" || !p.Has(RoleCurator)) {
				t.Errorf("%s: principal %+v", tc.name, p)
			}
		}

		// A key rotated in is found by fetching again, but no more than once a
		// minute however many unknown kids arrive.
		before := idp.fetched()
		idp.serve(publicJWK("rsa-1", rsaKey), publicJWK("ec-1", ecKey), publicJWK("ec-2", rotated))
		if _, err := a.Authenticate(context.Background(), signWith(t, rotated, "ES256", "ec-2", good)); err == nil {
			t.Error("a key fetched less than a minute ago was refetched at once")
		}
		time.Sleep(2 * time.Minute)
		good["exp"] = time.Now().Add(time.Hour).Unix()
		if _, err := a.Authenticate(context.Background(), signWith(t, rotated, "ES256", "ec-2", good)); err != nil {
			t.Errorf("the rotated key: %v", err)
		}
		if got := idp.fetched() - before; got != 1 {
			t.Errorf("%d fetches after the rotation, want 1", got)
		}

		// The set is fetched again within the hour, so a key withdrawn from it
		// stops verifying though no token names an unknown key.
		idp.serve(publicJWK("ec-1", ecKey), publicJWK("ec-2", rotated))
		before = idp.fetched()
		time.Sleep(maxAge)
		if got := idp.fetched() - before; got != 1 {
			t.Errorf("%d fetches in an hour, want 1", got)
		}
		good["exp"] = time.Now().Add(time.Hour).Unix()
		if _, err := a.Authenticate(context.Background(), signWith(t, rsaKey, "RS256", "rsa-1", good)); err == nil {
			t.Error("a withdrawn key still verifies")
		}
	})
}

// Only keys for signatures, of a kind and size psmgraph verifies with, are
// kept; the rest of the set still serves.
func TestKeySetKeepsOnlySigningKeys(t *testing.T) {
	short, _ := rsa.GenerateKey(rand.Reader, 1024)
	encryption, _ := rsa.GenerateKey(rand.Reader, 2048)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	enc := publicJWK("enc", encryption)
	enc["use"] = "enc"
	delete(enc, "alg") // so that only its use refuses it
	a := newWithProvider(t, Config{}, newProvider(publicJWK("short", short), enc, publicJWK("p384", p384), publicJWK("ec-1", ecKey)))
	claims := map[string]any{"roles": []string{"reader"}, "exp": time.Now().Add(time.Hour).Unix()}
	for name, token := range map[string]string{
		"RSA shorter than 2048 bits": signWith(t, short, "RS256", "short", claims),
		"a key for encryption":       signWith(t, encryption, "RS256", "enc", claims),
		"ES256 on P-384":             signWith(t, p384, "ES256", "p384", claims),
	} {
		if _, err := a.Authenticate(context.Background(), token); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := a.Authenticate(context.Background(), signWith(t, ecKey, "ES256", "ec-1", claims)); err != nil {
		t.Errorf("ES256 on P-256: %v", err)
	}
	// A 64-byte ES256 signature cannot come from a P-384 key in practice, so
	// the token above proves little: look at the keys kept.
	set, err := a.jwks()
	if err != nil {
		t.Fatal(err)
	}
	kept, err := set.Storage().KeyReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 1 || kept[0].Marshal().KID != "ec-1" {
		t.Errorf("kept %d keys, want only ec-1", len(kept))
	}
}

// A token without a kid is checked only against a set of one key.
func TestTokenWithoutKid(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	token := signWith(t, ecKey, "ES256", "", map[string]any{"roles": []string{"reader"}, "exp": time.Now().Add(time.Hour).Unix()})
	one := newWithProvider(t, Config{}, newProvider(publicJWK("ec-1", ecKey)))
	if _, err := one.Authenticate(context.Background(), token); err != nil {
		t.Errorf("a set of one key: %v", err)
	}
	two := newWithProvider(t, Config{}, newProvider(publicJWK("ec-1", ecKey), publicJWK("ec-2", other)))
	if _, err := two.Authenticate(context.Background(), token); err == nil {
		t.Error("a set of two keys: accepted")
	}
}

// A slow identity provider delays only the tokens that wait for its keys:
// while a fetch is under way, API keys, HS256 tokens and tokens whose keys
// are cached are checked at once.
func TestSlowKeySetDelaysNoOtherCredential(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rotated, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	idp := newProvider(publicJWK("ec-1", ecKey))
	idp.hold = true
	a := newWithProvider(t, Config{APIKeys: []string{"ci:curator:" + HashKey("curator-key")}, JWTSecret: "shared"}, idp)
	claims := map[string]any{"roles": []string{"curator"}, "exp": time.Now().Add(time.Hour).Unix()}
	others := map[string]string{"API key": "curator-key", "HS256 token": sign(t, "shared", "HS256", claims)}

	verify := func(credential string) <-chan error {
		done := make(chan error, 1)
		go func() {
			_, err := a.Authenticate(context.Background(), credential)
			done <- err
		}()
		return done
	}
	// whileHeld checks each credential with the fetch still held: had one
	// waited for the fetch, it would end only once the fetch had.
	whileHeld := func(credentials map[string]string) {
		t.Helper()
		select {
		case <-idp.fetching:
		case <-time.After(10 * time.Second):
			t.Fatal("no fetch of the key set")
		}
		for name, credential := range credentials {
			if err := <-verify(credential); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if !idp.held.Load() {
				t.Errorf("%s was checked only after the key set's fetch", name)
			}
		}
		idp.release <- struct{}{}
	}

	// The first fetch: no key is cached yet.
	first := verify(signWith(t, ecKey, "ES256", "ec-1", claims))
	whileHeld(others)
	if err := <-first; err != nil {
		t.Errorf("the token that waited for the first fetch: %v", err)
	}

	// A refetch for a key rotated in.
	idp.serve(publicJWK("ec-1", ecKey), publicJWK("ec-2", rotated))
	second := verify(signWith(t, rotated, "ES256", "ec-2", claims))
	others["token of a cached key"] = signWith(t, ecKey, "ES256", "ec-1", claims)
	whileHeld(others)
	if err := <-second; err != nil {
		t.Errorf("the token that waited for the refetch: %v", err)
	}
}

// With the key set's server down, tokens are refused, not waved through.
func TestKeySetUnreachable(t *testing.T) {
	idp := httptest.NewServer(http.NotFoundHandler())
	idp.Close()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	a, _ := New(Config{JWKSURL: idp.URL})
	defer a.Close()
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
