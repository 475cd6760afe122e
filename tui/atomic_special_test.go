//go:build unix

package tui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A pipe (as /dev/stdout may be) is written to, not replaced by a regular
// file: the same goes for devices such as /dev/null, which a test must not
// risk replacing.
func TestWriteFileAtomicWritesIntoAPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "out")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	// The reading end first, without waiting for a writer: a pipe the
	// save replaced instead would leave no one to wait for.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := WriteFileAtomic(fifo, []byte("texts\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe was replaced: %v", st.Mode())
	}
	if b, err := io.ReadAll(r); err != nil || string(b) != "texts\n" {
		t.Errorf("the reader got %q, %v", b, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteFileAtomicRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	err := WriteFileAtomic(dir, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "folder") {
		t.Fatalf("err = %v", err)
	}
	if st, _ := os.Stat(dir); !st.IsDir() {
		t.Error("the folder was replaced")
	}
}

// A pipe no program reads from is refused at once: the save must not wait
// for a reader that may never come.
func TestWriteFileAtomicRefusesAPipeNobodyReads(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "out")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- WriteFileAtomic(fifo, []byte("x"), 0o644) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(hangGuard):
		// Unblock the writer before failing.
		if r, rerr := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); rerr == nil {
			defer r.Close()
		}
		t.Fatal("the save waits for a reader")
	}
	if err == nil || !strings.Contains(err.Error(), "no program is reading") {
		t.Errorf("err = %v", err)
	}
}

// Saving into a folder that does not exist says so, without the name of a
// temporary file the person never asked for.
func TestWriteFileAtomicNamesAMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone", "flow.json")
	err := WriteFileAtomic(path, []byte("{}\n"), 0o644)
	if err == nil || !strings.Contains(err.Error(), "the folder "+filepath.Dir(path)+" does not exist") || strings.Contains(err.Error(), ".tmp-") {
		t.Fatalf("err = %v", err)
	}
}
