package resolvers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/psmgraph/psmgraph/auth"
	"github.com/psmgraph/psmgraph/graph"
	"github.com/psmgraph/psmgraph/seed"
)

// editOf lets a change through only for a caller with the curator role
// and a reason, and says who makes it and why, for the change log.
func editOf(ctx context.Context, reason *string) (graph.Edit, error) {
	p, ok := auth.From(ctx)
	if !ok {
		return graph.Edit{}, graph.Errorf(graph.CodeUnauthenticated, "changes need an API key or token with the curator role")
	}
	if !p.Has(auth.RoleCurator) {
		return graph.Edit{}, graph.Errorf(graph.CodeForbidden, "changes need the curator role")
	}
	if reason == nil || strings.TrimSpace(*reason) == "" {
		return graph.Edit{}, graph.Errorf(graph.CodeBadInput, "a change needs a reason: it is recorded with the change")
	}
	return graph.Edit{Actor: p.Subject, Reason: strings.TrimSpace(*reason)}, nil
}

// cellsOf gives a mutation's properties as the cells of a CSV row.
func cellsOf(props []PropertyInput) (map[string]string, error) {
	cells := make(map[string]string, len(props))
	for _, p := range props {
		if _, dup := cells[p.Name]; dup {
			return nil, graph.Errorf(graph.CodeBadInput, "property %q is given twice", p.Name)
		}
		cells[p.Name] = p.Value
	}
	return cells, nil
}

// validRow validates cells as a CSV row of the properties, with the same
// messages a data team's file would get.
func validRow(props []graph.Property, cells map[string]string) (map[string]any, []graph.Ref, error) {
	row, refs, err := seed.Row(props, cells)
	var problems seed.Problems
	if errors.As(err, &problems) {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.String()
		}
		return nil, nil, graph.Errorf(graph.CodeBadInput, "%s", strings.Join(msgs, "; "))
	}
	if err != nil {
		return nil, nil, err
	}
	out := make([]graph.Ref, len(refs))
	for i, r := range refs {
		out[i] = graph.Ref{ID: r.ID, Labels: r.Labels}
	}
	return row, out, nil
}

func (r *Resolver) createEntity(ctx context.Context, t EntityType, properties []PropertyInput, reason *string) (graph.Node, error) {
	edit, err := editOf(ctx, reason)
	if err != nil {
		return nil, err
	}
	nt, ok := graph.NodeTypeFor(labelOfType[t])
	if !ok {
		return nil, graph.Errorf(graph.CodeBadInput, "no entity type %s", t)
	}
	cells, err := cellsOf(properties)
	if err != nil {
		return nil, err
	}
	if err := seed.CheckID(nt, strings.TrimSpace(cells["id"])); err != nil {
		return nil, graph.Errorf(graph.CodeBadInput, "id: %v", err)
	}
	row, refs, err := validRow(nt.AllProperties(), cells)
	if err != nil {
		return nil, err
	}
	return r.Store.CreateNode(ctx, edit, nt.Label, row, refs)
}

func (r *Resolver) updateEntity(ctx context.Context, id string, properties []PropertyInput, reason *string) (graph.Node, error) {
	edit, err := editOf(ctx, reason)
	if err != nil {
		return nil, err
	}
	changes, err := cellsOf(properties)
	if err != nil {
		return nil, err
	}
	if v, ok := changes["id"]; ok && v != id {
		return nil, graph.Errorf(graph.CodeBadInput, "an entity's id cannot change")
	}
	return r.Store.UpdateNode(ctx, edit, id, func(label graph.Label, old map[string]any) (map[string]any, []graph.Ref, error) {
		nt, ok := graph.NodeTypeFor(label)
		if !ok {
			return nil, nil, graph.Errorf(graph.CodeBadInput, "%q is not an entity the model knows", id)
		}
		cells := seed.Cells(nt.AllProperties(), old)
		for name, value := range changes {
			cells[name] = value
		}
		return validRow(nt.AllProperties(), cells)
	})
}

func (r *Resolver) link(ctx context.Context, t RelationshipType, from, to string, properties []PropertyInput, reason *string) (*Hop, error) {
	edit, err := editOf(ctx, reason)
	if err != nil {
		return nil, err
	}
	rt, err := graph.RelationshipTypeOf(graph.RelType(t))
	if err != nil {
		return nil, graph.Errorf(graph.CodeBadInput, "%v", err)
	}
	cells, err := cellsOf(properties)
	if err != nil {
		return nil, err
	}
	row, refs, err := validRow(rt.Properties, cells)
	if err != nil {
		return nil, err
	}
	p, err := r.Store.Link(ctx, edit, rt, from, to, row, refs)
	if err != nil {
		return nil, err
	}
	return &toPath(p).Hops[0], nil
}

// importCSV validates uploaded CSV files as a data set and loads them, as
// psmgraph seed does. The files are written to a temporary folder first:
// Read reads a folder, so uploads and files on disk take one path.
func (r *Resolver) importCSV(ctx context.Context, files []graphql.Upload, dryRun bool, reason *string) (*ImportReport, error) {
	if dryRun && (reason == nil || strings.TrimSpace(*reason) == "") {
		dry := "a dry run"
		reason = &dry // it writes nothing
	}
	edit, err := editOf(ctx, reason)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "psmgraph-import-*")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	root, err := os.OpenRoot(dir) // an upload's name cannot lead out of it
	if err != nil {
		return nil, err
	}
	defer func() { _ = root.Close() }()
	for _, f := range files {
		name := filepath.Base(f.Filename)
		if name != f.Filename || !strings.EqualFold(filepath.Ext(name), ".csv") {
			return nil, graph.Errorf(graph.CodeBadInput, "%q: upload CSV files named as in the data set's layout", f.Filename)
		}
		err := saveUpload(root, name, f.File)
		if errors.Is(err, fs.ErrExist) {
			return nil, graph.Errorf(graph.CodeBadInput, "%q is uploaded twice", name)
		}
		if err != nil {
			return nil, err
		}
	}
	report := &ImportReport{DryRun: dryRun, Problems: []string{}}
	set, err := seed.ReadContext(ctx, root.FS())
	var problems seed.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			report.Problems = append(report.Problems, p.String())
		}
		return report, nil
	}
	if err != nil {
		return nil, err
	}
	sum, err := seed.Load(ctx, r.Store, set, seed.Options{DryRun: dryRun, Edit: edit})
	if err != nil && !dryRun {
		return nil, stoppedPartWay(err, sum)
	}
	if err != nil {
		return nil, err
	}
	nodes, rels := sum.Totals()
	report.Ok, report.Nodes, report.Relationships = true, &nodes, &rels
	return report, nil
}

// stoppedPartWay adds to the error of a load that stopped what the batches
// before it wrote, keeping its code: each batch commits alone.
func stoppedPartWay(err error, sum seed.Summary) error {
	msg := "internal error"
	var e *graph.Error
	if errors.As(err, &e) {
		msg = e.Message
	}
	nodes, rels := sum.Totals()
	return &graph.Error{Code: graph.ErrorCode(err), Err: err, Message: fmt.Sprintf(
		"%s; the import stopped part-way, having written nodes (%d created, %d updated) and relationships (%d created, %d updated): "+
			"importing the same files again completes it", msg, nodes.Created, nodes.Updated, rels.Created, rels.Updated)}
}

// saveUpload copies an upload to a new file of root; a second upload of the
// same name finds it taken.
func saveUpload(root *os.Root, name string, r io.Reader) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
