package session

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// pollDue is the turn of the poll the desk scheduled last for session gen,
// as its timer would deliver it.
func pollDue(d *launchtest.Driver, gen int) deskPollMsg {
	d.TB.Helper()
	e := deskOf(d).log.entry(gen)
	if e == nil {
		d.TB.Fatalf("no session %d on the desk", gen)
	}
	return deskPollMsg{gen: gen, tick: e.pollTick}
}

func deskOf(d *launchtest.Driver) *deskScreen {
	d.TB.Helper()
	s, ok := hostOf(d).top().(*deskScreen)
	if !ok {
		d.TB.Fatalf("top is %T, want the desk", hostOf(d).top())
	}
	return s
}

// Two customers in a row against the built-in sandbox: name and client
// user ID go with the session only, the result shows large, the fields
// are cleared, and the run's sessions are listed.
func TestDeskTwoCustomers(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now // the sandbox's tokens must not expire on the fixed clock's say
	d, l := launchDeskApp(t, lc)
	// Nothing configured: desk mode starts on the sandbox without asking.
	d.RequireScreen("SANDBOX", "Flow: kyc.json", "Next customer", "Set IDENTOMAT_COMPANY_KEY")

	d.TypeText("Jane Doe")
	d.Keys("tab")
	d.TypeText("cu-1")
	d.Keys("enter")
	d.RequireScreen("SANDBOX", "For Jane Doe · client user ID cu-1", "Expires in")
	first, err := launchtest.DecodeQR(d.Raw())
	if err != nil {
		t.Fatalf("QR code: %v\n%s", err, d.Screen())
	}
	if !strings.HasPrefix(first, sandboxURL(l)) {
		t.Fatalf("QR code %q does not point at the sandbox", first)
	}
	if page := launchtest.WidgetPage(t, first); !strings.Contains(page, "Jane Doe") {
		t.Fatal("the customer's name did not reach the session")
	}
	launchtest.CompleteInSandbox(t, first, url.Values{"outcome": {"approved"}})
	pollNow(d)
	desk := deskOf(d)
	if desk.run.phase != runnerIdle {
		t.Fatalf("after the result the desk is in phase %v, want ready", desk.run.phase)
	}
	d.RequireScreen("SANDBOX", "Approved", "Session …"+first[len(first)-6:], "Sessions this run: 1")
	// The next customer may be looking: the ready screen names nobody.
	if strings.Contains(d.Screen(), "Jane Doe") || strings.Contains(d.Screen(), "cu-1") {
		t.Fatalf("the ready screen names the previous customer:\n%s", d.Screen())
	}
	if desk.fields[0].Value() != "" || desk.fields[1].Value() != "" {
		t.Fatal("fields not cleared for the next customer")
	}
	if desk.cfg.String("name") != "" || desk.cfg.String("clientUserId") != "" {
		t.Fatal("the customer's fields leaked into the desk's flow")
	}

	d.Keys("enter") // one key to the next customer's QR code
	d.RequireScreen("Verification session", "Expires in")
	second, err := launchtest.DecodeQR(d.Raw())
	if err != nil || second == first {
		t.Fatalf("second QR code %q (%v), first %q", second, err, first)
	}
	launchtest.CompleteInSandbox(t, second, url.Values{"outcome": {"rejected"}, "reason": {"FACE_MISMATCH"}})
	pollNow(d)
	d.RequireScreen("Rejected: The face does not match the document photo (FACE_MISMATCH)", "Sessions this run: 2")
	list := d.Screen()[strings.Index(d.Screen(), "Sessions this run"):]
	rejected, approved := strings.Index(list, "Rejected"), strings.Index(list, "Approved")
	if rejected < 0 || (approved >= 0 && rejected > approved) {
		t.Fatalf("newest session not first:\n%s", list)
	}

	// From a shown session, the next customer's code is two keys away.
	d.Keys("enter")
	third := runnerOf(d).hand.session.URL
	d.Keys("n", "enter")
	if got := runnerOf(d).hand.session.URL; got == third {
		t.Fatal("n, enter did not create a new session")
	}
	d.RequireScreen("Expires in")
	if len(desk.log.entries) != 4 || desk.log.entries[1].state != deskOpen { // newest first
		t.Fatalf("log %d entries, third %v; want 4 with the third left open", len(desk.log.entries), desk.log.entries[1].state)
	}
}

