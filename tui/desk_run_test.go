package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/widget"
)

// Desk mode and launching as the wizard runs them: RunDesk and its flow,
// ctrl+c, and quitting with a session open over unsaved work.

// launchTestConfig is a launcher configuration for tests: fixed clock, fast
// polling, no retries, a recorded clipboard.
func launchTestConfig(clock *launchtest.Clock, clip *launchtest.Clipboard) LaunchConfig {
	return LaunchConfig{
		Now:            clock.Now,
		PollEvery:      20 * time.Millisecond,
		RetryBudget:    -1,
		WriteClipboard: clip.Write,
	}
}

// launchVendorConfig talks to vendor in process, under the vendor's own
// base URL.
func launchVendorConfig(clock *launchtest.Clock, clip *launchtest.Clipboard, vendor *launchtest.FakeVendor) LaunchConfig {
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey = launchtest.Key
	lc.HTTPClient = &http.Client{Transport: launchtest.HandlerTransport{Handler: vendor}}
	return lc
}

func appOf(d *launchtest.Driver) *App { return d.Model.(*App) }

// launchEditorApp is the wizard with a valid flow open in the editor.
func launchEditorApp(tb testing.TB, l *SessionLauncher, now func() time.Time) *App {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "kyc.json")
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, cfg.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return New(RunOptions{Options: Options{Store: Store{Dir: tb.TempDir()}, Launcher: l, Now: now}, File: path})
}

// deskApp is RunDesk's model on a template flow, without the program.
func deskApp(tb testing.TB, lc LaunchConfig) *launchtest.Driver {
	tb.Helper()
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		tb.Fatal(err)
	}
	app, l, err := newDesk(DeskOptions{LaunchConfig: lc, File: "kyc.json", Config: cfg})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	return launchtest.NewDriver(tb, app, initScreen(app.top()), 80, 24)
}

func TestDeskConfigIDOnly(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	lc := launchVendorConfig(clock, clip, vendor)
	lc.ConfigID = "5f3a9c2e1b7d4a6f8e0c1d2b"
	app, l, err := newDesk(DeskOptions{LaunchConfig: lc})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d := launchtest.NewDriver(t, app, initScreen(app.top()), 80, 24)
	d.RequireScreen("Saved configuration · config_id 5f3a9c2e1b7d4a6f8e0c1d2b")
	d.Keys("enter")
	got, _ := json.Marshal(vendor.Begins[0])
	if string(got) != `{"config_id":"5f3a9c2e1b7d4a6f8e0c1d2b","flags":{}}` {
		t.Fatalf("payload %s", got)
	}
}

func TestDeskFileWithConfigID(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	lc := launchVendorConfig(clock, clip, vendor)
	lc.ConfigID = "5f3a9c2e1b7d4a6f8e0c1d2b"
	path := launchFlowFile(t, "basic-kyc")
	app, l, err := newDesk(DeskOptions{LaunchConfig: lc, File: path})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d := launchtest.NewDriver(t, app, initScreen(app.top()), 80, 24)
	d.RequireScreen("Flow: " + filepath.Base(path) + " · config_id 5f3a9c2e1b7d4a6f8e0c1d2b")
	d.Keys("enter")
	if vendor.Begins[0]["config_id"] != lc.ConfigID || vendor.Begins[0]["steps"] == nil {
		t.Fatalf("payload %v: want the file's steps and the config_id", vendor.Begins[0])
	}
}

