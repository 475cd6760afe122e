package session

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// sandboxLaunch launches from the editor on the built-in sandbox of this
// computer, at 80×24; the sandbox's clock is the wall clock, so that its
// tokens stay valid while the test walks its pages.
func sandboxLaunch(t *testing.T) (*launchtest.Driver, *Launcher) {
	t.Helper()
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	d := launchOver(t, l, 80, 24)
	d.RequireScreen("Where should sessions be created?")
	d.Keys("enter") // the sandbox on this computer
	d.RequireScreen("SANDBOX", "Expires in")
	return d, l
}

// customer is a browser with scripts off on the sandbox's pages of the
// session shown, reached through its link.
func customer(t *testing.T, d *launchtest.Driver) *sandboxtest.Walker {
	t.Helper()
	link, err := url.Parse(runnerOf(d).hand.session.URL)
	if err != nil {
		t.Fatal(err)
	}
	b := sandboxtest.NewBrowser(t, link.Scheme+"://"+link.Host)
	return sandboxtest.NewWalker(b, link.Query().Get("session_token"))
}

// next sends the step page p as a person would fill it, and returns the
// page after it.
func next(t *testing.T, w *sandboxtest.Walker, p *sandboxtest.Page) *sandboxtest.Page {
	t.Helper()
	f := sandboxtest.MainForm(p)
	if f == nil {
		t.Fatalf("no step form on %s:\n%s", p.URL, p.Body)
	}
	w.Fill(f)
	return w.Send(f, "")
}

// requireSaid fails unless the texts of the screen, beside or under the
// QR code (or a form's bar) and read as one line (as wrapped texts are),
// contain every part.
func requireSaid(t *testing.T, d *launchtest.Driver, parts ...string) {
	t.Helper()
	var words []string
	for _, line := range strings.Split(d.Screen(), "\n") {
		words = append(words, strings.Fields(strings.TrimLeft(line, "█▀▄ ┃>"))...)
	}
	said := strings.Join(words, " ")
	for _, p := range parts {
		if !strings.Contains(said, p) {
			t.Fatalf("screen does not say %q:\n%s", p, d.Screen())
		}
	}
}

// The handoff says where the customer is while the sandbox serves the
// session: not there yet, then the step and its title as the customer's
// pages change, the outcome being chosen, and then the result.
func TestHandoffFollowsTheCustomer(t *testing.T) {
	d, _ := sandboxLaunch(t)
	tickNow(d)
	requireSaid(t, d, "The customer has not opened the link yet")

	w := customer(t, d)
	first := w.Fetch(sandboxtest.SessionURL(w.Token))
	tickNow(d)
	requireSaid(t, d, "Customer: step 1 of ")
	second := next(t, w, first)
	tickNow(d)
	steps := runnerOf(d).hand.progress.at.Steps
	if steps < 2 {
		t.Fatalf("the flow has %d steps, want several", steps)
	}
	requireSaid(t, d, fmt.Sprintf("Customer: step 2 of %d · %s", steps, sandboxtest.Heading(second)))

	end := w.Run()
	tickNow(d)
	requireSaid(t, d, fmt.Sprintf("Customer: all %d steps done · choosing the outcome", steps))
	w.Finish(end, "approved", "")
	pollNow(d)
	d.RequireScreen("Approved")
}

// A vendor's session is followed by its result alone: nothing is said of
// where its customer is.
func TestHandoffVendorSessionSaysNothingOfTheCustomer(t *testing.T) {
	d, _, _, _ := launchHandoffAt(t, 80, 24)
	tickNow(d)
	if h := runnerOf(d).hand; h.progress.known {
		t.Fatalf("a vendor session has progress %+v", h.progress.at)
	}
	for _, s := range []string{"Customer:", "customer has not opened"} {
		if strings.Contains(d.Screen(), s) {
			t.Fatalf("a vendor session's handoff says %q:\n%s", s, d.Screen())
		}
	}
}

// In accessible mode the customer's progress is said in words, and a
// change of step is announced once in the status line, not on every tick.
func TestHandoffProgressInWords(t *testing.T) {
	d, _ := sandboxLaunch(t)
	host := hostOf(d)
	host.common.Accessible = true
	tickNow(d)
	d.RequireScreen("The customer has not opened the link yet.")
	if host.status != "" {
		t.Fatalf("the first state was announced: %q", host.status)
	}
	w := customer(t, d)
	second := next(t, w, w.Fetch(sandboxtest.SessionURL(w.Token)))
	tickNow(d)
	steps := runnerOf(d).hand.progress.at.Steps
	want := fmt.Sprintf("The customer is on step 2 of %d: %s.", steps, sandboxtest.Heading(second))
	if host.status != want {
		t.Fatalf("announced %q, want %q", host.status, want)
	}
	if said := runnerOf(d).describe(); !strings.Contains(said, want) {
		t.Fatalf("the screen says %q, want it to hold %q", said, want)
	}
	host.status = ""
	for range 3 {
		tickNow(d)
	}
	if host.status != "" {
		t.Fatalf("the same step was announced again: %q", host.status)
	}
	next(t, w, second)
	tickNow(d)
	if !strings.HasPrefix(host.status, "The customer is on step 3 of ") {
		t.Fatalf("the next step was not announced: %q", host.status)
	}
}

// loopbackDeskWithCustomer is desk mode at w×h on a built-in sandbox of
// this computer whose customer is at p, its sessions served by vendor.
func loopbackDeskWithCustomer(t *testing.T, w, h int, p sandbox.Progress) (*launchtest.Driver, *launchtest.FakeVendor, *launchtest.Clipboard) {
	t.Helper()
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	lc := launchTestConfig(clock, clip)
	lc.HTTPClient = &http.Client{Transport: launchtest.HandlerTransport{Handler: vendor}}
	base := "http://127.0.0.1:8790"
	useFixedSandbox(&lc, &fixedSandbox{reach: sandbox.Reach{Scope: sandbox.ScopeLoopback, URL: base, Listening: base}, progress: p, known: true})
	d, _ := launchDeskAppSized(t, lc, w, h)
	return d, vendor, clip
}

// Once the built-in sandbox says the customer has finished, the result
// is asked for at once, and until it comes the screen says it is being
// fetched rather than that it waits for the customer.
func TestHandoffFetchesTheResultWhenTheCustomerFinishes(t *testing.T) {
	for _, accessible := range []bool{false, true} {
		d, vendor, _ := loopbackDeskWithCustomer(t, 80, 24,
			sandbox.Progress{Opened: true, Step: 2, Steps: 1, Language: "en", Outcome: sandbox.OutcomeRejected})
		hostOf(d).common.Accessible = accessible
		d.Keys("enter")
		tickNow(d)
		asked := vendor.Results
		tickNow(d) // a tick, not the poll's timer, asks
		if vendor.Results != asked+1 {
			t.Fatalf("accessible %v: a tick asked %d times for the result of a finished customer, want once", accessible, vendor.Results-asked)
		}
		requireSaid(t, d, "The customer has finished: fetching the result")
		if strings.Contains(d.Screen(), "Waiting for the customer") {
			t.Fatalf("accessible %v: the screen waits for a customer who has finished:\n%s", accessible, d.Screen())
		}
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected"}`}
		})
		tickNow(d)
		d.RequireScreen("Rejected")
	}
}
