package seed

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/psmgraph/psmgraph/graph"
)

// Set is a validated data set: every row of every file, with values converted
// to their types (string, int64, float64, bool, time.Time, []string).
type Set struct {
	// Nodes holds each label's rows in file order; each row has its "id".
	Nodes map[graph.Label][]map[string]any
	Rels  map[graph.RelType][]graph.RelRow
	// Files are the names of the set's files: a set holds all of a label's
	// or a type's entities only when it has its file.
	Files map[string]bool
	// Digests are the SHA-256 of each file read, in hex.
	Digests map[string]string
}

// Rows counts the rows of the set.
func (s *Set) Rows() int {
	n := 0
	for _, rows := range s.Nodes {
		n += len(rows)
	}
	for _, rows := range s.Rels {
		n += len(rows)
	}
	return n
}

// ListSeparator separates the items of a list in a cell.
const ListSeparator = graph.ListSeparator

// idPattern is the shape of every id: a lower-case prefix, a colon, a slug.
var idPattern = regexp.MustCompile(`^[a-z]+:[a-z0-9]+([._-][a-z0-9]+)*$`)

// Read reads and validates the data set in the root of fsys: one CSV file per
// label and per relationship type, each optional, at least one present. It
// reports every problem it finds, as Problems, and returns a Set only when
// there are none.
func Read(fsys fs.FS) (*Set, error) { return ReadContext(context.Background(), fsys) }

// ReadContext is Read that stops reading when ctx ends, returning its error.
func ReadContext(ctx context.Context, fsys fs.FS) (*Set, error) {
	return ReadWith(ctx, fsys, Checks{})
}

// Checks chooses how strictly a set is read. By default a set is held to
// what makes it loadable and consistent, so that a first draft without
// sources is not refused; Strict holds it to what the shipped set must
// show: evidence and a source on every claim, a source on every entity, and
// a date, or a note saying why there is none, on every statute and
// programme.
type Checks struct {
	Strict bool
}

// ReadWith is ReadContext with the checks chosen.
func ReadWith(ctx context.Context, fsys fs.FS, checks Checks) (*Set, error) {
	r := &reader{
		ctx:    ctx,
		checks: checks,
		set: &Set{Nodes: map[graph.Label][]map[string]any{}, Rels: map[graph.RelType][]graph.RelRow{},
			Digests: map[string]string{}},
		ids: map[string]definition{},
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	files := r.files(entries)
	r.set.Files = map[string]bool{}
	for name := range files {
		r.set.Files[name] = true
	}
	// Nodes first: relationships and source lists refer to them.
	for _, nt := range graph.NodeTypes {
		if e, ok := files[nt.File]; ok {
			r.readFile(fsys, e, func(f *file) { r.nodeRows(f, nt) })
		}
	}
	r.readRelationships(fsys, files)
	r.checkRefs()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(r.problems) > 0 {
		r.problems.sort()
		return nil, r.problems
	}
	return r.set, nil
}

// files returns the folder's entries that are files of the data set, by
// name, and reports the other CSV files, and a folder that holds none.
func (r *reader) files(entries []fs.DirEntry) map[string]fs.DirEntry {
	known := map[string]bool{}
	for _, nt := range graph.NodeTypes {
		known[nt.File] = true
	}
	for _, rt := range graph.RelationshipTypes {
		known[rt.File] = true
	}
	files := map[string]fs.DirEntry{}
	for _, e := range entries {
		name := e.Name()
		switch {
		case known[name]:
			files[name] = e
		case !strings.EqualFold(path.Ext(name), ".csv"):
			// Other files, such as a README, may sit beside the data.
		case known[strings.ToLower(name)]:
			r.problem(name, 0, 0, "not a file of the data set: names are in lower case: did you mean %s?", strings.ToLower(name))
		default:
			r.problem(name, 0, 0, "unknown file: a data set has only the files listed in docs/csv.md")
		}
	}
	if len(files) == 0 {
		r.problem("", 0, 0, "no CSV file of the data set: expected names such as sources.csv and mutuals.csv (see docs/csv.md)")
	}
	return files
}

// readRelationships reads the relationship files side by side, one reader
// each: by now every node id is known and only read, and each file has its
// own links, so the files share nothing they write. Their results are merged
// in the model's order, so the outcome does not depend on the scheduling.
func (r *reader) readRelationships(fsys fs.FS, files map[string]fs.DirEntry) {
	parts := make([]*reader, len(graph.RelationshipTypes))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, rt := range graph.RelationshipTypes {
		part := &reader{ctx: r.ctx, checks: r.checks, set: &Set{Rels: map[graph.RelType][]graph.RelRow{}, Digests: map[string]string{}},
			ids: r.ids, links: map[linkKey]place{}}
		parts[i] = part
		e, ok := files[rt.File]
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			part.readFile(fsys, e, func(f *file) { part.relRows(f, rt) })
		}()
	}
	wg.Wait()
	for i, rt := range graph.RelationshipTypes {
		r.problems = append(r.problems, parts[i].problems...)
		r.refs = append(r.refs, parts[i].refs...)
		if rows := parts[i].set.Rels[rt.Type]; rows != nil {
			r.set.Rels[rt.Type] = rows
		}
		maps.Copy(r.set.Digests, parts[i].set.Digests)
	}
}

