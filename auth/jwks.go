package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// How often a key set is fetched: at most once per refetchGap when a token
// names a key it lacks (keys rotate), and at least once per maxAge.
const (
	refetchGap = time.Minute
	maxAge     = time.Hour
	// maxJWKSBytes bounds the answer read from the key set's URL.
	maxJWKSBytes = 1 << 20
)

// keySet is the public keys a JWKS URL serves, fetched when first needed and
// cached.
type keySet struct {
	url    string
	client *http.Client
	now    func() time.Time

	mu      sync.Mutex
	keys    map[string]jwk
	fetched time.Time
	tried   time.Time
}

// jwk is one key of a set: what it is for and the key itself.
type jwk struct {
	alg string
	key crypto.PublicKey
}

// key returns the key kid names, for the algorithm; kid may be empty when
// the set holds one key.
func (k *keySet) key(ctx context.Context, kid, alg string) (crypto.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	found, ok := k.lookup(kid)
	now := k.now()
	stale := now.Sub(k.fetched) > maxAge
	if (!ok || stale) && now.Sub(k.tried) >= refetchGap {
		k.tried = now
		keys, err := fetchKeys(ctx, k.client, k.url)
		if err == nil {
			k.keys, k.fetched = keys, now
			found, ok = k.lookup(kid)
		} else if !ok {
			return nil, err
		}
	}
	if !ok || (found.alg != "" && found.alg != alg) || !fits(alg, found.key) {
		return nil, ErrInvalid
	}
	return found.key, nil
}

func (k *keySet) lookup(kid string) (jwk, bool) {
	if kid == "" && len(k.keys) == 1 {
		for _, only := range k.keys {
			return only, true
		}
	}
	found, ok := k.keys[kid]
	return found, ok
}

func fetchKeys(ctx context.Context, client *http.Client, url string) (map[string]jwk, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch the JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch the JWKS: %s", resp.Status)
	}
	var set struct {
		Keys []struct {
			Kty string `json:"kty"`
			Kid string `json:"kid"`
			Use string `json:"use"`
			Alg string `json:"alg"`
			N   string `json:"n"`
			E   string `json:"e"`
			Crv string `json:"crv"`
			X   string `json:"x"`
			Y   string `json:"y"`
		} `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(&set); err != nil {
		return nil, fmt.Errorf("read the JWKS: %w", err)
	}
	keys := map[string]jwk{}
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		var key crypto.PublicKey
		var err error
		switch k.Kty {
		case "RSA":
			key, err = rsaKey(k.N, k.E)
		case "EC":
			key, err = ecKey(k.Crv, k.X, k.Y)
		default:
			continue // a kind of key psmgraph does not verify with
		}
		if err != nil {
			return nil, fmt.Errorf("JWKS key %q: %w", k.Kid, err)
		}
		keys[k.Kid] = jwk{alg: k.Alg, key: key}
	}
	return keys, nil
}

func rsaKey(n, e string) (*rsa.PublicKey, error) {
	nb, err1 := base64.RawURLEncoding.DecodeString(n)
	eb, err2 := base64.RawURLEncoding.DecodeString(e)
	if err := errors.Join(err1, err2); err != nil || len(eb) == 0 || len(eb) > 4 {
		return nil, errors.New("bad RSA modulus or exponent")
	}
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
	if key.N.BitLen() < 2048 {
		return nil, errors.New("RSA keys shorter than 2048 bits are refused")
	}
	return key, nil
}

func ecKey(crv, x, y string) (*ecdsa.PublicKey, error) {
	if crv != "P-256" {
		return nil, fmt.Errorf("curve %q: only P-256 (ES256) is supported", crv)
	}
	xb, err1 := base64.RawURLEncoding.DecodeString(x)
	yb, err2 := base64.RawURLEncoding.DecodeString(y)
	if err := errors.Join(err1, err2); err != nil || len(xb) != 32 || len(yb) != 32 {
		return nil, errors.New("bad P-256 coordinates")
	}
	// The uncompressed point encoding: 0x04 || X || Y, checked on the curve.
	point := append(append([]byte{4}, xb...), yb...)
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
}

// fits reports whether the key is of the kind the algorithm uses.
func fits(alg string, key crypto.PublicKey) bool {
	switch key.(type) {
	case *rsa.PublicKey:
		return alg == "RS256"
	case *ecdsa.PublicKey:
		return alg == "ES256"
	}
	return false
}

// verify checks a signature over signed with the public key.
func verify(alg string, key crypto.PublicKey, signed, sig []byte) bool {
	digest := sha256.Sum256(signed)
	switch alg {
	case "RS256":
		return rsa.VerifyPKCS1v15(key.(*rsa.PublicKey), crypto.SHA256, digest[:], sig) == nil
	case "ES256":
		// JWS signs ES256 as R || S, 32 bytes each, not in ASN.1.
		if len(sig) != 64 {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(key.(*ecdsa.PublicKey), digest[:], r, s)
	}
	return false
}
