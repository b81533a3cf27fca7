package server

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/psmgraph/psmgraph/auth"
)

// CodeRateLimited is the code of a request refused for coming too fast.
const CodeRateLimited = "RATE_LIMITED"

// clientLimits holds a token bucket per client. Buckets idle for a while are
// dropped, so that memory follows the clients seen lately.
type clientLimits struct {
	rate  rate.Limit
	burst int
	// trustForwardedFor reads the client's address from the last entry of
	// X-Forwarded-For, the one the load balancer in front appended.
	trustForwardedFor bool
	now               func() time.Time

	mu      sync.Mutex
	clients map[string]*client
	swept   time.Time
}

type client struct {
	limiter *rate.Limiter
	seen    time.Time
}

// idleAfter is how long a client's bucket outlives its last request; by
// then it has refilled, so dropping it changes nothing.
const idleAfter = 5 * time.Minute

// rateLimit refuses a client's requests beyond perSecond sustained and burst
// at once with 429 and Retry-After. A client is its API key or token
// subject, else its address. perSecond 0 turns the limit off.
func rateLimit(perSecond float64, burst int, trustForwardedFor bool, next http.Handler) http.Handler {
	if perSecond <= 0 {
		return next
	}
	l := &clientLimits{
		rate: rate.Limit(perSecond), burst: max(burst, 1), trustForwardedFor: trustForwardedFor,
		now: time.Now, clients: map[string]*client{},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r) // preflights are the browser's, not the client's
			return
		}
		if wait, ok := l.allow(l.clientOf(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			fail(w, r, http.StatusTooManyRequests, CodeRateLimited, "too many requests: slow down and retry after the time in Retry-After")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allow takes a token from the client's bucket, or says how long until one
// is there.
func (l *clientLimits) allow(key string) (time.Duration, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > idleAfter {
		for k, c := range l.clients {
			if now.Sub(c.seen) > idleAfter {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[key]
	if c == nil {
		c = &client{limiter: rate.NewLimiter(l.rate, l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	res := c.limiter.ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return max(wait, time.Second), false
	}
	return 0, true
}

func (l *clientLimits) clientOf(r *http.Request) string {
	if p, ok := auth.From(r.Context()); ok {
		return "principal:" + p.Subject
	}
	if l.trustForwardedFor {
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
