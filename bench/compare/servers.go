package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// process is a server the benchmark started: psmgraph or the peer, each in
// its own process, so that its resident memory is its own.
type process struct {
	name string
	cmd  *exec.Cmd
	url  string // its GraphQL endpoint
	base string // http://host:port
	done chan struct{}
}

// start runs the command with the environment added, in its own process
// group, its output going to log, and waits until GET base+ready answers 200.
func start(ctx context.Context, name string, cmd *exec.Cmd, env []string, ready string, log io.Writer) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd.Env = append(append(os.Environ(), env...), fmt.Sprintf("PORT=%d", port))
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, url: base + "/graphql", base: base, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + ready) //nolint:gosec // our own server on the loopback interface
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("%s exited before it was ready", name)
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s not ready after 2 minutes", name)
		}
	}
}

// stop ends the process and its children: SIGTERM, then SIGKILL after 20s.
func (p *process) stop() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// startPsmgraph serves the Neo4j at uri through psmgraph's binary, with its
// production settings but for the per-client rate limit, which a load test
// from one client would hit.
func startPsmgraph(ctx context.Context, binary, uri, dir string, log io.Writer) (*process, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(abs, "serve") //nolint:gosec // the binary the benchmark built
	cmd.Dir = dir                     // away from any .env of the working tree
	return start(ctx, "psmgraph", cmd, []string{"NEO4J_URI=" + uri, "PSMGRAPH_SEED_WHEN_EMPTY=false",
		"PSMGRAPH_RATE_LIMIT=0", "LOG_LEVEL=warn"}, "/readyz", log)
}

// startPeer serves the Neo4j at uri through the Neo4j GraphQL Library.
func startPeer(ctx context.Context, peerDir, typeDefs, uri string, log io.Writer) (*process, error) {
	cmd := exec.Command("node", "server.js")
	cmd.Dir = peerDir
	return start(ctx, "peer", cmd, []string{"NEO4J_URI=" + uri, "TYPEDEFS=" + typeDefs, "NODE_ENV=production"}, "/stats", log)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
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
