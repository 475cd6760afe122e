package session

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// launchTestConfig is a launcher configuration for tests: fixed clock, fast
// polling, no retries, a recorded clipboard.
func launchTestConfig(clock *launchtest.Clock, clip *launchtest.Clipboard) Config {
	return Config{
		Now:            clock.Now,
		PollEvery:      20 * time.Millisecond,
		RetryBudget:    -1,
		WriteClipboard: clip.Write,
	}
}

// hostOf is the stand-in root a driver runs.
func hostOf(d *launchtest.Driver) *testHost { return d.Model.(*testHost) }

// runner is the session runner of the top screen.
func runnerOf(d *launchtest.Driver) *sessionRunner {
	d.TB.Helper()
	switch s := hostOf(d).top().(type) {
	case *launchScreen:
		return s.run
	case *deskScreen:
		return s.run
	}
	d.TB.Fatalf("top screen is %T, not a launch or desk screen", hostOf(d).top())
	return nil
}

// poll fires the shown session's result poll.
func pollNow(d *launchtest.Driver) {
	d.TB.Helper()
	r := runnerOf(d)
	if r.hand == nil {
		d.TB.Fatalf("no session is shown:\n%s", d.Screen())
	}
	d.Send(handoffPollMsg{gen: r.hand.gen})
}

// tick fires the shown session's countdown tick.
func tickNow(d *launchtest.Driver) {
	d.TB.Helper()
	r := runnerOf(d)
	if r.hand == nil {
		d.TB.Fatalf("no session is shown:\n%s", d.Screen())
	}
	d.Send(handoffTickMsg{gen: r.hand.gen})
}

// launchDeskApp is desk mode on a template flow.
func launchDeskApp(tb testing.TB, lc Config) (*launchtest.Driver, *Launcher) {
	tb.Helper()
	return launchDeskAppSized(tb, lc, 80, 24)
}

func launchDeskAppSized(tb testing.TB, lc Config, w, h int) (*launchtest.Driver, *Launcher) {
	tb.Helper()
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		tb.Fatal(err)
	}
	// As RunDesk starts it: on the built-in sandbox when nothing names a
	// server, the flow named after its file.
	l := NewLauncher(lc)
	if err := l.UseSandboxUnlessConfigured(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	host := newTestHost(func(c *ui.Common) ui.Screen { return NewDeskScreen(c, l, cfg, "Flow: kyc.json") })
	return launchtest.NewDriver(tb, host, host.initTop(), w, h), l
}

// sandboxURL is the base of the links the launcher's built-in sandbox
// hands out.
func sandboxURL(l *Launcher) string { return l.sandbox.srv.Reach().URL }

// fixedSandbox stands in for the built-in sandbox where a frame must be
// the same on every run: it listens nowhere (begin/ and result/ go
// wherever the config's HTTP client sends them), its reach is fixed, and
// its customer is where the test puts them.
type fixedSandbox struct {
	reach    sandbox.Reach
	progress sandbox.Progress
	known    bool // Progress knows the session
}

func (f *fixedSandbox) Start(string) (string, func(context.Context) error, error) {
	return f.reach.Listening, func(context.Context) error { return nil }, nil
}

func (f *fixedSandbox) StartLAN(addr string) (string, func(context.Context) error, error) {
	return f.Start(addr)
}

func (f *fixedSandbox) WidgetURL(token string) string {
	return f.reach.URL + "/?session_token=" + url.QueryEscape(token)
}

func (f *fixedSandbox) Reach() sandbox.Reach { return f.reach }

func (f *fixedSandbox) Progress(string) (sandbox.Progress, bool) { return f.progress, f.known }

// useFixedSandbox makes lc's built-in sandbox f.
func useFixedSandbox(lc *Config, f *fixedSandbox) {
	lc.NewSandbox = func(sandbox.Options) SandboxServer { return f }
}