// place is where a value stands in the data set.
type place struct {
	file         string
	line, column int
}

func (p place) String() string { return fmt.Sprintf("%s:%d", p.file, p.line) }

// ref is an id a cell points at, checked once every node has been read.
type ref struct {
	at     place
	column string
	id     string
	labels []graph.Label
}

// definition is where a node id is defined, and the node's label.
type definition struct {
	at    place
	label graph.Label
}

type linkKey struct {
	t        graph.RelType
	from, to string
}

type reader struct {
	ctx      context.Context
	checks   Checks
	set      *Set
	problems Problems
	ids      map[string]definition
	links    map[linkKey]place
	refs     []ref
}

func (r *reader) problem(file string, line, column int, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
}

// file is one CSV file being read: its header and its current record.
type file struct {
	name    string
	csv     *csv.Reader
	guard   *guard
	columns map[string]int // header name → field index
	fields  int            // fields in the header
	record  []string
}

// at returns the place of field i of the current record.
func (f *file) at(i int) place {
	line, col := f.csv.FieldPos(i)
	return place{file: f.name, line: line, column: col}
}

// readFile opens one of the set's files, checks its header (against the
// columns each row will read), and hands it to rows. Only regular files are
// read: a named pipe would block the open, a device never end.
func (r *reader) readFile(fsys fs.FS, e fs.DirEntry, rows func(*file)) {
	name := e.Name()
	info, err := fs.Stat(fsys, name) // follows a symbolic link, as Open does
	switch {
	case errors.Is(err, fs.ErrNotExist) && e.Type()&fs.ModeSymlink != 0:
		r.problem(name, 0, 0, "a symbolic link to nothing: its target does not exist")
		return
	case err != nil:
		r.problem(name, 0, 0, "cannot read: %v", err)
		return
	case !info.Mode().IsRegular():
		r.problem(name, 0, 0, "not a regular file but %s: a data set holds regular files only", kindOf(info.Mode()))
		return
	}
	in, err := fsys.Open(name)
	if err != nil {
		r.problem(name, 0, 0, "cannot read: %v", err)
		return
	}
	defer func() { _ = in.Close() }()
	digest := sha256.New()
	b := bufio.NewReader(io.TeeReader(in, digest))
	if bom, _ := b.Peek(3); string(bom) == "\ufeff" {
		_, _ = b.Discard(3) // a BOM is tolerated
	}
	g := newGuard(r.ctx, b)
	c := csv.NewReader(g)
	c.FieldsPerRecord = -1 // checked here, to report the line and go on
	header, err := c.Read()
	if errors.Is(err, io.EOF) {
		r.problem(name, 0, 0, "empty file: want a header row")
		return
	}
	f := &file{name: name, csv: c, guard: g, columns: map[string]int{}, fields: len(header)}
	if err != nil {
		r.csvError(name, err)
		return
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if prev, dup := f.columns[h]; dup {
			at := f.at(i)
			r.problem(name, at.line, at.column, "column %q appears twice (first as column %d)", h, prev+1)
			continue
		}
		f.columns[h] = i
	}
	rows(f)
	r.set.Digests[name] = hex.EncodeToString(digest.Sum(nil))
}

// kindOf names what a file that is not regular is.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// next reads the next record into f, reporting malformed ones; it returns
// false at the end of the file.
func (r *reader) next(f *file) bool {
	for {
		f.guard.startRow(f.csv.InputOffset())
		record, err := f.csv.Read()
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			r.csvError(f.name, err)
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue // the reader goes on after a malformed record
			}
			return false
		}
		if len(record) != f.fields {
			at := f.at(0)
			r.problem(f.name, at.line, at.column, "row has %d fields, the header %d", len(record), f.fields)
			continue
		}
		f.record = record
		return true
	}
}

