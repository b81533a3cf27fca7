// Package embedded runs Neo4j Community as a child process: the small Java
// launcher in ./launcher, which hosts Neo4j embedded with its Bolt connector.
// It is psmgraph's default database when no NEO4J_URI is given, and the
// throwaway database of the tests.
package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure an embedded Neo4j.
type Options struct {
	// Launcher is the directory of the launcher's Maven project.
	Launcher string
	// Home is the store directory; it is created if missing.
	Home string
	// Port is the Bolt port on 127.0.0.1; 0 picks a free one.
	Port int
	// Heap and PageCache size the JVM heap and Neo4j's page cache, as in "1g".
	Heap      string
	PageCache string
	// Password, when set, turns authentication on for the user neo4j.
	Password string
	// SmallDisk keeps no transaction logs beyond what recovery needs: for
	// throwaway stores.
	SmallDisk bool
	// Java is the java command; "" means $JAVA_HOME/bin/java, else java.
	Java string
	// StartTimeout bounds the wait for the ready line; 0 means 3 minutes.
	StartTimeout time.Duration
	// Logger receives the launcher's diagnostics; nil discards them.
	Logger *slog.Logger
}

// Server is a running embedded Neo4j.
type Server struct {
	uri   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	log   *slog.Logger
	done  chan struct{} // closed when the process has exited
	err   error         // the process's exit status, once done
}

// readyPrefix starts the one line the launcher prints on stdout once Bolt
// accepts connections.
const readyPrefix = "psmgraph-neo4j ready "

// jvmFlags are the flags Neo4j 5 needs on Java 17 and later.
var jvmFlags = []string{
	"-XX:+UseG1GC",
	"--add-opens=java.base/java.lang=ALL-UNNAMED",
	"--add-opens=java.base/java.nio=ALL-UNNAMED",
	"--add-opens=java.base/java.io=ALL-UNNAMED",
	"--add-opens=java.base/java.util=ALL-UNNAMED",
	"--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
	"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
	"--add-opens=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
	"--enable-native-access=ALL-UNNAMED",
	"-Dio.netty.tryReflectionSetAccessible=true",
	"-Djdk.nio.maxCachedBufferSize=1024",
	"-Dlog4j2.disable.jmx=true",
}

// Start builds the launcher if needed, starts Neo4j and waits until Bolt
// accepts connections. The process is stopped by Stop, and also ends by
// itself if this process dies, since it watches the pipe on its stdin.
func Start(ctx context.Context, o Options) (*Server, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	jar, err := Build(ctx, o.Launcher, log)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.Home, 0o750); err != nil {
		return nil, fmt.Errorf("embedded neo4j: %w", err)
	}
	port := o.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, fmt.Errorf("embedded neo4j: free port: %w", err)
		}
	}
	args := append([]string{"-Xmx" + or(o.Heap, "1g")}, jvmFlags...)
	args = append(args, "-jar", jar,
		"--home", o.Home,
		"--bolt", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		"--pagecache", or(o.PageCache, "512m"),
		"--watch-stdin")
	if o.SmallDisk {
		args = append(args, "--small-disk")
	}
	cmd := exec.Command(javaCommand(o.Java), args...) //nolint:gosec // java and its arguments come from configuration, not requests
	cmd.Env = append(os.Environ(), "PSMGRAPH_NEO4J_PASSWORD="+o.Password)
	// Its own process group: a Ctrl-C at the terminal reaches only us, and we
	// stop Neo4j after the HTTP server has drained, not before.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("embedded neo4j: start %s: %w", cmd.Path, err)
	}
	s := &Server{cmd: cmd, stdin: stdin, log: log, done: make(chan struct{})}

	tail := &lineTail{max: 20}
	var pipes sync.WaitGroup
	pipes.Add(2)
	go func() { defer pipes.Done(); tail.copy(stderr, log) }()
	ready := make(chan string, 1)
	go func() { defer pipes.Done(); watchStdout(stdout, ready, log) }()
	go func() {
		pipes.Wait() // Wait must not run before the pipes are drained
		s.err = cmd.Wait()
		close(s.done)
	}()

	timeout := o.StartTimeout
	if timeout == 0 {
		timeout = 3 * time.Minute
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case s.uri = <-ready:
		log.Info("embedded neo4j ready", "uri", s.uri, "home", o.Home, "pid", cmd.Process.Pid,
			"startup", time.Since(started).Round(time.Millisecond))
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("embedded neo4j exited before it was ready (%w): %s", s.err, tail.String())
	case <-timer.C:
		_ = s.Stop(10 * time.Second)
		return nil, fmt.Errorf("embedded neo4j not ready after %s: %s", timeout, tail.String())
	case <-ctx.Done():
		_ = s.Stop(10 * time.Second)
		return nil, ctx.Err()
	}
}

// URI returns the Bolt URI of the server.
func (s *Server) URI() string { return s.uri }

// PID returns the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Done is closed when the process has exited, whatever the cause.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop asks Neo4j to shut down cleanly and waits for it; after the timeout it
// kills the process. Stop may be called more than once.
func (s *Server) Stop(timeout time.Duration) error {
	select {
	case <-s.done:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		s.log.Info("embedded neo4j stopped")
		return nil
	case <-time.After(timeout):
		_ = s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("embedded neo4j did not stop within %s and was killed", timeout)
	}
}

// watchStdout waits for the launcher's ready line and logs anything else it
// prints.
func watchStdout(r io.Reader, ready chan<- string, log *slog.Logger) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if uri, ok := strings.CutPrefix(line, readyPrefix); ok {
			ready <- strings.TrimSpace(uri)
			continue
		}
		log.Info("neo4j", "stdout", line)
	}
}

// lineTail logs every line it copies and keeps the last few, so that a failed
// start can say why.
type lineTail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *lineTail) copy(r io.Reader, log *slog.Logger) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		log.Info("neo4j", "stderr", line)
		t.mu.Lock()
		t.lines = append(t.lines, line)
		if len(t.lines) > t.max {
			t.lines = t.lines[1:]
		}
		t.mu.Unlock()
	}
}

func (t *lineTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return "no output"
	}
	return strings.Join(t.lines, " | ")
}

func javaCommand(java string) string {
	if java != "" {
		return java
	}
	if home := os.Getenv("JAVA_HOME"); home != "" {
		return filepath.Join(home, "bin", "java")
	}
	return "java"
}

// freePort asks the kernel for a free TCP port on the loopback interface.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// errNoLauncher says the launcher's project is not where Options point.
var errNoLauncher = errors.New("embedded neo4j: launcher project not found")
