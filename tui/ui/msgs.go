package ui

import (
	tea "charm.land/bubbletea/v2"
)

// Messages screens send to the root.

// PushMsg opens a screen on top of the current one.
type PushMsg struct{ Screen Screen }

// PopMsg closes the top screen.
type PopMsg struct{}

// ReplaceMsg swaps the top screen for another.
type ReplaceMsg struct{ Screen Screen }

// StatusMsg shows a line in the status bar.
type StatusMsg struct {
	Text string
	Err  bool
}

// SaveMsg asks the root to save, to path when given (save as).
type SaveMsg struct{ Path string }

// QuitMsg quits, discarding unsaved work when discard is set.
type QuitMsg struct{ Discard bool }

// Push opens s over the top screen.
func Push(s Screen) tea.Cmd { return func() tea.Msg { return PushMsg{s} } }

// Pop closes the top screen.
func Pop() tea.Msg { return PopMsg{} }

// Status shows text in the status line.
func Status(text string) tea.Cmd { return func() tea.Msg { return StatusMsg{Text: text} } }

// StatusErr shows err in the status line, as an error.
func StatusErr(err error) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: err.Error(), Err: true} }
}

// StatusIfErr reports a failed edit; a successful one says nothing.
func StatusIfErr(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return StatusErr(err)
}

// capturer is a screen that is taking typed text, so the root must not
// treat letters as commands.
type capturer interface{ Capturing() bool }

// Capturing reports whether s is taking typed text, so that the root must
// not treat letters as commands.
func Capturing(s Screen) bool {
	c, ok := s.(capturer)
	return ok && c.Capturing()
}

// SaveThenQuitMsg saves to path and quits once the save is done.
type SaveThenQuitMsg struct{ Path string }

// LeftOpenMsg tells the root that a session screen closed while its
// session may still be in use: quitting later would stop it. Work says,
// each time it is asked, what quitting would stop ("" once the session
// is over).
type LeftOpenMsg struct{ Work func() string }
