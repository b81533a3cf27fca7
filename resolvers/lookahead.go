package resolvers

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/psmgraph/psmgraph/graph"
)

// The look-ahead: when a resolver has fetched a page of nodes, it reads the
// request's selection below them and fetches, level by level, every
// relationship field and every source asked for, one query per field and
// level for all the parents at once, then primes the request's cache. The
// field resolvers below then answer from the cache. So a request costs one
// query per relationship field per level, whatever the number of items, and
// that bound holds deterministically (a data loader's time window does not).

type lookahead struct {
	ctx     context.Context
	op      *graphql.OperationContext
	l       *loaders
	sources map[string]bool
}

func (r *Resolver) newLookahead(ctx context.Context) *lookahead {
	return &lookahead{ctx: ctx, op: graphql.GetOperationContext(ctx), l: loadersOf(ctx), sources: map[string]bool{}}
}

// prefetchConnection prefetches what a connection's selection asks for below
// its edges.
func (r *Resolver) prefetchConnection(ctx context.Context, sel ast.SelectionSet, edges []graph.Edge) error {
	la := r.newLookahead(ctx)
	if err := la.connection(sel, edges); err != nil {
		return err
	}
	return la.primeSources()
}

// prefetchNodes prefetches what a selection asks for below the nodes.
func (r *Resolver) prefetchNodes(ctx context.Context, sel ast.SelectionSet, nodes []graph.Node) error {
	la := r.newLookahead(ctx)
	if err := la.nodes(sel, nodes); err != nil {
		return err
	}
	return la.primeSources()
}