// leftOpenDesk is desk mode on a vendor with one session left open with
// n, not asked about yet; gen tags it.
func leftOpenDesk(t *testing.T) (d *launchtest.Driver, vendor *launchtest.FakeVendor, clock *launchtest.Clock, gen int) {
	t.Helper()
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	d, _ = launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.Keys("enter")
	gen = runnerOf(d).hand.gen
	d.Keys("n")
	d.RequireScreen("Left open, checking…")
	return d, vendor, clock, gen
}

// A session left with n is still asked for its result in the background.
func TestDeskLeftOpenSessionIsPolled(t *testing.T) {
	d, vendor, _, gen := leftOpenDesk(t)
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
	})
	d.Send(pollDue(d, gen))
	d.RequireScreen("Approved")
	n := vendor.Results
	d.Send(pollDue(d, gen))
	if vendor.Results != n {
		t.Fatal("still polling a finished session")
	}
}

func TestDeskExpiryReturnsToReady(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.TypeText("Ann")
	d.Keys("enter")
	clock.Advance(16 * time.Minute)
	tickNow(d)
	d.RequireScreen("Next customer", "Expired before the customer finished")
	if strings.Contains(d.Screen(), "Ann") {
		t.Fatalf("the ready screen names the previous customer:\n%s", d.Screen())
	}
	if deskOf(d).fields[0].Value() != "" {
		t.Fatal("fields not cleared after expiry")
	}
}

// esc goes back to the ready screen keeping the fields, to fix a typo.
func TestDeskEscKeepsFields(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.TypeText("Anne Smtih")
	d.Keys("enter", "esc")
	if got := deskOf(d).fields[0].Value(); got != "Anne Smtih" {
		t.Fatalf("name field %q after esc", got)
	}
	d.Keys("enter")
	if got := vendor.Begins[1]["name"]; got != "Anne Smtih" {
		t.Fatalf("second session's name %v", got)
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
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		d, _ := launchDeskAppSized(t, launchVendorConfig(clock, clip, vendor), w, h)
		launchGolden(t, "desk_ready_empty"+suffix, d.Raw())
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.Tokens = []string{launchtest.Token2, launchtest.Token}
			f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":{"value":"DOCUMENT_EXPIRED","description":"The identity document has expired"}}`}
		})
		d.TypeText("Ben")
		d.Keys("enter", "n")
		clock.Advance(3 * time.Minute)
		d.TypeText("Jane Doe")
		d.Keys("tab")
		d.TypeText("cu-1042")
		d.Keys("enter")
		launchGolden(t, "handoff_desk"+suffix, d.Raw())
		pollNow(d)
		launchGolden(t, "desk_ready"+suffix, d.Raw())
	}
}

func TestLaunchGolden(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	const base = "http://127.0.0.1:8790"
	useFixedSandbox(&lc, &fixedSandbox{reach: sandbox.Reach{Scope: sandbox.ScopeLoopback, URL: base, Listening: base}})
	d, _ := launchDeskApp(t, lc)
	launchGolden(t, "desk_ready_sandbox_80x24", d.Raw())

	vendor := &launchtest.FakeVendor{Key: "another"}
	d2, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d2.Keys("enter")
	launchGolden(t, "launch_refused_80x24", d2.Raw())
}

// BenchmarkDeskEnterToHandoff measures enter on the ready screen until the
// handoff screen (QR code included) is drawn, against the in-process
// sandbox. Goal: at most 50 ms.
func BenchmarkDeskEnterToHandoff(b *testing.B) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now
	d, _ := launchDeskAppSized(b, lc, 100, 40)
	d.Keys("enter") // the sandbox
	d.KeepOnlyLast = true
	b.ResetTimer()
	for b.Loop() {
		d.Keys("enter")
		if !strings.Contains(d.Frames[len(d.Frames)-1], "session_token") {
			b.Fatalf("no handoff:\n%s", d.Screen())
		}
		b.StopTimer()
		d.Keys("n")
		b.StartTimer()
	}
}

