package widget

import (
	tea "charm.land/bubbletea/v2"
)

// ClipboardDoneMsg reports a copy. Fallback means the system clipboard
// could not be used (no clipboard tool, as over SSH or in CI), so the text
// goes to the terminal's clipboard instead (OSC 52).
type ClipboardDoneMsg struct {
	Gen      int
	What     string // "link", "iframe snippet"
	Text     string // kept only for the fallback
	Fallback bool
}

// ClipboardCopy copies text to the system clipboard in a command: write
// runs a clipboard tool, which may block for a moment. When it fails the
// answer asks for the OSC 52 fallback (tea.SetClipboard).
func ClipboardCopy(write func(string) error, gen int, text, what string) tea.Cmd {
	return func() tea.Msg {
		if write != nil && write(text) == nil {
			return ClipboardDoneMsg{Gen: gen, What: what}
		}
		return ClipboardDoneMsg{Gen: gen, What: what, Text: text, Fallback: true}
	}
}