func (r *reader) csvError(name string, err error) {
	var se *stopError
	if errors.As(err, &se) {
		r.problem(name, se.line, se.column, "%s", se.msg)
		return
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = "malformed quote: " + msg + ` (a quoted field must end with " and an inner " is written "")`
		}
		r.problem(name, pe.Line, pe.Column, "%s", msg)
		return
	}
	r.problem(name, 0, 0, "%v", err)
}

// checkHeader reports columns the file lacks or does not know.
func (r *reader) checkHeader(f *file, props []graph.Property) {
	knownCols := map[string]bool{}
	for _, p := range props {
		knownCols[p.Name] = true
		if _, ok := f.columns[p.Name]; !ok && p.Required {
			r.problem(f.name, 1, 1, "missing column %q", p.Name)
		}
	}
	names := make([]string, 0, len(props))
	for _, p := range props {
		names = append(names, p.Name)
	}
	for name, i := range f.columns {
		if !knownCols[name] {
			at := f.at(i)
			r.problem(f.name, at.line, at.column, "unknown column %q: want %s", name, strings.Join(names, ", "))
		}
	}
}

func (r *reader) nodeRows(f *file, nt graph.NodeType) {
	props := nt.AllProperties()
	r.checkHeader(f, props)
	for r.next(f) {
		row, ok := r.values(f, props)
		// A row with a bad cell still defines its id, so that links to it do
		// not report a second, misleading problem.
		if r.defineID(f, nt, row) && ok {
			r.set.Nodes[nt.Label] = append(r.set.Nodes[nt.Label], row)
			if r.checks.Strict {
				for _, problem := range strictNodeProblems(nt, row) {
					at := f.at(f.columns[problem.column])
					r.problem(f.name, at.line, at.column, "%s", problem.message)
				}
			}
		}
	}
}

// defineID checks the row's id and records where it is defined.
func (r *reader) defineID(f *file, nt graph.NodeType, row map[string]any) bool {
	id, present := row["id"].(string)
	if !present {
		return false // missing column or empty cell: reported already
	}
	at := f.at(f.columns["id"])
	if err := CheckID(nt, id); err != nil {
		r.problem(f.name, at.line, at.column, "id: %v", err)
		return false
	}
	if first, dup := r.ids[id]; dup {
		r.problem(f.name, at.line, at.column, "id: %q is already defined at %s", id, first.at)
		return false
	}
	r.ids[id] = definition{at: at, label: nt.Label}
	return true
}

func (r *reader) relRows(f *file, rt graph.RelationshipType) {
	endpoints := []graph.Property{
		{Name: "from", Type: graph.TypeString, Required: true},
		{Name: "to", Type: graph.TypeString, Required: true},
	}
	r.checkHeader(f, append(endpoints, rt.Properties...))
	for r.next(f) {
		ends, okEnds := r.values(f, endpoints)
		props, okProps := r.values(f, rt.Properties)
		from, _ := ends["from"].(string)
		to, _ := ends["to"].(string)
		fromAt, toAt := f.at(f.columns["from"]), f.at(f.columns["to"])
		if from != "" {
			r.checkRef(ref{at: fromAt, column: "from", id: from, labels: rt.From})
		}
		if to != "" {
			r.checkRef(ref{at: toAt, column: "to", id: to, labels: rt.To})
		}
		if okProps {
			problems := evidenceProblems(props)
			if r.checks.Strict {
				problems = append(problems, strictLinkProblems(rt, props)...)
			}
			for _, problem := range problems {
				at := f.at(f.columns["from"])
				if i, ok := f.columns[problem.column]; ok {
					at = f.at(i)
				}
				r.problem(f.name, at.line, at.column, "%s", problem.message)
				okProps = false
			}
		}
		if !okEnds || !okProps {
			continue
		}
		key := linkKey{rt.Type, from, to}
		if first, dup := r.links[key]; dup {
			r.problem(f.name, fromAt.line, fromAt.column, "duplicate %s %s -> %s, first at %s", rt.Type, from, to, first)
			continue
		}
		r.links[key] = fromAt
		r.set.Rels[rt.Type] = append(r.set.Rels[rt.Type], graph.RelRow{From: from, To: to, Props: props})
	}
}

