// Package seed is the CSV side of the knowledge graph: the shipped data set,
// and the reader, validator, loader and exporter that data teams use to seed
// and refresh the graph. The layout is documented in docs/csv.md, generated
// from the model in package graph.
package seed

import (
	"embed"
	"io/fs"
)

//go:embed data/*.csv
var shipped embed.FS

// Shipped returns the data set that ships with psmgraph: the entities of the
// source paper and the facts that enrich it, each with its sources.
func Shipped() fs.FS {
	sub, err := fs.Sub(shipped, "data")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}
