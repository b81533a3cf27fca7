package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// procField returns a field of a /proc file of "Name: value" lines, such as
// VmHWM in /proc/self/status; "" if the file or field is missing.
func procField(file, name string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// cpuinfo pads its keys with tabs: "model name\t: …".
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// kibibytes parses a "123456 kB" /proc value.
func kibibytes(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
	return n
}

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
	return float64(kibibytes(procField("/proc/self/status", "VmHWM"))) / 1024
}

// machine describes the computer the benchmark runs on.
func machine() string {
	cpu := procField("/proc/cpuinfo", "model name")
	mem := float64(kibibytes(procField("/proc/meminfo", "MemTotal"))) / (1 << 20)
	return fmt.Sprintf("%d CPUs (%s), %.1f GiB memory, %s %s/%s", runtime.NumCPU(), cpu, mem,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
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
	t.ours = processCPU("self")
	for _, pid := range children() {
		t.ours += processCPU(pid)
	}
	return t
}

// processCPU returns the user and system CPU seconds of a process.
func processCPU(pid string) float64 {
	data, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: fields count from
	// after it. utime and stime are fields 14 and 15 of the whole line.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	user, _ := strconv.ParseFloat(fields[11], 64)
	system, _ := strconv.ParseFloat(fields[12], 64)
	return (user + system) / clockTicks
}

// children returns the pids of this process's children.
func children() []string {
	self := strconv.Itoa(os.Getpid())
	entries, _ := os.ReadDir("/proc")
	var pids []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(data)
		// Field 4, the parent's pid, is the second after the command name.
		if fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(fields) > 1 && fields[1] == self {
			pids = append(pids, e.Name())
		}
	}
	return pids
}