// A left-open session whose result the server does not give ends the
// "checking" on the list all the same: "no result yet" with the time of
// the answer, or why it could not be checked, said once in the status
// line; r on the list checks again at once.
func TestDeskLeftOpenSessionSaysWhatTheCheckFound(t *testing.T) {
	d, vendor, clock, gen := leftOpenDesk(t)

	d.Send(pollDue(d, gen)) // the customer has not finished
	d.RequireScreen("Left open · no result yet (checked " + clock.Now().Format("15:04") + ")")

	vendor.Set(func(f *launchtest.FakeVendor) { f.ResultStatus, f.ResultBody = 503, `"down"` })
	d.Send(pollDue(d, gen))
	d.RequireScreen("Not checked: the server answered 503 Service Unavailable",
		"Could not check session …", "tab, then r: check again")
	if strings.Contains(d.Screen(), "checking…") {
		t.Fatalf("still checking after the server failed:\n%s", d.Screen())
	}

	// r on the list asks at once; the server is back.
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.ResultStatus = 0
		f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
	})
	d.Keys("tab", "tab")
	d.RequireScreen("r check again")
	// While a check is under way the reason stays, and r says so rather
	// than asking twice.
	e := deskOf(d).log.entry(gen)
	e.polling = true
	n := vendor.Results
	d.Keys("r")
	if vendor.Results != n || !strings.Contains(hostOf(d).status, "Already checking session") {
		t.Fatalf("r during a check asked again (%d) or said %q", vendor.Results-n, hostOf(d).status)
	}
	// The row, cut by the customer's name, is said whole under the list.
	d.RequireScreen("\n    Not checked: the server answered 503 Service Unavailable\n")
	e.polling = false
	d.Keys("r")
	if vendor.Results != n+1 {
		t.Fatalf("r asked %d times, want once", vendor.Results-n)
	}
	d.RequireScreen("Approved")
	if strings.Contains(d.Screen(), "could not check") {
		t.Fatalf("the failed check is still shown after the result:\n%s", d.Screen())
	}
}

// A reopened session's link is shown whole: beside its label when it
// fits, else under it, broken at the width with nothing added (no code is
// drawn, and a clipboard may be out of reach).
func TestDeskReopenedLinkIsShownWhole(t *testing.T) {
	for _, w := range []int{80, 100, 130} {
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		d, _ := launchDeskAppSized(t, launchVendorConfig(clock, clip, vendor), w, 24)
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
		})
		d.Keys("enter")
		pollNow(d)                    // approved: back to the ready screen
		d.Keys("tab", "tab", "enter") // the list, then the session's details
		link := deskOf(d).detail.session.URL
		screen := d.Screen()
		if !strings.Contains(screen, "c copies the link") {
			t.Fatalf("no details at %d columns:\n%s", w, screen)
		}
		switch {
		case strings.Contains(screen, link):
		case w < len(link):
			requireWrappedLink(t, screen, link)
		default:
			t.Fatalf("the link is not shown whole at %d columns:\n%s", w, screen)
		}
		d.Keys("c")
		if clip.Copies[len(clip.Copies)-1] != link {
			t.Fatalf("c copied %q, want %q", clip.Copies, link)
		}
	}
}

// The focused list's tokens stand in one column whatever the customers'
// names: a name in wide characters is padded by display width.
func TestDeskListAlignsWideNames(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	vendor.Set(func(f *launchtest.FakeVendor) { f.Tokens = []string{launchtest.Token, launchtest.Token2} })
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	d.TypeText("山田太郎")
	d.Keys("enter", "n")
	d.TypeText("Ben")
	d.Keys("enter", "n", "tab", "tab")
	col := -1
	for _, tok := range []string{launchtest.Token, launchtest.Token2} {
		for _, line := range strings.Split(d.Screen(), "\n") {
			if at := strings.Index(line, "…"+tokenSuffix(tok)); at >= 0 {
				if w := ansi.StringWidth(line[:at]); col < 0 {
					col = w
				} else if w != col {
					t.Fatalf("tokens do not stand in one column:\n%s", d.Screen())
				}
			}
		}
	}
	if col < 0 {
		t.Fatalf("no session listed:\n%s", d.Screen())
	}
}

// Each r asks once; afterwards the session is polled by one chain, not one
// more chain per r: the polls scheduled before an r's answer are stale.
func TestDeskRetryLeavesOnePollChain(t *testing.T) {
	d, vendor, _, gen := leftOpenDesk(t)
	vendor.Set(func(f *launchtest.FakeVendor) { f.ResultStatus, f.ResultBody = 503, `"down"` })
	var scheduled []deskPollMsg
	scheduled = append(scheduled, pollDue(d, gen)) // when it was left open
	d.Keys("tab", "tab")
	d.RequireScreen("r check again")
	for range 3 {
		n := vendor.Results
		d.Keys("r")
		if vendor.Results != n+1 {
			t.Fatalf("r asked %d times, want once", vendor.Results-n)
		}
		scheduled = append(scheduled, pollDue(d, gen)) // after its answer
	}
	// Every timer fires: only the last one scheduled asks.
	n := vendor.Results
	for _, m := range scheduled {
		d.Send(m)
	}
	if got := vendor.Results - n; got != 1 {
		t.Errorf("the %d scheduled polls asked %d times, want once", len(scheduled), got)
	}
}
