package tui

import (
	tea "charm.land/bubbletea/v2"
)

// clipboardDoneMsg reports a copy. fallback means the system clipboard
// could not be used (no clipboard tool, as over SSH or in CI), so the text
// goes to the terminal's clipboard instead (OSC 52).
type clipboardDoneMsg struct {
	gen      int
	what     string // "link", "iframe snippet"
	text     string // kept only for the fallback
	fallback bool
}

// clipboardCopy copies text to the system clipboard in a command: write
// runs a clipboard tool, which may block for a moment. When it fails the
// answer asks for the OSC 52 fallback (tea.SetClipboard).
func clipboardCopy(write func(string) error, gen int, text, what string) tea.Cmd {
	return func() tea.Msg {
		if write != nil && write(text) == nil {
			return clipboardDoneMsg{gen: gen, what: what}
		}
		return clipboardDoneMsg{gen: gen, what: what, text: text, fallback: true}
	}
}
