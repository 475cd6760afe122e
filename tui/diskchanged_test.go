package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui/ui"
)

// At 80×24 the question says what happened and what the list holds in
// whole sentences, wrapped rather than cut, and fits the screen.
func TestDiskChangedQuestionIsReadWholeAt80Columns(t *testing.T) {
	old, err := flow.Parse([]byte(`{"steps": [{"type": "email", "key": "e"}, {"type": "liveness"}, {"type": "liveness"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	mine, err := flow.Parse([]byte(`{"steps": [{"type": "liveness"}, {"type": "emial", "key": "x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	change := diskChange{overDraft: true, result: diff.Compare(old, mine)}
	for _, tc := range []struct {
		maybe, thenQuit bool
		want            []string
	}{
		{false, false, []string{
			"⚠ branch-desk-onboarding-flow.json changed on disk since the draft's edits began",
			"What saving the draft would change in it: 3 changes; introduces 1 error; fixes 1 error, 2 warnings.",
			"ctrl+s again overwrites it with this window's flow; it then holds the draft",
			"esc cancels, keeps editing",
		}},
		{true, true, []string{
			"⚠ branch-desk-onboarding-flow.json may have changed on disk since the draft's edits began: the draft does not record what the file held then",
			"ctrl+s again overwrites it with this window's flow and quits; it then holds the draft",
			"esc cancels the quit, keeps editing",
		}},
	} {
		c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24, NoColor: true}
		c.SetDark(true)
		change.maybe = tc.maybe
		q := newDiskChangedQuestion(c, "/srv/flows/branch-desk-onboarding-flow.json", change, tc.thenQuit)
		h := ui.BodyHeight(24)
		q.SetSize(80, h)
		view := ansi.Strip(q.View())
		requireFits(t, view, 80, h)
		if n := len(strings.Split(view, "\n")); n != h {
			t.Errorf("the question is %d rows, the body %d", n, h)
		}
		// Read as the lines run on: each sentence is there whole.
		var text []string
		for _, l := range strings.Split(view, "\n") {
			if strings.Contains(l, "…") && !strings.HasPrefix(strings.TrimSpace(l), "▸") {
				t.Errorf("a line is cut: %q", l)
			}
			text = append(text, strings.TrimSpace(l))
		}
		joined := strings.Join(strings.Fields(strings.Join(text, " ")), " ")
		for _, w := range tc.want {
			if !strings.Contains(joined, w) {
				t.Errorf("maybe=%v: the question lacks %q:\n%s", tc.maybe, w, view)
			}
		}
		if !tc.thenQuit && !strings.Contains(view, "\nctrl+s again overwrites it with this window's flow; it then holds the draft\n") {
			t.Errorf("the ctrl+s line is not one line at 80 columns:\n%s", view)
		}
		if strings.Contains(view, "or may have\n") || strings.Contains(view, ", or may have") {
			t.Errorf("the title is an unfinished sentence:\n%s", view)
		}
	}
}

// The question says what overwriting does without claiming a loss it does
// not know of: the other save's changes are replaced, and when they change
// nothing that matters, nothing that matters is lost.
func TestDiskChangedQuestionClaimsNoLossItCannotKnow(t *testing.T) {
	a, err := flow.Parse([]byte(`{"steps": [{"type": "liveness"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := flow.Parse([]byte(`{"steps": [{"type": "liveness", "key": "face"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		change diskChange
		want   string
	}{
		{diskChange{result: diff.Compare(a, b)}, "this window's flow replaces what is listed above"},
		{diskChange{result: diff.Compare(a, a)}, "nothing that matters is lost"},
	} {
		c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 120, Height: 30, NoColor: true}
		c.SetDark(true)
		_, foot := newDiskChangedQuestion(c, "/tmp/f.json", tc.change, false).sentences()
		text := ansi.Strip(strings.Join(foot, " "))
		if !strings.Contains(text, tc.want) || strings.Contains(text, "is lost") && tc.want != "nothing that matters is lost" {
			t.Errorf("foot %q, want %q", text, tc.want)
		}
	}
}
