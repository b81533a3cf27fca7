package server

import (
	"net/http"
	"strings"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
)

// authenticate puts the caller's principal in the request's context, from an
// "Authorization: Bearer" API key or token. A bad credential is refused
// outright; no credential is an anonymous caller, refused only when reads
// require authentication. What each operation needs is the resolvers' call.
func authenticate(a *auth.Authenticator, readsRequireAuth bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			if readsRequireAuth && r.Method != http.MethodOptions {
				unauthenticated(w, r, "an API key or token is required")
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		scheme, credential, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			authFailed(r)
			unauthenticated(w, r, "use Authorization: Bearer <API key or token>")
			return
		}
		p, err := a.Authenticate(r.Context(), strings.TrimSpace(credential))
		if err != nil {
			authFailed(r)
			unauthenticated(w, r, "the API key or token is not valid")
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

func unauthenticated(w http.ResponseWriter, r *http.Request, message string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="psmgraph"`)
	fail(w, r, http.StatusUnauthorized, string(graph.CodeUnauthenticated), message)
}
