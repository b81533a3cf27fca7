// Package playground serves GraphiQL from files embedded in the binary, so
// that the playground works where no other host can be reached. The
// release files in web/vendor are those playground/package-lock.json pins;
// make vendor-playground copies them from npm.
package playground

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"net/url"
)

//go:embed web
var web embed.FS

// Prefix is where the playground's files are served.
const Prefix = "/playground/"

// Policy is the content security policy of the playground's files: its
// own scripts and styles only; GraphiQL's stylesheet carries its fonts and
// icons as data: URIs. The page adds a nonce for styles.
const Policy = "default-src 'self'; font-src 'self' data:; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// noncePlaceholder stands in the page for each response's nonce.
var noncePlaceholder = []byte("{{nonce}}")

// Handler serves the playground's page at / and its files under Prefix.
// The page keeps its editor in the URL: a first visit, with no operation
// there, is sent to one holding the examples.
func Handler(examples string) http.Handler {
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	page, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic(err)
	}
	static := http.StripPrefix(Prefix, http.FileServerFS(files))
	withExamples := "/?" + url.Values{"query": {examples}}.Encode()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/":
			static.ServeHTTP(w, r)
		case !r.URL.Query().Has("query"):
			http.Redirect(w, r, withExamples, http.StatusFound)
		default:
			// GraphiQL's menus add a style element, allowed by this
			// response's nonce; scripts are allowed only from the origin.
			nonce := newNonce()
			w.Header().Set("Content-Security-Policy", Policy+"; style-src 'self' 'nonce-"+nonce+"'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(bytes.ReplaceAll(page, noncePlaceholder, []byte(nonce)))
		}
	})
}

func newNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b) // never fails: see crypto/rand
	return base64.StdEncoding.EncodeToString(b)
}
