package tui

import (
	tea "charm.land/bubbletea/v2"
)

// Messages screens send to the root.

// pushMsg opens a screen on top of the current one.
type pushMsg struct{ screen Screen }

// popMsg closes the top screen.
type popMsg struct{}

// replaceMsg swaps the top screen for another.
type replaceMsg struct{ screen Screen }

// statusMsg shows a line in the status bar.
type statusMsg struct {
	text string
	err  bool
}

// openDocMsg makes doc the document being edited and opens the editor.
type openDocMsg struct {
	doc     *Doc
	draftID string // the draft this document autosaves to
	note    string // shown in the status bar
}

// saveMsg asks the root to save, to path when given (save as).
type saveMsg struct{ path string }

// savedMsg reports a finished save.
type savedMsg struct {
	path  string
	state int
	data  []byte // what was written
	err   error
	note  string // said after "saved PATH"
}

// draftTickMsg fires when it is time to autosave.
type draftTickMsg struct{}

// draftSavedMsg reports a finished draft write.
type draftSavedMsg struct {
	state int
	err   error
}

// quitMsg quits, discarding unsaved work when discard is set.
type quitMsg struct{ discard bool }

// jumpMsg asks the editor to show the place a JSON Pointer names.
type jumpMsg struct{ path string }

func push(s Screen) tea.Cmd { return func() tea.Msg { return pushMsg{s} } }

func pop() tea.Msg { return popMsg{} }

func status(text string) tea.Cmd { return func() tea.Msg { return statusMsg{text: text} } }

func statusErr(err error) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: err.Error(), err: true} }
}

// statusIfErr reports a failed edit; a successful one says nothing.
func statusIfErr(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return statusErr(err)
}

// capturer is a screen that is taking typed text, so the root must not
// treat letters as commands.
type capturer interface{ Capturing() bool }

func capturing(s Screen) bool {
	c, ok := s.(capturer)
	return ok && c.Capturing()
}
