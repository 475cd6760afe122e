package tui

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
)

func (d *launchDriver) desk() *deskScreen {
	d.tb.Helper()
	s, ok := d.app().top().(*deskScreen)
	if !ok {
		d.tb.Fatalf("top is %T, want the desk", d.app().top())
	}
	return s
}

// completeInSandbox picks the outcome on the sandbox's widget page, as its
// form does.
func completeInSandbox(t *testing.T, widgetURL string, form url.Values) {
	t.Helper()
	u, err := url.Parse(widgetURL)
	if err != nil {
		t.Fatal(err)
	}
	form.Set("session_token", u.Query().Get("session_token"))
	resp, err := http.PostForm(u.Scheme+"://"+u.Host+"/sandbox/complete", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("completing the session: %d", resp.StatusCode)
	}
}

func widgetPage(t *testing.T, widgetURL string) string {
	t.Helper()
	resp, err := http.Get(widgetURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// Two customers in a row against the built-in sandbox: name and client
// user ID go with the session only, the result shows large, the fields
// are cleared, and the run's sessions are listed.
func TestDeskTwoCustomers(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now // the sandbox's tokens must not expire on the fixed clock's say
	d, l := launchDeskApp(t, lc)
	// Nothing configured: desk mode starts on the sandbox without asking.
	d.requireScreen("SANDBOX", "Flow: kyc.json", "Next customer", "Set IDENTOMAT_COMPANY_KEY")

	d.typeText("Jane Doe")
	d.keys("tab")
	d.typeText("cu-1")
	d.keys("enter")
	d.requireScreen("SANDBOX", "For Jane Doe · client user ID cu-1", "Expires in")
	first, err := launchDecodeQR(d.raw())
	if err != nil {
		t.Fatalf("QR code: %v\n%s", err, d.screen())
	}
	if !strings.HasPrefix(first, l.sandboxBase) {
		t.Fatalf("QR code %q does not point at the sandbox", first)
	}
	if page := widgetPage(t, first); !strings.Contains(page, "Jane Doe") {
		t.Fatal("the customer's name did not reach the session")
	}
	completeInSandbox(t, first, url.Values{"outcome": {"approved"}})
	d.poll()
	desk := d.desk()
	if desk.run.phase != runnerIdle {
		t.Fatalf("after the result the desk is in phase %v, want ready", desk.run.phase)
	}
	d.requireScreen("SANDBOX", "Approved · For Jane Doe · client user ID cu-1", "Sessions this run: 1", "Jane Doe")
	if desk.fields[0].Value() != "" || desk.fields[1].Value() != "" {
		t.Fatal("fields not cleared for the next customer")
	}
	if desk.cfg.String("name") != "" || desk.cfg.String("clientUserId") != "" {
		t.Fatal("the customer's fields leaked into the desk's flow")
	}

	d.keys("enter") // one key to the next customer's QR code
	d.requireScreen("Verification session", "Expires in")
	second, err := launchDecodeQR(d.raw())
	if err != nil || second == first {
		t.Fatalf("second QR code %q (%v), first %q", second, err, first)
	}
	completeInSandbox(t, second, url.Values{"outcome": {"rejected"}, "reason": {"FACE_MISMATCH"}})
	d.poll()
	d.requireScreen("Rejected: The face does not match the document photo (FACE_MISMATCH)", "Sessions this run: 2")
	list := d.screen()[strings.Index(d.screen(), "Sessions this run"):]
	if strings.Index(list, "Rejected") > strings.Index(list, "Approved") {
		t.Fatalf("newest session not first:\n%s", list)
	}

	// From a shown session, the next customer's code is two keys away.
	d.keys("enter")
	third := d.runner().hand.session.URL
	d.keys("n", "enter")
	if got := d.runner().hand.session.URL; got == third {
		t.Fatal("n, enter did not create a new session")
	}
	d.requireScreen("Expires in")
	if len(desk.log) != 4 || desk.log[2].state != deskOpen {
		t.Fatalf("log %d entries, third %v; want 4 with the third left open", len(desk.log), desk.log[2].state)
	}
}

// A session left with n is still asked for its result in the background.
func TestDeskLeftOpenSessionIsPolled(t *testing.T) {
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.keys("enter")
	gen := d.runner().hand.gen
	d.keys("n")
	d.requireScreen("Left open, checking…")
	vendor.set(func(f *launchFakeVendor) { f.outcome = map[string]string{launchTestToken: `{"result":"approved"}`} })
	d.send(deskPollMsg{gen: gen})
	d.requireScreen("Approved")
	n := vendor.results
	d.send(deskPollMsg{gen: gen})
	if vendor.results != n {
		t.Fatal("still polling a finished session")
	}
}

func TestDeskExpiryReturnsToReady(t *testing.T) {
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.typeText("Ann")
	d.keys("enter")
	clock.advance(16 * time.Minute)
	d.tick()
	d.requireScreen("Next customer", "Expired", "Expired before the customer finished · For Ann")
	if d.desk().fields[0].Value() != "" {
		t.Fatal("fields not cleared after expiry")
	}
}

// esc goes back to the ready screen keeping the fields, to fix a typo.
func TestDeskEscKeepsFields(t *testing.T) {
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.typeText("Anne Smtih")
	d.keys("enter", "esc")
	if got := d.desk().fields[0].Value(); got != "Anne Smtih" {
		t.Fatalf("name field %q after esc", got)
	}
	d.keys("enter")
	if got := vendor.begins[1]["name"]; got != "Anne Smtih" {
		t.Fatalf("second session's name %v", got)
	}
}

func TestDeskConfigIDOnly(t *testing.T) {
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
	lc := launchVendorConfig(clock, clip, vendor)
	lc.ConfigID = "5f3a9c2e1b7d4a6f8e0c1d2b"
	app, l, err := newDesk(DeskOptions{LaunchConfig: lc})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d := newLaunchDriver(t, app, initScreen(app.top()), 80, 24)
	d.requireScreen("Saved configuration · config_id 5f3a9c2e1b7d4a6f8e0c1d2b")
	d.keys("enter")
	got, _ := json.Marshal(vendor.begins[0])
	if string(got) != `{"config_id":"5f3a9c2e1b7d4a6f8e0c1d2b","flags":{}}` {
		t.Fatalf("payload %s", got)
	}
}

func TestDeskFileWithConfigID(t *testing.T) {
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
	lc := launchVendorConfig(clock, clip, vendor)
	lc.ConfigID = "5f3a9c2e1b7d4a6f8e0c1d2b"
	path := launchFlowFile(t, "basic-kyc")
	app, l, err := newDesk(DeskOptions{LaunchConfig: lc, File: path})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d := newLaunchDriver(t, app, initScreen(app.top()), 80, 24)
	d.requireScreen("Flow: " + filepath.Base(path) + " · config_id 5f3a9c2e1b7d4a6f8e0c1d2b")
	d.keys("enter")
	if vendor.begins[0]["config_id"] != lc.ConfigID || vendor.begins[0]["steps"] == nil {
		t.Fatalf("payload %v: want the file's steps and the config_id", vendor.begins[0])
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

// launchGolden compares a frame, without colours, with
// testdata/NAME.golden (go test -update rewrites it).
func launchGolden(t *testing.T, name, frame string) {
	t.Helper()
	golden.RequireEqual(launchNamedTB{t, name}, ansi.Strip(frame))
}

type launchNamedTB struct {
	*testing.T
	name string
}

func (n launchNamedTB) Name() string { return n.name }

// Golden frames of the desk's ready and handoff screens at 80×24 and
// 100×40: fixed clock and token, the vendor's base URL.
func TestDeskGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 40}} {
		w, h := size[0], size[1]
		suffix := "_" + strconv.Itoa(w) + "x" + strconv.Itoa(h)
		clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
		d, _ := launchDeskAppSized(t, launchVendorConfig(clock, clip, vendor), w, h)
		launchGolden(t, "desk_ready_empty"+suffix, d.raw())
		vendor.set(func(f *launchFakeVendor) {
			f.tokens = []string{launchTestToken2, launchTestToken}
			f.outcome = map[string]string{launchTestToken: `{"result":"rejected","reject_reason":{"value":"DOCUMENT_EXPIRED","description":"The identity document has expired"}}`}
		})
		d.typeText("Ben")
		d.keys("enter", "n")
		clock.advance(3 * time.Minute)
		d.typeText("Jane Doe")
		d.keys("tab")
		d.typeText("cu-1042")
		d.keys("enter")
		launchGolden(t, "handoff_desk"+suffix, d.raw())
		d.poll()
		launchGolden(t, "desk_ready"+suffix, d.raw())
	}
}

func TestLaunchGolden(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.StartSandbox = func(func() time.Time) (string, func(context.Context) error, error) {
		return "http://127.0.0.1:8790", func(context.Context) error { return nil }, nil
	}
	d, _ := launchDeskApp(t, lc)
	launchGolden(t, "desk_ready_sandbox_80x24", d.raw())

	vendor := &launchFakeVendor{key: "another"}
	d2, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d2.keys("enter")
	launchGolden(t, "launch_refused_80x24", d2.raw())
}

// BenchmarkDeskEnterToHandoff measures enter on the ready screen until the
// handoff screen (QR code included) is drawn, against the in-process
// sandbox. Goal: at most 50 ms.
func BenchmarkDeskEnterToHandoff(b *testing.B) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now
	d, _ := launchDeskAppSized(b, lc, 100, 40)
	d.keys("enter") // the sandbox
	d.keepOnlyLast = true
	b.ResetTimer()
	for b.Loop() {
		d.keys("enter")
		if !strings.Contains(d.frames[len(d.frames)-1], "session_token") {
			b.Fatalf("no handoff:\n%s", d.screen())
		}
		b.StopTimer()
		d.keys("n")
		b.StartTimer()
	}
}

