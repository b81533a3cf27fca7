package main

import (
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
