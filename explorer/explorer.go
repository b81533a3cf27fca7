// Package explorer serves the web explorer: static pages, embedded in the
// binary, that use only the public GraphQL API.
package explorer

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed web
var web embed.FS

// Handler serves the explorer's files under the given prefix, such as
// "/explorer/".
func Handler(prefix string) http.Handler {
	files, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return http.StripPrefix(prefix, http.FileServerFS(files))
}
