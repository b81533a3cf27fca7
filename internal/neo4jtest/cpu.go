package neo4jtest

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/psmgraph/psmgraph/internal/proc"
)

// CPU returns a reader of the test Neo4j's CPU time, all its threads
// included: the embedded server this binary started, or the process that
// NEO4J_PID names. Unlike SHOW TRANSACTIONS, it sees the planner threads
// that outlive a transaction's timeout. The test fails when there is no
// process to read: set NEO4J_PID beside NEO4J_URI.
func CPU(t testing.TB) func() time.Duration {
	t.Helper()
	Settings(t)
	p := pid
	if p == 0 {
		var err error
		if p, err = strconv.Atoi(os.Getenv("NEO4J_PID")); err != nil {
			t.Fatalf("neo4jtest: no Neo4j process to read CPU time from: set NEO4J_PID to the process id of the server NEO4J_URI names")
		}
	}
	read := func() time.Duration {
		d, err := proc.CPUTime(p)
		if err != nil {
			t.Fatalf("neo4jtest: the CPU time of Neo4j (pid %d): %v", p, err)
		}
		return d
	}
	read()
	return read
}

// WaitIdle waits until Neo4j runs no query: its CPU time grows by less than
// a quarter of a core over a second. It fails the test if that takes longer
// than within, and returns how long Neo4j stayed busy. A query at work
// takes a core or more; an idle Neo4j's own housekeeping (its page cache,
// pause monitor, checkpoints and JIT compiler) takes 0.04 to 0.19 of a core
// on two cores, the most in its first minutes.
func WaitIdle(t testing.TB, cpu func() time.Duration, within time.Duration) time.Duration {
	t.Helper()
	const window = time.Second
	started := time.Now()
	last := cpu()
	for {
		time.Sleep(window)
		now := cpu()
		if now-last < window/4 {
			return time.Since(started) - window
		}
		if time.Since(started) > within {
			t.Fatalf("Neo4j was still busy %v later: %v of CPU in the last second", within, now-last)
		}
		last = now
	}
}
