package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/psmgraph/psmgraph/bench/internal/process"
)

// startPsmgraph serves the Neo4j at uri through psmgraph's binary, with its
// production settings but for the per-client limits (rate, cost and
// concurrency), which a load test from one client would hit, and with an
// answer cache of cacheMB.
func startPsmgraph(ctx context.Context, binary, uri, dir string, cacheMB int, log io.Writer) (*process.Server, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(abs, "serve") //nolint:gosec // the binary the benchmark built
	cmd.Dir = dir                     // away from any .env of the working tree
	return process.Start(ctx, "psmgraph", cmd, []string{"NEO4J_URI=" + uri, "PSMGRAPH_SEED_WHEN_EMPTY=false",
		"PSMGRAPH_RATE_LIMIT=0", "PSMGRAPH_COST_LIMIT=0", "PSMGRAPH_CLIENT_CONCURRENCY=0", "LOG_LEVEL=warn",
		"PSMGRAPH_ANSWER_CACHE_MB=" + strconv.Itoa(cacheMB)}, "/readyz", log)
}

// startPeer serves the Neo4j at uri through the Neo4j GraphQL Library.
func startPeer(ctx context.Context, peerDir, typeDefs, uri string, log io.Writer) (*process.Server, error) {
	cmd := exec.Command("node", "server.js")
	cmd.Dir = peerDir
	return process.Start(ctx, "peer", cmd, []string{"NEO4J_URI=" + uri, "TYPEDEFS=" + typeDefs, "NODE_ENV=production"}, "/stats", log)
}

// installPeer installs the peer's packages, exactly as its lock file pins
// them, unless they are installed already from that lock file.
func installPeer(ctx context.Context, peerDir string, log io.Writer) error {
	lock, err := os.Stat(filepath.Join(peerDir, "package-lock.json"))
	if err != nil {
		return err
	}
	if installed, err := os.Stat(filepath.Join(peerDir, "node_modules", ".package-lock.json")); err == nil && installed.ModTime().After(lock.ModTime()) {
		return nil
	}
	fmt.Fprintln(log, "npm ci in", peerDir)
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = peerDir
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}
