package session

import (
	"net/http"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// Golden frames at 80×24 of desk mode on the sandbox for phones on this
// network: the ready screen saying who can open its links, and the
// handoff saying where the customer is. The sandbox stands still (a fixed
// address and customer); sessions come from a vendor with a fixed token.
func TestDeskLANGolden(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	lc := launchTestConfig(clock, clip)
	lc.HTTPClient = &http.Client{Transport: launchtest.HandlerTransport{Handler: vendor}}
	lc.SandboxLAN = true
	useFixedSandbox(&lc, &fixedSandbox{
		reach: sandbox.Reach{Scope: sandbox.ScopeLAN, URL: "http://192.168.1.23:8790", Listening: "http://127.0.0.1:8790"},
		progress: sandbox.Progress{Opened: true, Step: 2, Steps: 5, Title: "Personal details", Type: "questionnaire",
			Language: "en", Outcome: sandbox.OutcomeInProgress},
		known: true,
	})
	d, _ := launchDeskApp(t, lc)
	launchGolden(t, "desk_ready_lan_80x24", d.Raw())
	d.TypeText("Jane Doe")
	d.Keys("enter")
	tickNow(d)
	launchGolden(t, "handoff_lan_progress_80x24", d.Raw())
	link, err := launchtest.DecodeQR(d.Raw())
	if err != nil || link != "http://192.168.1.23:8790/?session_token="+launchtest.Token {
		t.Fatalf("the QR code holds %q (%v), want the session's LAN link", link, err)
	}
}
