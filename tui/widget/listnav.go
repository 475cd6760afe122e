// Package widget holds the wizard's reusable parts, which know nothing of
// step types: list navigation and the "/" filter, the picker, the property
// list, dialogs (quit, save as, any huh form as a screen), the one-line text
// entry, the localized-text editor, the clipboard copy and the list of a
// semantic comparison. It imports ui, flow (and flow/diff) and export's
// text helpers; screens built from these parts live in editor and session.
package widget

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

// Moving about lists and texts: the pieces the filterable lists (picker,
// catalog, step list) and the read-only texts share.

// ListFilter is the "/" filter of a list: while On it takes the typed
// text; the list keeps the rows containing it until it is cleared.
type ListFilter struct {
	textinput.Model
	On bool // taking typed text
}

// NewListFilter is an empty filter showing placeholder.
func NewListFilter(placeholder string) ListFilter {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = placeholder
	in.SetWidth(40) // unset, the placeholder shows as its first letter
	return ListFilter{Model: in}
}

// query is the typed text as rows are matched against it.
func (f *ListFilter) Query() string { return strings.ToLower(strings.TrimSpace(f.Value())) }

// shown reports whether the filter line belongs on screen: while typed,
// and afterwards as long as it narrows the list.
func (f *ListFilter) Shown() bool { return f.On || f.Value() != "" }

// Start takes typed text into the filter.
func (f *ListFilter) Start() tea.Cmd {
	f.On = true
	return f.Focus()
}

// FilterResult says what a message did to a filter being typed.
type FilterResult int

const (
	FilterTyped   FilterResult = iota // it went to the input: the text may have changed
	FilterCleared                     // esc: the filter is off and empty
	FilterKept                        // enter, up or down: the filter is off, its text stays
)

// update handles a message while the filter is on.
func (f *ListFilter) Handle(msg tea.Msg) (tea.Cmd, FilterResult) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "esc":
			f.On = false
			f.SetValue("")
			f.Blur()
			return nil, FilterCleared
		case "enter", "up", "down":
			f.On = false
			f.Blur()
			return nil, FilterKept
		}
	}
	var cmd tea.Cmd
	f.Model, cmd = f.Model.Update(msg)
	return cmd, FilterTyped
}

// RankMatching filters lists whose order is only a presentation
// (catalogs, pickers) by q, a query as ListFilter.Query gives it (all rows
// when it is empty): the rows whose name starts with q come
// first, then those whose name contains it, then those where a word of the
// text starts with it, then the rest; each group keeps the list's order.
// Typing "face" finds face-document before a step "interface" describes.
func RankMatching[T any](rows []T, q string, name, text func(T) string) []T {
	if q == "" {
		return rows
	}
	var tiers [4][]T
	for _, r := range rows {
		n, t := strings.ToLower(name(r)), strings.ToLower(text(r))
		switch {
		case strings.HasPrefix(n, q):
			tiers[0] = append(tiers[0], r)
		case strings.Contains(n, q):
			tiers[1] = append(tiers[1], r)
		case strings.HasPrefix(t, q) || strings.Contains(t, " "+q):
			tiers[2] = append(tiers[2], r)
		case strings.Contains(t, q):
			tiers[3] = append(tiers[3], r)
		}
	}
	return slices.Concat(tiers[:]...)
}

// MoveCursor applies up, down, home and end to a cursor over n rows; ok is
// false for any other key.
func MoveCursor(k ui.KeyMap, km tea.KeyPressMsg, cursor, n int) (next int, ok bool) {
	switch {
	case key.Matches(km, k.Up):
		if cursor > 0 {
			cursor--
		}
	case key.Matches(km, k.Down):
		if cursor < n-1 {
			cursor++
		}
	case key.Matches(km, k.Home):
		cursor = 0
	case key.Matches(km, k.End):
		cursor = max(0, n-1)
	default:
		return cursor, false
	}
	return cursor, true
}

// MoveCursorWithin is MoveCursor for a list that may have become shorter
// than its cursor since it was drawn (an undo, a fix elsewhere, a line
// being added and then cancelled): down brings such a cursor back onto the
// last row rather than leave it past the end.
func MoveCursorWithin(k ui.KeyMap, km tea.KeyPressMsg, cursor, n int) (next int, ok bool) {
	next, ok = MoveCursor(k, km, cursor, n)
	if ok && key.Matches(km, k.Down) {
		next = max(0, min(n-1, next))
	}
	return next, ok
}

// ScrollText applies up, down, page up and page down to the first shown
// line of a text of n lines shown page lines at a time; ok is false for
// any other key.
func ScrollText(k ui.KeyMap, km tea.KeyPressMsg, offset, n, page int) (next int, ok bool) {
	last := max(0, n-page)
	switch {
	case key.Matches(km, k.Up):
		return max(0, offset-1), true
	case key.Matches(km, k.Down):
		return min(last, offset+1), true
	case key.Matches(km, k.PageUp):
		return max(0, offset-page), true
	case key.Matches(km, k.PageDown):
		return max(0, min(last, offset+page)), true
	case key.Matches(km, k.Home):
		return 0, true
	case key.Matches(km, k.End):
		return last, true
	}
	return offset, false
}

// ScrollToCursor returns the first row to show, from offset, so that row
// cursor is among the avail rows shown.
func ScrollToCursor(cursor, offset, avail int) int {
	if cursor < offset {
		return cursor
	}
	if cursor >= offset+avail {
		return cursor - avail + 1
	}
	return offset
}

// CursorRow is a row of a choice list: name, then rest; the selected row
// has the cursor mark and its name highlighted.
//
// rest may come in two parts (a gap and a styled text), joined with the
// row in one go rather than first on their own.
func CursorRow(s *ui.Styles, selected bool, name string, rest ...string) string {
	mark := "  "
	if selected {
		mark, name = s.Cursor.Render("▸ "), s.Selected.Render(name)
	}
	switch len(rest) {
	case 0:
		return mark + name
	case 1:
		return mark + name + rest[0]
	case 2:
		return mark + name + rest[0] + rest[1]
	}
	return mark + name + strings.Join(rest, "")
}
