// Package host describes the machine a benchmark runs on and reads what
// Linux's /proc says about its processes.
package host

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// ProcField returns a field of a /proc file of "Name: value" lines, such as
// VmHWM in /proc/self/status; "" if the file or field is missing.
func ProcField(file, name string) string {
	f, err := os.Open(file) //nolint:gosec // a /proc file named by the caller
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

// KiB parses a "123456 kB" /proc value.
func KiB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64)
	return n
}

// RSS returns a process's resident set and its peak, in MiB; zeros when the
// process is gone.
func RSS(pid int) (now, peak float64) {
	status := fmt.Sprintf("/proc/%d/status", pid)
	return float64(KiB(ProcField(status, "VmRSS"))) / 1024, float64(KiB(ProcField(status, "VmHWM"))) / 1024
}

// Machine describes the computer the benchmark runs on.
func Machine() string {
	cpu := ProcField("/proc/cpuinfo", "model name")
	mem := float64(KiB(ProcField("/proc/meminfo", "MemTotal"))) / (1 << 20)
	return fmt.Sprintf("%d CPUs (%s), %.1f GiB memory, %s %s/%s", runtime.NumCPU(), cpu, mem,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
