package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
)

// authenticate puts the caller's principal in the request's context, from an
// "Authorization: Bearer" API key or token. A bad credential is refused
// outright; no credential is an anonymous caller, refused only when reads
// require authentication. What each operation needs is the resolvers' call.
//
// A page's WebSocket cannot send headers: a graphql-ws client may put the
// credential in its connection_init payload instead, as "Authorization",
// so an upgrade without the header passes with what authenticateInit
// needs to check the payload's.
func authenticate(a *auth.Authenticator, readsRequireAuth bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" && isWebSocket(r) {
			ctx := context.WithValue(r.Context(), initAuthKey{}, initAuth{authn: a, required: readsRequireAuth})
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if header == "" {
			if readsRequireAuth && r.Method != http.MethodOptions {
				unauthenticated(w, r, "an API key or token is required")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		ctx, message := principalOf(r.Context(), a, header)
		if message != "" {
			unauthenticated(w, r, message)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// principalOf puts the principal of an Authorization value in ctx; or says
// why it has none, counting the failure against the client.
func principalOf(ctx context.Context, a *auth.Authenticator, header string) (context.Context, string) {
	scheme, credential, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		authFailed(ctx)
		return ctx, "use Authorization: Bearer <API key or token>"
	}
	p, err := a.Authenticate(ctx, strings.TrimSpace(credential))
	if err != nil {
		authFailed(ctx)
		return ctx, "the API key or token is not valid"
	}
	return auth.WithPrincipal(ctx, p), ""
}

// isWebSocket reports whether r asks for a WebSocket, which only the
// graphql-ws transport serves: no other transport takes a request with an
// Upgrade header, nor the WebSocket one a request but a GET.
func isWebSocket(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

type initAuthKey struct{}

// initAuth is how to authenticate a WebSocket's connection_init.
type initAuth struct {
	authn    *auth.Authenticator
	required bool
}

// authenticateInit authenticates a graphql-ws connection by the
// "Authorization" of its connection_init payload, when its upgrade had
// none; a refusal closes the connection with the reason.
func authenticateInit(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	check, ok := ctx.Value(initAuthKey{}).(initAuth)
	if !ok {
		return ctx, nil, nil // the upgrade's header said who
	}
	header := payload.Authorization()
	if header == "" {
		if check.required {
			return ctx, nil, errors.New("an API key or token is required")
		}
		return ctx, nil, nil
	}
	ctx, message := principalOf(ctx, check.authn, header)
	if message != "" {
		return ctx, nil, errors.New(message)
	}
	return ctx, nil, nil
}

func unauthenticated(w http.ResponseWriter, r *http.Request, message string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="psmgraph"`)
	fail(w, r, http.StatusUnauthorized, string(graph.CodeUnauthenticated), message)
}
