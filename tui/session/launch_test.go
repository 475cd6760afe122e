package session

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// launchFromEditor opens the launch screen of a valid flow over the
// screen it is launched from, as L in the editor does, at 100×40.
func launchFromEditor(t *testing.T, lc Config) (*launchtest.Driver, *Launcher) {
	t.Helper()
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	return launchOver(t, l, 100, 40), l
}

// launchOver opens l's launch screen of a valid flow in a w×h terminal.
func launchOver(t *testing.T, l *Launcher, w, h int) *launchtest.Driver {
	t.Helper()
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		t.Fatal(err)
	}
	host := newTestHost(func(*ui.Common) ui.Screen { return underScreen{} })
	d := launchtest.NewDriver(t, host, ui.Push(l.Launch(host.common, cfg, "/flows/basic.json")), w, h)
	if _, ok := hostOf(d).top().(*launchScreen); !ok {
		t.Fatalf("the launcher opened %T, want the launch screen:\n%s", hostOf(d).top(), d.Screen())
	}
	return d
}

// requireLeft fails unless the launch screen closed.
func requireLeft(t *testing.T, d *launchtest.Driver) {
	t.Helper()
	if top := hostOf(d).top(); top != (underScreen{}) {
		t.Fatalf("%T is on top, want the screen the launch was opened over", top)
	}
}

func TestLaunchWithKeyGoesStraightToHandoff(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{Key: launchtest.Key}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchtest.Key, launchtest.Server(t, vendor)
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("?session_token="+launchtest.Token, "Expires in 15:00", "c copy link")
	if n := len(vendor.Begins); n != 1 {
		t.Fatalf("%d begin/ calls, want 1", n)
	}
	if got := vendor.Begins[0]["steps"]; got == nil {
		t.Fatal("the flow's steps were not sent")
	}
	d.Keys("esc")
	requireLeft(t, d)
	// The session was left unfinished: the status says how to follow it.
	d.RequireScreen("open till ", "identoflow result "+launchtest.Token)
}

func TestLaunchConfigIDIsSent(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL, lc.ConfigID = launchtest.Key, launchtest.Server(t, vendor), "5f3a9c2e1b7d4a6f8e0c1d2b"
	launchFromEditor(t, lc)
	if got := vendor.Begins[0]["config_id"]; got != lc.ConfigID {
		t.Fatalf("config_id sent %v, want %s", got, lc.ConfigID)
	}
}

