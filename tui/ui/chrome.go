// The chrome around the top screen: header, status line, help bar and
// full help. The root draws it; a screen never does.

package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// ChromeHeight is the rows the header, status line and help bar take.
const ChromeHeight = 3

// BodyHeight is the rows left for the top screen in a terminal height
// rows tall.
func BodyHeight(height int) int { return max(1, height-ChromeHeight) }

// GlobalBindings are the keys every screen has: save (in the full help
// also save as, undo and redo) while a document can be saved, quit (or
// cancel, while the quit question is asked: a second ctrl+c takes it
// back), and help unless top is taking typed text, where ? is a character.
// more is true for the full help.
func GlobalBindings(k KeyMap, top Screen, canSave, quitAsked, more bool) []key.Binding {
	var b []key.Binding
	if canSave {
		b = append(b, k.Save)
		if more {
			b = append(b, k.SaveAs, k.Undo, k.Redo)
		}
	}
	if quitAsked {
		b = append(b, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel")))
	} else {
		b = append(b, k.Quit)
	}
	if more || !Capturing(top) {
		b = append(b, k.Help)
	}
	return b
}

// HelpBar is the help line: top's keys that fit width, then the global
// ones, which always show whatever the width. While top has text typed
// into a field it offers applying and cancelling it instead.
func HelpBar(hs help.Styles, top Screen, global []key.Binding, width int) string {
	keyStyle, descStyle := hs.ShortKey.Inline(true), hs.ShortDesc.Inline(true)
	item := func(b key.Binding) string {
		return keyStyle.Render(b.Help().Key) + " " + descStyle.Render(b.Help().Desc)
	}
	sep := hs.ShortSeparator.Inline(true).Render(" • ")
	ellipsis := hs.Ellipsis.Inline(true).Render("…")
	sepW, ellipsisW := lipgloss.Width(sep), lipgloss.Width(ellipsis)
	inTail := map[string]bool{}
	tailParts := make([]string, len(global))
	for i, b := range global {
		inTail[b.Help().Key] = true
		tailParts[i] = item(b)
	}
	tailStr := strings.Join(tailParts, sep)
	var head []string
	var candidates []key.Binding
	bindings := top.ShortHelp()
	if te, ok := top.(interface{ EditingText() bool }); ok && te.EditingText() {
		bindings = []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	for _, b := range bindings {
		if b.Enabled() && b.Help().Key != "" && !inTail[b.Help().Key] {
			candidates = append(candidates, b)
		}
	}
	used := lipgloss.Width(tailStr)
	for i, b := range candidates {
		// Key and description are plain text: their widths need no styling.
		w := lipgloss.Width(b.Help().Key) + 1 + lipgloss.Width(b.Help().Desc) + sepW
		reserve := 0
		if i < len(candidates)-1 {
			reserve = ellipsisW + sepW // room to say some were left out
		}
		if used+w+reserve > width {
			head = append(head, ellipsis)
			break
		}
		head = append(head, item(b))
		used += w
	}
	return Truncate(strings.Join(append(head, tailStr), sep), width)
}

// FullHelp lists every key of top and the global ones, in columns placed
// side by side as far as width allows and wrapped onto more rows beyond
// it, leaving the header, one body line and the status line of a terminal
// height rows tall.
func FullHelp(hs help.Styles, top Screen, global []key.Binding, width, height int) string {
	groups := top.FullHelp()
	have := map[string]bool{}
	for _, g := range groups {
		for _, b := range g {
			have[b.Help().Key] = true
		}
	}
	var extra []key.Binding
	for _, b := range global {
		if !have[b.Help().Key] {
			extra = append(extra, b)
		}
	}
	if len(extra) > 0 {
		groups = append(groups, extra)
	}
	plain := help.New()
	plain.Styles = hs
	const gap = "    "
	var rows []string
	row := ""
	for _, g := range groups {
		col := plain.FullHelpView([][]key.Binding{g})
		if col == "" {
			continue
		}
		if row != "" && lipgloss.Width(row)+len(gap)+lipgloss.Width(col) > width {
			rows = append(rows, row)
			row = ""
		}
		if row == "" {
			row = col
		} else {
			row = lipgloss.JoinHorizontal(lipgloss.Top, row, gap, col)
		}
	}
	if row != "" {
		rows = append(rows, row)
	}
	text := strings.Join(rows, "\n")
	return FitBlock(text, width, min(lipgloss.Height(text), max(1, height-3)))
}

// Header is the first line: the program's name, the document's (doc ""
// when none is open), the top screen's title and, at the right edge,
// right (the diagnostics counts).
func Header(s *Styles, width int, doc, title, right string) string {
	left := s.Header.Render("identoflow")
	if doc != "" {
		left += s.HeaderDim.Render(" · ") + doc
	}
	left += s.HeaderDim.Render(" · " + title)
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Too narrow: shorten the title, keep the diagnostics counts.
		if room := width - lipgloss.Width(right) - 1; room >= 20 {
			return Truncate(left, room) + " " + right
		}
		return Truncate(left+" "+right, width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// Frame joins the chrome and the top screen's view into what the terminal
// shows: header, body fitted to the rows the help leaves, status line and
// help.
//
// A status wider than the terminal wraps onto the rows the body leaves
// blank at its foot (up to statusRows); where the body has no such rows
// it is cut, the body's lines being what the person is working on.
func Frame(s *Styles, width, height int, header, body, status string, statusErr bool, help string) string {
	bodyH := max(1, BodyHeight(height)-lipgloss.Height(help)+1)
	style := s.Status
	if statusErr {
		style = s.StatusErr
	}
	statusLines := []string{Truncate(style.Render(status), width)}
	if wrapped := wrapStatus(status, width); len(wrapped) > 1 {
		if extra := len(wrapped) - 1; usedRows(body) <= bodyH-extra {
			bodyH -= extra
			statusLines = statusLines[:0]
			for _, l := range wrapped {
				statusLines = append(statusLines, style.Render(strings.TrimRight(l, " ")))
			}
		}
	}
	body = FitBlock(body, width, bodyH)
	return strings.Join(append(append([]string{header, body}, statusLines...), help), "\n")
}

// StatusExtraRows is how many rows beyond its own a status takes when it
// is wrapped to width: a screen sized that much shorter leaves them blank.
func StatusExtraRows(status string, width int) int {
	return max(0, len(wrapStatus(status, width))-1)
}

// wrapStatus is status as the lines it takes at width, up to statusRows,
// the last one marked when more was cut; nil when it fits on one line.
func wrapStatus(status string, width int) []string {
	if lipgloss.Width(status) <= width || width <= 0 {
		return nil
	}
	wrapped := strings.Split(ansi.Wrap(status, width, ""), "\n")
	if len(wrapped) > statusRows {
		wrapped = wrapped[:statusRows]
		wrapped[statusRows-1] = Truncate(wrapped[statusRows-1]+" …", width)
	}
	return wrapped
}

// statusRows is the most rows a long status line takes.
const statusRows = 3

// usedRows is how many lines of block are not blank at its foot.
func usedRows(block string) int {
	lines := strings.Split(block, "\n")
	n := len(lines)
	for n > 0 && strings.TrimSpace(ansi.Strip(lines[n-1])) == "" {
		n--
	}
	return n
}
