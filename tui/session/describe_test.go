package session

import (
	"strings"
	"testing"

	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// In accessible mode the outcome is a word, not block letters, and the
// screen says how the session ended and what to do next.
func TestAccessibleOutcomeInWords(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	d, _ := launchDeskApp(t, launchVendorConfig(clock, clip, vendor))
	hostOf(d).common.Accessible = true
	d.TypeText("Ann")
	d.Keys("enter")
	if strings.Contains(d.Screen(), "▀") {
		t.Fatalf("the QR code is drawn before q:\n%s", d.Screen())
	}
	d.Keys("q")
	d.RequireScreen("▀")
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
	})
	pollNow(d)
	d.RequireScreen("APPROVED")
	if strings.Contains(d.Screen(), "█") {
		t.Fatalf("the outcome is drawn in block letters:\n%s", d.Screen())
	}
	desk := hostOf(d).top().(*deskScreen)
	if said := desk.Describe(); !strings.HasPrefix(said, "The last session ended: approved. Ready for the next customer.") {
		t.Fatalf("the desk says %q", said)
	}
	desk.lock.locked = true
	if said := desk.Describe(); strings.Contains(said, "Ann") || !strings.HasPrefix(said, "Desk locked") {
		t.Fatalf("the locked desk says %q", said)
	}
	desk.lock.locked = false

	d, vendor, _, _ = launchHandoffAt(t, 80, 24)
	hostOf(d).common.Accessible = true
	if said := runnerOf(d).describe(); !strings.HasPrefix(said, "Session ready.") {
		t.Fatalf("the launch screen says %q", said)
	}
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":"DOCUMENT_EXPIRED"}`}
	})
	pollNow(d)
	d.RequireScreen("REJECTED")
	if strings.Contains(d.Screen(), "█") {
		t.Fatalf("the outcome is drawn in block letters:\n%s", d.Screen())
	}
	if said := runnerOf(d).describe(); !strings.HasPrefix(said, "The session ended: rejected: ") || !strings.HasSuffix(said, "r creates a new session, esc goes back.") {
		t.Fatalf("the launch screen says %q", said)
	}
}

// A result whose label begins with its outcome is said once in words:
// "ended: manual check", not "ended: manual check. Manual check".
func TestEndedInWordsSaysTheOutcomeOnce(t *testing.T) {
	for status, want := range map[string]string{"approved": "approved", "manual_check": "manual check", "review": "manual check"} {
		d, vendor, _, _ := launchHandoffAt(t, 80, 24)
		hostOf(d).common.Accessible = true
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.Outcome = map[string]string{launchtest.Token: `{"result":"` + status + `"}`}
		})
		pollNow(d)
		said := runnerOf(d).describe()
		if !strings.HasPrefix(said, "The session ended: "+want) || strings.Count(strings.ToLower(said), want) != 1 {
			t.Errorf("%s: %q says %q other than once", status, said, want)
		}
	}
}
