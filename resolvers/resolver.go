// Package resolvers answers GraphQL requests from the knowledge graph: the
// executable schema gqlgen generates from schema/*.graphqls, and thin
// resolvers over the store.
package resolvers

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// Resolver is the root resolver; it holds the dependencies and no state.
type Resolver struct {
	Store Store
	// FeedPoll is how often a subscription reads the change log for
	// revisions after the last it sent.
	FeedPoll time.Duration
	// Logger tells operators of what no request answers for: a
	// subscription's failed reads of the change log.
	Logger *slog.Logger
}

// Option tunes the resolvers.
type Option func(*Resolver)

// WithFeedPoll has subscriptions read the change log every d.
func WithFeedPoll(d time.Duration) Option { return func(r *Resolver) { r.FeedPoll = d } }

// WithLogger has the resolvers log to l.
func WithLogger(l *slog.Logger) Option { return func(r *Resolver) { r.Logger = l } }

// New returns the executable schema over the store.
func New(store Store, opts ...Option) graphql.ExecutableSchema {
	r := &Resolver{Store: store, FeedPoll: 250 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(r)
	}
	return withLoaders{ExecutableSchema: NewExecutableSchema(Config{Resolvers: r}), store: store}
}

// Store is what the resolvers need from the knowledge graph.
type Store interface {
	Nodes(ctx context.Context, ids []string) (map[string]graph.Node, error)
	List(ctx context.Context, label graph.Label, args graph.ListArgs) (graph.Page[graph.Node], error)
	Neighbours(ctx context.Context, w graph.Walk, parents []string, args graph.PageArgs) (map[string]graph.Page[graph.Edge], error)
	Search(ctx context.Context, text string, labels []graph.Label, first int) ([]graph.Hit, error)
	Trace(ctx context.Context, t graph.Trace) ([]graph.Path, error)
	Influences(ctx context.Context, f graph.InfluenceFilter) ([]graph.Influence, error)
	Gaps(ctx context.Context, q graph.GapsQuery) ([]graph.Gap, error)
	Losses(ctx context.Context, f graph.InfluenceFilter) ([]graph.Loss, error)
	Bearings(ctx context.Context, f graph.InfluenceFilter) ([]graph.LeverBearings, error)
	Aggregate(ctx context.Context, list graph.Read, parent string) (map[string]any, error)

	Changes(ctx context.Context, q graph.ChangeQuery) ([]graph.Change, int, error)
	LatestRevision(ctx context.Context) (*graph.Revision, error)
	ReleaseOf(ctx context.Context, revision int) (*graph.Release, error)
	Head(ctx context.Context) (graph.Head, error)
	RevisionsAfter(ctx context.Context, after, limit int) ([]graph.RevisionChanges, error)

	CreateNode(ctx context.Context, edit graph.Edit, label graph.Label, props map[string]any, refs []graph.Ref) (graph.Node, error)
	UpdateNode(ctx context.Context, edit graph.Edit, id string, change func(graph.Label, map[string]any) (map[string]any, []graph.Ref, error)) (graph.Node, error)
	DeleteNode(ctx context.Context, edit graph.Edit, id string) error
	Link(ctx context.Context, edit graph.Edit, rt graph.RelationshipType, from, to string, props map[string]any, refs []graph.Ref) (graph.Path, error)
	Unlink(ctx context.Context, edit graph.Edit, t graph.RelType, from, to string) (bool, error)
	seed.Store
}
