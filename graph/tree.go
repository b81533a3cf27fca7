package graph

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A read tree asks, in one query, for everything an operation shows: lists
// of nodes, the neighbours of each node along walks, to any depth, their
// sources, and of every node and relationship only the properties shown.
// Neo4j shapes the answer, nested as the tree is; no row is read twice and
// nothing is fetched that the tree does not name.

// Read is one read of a tree: at the root a label's nodes, the nodes with
// ids, a search or an analysis; below a node the neighbours along a walk or
// the node's sources.
type Read struct {
	// Key names the read's value in its parent's map: a letter or an
	// underscore, then letters, digits and underscores.
	Key string
	// What it reads: the nodes of Label, the nodes with IDs (a null where
	// an id names none), the entities a full-text Search finds, the
	// neighbours along Walk, or the sources of the node above it when
	// Sources.
	Label   Label
	IDs     []string
	Search  *Search
	Walk    *Walk
	Sources bool
	// The analyses, at the root: the paths of a Trace, the Chains by
	// which levers affect kinds of mutual (as Store.Influences finds
	// them), and the Bearings of each lever (as Store.Bearings sums them).
	Trace    *Trace
	Chains   *InfluenceFilter
	Bearings *InfluenceFilter
	// Gaps are a gaps question's challenges; Losses the losses of an
	// impact question's node (Chains.Through), as Store.Losses finds them.
	Gaps   *GapsQuery
	Losses *InfluenceFilter
	// The change log: at the root a page of it (Log, as Store.Changes reads
	// it), its latest Revision or the Release of its head; below a node, a
	// page of the node's changes (Log, its Entity ignored).
	Log      *ChangeQuery
	Revision bool
	Release  bool
	// From restricts a read below a node to nodes of these labels: below a
	// node of another label the read's value is null.
	From []Label
	// Args pages and filters a list or a walk; only a list may ask for
	// what was in effect on a day.
	Args ListArgs
	// Items and Total say what a list or a walk returns: its page and the
	// count of the whole list. With Peek, the page holds one item more
	// when another page follows.
	Items, Total, Peek bool
	// Aggregate, when not nil, asks for figures over the whole list or
	// walk, under TreeAggregate.
	Aggregate *Aggregate
	// Rel names the relationship's properties each item of a walk returns;
	// Citations, when not nil, is what each item returns of the
	// relationship's sources, each with its locator.
	Rel       []string
	Citations *Shape
	// Node is what each node returns; of an analysis, each lever, and of
	// gaps every node: challenge, kind, measure and jurisdiction.
	Node Shape
	// Path is what each path of a trace or a chain returns; Held, when not
	// nil, what each chain returns of the jurisdictions that hold its
	// lever. Gaps return their links as Path.Rel and Path.Citations say.
	Path PathShape
	Held *Shape
}

// PathShape is what a path returns: Node of each of its nodes, and of each
// relationship its type, the ids of its ends, the properties Rel and, when
// not nil, Citations.
type PathShape struct {
	Node      Shape
	Rel       []string
	Citations *Shape
}

// Search asks the full-text indexes for the entities whose ids, names,
// aliases or descriptions match the text (see fulltext.Parse), of the
// labels given (any, when none), best first, at most First.
type Search struct {
	Text   string
	Labels []Label
	First  int
}

// Shape is what a read returns of each node it reaches: the properties
// named, the node's label when Label, and the reads below it, each under
// its key.
type Shape struct {
	Properties []string
	Label      bool
	Below      []Read
}

