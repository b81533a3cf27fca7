package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/internal/operation"
	"github.com/psmgraph/psmgraph/telemetry"
)

// operationName notes the operation's name in the request's record: the
// one the client sent, else the one its document gives.
type operationName struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = operationName{}

func (operationName) ExtensionName() string                   { return "OperationName" }
func (operationName) Validate(graphql.ExecutableSchema) error { return nil }

func (operationName) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	name := p.OperationName
	if name == "" {
		// A document that fails to parse or validate still names its
		// operation in its first words, for the log and the metrics.
		name = leadingName(p.Query)
	}
	telemetry.RecordOf(ctx).SetOperation(name)
	return nil
}

// leadingName is the name a document's first operation gives itself, if it
// starts with one: "query Name", "mutation Name" or "subscription Name". It
// scans by hand, as every request without an operation name pays for it.
func leadingName(doc string) string {
	const space = " \t\r\n"
	rest := strings.TrimLeft(doc, space)
	i := strings.IndexAny(rest, space)
	if i < 0 {
		return ""
	}
	switch rest[:i] {
	case "query", "mutation", "subscription":
	default:
		return ""
	}
	rest = strings.TrimLeft(rest[i:], space)
	end := 0
	for end < len(rest) && nameChar(rest[end], end == 0) {
		end++
	}
	return rest[:end]
}

// nameChar reports whether c may stand in a GraphQL name, at its start or
// further on.
func nameChar(c byte, first bool) bool {
	return c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || !first && '0' <= c && c <= '9'
}

func (operationName) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil {
		telemetry.RecordOf(ctx).SetOperation(op.Operation.Name)
	}
	return nil
}

// MaxTokens bounds the length of an operation's text in tokens, checked
// while parsing, so that a document of thousands of aliases is refused
// before validation, whose cost grows with the square of their number.
const MaxTokens = 5000

// GraphQL serves GraphQL over GET and POST, with parsed queries cached,
// automatic persisted queries, and errors presented with their codes;
// introspection is answered only when allowed. New wraps it in the HTTP
// limits; tests may use it bare.
func GraphQL(schema graphql.ExecutableSchema, log *slog.Logger, introspection bool, extensions ...graphql.HandlerExtension) http.Handler {
	h := handler.New(schema)
	h.AddTransport(transport.Options{})
	h.AddTransport(transport.GET{})
	// Subscriptions are server-sent events, a POST that accepts
	// text/event-stream, so it comes before POST; or graphql-ws over a
	// WebSocket, whose Origin New checks against the CORS list (the CORS
	// middleware does not see upgrades).
	h.AddTransport(transport.SSE{})
	h.AddTransport(transport.POST{})
	h.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		InitFunc:              authenticateInit,
		Implementation:        transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true}},
	})
	// CSV imports arrive as multipart uploads; the request's body limit
	// bounds them.
	h.AddTransport(transport.MultipartForm{MaxMemory: 32 << 20})
	h.SetQueryCache(operation.NewCache[*ast.QueryDocument]())
	h.SetParserTokenLimit(MaxTokens)
	if introspection {
		h.Use(extension.Introspection{})
	} else {
		// Without the extension gqlgen refuses introspection too, but as an
		// error without a code. Field suggestions would tell the schema
		// piecemeal.
		h.Use(noIntrospection{})
		h.SetDisableSuggestion(true)
	}
	h.Use(operationName{})
	h.Use(traceOperations{})
	h.Use(&shapeLimit{})
	h.Use(extension.AutomaticPersistedQuery{Cache: operation.NewCache[string]()})
	for _, e := range extensions {
		h.Use(e)
	}
	h.SetErrorPresenter(presentError)
	h.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", v, "request_id", RequestID(ctx))
		return &graph.Error{Code: graph.CodeInternal, Message: "internal error", Err: fmt.Errorf("panic: %v", v)}
	})
	return h
}

// presentError gives every error a machine-readable extensions.code. A
// graph.Error shows its client-safe message; anything unexpected is shown
// only as "internal error", so clients never see Cypher or driver text, and
// noted for the request's one log line.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	out := present(ctx, err)
	if code, ok := out.Extensions["code"].(string); ok {
		telemetry.RecordOf(ctx).Fail(code)
	}
	return out
}

func present(ctx context.Context, err error) *gqlerror.Error {
	out := graphql.DefaultErrorPresenter(ctx, err)
	var ge *graph.Error
	if errors.As(err, &ge) {
		out.Message = ge.Message
		setCode(out, string(ge.Code))
		if ge.Code == graph.CodeInternal || ge.Code == graph.CodeUnavailable {
			telemetry.RecordOf(ctx).Fault(err)
		}
		return out
	}
	// Parse and validation errors come with gqlgen's codes; keep them.
	if _, ok := out.Extensions["code"]; ok {
		return out
	}
	// gqlgen's own errors about the request, such as a body that is not
	// JSON, wrap nothing; a resolver's errors wrap theirs.
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil && len(gqlErr.Path) == 0 {
		// gqlgen quotes an undecodable body back whole: the client has it.
		out.Message, _, _ = strings.Cut(out.Message, " body:")
		setCode(out, string(graph.CodeBadInput))
		return out
	}
	telemetry.RecordOf(ctx).Fault(err)
	out.Message = "internal error"
	setCode(out, string(graph.CodeInternal))
	return out
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}
