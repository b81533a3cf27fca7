package operation

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// Kept is how many entries each cache of operations keeps.
const Kept = 1000

// MaxKeptBytes is the longest operation a cache keeps. Ordinary operations
// are a few KiB; a longer one (a long string in its text or variables) is
// parsed or planned each time it comes, so that a cache holds at most
// Kept × MaxKeptBytes of operations however long the ones clients send.
const MaxKeptBytes = 16 << 10

// NewCache returns a cache of the Kept entries used last that keeps
// nothing whose key, with its value when that is a string (a persisted
// query's text), is longer than MaxKeptBytes.
func NewCache[T any]() graphql.Cache[T] {
	return bounded[T]{lru.New[T](Kept)}
}

type bounded[T any] struct{ *lru.LRU[T] }

func (c bounded[T]) Add(ctx context.Context, key string, value T) {
	n := len(key)
	if s, ok := any(value).(string); ok {
		n += len(s)
	}
	if n <= MaxKeptBytes {
		c.LRU.Add(ctx, key, value)
	}
}
