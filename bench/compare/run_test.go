package main

import (
	"strings"
	"testing"
	"time"
)

func TestMedianRunIsTheMiddleOne(t *testing.T) {
	run := func(n int) result {
		return result{latencies: make([]time.Duration, n), elapsed: time.Second}
	}
	if got := medianRun([]result{run(300), run(100), run(200)}).rate(); got != 200 {
		t.Errorf("median of 100, 200 and 300 req/s: %v", got)
	}
	if got := medianRun([]result{run(100)}).rate(); got != 100 {
		t.Errorf("median of one run: %v", got)
	}
}

func TestSpreadsPairEachRunsSides(t *testing.T) {
	run := func(n int) result {
		return result{latencies: make([]time.Duration, n), elapsed: time.Second}
	}
	runs := map[string][]result{
		"psmgraph":   {run(80), run(90), run(70)},
		"http floor": {run(100), run(100), run(100)},
		"peer":       {run(40)}, // dropped out after its first run
	}
	got := spreads(runs)
	if lohi, want := got["http floor"], [2]float64{0.7, 0.9}; lohi != want {
		t.Errorf("psmgraph/HTTP floor over the runs: %v, want %v", lohi, want)
	}
	if lohi, ok := got["peer"]; ok {
		t.Errorf("a side missing from some runs has a spread: %v", lohi)
	}
	if got := spreads(map[string][]result{"psmgraph": {run(80)}, "floor": {run(100)}}); got != nil {
		t.Errorf("one run has a spread: %v", got)
	}
}

func TestCPUTableDividesBySidesRequests(t *testing.T) {
	rows := []row{{op: "filtered list", clients: 8, cpu: map[string]cpuUse{
		"psmgraph":   cpuUse{300 * time.Millisecond, 600 * time.Millisecond, 1000}.plus(cpuUse{100 * time.Millisecond, 200 * time.Millisecond, 1000}),
		"http floor": {server: 150 * time.Millisecond, neo4j: 350 * time.Millisecond, requests: 1000},
		"floor":      {neo4j: 500 * time.Millisecond, requests: 2000},
	}}, {op: "broken", err: "psmgraph: refused"}}
	want := "| filtered list | 8 | 200 | 400 | - | - | 150 | 350 | 250 |\n"
	got := formatCPU(rows)
	if !strings.Contains(got, want) {
		t.Errorf("CPU table:\n%s\nwant the row %q", got, want)
	}
	if strings.Contains(got, "broken") {
		t.Errorf("a failed operation has a CPU row:\n%s", got)
	}
}
