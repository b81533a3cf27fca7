// Package resolvers answers GraphQL requests from the knowledge graph: the
// executable schema gqlgen generates from schema/*.graphqls, and thin
// resolvers over the store.
package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/psmgraph/psmgraph/graph"
)

// Store is what the resolvers need from the knowledge graph.
type Store interface {
	Node(ctx context.Context, id string) (graph.Node, error)
	Jurisdictions(ctx context.Context, args graph.PageArgs) (graph.Page[graph.Jurisdiction], error)
	MutualKinds(ctx context.Context, args graph.PageArgs) (graph.Page[graph.MutualKind], error)
}

// Resolver is the root resolver; it holds the dependencies and no state.
type Resolver struct {
	Store Store
}

// New returns the executable schema over the store.
func New(store Store) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{Resolvers: &Resolver{Store: store}})
}
