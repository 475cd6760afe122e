package tui

import (
	"github.com/identoflow/identoflow/tui/ui"
)

// openDocMsg makes doc the document being edited and opens the editor.
type openDocMsg struct {
	doc     *ui.Doc
	draftID string // the draft this document autosaves to
	note    string // shown in the status bar
}

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
