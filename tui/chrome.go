// The chrome around the top screen, as the document and the top screen
// make it: ui draws it.

package tui

import (
	"path/filepath"

	"charm.land/bubbles/v2/key"

	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// globalBindings are the keys every screen has: save while there is a
// document (and no save-as question is open), quit or cancel, and help.
func (a *App) globalBindings(more bool) []key.Binding {
	_, asking := a.top().(*widget.QuitDialog)
	canSave := a.doc != nil && !widget.IsSaveAs(a.top())
	return ui.GlobalBindings(a.common.Keys, a.top(), canSave, asking, more)
}

// header names the document, marked when it has unsaved changes, and
// counts its problems.
func (a *App) header() string {
	s := &a.common.Styles
	if a.common.Accessible {
		name, counts := "", ""
		if a.doc != nil {
			name, counts = "new flow", ui.DiagWords(a.doc.Diags)
			if a.doc.Path != "" {
				name = filepath.Base(a.doc.Path)
			}
		}
		return ui.SpokenHeader(name, a.doc != nil && a.doc.Dirty(), a.top().Title(), counts)
	}
	name, right := "", ""
	if a.doc != nil {
		name = "new flow"
		if a.doc.Path != "" {
			name = ui.Shown(filepath.Base(a.doc.Path))
		}
		if a.doc.Dirty() {
			name += "*"
		}
		right = ui.DiagSummary(s, a.doc.Diags)
	}
	// Titles name steps, questions and files.
	return ui.Header(s, a.common.Width, name, ui.Shown(a.top().Title()), right)
}
