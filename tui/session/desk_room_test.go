package session

import (
	"fmt"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// finishedDesk is desk mode at w×h after n sessions, each ended by the
// vendor's result, the last one rejected: the ready screen announces it
// (in block letters where there is room) over the list.
func finishedDesk(t *testing.T, w, h, n int) (*launchtest.Driver, []string) {
	t.Helper()
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	tokens := make([]string, n)
	outcomes := map[string]string{}
	for i := range tokens {
		tokens[i] = fmt.Sprintf("room%030d%06d", 0, i)
		outcomes[tokens[i]] = `{"result":"approved"}`
	}
	outcomes[tokens[n-1]] = `{"result":"rejected"}`
	vendor.Set(func(f *launchtest.FakeVendor) { f.Tokens, f.Outcome = tokens, outcomes })
	d, _ := launchDeskAppSized(t, launchVendorConfig(clock, clip, vendor), w, h)
	for range tokens {
		d.Keys("enter")
		pollNow(d)
	}
	d.RequireScreen("Next customer")
	return d, tokens
}

// selectedRow is the screen's line of the list's selected session.
func selectedRow(t *testing.T, d *launchtest.Driver) string {
	t.Helper()
	e := deskOf(d).log.selected()
	if e == nil {
		t.Fatalf("nothing selected:\n%s", d.Screen())
	}
	for _, line := range strings.Split(d.Screen(), "\n") {
		if strings.Contains(line, "…"+tokenSuffix(e.session.Token)) && strings.HasPrefix(strings.TrimLeft(line, " "), "▸") {
			return line
		}
	}
	t.Fatalf("the selected session …%s is not on the screen:\n%s", tokenSuffix(e.session.Token), d.Screen())
	return ""
}

// With the list focused, its selected row is on the screen whatever the
// announcement of the last result takes, as the cursor moves down.
func TestDeskListFocusShowsTheSelectedRow(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {80, 20}, {60, 16}} {
		d, tokens := finishedDesk(t, size[0], size[1], 6)
		d.Keys("tab", "tab")
		if deskOf(d).focus != deskFocusList {
			t.Fatalf("%v: tab, tab did not reach the list", size)
		}
		for i := range tokens {
			selectedRow(t, d)
			if i < len(tokens)-1 {
				d.Keys("down")
			}
		}
		// Back at the fields, the outcome is announced again.
		d.Keys("tab")
		d.RequireScreen("Rejected")
	}
}

// Unfocused, the list shows at least its newest session rather than a
// bare count of the ones it leaves out.
func TestDeskListShowsARowUnderTheBanner(t *testing.T) {
	for h := 16; h <= 26; h++ {
		d, tokens := finishedDesk(t, 80, h, 3)
		// A row: "…token  Rejected" (the announcement says "Session …token, started").
		if strings.Contains(d.Screen(), "Sessions this run") && !strings.Contains(d.Screen(), "…"+tokenSuffix(tokens[2])+"  ") {
			t.Fatalf("80×%d: the newest session is not listed:\n%s", h, d.Screen())
		}
	}
}
