package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Moving about lists and texts: the pieces the filterable lists (picker,
// catalog, step list) and the read-only texts share.

// listFilter is the "/" filter of a list: while on it takes the typed
// text; the list keeps the rows containing it until it is cleared.
type listFilter struct {
	textinput.Model
	on bool
}

func newListFilter(placeholder string) listFilter {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = placeholder
	in.SetWidth(40) // unset, the placeholder shows as its first letter
	return listFilter{Model: in}
}

// query is the typed text as rows are matched against it.
func (f *listFilter) query() string { return strings.ToLower(strings.TrimSpace(f.Value())) }

// shown reports whether the filter line belongs on screen: while typed,
// and afterwards as long as it narrows the list.
func (f *listFilter) shown() bool { return f.on || f.Value() != "" }

func (f *listFilter) start() tea.Cmd {
	f.on = true
	return f.Focus()
}

// filterResult says what a message did to a filter being typed.
type filterResult int

const (
	filterTyped   filterResult = iota // it went to the input: the text may have changed
	filterCleared                     // esc: the filter is off and empty
	filterKept                        // enter, up or down: the filter is off, its text stays
)

// update handles a message while the filter is on.
func (f *listFilter) update(msg tea.Msg) (tea.Cmd, filterResult) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "esc":
			f.on = false
			f.SetValue("")
			f.Blur()
			return nil, filterCleared
		case "enter", "up", "down":
			f.on = false
			f.Blur()
			return nil, filterKept
		}
	}
	var cmd tea.Cmd
	f.Model, cmd = f.Model.Update(msg)
	return cmd, filterTyped
}

// keepMatching returns the rows whose text contains q, a query as
// listFilter.query gives it; all of them when q is empty.
func keepMatching[T any](rows []T, q string, text func(T) string) []T {
	if q == "" {
		return rows
	}
	var kept []T
	for _, r := range rows {
		if strings.Contains(strings.ToLower(text(r)), q) {
			kept = append(kept, r)
		}
	}
	return kept
}

// rankMatching is keepMatching for lists whose order is only a
// presentation (catalogs, pickers): the rows whose name starts with q come
// first, then those whose name contains it, then those where a word of the
// text starts with it, then the rest; each group keeps the list's order.
// Typing "face" finds face-document before a step "interface" describes.
func rankMatching[T any](rows []T, q string, name, text func(T) string) []T {
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

// moveCursor applies up, down, home and end to a cursor over n rows; ok is
// false for any other key.
func moveCursor(k KeyMap, km tea.KeyPressMsg, cursor, n int) (next int, ok bool) {
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

// scrollText applies up, down, page up and page down to the first shown
// line of a text of n lines shown page lines at a time; ok is false for
// any other key.
func scrollText(k KeyMap, km tea.KeyPressMsg, offset, n, page int) (next int, ok bool) {
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

// scrollToCursor returns the first row to show, from offset, so that row
// cursor is among the avail rows shown.
func scrollToCursor(cursor, offset, avail int) int {
	if cursor < offset {
		return cursor
	}
	if cursor >= offset+avail {
		return cursor - avail + 1
	}
	return offset
}

// cursorRow is a row of a choice list: name, then rest; the selected row
// has the cursor mark and its name highlighted.
func cursorRow(s *Styles, selected bool, name, rest string) string {
	if selected {
		return s.Cursor.Render("▸ ") + s.Selected.Render(name) + rest
	}
	return "  " + name + rest
}
