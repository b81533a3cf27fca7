package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/psmgraph/psmgraph/seed"
)

// exitStatus ends the command with this status, what it means having been
// printed.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

// diffCmd prints what loading one data set over another would change.
func diffCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("psmgraph diff", flag.ContinueOnError)
	fset.SetOutput(stderr)
	asJSON := fset.Bool("json", false, "print the changes as JSON")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: psmgraph diff [-json] A B\n\nLists what loading the CSV data set in B over the one in A would change: entities and links\nadded, changed property by property, and removed (which a load removes only with -prune).\nExit status: 0 no differences, 1 differences, 2 trouble (usage, or a set that does not validate).")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return exitStatus(2)
	}
	if fset.NArg() != 2 {
		fset.Usage()
		return exitStatus(2)
	}
	var sets [2]*seed.Set
	for i, dir := range fset.Args() {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			fmt.Fprintf(stderr, "psmgraph diff: %s is not a directory\n", dir)
			return exitStatus(2)
		}
		set, err := readSet(ctx, dir, seed.Checks{}, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "psmgraph diff:", err)
			return exitStatus(2)
		}
		sets[i] = set
	}
	d := seed.DiffSets(sets[0], sets[1])
	if err := writeDiff(stdout, d, *asJSON, 0); err != nil {
		return err
	}
	if len(d.Changes) > 0 {
		return exitStatus(1)
	}
	return nil
}

// writeDiff writes a diff as JSON or for a person, at most limit changes
// of it for a person (all, when limit is 0).
func writeDiff(w io.Writer, d seed.Diff, asJSON bool, limit int) error {
	if !asJSON {
		return d.WriteText(w, limit)
	}
	if d.Changes == nil {
		d.Changes = []seed.Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