// The keys of a read tree's answer, beside the reads' own.
const (
	// TreeLabel is a node's label, in a shape that asks for it.
	TreeLabel = "_label"
	// TreeItems and TreeTotal are a list's or a walk's page and count.
	TreeItems = "items"
	TreeTotal = "total"
	// TreeNode, TreeRel and TreeCitations are an item's node, its
	// relationship's properties and its citations.
	TreeNode      = "node"
	TreeRel       = "rel"
	TreeCitations = "citations"
	// TreeSource and TreeLocator are a citation's source and locator.
	TreeSource  = "source"
	TreeLocator = "locator"
	// TreeScore is a search hit's score.
	TreeScore = "score"
	// TreeMatch is a search hit's match, as a tier (see MatchOfTier).
	TreeMatch = "match"
	// TreeNodes and TreeHops are a path's nodes and relationships; a hop
	// is a map of TreeType, TreeFrom and TreeTo (the ids of its start and
	// end), TreeRel and TreeCitations.
	TreeNodes = "nodes"
	TreeHops  = "hops"
	TreeType  = "type"
	TreeFrom  = "from"
	TreeTo    = "to"
	// A chain is a map of TreeNode (its lever), TreeHeld, TreeOrders,
	// TreeEffect, TreeStated and TreePath; a lever's bearings a map of
	// TreeNode, TreeOrders and TreeBearings (see BearingsOf).
	TreeHeld     = "held"
	TreeOrders   = "orders"
	TreeEffect   = "effect"
	TreeStated   = "stated"
	TreePath     = "path"
	TreeBearings = "bearings"
	// TreeEnds counts the chains of a chain's end, when a filter bounds
	// them per end.
	TreeEnds = "ends"
	// A gap is a map of TreeNode (its challenge), TreeKind, TreeHop (the
	// FACES link) and TreeMitigations: maps of TreeNode (the measure),
	// TreeHop (its MITIGATES) and TreeHeld, maps of TreeNode (the
	// jurisdiction) and TreeHop (the HELD_BY). A hop there is a map of
	// TreeType, TreeRel and TreeCitations.
	TreeKind        = "kind"
	TreeHop         = "hop"
	TreeMitigations = "mitigations"
	// A loss is a map of the ids TreeKind and TreeJurisdiction, and
	// TreeChains: chains, whose paths end at the kind and whose held
	// jurisdictions hold the jurisdiction.
	TreeJurisdiction = "jurisdiction"
	TreeChains       = "chains"
)

// A Tree is reads compiled into one query and its parameters. Running it
// changes neither, so a tree may be kept and run again, concurrently.
type Tree struct {
	Cypher string
	Params map[string]any
}

// ReadTree runs the tree's query and returns each read's value by its
// key: a list's or a walk's is a map of TreeItems (maps of TreeNode and,
// for a walk, TreeRel and TreeCitations), TreeTotal and TreeAggregate; the
// nodes of ids are a list of maps of TreeNode; a search's hits are a list of maps of
// TreeNode and TreeScore; sources are a list of nodes; an analysis's is a
// list of paths, chains or bearings. A node is a map of its properties,
// TreeLabel and its reads' keys.
func (s *Store) ReadTree(ctx context.Context, t Tree) (map[string]any, error) {
	records, err := s.read(ctx, t.Cypher, t.Params)
	if err != nil {
		return nil, err
	}
	out, _ := records[0].Values[0].(map[string]any)
	return out, nil
}

// CompileTree compiles the reads into one query and its parameters.
func CompileTree(reads []Read) (Tree, error) {
	c := treeCompiler{p: params{}}
	var calls strings.Builder
	var called []string
	parts := make([]string, len(reads))
	c.open(true)
	for i, r := range reads {
		call, err := c.call(r)
		if err != nil {
			return Tree{}, err
		}
		if call != "" {
			// A procedure or an analysis runs in a subquery of its own,
			// whose one row the others' expressions then join.
			calls.WriteString(call)
			called = append(called, r.Key)
			parts[i] = r.Key + ": " + r.Key
			continue
		}
		e, err := c.root(r)
		if err != nil {
			return Tree{}, err
		}
		parts[i] = r.Key + ": " + e
	}
	bound := strings.TrimPrefix(c.close(strings.Join(called, ", ")), " ")
	if bound != "" {
		bound += "\n"
	}
	cypher := calls.String() + bound
	if c.awaitIndexes {
		cypher = awaitLogIndex + cypher
	}
	return Tree{Cypher: cypher + "RETURN {" + strings.Join(parts, ",\n  ") + "} AS data", Params: c.p}, nil
}

