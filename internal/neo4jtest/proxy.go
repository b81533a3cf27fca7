package neo4jtest

import (
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/graph"
)

// Proxy is a TCP relay between a test and the test Neo4j. Cutting it makes
// the database vanish for whoever connects through it, as a crash or a
// network partition would, while the real server keeps serving other tests.
type Proxy struct {
	listener net.Listener
	mu       sync.Mutex
	conns    []net.Conn
	cut      bool
	paused   bool
	// delay holds back every answer from the server, for as long as a
	// slow query would; holding is closed once one has been held back.
	delay    atomic.Int64
	holding  chan struct{}
	heldOnce sync.Once
}

// Holding is closed once the proxy has held back an answer of the server:
// a test waits on it to know that a request is in flight.
func (p *Proxy) Holding() <-chan struct{} { return p.holding }

// Delay holds back each answer of the server by d from now on.
func (p *Proxy) Delay(d time.Duration) { p.delay.Store(int64(d)) }

// NewProxy starts a relay to the test Neo4j, closed when the test ends, and
// returns it with settings that reach the server through it.
func NewProxy(t testing.TB) (*Proxy, graph.Settings) {
	t.Helper()
	c := Settings(t)
	target, err := url.Parse(c.URI)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{listener: l, holding: make(chan struct{})}
	go p.accept(target.Host)
	t.Cleanup(p.Cut)
	// bolt:// talks to this one address; a routing scheme would ask the
	// server for its real address and bypass the relay.
	c.URI = "bolt://" + l.Addr().String()
	return p, c
}

func (p *Proxy) accept(target string) {
	for {
		client, err := p.listener.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", target)
		if err != nil {
			_ = client.Close()
			continue
		}
		if !p.track(client, server) {
			continue
		}
		go relay(server, client, nil)
		go relay(client, server, p.hold)
	}
}

// track remembers the pair so that Cut can close it; it refuses after a
// cut and while paused.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut || p.paused {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	p.conns = append(p.conns, conns...)
	return true
}

// hold holds back an answer of the server by the delay, if any.
func (p *Proxy) hold() {
	d := time.Duration(p.delay.Load())
	if d <= 0 {
		return
	}
	p.heldOnce.Do(func() { close(p.holding) })
	time.Sleep(d)
}

// relay copies src to dst until either closes, calling hold, if any,
// before each chunk.
func relay(dst, src net.Conn, hold func()) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if hold != nil {
				hold()
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Cut closes the relay and every connection through it.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.listener.Close()
	p.closeConns()
}

// Pause closes every connection through the relay and refuses new ones
// until Resume, as a database that is down for a while.
func (p *Proxy) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = true
	p.closeConns()
}

// Resume relays new connections again after Pause.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = false
}

func (p *Proxy) closeConns() {
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
