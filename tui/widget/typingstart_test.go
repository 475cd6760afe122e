package widget

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/cmdrun"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// storedWithControls is a value a text input cannot hold as it is: a tab,
// a line break, ESC and BEL.
const storedWithControls = "Walk-in\tdesk\nsecond\x1b[31m line\a"

func testCommon() *ui.Common {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24, NoColor: true}
	c.SetDark(true)
	return c
}

// enter on a text property without typing keeps its value exactly: the
// input's spaces for tabs and line breaks are not written back. The field
// says it cannot show the value; typing replaces it.
func TestPropListUntypedTextKeepsWhatTheInputCannotHold(t *testing.T) {
	stored := storedWithControls
	var set []string
	props := func() []Prop {
		return []Prop{{Label: "name", Kind: PropText, Value: func() string { return flow.Visible(stored) },
			Text:    func() string { return stored },
			SetText: func(s string) error { set = append(set, s); stored = s; return nil }}}
	}
	l := NewPropList(testCommon(), nil)
	l.SetSize(80, 20)
	l.SetProps(props())
	l.Update(launchtest.Press("enter"))
	if !l.EditingText() || l.Pending() {
		t.Fatalf("editing %v, pending %v: an untouched field has nothing pending", l.EditingText(), l.Pending())
	}
	if view := ansi.Strip(l.View()); !strings.Contains(view, AlteredNote) {
		t.Fatalf("the field does not say it cannot show the value:\n%s", view)
	}
	if d := l.Describe(); !strings.Contains(d, AlteredNote) {
		t.Fatalf("the spoken state does not say it either: %s", d)
	}
	l.Update(launchtest.Press("enter"))
	if l.EditingText() || len(set) > 0 || stored != storedWithControls {
		t.Fatalf("enter alone wrote %q (editing %v); want nothing applied", set, l.EditingText())
	}

	// Typing at the end keeps what the input cannot hold, and says so.
	l.Update(launchtest.Press("enter"))
	l.Update(tea.KeyPressMsg{Code: '!', Text: "!"})
	if !l.Pending() || !strings.Contains(ansi.Strip(l.View()), `enter keeps \t \n \x1b \a`) {
		t.Fatalf("after typing: pending %v\n%s", l.Pending(), ansi.Strip(l.View()))
	}
	l.Update(launchtest.Press("enter"))
	if want := storedWithControls + "!"; len(set) != 1 || set[0] != want {
		t.Fatalf("typed text applied as %q, want %q", set, want)
	}
	// A value the input holds as it is needs no note.
	stored = "Walk-in desk"
	l.SetProps(props())
	l.Update(launchtest.Press("enter"))
	if view := ansi.Strip(l.View()); strings.Contains(view, "cannot show") {
		t.Fatalf("a plain value is said not to fit:\n%s", view)
	}
}

// enter on a text entry without typing hands on the text it started from,
// not the input's altered copy of it.
func TestTextEntryUntypedHandsOnTheStoredText(t *testing.T) {
	var got []string
	e := NewTextEntry(testCommon(), "answer", "", storedWithControls, nil, func(s string) tea.Cmd {
		got = append(got, s)
		return nil
	})
	e.SetSize(80, 24)
	if e.PendingText() {
		t.Fatal("an untouched entry has nothing pending")
	}
	if view := ansi.Strip(e.View()); !strings.Contains(view, AlteredNote) {
		t.Fatalf("the entry does not say it cannot show the text:\n%s", view)
	}
	_, cmd := e.Update(launchtest.Press("enter"))
	(&cmdrun.Runner{TB: t, Deliver: func(tea.Msg) {}}).Exec(cmd)
	if len(got) != 1 || got[0] != storedWithControls {
		t.Fatalf("enter alone handed on %q, want the stored %q", got, storedWithControls)
	}
}

// enter on a grid cell without typing applies nothing, even when the
// input could not hold the cell's text as it is.
func TestGridUntypedCellAppliesNothing(t *testing.T) {
	src := cells{{"one\ttwo\nthree", "x", "y"}}
	g := newTestGrid(100, 10)
	applied := 0
	g.Apply = func(int, int, string) error { applied++; return nil }
	g.Update(launchtest.Press("enter"), src)
	if !strings.HasPrefix(g.Note(), AlteredNote+`\t \n`) {
		t.Fatalf("note %q, want it to begin %q", g.Note(), AlteredNote)
	}
	g.Update(launchtest.Press("enter"), src)
	if applied != 0 || g.Editing() {
		t.Fatalf("enter alone applied %d edits (editing %v)", applied, g.Editing())
	}
}