// call compiles a search or an analysis into a subquery that returns its
// value under the read's key; "" for another read.
func (c *treeCompiler) call(r Read) (string, error) {
	var body string
	var err error
	c.open(false)
	defer c.close("")
	switch {
	case r.Search != nil:
		body, err = c.search(r)
	case r.Trace != nil:
		body, err = c.trace(r)
	case r.Chains != nil:
		body, err = c.chains(r)
	case r.Bearings != nil:
		body, err = c.bearings(r)
	case r.Gaps != nil:
		body, err = c.gaps(r)
	case r.Losses != nil:
		body, err = c.losses(r)
	case r.Log != nil:
		if r.Log.Entity != "" {
			c.awaitIndexes = true
		}
		before, log := changeLog(*r.Log, "", c.p)
		body = before + "RETURN " + log
	case r.Revision:
		body = latestRevision
	case r.Release:
		body = headRelease
	default:
		return "", nil
	}
	if err == nil {
		err = checkKey(r.Key)
	}
	if err != nil {
		return "", err
	}
	return "CALL () { " + body + " AS " + r.Key + " }\n", nil
}

// search compiles a search's hits, returned as one list.
func (c *treeCompiler) search(r Read) (string, error) {
	match, err := searchCypher(c.p, *r.Search)
	if err != nil {
		return "", err
	}
	shape, err := c.shape("n0", 0, r.Node)
	if err != nil {
		return "", err
	}
	return match + " RETURN collect({" + TreeNode + ": " + shape + ", " + TreeScore + ": score, " + TreeMatch + ": tier})", nil
}

// trace compiles a trace's paths, returned as one list.
func (c *treeCompiler) trace(r Read) (string, error) {
	match, err := traceCypher(*r.Trace)
	if err != nil {
		return "", err
	}
	path, err := c.path("p", r.Path)
	if err != nil {
		return "", err
	}
	return c.rename(match, traceParams(*r.Trace)) + "\nRETURN collect(" + path + ")", nil
}

// chains compiles the chains of an influence filter, returned as one list
// in chainOrder.
func (c *treeCompiler) chains(r Read) (string, error) {
	f := *r.Chains
	chain, err := c.chain(r)
	if err != nil {
		return "", err
	}
	return c.rename(influencesCypher(f), chainParams(f)) + "\nWITH x, p, js, ends ORDER BY " + chainOrder +
		"\nRETURN collect(" + chain + ")", nil
}

