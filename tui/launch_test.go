package tui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/tui/editor"
)

// launchFromEditor opens the editor on a valid flow and presses L.
func launchFromEditor(t *testing.T, lc LaunchConfig) (*launchDriver, *SessionLauncher) {
	t.Helper()
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	app := launchEditorApp(t, l, lc.Now)
	d := newLaunchDriver(t, app, app.Init(), 100, 40)
	if _, ok := d.app().top().(*editor.Editor); !ok {
		t.Fatalf("top is %T, want the editor", d.app().top())
	}
	d.keys("L")
	if _, ok := d.app().top().(*launchScreen); !ok {
		t.Fatalf("L opened %T, want the launch screen:\n%s", d.app().top(), d.screen())
	}
	return d, l
}

func TestLaunchWithKeyGoesStraightToHandoff(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	vendor := &launchFakeVendor{key: launchTestKey}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchTestKey, launchServer(t, vendor)
	d, _ := launchFromEditor(t, lc)
	d.requireScreen("?session_token="+launchTestToken, "Expires in 15:00", "c copy link")
	if n := len(vendor.begins); n != 1 {
		t.Fatalf("%d begin/ calls, want 1", n)
	}
	if got := vendor.begins[0]["steps"]; got == nil {
		t.Fatal("the flow's steps were not sent")
	}
	d.keys("esc")
	if _, ok := d.app().top().(*editor.Editor); !ok {
		t.Fatalf("esc left %T on top, want the editor", d.app().top())
	}
	// The session was left unfinished: the status says how to follow it.
	d.requireScreen("open till ", "identoflow result "+launchTestToken)
}

