//go:build linux

package journal

import (
	"os/exec"
	"testing"
	"time"
)

// A program that has ended but whose exit its parent has not read yet (a
// zombie, right after kill -9) is not running.
func TestProgramRunningIsFalseForAnEndedUnreapedProcess(t *testing.T) {
	cmd := exec.Command("sh", "-c", "exit 0")
	if err := cmd.Start(); err != nil {
		t.Skipf("no shell: %v", err)
	}
	defer cmd.Wait()
	pid := cmd.Process.Pid
	// Wait on the state, not a clock: the bound only stops a hang.
	for deadline := time.Now().Add(time.Minute); processState(pid) != 'Z'; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Skip("the process never showed as ended")
		}
	}
	if ProgramRunning(pid) {
		t.Error("an ended process counts as running")
	}
}