func launchFlowFile(t *testing.T, template string) string {
	t.Helper()
	cfg, err := flow.TemplateConfig(template)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), template+".json")
	if err := os.WriteFile(path, cfg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDeskRefusesBadFlows(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	_ = os.WriteFile(broken, []byte(`{"steps": [`), 0o644)
	invalid := filepath.Join(dir, "invalid.json")
	_ = os.WriteFile(invalid, []byte(`{"steps": [{"type": "selfie"}]}`), 0o644)
	for _, tc := range []struct {
		o    DeskOptions
		want string
	}{
		{DeskOptions{}, "needs a flow file or --config-id"},
		{DeskOptions{File: filepath.Join(dir, "missing.json")}, "reading the flow"},
		{DeskOptions{File: broken}, "broken.json"},
		{DeskOptions{File: invalid}, "has 1 error(s)"},
	} {
		err := RunDesk(context.Background(), tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("RunDesk(%+v) = %v, want %q", tc.o.File, err, tc.want)
		}
	}
}

// Desk mode has nothing to save: ctrl+c quits at once, whatever is shown.
func TestDeskCtrlCQuitsAtOnce(t *testing.T) {
	for _, before := range [][]string{nil, {"x"}} {
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		d := deskApp(t, launchVendorConfig(clock, clip, vendor))
		d.Keys(before...)
		d.Keys("ctrl+c")
		if !d.Quit {
			t.Errorf("after %q, ctrl+c did not quit:\n%s", before, d.Screen())
		}
	}
	// With a session a customer may be in, ctrl+c asks first: a second
	// ctrl+c (or Stay) keeps it, Quit anyway quits.
	for _, before := range [][]string{{"enter"}, {"enter", "esc", "x"}} {
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		d := deskApp(t, launchVendorConfig(clock, clip, vendor))
		d.Keys(before...)
		d.Keys("ctrl+c")
		if d.Quit {
			t.Fatalf("after %q, ctrl+c quit with a session open", before)
		}
		d.RequireScreen("1 session(s) still open", "Quit anyway")
		d.Keys("ctrl+c")
		if d.Quit {
			t.Fatal("a second ctrl+c quit instead of cancelling the question")
		}
		d.Keys("ctrl+c", "down", "enter")
		if !d.Quit {
			t.Errorf("Quit anyway did not quit:\n%s", d.Screen())
		}
	}
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.BaseURL = launchtest.Server(t, &launchtest.FakeVendor{})
	d := deskApp(t, lc)
	d.RequireScreen("Company key")
	d.Keys("esc")
	d.RequireScreen("No company key yet: enter asks for it.")
	d.Keys("enter")
	d.RequireScreen("Company key")
	d.Keys("ctrl+c")
	if !d.Quit {
		t.Error("ctrl+c in the key prompt did not quit")
	}
}

// RunDesk drives a real program; a cancelled context ends it cleanly and
// stops the built-in sandbox.
func TestRunDeskStopsOnCancel(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	ctx, cancel := context.WithCancel(context.Background())
	in, inW := io.Pipe()
	defer inW.Close()
	done := make(chan error, 1)
	go func() {
		done <- RunDesk(ctx, DeskOptions{LaunchConfig: launchVendorConfig(clock, clip, vendor), File: launchFlowFile(t, "basic-kyc"), Input: in, Output: io.Discard})
	}()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("RunDesk after cancel: %v", err)
		}
	case <-time.After(hangGuard):
		t.Fatal("RunDesk did not stop when its context was cancelled")
	}
}

// With unsaved work and a sandbox session on show, the quit question says
// both.
func TestQuitWithUnsavedWorkNamesTheOpenSession(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	app := launchEditorApp(t, l, lc.Now)
	d := launchtest.NewDriver(t, app, app.Init(), 100, 40)
	d.Keys("c") // duplicate the selected step: unsaved work
	if !appOf(d).doc.Dirty() {
		t.Fatal("the duplicate made no change")
	}
	d.Keys("L", "enter") // the sandbox
	d.RequireScreen("SANDBOX", "/?session_token=")
	d.Keys("ctrl+c")
	d.RequireScreen("Unsaved changes", "still open")
}

// A sandbox session left open behind the editor still stops when the
// program quits: ctrl+c in the editor asks first, in words too, until the
// customer is done.
func TestQuitAsksWhileALeftSandboxSessionIsOpen(t *testing.T) {
	for _, accessible := range []bool{false, true} {
		clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
		lc := launchTestConfig(clock, clip)
		l := NewLauncher(lc)
		t.Cleanup(func() { _ = l.Close() })
		if err := l.UseSandboxUnlessConfigured(); err != nil {
			t.Fatal(err)
		}
		app := launchEditorApp(t, l, lc.Now)
		app.common.Accessible = accessible
		d := launchtest.NewDriver(t, app, app.Init(), 80, 24)
		d.Keys("L")
		d.RequireScreen("SANDBOX")
		d.Keys("c") // copies the session link
		if len(clip.Copies) == 0 {
			t.Fatal("c copied no link")
		}
		link := clip.Copies[len(clip.Copies)-1]
		d.Keys("esc")
		d.RequireScreen("stays open until")
		d.Keys("ctrl+c")
		if _, asks := appOf(d).top().(*widget.QuitDialog); !asks {
			t.Fatalf("accessible=%v: ctrl+c quit with the sandbox session open:\n%s", accessible, d.Screen())
		}
		if !accessible { // in words the question is asked on the terminal's lines
			d.RequireScreen("still open", "quitting stops the sandbox", "Quit anyway")
		}
		d.Keys("ctrl+c") // cancels the question
		if _, asks := appOf(d).top().(*widget.QuitDialog); asks {
			t.Fatal("a second ctrl+c did not cancel the question")
		}

		launchtest.CompleteInSandbox(t, link, url.Values{"outcome": {"approved"}})
		d.Keys("ctrl+c")
		if _, asks := appOf(d).top().(*widget.QuitDialog); asks {
			s := d.Screen()
			t.Fatalf("accessible=%v: the session is over, yet quitting asks:\n%s", accessible, s)
		}
	}
}

// Desk options print as their launch configuration does: without the keys.
func TestDeskOptionsPrintNoKeys(t *testing.T) {
	lc := LaunchConfig{CompanyKey: "company-key-xyz", SecretKey: "secret-key-xyz", BaseURL: "http://127.0.0.1:1"}
	d := DeskOptions{LaunchConfig: lc, File: "f.json"}
	if s := fmt.Sprintf("%v %+v %#v", d, d, d); strings.Contains(s, "company-key-xyz") || strings.Contains(s, "secret-key-xyz") {
		t.Fatalf("a key was printed: %s", s)
	}
}
