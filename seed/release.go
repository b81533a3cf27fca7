package seed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// A release is a citable snapshot of the graph: its CSV data set (data/),
// what changed since the previous release in the same folder
// (CHANGES.txt), and a manifest (manifest.json) that names the change
// log's revision it snapshots and the SHA-256 of every file.

// Manifest describes a release.
type Manifest struct {
	Name string `json:"name"`
	// Revision is the change log's latest revision when the snapshot was
	// taken; 0 before the first.
	Revision int       `json:"revision"`
	Date     time.Time `json:"date"`
	// Model is the SHA-256 of the data set's documentation (docs/csv.md),
	// which changes when the model does.
	Model string `json:"model"`
	// Rows counts each file's rows; Files gives each file's SHA-256, by
	// its path in the release.
	Rows  map[string]int    `json:"rows"`
	Files map[string]string `json:"files"`
	// Previous names the release CHANGES.txt compares with; "" for the
	// first in its folder.
	Previous string `json:"previous,omitempty"`
}

// The files of a release.
const (
	ManifestFile = "manifest.json"
	ChangesFile  = "CHANGES.txt"
	DataDir      = "data"
)

// WriteRelease writes the release name of the graph into dir/name: the
// data set, the changes since the newest release already in dir, and the
// manifest last, so that a folder without one is no release.
func WriteRelease(ctx context.Context, g Exporter, dir, name string, revision int, now time.Time) (Manifest, error) {
	m := Manifest{Name: name, Revision: revision, Date: now.UTC(), Rows: map[string]int{}, Files: map[string]string{}}
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return m, fmt.Errorf("%q is not a release name: one folder name", name)
	}
	previous, err := LatestRelease(dir)
	if err != nil {
		return m, err
	}
	out := filepath.Join(dir, name)
	if _, err := os.Stat(out); err == nil {
		return m, fmt.Errorf("%s exists: a release is never overwritten", out)
	}
	if _, err := Export(ctx, g, filepath.Join(out, DataDir)); err != nil {
		return m, err
	}
	current, err := Read(os.DirFS(filepath.Join(out, DataDir)))
	if err != nil {
		return m, fmt.Errorf("the release's data set: %w", err)
	}
	var changes strings.Builder
	if previous == nil {
		fmt.Fprintf(&changes, "%s: the first release in this folder.\n", name)
	} else {
		m.Previous = previous.Name
		before, err := Read(os.DirFS(filepath.Join(dir, previous.Name, DataDir)))
		if err != nil {
			return m, fmt.Errorf("release %s: %w", previous.Name, err)
		}
		fmt.Fprintf(&changes, "%s: changes since %s (revision %d to %d)\n\n", name, previous.Name, previous.Revision, revision)
		if err := DiffSets(before, current).WriteText(&changes, 0); err != nil {
			return m, err
		}
	}
	if err := os.WriteFile(filepath.Join(out, ChangesFile), []byte(changes.String()), 0o600); err != nil {
		return m, err
	}
	var docs strings.Builder
	if err := WriteDocs(&docs); err != nil {
		return m, err
	}
	m.Model = sha256Hex([]byte(docs.String()))
	for _, nt := range graph.NodeTypes {
		m.Rows[DataDir+"/"+nt.File] = len(current.Nodes[nt.Label])
	}
	for _, rt := range graph.RelationshipTypes {
		m.Rows[DataDir+"/"+rt.File] = len(current.Rels[rt.Type])
	}
	release := os.DirFS(out)
	err = fs.WalkDir(release, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(release, path)
		m.Files[path] = sha256Hex(data)
		return err
	})
	if err != nil {
		return m, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	return m, os.WriteFile(filepath.Join(out, ManifestFile), append(b, '\n'), 0o600)
}

// LatestRelease is the manifest of the newest release in dir, by date;
// nil when dir holds none.
func LatestRelease(dir string) (*Manifest, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []Manifest
	releases := os.DirFS(dir)
	for _, e := range entries {
		data, err := fs.ReadFile(releases, e.Name()+"/"+ManifestFile)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var m Manifest
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, e.Name(), ManifestFile), err)
		}
		all = append(all, m)
	}
	if len(all) == 0 {
		return nil, nil
	}
	latest := slices.MaxFunc(all, func(a, b Manifest) int { return a.Date.Compare(b.Date) })
	return &latest, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
