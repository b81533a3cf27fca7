package operation

import (
	"context"
	"strings"
	"testing"
)

func TestCachesKeepNoLongOperation(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("x", MaxKeptBytes+1)

	docs := NewCache[int]()
	docs.Add(ctx, "{ a }", 1)
	docs.Add(ctx, long, 2)
	if v, ok := docs.Get(ctx, "{ a }"); !ok || v != 1 {
		t.Errorf("a short key: %v %v", v, ok)
	}
	if _, ok := docs.Get(ctx, long); ok {
		t.Error("a key longer than MaxKeptBytes was kept")
	}

	persisted := NewCache[string]()
	persisted.Add(ctx, "hash-a", "{ a }")
	persisted.Add(ctx, "hash-b", long)
	if v, ok := persisted.Get(ctx, "hash-a"); !ok || v != "{ a }" {
		t.Errorf("a short query: %q %v", v, ok)
	}
	if _, ok := persisted.Get(ctx, "hash-b"); ok {
		t.Error("a query longer than MaxKeptBytes was kept")
	}
}
