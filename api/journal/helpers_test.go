package journal

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 5, 4, 9, 0, 0, 0, time.Local)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openAt opens the journal at path with the clock and a week's retention.
func openAt(t testing.TB, path string, c *clock) *Journal {
	t.Helper()
	return openWith(t, Options{Path: path, Retain: DefaultRetain, Now: c.Now})
}

// openWith opens a journal that the test closes when it ends.
func openWith(t testing.TB, opts Options) *Journal {
	t.Helper()
	j, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func tempJournal(t testing.TB) (*Journal, *clock) {
	t.Helper()
	c := newClock()
	return openAt(t, filepath.Join(t.TempDir(), FileName), c), c
}

// token is a valid, distinct session token for n.
func token(n int) string { return fmt.Sprintf("tok%037d", n) }

func newSession(n int) NewSession {
	return NewSession{
		Token: token(n), URL: "https://widget.example/?session_token=" + token(n), Server: "https://widget.example",
		Source: "desk", FlowFile: "/flows/kyc.json", Payload: []byte(`{"steps":[]}`),
	}
}

func record(t testing.TB, j *Journal, n NewSession) Session {
	t.Helper()
	s, err := j.Record(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tokens(ss []Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Token
	}
	return out
}
