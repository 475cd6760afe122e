package widget

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui/ui"
)

// ChangeEntry is a row of a ChangeList: a change, or a diagnostic that no
// single change accounts for.
type ChangeEntry struct {
	Change *diff.Change // nil for a diagnostic alone
	Diag   flow.Diagnostic
	Fixed  bool // Diag is the old flow's, gone from the new one
}

// ChangeList lists a semantic comparison of two flows (flow/diff) as the
// CLI's text does: a line per change, what comes from the config escaped
// and styled apart from the tool's words, the problems the change
// introduces or fixes under it, then the problems no single change
// accounts for. A cursor picks an entry; what enter does is the owner's.
type ChangeList struct {
	common  *ui.Common
	entries []ChangeEntry
	Cursor  int
	offset  int
	width   int
	height  int
	// within is how far the cursor's entry is scrolled when it is taller
	// than the list: the lines under its first one that are out of view
	// above.
	within int

	// The entries as drawn, kept while the comparison and the width stay.
	blocks      [][]string
	blocksWidth int
}

// NewChangeList is an empty list.
func NewChangeList(c *ui.Common) *ChangeList { return &ChangeList{common: c} }

// SetResult shows r; the cursor stays where it was as far as r allows.
func (l *ChangeList) SetResult(r diff.Result) {
	l.entries = l.entries[:0]
	for i := range r.Changes {
		l.entries = append(l.entries, ChangeEntry{Change: &r.Changes[i]})
	}
	for _, d := range r.Introduced {
		l.entries = append(l.entries, ChangeEntry{Diag: d})
	}
	for _, d := range r.Fixed {
		l.entries = append(l.entries, ChangeEntry{Diag: d, Fixed: true})
	}
	l.Cursor = max(0, min(l.Cursor, len(l.entries)-1))
	l.blocks, l.within = nil, 0
}

func (l *ChangeList) SetSize(w, h int) { l.width, l.height = w, h }

// Len is the number of entries.
func (l *ChangeList) Len() int { return len(l.entries) }

// Selected is the entry under the cursor.
func (l *ChangeList) Selected() (ChangeEntry, bool) {
	if l.Cursor < 0 || l.Cursor >= len(l.entries) {
		return ChangeEntry{}, false
	}
	return l.entries[l.Cursor], true
}

// Update moves the cursor (up, down, home, end, page up, page down) and
// reports whether km was one of those keys.
func (l *ChangeList) Update(km tea.KeyPressMsg) bool {
	k := l.common.Keys
	n := len(l.entries)
	if l.scrollWithin(km) {
		return true
	}
	if next, ok := MoveCursorWithin(k, km, l.Cursor, n); ok {
		l.moveTo(next)
		return true
	}
	// A page is as many entries as are shown: entries are a line or a few.
	page := max(1, l.shownEntries())
	switch {
	case key.Matches(km, k.PageDown):
		l.moveTo(max(0, min(n-1, l.Cursor+page)))
	case key.Matches(km, k.PageUp):
		l.moveTo(max(0, l.Cursor-page))
	default:
		return false
	}
	return true
}

// moveTo puts the cursor on entry i, at its start when it is another.
func (l *ChangeList) moveTo(i int) {
	if i != l.Cursor {
		l.Cursor, l.within = i, 0
	}
}

// scrollWithin moves through the cursor's entry when it is taller than
// the list: down, up and the page keys scroll its lines until its end (or
// start) is in view, then move on to the next (or previous) entry.
func (l *ChangeList) scrollWithin(km tea.KeyPressMsg) bool {
	blocks := l.drawn()
	if l.Cursor >= len(blocks) {
		return false
	}
	last := tallScrollEnd(len(blocks[l.Cursor]), l.avail())
	if last == 0 {
		return false
	}
	k, page := l.common.Keys, max(1, l.avail()-2)
	switch {
	case key.Matches(km, k.Down) && l.within < last:
		l.within++
	case key.Matches(km, k.PageDown) && l.within < last:
		l.within = min(last, l.within+page)
	case key.Matches(km, k.Up) && l.within > 0:
		l.within--
	case key.Matches(km, k.PageUp) && l.within > 0:
		l.within = max(0, l.within-page)
	default:
		return false
	}
	return true
}

