//go:build unix

package tui

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, in all its threads
// (the garbage collector's included). On a machine shared with other work
// it varies less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
