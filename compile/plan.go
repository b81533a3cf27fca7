package compile

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/resolvers"
)

// A plan is one query operation compiled: the reads of its one Cypher
// query, and what the response shows of their answer.
type plan struct {
	reads  []graph.Read
	fields []field // the Query type's, in the response's order
	// tree is the reads' query; treeErr, why graph would not compile
	// them, which the operation's root fields answer as their error.
	tree    graph.Tree
	treeErr error
}

// declined is why the planner leaves an operation to the resolvers: one of
// a few reasons, for a metric, and the detail, for the log. A detail names
// fields and arguments, never their values: what users type stays out of
// logs.
type declined struct{ reason, detail string }

func (d declined) Error() string { return d.reason + ": " + d.detail }

// The reasons the planner declines an operation.
const (
	reasonOperation = "operation" // not a query
	reasonField     = "field"     // a field the planner does not cover
	reasonArguments = "arguments" // arguments the resolvers will refuse
	reasonData      = "data"      // an answer the data makes invalid
)

func decline(reason, format string, args ...any) error {
	return declined{reason: reason, detail: fmt.Sprintf(format, args...)}
}

// kind says where a field's value comes from.
type kind int

const (
	kindTypename         kind = iota
	kindProperty              // a node's property, as stored
	kindDate                  // a Date: the property when known to the day
	kindPartialDate           // a PartialDate: the property, as far as known
	kindOrder                 // a jurisdiction's order of government
	kindSources               // a node's sources: the read under key
	kindSingle                // the one neighbour along a walk: the read under key
	kindConnection            // a list or a walk's page: the read under key
	kindNode                  // Query.node: the read under key
	kindNodes                 // Query.nodes: the read under key
	kindEdges                 // a connection's edges
	kindPageInfo              // a connection's pageInfo
	kindTotal                 // a connection's totalCount
	kindHasNext               // pageInfo.hasNextPage
	kindHasPrevious           // pageInfo.hasPreviousPage
	kindStartCursor           // pageInfo.startCursor
	kindEndCursor             // pageInfo.endCursor
	kindCursor                // an edge's cursor
	kindEdgeNode              // an edge's node
	kindRelProperty           // an edge's relationship property, as stored
	kindRelPartialDate        // an edge's dated relationship property
	kindEdgeSources           // an edge's sources: its citations' sources
	kindCitations             // an edge's citations
	kindCitationSource        // a citation's source
	kindLocator               // a citation's locator
	kindSearch                // Query.search: the read under key
	kindHitNode               // a search hit's entity
	kindHitType               // a search hit's type
	kindHitScore              // a search hit's score
	kindHitMatch              // how a search hit matched
	kindTrace                 // Query.trace: the read under key
	kindLength                // a path's length
	kindPathNodes             // a path's nodes
	kindHops                  // a path's hops
	kindHopType               // a hop's relationship type
	kindHopFrom               // a hop's start node
	kindHopTo                 // a hop's end node
	kindForward               // whether a path walks a hop forward
	kindInfluences            // Query.leversAffecting: the read under key
	kindLever                 // an influence's or a row's lever
	kindHeld                  // an influence's jurisdictions
	kindOrders                // an influence's or a row's orders
	kindEffect                // an influence's effect
	kindStated                // whether an influence is stated
	kindChain                 // an influence's chain
	kindMatrix                // Query.influenceMatrix: the reads under key and columns
	kindColumns               // a matrix's kinds
	kindRows                  // a matrix's rows
	kindCells                 // a row's cells
	kindCellKind              // a cell's kind
	kindCellEffect            // a cell's strongest effect
	kindCellPaths             // a cell's chains
	kindCellStated            // a cell's stated chains
	kindGaps                  // Query.gaps: the reads under key and also
	kindGapChallenge          // a gap's challenge
	kindFaces                 // a gap's FACES link
	kindUnaddressed           // whether nothing mitigates a gap
	kindMitigations           // a gap's mitigations
	kindMeasure               // a mitigation's measure
	kindMitigates             // a mitigation's MITIGATES link
	kindHeldBy                // a mitigation's HELD_BY links
	kindCompare               // Query.compare: the reads under key and also
	kindCompareKind           // a comparison's kind
	kindLeftOnly              // a comparison's left-only differences
	kindRightOnly             // a comparison's right-only differences
	kindBoth                  // a comparison's shared bearings
	kindViaEffect             // a difference's or a bearing's effect
	kindViaMeans              // a difference's or a bearing's means
	kindViaChains             // a difference's chains
	kindViaCount              // how many chains a difference has
	kindImpact                // Query.impact: the reads under key and also
	kindImpactChains          // an impact's chains
	kindLosses                // an impact's losses
	kindLossKind              // a loss's kind
	kindLossJurisdiction      // a loss's jurisdiction
	kindLossChains            // a loss's chains
	kindAggregate             // a connection's aggregate: the read's under TreeAggregate
	kindFigure                // an aggregate's or a group's figure, by its key
	kindFigureValue           // one value of a figure's map
	kindGroups                // an aggregate's groups: the answer's under key
	kindGroupValues           // a group's values
	kindLog                   // a read of the change log: the read under key
	kindDocument              // a field of a change log's document, by its name
)

