package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/psmgraph/psmgraph/seed"
)

// errDataProblems marks a data set with problems: exit status 1, the
// problems having been printed.
var errDataProblems = errors.New("the data set has problems")

// validate checks a data set without a database and prints every problem.
func validate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("psmgraph validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	strict := fs.Bool("strict", false, "also want evidence and a source on every claim, a source on every entity, and a date or a note on every statute and programme")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: psmgraph validate [-strict] DIR\n\nChecks the CSV data set in DIR (see docs/csv.md) and prints every problem as file:line:column: message.\nExit status: 0 clean, 1 problems found, 2 usage error.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	dir := fs.Arg(0)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		fmt.Fprintf(stderr, "psmgraph validate: %s is not a directory\n", dir)
		return errUsage
	}
	set, err := readSet(ctx, dir, seed.Checks{Strict: *strict}, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d rows, no problems\n", dir, set.Rows())
	return nil
}

// readSet reads and validates the data set in dir, printing its problems.
// It returns as soon as ctx ends (on a signal): a read blocked in the kernel
// would not see ctx, so the reading goes on alone until the process exits.
func readSet(ctx context.Context, dir string, checks seed.Checks, out io.Writer) (*seed.Set, error) {
	type result struct {
		set *seed.Set
		err error
	}
	done := make(chan result, 1)
	go func() {
		set, err := seed.ReadWith(ctx, os.DirFS(dir), checks)
		done <- result{set, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted while reading %s: nothing was written", dir)
	}
	var problems seed.Problems
	if errors.As(res.err, &problems) {
		for _, p := range problems {
			if p.File == "" {
				fmt.Fprintln(out, dir+": "+p.Message)
			} else {
				fmt.Fprintln(out, dir+"/"+p.String())
			}
		}
		fmt.Fprintf(out, "%d problems\n", len(problems))
		return nil, errDataProblems
	}
	return res.set, res.err
}