func (l *ChangeList) avail() int { return max(1, l.height) }

// tallScrollEnd is how far an entry of n lines scrolls in avail rows: 0
// when it fits. Its first line stays in view; the rest scroll under it.
func tallScrollEnd(n, avail int) int {
	if n <= avail || avail < 3 {
		return 0
	}
	return n - avail
}

// tallWindow is the rows of an entry taller than avail scrolled by within:
// its first line, then the lines in view and, while some are below, a line
// saying how many.
func tallWindow(s *ui.Styles, block []string, within, avail int) []string {
	last := tallScrollEnd(len(block), avail)
	within = max(0, min(within, last))
	out := []string{block[0]}
	if within == last {
		return append(out, block[1+within:]...)
	}
	out = append(out, block[1+within:within+avail-1]...)
	more := len(block) - (within + avail - 1)
	return append(out, s.Dim.Render("    … "+ui.Count(more, "more line")+" · ↓ scrolls"))
}

// shownEntries is how many entries the last View showed.
func (l *ChangeList) shownEntries() int {
	blocks, n := l.drawn(), 0
	for i, used := l.offset, 0; i < len(blocks); i++ {
		if used += len(blocks[i]); used > l.height && i > l.offset {
			break
		}
		n++
	}
	return n
}

// View is the entries that fit the height, the cursor's among them.
func (l *ChangeList) View() string {
	blocks := l.drawn()
	if len(blocks) == 0 {
		return ""
	}
	marked := make([][]string, len(blocks))
	copy(marked, blocks)
	cur := append([]string(nil), blocks[l.Cursor]...)
	// The cursor's mark takes the two spaces every entry starts with; the
	// unattributed heading, when the entry carries it, keeps its line.
	at := 0
	if l.entries[l.Cursor].Change == nil && l.Cursor == l.firstAlone() {
		at = 1
	}
	cur[at] = l.common.Styles.Cursor.Render("▸ ") + strings.TrimPrefix(cur[at], "  ")
	marked[l.Cursor] = cur
	if last := tallScrollEnd(len(cur), l.avail()); last > 0 {
		l.offset, l.within = l.Cursor, min(l.within, last)
		return strings.Join(tallWindow(&l.common.Styles, cur, l.within, l.avail()), "\n")
	}
	lines, first := ShowBlocks(marked, l.Cursor, l.offset, l.avail())
	l.offset = first
	return strings.Join(lines, "\n")
}

// firstAlone is the index of the first diagnostic no change accounts for.
func (l *ChangeList) firstAlone() int {
	for i, e := range l.entries {
		if e.Change == nil {
			return i
		}
	}
	return len(l.entries)
}

// drawn returns the entries as lines, drawing them when the comparison or
// the width changed.
func (l *ChangeList) drawn() [][]string {
	if l.blocks != nil && l.blocksWidth == l.width {
		return l.blocks
	}
	s := &l.common.Styles
	w := max(20, l.width)
	l.blocks, l.blocksWidth = make([][]string, len(l.entries)), l.width
	alone := l.firstAlone()
	for i, e := range l.entries {
		var block []string
		if e.Change != nil {
			c := e.Change
			line := "  " + kindStyle(s, c.Kind).Render(export.DiffMark(c.Kind)) + " " + export.DiffPhrase(*c, func(k diff.SpanKind, t string) string {
				return spanStyle(s, k).Render(t)
			})
			block = wrapIndented(line, w, "    ")
			for _, d := range c.Introduced {
				block = append(block, wrapIndented("      "+diagText(s, "introduces", d, false), w, "        ")...)
			}
			for _, d := range c.Fixed {
				block = append(block, wrapIndented("      "+diagText(s, "fixes", d, true), w, "        ")...)
			}
		} else {
			if i == alone {
				block = append(block, s.Title.Render("  diagnostics no single change accounts for:"))
			}
			verb := "introduces"
			if e.Fixed {
				verb = "fixes"
			}
			block = append(block, wrapIndented("  "+diagText(s, verb, e.Diag, e.Fixed), w, "    ")...)
		}
		l.blocks[i] = block
	}
	return l.blocks
}

