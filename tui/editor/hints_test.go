package editor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/tui/widget"
)

// Hints and banners read whole at 80 columns: where one line cannot hold
// them they go on a second, so the end that carries the meaning stays.
func TestHintsReadWholeAt80Columns(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [
		{"type": "language", "flags": {"languages": ["en", "es"]}},
		{"type": "user-questionnaire", "key": "q", "questions": [
			{"type": "options", "key": "color", "title": {"en": "Colour"}, "options": [{"key": "r1", "title": {"en": "Red"}}]},
			{"type": "string", "key": "name", "title": {"en": "Name"}, "answer": "Ada"}]}]}`))
	r.open(1)
	qe := r.openQuestion(1)
	r.moveTo(func() *widget.PropList { return qe.list }, "answer")
	requireSaid(t, r.screen(), "preset answer: plain text or per language; d clears it · enter edits it per language")
	r.keys("enter")
	requireTop[*widget.LocalizedEditor](t, r)
	if !strings.Contains(r.screen(), "t makes it localized (kept under en)") { // on one line
		t.Fatalf("the plain text's line is cut or broken:\n%s", r.screen())
	}
	r.keys("esc", "esc")

	r.openOptionKey(r.openOptions(r.openQuestion(0)), "r1")
	requireSaid(t, r.screen(), `renaming updates preset answers and conditions · from the title: "red"`)

	// The Session tab's config_id.
	list := widget.NewPropList(r.common, r.doc)
	list.SetProps(sessionProps(r.common, r.doc))
	list.SetSize(80, 21)
	for p, ok := list.Selected(); ok && p.Label != "config_id"; p, ok = list.Selected() {
		list.Cursor++
	}
	requireSaid(t, list.View(), "a configuration saved in the dashboard; steps then replace its steps of the same key; empty removes it")
}

// requireSaid fails unless screen says text, whatever lines it takes.
func requireSaid(t *testing.T, screen, text string) {
	t.Helper()
	if !strings.Contains(strings.Join(strings.Fields(ansi.Strip(screen)), " "), text) {
		t.Fatalf("the screen does not say %q whole:\n%s", text, screen)
	}
}
