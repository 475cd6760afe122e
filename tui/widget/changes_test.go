package widget

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui/ui"
)

// blocksOf makes entries of the given line counts, line j of entry i
// reading "i.j".
func blocksOf(sizes ...int) [][]string {
	out := make([][]string, len(sizes))
	for i, n := range sizes {
		for j := range n {
			out[i] = append(out[i], strconv.Itoa(i)+"."+strconv.Itoa(j))
		}
	}
	return out
}

func TestShowBlocksKeepsTheCursorsEntryInView(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		sizes                 []int
		cursor, offset, avail int
		first                 int
		lines                 string
	}{
		{"fits", []int{1, 2, 1}, 2, 0, 10, 0, "0.0 1.0 1.1 2.0"},
		{"down past the bottom", []int{1, 2, 1, 3}, 3, 0, 4, 2, "2.0 3.0 3.1 3.2"},
		{"up past the top", []int{1, 2, 1, 3}, 1, 3, 4, 1, "1.0 1.1 2.0"},
		{"stays while in view", []int{1, 1, 1, 1, 1}, 2, 1, 3, 1, "1.0 2.0 3.0"},
		{"grown window pulls earlier entries back", []int{1, 1, 1, 1}, 3, 3, 4, 0, "0.0 1.0 2.0 3.0"},
		{"an entry taller than the window", []int{1, 5, 1}, 1, 0, 3, 1, "1.0 1.1 1.2 1.3 1.4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, first := ShowBlocks(blocksOf(tc.sizes...), tc.cursor, tc.offset, tc.avail)
			if first != tc.first || strings.Join(lines, " ") != tc.lines {
				t.Fatalf("first %d, lines %q; want %d, %q", first, strings.Join(lines, " "), tc.first, tc.lines)
			}
		})
	}
}

// A long comparison pages by what is shown; the cursor's entry stays in
// view and every line fits the width.
func TestChangeListPagesAndFits(t *testing.T) {
	c := &ui.Common{Keys: ui.DefaultKeyMap()}
	c.SetDark(true)
	var r diff.Result
	for i := range 40 {
		r.Changes = append(r.Changes, diff.Change{Kind: diff.Added, Subject: diff.SubjectStep,
			Where: []diff.Locator{{Subject: diff.SubjectStep, Key: "step-" + strconv.Itoa(i) + "\x1b[2J"}}, To: i + 1,
			New:        flow.NewObject(),
			Introduced: flow.Diagnostics{{Severity: flow.SevWarning, Code: "c", Path: "/steps/" + strconv.Itoa(i), Message: strings.Repeat("a long message ", 8)}}})
	}
	l := NewChangeList(c)
	l.SetSize(40, 10)
	l.SetResult(r)
	l.View()
	l.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	if l.Cursor < 1 || l.Cursor > 4 {
		t.Fatalf("page down went to %d", l.Cursor)
	}
	l.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	v := l.View()
	lines := strings.Split(v, "\n")
	if len(lines) > 10 || !slices.ContainsFunc(lines, func(s string) bool { return strings.Contains(ansi.Strip(s), `▸ + added step "step-39\x1b[2J"`) }) {
		t.Fatalf("after end:\n%s", ansi.Strip(v))
	}
	for _, s := range lines {
		if ansi.StringWidth(s) > 40 || strings.Contains(s, "\x1b[2J") {
			t.Fatalf("line %q is too wide or holds a raw escape", s)
		}
	}
}

// An entry taller than the list says how many of its lines are out of
// view, and down and page down scroll through them before moving on; its
// first line stays in view.
func TestChangeListScrollsAnEntryTallerThanTheList(t *testing.T) {
	c := &ui.Common{Keys: ui.DefaultKeyMap()}
	c.SetDark(true)
	ch := diff.Change{Kind: diff.Changed, Subject: diff.SubjectStep,
		Where: []diff.Locator{{Subject: diff.SubjectStep, Key: "language"}}, New: flow.NewObject()}
	for i := range 9 {
		ch.Introduced = append(ch.Introduced, flow.Diagnostic{Severity: flow.SevWarning, Code: "missing-translation",
			Path: "/q/" + strconv.Itoa(i), Message: "no text for de"})
	}
	r := diff.Result{Changes: []diff.Change{ch, {Kind: diff.Added, Subject: diff.SubjectStep,
		Where: []diff.Locator{{Subject: diff.SubjectStep, Key: "after"}}, New: flow.NewObject()}}}
	l := NewChangeList(c)
	l.SetSize(80, 6)
	l.SetResult(r)
	view := func() string {
		v := l.View()
		if n := strings.Count(v, "\n") + 1; n > 6 {
			t.Fatalf("%d lines in a list 6 high:\n%s", n, ansi.Strip(v))
		}
		return ansi.Strip(v)
	}
	v := view()
	if !strings.Contains(v, "▸ ") || !strings.Contains(v, "/q/0:") || !strings.Contains(v, "… 5 more lines") {
		t.Fatalf("the tall entry's start, with what is below it:\n%s", v)
	}
	press := func(code rune) { l.Update(tea.KeyPressMsg{Code: code}) }
	press(tea.KeyDown)
	if v = view(); l.Cursor != 0 || strings.Contains(v, "/q/0:") || !strings.Contains(v, "/q/4:") || !strings.Contains(v, "… 4 more lines") || !strings.Contains(v, "▸ ") {
		t.Fatalf("down scrolls within the entry (cursor %d):\n%s", l.Cursor, v)
	}
	press(tea.KeyPgDown)
	if v = view(); l.Cursor != 0 || !strings.Contains(v, "/q/8:") || strings.Contains(v, "more line") {
		t.Fatalf("page down reaches the entry's end (cursor %d):\n%s", l.Cursor, v)
	}
	press(tea.KeyDown)
	if v = view(); l.Cursor != 1 || !strings.Contains(v, `▸ + added step "after"`) {
		t.Fatalf("at the entry's end down goes on (cursor %d):\n%s", l.Cursor, v)
	}
	press(tea.KeyUp)
	if v = view(); l.Cursor != 0 || !strings.Contains(v, "/q/0:") {
		t.Fatalf("up goes back to the tall entry's start (cursor %d):\n%s", l.Cursor, v)
	}
}