// No key and no base URL: the built-in sandbox is offered, and every
// screen after choosing it says SANDBOX.
func TestLaunchOffersSandbox(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	d, l := launchFromEditor(t, launchTestConfig(clock, clip))
	d.RequireScreen("Where should sessions be created?", "Built-in sandbox")
	d.Keys("enter")
	if !l.sandboxMode() {
		t.Fatal("choosing the sandbox did not start it")
	}
	d.RequireScreen("SANDBOX", "/?session_token=", "A phone cannot open 127.0.0.1")
	url, err := launchtest.DecodeQR(d.Raw())
	if err != nil {
		t.Fatalf("QR code does not decode: %v\n%s", err, d.Screen())
	}
	if !strings.HasPrefix(url, sandboxURL(l)+"/?session_token=") {
		t.Fatalf("QR code holds %q, want the sandbox's widget page %s", url, sandboxURL(l))
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
	d.Keys("ctrl+c")
	d.RequireScreen("still open", "Quit anyway")
	d.Keys("ctrl+c")
	d.RequireScreen("SANDBOX", "/?session_token=")
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
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{Key: launchtest.Key}
	lc := launchTestConfig(clock, clip)
	lc.BaseURL = launchtest.Server(t, vendor)
	d, l := launchFromEditor(t, lc)
	d.RequireScreen("Company key", "never saved, never shown")
	if strings.Contains(d.Screen(), "sandbox") {
		t.Fatal("the sandbox is offered although a base URL is configured")
	}
	d.TypeText(launchtest.Key)
	if !strings.Contains(d.Screen(), strings.Repeat("*", 8)) && !strings.Contains(d.Screen(), strings.Repeat("•", 8)) {
		t.Fatalf("typed key is not masked:\n%s", d.Screen())
	}
	d.Keys("enter")
	d.RequireScreen("?session_token=" + launchtest.Token)
	if l.sandboxMode() {
		t.Fatal("sandbox started although a base URL is configured")
	}
}

func TestLaunchServerErrorShowsMessageAndRetries(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{BeginStatus: 500, BeginBody: `{"message":"database unavailable, try later"}`}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchtest.Key, launchtest.Server(t, vendor)
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("The server answered 500 Internal Server Error", "database unavailable, try later", "r retry")
	vendor.Set(func(f *launchtest.FakeVendor) { f.BeginStatus = 0 })
	d.Keys("r")
	d.RequireScreen("?session_token=" + launchtest.Token)
}

func TestLaunchRefusedKeyCanBeEnteredAgain(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{Key: launchtest.Key}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = "ck_live_wrong_key_000", launchtest.Server(t, vendor)
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("refused the company key", "k enter key again")
	d.Keys("k")
	d.RequireScreen("Company key")
	d.TypeText(launchtest.Key)
	d.Keys("enter")
	d.RequireScreen("?session_token=" + launchtest.Token)
	for _, f := range d.Frames {
		if strings.Contains(f, "ck_live_wrong_key_000") {
			t.Fatalf("the refused key reached the screen:\n%s", f)
		}
	}
}

func TestLaunchConnectionRefused(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchtest.Key, launchtest.ClosedURL(t)
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("Could not reach the server", "refused", "--base-url")
	d.Keys("esc")
	requireLeft(t, d)
}

func TestLaunchBadBaseURLIsAScreen(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchtest.Key, "ftp://example.com"
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("The base URL cannot be used", "http or https")
}

func TestLaunchSignatureCheckedWithSecret(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.SecretKey, lc.BaseURL = launchtest.Key, "whsec_Secret_77", launchtest.Server(t, &launchtest.FakeVendor{})
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("signature check", "IDENTOMAT_SECRET_KEY")
	for _, f := range d.Frames {
		if strings.Contains(f, "whsec_Secret_77") {
			t.Fatal("the secret key reached the screen")
		}
	}
}

func TestDescribeLaunchErrorRedacts(t *testing.T) {
	redact := strings.NewReplacer(launchtest.Key, "REDACTED").Replace
	f := describeLaunchError(&api.StatusError{Status: 502, Message: "upstream said " + launchtest.Key}, "x", redact)
	if strings.Contains(f.title+f.detail+f.hint, launchtest.Key) {
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
	echo := `{"message":"bad request for key ` + launchtest.Key + ` (` + url.QueryEscape(launchtest.Key) + `)"}`
	check := func(t *testing.T, frames []string) {
		t.Helper()
		if len(frames) == 0 {
			t.Fatal("no frames drawn")
		}
		for _, f := range frames {
			for _, s := range []string{launchtest.Key, url.QueryEscape(launchtest.Key), secret} {
				if strings.Contains(f, s) {
					t.Fatalf("a frame shows %q:\n%s", s, f)
				}
			}
		}
	}
	t.Run("typed key, server errors, handoff, result", func(t *testing.T) {
		clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
		vendor := &launchtest.FakeVendor{Key: launchtest.Key, BeginStatus: 400, BeginBody: echo}
		lc := launchTestConfig(clock, clip)
		lc.BaseURL = launchtest.Server(t, vendor)
		d, _ := launchFromEditor(t, lc)
		d.TypeText(launchtest.Key)
		d.Keys("enter")
		d.RequireScreen("400 Bad Request", "REDACTED")
		vendor.Set(func(f *launchtest.FakeVendor) { f.BeginStatus, f.BeginBody = 500, echo })
		d.Keys("r")
		d.RequireScreen("500")
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.BeginStatus = 0
			f.ResultStatus, f.ResultBody = 503, echo
		})
		d.Keys("r")
		pollNow(d)
		d.RequireScreen("Could not check the result", "REDACTED")
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.ResultStatus = 0
			f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":{"value":"X","description":"key ` + launchtest.Key + `"}}`}
		})
		pollNow(d)
		d.RequireScreen("Rejected")
		d.Keys("?")
		check(t, d.Frames)
	})
	t.Run("refused key and a secret", func(t *testing.T) {
		clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
		lc := launchTestConfig(clock, clip)
		lc.CompanyKey, lc.SecretKey, lc.BaseURL = launchtest.Key, secret, launchtest.Server(t, &launchtest.FakeVendor{Key: "another"})
		d, _ := launchFromEditor(t, lc)
		d.RequireScreen("refused")
		d.Keys("k")
		d.TypeText(launchtest.Key)
		d.Keys("enter", "esc")
		check(t, d.Frames)
	})
	t.Run("desk", func(t *testing.T) {
		clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
		vendor := &launchtest.FakeVendor{Key: launchtest.Key}
		lc := launchTestConfig(clock, clip)
		lc.BaseURL = launchtest.Server(t, vendor)
		d, _ := launchDeskApp(t, lc)
		d.RequireScreen("Company key")
		d.TypeText(launchtest.Key)
		d.Keys("enter")
		d.TypeText("Ann")
		d.Keys("enter")
		d.RequireScreen("For Ann")
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
		})
		pollNow(d)
		d.RequireScreen("Sessions this run: 1")
		check(t, d.Frames)
	})
}

func TestLaunchConfigPrintsNoKeys(t *testing.T) {
	lc := Config{CompanyKey: "company-key-xyz", SecretKey: "secret-key-xyz", BaseURL: "http://127.0.0.1:1"}
	for _, s := range []string{fmt.Sprint(lc), fmt.Sprintf("%v %+v %#v", lc, lc, lc)} {
		if strings.Contains(s, "company-key-xyz") || strings.Contains(s, "secret-key-xyz") {
			t.Fatalf("a key was printed: %s", s)
		}
	}
}
