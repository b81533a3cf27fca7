package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

const (
	// maxAge is how often the key set is fetched again; refetchGap, how
	// often at most when a token names a key the set lacks (keys rotate).
	maxAge     = time.Hour
	refetchGap = time.Minute
	// fetchTimeout bounds a fetch, and how long a token naming an unknown
	// key may wait for the next refetch the gap allows.
	fetchTimeout = 5 * time.Second
	// maxJWKSBytes bounds the answer read from the key set's URL.
	maxJWKSBytes = 1 << 20
)

// keySet returns a function that gives the keys url serves. Its first call
// fetches them: keys are fetched when first needed, so tokens that come
// before the first fetch ends wait for it, having no key to be checked with
// yet. Later fetches, hourly in the background and for unknown key IDs,
// hold no lock: tokens whose keys are cached do not wait for them.
func keySet(ctx context.Context, url string, client *http.Client) func() (keyfunc.Keyfunc, error) {
	return sync.OnceValues(func() (keyfunc.Keyfunc, error) {
		next := client.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		capped := *client
		capped.Transport = limitBody{next}
		store, err := jwkset.NewStorageFromHTTP(url, jwkset.HTTPClientStorageOptions{
			Client:      &capped,
			Ctx:         ctx,
			HTTPTimeout: fetchTimeout,
			// A set that cannot be fetched now is fetched again when a
			// token names a key (the refetch gap applies).
			NoErrorReturnFirstHTTPReq: true,
			RefreshInterval:           maxAge,
			Storage:                   signingKeys{jwkset.NewMemoryStorage()},
		})
		if err != nil {
			return nil, err
		}
		set, err := jwkset.NewHTTPClient(jwkset.HTTPClientOptions{
			HTTPURLs:          map[string]jwkset.Storage{url: store},
			RateLimitWaitMax:  fetchTimeout,
			RefreshUnknownKID: rate.NewLimiter(rate.Every(refetchGap), 1),
		})
		if err != nil {
			return nil, err
		}
		return keyfunc.New(keyfunc.Options{Storage: set})
	})
}

// publishedKey returns the key of the set that signed t, by its kid. The
// key's alg, when the set gives one, must be the token's.
func publishedKey(ctx context.Context, keys func() (keyfunc.Keyfunc, error), t *jwt.Token) (any, error) {
	k, err := keys()
	if err != nil {
		return nil, err
	}
	key, err := k.KeyfuncCtx(ctx)(t)
	// Without a kid, keyfunc offers every key; only a set of one says which
	// key signed.
	if all, ok := key.(jwt.VerificationKeySet); ok && len(all.Keys) != 1 {
		return nil, ErrInvalid
	}
	return key, err
}

// signingKeys keeps, of each set fetched, the keys psmgraph verifies with:
// those for signatures, RSA of 2048 bits or more and EC on P-256 (so that
// ES256 is checked on its own curve only).
type signingKeys struct{ *jwkset.MemoryJWKSet }

func (s signingKeys) KeyReplaceAll(ctx context.Context, keys []jwkset.JWK) error {
	return s.MemoryJWKSet.KeyReplaceAll(ctx, slices.DeleteFunc(keys, func(k jwkset.JWK) bool {
		if use := k.Marshal().USE; use != "" && use != jwkset.UseSig {
			return true
		}
		switch key := k.Key().(type) {
		case *rsa.PublicKey:
			return key.N.BitLen() < 2048
		case *ecdsa.PublicKey:
			return key.Curve != elliptic.P256()
		}
		return true
	}))
}

// limitBody caps the answers of the key set's URL, which are read whole.
type limitBody struct{ next http.RoundTripper }

func (l limitBody) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err == nil {
		resp.Body = http.MaxBytesReader(nil, resp.Body, maxJWKSBytes)
	}
	return resp, err
}
