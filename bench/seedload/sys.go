package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/psmgraph/psmgraph/bench/internal/host"
	"github.com/psmgraph/psmgraph/internal/proc"
)

// resetPeakRSS starts a new measure of this process's peak resident set, so
// that generating the data set before a run is not counted in it. Memory the
// previous run left is returned to the OS first. It reports whether the
// kernel allowed the reset (Linux 4.0 and later).
func resetPeakRSS() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns this process's peak resident set since the last reset, in MiB.
func peakRSS() float64 {
	return float64(host.KiB(host.ProcField("/proc/self/status", "VmHWM"))) / 1024
}

// clockTicks is USER_HZ, the unit of /proc CPU times: 100 on every Linux
// architecture Go supports.
const clockTicks = 100

// cpuTimes is CPU time used so far, in seconds: by the whole machine, and by
// this process with its children (the embedded Neo4j).
type cpuTimes struct {
	machine, ours float64
}

// since returns the CPU seconds this process with its children, and every
// other process, used since t.
func (t cpuTimes) since() (ours, others float64) {
	now := readCPUTimes()
	ours = now.ours - t.ours
	return ours, max(now.machine-t.machine-ours, 0)
}

// readCPUTimes reads /proc; on a system without it every time is 0.
func readCPUTimes() cpuTimes {
	var t cpuTimes
	if data, err := os.ReadFile("/proc/stat"); err == nil {
		// cpu user nice system idle iowait irq softirq steal …
		fields := strings.Fields(strings.SplitN(string(data), "\n", 2)[0])
		for i, f := range fields {
			if i >= 1 && i <= 7 && i != 4 && i != 5 { // busy: not idle, not iowait
				n, _ := strconv.ParseFloat(f, 64)
				t.machine += n / clockTicks
			}
		}
	}
	t.ours = processCPU(os.Getpid())
	for _, pid := range children() {
		t.ours += processCPU(pid)
	}
	return t
}

// processCPU returns the user and system CPU seconds of a process; 0 when
// it is gone.
func processCPU(pid int) float64 {
	d, _ := proc.CPUTime(pid)
	return d.Seconds()
}

// children returns the pids of this process's children.
func children() []int {
	self := strconv.Itoa(os.Getpid())
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(data)
		// Field 4, the parent's pid, is the second after the command name.
		if fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(fields) > 1 && fields[1] == self {
			pids = append(pids, pid)
		}
	}
	return pids
}
