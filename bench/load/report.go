package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/psmgraph/psmgraph/bench/internal/host"
)

// format writes the run's report in Markdown.
func format(o options, ops []operation, r *result, memory []sample) string {
	var b strings.Builder
	answered := len(r.latency)
	fmt.Fprintf(&b, "# Load: a mixed read workload at a fixed rate\n\n")
	fmt.Fprintf(&b, "Machine: %s. Run %s.\n\n", host.Machine(), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "`go run ./bench/load -rate %g -duration %v -warmup %v -answer-cache-mb %d`: the %d example operations of the playground "+
		"(server/examples.graphql) in turn, over the shipped data set, after a warm-up at the same rate. "+
		"Latency runs from each request's scheduled time to its answer.\n\n", o.rate, o.duration, o.warmup, o.answerCacheMB, len(ops))
	fmt.Fprintf(&b, "| sent | answered | failed | throughput | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %.1f/s | %v | %v | %v | %v |\n\n", r.sent, answered, r.failed(),
		float64(answered)/r.elapsed.Seconds(), ms(percentile(r.latency, .5)), ms(percentile(r.latency, .9)),
		ms(percentile(r.latency, .99)), ms(percentile(r.latency, 1)))
	if r.failed() > 0 {
		fmt.Fprintf(&b, "Failures: %d not sent (too many outstanding)", r.overflow)
		for _, k := range slices.Sorted(maps.Keys(r.errors)) {
			fmt.Fprintf(&b, "; %s: %d", k, r.errors[k])
		}
		b.WriteString(".\n\n")
	}
	fmt.Fprintf(&b, "psmgraph's memory during the run:\n\n| at | resident | Go heap in use | goroutines |\n|---|---|---|---|\n")
	for _, s := range memory {
		fmt.Fprintf(&b, "| %v | %.1f MiB | %.1f MiB | %.0f |\n", s.at.Round(time.Second), s.rssMiB, s.heapMiB, s.goroutine)
	}
	first, last := memory[0], memory[len(memory)-1]
	fmt.Fprintf(&b, "\nResident memory from start to end: %.1f → %.1f MiB (%+.1f MiB).\n", first.rssMiB, last.rssMiB, last.rssMiB-first.rssMiB)
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
