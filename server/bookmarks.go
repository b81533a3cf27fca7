package server

import (
	"net/http"
	"strings"

	"github.com/psmgraph/psmgraph/graph"
)

// bookmarkHeader carries Neo4j bookmarks: the API sends one after a
// mutation, and a client that sends it back reads, on any replica, a
// database that holds its write.
const bookmarkHeader = "X-Neo4j-Bookmark"

// maxBookmarks bounds how many bookmarks a request may carry.
const maxBookmarks = 16

// withBookmarks starts the request's transactions after the bookmarks it
// carries and answers a write with the bookmark it left.
func withBookmarks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var after []string
		for _, v := range r.Header.Values(bookmarkHeader) {
			for _, b := range strings.Split(v, ",") {
				if b = strings.TrimSpace(b); printable(b, 512) && len(after) < maxBookmarks {
					after = append(after, b)
				}
			}
		}
		ctx, written := graph.WithBookmarks(r.Context(), after)
		next.ServeHTTP(&bookmarkWriter{ResponseWriter: w, written: written}, r.WithContext(ctx))
	})
}

// bookmarkWriter adds the bookmark of the request's last write to the
// response's headers, which go out with its first byte.
type bookmarkWriter struct {
	http.ResponseWriter
	written *graph.Bookmarks
	sent    bool
}

func (b *bookmarkWriter) WriteHeader(code int) {
	if !b.sent {
		b.sent = true
		if marks := b.written.Written(); len(marks) > 0 {
			b.Header().Set(bookmarkHeader, strings.Join(marks, ","))
		}
	}
	b.ResponseWriter.WriteHeader(code)
}

func (b *bookmarkWriter) Write(p []byte) (int, error) {
	if !b.sent {
		b.WriteHeader(http.StatusOK)
	}
	return b.ResponseWriter.Write(p)
}

func (b *bookmarkWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }

// Flush passes a stream's events on as they come.
func (b *bookmarkWriter) Flush() { _ = http.NewResponseController(b.ResponseWriter).Flush() }
