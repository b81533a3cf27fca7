package server

import (
	"net/http"
	"strings"

	"github.com/psmgraph/psmgraph/playground"
)

// Content security policies. The API's answers are data, never pages; the
// explorer loads only its own files and talks only to its own origin.
const (
	apiPolicy      = "default-src 'none'; frame-ancestors 'none'"
	explorerPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

// securityHeaders sets the headers that keep browsers from misreading or
// framing what psmgraph serves. The explorer and the playground load only
// their own files and talk only to their own origin.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		switch {
		case strings.HasPrefix(r.URL.Path, "/explorer"):
			h.Set("Content-Security-Policy", explorerPolicy)
		case r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, playground.Prefix):
			h.Set("Content-Security-Policy", playground.Policy)
		default:
			h.Set("Content-Security-Policy", apiPolicy)
		}
		next.ServeHTTP(w, r)
	})
}