// Desk mode has nothing to save: ctrl+c quits at once, whatever is shown.
func TestDeskCtrlCQuitsAtOnce(t *testing.T) {
	for _, before := range [][]string{nil, {"x"}} {
		clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
		d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
		d.keys(before...)
		d.keys("ctrl+c")
		if !d.quit {
			t.Errorf("after %q, ctrl+c did not quit:\n%s", before, d.screen())
		}
	}
	// With a session a customer may be in, ctrl+c asks first: a second
	// ctrl+c (or Stay) keeps it, Quit anyway quits.
	for _, before := range [][]string{{"enter"}, {"enter", "esc", "x"}} {
		clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
		d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
		d.keys(before...)
		d.keys("ctrl+c")
		if d.quit {
			t.Fatalf("after %q, ctrl+c quit with a session open", before)
		}
		d.requireScreen("1 session(s) still open", "Quit anyway")
		d.keys("ctrl+c")
		if d.quit {
			t.Fatal("a second ctrl+c quit instead of cancelling the question")
		}
		d.keys("ctrl+c", "down", "enter")
		if !d.quit {
			t.Errorf("Quit anyway did not quit:\n%s", d.screen())
		}
	}
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.BaseURL = launchServer(t, &launchFakeVendor{})
	d, _ := launchDeskApp(t, lc)
	d.requireScreen("Company key")
	d.keys("esc")
	d.requireScreen("No company key yet: enter asks for it.")
	d.keys("enter")
	d.requireScreen("Company key")
	d.keys("ctrl+c")
	if !d.quit {
		t.Error("ctrl+c in the key prompt did not quit")
	}
}

// RunDesk drives a real program; a cancelled context ends it cleanly and
// stops the built-in sandbox.
func TestRunDeskStopsOnCancel(t *testing.T) {
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
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
	case <-time.After(10 * time.Second):
		t.Fatal("RunDesk did not stop when its context was cancelled")
	}
}
