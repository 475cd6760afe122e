package session

import (
	"encoding/json"
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// hostileFlow is a valid flow naming its customer with launchtest.Hostile.
func hostileFlow(t *testing.T) *flow.Config {
	t.Helper()
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		t.Fatal(err)
	}
	cfg.SetString("name", launchtest.Hostile)
	cfg.SetString("clientUserId", launchtest.Hostile)
	if n := flow.Validate(cfg).Count(flow.SevError); n > 0 {
		t.Fatalf("the hostile flow has %d error(s)", n)
	}
	return cfg
}

// hostileJSON is launchtest.Hostile as a JSON string.
func hostileJSON() string {
	b, _ := json.Marshal(launchtest.Hostile)
	return string(b)
}

// keyedVendor is a launcher configuration with a company key, talking to
// a fake vendor.
func keyedVendor(t *testing.T) (Config, *launchtest.FakeVendor, *launchtest.Clock) {
	t.Helper()
	clock, vendor := launchtest.NewClock(), &launchtest.FakeVendor{Key: launchtest.Key}
	lc := launchTestConfig(clock, &launchtest.Clipboard{})
	lc.CompanyKey, lc.BaseURL = launchtest.Key, launchtest.Server(t, vendor)
	return lc, vendor, clock
}

// requireSafe fails when the frame passes a terminal control from the
// flow or the server through.
func requireSafe(t *testing.T, d *launchtest.Driver, where string) {
	t.Helper()
	for i, frame := range d.Frames {
		if bad := launchtest.UnsafeInFrame(frame); bad != "" {
			t.Fatalf("%s, frame %d of %d: %s\n%s", where, i+1, len(d.Frames), bad, flow.VisibleLines(frame))
		}
	}
	d.Frames = d.Frames[:0]
}

// The launch screen and the handoff show the customer's name and client
// user ID from the flow, and the server's errors and results: none passes
// its escape sequences, controls or bidi overrides to the terminal.
func TestHostileTextNeverReachesTheTerminalOnLaunch(t *testing.T) {
	hostile := hostileJSON()
	lc, vendor, _ := keyedVendor(t)
	vendor.Set(func(f *launchtest.FakeVendor) { f.BeginStatus, f.BeginBody = 500, `{"message":`+hostile+`}` })
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	host := newTestHost(func(*ui.Common) ui.Screen { return underScreen{} })
	d := launchtest.NewDriver(t, host, ui.Push(l.Launch(host.common, hostileFlow(t), "/flows/"+launchtest.HostileName+".json")), 80, 24)
	d.RequireScreen("The server answered 500")
	requireSafe(t, d, "begin/ failed")

	vendor.Set(func(f *launchtest.FakeVendor) { f.BeginStatus = 0 })
	d.Keys("r")
	d.RequireScreen("For ", "Expires in")
	requireSafe(t, d, "the handoff")
	for _, size := range [][2]int{{140, 40}, {40, 12}, {80, 24}} {
		d.Send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	}
	requireSafe(t, d, "the handoff resized")

	vendor.Set(func(f *launchtest.FakeVendor) { f.ResultStatus, f.ResultBody = 500, `{"message":`+hostile+`}` })
	pollNow(d)
	d.RequireScreen("Could not check the result")
	requireSafe(t, d, "a failed poll")

	vendor.Set(func(f *launchtest.FakeVendor) {
		f.ResultStatus = 0
		f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":{"value":` + hostile + `,"description":` + hostile + `},"name":` + hostile + `}`}
	})
	pollNow(d)
	d.RequireScreen("Rejected: ")
	requireSafe(t, d, "a rejection")

	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":` + hostile + `}`}
	})
	d.Keys("r")
	pollNow(d)
	d.RequireScreen("Manual check")
	requireSafe(t, d, "a manual check")
	d.Keys("esc")
	requireSafe(t, d, "leaving")
}

// Desk mode shows the flow's file name, the customers' names and the
// server's results on the ready screen and in the run's list.
func TestHostileTextNeverReachesTheTerminalAtTheDesk(t *testing.T) {
	lc, vendor, _ := keyedVendor(t)
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	host := newTestHost(func(c *ui.Common) ui.Screen {
		return NewDeskScreen(c, l, hostileFlow(t), "Flow: "+launchtest.HostileName+".json")
	})
	d := launchtest.NewDriver(t, host, host.initTop(), 80, 40)
	d.RequireScreen("Flow: ")
	requireSafe(t, d, "the ready screen")

	d.Send(tea.PasteMsg{Content: launchtest.Hostile}) // a name pasted into the field
	d.Keys("enter")
	d.RequireScreen("client user ID")
	requireSafe(t, d, "the desk's handoff")
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":{"description":` + hostileJSON() + `}}`}
	})
	pollNow(d)
	d.RequireScreen("Next customer", "Sessions this run: 1")
	requireSafe(t, d, "the ready screen after a rejection")
	d.Keys("enter", "n")
	d.Send(tea.WindowSizeMsg{Width: 60, Height: 16})
	requireSafe(t, d, "the run's list")
	d.Send(tea.WindowSizeMsg{Width: 100, Height: 40})
	d.Keys("tab", "down", "up", "down") // the list, with the customers' names
	d.RequireScreen("Sessions")
	requireSafe(t, d, "the focused list")
}

// The API client cleans what a server says before the screens get it; the
// screens make it visible all the same, whatever a client passes on.
func TestHostileTextFromTheClientIsShownVisibly(t *testing.T) {
	lc, _, clock := keyedVendor(t)
	d, _ := launchFromEditor(t, lc)
	r := runnerOf(d)
	d.Send(launchResultMsg{gen: r.hand.gen, err: errors.New(launchtest.Hostile)})
	d.RequireScreen("Could not check the result")
	requireSafe(t, d, "a poll error")

	r.phase, r.gen = runnerBeginning, r.gen+1
	d.Send(launchBeganMsg{gen: r.gen, session: api.Session{Token: launchtest.Hostile, URL: launchtest.Hostile, ExpiresAt: clock.Now().Add(api.TokenLifetime)}})
	d.RequireScreen("Expires in")
	requireSafe(t, d, "a session")
	d.Send(launchResultMsg{gen: r.gen, result: api.Result{Status: "rejected"}})
	d.RequireScreen("Session …")
	requireSafe(t, d, "its end")

	r.fail(describeLaunchError(errors.New(launchtest.Hostile), launchtest.Hostile, func(s string) string { return s }))
	d.Send(tea.WindowSizeMsg{Width: 100, Height: 40})
	d.RequireScreen("Could not create the session")
	requireSafe(t, d, "a failure")
}
