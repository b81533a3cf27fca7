// Command psmgraph serves the public service mutuals knowledge graph over
// GraphQL. See `psmgraph help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `psmgraph: a GraphQL API over a Neo4j knowledge graph of public service mutuals
and the policy levers that affect them.

Usage:
  psmgraph serve [flags]      serve the API; with no NEO4J_URI, start the embedded Neo4j
  psmgraph validate DIR       check a CSV data set without a database
  psmgraph seed [DIR]         validate a CSV data set and load it (default: the shipped set)
  psmgraph export DIR         write the graph as a CSV data set
  psmgraph diff A B           list what loading the data set B over A would change
  psmgraph release DIR        write a citable snapshot of the graph into a new folder of DIR
  psmgraph help               show this help

Run "psmgraph serve -h" for the flags. Every flag can also be set in the
environment or a .env file: see .env.example.
`

// errUsage marks a mistake in the command line: exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var status exitStatus
	switch {
	case err == nil:
	case errors.As(err, &status):
		os.Exit(int(status))
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, errDataProblems):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "psmgraph:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, stderr)
	case "validate":
		return validate(ctx, rest, stdout, stderr)
	case "seed":
		return seedCmd(ctx, rest, stdout, stderr)
	case "export":
		return exportCmd(ctx, rest, stdout, stderr)
	case "diff":
		return diffCmd(ctx, rest, stdout, stderr)
	case "release":
		return releaseCmd(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stderr, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "psmgraph: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}
