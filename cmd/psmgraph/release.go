package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// releaseCmd writes a citable snapshot of the graph.
func releaseCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("psmgraph release", flag.ContinueOnError)
	fset.SetOutput(stderr)
	name := fset.String("name", "", "the release's name, a folder name (default: the date and the revision, 2026-11-28-r42)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: psmgraph release [flags] DIR\n\nWrites a citable snapshot of the graph in Neo4j (NEO4J_URI, or the embedded Neo4j) into a new\nfolder of DIR: the CSV data set (data/), what changed since the newest release already in DIR\n(CHANGES.txt), and manifest.json (the change log's revision, the date, the rows and the SHA-256\nof every file, the model's version). The graph notes the release, so that the API can name it.\n\nFlags:")
		fset.PrintDefaults()
	}
	cfg, err := loadConfig(fset, args)
	if err != nil {
		return err
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return errUsage
	}
	dir := fset.Arg(0)
	db, stop, err := openDatabase(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer stop()
	head, err := db.store.Head(ctx)
	if err != nil {
		return err
	}
	if head.Loading != 0 {
		return fmt.Errorf("a load is writing revision %d: release the graph once it completes (run the load again to complete it)", head.Loading)
	}
	rev := head.Revision
	now := time.Now().UTC()
	if *name == "" {
		*name = fmt.Sprintf("%s-r%d", now.Format(time.DateOnly), rev)
	}
	m, err := seed.WriteRelease(ctx, db.store, dir, *name, rev, now)
	if err != nil {
		return err
	}
	out := filepath.Join(dir, m.Name)
	// A change during the export would make the snapshot no revision's.
	if after, err := db.store.Head(ctx); err != nil || after != head {
		if err == nil {
			err = fmt.Errorf("the graph changed while the release was written (revision %d to %d): remove %s and run again", rev, after.Revision, out)
		}
		return err
	}
	manifest, err := fs.ReadFile(os.DirFS(out), seed.ManifestFile)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(manifest)
	release := graph.Release{Name: m.Name, Revision: m.Revision, At: m.Date, Manifest: hex.EncodeToString(sum[:])}
	if err := db.store.RecordRelease(ctx, release); err != nil {
		return err
	}
	rows := 0
	for _, n := range m.Rows {
		rows += n
	}
	fmt.Fprintf(stdout, "release %s of revision %d: %s, %d rows in %d files; manifest SHA-256 %x\n", m.Name, m.Revision, out, rows, len(m.Files), sum)
	return nil
}
