// Package compile answers GraphQL read operations with one Cypher query
// each, and writes the answer straight to JSON. The planner turns a
// validated operation (its fragments, aliases, variables, directives and
// arguments) into one read tree, which graph compiles into one
// parameterised query; Neo4j shapes the answer, nested as the operation is;
// the writer renders it in the selection's order, without a resolver per
// field. What the planner does not cover (mutations, introspection, and
// arguments the resolvers refuse) goes to gqlgen's resolvers, as does an
// answer the data makes invalid, such as a missing non-null value, for the
// resolvers to report field by field.
package compile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/operation"
)

// Reader runs a compiled read tree.
type Reader interface {
	ReadTree(ctx context.Context, tree graph.Tree) (map[string]any, error)
}

// Options configure the compiled path.
type Options struct {
	// Logger notes, at debug level, each operation the planner declines
	// and why.
	Logger *slog.Logger
	// Declined, when set, hears of each declined operation's reason, one
	// of a few words that a metric counts, and the detail.
	Declined func(reason, detail string)
}

// New returns the schema that answers what the planner covers with one
// query and the rest with next, the resolvers.
func New(next graphql.ExecutableSchema, store Reader, o Options) graphql.ExecutableSchema {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &schema{ExecutableSchema: next, store: store, o: o, plans: operation.NewCache[planned]()}
}

type schema struct {
	graphql.ExecutableSchema
	store Reader
	o     Options
	// plans keeps each operation's plan, or why it was declined, by its
	// document, name and variables, which are all a plan depends on: a
	// repeated read is neither planned nor compiled to Cypher again.
	// operation.NewCache bounds it.
	plans graphql.Cache[planned]
}

// planned is an operation's plan, or why the planner declined it.
type planned struct {
	plan *plan
	err  error
}

// Exec answers the operation in the context, which gqlgen has parsed,
// validated and measured.
func (s *schema) Exec(ctx context.Context) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	p, err := s.planned(ctx, op)
	if err != nil {
		s.declined(ctx, err)
		return s.ExecutableSchema.Exec(ctx)
	}
	answered := false
	return func(ctx context.Context) *graphql.Response {
		if answered {
			return nil
		}
		answered = true
		data, err := s.run(ctx, p)
		var d declined
		if errors.As(err, &d) {
			s.declined(ctx, err)
			return s.ExecutableSchema.Exec(ctx)(ctx)
		}
		if err != nil {
			return s.failed(ctx, p, err)
		}
		return &graphql.Response{Data: data}
	}
}

// planned returns the operation's kept plan, or plans it and keeps it.
func (s *schema) planned(ctx context.Context, op *graphql.OperationContext) (*plan, error) {
	if op.Operation == nil || op.Operation.Operation != ast.Query {
		return nil, decline(reasonOperation, "not a query")
	}
	key, ok := operation.Key(op)
	if !ok {
		return s.plan(op)
	}
	if kept, ok := s.plans.Get(ctx, key); ok {
		return kept.plan, kept.err
	}
	p, err := s.plan(op)
	s.plans.Add(ctx, key, planned{plan: p, err: err})
	return p, err
}

// plan compiles the operation and its Cypher; a panic of the argument
// reader (a variable of a type it does not expect) declines it.
func (s *schema) plan(op *graphql.OperationContext) (p *plan, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, decline(reasonArguments, "planning panicked: %v", v)
		}
	}()
	if p, err = planOperation(s.Schema(), op); err != nil || len(p.reads) == 0 {
		return p, err
	}
	p.tree, p.treeErr = graph.CompileTree(p.reads)
	return p, nil
}

func (s *schema) run(ctx context.Context, p *plan) (json.RawMessage, error) {
	var answer map[string]any
	if len(p.reads) > 0 {
		var err error
		if p.treeErr != nil {
			return nil, p.treeErr
		}
		if answer, err = s.store.ReadTree(ctx, p.tree); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if err := p.write(&b, s.Schema(), answer); err != nil {
		if errors.As(err, new(declined)) {
			return nil, err
		}
		return nil, decline(reasonData, "%v", err)
	}
	return b.Bytes(), nil
}

// failed answers an operation whose query failed: each root field that
// reads fails with the error, as its resolver would.
func (s *schema) failed(ctx context.Context, p *plan, err error) *graphql.Response {
	nullable := true
	for _, f := range p.fields {
		if f.kind == kindTypename {
			continue
		}
		nullable = nullable && !f.typ.NonNull
		e := &gqlerror.Error{Err: err, Message: err.Error(), Path: ast.Path{ast.PathName(f.key)}}
		if f.at != nil {
			e.Locations = []gqlerror.Location{{Line: f.at.Line, Column: f.at.Column}}
		}
		graphql.AddError(ctx, e)
	}
	if !nullable {
		return &graphql.Response{Data: json.RawMessage("null")}
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range p.fields {
		(&writer{b: &b}).key(i, f.key)
		if f.kind == kindTypename {
			b.WriteString(`"Query"`)
		} else {
			b.WriteString("null")
		}
	}
	b.WriteByte('}')
	return &graphql.Response{Data: b.Bytes()}
}

func (s *schema) declined(ctx context.Context, err error) {
	var d declined
	errors.As(err, &d)
	s.o.Logger.DebugContext(ctx, "resolvers answer the operation", "reason", d.reason, "detail", d.detail)
	if s.o.Declined != nil {
		s.o.Declined(d.reason, d.detail)
	}
}
