package server

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/operation"
)

// Answers that caches can keep. Every replica follows the graph's latest
// revision in Neo4j (Revisions); every answer says the revision it was
// read at, in a header and a GraphQL extension; a repeated query read at
// the same revision is answered from memory (answerCache); a GET answer
// carries an ETag, so that browsers and CDNs revalidate it for a 304.
// A request that carries bookmarks reads its own writes from Neo4j.

// revisionHeader says the revision an answer was read at.
const revisionHeader = "X-Graph-Revision"

// Revisions follows the graph's latest revision: each replica reads the
// change log's head in Neo4j every interval, so that a change written
// through any replica reaches the others' answers within one interval.
type Revisions struct {
	read    func(context.Context) (graph.Head, error)
	current atomic.Pointer[graph.Head] // nil until read once
	poke    chan struct{}
}

// NewRevisions follows the head that read reads.
func NewRevisions(read func(context.Context) (graph.Head, error)) *Revisions {
	return &Revisions{read: read, poke: make(chan struct{}, 1)}
}

// Read reads the head once.
func (r *Revisions) Read(ctx context.Context) error {
	h, err := r.read(ctx)
	if err == nil {
		r.current.Store(&h)
	}
	return err
}

// Run reads the revision every interval, and at once after a write
// through this replica, until ctx ends. A failed read keeps the last one.
func (r *Revisions) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, every)
		_ = r.Read(rctx)
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.poke:
		}
	}
}

// Current is the head last read; false before the first read.
func (r *Revisions) Current() (graph.Head, bool) {
	h := r.current.Load()
	if h == nil {
		return graph.Head{}, false
	}
	return *h, true
}

// wrote tells the follower that this replica wrote: until it has read the
// head again, which it does now, no answer is cached or tagged, so that
// no caller of this replica reads an answer older than the write.
func (r *Revisions) wrote() {
	r.current.Store(nil)
	select {
	case r.poke <- struct{}{}:
	default:
	}
}

type revisionKey struct{}

// readAt is what withRevision notes of a request: the revision its answer
// is read at, and whether no cache may keep it: it reads its own writes
// (bookmarks), or a load is being written, whose batches change the graph
// within one revision.
type readAt struct {
	revision int
	uncached bool
}

// withRevision notes the revision the request is read at, says it in a
// header, and, for a GET that reads nothing newer, answers If-None-Match
// with a 304 and tags the answer for caches.
func withRevision(revs *Revisions, cacheControl string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		head, ok := revs.Current()
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		rev := head.Revision
		at := readAt{revision: rev, uncached: r.Header.Get(bookmarkHeader) != "" || head.Loading != 0}
		w.Header().Set(revisionHeader, strconv.Itoa(rev))
		r = r.WithContext(context.WithValue(r.Context(), revisionKey{}, at))
		if r.Method != http.MethodGet || at.uncached || isUpgrade(r) {
			next.ServeHTTP(&writeWatcher{ResponseWriter: w, revs: revs}, r)
			return
		}
		tag := etag(rev, r.URL.RawQuery, roleOf(r.Context()))
		w.Header().Set("Vary", "Authorization")
		if r.Header.Get("If-None-Match") == tag {
			w.Header().Set("ETag", tag)
			w.Header().Set("Cache-Control", cacheControl)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		buf := &bufferedAnswer{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(buf, r)
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		// Only a whole answer is tagged: an error may pass.
		if buf.status == http.StatusOK && !bytes.Contains(buf.body.Bytes(), []byte(`"errors"`)) {
			w.Header().Set("ETag", tag)
			w.Header().Set("Cache-Control", cacheControl)
		}
		w.WriteHeader(buf.status)
		_, _ = w.Write(buf.body.Bytes())
	})
}

// etag names an answer by the revision, the request's query string and
// the caller's role.
func etag(rev int, query, role string) string {
	sum := sha256.Sum256([]byte(query + "\x00" + role))
	return `W/"r` + strconv.Itoa(rev) + "-" + hex.EncodeToString(sum[:12]) + `"`
}

func roleOf(ctx context.Context) string {
	p, ok := auth.From(ctx)
	if !ok {
		return ""
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	return strings.Join(roles, ",")
}

// writeWatcher tells the follower of a write before its answer leaves:
// the answer of a write carries its bookmark.
type writeWatcher struct {
	http.ResponseWriter
	revs *Revisions
	seen bool
}

func (w *writeWatcher) WriteHeader(status int) {
	if !w.seen {
		w.seen = true
		if w.Header().Get(bookmarkHeader) != "" {
			w.revs.wrote()
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *writeWatcher) Write(p []byte) (int, error) {
	if !w.seen {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

func (w *writeWatcher) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes a stream's events on as they come.
func (w *writeWatcher) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// bufferedAnswer holds a GET's answer until it is known whole.
type bufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedAnswer) Header() http.Header         { return b.header }
func (b *bufferedAnswer) WriteHeader(status int)      { b.status = status }
func (b *bufferedAnswer) Write(p []byte) (int, error) { return b.body.Write(p) }

// answers says the revision in each answer's extensions and serves a
// repeated query, read at the same revision by a caller of the same role,
// from the cache, when there is one.
type answers struct{ cache *answerCache }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = answers{}

func (answers) ExtensionName() string                   { return "Answers" }
func (answers) Validate(graphql.ExecutableSchema) error { return nil }

func (a answers) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	at, ok := ctx.Value(revisionKey{}).(readAt)
	op := graphql.GetOperationContext(ctx)
	if !ok || op.Operation != nil && op.Operation.Operation == ast.Subscription {
		return next(ctx) // a stream's events are revisions of their own
	}
	key := ""
	if a.cache != nil && !at.uncached && op.Operation != nil && op.Operation.Operation == ast.Query {
		key = answerKey(at.revision, op, roleOf(ctx))
		if data, ok := a.cache.get(key); ok {
			return &graphql.Response{Data: data, Extensions: map[string]any{"revision": at.revision}}
		}
	}
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["revision"] = at.revision
	if key != "" && len(resp.Errors) == 0 {
		a.cache.put(key, resp.Data)
	}
	return resp
}

// answerKey names a query's answer: the revision, the operation as asked
// and the caller's role; "" when the operation has no key.
func answerKey(rev int, op *graphql.OperationContext, role string) string {
	asked, ok := operation.Key(op)
	if !ok {
		return ""
	}
	h := sha256.New()
	for _, part := range []string{strconv.Itoa(rev), asked, role} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil))
}

// answerCache keeps answers' data, the least recently used dropped first
// beyond maxBytes. Entries of an older revision are never asked again and
// age out.
type answerCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // of *answerEntry, most recent first
	entries  map[string]*list.Element
}

type answerEntry struct {
	key  string
	data json.RawMessage
}

func newAnswerCache(maxBytes int) *answerCache {
	if maxBytes <= 0 {
		return nil
	}
	return &answerCache{maxBytes: maxBytes, order: list.New(), entries: map[string]*list.Element{}}
}

func (c *answerCache) get(key string) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*answerEntry).data, true
}

func (c *answerCache) put(key string, data json.RawMessage) {
	size := len(key) + len(data)
	if size > c.maxBytes/8 {
		return // one answer may not crowd out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.order.PushFront(&answerEntry{key: key, data: data})
	c.bytes += size
	for c.bytes > c.maxBytes {
		last := c.order.Back()
		e := last.Value.(*answerEntry)
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.bytes -= len(e.key) + len(e.data)
	}
}