func TestLaunchConfigIDIsSent(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	vendor := &launchFakeVendor{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL, lc.ConfigID = launchTestKey, launchServer(t, vendor), "5f3a9c2e1b7d4a6f8e0c1d2b"
	launchFromEditor(t, lc)
	if got := vendor.begins[0]["config_id"]; got != lc.ConfigID {
		t.Fatalf("config_id sent %v, want %s", got, lc.ConfigID)
	}
}

// No key and no base URL: the built-in sandbox is offered, and every
// screen after choosing it says SANDBOX.
func TestLaunchOffersSandbox(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	d, l := launchFromEditor(t, launchTestConfig(clock, clip))
	d.requireScreen("Where should sessions be created?", "Built-in sandbox")
	d.keys("enter")
	if !l.sandboxMode() {
		t.Fatal("choosing the sandbox did not start it")
	}
	d.requireScreen("SANDBOX", "/?session_token=", "a phone cannot reach the sandbox")
	url, err := launchDecodeQR(d.raw())
	if err != nil {
		t.Fatalf("QR code does not decode: %v\n%s", err, d.screen())
	}
	if !strings.HasPrefix(url, l.sandboxBase+"/?session_token=") {
		t.Fatalf("QR code holds %q, want the sandbox's widget page %s", url, l.sandboxBase)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the widget page answered %d", resp.StatusCode)
	}
	// Quitting would end the session the customer may be in: asked first.
	d.keys("ctrl+c")
	d.requireScreen("still open", "Quit anyway")
	d.keys("ctrl+c")
	d.requireScreen("SANDBOX", "/?session_token=")
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(url); err == nil {
		t.Fatal("the sandbox still answers after Close")
	}
}

// The key prompt masks what is typed; a base URL without a key asks for
// the key alone.
func TestLaunchAsksForKeyMasked(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	vendor := &launchFakeVendor{key: launchTestKey}
	lc := launchTestConfig(clock, clip)
	lc.BaseURL = launchServer(t, vendor)
	d, l := launchFromEditor(t, lc)
	d.requireScreen("Company key", "never saved, never shown")
	if strings.Contains(d.screen(), "sandbox") {
		t.Fatal("the sandbox is offered although a base URL is configured")
	}
	d.typeText(launchTestKey)
	if !strings.Contains(d.screen(), strings.Repeat("*", 8)) && !strings.Contains(d.screen(), strings.Repeat("•", 8)) {
		t.Fatalf("typed key is not masked:\n%s", d.screen())
	}
	d.keys("enter")
	d.requireScreen("?session_token=" + launchTestToken)
	if l.sandboxMode() {
		t.Fatal("sandbox started although a base URL is configured")
	}
}

func TestLaunchServerErrorShowsMessageAndRetries(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	vendor := &launchFakeVendor{beginStatus: 500, beginBody: `{"message":"database unavailable, try later"}`}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchTestKey, launchServer(t, vendor)
	d, _ := launchFromEditor(t, lc)
	d.requireScreen("The server answered 500 Internal Server Error", "database unavailable, try later", "r retry")
	vendor.set(func(f *launchFakeVendor) { f.beginStatus = 0 })
	d.keys("r")
	d.requireScreen("?session_token=" + launchTestToken)
}

func TestLaunchRefusedKeyCanBeEnteredAgain(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	vendor := &launchFakeVendor{key: launchTestKey}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = "ck_live_wrong_key_000", launchServer(t, vendor)
	d, _ := launchFromEditor(t, lc)
	d.requireScreen("refused the company key", "k enter key again")
	d.keys("k")
	d.requireScreen("Company key")
	d.typeText(launchTestKey)
	d.keys("enter")
	d.requireScreen("?session_token=" + launchTestToken)
	for _, f := range d.frames {
		if strings.Contains(f, "ck_live_wrong_key_000") {
			t.Fatalf("the refused key reached the screen:\n%s", f)
		}
	}
}

func TestLaunchConnectionRefused(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchTestKey, launchClosedURL(t)
	d, _ := launchFromEditor(t, lc)
	d.requireScreen("Could not reach the server", "refused", "--base-url")
	d.keys("esc")
	if _, ok := d.app().top().(*editor.Editor); !ok {
		t.Fatalf("esc on the error left %T on top", d.app().top())
	}
}

func TestLaunchBadBaseURLIsAScreen(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchTestKey, "ftp://example.com"
	d, _ := launchFromEditor(t, lc)
	d.requireScreen("The base URL cannot be used", "http or https")
}

func TestLaunchSignatureCheckedWithSecret(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.SecretKey, lc.BaseURL = launchTestKey, "whsec_Secret_77", launchServer(t, &launchFakeVendor{})
	d, _ := launchFromEditor(t, lc)
	d.requireScreen("signature check", "IDENTOMAT_SECRET_KEY")
	for _, f := range d.frames {
		if strings.Contains(f, "whsec_Secret_77") {
			t.Fatal("the secret key reached the screen")
		}
	}
}

func TestDescribeLaunchErrorRedacts(t *testing.T) {
	redact := strings.NewReplacer(launchTestKey, "REDACTED").Replace
	f := describeLaunchError(&api.StatusError{Status: 502, Message: "upstream said " + launchTestKey}, "x", redact)
	if strings.Contains(f.title+f.detail+f.hint, launchTestKey) {
		t.Fatalf("failure text holds the key: %+v", f)
	}
	if !strings.Contains(f.detail, "REDACTED") || !strings.Contains(f.hint, "try again") {
		t.Fatalf("failure %+v", f)
	}
}

// The company key (and the secret) never appear on any screen, in any
// state: the prompt while typing, every error (with servers that echo the
// key back), the handoff, the result, and desk mode.
func TestLaunchKeyNeverOnScreen(t *testing.T) {
	const secret = "whsec_Never_Shown_42"
	echo := `{"message":"bad request for key ` + launchTestKey + ` (` + url.QueryEscape(launchTestKey) + `)"}`
	check := func(t *testing.T, frames []string) {
		t.Helper()
		if len(frames) == 0 {
			t.Fatal("no frames drawn")
		}
		for _, f := range frames {
			for _, s := range []string{launchTestKey, url.QueryEscape(launchTestKey), secret} {
				if strings.Contains(f, s) {
					t.Fatalf("a frame shows %q:\n%s", s, f)
				}
			}
		}
	}
	t.Run("typed key, server errors, handoff, result", func(t *testing.T) {
		clock, clip := newLaunchClock(), &launchClipboard{}
		vendor := &launchFakeVendor{key: launchTestKey, beginStatus: 400, beginBody: echo}
		lc := launchTestConfig(clock, clip)
		lc.BaseURL = launchServer(t, vendor)
		d, _ := launchFromEditor(t, lc)
		d.typeText(launchTestKey)
		d.keys("enter")
		d.requireScreen("400 Bad Request", "REDACTED")
		vendor.set(func(f *launchFakeVendor) { f.beginStatus, f.beginBody = 500, echo })
		d.keys("r")
		d.requireScreen("500")
		vendor.set(func(f *launchFakeVendor) {
			f.beginStatus = 0
			f.resultStatus, f.resultBody = 503, echo
		})
		d.keys("r")
		d.poll()
		d.requireScreen("Could not check the result", "REDACTED")
		vendor.set(func(f *launchFakeVendor) {
			f.resultStatus = 0
			f.outcome = map[string]string{launchTestToken: `{"result":"rejected","reject_reason":{"value":"X","description":"key ` + launchTestKey + `"}}`}
		})
		d.poll()
		d.requireScreen("Rejected")
		d.keys("?")
		check(t, d.frames)
	})
	t.Run("refused key and a secret", func(t *testing.T) {
		clock, clip := newLaunchClock(), &launchClipboard{}
		lc := launchTestConfig(clock, clip)
		lc.CompanyKey, lc.SecretKey, lc.BaseURL = launchTestKey, secret, launchServer(t, &launchFakeVendor{key: "another"})
		d, _ := launchFromEditor(t, lc)
		d.requireScreen("refused")
		d.keys("k")
		d.typeText(launchTestKey)
		d.keys("enter", "esc")
		check(t, d.frames)
	})
	t.Run("desk", func(t *testing.T) {
		clock, clip := newLaunchClock(), &launchClipboard{}
		vendor := &launchFakeVendor{key: launchTestKey}
		lc := launchTestConfig(clock, clip)
		lc.BaseURL = launchServer(t, vendor)
		d, _ := launchDeskApp(t, lc)
		d.requireScreen("Company key")
		d.typeText(launchTestKey)
		d.keys("enter")
		d.typeText("Ann")
		d.keys("enter")
		d.requireScreen("For Ann")
		vendor.set(func(f *launchFakeVendor) { f.outcome = map[string]string{launchTestToken: `{"result":"approved"}`} })
		d.poll()
		d.requireScreen("Sessions this run: 1")
		check(t, d.frames)
	})
}

func TestLaunchConfigPrintsNoKeys(t *testing.T) {
	lc := LaunchConfig{CompanyKey: "company-key-xyz", SecretKey: "secret-key-xyz", BaseURL: "http://127.0.0.1:1"}
	d := DeskOptions{LaunchConfig: lc, File: "f.json"}
	for _, s := range []string{fmt.Sprint(lc), fmt.Sprintf("%v %+v %#v", lc, lc, lc), fmt.Sprintf("%v %+v", d, d)} {
		if strings.Contains(s, "company-key-xyz") || strings.Contains(s, "secret-key-xyz") {
			t.Fatalf("a key was printed: %s", s)
		}
	}
}

// With unsaved work and a sandbox session on show, the quit question says
// both.
func TestQuitWithUnsavedWorkNamesTheOpenSession(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	lc := launchTestConfig(clock, clip)
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	app := launchEditorApp(t, l, lc.Now)
	d := newLaunchDriver(t, app, app.Init(), 100, 40)
	d.keys("c") // duplicate the selected step: unsaved work
	if !d.app().doc.Dirty() {
		t.Fatal("the duplicate made no change")
	}
	d.keys("L", "enter") // the sandbox
	d.requireScreen("SANDBOX", "/?session_token=")
	d.keys("ctrl+c")
	d.requireScreen("Unsaved changes", "still open")
}
