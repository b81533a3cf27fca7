package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/psmgraph/psmgraph/bench/internal/host"
	"github.com/psmgraph/psmgraph/bench/internal/process"
	"github.com/psmgraph/psmgraph/internal/proc"
	"github.com/psmgraph/psmgraph/internal/shape"
)

// bench is one scale's servers and the means to count queries.
type bench struct {
	o         options
	psm       *process.Server
	peer      *process.Server
	httpFloor *process.Server
	driver    neo4j.DriverWithContext
	counter   *queryCounter
	neo4jPID  int
}

// side is one way of asking an operation's question.
type side struct {
	name string
	do   func(context.Context) error
	// pid is the process that serves the side; 0 for the floor, which
	// this process serves.
	pid int
}

// row is one operation at one concurrency level.
type row struct {
	op      string
	clients int
	results map[string]result // by side
	// spread is, by side, the lowest and highest of psmgraph's ratio to
	// that side over the runs, each run's sides measured in turn: what
	// the machine's noise does to the ratio of the median runs.
	spread map[string][2]float64
	// Cypher queries per request: psmgraph's counted in process, the
	// peer's counted at its driver during the measurement; the floor's is one.
	psmQueries, peerQueries float64
	// Resident memory of each server after the measurement, in MiB.
	psmRSS, peerRSS float64
	// cpu is, by side, the CPU time its server and Neo4j spent over all
	// the runs.
	cpu map[string]cpuUse
	// peerFailed says why the peer was not measured, when it could not answer.
	peerFailed string
	err        string
}

// operation checks and measures one operation at every concurrency level,
// on each side: psmgraph, the peer, the floor and the HTTP floor.
func (b *bench) operation(ctx context.Context, op operation) ([]row, error) {
	fail := func(err error) ([]row, error) {
		return []row{{op: op.name, err: err.Error()}}, err
	}
	// Same answer first: timing a wrong answer measures nothing.
	ours, err := postGraphQL(ctx, b.psm.URL, op.psmgraph)
	if err != nil {
		return fail(fmt.Errorf("psmgraph: %w", err))
	}
	// A peer that cannot answer is reported as such, with its error, and
	// the other two sides are measured still.
	peerFailed := ""
	if op.peer != "" {
		theirs, err := postGraphQL(ctx, b.peer.URL, op.peer)
		switch {
		case errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err):
			peerFailed = fmt.Sprintf("no answer within %s", client.Timeout)
		case err != nil:
			peerFailed = fmt.Sprintf("failed: %.200s", strings.NewReplacer("|", "\\|", "\n", " ").Replace(err.Error()))
		default:
			same, a, c, err := sameData(ours, theirs)
			if err != nil {
				return fail(err)
			}
			if !same {
				return fail(fmt.Errorf("psmgraph and the peer return different data:\n  psmgraph: %.600s\n  peer:     %.600s", a, c))
			}
		}
	}
	sides := []side{{"psmgraph", func(ctx context.Context) error { _, err := postGraphQL(ctx, b.psm.URL, op.psmgraph); return err }, b.psm.Pid()}}
	if op.peer != "" && peerFailed == "" {
		sides = append(sides, side{"peer", func(ctx context.Context) error { _, err := postGraphQL(ctx, b.peer.URL, op.peer); return err }, b.peer.Pid()})
	}
	floorURL := floorURL(b.httpFloor, op.name)
	sides = append(sides,
		side{"floor", func(ctx context.Context) error { _, err := readCypher(ctx, b.driver, op.floor); return err }, 0},
		side{"http floor", func(ctx context.Context) error { return postFloor(ctx, floorURL) }, b.httpFloor.Pid()})
	if _, err := readCypher(ctx, b.driver, op.floor); err != nil {
		return fail(fmt.Errorf("floor: %w", err))
	}
	if err := postFloor(ctx, floorURL); err != nil {
		return fail(fmt.Errorf("http floor: %w", err))
	}
	psmQueries, err := b.counter.perRequest(ctx, op.psmgraph)
	if err != nil {
		return fail(err)
	}

	// A peer that fails under load drops out, with its reason, from then
	// on; a failure of psmgraph or the floor ends the operation.
	dropPeer := func(err error) {
		peerFailed = fmt.Sprintf("failed under load: %.200s", strings.NewReplacer("|", "\\|", "\n", " ").Replace(err.Error()))
		sides = slices.DeleteFunc(sides, func(s side) bool { return s.name == "peer" })
	}
	top := slices.Max(b.o.levels)
	for i := 0; i < len(sides); i++ {
		if _, err := measure(ctx, sides[i].do, top, b.o.warmup); err != nil {
			if sides[i].name != "peer" {
				return fail(fmt.Errorf("warm-up, %s: %w", sides[i].name, err))
			}
			dropPeer(err)
			i--
		}
	}
	var rows []row
	for _, clients := range b.o.levels {
		r := row{op: op.name, clients: clients, results: map[string]result{}, psmQueries: psmQueries, cpu: map[string]cpuUse{}}
		peerBefore, err := peerQueries(ctx, b.peer.Base)
		if err != nil {
			return fail(err)
		}
		// Runs of quarters, each round starting with the next side; each
		// side's figures are those of its median run.
		runs := map[string][]result{}
		peerRequests := 0
		for range max(b.o.runs, 1) {
			run := map[string]result{}
			for round := range 4 {
				for i := 0; i < len(sides); i++ {
					s := sides[(round+i)%len(sides)]
					before := b.cpuNow(s)
					res, err := measure(ctx, s.do, clients, b.o.duration/4)
					used := b.cpuNow(s).minus(before)
					if err != nil && s.name == "peer" {
						dropPeer(err)
						delete(runs, "peer")
						delete(run, "peer")
						delete(r.cpu, "peer")
						continue
					}
					if err != nil {
						return fail(fmt.Errorf("%s, %d clients: %w", s.name, clients, err))
					}
					all := run[s.name]
					all.add(res)
					run[s.name] = all
					used.requests = len(res.latencies)
					r.cpu[s.name] = r.cpu[s.name].plus(used)
				}
			}
			for name, res := range run {
				runs[name] = append(runs[name], res)
				if name == "peer" {
					peerRequests += len(res.latencies)
				}
			}
		}
		for name, all := range runs {
			r.results[name] = medianRun(all)
		}
		r.spread = spreads(runs)
		r.peerFailed = peerFailed
		if _, measured := r.results["peer"]; measured {
			peerAfter, err := peerQueries(ctx, b.peer.Base)
			if err != nil {
				return fail(err)
			}
			r.peerQueries = float64(peerAfter-peerBefore) / float64(max(peerRequests, 1))
		}
		r.psmRSS, _ = host.RSS(b.psm.Pid())
		r.peerRSS, _ = host.RSS(b.peer.Pid())
		rows = append(rows, r)
	}
	return rows, nil
}

