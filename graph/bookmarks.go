package graph

import (
	"context"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Bookmarks carry causal consistency across replicas of the API: a client
// that sends back the bookmark of its last write reads, on any replica, a
// database at least that recent. Within one process the store chains its
// transactions by itself.
type Bookmarks struct {
	in  []string
	mu  sync.Mutex
	out []string
}

type bookmarksKey struct{}

// WithBookmarks returns a context whose transactions start after the
// bookmarks given, and whose writes leave theirs in the returned Bookmarks.
func WithBookmarks(ctx context.Context, after []string) (context.Context, *Bookmarks) {
	b := &Bookmarks{in: after}
	return context.WithValue(ctx, bookmarksKey{}, b), b
}

// Written returns the bookmarks of the last write made with the context, or
// nil when it made none.
func (b *Bookmarks) Written() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.out
}

func bookmarksOf(ctx context.Context) *Bookmarks {
	b, _ := ctx.Value(bookmarksKey{}).(*Bookmarks)
	return b
}

func (b *Bookmarks) after() neo4j.Bookmarks {
	if b == nil || len(b.in) == 0 {
		return nil
	}
	return neo4j.BookmarksFromRawValues(b.in...)
}

func (b *Bookmarks) wrote(last neo4j.Bookmarks) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.out = neo4j.BookmarksToRawValues(last)
}
