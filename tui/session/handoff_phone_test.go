package session

import (
	"strings"
	"testing"

	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// A session handed over on a link to this computer says that a phone
// cannot open it, and where links for phones come from: the built-in
// sandbox's ctrl+p or desk --lan; for a server on this computer (an
// identoflow sandbox run by hand), sandbox --lan.
func TestHandoffSaysAPhoneCannotOpenALoopbackLink(t *testing.T) {
	t.Run("built-in sandbox", func(t *testing.T) {
		d, _ := launchDeskApp(t, sandboxConfig())
		d.Keys("enter")
		d.RequireScreen("Expires in")
		requireLinkOnThisComputer(t, d)
		requireSaid(t, d, "A phone cannot open 127.0.0.1:", "ctrl+p on the desk's ready screen, or identoflow desk --lan.")
		if !strings.Contains(deskOf(d).Describe(), "A phone cannot open 127.0.0.1") {
			t.Fatalf("the spoken screen does not say it: %q", deskOf(d).Describe())
		}
	})
	t.Run("built-in sandbox in the wizard", func(t *testing.T) {
		clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
		d, _ := launchFromEditor(t, launchTestConfig(clock, clip))
		d.Keys("enter")
		d.RequireScreen("Expires in")
		requireSaid(t, d, "A phone cannot open 127.0.0.1:", "start identoflow again and choose", `sandbox for phones on this network" when launching.`)
		if s := d.Screen(); strings.Contains(s, "ctrl+p") || strings.Contains(s, "desk --lan") {
			t.Fatalf("the wizard points to the desk's ways:\n%s", s)
		}
	})
	t.Run("server on this computer", func(t *testing.T) {
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		lc := launchTestConfig(clock, clip)
		lc.CompanyKey, lc.BaseURL = launchtest.Key, launchtest.Server(t, vendor)
		d, _ := launchDeskApp(t, lc)
		requireSaid(t, d, "A phone cannot open 127.0.0.1:") // on the ready screen too
		d.Keys("enter")
		d.RequireScreen("Expires in")
		requireSaid(t, d, "Open the link in a browser on this computer:", "A phone cannot open 127.0.0.1:", "run identoflow sandbox --lan and give --base-url the address it prints.")
		if strings.Contains(d.Screen(), "Scan the code") {
			t.Fatalf("a phone is asked to scan a link it cannot open:\n%s", d.Screen())
		}
	})
	t.Run("the vendor's server", func(t *testing.T) {
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
		d.Keys("enter")
		d.RequireScreen("Expires in", "Scan the code")
		if strings.Contains(d.Screen(), "cannot open") {
			t.Fatalf("a link a phone can open is said not to be:\n%s", d.Screen())
		}
	})
}