// cpuUse is CPU time that a side's server process and Neo4j spent, and
// the requests they answered meanwhile.
type cpuUse struct {
	server, neo4j time.Duration
	requests      int
}

func (u cpuUse) plus(o cpuUse) cpuUse {
	return cpuUse{u.server + o.server, u.neo4j + o.neo4j, u.requests + o.requests}
}

func (u cpuUse) minus(o cpuUse) cpuUse {
	return cpuUse{u.server - o.server, u.neo4j - o.neo4j, u.requests - o.requests}
}

// perRequest is a CPU time per request, in microseconds.
func (u cpuUse) perRequest(d time.Duration) string {
	if u.requests == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(d.Microseconds())/float64(u.requests))
}

// cpuNow reads the CPU time so far of the side's server, if it has a
// process of its own, and of Neo4j; a process that is gone reads 0.
func (b *bench) cpuNow(s side) cpuUse {
	var u cpuUse
	if s.pid != 0 {
		u.server, _ = proc.CPUTime(s.pid)
	}
	u.neo4j, _ = proc.CPUTime(b.neo4jPID)
	return u
}

// medianRun is the run of median throughput: with three, the middle one.
func medianRun(runs []result) result {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b result) int { return cmp.Compare(a.rate(), b.rate()) })
	return sorted[(len(sorted)-1)/2]
}