// values converts the current record's cells for props, reporting each bad
// one; ok is false if any was bad.
func (r *reader) values(f *file, props []graph.Property) (row map[string]any, ok bool) {
	row = make(map[string]any, len(props))
	ok = true
	for _, p := range props {
		i, present := f.columns[p.Name]
		if !present {
			continue
		}
		cell := strings.TrimSpace(f.record[i])
		at := f.at(i)
		if cell == "" {
			if p.Required {
				r.problem(f.name, at.line, at.column, "%s: required value is empty", p.Name)
				ok = false
			}
			continue
		}
		v, err := convert(p, cell)
		if err != nil {
			r.problem(f.name, at.line, at.column, "%s: %v", p.Name, err)
			ok = false
			continue
		}
		if p.Type != graph.TypeRefs {
			row[p.Name] = v
			continue
		}
		for _, id := range putCitations(row, p.Name, v.([]string)) {
			r.checkRef(ref{at: at, column: p.Name, id: id, labels: []graph.Label{p.Refs}})
		}
	}
	return row, ok
}

// convert checks a non-empty cell against its limits and turns it into a
// value of the property's type.
func convert(p graph.Property, cell string) (any, error) {
	if err := checkValue(p, cell); err != nil {
		return nil, err
	}
	switch p.Type {
	case graph.TypeString:
		return cell, nil
	case graph.TypeInt:
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", cell)
		}
		return n, nil
	case graph.TypeFloat:
		x, err := strconv.ParseFloat(cell, 64)
		if err != nil || strings.ContainsAny(cell, "xXpPnN") { // no hex, Inf or NaN
			return nil, fmt.Errorf("%q is not a number", cell)
		}
		return x, nil
	case graph.TypeBool:
		switch cell {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not true or false", cell)
	case graph.TypeDate:
		d, err := graph.ParsePartialDate(cell)
		if err != nil {
			return nil, err
		}
		if d.Precision == graph.PrecisionDay {
			return d.Day, nil
		}
		return d, nil
	case graph.TypeURL:
		u, err := url.Parse(cell)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%q is not an http or https URL", cell)
		}
		return cell, nil
	case graph.TypeEnum:
		if !slices.Contains(p.Values, cell) {
			return nil, fmt.Errorf("%q is not one of %s", cell, strings.Join(p.Values, ", "))
		}
		return cell, nil
	case graph.TypeRefs:
		if n := strings.Count(cell, ListSeparator) + 1; n > MaxListItems {
			return nil, fmt.Errorf("%d items, more than %d, the limit of a list", n, MaxListItems)
		}
		var items, ids []string
		for _, item := range strings.Split(cell, ListSeparator) {
			item = strings.TrimSpace(item)
			id, locator, cited := strings.Cut(item, LocatorSeparator)
			id, locator = strings.TrimSpace(id), strings.TrimSpace(locator)
			switch {
			case id == "":
				return nil, fmt.Errorf("empty item in %q: separate ids with %s", cell, ListSeparator)
			case len(id) > MaxIDBytes:
				return nil, fmt.Errorf("an id of %w", tooLong(len(id), MaxIDBytes, "an id"))
			case cited && locator == "":
				return nil, fmt.Errorf("%q: nothing after %s: give where the source says it, or leave %s out", item, LocatorSeparator, LocatorSeparator)
			case len(locator) > MaxLocatorBytes:
				return nil, fmt.Errorf("the locator of %s: %w", id, tooLong(len(locator), MaxLocatorBytes, "a locator"))
			case !slices.Contains(ids, id):
				ids = append(ids, id)
				items = append(items, id+LocatorSeparator+locator)
			case items[slices.Index(ids, id)] != id+LocatorSeparator+locator:
				return nil, fmt.Errorf("%s is cited twice with different locators: give one, such as %s@s. 3, s. 5", id, id)
			} // a repeated item is kept once
		}
		return items, nil
	case graph.TypeTexts:
		return texts(cell)
	}
	return nil, fmt.Errorf("the model gives %s the unknown type %q", p.Name, p.Type)
}