// field is one field of the response: its key, its type, where its value
// comes from, and what it shows of an object value.
type field struct {
	key  string
	typ  *ast.Type
	kind kind
	// name is the property, or the read's key in the answer; columns, a
	// matrix's read of its kinds.
	name    string
	columns string
	// also are the keys of a question's further reads.
	also []string
	// object is what an object value shows; page is a connection's paging.
	object *object
	page   *page
	// fields are the subfields of a connection, an edge, a page's info or
	// a citation, whose type is fixed.
	fields []field
	// typename is the object type a fixed-type field's value has.
	typename string
	// at is where a root field stands in the document, for its errors.
	at *ast.Position
	// declined, when not nil, is why the resolvers must answer the field,
	// should the answer reach it.
	declined error
}

// object is what the response shows of a node: its fields by the node's
// type, the one type there is or the type its label names.
type object struct {
	types map[string][]field
	// static is the node's type when it can have one only.
	static string
}

// page is how a connection's cursors are made: after an offset for a list
// in an order, else after an id.
type page struct {
	first   int
	ordered bool
	offset  int
}

// planner compiles one operation.
type planner struct {
	schema *ast.Schema
	op     *graphql.OperationContext
	keys   int
	// analysis is set while planning an analysis or a question, whose
	// nodes the read tree shapes where no aggregate can be bound.
	analysis bool
}

// planOperation compiles a validated query operation, or says why it does
// not.
func planOperation(schema *ast.Schema, op *graphql.OperationContext) (*plan, error) {
	p := &planner{schema: schema, op: op}
	out := &plan{}
	for _, f := range graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"}) {
		pf, reads, err := p.root(f)
		if err != nil {
			return nil, err
		}
		out.fields = append(out.fields, pf)
		out.reads = append(out.reads, reads...)
	}
	return out, nil
}

func (p *planner) key() string {
	p.keys++
	return "_" + strconv.Itoa(p.keys)
}

// root plans a field of the Query type and the reads it needs.
func (p *planner) root(f graphql.CollectedField) (field, []graph.Read, error) {
	out := field{key: f.Alias, typ: f.Definition.Type, at: f.Position}
	if f.Name == "__typename" {
		out.kind = kindTypename
		out.typename = "Query"
		return out, nil, nil
	}
	args := f.ArgumentMap(p.op.Variables)
	read := &graph.Read{Key: p.key()}
	out.name = read.Key
	p.analysis = f.Name != "node" && f.Name != "nodes" && !strings.HasSuffix(f.Definition.Type.Name(), "Connection")
	var err error
	switch named := f.Definition.Type.Name(); {
	case f.Name == "node":
		id, ok := args["id"].(string)
		if !ok {
			return out, nil, decline(reasonArguments, "node: id is not a string")
		}
		out.kind, read.IDs = kindNode, []string{id}
		out.object, read.Node, err = p.object(f.Selections, named, nil)
	case f.Name == "nodes":
		ids, ok := stringList(args["ids"])
		if !ok || len(ids) > resolvers.MaxFirst {
			return out, nil, decline(reasonArguments, "nodes: ids are not %d strings at most", resolvers.MaxFirst)
		}
		out.kind, read.IDs = kindNodes, ids
		out.object, read.Node, err = p.object(f.Selections, named, nil)
	case f.Name == "search":
		out.kind, out.typename = kindSearch, named
		read.Search, err = searchOf(args)
		if err == nil {
			err = p.hits(&out, read, f)
		}
	case f.Name == "trace":
		out.kind = kindTrace
		if read.Trace, err = traceOf(args); err == nil {
			out.fields, err = p.path(f, &read.Path)
		}
	case f.Name == "leversAffecting":
		out.kind = kindInfluences
		if read.Chains, err = influencesOf(args); err == nil {
			err = p.influences(&out, read, f)
		}
	case f.Name == "influenceMatrix":
		out.kind = kindMatrix
		if read.Bearings, err = matrixOf(args); err != nil {
			return out, nil, err
		}
		columns := graph.Read{Key: p.key()}
		if len(read.Bearings.Kinds) > 0 {
			columns.IDs = read.Bearings.Kinds
		} else {
			columns.Label, columns.Items = graph.LabelMutualKind, true
			columns.Args.First = resolvers.MaxFirst
		}
		columns.Node = graph.Shape{Properties: []string{"id"}, Label: true}
		out.columns = columns.Key
		if err := p.matrix(&out, read, &columns, f); err != nil {
			return out, nil, err
		}
		return out, []graph.Read{*read, columns}, nil
	case f.Name == "gaps":
		reads, err := p.gapsQuestion(&out, read, f, args)
		return out, reads, err
	case f.Name == "compare":
		reads, err := p.compareQuestion(&out, read, f, args)
		return out, reads, err
	case f.Name == "impact":
		reads, err := p.impactQuestion(&out, read, f, args)
		return out, reads, err
	case f.Name == "changes" || f.Name == "revision" || f.Name == "release":
		err = p.changeLog(&out, read, f, false)
	case strings.HasSuffix(named, "Connection"):
		label := graph.Label(strings.TrimSuffix(named, "Connection"))
		if _, ok := graph.NodeTypeFor(label); !ok {
			return out, nil, decline(reasonField, "%s lists no label", f.Name)
		}
		read.Label = label
		var on resolvers.Effect
		if on, err = effectOf(args); err == nil {
			read.Args.AsOf, read.Args.IncludeUndated = on.Day, on.Undated
			err = p.connection(&out, read, f, args, string(label), []graph.Label{label})
		}
	default:
		return out, nil, decline(reasonField, "%s is not compiled", f.Name)
	}
	if err != nil {
		return out, nil, err
	}
	return out, []graph.Read{*read}, nil
}