// diagText is "introduces error CODE at PATH: message", the severity in
// its colour (green when fixed).
func diagText(s *ui.Styles, verb string, d flow.Diagnostic, fixed bool) string {
	sev := ui.SevStyle(s, d.Severity)
	if fixed {
		sev = s.OK
	}
	path := d.Path
	if path == "" {
		path = "(whole file)"
	}
	return verb + " " + sev.Render(string(d.Severity)) + " " + flow.Visible(d.Code) +
		s.Dim.Render(" at "+flow.Visible(path)) + ": " + flow.Visible(d.Message)
}

// wrapIndented wraps a styled line to w cells, the lines after the first
// indented.
func wrapIndented(line string, w int, indent string) []string {
	if lipgloss.Width(line) <= w {
		return []string{line}
	}
	out := strings.Split(ansi.Wrap(line, max(10, w-len(indent)), ""), "\n")
	for i := 1; i < len(out); i++ {
		out[i] = indent + out[i]
	}
	return out
}

// kindStyle colours a change's mark as the CLI does: added green, removed
// red, changed yellow, moved and renamed cyan.
func kindStyle(s *ui.Styles, k diff.Kind) lipgloss.Style {
	switch k {
	case diff.Added:
		return s.OK
	case diff.Removed:
		return s.Error
	case diff.Changed:
		return s.Warning
	}
	return s.Info
}

// spanStyle sets what comes from the config apart from the tool's words:
// keys in the accent colour, member names, types and languages in cyan.
func spanStyle(s *ui.Styles, k diff.SpanKind) lipgloss.Style {
	switch k {
	case diff.Name:
		return s.Key
	case diff.Word:
		return s.Info
	}
	return lipgloss.NewStyle()
}

// ShowBlocks returns the lines of a list whose entries are blocks of lines
// (an entry and what is said under it) that fit avail lines, and the first
// entry shown: offset, moved as little as keeps the cursor's entry in
// view. After the window grows, earlier entries come back into view rather
// than leave empty rows below. The work is that of the lines shown.
func ShowBlocks(blocks [][]string, cursor, offset, avail int) (lines []string, first int) {
	return ShowBlocksOf(len(blocks), func(i int) []string { return blocks[i] }, cursor, offset, avail)
}

// ShowBlocksOf is ShowBlocks for a list of n entries whose blocks block
// works out when asked: only those around the cursor are, so a list of
// tens of thousands costs what one of a few does.
func ShowBlocksOf(n int, block func(i int) []string, cursor, offset, avail int) (lines []string, first int) {
	if n == 0 {
		return nil, 0
	}
	cursor = max(0, min(cursor, n-1))
	// The earliest first entry with which the cursor's entry is wholly in
	// view.
	earliest, used := cursor, len(block(cursor))
	for earliest > 0 && used+len(block(earliest-1)) <= avail {
		earliest--
		used += len(block(earliest))
	}
	offset = max(0, min(max(offset, earliest), cursor))
	tail := 0
	for i := offset; i < n && tail <= avail; i++ {
		tail += len(block(i))
	}
	for offset > 0 && tail+len(block(offset-1)) <= avail {
		offset--
		tail += len(block(offset))
	}
	for i := offset; i < n; i++ {
		b := block(i)
		if len(lines)+len(b) > avail && i > offset {
			break
		}
		lines = append(lines, b...)
	}
	return lines, offset
}
