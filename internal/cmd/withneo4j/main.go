// Command withneo4j runs a command with a throwaway Neo4j: it starts the
// embedded Neo4j on a free port in a temporary directory, runs the command
// with NEO4J_URI pointing at it, then stops it and removes the store,
// whatever the command's outcome. With NEO4J_URI already set it just runs
// the command against that server. `make test` runs the tests through it, so
// that all packages share one database.
//
//	go run ./internal/cmd/withneo4j go test -p 1 ./...
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/psmgraph/psmgraph/embedded"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: withneo4j COMMAND [ARG...]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if os.Getenv("NEO4J_URI") == "" {
		home, err := os.MkdirTemp("", "psmgraph-test-neo4j-*")
		if err != nil {
			log.Error("temporary store", "err", err)
			return 1
		}
		defer func() { _ = os.RemoveAll(home) }()
		started := time.Now()
		srv, err := embedded.Start(context.Background(), embedded.Options{
			Launcher:  filepath.Join("embedded", "launcher"),
			Home:      home,
			Heap:      "1g",
			PageCache: "256m",
			SmallDisk: true,
			Logger:    log,
		})
		if err != nil {
			log.Error("start the test neo4j", "err", err)
			return 1
		}
		defer func() {
			if err := srv.Stop(time.Minute); err != nil {
				log.Error("stop the test neo4j", "err", err)
			}
		}()
		log.Info("test neo4j ready", "uri", srv.URI(), "took", time.Since(started).Round(time.Millisecond))
		// NEO4J_PID lets tests read the server's CPU time from /proc.
		for k, v := range map[string]string{"NEO4J_URI": srv.URI(), "NEO4J_PID": strconv.Itoa(srv.PID())} {
			if err := os.Setenv(k, v); err != nil {
				log.Error("set "+k, "err", err)
				return 1
			}
		}
	}
	cmd := exec.Command(args[0], args[1:]...) //nolint:gosec // running the given command is this tool's job
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Signals go on to the command, and we stop Neo4j once it has ended.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	err := cmd.Start()
	if err == nil {
		go func() {
			for sig := range signals {
				_ = cmd.Process.Signal(sig)
			}
		}()
		err = cmd.Wait()
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return max(exit.ExitCode(), 1)
	default:
		log.Error("run", "command", args, "err", err)
		return 1
	}
}