// connection plans a connection field: its paging arguments, and what its
// edges, their nodes and relationships, and its pageInfo show.
func (p *planner) connection(out *field, read *graph.Read, f graphql.CollectedField, args map[string]any, typeName string, targets []graph.Label) error {
	first, err := intArg(args["first"])
	if err != nil {
		return err
	}
	after, _ := args["after"].(string)
	var afterArg *string
	if args["after"] != nil {
		afterArg = &after
	}
	orderBy, err := sortsOf(args["orderBy"])
	if err != nil {
		return err
	}
	edgeOrderBy, err := edgeSortsOf(args["edgeOrderBy"])
	if err != nil {
		return err
	}
	pa, err := resolvers.PageArgsOf(first, afterArg, orderBy, edgeOrderBy)
	if err != nil {
		return decline(reasonArguments, "%s: first, after or orderBy is refused", f.Name)
	}
	if read.Walk != nil {
		edgeWhere, _ := args["edgeWhere"].(map[string]any)
		if args["edgeWhere"] != nil && edgeWhere == nil {
			return decline(reasonArguments, "%s: edgeWhere is not an object", f.Name)
		}
		if pa.EdgeWhere, err = resolvers.EdgeFilterOf(read.Walk.Type, edgeWhere); err != nil {
			return decline(reasonArguments, "%s: edgeWhere is refused", f.Name)
		}
		if err := pa.CheckWalk(*read.Walk); err != nil {
			return decline(reasonArguments, "%s: edgeWhere or edgeOrderBy is refused", f.Name)
		}
	}
	where, _ := args["where"].(map[string]any)
	if args["where"] != nil && where == nil {
		return decline(reasonArguments, "%s: where is not an object", f.Name)
	}
	if pa.Where, err = resolvers.FilterOf(typeName, where); err != nil {
		return decline(reasonArguments, "%s: where is refused", f.Name)
	}
	if err := pa.Where.Validate(targets); err != nil {
		return decline(reasonArguments, "%s: where is out of bounds", f.Name)
	}
	read.Args.PageArgs = pa
	// Cursors after an id need the id of every node of the page.
	read.Node.Properties = appendNew(read.Node.Properties, "id")
	out.kind = kindConnection
	out.page = &page{first: pa.First, ordered: pa.Ordered(), offset: pa.Offset}
	out.typename = f.Definition.Type.Name()
	for _, cf := range graphql.CollectFields(p.op, f.Selections, []string{out.typename}) {
		sub := field{key: cf.Alias, typ: cf.Definition.Type, typename: cf.Definition.Type.Name()}
		switch cf.Name {
		case "__typename":
			sub.kind, sub.typename = kindTypename, out.typename
		case "totalCount":
			sub.kind, read.Total = kindTotal, true
		case "pageInfo":
			sub.kind, read.Items = kindPageInfo, true
			for _, pf := range graphql.CollectFields(p.op, cf.Selections, []string{"PageInfo"}) {
				k, ok := pageInfoKinds[pf.Name]
				if !ok {
					return decline(reasonField, "PageInfo.%s is not compiled", pf.Name)
				}
				read.Peek = read.Peek || k == kindHasNext
				sub.fields = append(sub.fields, field{key: pf.Alias, typ: pf.Definition.Type, kind: k, typename: "PageInfo"})
			}
		case "edges":
			sub.kind, read.Items = kindEdges, true
			if err := p.edges(&sub, read, cf); err != nil {
				return err
			}
		case "aggregate":
			if err := p.aggregate(&sub, read, cf, targets); err != nil {
				return err
			}
		default:
			return decline(reasonField, "%s.%s is not compiled", out.typename, cf.Name)
		}
		out.fields = append(out.fields, sub)
	}
	return nil
}