// An edit keeps the characters the input cannot hold wherever it leaves
// them alone (typing at the end, in the middle); those inside the stretch
// it changes are dropped, which the field says before enter and the
// status after, with u to undo.
func TestPropListEditKeepsWhatTheInputCannotHold(t *testing.T) {
	const start = "A\x1bB\aC\u202eD"
	for _, tc := range []struct {
		name    string
		keys    []string
		want    string
		dropped string
	}{
		{"typed at the end", []string{"end", "X"}, start + "X", ""},
		// Where a hidden character sits right at the edit, it stays before
		// what is typed.
		{"typed in the middle", []string{"home", "right", "right", "Y"}, "A\x1bB\aYC\u202eD", ""},
		{"untouched: the note names them", nil, start, ""},
		{"the edit covers them", []string{"home", "right", "right", "backspace", "backspace"}, "\aC\u202eD", `\x1b`},
		{"all typed over", []string{"ctrl+u", "Z"}, "Z", `\x1b \a`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stored, set := start, []string(nil)
			l := NewPropList(testCommon(), nil)
			l.SetSize(80, 20)
			l.SetProps([]Prop{{Label: "name", Kind: PropText, Value: func() string { return flow.Visible(stored) },
				Text:    func() string { return stored },
				SetText: func(s string) error { set = append(set, s); stored = s; return nil }}})
			l.Update(launchtest.Press("enter"))
			if view := ansi.Strip(l.View()); !strings.Contains(view, AlteredNote+`\x1b \a`) {
				t.Fatalf("the field does not name what it cannot show:\n%s", view)
			}
			if tc.keys == nil {
				return
			}
			for _, k := range tc.keys {
				if len(k) == 1 {
					l.Update(tea.KeyPressMsg{Code: rune(k[0]), Text: k})
				} else {
					l.Update(launchtest.Press(k))
				}
			}
			view := strings.Join(strings.Fields(ansi.Strip(l.View())), " ")
			if tc.dropped != "" && !strings.Contains(view, "enter drops "+tc.dropped) {
				t.Fatalf("the field does not say enter drops %s:\n%s", tc.dropped, view)
			}
			if tc.dropped == "" && !strings.Contains(view, "enter keeps") {
				t.Fatalf("the field does not say enter keeps them:\n%s", view)
			}
			cmd, _ := l.Update(launchtest.Press("enter"))
			if len(set) != 1 || set[0] != tc.want {
				t.Fatalf("applied %q, want %q", set, tc.want)
			}
			var status string
			(&cmdrun.Runner{TB: t, Deliver: func(m tea.Msg) {
				if s, ok := m.(ui.StatusMsg); ok {
					status = s.Text
				}
			}}).Exec(cmd)
			if tc.dropped != "" && (!strings.Contains(status, tc.dropped) || !strings.Contains(status, "u undoes it")) {
				t.Fatalf("status %q does not say what went and how to undo it", status)
			}
			if tc.dropped == "" && status != "" {
				t.Fatalf("status %q after an edit that dropped nothing", status)
			}
		})
	}
}

// The tabs and line breaks the input shows as spaces stay tabs and line
// breaks where the edit leaves them alone.
func TestTypingStartKeepsTabsAndLineBreaks(t *testing.T) {
	in := textinput.New()
	s := startTyping(&in, "one\ttwo\nthree")
	in.SetValue(in.Value() + "!")
	if got := s.value(&in); got != "one\ttwo\nthree!" {
		t.Fatalf("value %q", got)
	}
	in.SetValue("one two")
	if got := s.value(&in); got != "one\ttwo" {
		t.Fatalf("after cutting the end: %q", got)
	}
}

// A stored text longer than the input's limit is held whole: an edit at
// its start keeps its end, and the field does not claim to hide anything.
func TestTypingStartHoldsATextPastTheLimit(t *testing.T) {
	in := textinput.New()
	in.CharLimit = 2048
	stored := strings.Repeat("a", 2048) + "TAIL-" + strings.Repeat("b", 500)
	s := startTyping(&in, stored)
	if n := s.note(&in); n != "" {
		t.Errorf("note on a plain long text: %q", n)
	}
	in.Focus()
	in.SetCursor(0)
	in, _ = in.Update(tea.KeyPressMsg{Code: tea.KeyDelete})
	if got := s.value(&in); got != stored[1:] {
		t.Errorf("after deleting the first character: %d characters, want %d (tail kept: %v)", len(got), len(stored)-1, strings.HasSuffix(got, "TAIL-"+strings.Repeat("b", 500)))
	}
	if d := s.dropped(&in); len(d) > 0 {
		t.Errorf("dropped %q", d)
	}
}

// A grid cell typed over says, once applied, what the edit dropped of the
// characters the input could not show, as the property list does.
func TestGridEditSaysWhatItDropped(t *testing.T) {
	src := cells{{"A\x1bB", "x", "y"}}
	g := newTestGrid(100, 10)
	var applied []string
	g.Apply = func(_, _ int, s string) error { applied = append(applied, s); return nil }
	g.Update(launchtest.Press("enter"), src)
	g.Update(launchtest.Press("ctrl+u"), src)
	g.Update(tea.KeyPressMsg{Code: 'Z', Text: "Z"}, src)
	cmd, _ := g.Update(launchtest.Press("enter"), src)
	if len(applied) != 1 || applied[0] != "Z" {
		t.Fatalf("applied %q", applied)
	}
	var status string
	(&cmdrun.Runner{TB: t, Deliver: func(m tea.Msg) {
		if s, ok := m.(ui.StatusMsg); ok {
			status = s.Text
		}
	}}).Exec(cmd)
	if !strings.Contains(status, `\x1b`) || !strings.Contains(status, "u undoes it") {
		t.Errorf("status %q", status)
	}
}
