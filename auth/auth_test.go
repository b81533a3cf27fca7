package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

func sign(t *testing.T, secret, alg string, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	c, _ := json.Marshal(claims)
	unsigned := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func TestAuthenticate(t *testing.T) {
	a, err := New(Config{APIKeys: []string{"ci:curator:" + HashKey("curator-key"), "web:reader:" + HashKey("reader-key")}, JWTSecret: "jwt-secret"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	a.now = func() time.Time { return now }
	future, past := now.Add(time.Hour).Unix(), now.Add(-time.Hour).Unix()
	for _, tc := range []struct {
		name       string
		credential string
		curator    bool
		reader     bool
		valid      bool
	}{
		{"curator key", "curator-key", true, true, true},
		{"reader key", "reader-key", false, true, true},
		{"unknown key", "guess", false, false, false},
		{"empty", "", false, false, false},
		{"token with roles", sign(t, "jwt-secret", "HS256", map[string]any{"sub": "ana", "roles": []string{"curator"}, "exp": future}), true, true, true},
		{"token with one role", sign(t, "jwt-secret", "HS256", map[string]any{"role": "reader", "exp": future}), false, true, true},
		{"token without roles", sign(t, "jwt-secret", "HS256", map[string]any{"exp": future}), false, false, true},
		{"expired token", sign(t, "jwt-secret", "HS256", map[string]any{"roles": []string{"curator"}, "exp": past}), false, false, false},
		{"token without expiry", sign(t, "jwt-secret", "HS256", map[string]any{"roles": []string{"curator"}}), false, false, false},
		{"token not yet valid", sign(t, "jwt-secret", "HS256", map[string]any{"roles": []string{"curator"}, "exp": future, "nbf": future}), false, false, false},
		{"wrong secret", sign(t, "other", "HS256", map[string]any{"roles": []string{"curator"}, "exp": future}), false, false, false},
		{"alg none", sign(t, "jwt-secret", "none", map[string]any{"roles": []string{"curator"}, "exp": future}), false, false, false},
		// RFC 7519 NumericDates may have fractions of a second.
		{"token with fractional dates", sign(t, "jwt-secret", "HS256", map[string]any{"roles": []string{"curator"}, "exp": float64(future) + 0.5, "nbf": float64(past) + 0.25, "iat": float64(past) + 0.5}), true, true, true},
		{"expired token with a fractional exp", sign(t, "jwt-secret", "HS256", map[string]any{"roles": []string{"curator"}, "exp": float64(past) + 0.5}), false, false, false},
		{"token with a fractional nbf not yet reached", sign(t, "jwt-secret", "HS256", map[string]any{"roles": []string{"curator"}, "exp": float64(future) + 0.5, "nbf": float64(future) + 0.5}), false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := a.Authenticate(context.Background(), tc.credential)
			if (err == nil) != tc.valid {
				t.Fatalf("err %v, want valid %v", err, tc.valid)
			}
			if p.Has(RoleCurator) != tc.curator || p.Has(RoleReader) != tc.reader {
				t.Errorf("principal %+v: curator %v reader %v, want %v %v", p, p.Has(RoleCurator), p.Has(RoleReader), tc.curator, tc.reader)
			}
		})
	}
}

func TestBadKeyConfiguration(t *testing.T) {
	for _, k := range []string{"nohash", "a:admin:" + HashKey("x"), "a:reader:abc", "a:reader:" + HashKey("x")[:60] + "zzzz"} {
		if _, err := New(Config{APIKeys: []string{k}}); err == nil {
			t.Errorf("%q: no error", k)
		}
	}
}