var pageInfoKinds = map[string]kind{
	"__typename":      kindTypename,
	"hasNextPage":     kindHasNext,
	"hasPreviousPage": kindHasPrevious,
	"startCursor":     kindStartCursor,
	"endCursor":       kindEndCursor,
}

// edges plans a connection's edges field, merging what it asks of nodes,
// relationships and sources into the read.
func (p *planner) edges(out *field, read *graph.Read, f graphql.CollectedField) error {
	edgeType := out.typename
	for _, ef := range graphql.CollectFields(p.op, f.Selections, []string{edgeType}) {
		sub := field{key: ef.Alias, typ: ef.Definition.Type, typename: edgeType}
		switch name := ef.Name; name {
		case "__typename":
			sub.kind = kindTypename
		case "cursor":
			sub.kind = kindCursor
		case "node":
			sub.kind = kindEdgeNode
			if err := p.objectInto(&sub, ef.Selections, ef.Definition.Type.Name(), targetsOf(read), &read.Node); err != nil {
				return err
			}
		default:
			if err := p.relField(&sub, ef, &read.Rel, &read.Citations); err != nil {
				return err
			}
		}
		out.fields = append(out.fields, sub)
	}
	return nil
}

// relField plans a field of a relationship shown on an edge or a hop: a
// property, added to rel, or its sources or citations, merged into
// citations.
func (p *planner) relField(out *field, f graphql.CollectedField, rel *[]string, citations **graph.Shape) error {
	switch name := f.Name; name {
	case "sources", "citations":
		if *citations == nil {
			*citations = &graph.Shape{}
		}
		out.kind = kindEdgeSources
		sourceSel := f.Selections
		if name == "citations" {
			out.kind = kindCitations
			sourceSel = nil
			for _, cf := range graphql.CollectFields(p.op, f.Selections, []string{"Citation"}) {
				c := field{key: cf.Alias, typ: cf.Definition.Type, typename: "Citation"}
				switch cf.Name {
				case "__typename":
					c.kind = kindTypename
				case "locator":
					c.kind = kindLocator
				case "source":
					c.kind = kindCitationSource
					if err := p.objectInto(&c, cf.Selections, "Source", nil, *citations); err != nil {
						return err
					}
				default:
					return decline(reasonField, "Citation.%s is not compiled", cf.Name)
				}
				out.fields = append(out.fields, c)
			}
		}
		if sourceSel != nil {
			return p.objectInto(out, sourceSel, "Source", nil, *citations)
		}
	default:
		prop, dated := relProperty(name)
		if prop == "" {
			return decline(reasonField, "%s.%s is not compiled", out.typename, name)
		}
		out.kind, out.name = kindRelProperty, prop
		*rel = appendNew(*rel, prop)
		if dated {
			out.kind = kindRelPartialDate
			*rel = appendNew(*rel, graph.PrecisionOf(prop))
		}
	}
	return nil
}