// spreads is, for each side but psmgraph measured in every run, the lowest
// and highest ratio of psmgraph's rate to the side's in one run; none with a
// single run.
func spreads(runs map[string][]result) map[string][2]float64 {
	psm := runs["psmgraph"]
	if len(psm) < 2 {
		return nil
	}
	out := map[string][2]float64{}
	for name, theirs := range runs {
		if name == "psmgraph" || len(theirs) != len(psm) {
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range psm {
			ratio := psm[i].rate() / theirs[i].rate()
			lo, hi = min(lo, ratio), max(hi, ratio)
		}
		out[name] = [2]float64{lo, hi}
	}
	return out
}

// formatScale renders one scale's rows as a Markdown table, with how the
// graph was made.
func formatScale(ds *shape.Dataset, generated, seeded time.Duration, rows []row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %d nodes, %d relationships\n\n", ds.NodeRows(), ds.RelRows())
	fmt.Fprintf(&b, "Generated in %s (%.1f MiB of CSV); `psmgraph seed` loaded it in %s (%.0f rows/s).\n\n",
		generated.Round(time.Millisecond), float64(ds.Bytes)/(1<<20), seeded.Round(100*time.Millisecond),
		float64(ds.NodeRows()+ds.RelRows())/seeded.Seconds())
	b.WriteString("| operation | clients | psmgraph req/s | p50 | p99 | peer req/s | p50 | p99 | floor req/s | p50 | p99 | HTTP floor req/s | p50 | p99 | psmgraph/peer | psmgraph/floor | psmgraph/HTTP floor | queries/request psmgraph, peer, floor | RSS MiB psmgraph, peer |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rows {
		if r.err != "" {
			fmt.Fprintf(&b, "| %s | | failed: %s |\n", r.op, strings.ReplaceAll(strings.ReplaceAll(r.err, "\n", " "), "|", "\\|"))
			continue
		}
		psm, peer, floor, httpFloor := r.results["psmgraph"], r.results["peer"], r.results["floor"], r.results["http floor"]
		peerCells, vsPeer, peerQ := "- | - | -", "-", "-"
		ratio := func(side string, median float64) string {
			if lohi, ok := r.spread[side]; ok {
				return fmt.Sprintf("%.2f (%.2f–%.2f)", median, lohi[0], lohi[1])
			}
			return fmt.Sprintf("%.2f", median)
		}
		if r.peerFailed != "" {
			peerCells = r.peerFailed + " | - | -"
		}
		if len(peer.latencies) > 0 {
			peerCells = cells(peer)
			vsPeer = ratio("peer", psm.rate()/peer.rate())
			peerQ = fmt.Sprintf("%.1f", r.peerQueries)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.1f, %s, 1 | %.0f, %.0f |\n", r.op, r.clients,
			cells(psm), peerCells, cells(floor), cells(httpFloor), vsPeer, ratio("floor", psm.rate()/floor.rate()),
			ratio("http floor", psm.rate()/httpFloor.rate()),
			r.psmQueries, peerQ, r.psmRSS, r.peerRSS)
	}
	b.WriteString("\n")
	b.WriteString(formatCPU(rows))
	return b.String()
}

// formatCPU renders, for each row, the CPU time per request of each side's
// server process and of Neo4j while that side was measured: where a
// difference in rate comes from on a machine the sides share. The floor
// runs in this process, beside the load generator, so only its Neo4j's is
// shown.
func formatCPU(rows []row) string {
	var b strings.Builder
	b.WriteString("CPU time per request, in µs, over all runs: each side's server process and Neo4j while that side was measured.\n\n")
	b.WriteString("| operation | clients | psmgraph | its Neo4j | peer | its Neo4j | HTTP floor | its Neo4j | floor's Neo4j |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rows {
		if r.err != "" {
			continue
		}
		psm, peer, httpFloor, floor := r.cpu["psmgraph"], r.cpu["peer"], r.cpu["http floor"], r.cpu["floor"]
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", r.op, r.clients,
			psm.perRequest(psm.server), psm.perRequest(psm.neo4j), peer.perRequest(peer.server), peer.perRequest(peer.neo4j),
			httpFloor.perRequest(httpFloor.server), httpFloor.perRequest(httpFloor.neo4j), floor.perRequest(floor.neo4j))
	}
	b.WriteString("\n")
	return b.String()
}

func cells(r result) string {
	rate := fmt.Sprintf("%.0f", r.rate())
	if r.rate() < 10 {
		rate = fmt.Sprintf("%.2g", r.rate()) // a slow side's rate, not rounded to 0
	}
	return fmt.Sprintf("%s | %s | %s", rate, ms(r.quantile(0.5)), ms(r.quantile(0.99)))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
