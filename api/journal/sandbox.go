package journal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// EndSandboxSessions marks as ended (ResultEnded) the open sessions of an
// in-process sandbox whose program has stopped: nothing serves them any
// more, so no result can come. Sessions this Journal recorded, and those of
// a program still running (another terminal), are left alone. It returns
// the sessions it marked, so a desk can say what became of them.
func (j *Journal) EndSandboxSessions(ctx context.Context) ([]Session, error) {
	now := j.now()
	rows, err := j.db.QueryContext(ctx, `SELECT id, owner_pid, owner_run FROM sessions INDEXED BY sessions_open
		WHERE finished_at IS NULL AND expires_at > ? AND server = ?`, millis(now), Sandbox)
	if err != nil {
		return nil, fmt.Errorf("finding sandbox sessions: %w", err)
	}
	var ended []int64
	for rows.Next() {
		var id int64
		var pid int
		var run string
		if err := rows.Scan(&id, &pid, &run); err != nil {
			rows.Close()
			return nil, fmt.Errorf("finding sandbox sessions: %w", err)
		}
		if run != j.run && !j.running(pid) {
			ended = append(ended, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding sandbox sessions: %w", err)
	}
	if len(ended) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ended)+1)
	args = append(args, millis(now))
	for _, id := range ended {
		args = append(args, id)
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ended)), ",")
	return j.sessions(ctx, now, "ending sandbox sessions", `UPDATE sessions SET result = 'ended', finished_at = ?
		WHERE finished_at IS NULL AND id IN (`+marks+`) RETURNING `+sessionColumns, args...)
}

// EndOwnSandboxSessions marks as ended the open sessions this Journal
// recorded on the program's in-process sandbox: call it when the program
// stops that sandbox, so the journal says so at once rather than when the
// next program looks. It returns the sessions it marked.
func (j *Journal) EndOwnSandboxSessions(ctx context.Context) ([]Session, error) {
	now := j.now()
	return j.sessions(ctx, now, "ending this program's sandbox sessions", `UPDATE sessions INDEXED BY sessions_open
		SET result = 'ended', finished_at = ?
		WHERE finished_at IS NULL AND expires_at > ? AND server = ? AND owner_run = ? RETURNING `+sessionColumns,
		millis(now), millis(now), Sandbox, j.run)
}

// ProgramRunning reports whether pid is a running process of this same
// program (the journal's sandbox sessions and the wizard's drafts ask).
// This process runs. Where /proc tells the program, a pid reused by
// another program after a crash does not count; elsewhere any process
// does, one of another user included (the signal is refused, not missed).
func ProgramRunning(pid int) bool {
	if pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return true
	}
	if processState(pid) == 'Z' {
		return false // it has ended; only its exit status waits to be read
	}
	if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil {
		own, err := os.Executable()
		return err == nil && filepath.Base(strings.TrimSuffix(exe, " (deleted)")) == filepath.Base(own)
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// processState is the state letter /proc gives a process (R, S, Z, …),
// or 0 where /proc does not tell.
func processState(pid int) byte {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// "pid (command) state …": the command may hold spaces and brackets.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return 0
	}
	return stat[i+2]
}
