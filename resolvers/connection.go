package resolvers

import (
	"context"

	"github.com/psmgraph/psmgraph/graph"
)

// Connection is every connection type of the schema: a page of edges. One Go
// type serves them all, since they differ only in their nodes' GraphQL type.
type Connection struct {
	Edges      []Edge
	PageInfo   *PageInfo
	TotalCount int
	// aggregate reads an aggregate of the whole list, not only the page.
	aggregate func(context.Context, graph.Aggregate) (map[string]any, error)
}

// Edge is every edge type of the schema: a node and, for an edge that stands
// for a relationship, the relationship's properties.
type Edge struct {
	Cursor string
	Node   graph.Node
	graph.EdgeProps
}

// newConnection builds a connection from a page of edges.
func newConnection(page graph.Page[graph.Edge]) *Connection {
	c := &Connection{Edges: make([]Edge, len(page.Items)), PageInfo: &PageInfo{HasNextPage: page.HasNext}, TotalCount: page.Total}
	for i, e := range page.Items {
		cursor := IDCursor(e.Node.GetID())
		if page.Offset >= 0 {
			cursor = OffsetCursor(page.Offset + i + 1)
		}
		c.Edges[i] = Edge{Cursor: cursor, Node: e.Node, EdgeProps: e.EdgeProps}
		if i == 0 {
			c.PageInfo.StartCursor = &cursor
		}
		c.PageInfo.EndCursor = &cursor
	}
	return c
}

// nodeConnection builds a connection from a page of nodes, as a top-level
// list gives them: edges without relationship properties.
func nodeConnection(page graph.Page[graph.Node]) *Connection {
	edges := graph.Page[graph.Edge]{HasNext: page.HasNext, Total: page.Total, Offset: page.Offset, Items: make([]graph.Edge, len(page.Items))}
	for i, n := range page.Items {
		edges.Items[i] = graph.Edge{Node: n}
	}
	return newConnection(edges)
}
