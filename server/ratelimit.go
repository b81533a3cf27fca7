package server

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
)

// CodeRateLimited is the code of a request refused for coming too fast.
const CodeRateLimited = "RATE_LIMITED"

// ClientLimits bound what one client may ask of the service. A client is
// its API key or token subject, else its address. A zero field turns its
// limit off.
type ClientLimits struct {
	// Rate is the requests per second a client may sustain, and Burst how
	// many it may send at once.
	Rate  float64
	Burst int
	// Cost is the operation cost (as MaxComplexity counts it) a client may
	// spend per second; it may spend one operation of the most cost at once.
	Cost float64
	// Concurrency bounds the Neo4j transactions a client runs at once.
	Concurrency int
	// TrustForwardedFor reads an anonymous client's address from the last
	// entry of X-Forwarded-For, the one the load balancer in front appended.
	TrustForwardedFor bool
}

// Failed authentications are limited per address, before any credential is
// checked, so that guessing keys costs the guesser and not the service.
const (
	authFailureRate  = 1 // per second, sustained
	authFailureBurst = 20
)

// clients holds each client's buckets. Clients idle for a while are
// dropped, so that memory follows the clients seen lately.
type clients struct {
	limits ClientLimits
	now    func() time.Time

	mu    sync.Mutex
	known map[string]*client
	swept time.Time
}

type client struct {
	requests, cost, authFailures *rate.Limiter
	// slots holds a token per Neo4j transaction the client runs.
	slots chan struct{}
	seen  time.Time
	// streams counts the client's open subscriptions.
	streams atomic.Int32
}

// MaxStreams bounds each client's open subscriptions: each holds a
// connection and reads the change log at every poll.
const MaxStreams = 4

// idleAfter is how long a client's state outlives its last request; by
// then its buckets have refilled, so dropping them changes nothing. A
// client with transactions running keeps its slots.
const idleAfter = 5 * time.Minute

func newClients(l ClientLimits) *clients {
	return &clients{limits: l, now: time.Now, known: map[string]*client{}}
}

// get returns the client of key, made on first sight.
func (cs *clients) get(key string) *client {
	now := cs.now()
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if now.Sub(cs.swept) > idleAfter {
		for k, c := range cs.known {
			if now.Sub(c.seen) > idleAfter && len(c.slots) == 0 && c.streams.Load() == 0 {
				delete(cs.known, k)
			}
		}
		cs.swept = now
	}
	c := cs.known[key]
	if c == nil {
		l := cs.limits
		c = &client{authFailures: rate.NewLimiter(authFailureRate, authFailureBurst)}
		if l.Rate > 0 {
			c.requests = rate.NewLimiter(rate.Limit(l.Rate), max(l.Burst, 1))
		}
		if l.Cost > 0 {
			c.cost = rate.NewLimiter(rate.Limit(l.Cost), MaxComplexity)
		}
		if l.Concurrency > 0 {
			c.slots = make(chan struct{}, l.Concurrency)
		}
		cs.known[key] = c
	}
	c.seen = now
	return c
}

// take takes n tokens from a bucket, or says how long until they are there.
func (cs *clients) take(l *rate.Limiter, n int) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	now := cs.now()
	res := l.ReserveN(now, n)
	if !res.OK() {
		return time.Second, false
	}
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return max(wait, time.Second), false
	}
	return 0, true
}

type clientKey struct{}

// limitClients refuses a client's requests beyond its rate with 429 and
// Retry-After, and passes its state on for the cost budget and the store's
// slots.
func (cs *clients) limitClients(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r) // preflights are the browser's, not the client's
			return
		}
		c := cs.get(cs.keyOf(r))
		if wait, ok := cs.take(c.requests, 1); !ok {
			tooMany(w, r, wait, "too many requests: slow down and retry after the time in Retry-After")
			return
		}
		if isStream(r) {
			if c.streams.Add(1) > MaxStreams {
				c.streams.Add(-1)
				tooMany(w, r, time.Second, fmt.Sprintf("too many open subscriptions: a client may hold %d", MaxStreams))
				return
			}
			defer c.streams.Add(-1)
		}
		ctx := context.WithValue(r.Context(), clientKey{}, c)
		if c.slots != nil {
			ctx = graph.WithSlots(ctx, c.slots)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// limitAuthFailures refuses an address that has failed to authenticate too
// often, before its credential is checked; authenticate counts the failures.
func (cs *clients) limitAuthFailures(next http.Handler) http.Handler {
	if cs.limits.Rate <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			c := cs.get(cs.addressOf(r))
			if c.authFailures.TokensAt(cs.now()) < 1 {
				tooMany(w, r, time.Second/authFailureRate, "too many failed authentications from this address: retry after the time in Retry-After")
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), authFailuresKey{}, c))
		}
		next.ServeHTTP(w, r)
	})
}

type authFailuresKey struct{}

// authFailed counts a failed authentication against the request's address.
func authFailed(ctx context.Context) {
	if c, ok := ctx.Value(authFailuresKey{}).(*client); ok {
		c.authFailures.Allow()
	}
}

func tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration, message string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	fail(w, r, http.StatusTooManyRequests, CodeRateLimited, message)
}

// spend takes an operation's cost from its client's budget.
func spend(ctx context.Context, cost int) *gqlerror.Error {
	c, ok := ctx.Value(clientKey{}).(*client)
	if !ok || c.cost == nil {
		return nil
	}
	now := time.Now()
	res := c.cost.ReserveN(now, cost)
	wait := res.DelayFrom(now)
	if res.OK() && wait == 0 {
		return nil
	}
	res.CancelAt(now)
	wait = min(wait, time.Duration(float64(cost)/float64(c.cost.Limit())*float64(time.Second)))
	err := gqlerror.Errorf("this client has spent its budget of operation cost for now: retry in %d s, or ask for less", int(math.Ceil(wait.Seconds())))
	err.Extensions = map[string]any{"code": CodeRateLimited, "retryAfter": int(math.Ceil(wait.Seconds()))}
	return err
}

func (cs *clients) keyOf(r *http.Request) string {
	if p, ok := auth.From(r.Context()); ok {
		return "principal:" + p.Subject
	}
	return cs.addressOf(r)
}

func (cs *clients) addressOf(r *http.Request) string {
	if cs.limits.TrustForwardedFor {
		if hops := r.Header.Values("X-Forwarded-For"); len(hops) > 0 {
			last := hops[len(hops)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if addr := strings.TrimSpace(last); addr != "" {
				return "addr:" + addr
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}
