// Package process runs the servers a benchmark measures, each in a process of
// its own, so that its resident memory is its own.
package process

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Server is a server the benchmark started.
type Server struct {
	Name string
	Cmd  *exec.Cmd
	Base string // http://127.0.0.1:port
	URL  string // its GraphQL endpoint
	done chan struct{}
}

// readyWait bounds a server's start.
const readyWait = 2 * time.Minute

// Start runs the command with the environment added and PORT set to a free
// port, in its own process group, its output going to log, and waits until
// GET Base+ready answers 200.
func Start(ctx context.Context, name string, cmd *exec.Cmd, env []string, ready string, log io.Writer) (*Server, error) {
	port, err := FreePort()
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
	s := &Server{Name: name, Cmd: cmd, URL: base + "/graphql", Base: base, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(readyWait)
	for {
		resp, err := http.Get(base + ready) //nolint:gosec,noctx // our own server on the loopback interface
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("%s exited before it was ready", name)
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("%s not ready after %v", name, readyWait)
		}
	}
}

// Pid is the server's process id.
func (s *Server) Pid() int { return s.Cmd.Process.Pid }

// Stop ends the server and its children: SIGTERM, then SIGKILL after 30s.
func (s *Server) Stop() {
	_ = syscall.Kill(-s.Pid(), syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-s.Pid(), syscall.SIGKILL)
		<-s.done
	}
}

// FreePort asks the kernel for a free port on the loopback interface.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
