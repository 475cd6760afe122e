package editor

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// propScreen is the frame of the step editors that are a few heading
// lines over a property list. The list is built afresh whenever the flow
// changes (edits made elsewhere and undo change what it shows), not on
// every key and frame: a questionnaire's list is as long as it is.
type propScreen struct {
	stepScreen
	list  *widget.PropList
	above int // rows SetSize keeps above the list

	// The lines as last built, for the content they were built from.
	built      []widget.Prop
	builtState int
	builtFrom  *flow.Config

	// Set by each editor once it exists, since they read the editor.
	build  func() []widget.Prop // its properties
	alive  func() bool          // false once what it edits is gone: it closes
	header func() []string      // the lines above the list
}

func newPropScreen(c *ui.Common, doc *ui.Doc, p flow.StepPath, above int) propScreen {
	return propScreen{stepScreen: newStepScreen(c, doc, p), list: widget.NewPropList(c, doc), above: above}
}

// show fills the list and puts the cursor on the property at focus (a
// JSON Pointer), if any.
func (e *propScreen) show(focus string) {
	e.list.SetProps(e.lines())
	if focus != "" {
		e.list.FocusPath(focus)
	}
}

func (e *propScreen) Capturing() bool   { return e.list.Capturing() }
func (e *propScreen) EditingText() bool { return e.list.EditingText() }

// PendingText reports whether a field holds typed text not yet applied.
func (e *propScreen) PendingText() bool { return e.list.Pending() }

// CommitPending applies the text being typed, as enter would (ctrl+s, and
// saving before quitting).
func (e *propScreen) CommitPending() {
	if e.list.Capturing() {
		e.list.Commit()
	}
}

func (e *propScreen) SetSize(w, h int) {
	e.width, e.height = w, h
	e.list.SetSize(w, h-e.above)
}

// update closes the screen once its subject is gone, else hands msg to
// the list and esc; handled=false leaves msg to the editor's own keys.
func (e *propScreen) update(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	if !e.alive() {
		return ui.Pop, true
	}
	return widget.UpdatePropList(e.common, e.list, e.lines, msg)
}

// lines are the properties for the flow as it is: build's, built again
// only when the content changed.
func (e *propScreen) lines() []widget.Prop {
	if e.built == nil || e.builtState != e.doc.State() || e.builtFrom != e.doc.Config {
		e.built, e.builtState, e.builtFrom = e.build(), e.doc.State(), e.doc.Config
	}
	return e.built
}

func (e *propScreen) View() string {
	if !e.alive() {
		return ""
	}
	e.list.SetProps(e.lines())
	return strings.Join(append(e.header(), e.list.View()), "\n")
}