// fixed plans the fields of an object of a fixed type: __typename, leaves
// whose kind the map gives, and the rest by plan, which declines what it
// does not cover.
func (p *planner) fixed(sel ast.SelectionSet, typename string, leaves map[string]kind, plan func(sub *field, f graphql.CollectedField) error) ([]field, error) {
	var out []field
	for _, f := range graphql.CollectFields(p.op, sel, []string{typename}) {
		sub := field{key: f.Alias, typ: f.Definition.Type, typename: typename}
		if k, ok := leaves[f.Name]; ok {
			sub.kind = k
		} else if f.Name == "__typename" {
			sub.kind = kindTypename
		} else if err := plan(&sub, f); err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

func notCompiled(f *field, name string) error {
	return decline(reasonField, "%s.%s is not compiled", f.typename, name)
}

// The leaves of the analyses' types, by name.
var (
	pathLeaves      = map[string]kind{"length": kindLength}
	hopLeaves       = map[string]kind{"type": kindHopType, "forward": kindForward}
	influenceLeaves = map[string]kind{"orders": kindOrders, "effect": kindEffect, "stated": kindStated}
	rowLeaves       = map[string]kind{"orders": kindOrders}
	hitLeaves       = map[string]kind{"type": kindHitType, "score": kindHitScore, "match": kindHitMatch}
	cellLeaves      = map[string]kind{"effect": kindCellEffect, "paths": kindCellPaths, "statedPaths": kindCellStated}
)

// path plans what a field whose type is Path shows, and merges what it
// needs into the shape.
func (p *planner) path(f graphql.CollectedField, shape *graph.PathShape) ([]field, error) {
	// node plans an object whose nodes are the path's, found by id.
	node := func(sub *field, f graphql.CollectedField) error {
		return p.objectInto(sub, f.Selections, f.Definition.Type.Name(), nil, &shape.Node)
	}
	shape.Node = merge(shape.Node, graph.Shape{Properties: []string{"id"}})
	return p.fixed(f.Selections, "Path", pathLeaves, func(sub *field, pf graphql.CollectedField) error {
		var err error
		switch pf.Name {
		case "nodes":
			sub.kind = kindPathNodes
			return node(sub, pf)
		case "hops":
			sub.kind = kindHops
			sub.fields, err = p.hop(pf, shape, node)
			return err
		}
		return notCompiled(sub, pf.Name)
	})
}

// hop plans what a field whose type is Hop shows: its ends as node plans
// them, its relationship's properties and citations into the shape.
func (p *planner) hop(f graphql.CollectedField, shape *graph.PathShape, node func(sub *field, f graphql.CollectedField) error) ([]field, error) {
	return p.fixed(f.Selections, "Hop", hopLeaves, func(h *field, hf graphql.CollectedField) error {
		switch hf.Name {
		case "from":
			h.kind = kindHopFrom
			return node(h, hf)
		case "to":
			h.kind = kindHopTo
			return node(h, hf)
		}
		return p.relField(h, hf, &shape.Rel, &shape.Citations)
	})
}

// influences plans what leversAffecting shows of each chain.
func (p *planner) influences(out *field, read *graph.Read, f graphql.CollectedField) error {
	read.Node = merge(read.Node, graph.Shape{Properties: []string{"id"}})
	var err error
	out.fields, err = p.fixed(f.Selections, "Influence", influenceLeaves, func(sub *field, cf graphql.CollectedField) error {
		var err error
		switch cf.Name {
		case "lever":
			sub.kind = kindLever
			err = p.objectInto(sub, cf.Selections, cf.Definition.Type.Name(), nil, &read.Node)
		case "jurisdictions":
			sub.kind = kindHeld
			if read.Held == nil {
				read.Held = &graph.Shape{}
			}
			err = p.objectInto(sub, cf.Selections, "Jurisdiction", nil, read.Held)
		case "chain":
			sub.kind = kindChain
			sub.fields, err = p.path(cf, &read.Path)
		default:
			err = notCompiled(sub, cf.Name)
		}
		return err
	})
	return err
}

// matrix plans what influenceMatrix shows of its kinds, its rows and their
// cells.
func (p *planner) matrix(out *field, read, columns *graph.Read, f graphql.CollectedField) error {
	kind := func(sub *field, f graphql.CollectedField) error {
		return p.objectInto(sub, f.Selections, "MutualKind", nil, &columns.Node)
	}
	read.Node = graph.Shape{Properties: []string{"id"}}
	var err error
	out.fields, err = p.fixed(f.Selections, "InfluenceMatrix", nil, func(sub *field, mf graphql.CollectedField) error {
		var err error
		switch mf.Name {
		case "kinds":
			sub.kind = kindColumns
			return kind(sub, mf)
		case "rows":
			sub.kind = kindRows
			sub.fields, err = p.fixed(mf.Selections, "InfluenceRow", rowLeaves, func(row *field, rf graphql.CollectedField) error {
				var err error
				switch rf.Name {
				case "lever":
					row.kind = kindLever
					return p.objectInto(row, rf.Selections, rf.Definition.Type.Name(), nil, &read.Node)
				case "cells":
					row.kind = kindCells
					row.fields, err = p.fixed(rf.Selections, "InfluenceCell", cellLeaves, func(cell *field, cf graphql.CollectedField) error {
						if cf.Name == "kind" {
							cell.kind = kindCellKind
							return kind(cell, cf)
						}
						return notCompiled(cell, cf.Name)
					})
					return err
				}
				return notCompiled(row, rf.Name)
			})
			return err
		}
		return notCompiled(sub, mf.Name)
	})
	return err
}

// traceOf reads a trace's arguments as its resolver does.
func traceOf(args map[string]any) (*graph.Trace, error) {
	maxHops, err := intArg(args["maxHops"])
	if err != nil {
		return nil, err
	}
	first, err := intArg(args["first"])
	if err != nil {
		return nil, err
	}
	var via []resolvers.RelationshipType
	if args["via"] != nil {
		names, ok := stringList(args["via"])
		if !ok {
			return nil, decline(reasonArguments, "trace: via is not a list of names")
		}
		for _, n := range names {
			via = append(via, resolvers.RelationshipType(n))
		}
	}
	from, _ := args["from"].(string)
	to, _ := args["to"].(string)
	t, err := resolvers.TraceOf(from, to, maxHops, via, first, boolArg(args, "statedOnly"))
	if err != nil {
		return nil, decline(reasonArguments, "trace: maxHops or first is out of bounds")
	}
	return &t, nil
}

// influencesOf reads leversAffecting's arguments as its resolver does.
func influencesOf(args map[string]any) (*graph.InfluenceFilter, error) {
	first, err := intArg(args["first"])
	if err != nil {
		return nil, err
	}
	orders, jurisdictions, asOf, on, err := holdersOf(args)
	if err != nil {
		return nil, err
	}
	kind, _ := args["kind"].(string)
	f, err := resolvers.InfluencesOf(kind, orders, jurisdictions, asOf, first, boolArg(args, "statedOnly"), on, boolArg(args, "includeUndated"))
	if err != nil {
		return nil, decline(reasonArguments, "leversAffecting: first or the day is refused")
	}
	return &f, nil
}

// matrixOf reads influenceMatrix's arguments as its resolver does.
func matrixOf(args map[string]any) (*graph.InfluenceFilter, error) {
	orders, jurisdictions, asOf, on, err := holdersOf(args)
	if err != nil {
		return nil, err
	}
	var kinds []string
	if args["kinds"] != nil {
		var ok bool
		if kinds, ok = stringList(args["kinds"]); !ok {
			return nil, decline(reasonArguments, "influenceMatrix: kinds are not a list of ids")
		}
	}
	f, err := resolvers.MatrixOf(orders, jurisdictions, kinds, asOf, boolArg(args, "statedOnly"), on, boolArg(args, "includeUndated"))
	if err != nil {
		return nil, decline(reasonArguments, "influenceMatrix: the day is refused")
	}
	return &f, nil
}

// holdersOf reads an influence filter's orders, jurisdictions and days.
func holdersOf(args map[string]any) (orders []resolvers.Order, jurisdictions []string, asOf, on *time.Time, err error) {
	if args["orders"] != nil {
		names, ok := stringList(args["orders"])
		if !ok {
			return nil, nil, nil, nil, decline(reasonArguments, "orders are not a list of names")
		}
		for _, n := range names {
			orders = append(orders, resolvers.Order(n))
		}
	}
	if args["jurisdictions"] != nil {
		var ok bool
		if jurisdictions, ok = stringList(args["jurisdictions"]); !ok {
			return nil, nil, nil, nil, decline(reasonArguments, "jurisdictions are not a list of ids")
		}
	}
	if asOf, err = dayArg(args, "asOf"); err != nil {
		return nil, nil, nil, nil, err
	}
	on, err = dayArg(args, "inEffectOn")
	return orders, jurisdictions, asOf, on, err
}

// boolArg reads a Boolean argument; nil when not given.
func boolArg(args map[string]any, name string) *bool {
	if b, ok := args[name].(bool); ok {
		return &b
	}
	return nil
}

// dayArg reads a Date argument; nil when not given.
func dayArg(args map[string]any, name string) (*time.Time, error) {
	if args[name] == nil {
		return nil, nil
	}
	t, err := resolvers.UnmarshalDate(args[name])
	if err != nil {
		return nil, decline(reasonArguments, "%s is not a date", name)
	}
	return &t, nil
}

// searchOf reads a search's arguments as its resolver does.
func searchOf(args map[string]any) (*graph.Search, error) {
	text, _ := args["text"].(string)
	if _, err := graph.ParseSearch(text); err != nil {
		return nil, decline(reasonArguments, "search: text is refused")
	}
	first, err := intArg(args["first"])
	if err != nil {
		return nil, err
	}
	n, err := resolvers.LimitArg(first, 20)
	if err != nil {
		return nil, decline(reasonArguments, "search: first is out of bounds")
	}
	s := &graph.Search{Text: text, First: n}
	if args["types"] != nil {
		types, ok := stringList(args["types"])
		if !ok {
			return nil, decline(reasonArguments, "search: types are not a list of names")
		}
		for _, t := range types {
			l := resolvers.LabelOfType(resolvers.EntityType(t))
			if l == "" {
				return nil, decline(reasonArguments, "search: a type is unknown")
			}
			s.Labels = append(s.Labels, l)
		}
	}
	return s, nil
}

// hits plans what a search shows of each hit.
func (p *planner) hits(out *field, read *graph.Read, f graphql.CollectedField) error {
	read.Node = graph.Shape{Properties: []string{"id"}, Label: true}
	var err error
	out.fields, err = p.fixed(f.Selections, out.typename, hitLeaves, func(sub *field, hf graphql.CollectedField) error {
		if hf.Name != "node" {
			return notCompiled(sub, hf.Name)
		}
		sub.kind = kindHitNode
		return p.objectInto(sub, hf.Selections, hf.Definition.Type.Name(), nil, &read.Node)
	})
	return err
}

// targetsOf are the labels a read's nodes may have.
func targetsOf(r *graph.Read) []graph.Label {
	if r.Walk != nil {
		return r.Walk.Targets
	}
	if r.Label != "" {
		return []graph.Label{r.Label}
	}
	return nil
}

// relProperty is the relationship property an edge field shows, and
// whether it is a date; "" when the field is none.
func relProperty(name string) (string, bool) {
	for _, rt := range graph.RelationshipTypes {
		for _, p := range rt.Properties {
			if p.Name == name && p.Type != graph.TypeRefs {
				return p.Name, p.Type == graph.TypeDate
			}
		}
	}
	return "", false
}

// object plans what the selection shows of nodes of the GraphQL type
// named (an object type or an interface), which may have the labels given
// (any of the type's possible types, when nil), and the shape the read
// must return of them.
func (p *planner) object(sel ast.SelectionSet, named string, labels []graph.Label) (*object, graph.Shape, error) {
	types, err := p.typesOf(named, labels)
	if err != nil {
		return nil, graph.Shape{}, err
	}
	obj := &object{types: map[string][]field{}}
	for _, t := range types {
		obj.types[t.Name] = []field{}
	}
	if len(types) == 1 {
		obj.static = types[0].Name
	}
	shape := graph.Shape{Properties: []string{"id"}, Label: obj.static == ""}
	// A read that several types select alike is read once, for all of them.
	shared := map[string]int{}
	for _, t := range types {
		satisfies := append([]string{t.Name}, t.Interfaces...)
		for _, f := range graphql.CollectFields(p.op, sel, satisfies) {
			of, err := p.nodeField(t, f, &shape, shared)
			if err != nil {
				return nil, graph.Shape{}, err
			}
			obj.types[t.Name] = append(obj.types[t.Name], of)
		}
	}
	return obj, shape, nil
}

// objectInto plans what a field shows of nodes of the named type (among
// the labels, when not nil), and merges the shape they need into into.
func (p *planner) objectInto(sub *field, sel ast.SelectionSet, named string, labels []graph.Label, into *graph.Shape) error {
	obj, shape, err := p.object(sel, named, labels)
	if err != nil {
		return err
	}
	sub.object, *into = obj, merge(*into, shape)
	return nil
}

// nodeField plans one field of a node of type t, adding what it needs to
// the shape.
func (p *planner) nodeField(t *ast.Definition, f graphql.CollectedField, shape *graph.Shape, shared map[string]int) (field, error) {
	out := field{key: f.Alias, typ: f.Definition.Type, typename: t.Name}
	label := graph.Label(t.Name)
	if f.Name == "__typename" {
		out.kind = kindTypename
		return out, nil
	}
	if w, single, ok := resolvers.FieldWalk(t.Name, f.Name); ok {
		args := f.ArgumentMap(p.op.Variables)
		read := graph.Read{Key: p.key(), Walk: &w}
		out.name = read.Key
		if single {
			out.kind = kindSingle
			read.Args.First, read.Items = 1, true
			obj, node, err := p.object(f.Selections, f.Definition.Type.Name(), w.Targets)
			if err != nil {
				return out, err
			}
			out.object, read.Node = obj, node
		} else if err := p.connection(&out, &read, f, args, resolvers.TargetType(w), w.Targets); err != nil {
			return out, err
		}
		out.name = p.addBelow(shape, read, label, f, shared)
		return out, nil
	}
	if f.Name == "sources" {
		read := graph.Read{Key: p.key(), Sources: true}
		obj, node, err := p.object(f.Selections, "Source", nil)
		if err != nil {
			return out, err
		}
		out.kind, out.object, read.Node = kindSources, obj, node
		out.name = p.addBelow(shape, read, label, f, shared)
		return out, nil
	}
	if f.Name == "history" {
		read := graph.Read{Key: p.key()}
		if err := p.changeLog(&out, &read, f, true); err != nil {
			return out, err
		}
		out.name = p.addBelow(shape, read, label, f, shared)
		return out, nil
	}
	if f.Name == "order" && label == graph.LabelJurisdiction {
		out.kind = kindOrder
		shape.Properties = appendNew(shape.Properties, "country", "level")
		return out, nil
	}
	name, k := f.Name, kindProperty
	if base, ok := strings.CutSuffix(name, "AsKnown"); ok {
		name, k = base, kindPartialDate
	}
	prop, ok := graph.PropertyOf([]graph.Label{label}, name)
	if !ok || prop.Type == graph.TypeRefs {
		return out, decline(reasonField, "%s.%s is not compiled", t.Name, f.Name)
	}
	if prop.Type == graph.TypeDate {
		if k == kindProperty {
			k = kindDate
		}
		shape.Properties = appendNew(shape.Properties, graph.PrecisionOf(name))
	} else if k == kindPartialDate {
		return out, decline(reasonField, "%s.%s is not compiled", t.Name, f.Name)
	}
	out.kind, out.name = k, name
	shape.Properties = appendNew(shape.Properties, name)
	return out, nil
}

// addBelow adds a read below a shape, and returns its key: one read for
// every type that selects the same field alike, restricted to those types
// when the shape has others.
func (p *planner) addBelow(shape *graph.Shape, read graph.Read, label graph.Label, f graphql.CollectedField, shared map[string]int) string {
	if shape.Label {
		read.From = []graph.Label{label}
	}
	// Alike: the same field, with the same selections merged into it.
	id := fmt.Sprintf("%p/%p/%+v", f.Field, f.Selections, read.Walk)
	if i, ok := shared[id]; ok {
		shape.Below[i].From = append(shape.Below[i].From, label)
		return shape.Below[i].Key
	}
	shared[id] = len(shape.Below)
	shape.Below = append(shape.Below, read)
	return read.Key
}

// typesOf are the object types a value of the named type may have, among
// the labels given when not nil.
func (p *planner) typesOf(named string, labels []graph.Label) ([]*ast.Definition, error) {
	s := p.schema
	def := s.Types[named]
	if def == nil {
		return nil, decline(reasonField, "no type %s", named)
	}
	var out []*ast.Definition
	for _, t := range s.GetPossibleTypes(def) {
		if t.Kind != ast.Object {
			continue // an interface that implements another
		}
		if _, ok := graph.NodeTypeFor(graph.Label(t.Name)); !ok {
			return nil, decline(reasonField, "%s is not a node type", t.Name)
		}
		if labels == nil || containsLabel(labels, graph.Label(t.Name)) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, decline(reasonField, "%s has no type among %v", named, labels)
	}
	return out, nil
}

func containsLabel(labels []graph.Label, l graph.Label) bool {
	for _, x := range labels {
		if x == l {
			return true
		}
	}
	return false
}

// merge joins two shapes of the same nodes: their reads have keys of their
// own, so the reads of both are kept.
func merge(a, b graph.Shape) graph.Shape {
	a.Properties = appendNew(a.Properties, b.Properties...)
	a.Label = a.Label || b.Label
	a.Below = append(a.Below, b.Below...)
	return a
}

func appendNew(list []string, items ...string) []string {
	for _, item := range items {
		found := false
		for _, x := range list {
			if x == item {
				found = true
				break
			}
		}
		if !found {
			list = append(list, item)
		}
	}
	return list
}

// intArg reads an Int argument as the resolvers do.
func intArg(v any) (*int, error) {
	if v == nil {
		return nil, nil
	}
	n, err := resolvers.UnmarshalInt(v)
	if err != nil {
		return nil, decline(reasonArguments, "an Int argument is out of bounds")
	}
	return &n, nil
}

// stringList reads a list of strings, a single one counting as a list of
// one.
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// sortsOf reads an orderBy argument.
func sortsOf(v any) ([]resolvers.SortBy, error) {
	keys, err := sortKeysOf(v, "orderBy")
	out := make([]resolvers.SortBy, len(keys))
	for i, k := range keys {
		out[i] = resolvers.SortBy{Field: resolvers.SortField(k.field), Direction: k.direction}
		if !out[i].Field.IsValid() {
			return nil, decline(reasonArguments, "orderBy names an unknown field")
		}
	}
	return out, err
}

// edgeSortsOf reads an edgeOrderBy argument.
func edgeSortsOf(v any) ([]graph.Sort, error) {
	keys, err := sortKeysOf(v, "edgeOrderBy")
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"field": k.field}
		if k.direction != nil {
			out[i]["direction"] = string(*k.direction)
		}
	}
	return resolvers.EdgeSortsOf(out), err
}

