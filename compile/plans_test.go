package compile_test

import (
	"bytes"
	"context"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/psmgraph/psmgraph/compile"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/operation"
	"github.com/psmgraph/psmgraph/resolvers"
	"github.com/psmgraph/psmgraph/server"
)

// trees records the compiled trees it is given to read.
type trees struct {
	store *graph.Store
	mu    sync.Mutex
	read  []graph.Tree
}

func (r *trees) ReadTree(ctx context.Context, t graph.Tree) (map[string]any, error) {
	r.mu.Lock()
	r.read = append(r.read, t)
	r.mu.Unlock()
	return r.store.ReadTree(ctx, t)
}

// A repeated operation runs the tree planned for it the first time; with
// other variables it is planned anew, and each answer is its variables'; a
// long one is planned each time.
func TestARepeatedOperationIsPlannedOnce(t *testing.T) {
	p := shippedPaths(t)
	kept := &trees{store: p.store}
	declined := 0
	compiled := server.GraphQL(compile.New(resolvers.New(p.store), kept, compile.Options{
		Declined: func(string, string) { declined++ },
	}), slog.New(slog.DiscardHandler), true)

	const query = `query ($first: Int, $ids: Boolean!) {
		mutuals(first: $first, orderBy: [{field: NAME, direction: ASC}]) {
			edges { node { id @include(if: $ids) name } } } }`
	runs := []map[string]any{
		{"first": 2, "ids": true},
		{"first": 2, "ids": true},
		{"first": 3, "ids": true},
		{"first": 2, "ids": false},
		{"first": 2, "ids": true},
	}
	for i, vars := range runs {
		got := post(t, compiled, query, vars)
		want := post(t, p.resolved, query, vars)
		if !bytes.Equal(got, want) {
			t.Errorf("run %d %v:\n got %s\nwant %s", i, vars, got, want)
		}
	}
	if len(kept.read) != len(runs) {
		t.Fatalf("%d trees read for %d runs", len(kept.read), len(runs))
	}
	same := func(a, b graph.Tree) bool {
		return reflect.ValueOf(a.Params).Pointer() == reflect.ValueOf(b.Params).Pointer()
	}
	if !same(kept.read[0], kept.read[1]) || !same(kept.read[0], kept.read[4]) {
		t.Error("the same operation and variables were planned again")
	}
	if same(kept.read[0], kept.read[2]) || same(kept.read[0], kept.read[3]) {
		t.Error("other variables ran the first variables' plan")
	}

	// Requests share a kept plan: at once, each gets the whole answer.
	want := post(t, p.resolved, query, runs[0])
	var wg sync.WaitGroup
	wrong := make(chan []byte, 8)
	for range 8 {
		wg.Go(func() {
			if got := post(t, compiled, query, runs[0]); !bytes.Equal(got, want) {
				wrong <- got
			}
		})
	}
	wg.Wait()
	close(wrong)
	for got := range wrong {
		t.Errorf("at once:\n got %s\nwant %s", got, want)
	}

	// An operation longer than a cache keeps is planned each time.
	long := map[string]any{"name": strings.Repeat("x", operation.MaxKeptBytes)}
	const named = `query ($name: String) { mutuals(where: {name: {contains: $name}}) { totalCount } }`
	before := len(kept.read)
	for range 2 {
		if got, want := post(t, compiled, named, long), post(t, p.resolved, named, long); !bytes.Equal(got, want) {
			t.Errorf("a long operation:\n got %s\nwant %s", got, want)
		}
	}
	if len(kept.read) != before+2 || same(kept.read[before], kept.read[before+1]) {
		t.Error("an operation longer than operation.MaxKeptBytes was kept")
	}

	// A declined operation is still counted each time it is asked.
	for range 2 {
		post(t, compiled, `{ __schema { queryType { name } } }`, nil)
	}
	if declined != 2 {
		t.Errorf("declined %d times, want 2", declined)
	}
}
