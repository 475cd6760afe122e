package tui

import (
	"strings"
	"testing"
)

// --- smaller frictions ---

// After an undo made the step list shorter than its cursor, a row is still
// selected and the keys work.
func TestStepListCursorStaysOnARowAfterUndo(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("G", "a", "/")
	d.typeText("email")
	d.keys("enter") // added at the end, and selected
	requirePath(t, d.selectedStep(), 3)
	d.keys("u")
	if p := d.selectedStep(); p == nil {
		t.Fatalf("no step selected after the undo:\n%s", d.screen())
	}
	if !strings.Contains(d.screen(), "▸") {
		t.Fatalf("no row highlighted after the undo:\n%s", d.screen())
	}
	d.keys("up")
	requirePath(t, d.selectedStep(), 1)
}

// The video call's own settings are reached with tab, which the help bar
// shows at 80 columns.
func TestVideoCallSettingsKeyIsShown(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/video-call-scheduled.json")
	d.keys("enter")
	d.requireStepEditor("video-call")
	lines := strings.Split(d.screen(), "\n")
	if help := lines[len(lines)-1]; !strings.Contains(help, "tab call settings") {
		t.Fatalf("help bar %q does not show how to reach the settings", help)
	}
}

// A text field being edited never ends in a stray "…": the input scrolls
// within the room the line leaves it.
func TestEditedFieldIsNotCutWithAnEllipsis(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("tab")
	selectProp(t, d, "return_url")
	d.keys("enter")
	d.typeText("https://bank.example.com/onboarding/done/and/a/rather/long/path/after/it")
	d.requireFits()
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.Contains(l, "return_url") && strings.HasSuffix(strings.TrimRight(l, " "), "…") {
			t.Fatalf("the edited line is cut with an ellipsis: %q", l)
		}
	}
	d.requireScreen("after/it")
	d.keys("home")
	d.requireScreen("https://bank")
}

func TestSaveAsShowsTheNameItWillUse(t *testing.T) {
	t.Chdir(t.TempDir())
	d := newDriver(t)
	d.keys("enter", "ctrl+w")
	d.requireScreen("Saves to flow.json")
	d.typeText("branch-flow")
	d.requireScreen("Saves to branch-flow.json")
}