func (la *lookahead) connection(sel ast.SelectionSet, edges []graph.Edge) error {
	for _, f := range graphql.CollectFields(la.op, sel, nil) {
		if f.Name != "edges" {
			continue
		}
		for _, ef := range graphql.CollectFields(la.op, f.Selections, nil) {
			switch ef.Name {
			case "sources", "citations":
				for _, e := range edges {
					la.addSources(e.SourceIDs)
				}
			case "node":
				if err := la.nodes(ef.Selections, nodesOf(edges)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// fieldWalk is one relationship field, selected on nodes of one type.
type fieldWalk struct {
	field   graphql.CollectedField
	parents []string
}

// walkPlan is one query: a walk and its paging, for every parent that
// selects it, whatever their types.
type walkPlan struct {
	wf    walkField
	args  graph.PageArgs
	parts []fieldWalk
}

func (la *lookahead) nodes(sel ast.SelectionSet, nodes []graph.Node) error {
	if len(nodes) == 0 {
		return nil
	}
	byType := map[string][]graph.Node{}
	var types []string
	for _, n := range nodes {
		t := typeName(n)
		if _, seen := byType[t]; !seen {
			types = append(types, t)
		}
		byType[t] = append(byType[t], n)
	}
	plans := map[string]*walkPlan{}
	var order []string
	for _, t := range types {
		group := byType[t]
		for _, f := range graphql.CollectFields(la.op, sel, []string{t, "Entity", "Node"}) {
			if f.Name == "sources" {
				for _, n := range group {
					la.addSources(entityOf(n).SourceIDs)
				}
				continue
			}
			wf, ok := walkFields[t][f.Name]
			if !ok {
				continue
			}
			args := singleArgs
			if !wf.single {
				var err error
				if args, err = fieldPageArgs(f, la.op.Variables, wf.walk); err != nil {
					continue // the field's resolver reports the bad argument
				}
			}
			key := walkKey(wf.walk, args)
			plan, ok := plans[key]
			if !ok {
				plan = &walkPlan{wf: wf, args: args}
				plans[key] = plan
				order = append(order, key)
			}
			ids := make([]string, len(group))
			for i, n := range group {
				ids[i] = n.GetID()
			}
			plan.parts = append(plan.parts, fieldWalk{field: f, parents: ids})
		}
	}
	for _, key := range order {
		if err := la.walk(plans[key]); err != nil {
			return err
		}
	}
	return nil
}

// walk fetches one plan's pages for all its parents in one query, primes the
// cache with each parent's page, and goes on below each field.
func (la *lookahead) walk(plan *walkPlan) error {
	seen := map[string]bool{}
	var ids []string
	for _, part := range plan.parts {
		for _, id := range part.parents {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if pages, ok := la.primedPages(plan, ids); ok {
		return la.below(plan, pages)
	}
	ctx := la.ctx
	if !plan.wf.single && !slices.ContainsFunc(plan.parts, func(p fieldWalk) bool { return selectsTotal(p.field.Selections) }) {
		ctx = graph.WithoutTotal(ctx)
	}
	pages, err := la.l.store.Neighbours(ctx, plan.wf.walk, ids, plan.args)
	if err != nil {
		return err
	}
	for _, id := range ids {
		la.l.prime(plan.wf.walk, plan.args, id, pages[id])
	}
	return la.below(plan, pages)
}

// primedPages returns the plan's pages when every parent's is in the cache
// already, fetched with the list above them.
func (la *lookahead) primedPages(plan *walkPlan, ids []string) (map[string]graph.Page[graph.Edge], bool) {
	pages := make(map[string]graph.Page[graph.Edge], len(ids))
	for _, id := range ids {
		page, ok := la.l.primed(plan.wf.walk, plan.args, id)
		if !ok {
			return nil, false
		}
		pages[id] = page
	}
	return pages, true
}

// below goes on below each field of the plan, into its pages' nodes.
func (la *lookahead) below(plan *walkPlan, pages map[string]graph.Page[graph.Edge]) error {
	var err error
	for _, part := range plan.parts {
		var children []graph.Edge
		for _, id := range part.parents {
			children = append(children, pages[id].Items...)
		}
		if plan.wf.single {
			err = la.nodes(part.field.Selections, nodesOf(children))
		} else {
			err = la.connection(part.field.Selections, children)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (la *lookahead) addSources(ids []string) {
	for _, id := range ids {
		la.sources[id] = true
	}
}

// primeSources fetches every source the selection asked for, in one query.
func (la *lookahead) primeSources() error {
	var ids []string
	for id := range la.sources {
		if !la.l.hasNode(id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := la.l.store.Nodes(la.ctx, ids)
	if err != nil {
		return err
	}
	for _, n := range found {
		la.l.primeNode(n)
	}
	return nil
}

// branchesOfConnection is what a connection's selection asks for below
// the nodes of its edges, of the given types, as branches that a read
// fetches with the nodes themselves.
func (la *lookahead) branchesOfConnection(sel ast.SelectionSet, types []string) []graph.Branch {
	var out []graph.Branch
	for _, f := range graphql.CollectFields(la.op, sel, nil) {
		if f.Name != "edges" {
			continue
		}
		for _, ef := range graphql.CollectFields(la.op, f.Selections, nil) {
			if ef.Name == "node" {
				out = append(out, la.branchesOfNodes(ef.Selections, types)...)
			}
		}
	}
	return out
}

// branchesOfNodes is what a selection asks for below nodes of the given
// types: one branch per relationship field and type, fields of one walk
// and paging merged. A field whose arguments are wrong is left out, for its
// resolver to report.
func (la *lookahead) branchesOfNodes(sel ast.SelectionSet, types []string) []graph.Branch {
	var out []graph.Branch
	index := map[string]int{}
	for _, t := range types {
		for _, f := range graphql.CollectFields(la.op, sel, []string{t, "Entity", "Node"}) {
			wf, ok := walkFields[t][f.Name]
			if !ok {
				continue
			}
			args := singleArgs
			if !wf.single {
				var err error
				if args, err = fieldPageArgs(f, la.op.Variables, wf.walk); err != nil || !validArgs(args, wf.walk) {
					continue
				}
			}
			targets := make([]string, len(wf.walk.Targets))
			for i, l := range wf.walk.Targets {
				targets[i] = string(l)
			}
			var below []graph.Branch
			total := false
			if wf.single {
				below = la.branchesOfNodes(f.Selections, targets)
			} else {
				below = la.branchesOfConnection(f.Selections, targets)
				total = selectsTotal(f.Selections)
			}
			key := t + "|" + walkKey(wf.walk, args)
			if i, ok := index[key]; ok {
				out[i].Total = out[i].Total || total
				out[i].Below = append(out[i].Below, below...)
				continue
			}
			index[key] = len(out)
			out = append(out, graph.Branch{Walk: wf.walk, Args: args, From: []graph.Label{graph.Label(t)}, Total: total, Below: below})
		}
	}
	return out
}

// validArgs reports whether the store will take a branch's paging: a
// filter and an order on properties its targets have.
func validArgs(args graph.PageArgs, w graph.Walk) bool {
	if args.Where.Validate(w.Targets) != nil {
		return false
	}
	for _, s := range args.OrderBy {
		if p, ok := graph.PropertyOf(w.Targets, s.Property); !ok || p.Type == graph.TypeRefs {
			return false
		}
	}
	return true
}

// selectsTotal reports whether a connection's selection asks for its
// totalCount, in a fragment or not, whatever the fragment's type condition.
// Each fragment is looked into once, so that fragments spreading each other
// many times over cost one look each.
func selectsTotal(sel ast.SelectionSet) bool {
	return selectsTotalIn(sel, map[string]bool{})
}

func selectsTotalIn(sel ast.SelectionSet, seen map[string]bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "totalCount" {
				return true
			}
		case *ast.InlineFragment:
			if selectsTotalIn(s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !seen[s.Name] {
				seen[s.Name] = true
				if selectsTotalIn(s.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}

// fieldPageArgs reads a connection field's first, after and where arguments,
// with their defaults, as the field's resolver will receive them.
func fieldPageArgs(f graphql.CollectedField, vars map[string]any, w graph.Walk) (graph.PageArgs, error) {
	m := f.ArgumentMap(vars)
	var first *int
	switch v := m["first"].(type) {
	case int64:
		n := int(v)
		first = &n
	case int:
		first = &v
	case json.Number:
		n64, err := v.Int64()
		if err != nil {
			return graph.PageArgs{}, err
		}
		n := int(n64)
		first = &n
	}
	after, _ := m["after"].(string)
	var orderBy []SortBy
	for _, raw := range listOf(m["orderBy"]) {
		s := asMap(raw)
		field, _ := stringOf(s["field"])
		by := SortBy{Field: SortField(field)}
		if dir, ok := stringOf(s["direction"]); ok {
			d := SortDirection(dir)
			by.Direction = &d
		}
		orderBy = append(orderBy, by)
	}
	args, err := PageArgsOf(first, &after, orderBy)
	if err != nil {
		return args, err
	}
	args.Where, err = FilterOf(TargetType(w), asMap(m["where"]))
	return args, err
}

// typeName is the GraphQL type of a node: its Go type's name, which is its
// label.
func typeName(n graph.Node) string { return reflect.TypeOf(n).Name() }

// entityOf returns what every node has.
func entityOf(n graph.Node) graph.Entity {
	return reflect.ValueOf(n).FieldByName("Entity").Interface().(graph.Entity)
}
