package journal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/identoflow/identoflow/api"
)

// writeSessions records count sessions from first on, polls each twice
// (in progress, then approved) and wipes names as it goes (retention 0),
// so that its checkpoints meet the other writer's transactions.
func writeSessions(ctx context.Context, j *Journal, first, count int) error {
	for i := first; i < first+count; i++ {
		n := newSession(i)
		n.Customer = fmt.Sprintf("Customer %d", i)
		if _, err := j.Record(ctx, n); err != nil {
			return err
		}
		if err := j.Update(ctx, n.Token, api.Result{Status: "in_progress"}); err != nil {
			return err
		}
		if err := j.Update(ctx, n.Token, api.Result{Status: "approved"}); err != nil {
			return err
		}
		if i%10 == 0 {
			if _, err := j.ApplyRetention(ctx); err != nil && !errors.Is(err, ErrLingering) {
				return err
			}
		}
	}
	return nil
}

func checkAllApproved(t *testing.T, j *Journal, count int) {
	t.Helper()
	all, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != count {
		t.Fatalf("%d sessions in the journal, want %d", len(all), count)
	}
	for _, s := range all {
		if s.Result != ResultApproved || s.FinishedAt.IsZero() {
			t.Fatalf("session %s: %s", s.Token, s.Result)
		}
	}
}

// Two journals on one file in one program, several goroutines each,
// writing and reading at once.
func TestConcurrentHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := newClock()
	handles := []*Journal{openWith(t, Options{Path: path, Now: c.Now}), openWith(t, Options{Path: path, Now: c.Now})}
	const writers, each = 3, 20
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers+2)
	for h, j := range handles {
		for w := range writers {
			wg.Go(func() { errs <- writeSessions(ctx, j, (h*writers+w)*each, each) })
		}
		wg.Go(func() {
			for range 20 {
				if _, err := j.OpenSessions(ctx); err != nil {
					errs <- err
					return
				}
				if _, err := j.History(ctx, 0, 50); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	checkAllApproved(t, handles[1], 2*writers*each)
}

const writerEnv = "IDENTOFLOW_TEST_JOURNAL_WRITER"

// TestWriterProcess is the second program of TestConcurrentPrograms.
func TestWriterProcess(t *testing.T) {
	path := os.Getenv(writerEnv)
	if path == "" {
		t.Skip("run by TestConcurrentPrograms")
	}
	first, _ := strconv.Atoi(os.Getenv(writerEnv + "_FIRST"))
	count, _ := strconv.Atoi(os.Getenv(writerEnv + "_COUNT"))
	j, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if count == 0 { // until killed, saying each session once it is recorded
		for i := first; ; i++ {
			if _, err := j.Record(context.Background(), newSession(i)); err != nil {
				t.Fatal(err)
			}
			fmt.Println(token(i))
		}
	}
	if err := writeSessions(context.Background(), j, first, count); err != nil {
		t.Fatal(err)
	}
}

// A program killed (SIGKILL) while it records sessions has lost none of
// those it had shown.
func TestKilledWriterLosesNothingShown(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriterProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), writerEnv+"="+path, writerEnv+"_FIRST=0", writerEnv+"_COUNT=0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	var shown []string
	for len(shown) < 25 && lines.Scan() {
		shown = append(shown, lines.Text())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // what it printed before it died
		shown = append(shown, lines.Text())
	}
	cmd.Wait()
	if len(shown) < 25 {
		t.Fatalf("the writer showed %d sessions before it died", len(shown))
	}
	j := openAt(t, path, newClock())
	for _, tok := range shown {
		if len(tok) != len(token(0)) || !strings.HasPrefix(tok, "tok") {
			continue // the test framework's own last words
		}
		if _, err := j.Get(context.Background(), tok); err != nil {
			t.Errorf("shown, then lost: %v", err)
		}
	}
}

// Two programs (this test and a copy of its binary) write the same
// journal at once; nothing is lost and neither fails.
func TestConcurrentPrograms(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	const each = 60
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriterProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), writerEnv+"="+path, writerEnv+"_FIRST="+strconv.Itoa(each), writerEnv+"_COUNT="+strconv.Itoa(each))
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	j, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	werr := writeSessions(context.Background(), j, 0, each)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the other program: %v\n%s", err, out.String())
	}
	if werr != nil {
		t.Fatal(werr)
	}
	checkAllApproved(t, j, 2*each)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}
