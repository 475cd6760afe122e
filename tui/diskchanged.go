// The question a save asks when the file changed on disk since this
// window read it: what the other save changed, and what to do about it.

package tui

import (
	"bytes"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// diskChange is what was saved over a file since this window read it: the
// comparison of the two contents, or why there is none.
type diskChange struct {
	created bool // there was no file when this window looked
	// overDraft: this window's flow is a recovered draft, and result is
	// what saving it would change in the file as it is now.
	overDraft bool
	// maybe: the draft does not record the file it started from, so
	// whether the file changed since is not known.
	maybe  bool
	result diff.Result
	err    error    // the file holds no flow now
	seen   diskSeen // what the file held when compared
}

// diskSeen is a file's content as a save found it: what the
// changed-on-disk question shows, and what its ctrl+s allows writing over.
type diskSeen struct{ data []byte }

// covers reports whether now is the content seen; a nil diskSeen covers
// nothing.
func (s *diskSeen) covers(now []byte) bool {
	return s != nil && s.data != nil && bytes.Equal(s.data, now)
}

// compareOnDisk compares the file as this window read or wrote it
// (expected; nil: there was none) with what it holds now. Both are parsed
// and validated, so it runs in a command.
func compareOnDisk(expected, now []byte) diskChange {
	var old *flow.Config
	if expected != nil {
		// What this window read or wrote parsed then; should it not now,
		// the comparison is with no file.
		old, _ = flow.Parse(expected)
	}
	cur, err := flow.Parse(now)
	if err != nil {
		return diskChange{created: expected == nil, err: err}
	}
	return diskChange{created: expected == nil, result: diff.Compare(old, cur)}
}

// diskChangedQuestion shows what another save changed in the file and asks
// what to do: ctrl+s again overwrites it, ctrl+w saves elsewhere, esc
// keeps editing. The root closes it once a save succeeds.
type diskChangedQuestion struct {
	common *ui.Common
	path   string
	change diskChange
	// thenQuit: the save was to quit; ctrl+s writes and quits, esc stays.
	thenQuit bool
	list     *widget.ChangeList
	width    int
	height   int
	// head and foot are the sentences above and below the list, wrapped
	// to the width.
	head, foot []string
}

func newDiskChangedQuestion(c *ui.Common, path string, change diskChange, thenQuit bool) *diskChangedQuestion {
	q := &diskChangedQuestion{common: c, path: path, change: change, thenQuit: thenQuit, list: widget.NewChangeList(c)}
	q.list.SetResult(change.result)
	return q
}

func (q *diskChangedQuestion) Title() string { return "changed on disk" }

// SetSize wraps the sentences above and below the list to the width (they
// are read whole, not cut), and gives the list the rows left.
func (q *diskChangedQuestion) SetSize(w, h int) {
	q.width, q.height = w, h
	head, foot := q.sentences()
	q.head, q.foot = wrapLines(head, w), wrapLines(foot, w)
	q.list.SetSize(w, max(1, h-len(q.head)-len(q.foot)))
}

// wrapLines wraps each line to width; "" stays a blank line.
func wrapLines(lines []string, width int) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.Split(ansi.Wrap(l, max(1, width), ""), "\n")...)
	}
	return out
}

func (q *diskChangedQuestion) ShortHelp() []key.Binding {
	k := q.common.Keys
	return []key.Binding{
		key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "overwrite")),
		key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "save elsewhere")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		k.Up, k.Down,
	}
}

func (q *diskChangedQuestion) FullHelp() [][]key.Binding {
	k := q.common.Keys
	return [][]key.Binding{q.ShortHelp(), {k.PageUp, k.PageDown, k.Home, k.End}}
}

func (q *diskChangedQuestion) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return q, nil
	}
	if key.Matches(km, q.common.Keys.Back) {
		return q, ui.Pop
	}
	q.list.Update(km)
	return q, nil
}

// sentences are what is said above the list (what happened, what the
// list holds) and below it (the keys), one line each before wrapping.
func (q *diskChangedQuestion) sentences() (head, foot []string) {
	s := &q.common.Styles
	name := flow.Visible(filepath.Base(q.path))
	title := name + " changed on disk since this window read it"
	overwritten := "this window's flow replaces what is listed above"
	switch {
	case q.change.overDraft && q.change.maybe:
		title = name + " may have changed on disk since the draft's edits began: the draft does not record what the file held then"
		overwritten = "it then holds the draft"
	case q.change.overDraft:
		title = name + " changed on disk since the draft's edits began"
		overwritten = "it then holds the draft"
	case q.change.created:
		title = name + " was created on disk since this window looked"
	}
	var what string
	switch r := q.change.result; {
	case q.change.err != nil:
		what = "It holds no flow now: " + flow.Visible(q.change.err.Error())
	case q.change.overDraft && r.Same():
		what = "The draft says the same as the file now: no semantic differences."
	case q.change.overDraft:
		what = "What saving the draft would change in it: " + export.DiffSummary(r) + "."
	case r.Same():
		what = "The other save changed nothing that matters: no semantic differences."
		overwritten = "nothing that matters is lost"
	default:
		what = "What the other save changed: " + export.DiffSummary(r) + "."
	}
	overwrites, cancels := "overwrites it with this window's flow", "cancels, keeps editing"
	if q.thenQuit {
		overwrites, cancels = "overwrites it with this window's flow and quits", "cancels the quit, keeps editing"
	}
	head = []string{s.Warning.Render("⚠ " + title), what, ""}
	foot = []string{
		"",
		s.Key.Render("ctrl+s") + " again " + overwrites + "; " + overwritten,
		s.Key.Render("ctrl+w") + " saves this window's flow elsewhere · " + s.Key.Render("esc") + " " + cancels,
	}
	return head, foot
}

func (q *diskChangedQuestion) View() string {
	var list string
	if q.change.err == nil && !q.change.result.Same() {
		list = q.list.View()
	}
	rows := max(1, q.height-len(q.head)-len(q.foot))
	out := make([]string, 0, len(q.head)+len(q.foot)+1)
	out = append(out, q.head...)
	out = append(out, ui.FitBlock(list, q.width, rows))
	out = append(out, q.foot...)
	return ui.FitBlock(strings.Join(out, "\n"), q.width, q.height)
}
