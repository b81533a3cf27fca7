package resolvers

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/psmgraph/psmgraph/graph"
)

// batchWait is how long a loader collects keys before it queries: long
// enough for the resolvers of one list's items, which gqlgen runs
// concurrently, to ask together.
const batchWait = 2 * time.Millisecond

// loaders batch the lookups of one request, so that a list of N items and
// their neighbours costs one query per field and level, not one per item.
type loaders struct {
	store Store
	nodes *dataloadgen.Loader[string, graph.Node]
	mu    sync.Mutex
	walks map[string]*dataloadgen.Loader[string, graph.Page[graph.Edge]]
}

type loadersKey struct{}

func newLoaders(store Store) *loaders {
	l := &loaders{store: store, walks: map[string]*dataloadgen.Loader[string, graph.Page[graph.Edge]]{}}
	l.nodes = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]graph.Node, error) {
		return store.Nodes(ctx, ids)
	}, dataloadgen.WithWait(batchWait))
	return l
}

// withLoaders gives every operation its own loaders: a cache that lives as
// long as one request cannot serve stale data to the next.
type withLoaders struct {
	graphql.ExecutableSchema
	store Store
}

func (s withLoaders) Exec(ctx context.Context) graphql.ResponseHandler {
	l := newLoaders(s.store)
	scope := func(ctx context.Context) context.Context {
		return context.WithValue(ctx, loadersKey{}, l)
	}
	next := s.ExecutableSchema.Exec(scope(ctx))
	// The executor calls the handler with a context of its own: attach the
	// loaders there too, where the resolvers will look for them.
	return func(ctx context.Context) *graphql.Response { return next(scope(ctx)) }
}

func loadersOf(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// walkKey names a walk and its paging. Every field resolver looks its page
// up by it, so it is built without fmt, which took a tenth of a nested
// request's CPU; only a filter, rarely there, is rendered with it.
func walkKey(w graph.Walk, args graph.PageArgs) string {
	var b strings.Builder
	b.WriteString(string(w.Type))
	if w.Dir == graph.Out {
		b.WriteString(">")
	} else {
		b.WriteString("<")
	}
	for _, l := range w.Targets {
		b.WriteString(string(l))
		b.WriteString(",")
	}
	b.WriteString("|" + strconv.Itoa(args.First) + "|" + args.After + "|")
	if !args.Where.IsZero() {
		b.WriteString(args.Where.String())
	}
	for _, s := range args.OrderBy {
		b.WriteString("|" + s.Property + "|" + strconv.FormatBool(s.Descending))
	}
	b.WriteString("|" + strconv.Itoa(args.Offset) + "|")
	if !args.EdgeWhere.IsZero() {
		b.WriteString(args.EdgeWhere.String())
	}
	for _, s := range args.EdgeOrderBy {
		b.WriteString("|" + s.Property + "|" + strconv.FormatBool(s.Descending))
	}
	return b.String()
}

// walk returns the loader of a walk with the given paging: one per distinct
// walk and page, since a batch shares its paging.
func (l *loaders) walk(w graph.Walk, args graph.PageArgs) *dataloadgen.Loader[string, graph.Page[graph.Edge]] {
	key := walkKey(w, args)
	l.mu.Lock()
	defer l.mu.Unlock()
	if loader, ok := l.walks[key]; ok {
		return loader
	}
	loader := dataloadgen.NewMappedLoader(func(ctx context.Context, parents []string) (map[string]graph.Page[graph.Edge], error) {
		return l.store.Neighbours(ctx, w, parents, args)
	}, dataloadgen.WithWait(batchWait))
	l.walks[key] = loader
	return loader
}
