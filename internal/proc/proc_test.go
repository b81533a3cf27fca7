package proc

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// /proc's account of this process's CPU time agrees with getrusage's over
// some work, to within the hundredths of a second /proc counts in; a
// process that does not exist is an error.
func TestCPUTimeAgreesWithRusage(t *testing.T) {
	before, err := CPUTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	start := rusage(t)
	for rusage(t)-start < 300*time.Millisecond {
	}
	worked := rusage(t) - start
	after, err := CPUTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if d := after - before - worked; d < -30*time.Millisecond || d > 30*time.Millisecond {
		t.Errorf("/proc counts %s of CPU time, getrusage %s", after-before, worked)
	}
	if _, err := CPUTime(1 << 30); err == nil {
		t.Error("a process that does not exist has a CPU time")
	}
}

func rusage(t *testing.T) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		t.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
