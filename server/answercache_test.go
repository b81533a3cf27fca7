package server

import (
	"encoding/json"
	"fmt"
	"testing"
)

// The cache keeps what fits in its bytes, dropping the least recently used
// first, and refuses an answer that would crowd out the rest.
func TestAnswerCacheDropsTheLeastRecentlyUsed(t *testing.T) {
	c := newAnswerCache(1000)
	data := func(n int) json.RawMessage { return json.RawMessage(fmt.Sprintf("%0*d", n, 0)) }
	for i := range 10 {
		c.put(fmt.Sprint(i), data(99)) // 100 bytes with its key
	}
	if _, ok := c.get("0"); !ok {
		t.Fatal("a cache at its bound dropped an answer")
	}
	c.put("10", data(98)) // over the bound: 1, the least recently used, goes
	if _, ok := c.get("1"); ok {
		t.Error("the least recently used answer was kept")
	}
	for _, k := range []string{"0", "2", "10"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("answer %s was dropped", k)
		}
	}
	c.put("big", data(200))
	if _, ok := c.get("big"); ok {
		t.Error("an answer over an eighth of the cache was kept")
	}
	if c.bytes > c.maxBytes {
		t.Errorf("%d bytes held, bound %d", c.bytes, c.maxBytes)
	}
	if newAnswerCache(0) != nil {
		t.Error("a cache of no bytes exists")
	}
}
