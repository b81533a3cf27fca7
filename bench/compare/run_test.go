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