// sortKey is one key of an order, as the argument names it.
type sortKey struct {
	field     string
	direction *resolvers.SortDirection
}

// sortKeysOf reads the keys of an order argument, a single one counting as
// a list of one.
func sortKeysOf(v any, arg string) ([]sortKey, error) {
	if v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	out := make([]sortKey, len(items))
	for i, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, decline(reasonArguments, "%s holds a value that is no sort key", arg)
		}
		out[i].field, _ = m["field"].(string)
		if d, ok := m["direction"].(string); ok {
			dir := resolvers.SortDirection(d)
			if !dir.IsValid() {
				return nil, decline(reasonArguments, "%s names an unknown direction", arg)
			}
			out[i].direction = &dir
		}
	}
	return out, nil
}

// effectOf reads a list's asOf, inEffectOn and includeUndated.
func effectOf(args map[string]any) (resolvers.Effect, error) {
	asOf, err := dayArg(args, "asOf")
	if err != nil {
		return resolvers.Effect{}, err
	}
	on, err := dayArg(args, "inEffectOn")
	if err != nil {
		return resolvers.Effect{}, err
	}
	e, err := resolvers.InEffect(asOf, on, boolArg(args, "includeUndated"))
	if err != nil {
		return e, decline(reasonArguments, "asOf and inEffectOn together")
	}
	return e, nil
}