// texts reads a list of short texts (aliases), each at most a name long; a
// text repeated in the list is kept once.
func texts(cell string) ([]string, error) {
	if n := strings.Count(cell, ListSeparator) + 1; n > MaxListItems {
		return nil, fmt.Errorf("%d items, more than %d, the limit of a list", n, MaxListItems)
	}
	var items []string
	for _, item := range strings.Split(cell, ListSeparator) {
		switch item = strings.TrimSpace(item); {
		case item == "":
			return nil, fmt.Errorf("empty item in %q: separate items with %s", cell, ListSeparator)
		case len(item) > MaxNameBytes:
			return nil, fmt.Errorf("an item of %w", tooLong(len(item), MaxNameBytes, "a name"))
		case !slices.Contains(items, item):
			items = append(items, item)
		}
	}
	return items, nil
}

// checkRef checks a reference to a node now, when that node is defined
// already, as it is in the usual order (sources first, nodes before
// relationships); else it keeps it for checkRefs at the end.
func (r *reader) checkRef(ref ref) {
	if _, ok := r.ids[ref.id]; ok {
		r.resolve(ref)
		return
	}
	r.refs = append(r.refs, ref)
}

// checkRefs checks the references kept for the end, once every node is read.
func (r *reader) checkRefs() {
	for _, ref := range r.refs {
		r.resolve(ref)
	}
}

// resolve reports a reference that no node of the set defines, or that names
// a node of a label the column does not allow.
func (r *reader) resolve(ref ref) {
	def, ok := r.ids[ref.id]
	switch {
	case !ok:
		r.problem(ref.at.file, ref.at.line, ref.at.column, "%s: %q exists nowhere in the data set", ref.column, ref.id)
	case !slices.Contains(ref.labels, def.label):
		r.problem(ref.at.file, ref.at.line, ref.at.column, "%s: %q is a %s; want %s", ref.column, ref.id, def.label, joinLabels(ref.labels))
	}
}

func joinLabels(ls []graph.Label) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	if len(s) == 1 {
		return "a " + s[0]
	}
	return "one of " + strings.Join(s, ", ")
}

// CheckID checks that id has the shape of an id of the node type.
func CheckID(nt graph.NodeType, id string) error {
	switch {
	case len(id) > MaxIDBytes:
		return tooLong(len(id), MaxIDBytes, "an id")
	case !idPattern.MatchString(id):
		return fmt.Errorf("%q is not an id: want %s:slug, the slug in lower-case letters, digits and . _ -", id, nt.Prefix)
	case !strings.HasPrefix(id, nt.Prefix+":"):
		return fmt.Errorf("%q does not start with %q, the prefix of %s ids", id, nt.Prefix+":", nt.Label)
	}
	return nil
}

// Ref is an id a value names, which must name a node of one of Labels.
type Ref struct {
	Column string
	ID     string
	Labels []graph.Label
}

// Row validates one row given as cells by column, as Read validates a row of
// a file: unknown columns, required values, types, enumerations, dates and
// limits.
// It returns the row's typed properties and the ids its lists name, which
// the caller checks against the graph. Every problem is reported, as
// Problems without a place.
func Row(props []graph.Property, cells map[string]string) (map[string]any, []Ref, error) {
	var problems Problems
	bad := func(format string, args ...any) {
		problems = append(problems, Problem{Message: fmt.Sprintf(format, args...)})
	}
	total := 0
	for _, v := range cells {
		total += len(v)
	}
	if total > MaxRowBytes {
		bad("properties of %d bytes together, longer than %s, the limit of a row", total, size(MaxRowBytes))
		return nil, nil, problems
	}
	known := map[string]graph.Property{}
	for _, p := range props {
		known[p.Name] = p
	}
	for name := range cells {
		if _, ok := known[name]; !ok {
			bad("unknown property %q", name)
		}
	}
	row := map[string]any{}
	var refs []Ref
	for _, p := range props {
		cell := strings.TrimSpace(cells[p.Name])
		if cell == "" {
			if p.Required {
				bad("%s: a value is required", p.Name)
			}
			continue
		}
		v, err := convert(p, cell)
		if err != nil {
			bad("%s: %v", p.Name, err)
			continue
		}
		if p.Type != graph.TypeRefs {
			row[p.Name] = v
			continue
		}
		for _, id := range putCitations(row, p.Name, v.([]string)) {
			refs = append(refs, Ref{Column: p.Name, ID: id, Labels: []graph.Label{p.Refs}})
		}
	}
	if len(problems) == 0 {
		for _, problem := range evidenceProblems(row) {
			bad("%s", problem.message)
		}
	}
	if len(problems) > 0 {
		problems.sort()
		return nil, nil, problems
	}
	return row, refs, nil
}
