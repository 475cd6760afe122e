package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
)

// propScreen is the frame of the step editors that are a few heading
// lines over a property list. The list is built afresh before each key
// and each frame: edits made elsewhere and undo change what it shows.
type propScreen struct {
	stepScreen
	list  *propList
	above int // rows SetSize keeps above the list

	// Set by each editor once it exists, since they read the editor.
	build  func() []prop   // its properties
	alive  func() bool     // false once what it edits is gone: it closes
	header func() []string // the lines above the list
}

func newPropScreen(c *Common, doc *Doc, p flow.StepPath, above int) propScreen {
	return propScreen{stepScreen: newStepScreen(c, doc, p), list: newPropList(c, doc), above: above}
}

// show fills the list and puts the cursor on the property at focus (a
// JSON Pointer), if any.
func (e *propScreen) show(focus string) {
	e.list.setProps(e.build())
	if focus != "" {
		e.list.focusPath(focus)
	}
}

func (e *propScreen) Capturing() bool   { return e.list.Capturing() }
func (e *propScreen) EditingText() bool { return e.list.EditingText() }

func (e *propScreen) SetSize(w, h int) {
	e.width, e.height = w, h
	e.list.SetSize(w, h-e.above)
}

// update closes the screen once its subject is gone, else hands msg to
// the list and esc; handled=false leaves msg to the editor's own keys.
func (e *propScreen) update(msg tea.Msg) (cmd tea.Cmd, handled bool) {
	if !e.alive() {
		return pop, true
	}
	return updatePropList(e.common, e.list, e.build, msg)
}

func (e *propScreen) View() string {
	if !e.alive() {
		return ""
	}
	e.list.setProps(e.build())
	return strings.Join(append(e.header(), e.list.View()), "\n")
}

// updatePropList refreshes list with the properties build gives and lets
// it handle msg; esc closes the screen. handled=false leaves msg to the
// screen.
func updatePropList(c *Common, list *propList, build func() []prop, msg tea.Msg) (cmd tea.Cmd, handled bool) {
	list.setProps(build())
	if cmd, handled := list.Update(msg); handled {
		if list.follow != "" {
			list.setProps(build()) // the toggled property may have moved: the cursor goes with it now
		}
		return cmd, true
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && key.Matches(km, c.Keys.Back) {
		return pop, true
	}
	return nil, false
}
