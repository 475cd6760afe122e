// The chrome around the top screen: header, help bar and full help, and
// the helpers that fit text to the terminal.

package tui

import (
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// globalBindings are the keys every screen has: save, quit and help.
func (a *App) globalBindings(more bool) []key.Binding {
	k := a.common.Keys
	var b []key.Binding
	if a.doc != nil && !widget.IsSaveAs(a.top()) {
		b = append(b, k.Save)
		if more {
			b = append(b, k.SaveAs, k.Undo, k.Redo)
		}
	}
	if _, asking := a.top().(*widget.QuitDialog); asking {
		// A second ctrl+c takes the question back.
		b = append(b, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel")))
	} else {
		b = append(b, k.Quit)
	}
	if more || !ui.Capturing(a.top()) {
		b = append(b, k.Help) // ? types a character while a field takes text
	}
	return b
}

// shortHelpView is the help bar: the screen's keys that fit, then save,
// quit and help, which always show whatever the width.
func (a *App) shortHelpView() string {
	hs := a.help.Styles
	keyStyle, descStyle := hs.ShortKey.Inline(true), hs.ShortDesc.Inline(true)
	item := func(b key.Binding) string {
		return keyStyle.Render(b.Help().Key) + " " + descStyle.Render(b.Help().Desc)
	}
	sep := hs.ShortSeparator.Inline(true).Render(" • ")
	ellipsis := hs.Ellipsis.Inline(true).Render("…")
	sepW, ellipsisW := lipgloss.Width(sep), lipgloss.Width(ellipsis)
	tail := a.globalBindings(false)
	inTail := map[string]bool{}
	tailParts := make([]string, len(tail))
	for i, b := range tail {
		inTail[b.Help().Key] = true
		tailParts[i] = item(b)
	}
	tailStr := strings.Join(tailParts, sep)
	var head []string
	var candidates []key.Binding
	bindings := a.top().ShortHelp()
	if te, ok := a.top().(interface{ EditingText() bool }); ok && te.EditingText() {
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
		if used+w+reserve > a.common.Width {
			head = append(head, ellipsis)
			break
		}
		head = append(head, item(b))
		used += w
	}
	return ui.Truncate(strings.Join(append(head, tailStr), sep), a.common.Width)
}

// fullHelpView lists every key of the screen and the global ones, in
// columns placed side by side as far as the width allows and wrapped
// onto more rows beyond it.
func (a *App) fullHelpView() string {
	groups := a.top().FullHelp()
	have := map[string]bool{}
	for _, g := range groups {
		for _, b := range g {
			have[b.Help().Key] = true
		}
	}
	var extra []key.Binding
	for _, b := range a.globalBindings(true) {
		if !have[b.Help().Key] {
			extra = append(extra, b)
		}
	}
	if len(extra) > 0 {
		groups = append(groups, extra)
	}
	plain := help.New()
	plain.Styles = a.help.Styles
	const gap = "    "
	var rows []string
	row := ""
	for _, g := range groups {
		col := plain.FullHelpView([][]key.Binding{g})
		if col == "" {
			continue
		}
		if row != "" && lipgloss.Width(row)+len(gap)+lipgloss.Width(col) > a.common.Width {
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
	// Leave the header, one body line and the status line on screen.
	text := strings.Join(rows, "\n")
	return ui.FitBlock(text, a.common.Width, min(lipgloss.Height(text), max(1, a.common.Height-3)))
}

func (a *App) header() string {
	s := &a.common.Styles
	left := s.Header.Render("identoflow")
	if a.doc != nil {
		name := "new flow"
		if a.doc.Path != "" {
			name = filepath.Base(a.doc.Path)
		}
		if a.doc.Dirty() {
			name += "*"
		}
		left += s.HeaderDim.Render(" · ") + name
	}
	left += s.HeaderDim.Render(" · " + a.top().Title())
	right := ""
	if a.doc != nil {
		right = ui.DiagSummary(s, a.doc.Diags)
	}
	gap := a.common.Width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Too narrow: shorten the title, keep the diagnostics counts.
		if room := a.common.Width - lipgloss.Width(right) - 1; room >= 20 {
			return ui.Truncate(left, room) + " " + right
		}
		return ui.Truncate(left+" "+right, a.common.Width)
	}
	return left + strings.Repeat(" ", gap) + right
}
