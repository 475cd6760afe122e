package tui

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// hangGuard bounds every wait on a running program. It is no speed limit:
// tests wait on what the program shows, and this only keeps a broken
// program from hanging the run, however slow and busy the machine.
const hangGuard = 5 * time.Minute

// syncBuffer is a program's output, read by the test while written.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// liveProgram is the wizard running as a real Bubble Tea program on a pipe
// for a terminal: keys go in as messages, typed lines (what accessible
// mode asks on the terminal) through the pipe, and the test reads the
// frames the model draws.
type liveProgram struct {
	rec   *launchRecorder
	prog  *tea.Program
	typed *os.File // what the person types
	out   *syncBuffer
	ended chan struct{} // closed when the program has ended, with err
	err   error
}

func startProgram(t *testing.T, model tea.Model, w, h int) *liveProgram {
	t.Helper()
	r, typed, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	lp := &liveProgram{rec: &launchRecorder{model: model}, typed: typed, out: &syncBuffer{}, ended: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	lp.prog = tea.NewProgram(lp.rec, tea.WithContext(ctx), tea.WithInput(r), tea.WithOutput(lp.out), tea.WithWindowSize(w, h))
	go func() {
		_, lp.err = lp.prog.Run()
		close(lp.ended)
	}()
	t.Cleanup(func() {
		cancel()
		_ = typed.Close()
		select {
		case <-lp.ended:
		case <-time.After(hangGuard):
		}
		_ = r.Close()
	})
	return lp
}

func (lp *liveProgram) keys(names ...string) {
	for _, n := range names {
		lp.prog.Send(press(n))
	}
}

// answer waits until the terminal asks question (a line prompt written
// after mark, the output's length before it was opened) and types line.
func (lp *liveProgram) answer(t *testing.T, mark int, question, line string) string {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		asked := ansi.Strip(lp.out.String()[mark:])
		if strings.Contains(asked, question) && strings.HasSuffix(asked, "> ") {
			if _, err := lp.typed.WriteString(line + "\n"); err != nil {
				t.Fatal(err)
			}
			return asked
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never asked %q; it shows:\n%s", question, asked)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mark is where the output is now: what is asked after it is new.
func (lp *liveProgram) mark() int { return len(lp.out.String()) }

// finished waits for the program to end.
func (lp *liveProgram) finished(t *testing.T) {
	t.Helper()
	select {
	case <-lp.ended:
		if lp.err != nil {
			t.Fatalf("the program ended with %v", lp.err)
		}
	case <-time.After(hangGuard):
		t.Fatalf("the program did not end; last frame:\n%s", ansi.Strip(lp.rec.last()))
	}
}