// chain compiles what a chain p from x, held by js, returns.
func (c *treeCompiler) chain(r Read) (string, error) {
	lever, err := c.shape("x", 0, r.Node)
	if err != nil {
		return "", err
	}
	path, err := c.path("p", r.Path)
	if err != nil {
		return "", err
	}
	parts := []string{TreeNode + ": " + lever, TreeOrders + ": [j IN js | " + orderCypher + "]",
		TreeEffect + ": last(relationships(p)).effect", TreeStated + ": " + allStated, TreePath + ": " + path}
	if r.Chains != nil && r.Chains.PerEnd > 0 {
		parts = append(parts, TreeEnds+": ends")
	}
	if r.Held != nil {
		held, err := c.shape("n0", 0, *r.Held)
		if err != nil {
			return "", err
		}
		// A jurisdiction that holds the lever twice is returned once.
		parts = append(parts, TreeHeld+": [n0 IN [i0 IN range(0, size(js) - 1) WHERE NOT js[i0] IN js[0..i0] | js[i0]] | "+held+"]")
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// losses compiles the losses of an impact question's node, returned as
// one list by kind and jurisdiction.
func (c *treeCompiler) losses(r Read) (string, error) {
	f := *r.Losses
	chain, err := c.chain(r)
	if err != nil {
		return "", err
	}
	return c.rename(lossesCypher(f), lossParams(f)) +
		"\nWITH k, j, collect(" + chain + ") AS chains" +
		"\nWITH k, j, chains ORDER BY k.id, j.id" +
		"\nRETURN collect({" + TreeKind + ": k.id, " + TreeJurisdiction + ": j.id, " + TreeChains + ": chains})", nil
}

// gaps compiles a gaps question's challenges, returned as one list.
func (c *treeCompiler) gaps(r Read) (string, error) {
	node := func(v string) (string, error) { return c.shape(v, 0, r.Node) }
	hop := func(v string) (string, error) {
		parts, err := c.rel(v, 0, r.Path.Rel, r.Path.Citations)
		return "{" + strings.Join(append([]string{TreeType + ": type(" + v + ")"}, parts...), ", ") + "}", err
	}
	shown := map[string]string{}
	for _, v := range []string{"k", "c", "x", "j"} {
		e, err := node(v)
		if err != nil {
			return "", err
		}
		shown[v] = e
	}
	for _, v := range []string{"f", "m", "h"} {
		e, err := hop(v)
		if err != nil {
			return "", err
		}
		shown[v] = e
	}
	q := *r.Gaps
	return c.rename(gapsCypher(
		"{"+TreeNode+": "+shown["j"]+", "+TreeHop+": "+shown["h"]+"}",
		"{"+TreeNode+": "+shown["x"]+", "+TreeHop+": "+shown["m"]+", "+TreeHeld+": held}",
	), gapParams(q)) +
		"\nRETURN collect({" + TreeNode + ": " + shown["c"] + ", " + TreeKind + ": " + shown["k"] + ", " +
		TreeHop + ": " + shown["f"] + ", " + TreeMitigations + ": ms})", nil
}

// bearings compiles the bearings of each lever an influence filter keeps,
// returned as one list in the levers' id order.
func (c *treeCompiler) bearings(r Read) (string, error) {
	f := *r.Bearings
	lever, err := c.shape("x", 0, r.Node)
	if err != nil {
		return "", err
	}
	return c.rename(bearingsCypher(f), chainParams(f)) + "\nWITH x, bearings, js ORDER BY x.id" +
		"\nRETURN collect({" + TreeNode + ": " + lever + ", " + TreeOrders + ": [j IN js | " + orderCypher + "], " +
		TreeBearings + ": bearings})", nil
}

// path compiles what path p returns, its nodes and hops in walking order.
func (c *treeCompiler) path(p string, s PathShape) (string, error) {
	node, err := c.shape("n0", 0, s.Node)
	if err != nil {
		return "", err
	}
	hop, err := c.rel("r0", 0, s.Rel, s.Citations)
	if err != nil {
		return "", err
	}
	hop = append([]string{TreeType + ": type(r0)", TreeFrom + ": startNode(r0).id", TreeTo + ": endNode(r0).id"}, hop...)
	return "{" + TreeNodes + ": [n0 IN nodes(" + p + ") | " + node + "], " +
		TreeHops + ": [r0 IN relationships(" + p + ") | {" + strings.Join(hop, ", ") + "}]}", nil
}

// rename gives a query's fixed parameters names of the tree's own, and
// the tree their values.
func (c *treeCompiler) rename(cypher string, fixed map[string]any) string {
	names := make([]string, 0, len(fixed))
	for name := range fixed {
		if strings.Contains(cypher, "$"+name) {
			names = append(names, name)
		}
	}
	// Longer names first, so that none is taken for the start of another.
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	pairs := make([]string, 0, 2*len(names))
	for _, name := range names {
		pairs = append(pairs, "$"+name, c.p.add(fixed[name]))
	}
	return strings.NewReplacer(pairs...).Replace(cypher)
}

type treeCompiler struct {
	p params
	// scopes are the subqueries being compiled, innermost last: each holds
	// what its rows must bind before they return (see bind), or is nil
	// where nothing may be bound.
	scopes []*[]binding
	bound  int
	// awaitIndexes is set by a read that finds the log's rows through
	// their full-text index, which the query must wait for.
	awaitIndexes bool
}

// binding is an expression that a subquery's rows bind to a name.
type binding struct{ name, expr string }

// bind returns an expression for e, which aggregates inside a subquery.
// Neo4j refuses an aggregation anywhere inside an expression that also
// reads a variable, which it would take for a grouping key, even in a
// subquery of the expression: so e is bound by a WITH of the subquery
// whose rows hold the variables it reads (at the root, of the query), and
// read by name there; a subquery that binds one is bound in turn.
func (c *treeCompiler) bind(e string) (string, error) {
	s := c.scopes[len(c.scopes)-1]
	if s == nil {
		return "", Errorf(CodeBadInput, "an aggregate is read only in a list, a walk or a node's fields, not in an analysis")
	}
	c.bound++
	name := "agg" + strconv.Itoa(c.bound)
	*s = append(*s, binding{name, e})
	return name, nil
}

// bindIf binds e, a subquery, when its rows bind expressions (bound is
// the WITH that does): Neo4j takes an aggregation for the expression's
// own however deep in its subqueries it is.
func (c *treeCompiler) bindIf(bound, e string) (string, error) {
	if bound == "" {
		return e, nil
	}
	return c.bind(e)
}

// open starts the scope of a subquery whose rows may bind expressions, or
// not; close ends it, and returns the WITH that binds them beside the
// rows' variables, "" when there are none.
func (c *treeCompiler) open(bindable bool) {
	var s *[]binding
	if bindable {
		s = &[]binding{}
	}
	c.scopes = append(c.scopes, s)
}

func (c *treeCompiler) close(vars string) string {
	s := c.scopes[len(c.scopes)-1]
	c.scopes = c.scopes[:len(c.scopes)-1]
	if s == nil || len(*s) == 0 {
		return ""
	}
	var parts []string
	if vars != "" {
		parts = append(parts, vars)
	}
	for _, b := range *s {
		parts = append(parts, b.expr+" AS "+b.name)
	}
	return " WITH " + strings.Join(parts, ", ")
}

var treeKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func checkKey(key string) error {
	if !treeKey.MatchString(key) {
		return fmt.Errorf("read key %q is not a name", key)
	}
	return nil
}

// root compiles a read at the root of the tree, where its nodes are n0.
func (c *treeCompiler) root(r Read) (string, error) {
	if err := checkKey(r.Key); err != nil {
		return "", err
	}
	switch {
	case r.IDs != nil:
		c.open(true)
		shape, err := c.shape("n0", 0, r.Node)
		bound := c.close("i0, n0")
		if err != nil {
			return "", err
		}
		ids := c.p.add(r.IDs)
		return c.bindIf(bound, "COLLECT { UNWIND range(0, size("+ids+") - 1) AS i0 OPTIONAL MATCH (n0:Entity {id: "+ids+"[i0]})"+
			" WITH i0, n0 ORDER BY i0"+bound+" RETURN {"+TreeNode+": CASE WHEN n0 IS NULL THEN null ELSE "+shape+" END} }")
	case r.Label != "":
		if _, ok := NodeTypeFor(r.Label); !ok {
			return "", fmt.Errorf("no label %q", r.Label)
		}
		match := "(n0:" + string(r.Label) + ")"
		hint, split := r.Args.listHint("n0", r.Label)
		return c.list(match, hint, split, match, "n0", "n0", 0, r, []Label{r.Label})
	}
	return "", fmt.Errorf("read %q reads no label and no ids", r.Key)
}

// below compiles a read below node v, whose nodes are n<d>.
func (c *treeCompiler) below(v string, d int, r Read) (string, error) {
	if err := checkKey(r.Key); err != nil {
		return "", err
	}
	var e string
	var err error
	switch {
	case r.Sources:
		e, err = c.sources(v, d, r.Node, func(n string) string { return n })
	case r.Walk != nil:
		e, err = c.walk(v, d, r)
	case r.Log != nil:
		c.awaitIndexes = true
		_, e = changeLog(*r.Log, v, c.p) // of an entity: nothing comes before
	default:
		err = fmt.Errorf("read %q below a node walks nowhere", r.Key)
	}
	if err != nil || len(r.From) == 0 {
		return e, err
	}
	return "CASE WHEN " + v + ":" + strings.Join(asStrings(r.From), " OR "+v+":") + " THEN " + e + " END", nil
}

// walk compiles the walk of r from node v.
func (c *treeCompiler) walk(v string, d int, r Read) (string, error) {
	if r.Args.AsOf != nil {
		return "", fmt.Errorf("read %q: a walk has no day", r.Key)
	}
	n, rel := "n"+strconv.Itoa(d), "r"+strconv.Itoa(d)
	pattern := func(rel string) string {
		return strings.NewReplacer("(p)", "("+v+")", "(n:", "("+n+":").Replace(r.Walk.pattern(rel))
	}
	counted := pattern("")
	if !r.Args.EdgeWhere.IsZero() || r.Aggregate != nil {
		counted = pattern(rel) // the count tests, or the aggregate reads, the relationship too
	}
	return c.list(pattern(rel), "", false, counted, rel+", "+n, n, d, r, r.Walk.Targets)
}

// list compiles a page, a count and an aggregate of the nodes n that match
// reaches (the page's rows are vars; count counts and aggregates, naming
// the relationship only where it must), by r's arguments; a list of a
// label's nodes reads its page with its listHint, in two parts if split.
func (c *treeCompiler) list(match, hint string, split bool, count, vars, n string, d int, r Read, labels []Label) (string, error) {
	if r.Args.First < 0 {
		return "", Errorf(CodeBadInput, "first must not be negative")
	}
	if err := r.Args.Where.Validate(labels); err != nil {
		return "", err
	}
	var start, orderBy, skip string
	var err error
	var conds []string
	if r.Walk != nil {
		rel := "r" + strconv.Itoa(d)
		start, orderBy, skip, err = r.Args.walkOrder(*r.Walk, rel)
		if err == nil {
			var edge string
			if edge, err = r.Args.edgeCondition(*r.Walk, rel, c.p); edge != "" {
				conds = append(conds, edge)
			}
		}
	} else {
		start, orderBy, skip, err = r.Args.order(labels)
	}
	if err != nil {
		return "", err
	}
	if r.Args.AsOf != nil {
		on := strings.NewReplacer("$asOf", c.p.add(*r.Args.AsOf), "$includeUndated", c.p.add(r.Args.IncludeUndated))
		conds = append(conds, on.Replace(inEffect(n)))
	}
	if !r.Args.Where.IsZero() {
		conds = append(conds, r.Args.Where.where(n, c.p, 0))
	}
	var parts []string
	if r.Items {
		c.open(true)
		item, err := c.item(n, d, r)
		bound := c.close(vars)
		if err != nil {
			return "", err
		}
		names := []string{"n.", n + "."}
		if strings.Contains(start, "$after") {
			names = append(names, "$after", c.p.add(r.Args.After))
		}
		var offset string
		if skip != "" {
			offset = c.p.add(r.Args.Offset)
			names = append(names, "$offset", offset)
		}
		rename := strings.NewReplacer(names...)
		limit := c.p.add(r.Args.First + peek(r.Peek))
		rows := "MATCH " + match + hint + whereClause(append([]string{rename.Replace(start)}, conds...)) +
			" WITH " + vars + " ORDER BY " + rename.Replace(orderBy) + " " + rename.Replace(skip) + "LIMIT " + limit
		if split {
			rows = r.Args.splitRows(match, hint, n, conds, rename.Replace(orderBy), offset, limit)
		}
		items, err := c.bindIf(bound, "COLLECT { "+rows+bound+" RETURN "+item+" }")
		if err != nil {
			return "", err
		}
		parts = append(parts, TreeItems+": "+items)
	}
	if r.Total {
		parts = append(parts, TreeTotal+": COUNT { MATCH "+count+whereClause(conds)+" }")
	}
	if r.Aggregate != nil {
		terms := aggregateTerms{labels: labels, walk: r.Walk, n: n, rel: "r" + strconv.Itoa(d),
			where: r.Args.Where, dated: r.Args.AsOf != nil}
		e, err := terms.aggregate(*r.Aggregate, count, conds)
		if err == nil {
			e, err = c.bind(e)
		}
		if err != nil {
			return "", err
		}
		parts = append(parts, TreeAggregate+": "+e)
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// peek is how many items beyond the page a read fetches to tell whether
// another page follows.
func peek(asked bool) int {
	if asked {
		return 1
	}
	return 0
}

// item compiles what one item of r returns: its node n and, for a walk, its
// relationship r<d>'s properties and citations.
func (c *treeCompiler) item(n string, d int, r Read) (string, error) {
	shape, err := c.shape(n, d, r.Node)
	if err != nil {
		return "", err
	}
	parts := []string{TreeNode + ": " + shape}
	if r.Walk != nil {
		rel, err := c.rel("r"+strconv.Itoa(d), d, r.Rel, r.Citations)
		if err != nil {
			return "", err
		}
		parts = append(parts, rel...)
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// rel compiles what relationship v at depth d returns: the properties
// named, under TreeRel, and its citations, when not nil.
func (c *treeCompiler) rel(v string, d int, props []string, citations *Shape) ([]string, error) {
	var parts []string
	for _, p := range props {
		if !relProperties[p] {
			return nil, fmt.Errorf("no relationship property %q", p)
		}
	}
	if len(props) > 0 {
		parts = append(parts, TreeRel+": "+mapProjection(v, props))
	}
	if citations != nil {
		e, err := c.sources(v, d+1, *citations, func(s string) string {
			return "{" + TreeSource + ": " + s + ", " + TreeLocator + ": " + v + "." + Locators + "[i" + strconv.Itoa(d+1) + "]}"
		})
		if err != nil {
			return nil, err
		}
		parts = append(parts, TreeCitations+": "+e)
	}
	return parts, nil
}

// sources compiles the sources of v, a node or a relationship, in the
// order of its sourceIds: each as wrap makes of its shape. An id that names
// no source is left out.
func (c *treeCompiler) sources(v string, d int, s Shape, wrap func(string) string) (string, error) {
	n, i := "n"+strconv.Itoa(d), "i"+strconv.Itoa(d)
	c.open(true)
	shape, err := c.shape(n, d, s)
	bound := c.close(i + ", " + n)
	if err != nil {
		return "", err
	}
	return c.bindIf(bound, "COLLECT { UNWIND range(0, size(coalesce("+v+".sourceIds, [])) - 1) AS "+i+
		" MATCH ("+n+":Source {id: "+v+".sourceIds["+i+"]}) WITH "+i+", "+n+" ORDER BY "+i+
		bound+" RETURN "+wrap(shape)+" }")
}

// shape compiles the map node v returns.
func (c *treeCompiler) shape(v string, d int, s Shape) (string, error) {
	parts := make([]string, 0, len(s.Properties)+len(s.Below)+1)
	for _, p := range s.Properties {
		if !nodeProperties[p] {
			return "", fmt.Errorf("no node property %q", p)
		}
		parts = append(parts, "."+p)
	}
	if s.Label {
		parts = append(parts, TreeLabel+": "+labelOf(v))
	}
	for _, r := range s.Below {
		e, err := c.below(v, d+1, r)
		if err != nil {
			return "", err
		}
		parts = append(parts, r.Key+": "+e)
	}
	return v + " {" + strings.Join(parts, ", ") + "}", nil
}
