package editor

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// videoCallEditor edits a video-call step: the steps run during the call
// (the usual step list, restricted to what a call may hold) and the call's
// settings. tab switches between the two.
type videoCallEditor struct {
	stepScreen
	steps    *stepList
	settings *widget.PropList
	onSteps  bool
}

func newVideoCallEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
	e := &videoCallEditor{
		stepScreen: newStepScreen(c, doc, p),
		steps:      newStepList(c, doc, p),
		settings:   widget.NewPropList(c, doc),
		onSteps:    true,
	}
	e.settings.SetProps(e.props())
	if focus != "" {
		toks := flow.SplitPointer(strings.TrimPrefix(focus, p.Pointer()))
		if len(toks) >= 2 && toks[0] == "steps" {
			var j int
			if _, err := fmt.Sscan(toks[1], &j); err == nil {
				e.steps.selectPath(flow.StepPath{p[0], j})
			}
		} else if e.settings.FocusPath(focus) {
			e.onSteps = false
		}
	}
	return e
}

func (e *videoCallEditor) Title() string { return e.title() }

func (e *videoCallEditor) Capturing() bool {
	if e.onSteps {
		return e.steps.Capturing()
	}
	return e.settings.Capturing()
}

// settingsRows is how many lines the settings take above the step list.
func (e *videoCallEditor) settingsRows() int { return e.settings.Len() }

func (e *videoCallEditor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.layout()
}

func (e *videoCallEditor) layout() {
	// heading, blank, the settings (and, while focused, a blank and their
	// hint), blank, the steps heading, then the list.
	rows := e.settingsRows()
	e.settings.SetSize(e.width, rows+3)
	e.steps.SetSize(e.width, max(1, e.height-rows-6))
}

func (e *videoCallEditor) EditingText() bool { return !e.onSteps && e.settings.EditingText() }

// PendingText reports whether a setting holds typed text not yet applied.
func (e *videoCallEditor) PendingText() bool { return e.settings.Pending() }

// CommitPending applies the text being typed, as enter would.
func (e *videoCallEditor) CommitPending() {
	if e.settings.Capturing() {
		e.settings.Commit()
	}
}

func (e *videoCallEditor) ShortHelp() []key.Binding {
	k := e.common.Keys
	tab := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "call settings"))
	if e.onSteps {
		// tab first: the settings are only reachable with it, so the help
		// bar must not leave it out.
		return append(append([]key.Binding{tab}, e.steps.bindings()...), k.Back)
	}
	tab.SetHelp("tab", "steps")
	return []key.Binding{key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle")), tab, k.Back}
}

func (e *videoCallEditor) FullHelp() [][]key.Binding {
	k := e.common.Keys
	return widget.HelpGroups(k, e.ShortHelp())
}

func (e *videoCallEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	s, ok := e.step()
	if !ok {
		return e, ui.Pop
	}
	e.settings.SetProps(e.props())
	if m, ok := msg.(stepAddedMsg); ok {
		e.onSteps = true
		e.steps.Update(m)
		return e, nil
	}
	km, isKey := msg.(tea.KeyPressMsg)
	if isKey && !e.Capturing() {
		k := e.common.Keys
		switch {
		case key.Matches(km, k.NextPane), key.Matches(km, k.PrevPane):
			e.onSteps = !e.onSteps
			return e, nil
		case key.Matches(km, k.Back):
			return e, ui.Pop
		case e.onSteps && key.Matches(km, k.Add):
			// A "steps" member that is not a list would be replaced by the
			// new step; refuse instead so the file's content survives.
			if raw := s.V.Get("steps"); raw != nil && !raw.Is(flow.Array) {
				return e, ui.StatusErr(fmt.Errorf("the call's \"steps\" is not a list; fix it in the file first"))
			}
		}
	}
	var cmd tea.Cmd
	if e.onSteps {
		cmd, _ = e.steps.Update(msg)
	} else {
		cmd, _ = e.settings.Update(msg)
	}
	e.layout()
	return e, cmd
}

func (e *videoCallEditor) View() string {
	if _, ok := e.step(); !ok {
		return ""
	}
	st := &e.common.Styles
	e.settings.SetProps(e.props())
	e.layout()
	var settings string
	if e.onSteps {
		// Settings are not focused: show them without a cursor.
		cur := e.settings.Cursor
		e.settings.Cursor = -1
		settings = e.settings.View()
		e.settings.Cursor = cur
	} else {
		settings = e.settings.View()
	}
	s, _ := e.step()
	n := len(s.Steps())
	stepsHead := st.Header.Render(fmt.Sprintf("Steps in the call (%d)", n))
	if !e.onSteps {
		stepsHead = st.HeaderDim.Render(fmt.Sprintf("Steps in the call (%d)", n)) + st.Dim.Render("  tab to edit")
	} else {
		// The longest that fits whole: the rule on what a call may hold
		// is kept, the keys the help bar has go first.
		hint := "  a adds (no language, operator questionnaire or call)"
		if full := "  a add · enter edit · no language, operator questionnaire or call"; lipgloss.Width(stepsHead)+lipgloss.Width(full) <= e.width {
			hint = full
		}
		stepsHead += st.Dim.Render(hint)
	}
	var list string
	if e.onSteps {
		list = e.steps.View()
	} else {
		cur := e.steps.cursor
		e.steps.cursor = -1
		list = e.steps.View()
		e.steps.cursor = cur
	}
	return e.heading() + "\n\n" + strings.TrimRight(settings, "\n") + "\n\n" + ui.Truncate(stepsHead, e.width) + "\n" + list
}

func (e *videoCallEditor) props() []widget.Prop {
	st := &e.common.Styles
	s, _ := e.step()
	spec, _ := flow.LookupStep("video-call")
	base := e.path.Pointer()
	props := []widget.Prop{keyProp(e.common, e.doc, e.path), e.stepTextProp("title", "the call's title")}
	if raw := s.V.Get("flags"); raw != nil && !raw.Is(flow.Object) {
		// Setting a flag would replace it; show it and leave it alone.
		props = append(props, widget.Prop{Label: "flags", Kind: widget.PropInfo, Path: base + "/flags",
			Value: func() string { return "not an object; fix it in the file (kept as it is)" }})
		return append(props, unknownMembers(e.common, e.doc, s.V, base, "type", "key", "title", "flags", "steps")...)
	}
	for _, f := range spec.Flags {
		name, doc := f.Name, f.Doc
		props = append(props, widget.Prop{
			Label: name, Kind: widget.PropToggle, Path: base + "/flags/" + name,
			Value: func() string { s, _ := e.step(); return widget.BoolValue(st, s.Flag(name), false) },
			Hint:  func() string { return doc },
			Toggle: func() error {
				return e.edit("toggle "+name, func(s flow.Step) error {
					s.SetFlag(name, flow.NewBool(!s.BoolFlag(name)))
					return nil
				})
			},
		})
	}
	if flags := s.V.Get("flags"); flags.Is(flow.Object) {
		names := make([]string, 0, len(spec.Flags))
		for _, f := range spec.Flags {
			names = append(names, f.Name)
		}
		props = append(props, unknownMembers(e.common, e.doc, flags, base+"/flags", names...)...)
	}
	return append(props, unknownMembers(e.common, e.doc, s.V, base, "type", "key", "title", "flags", "steps")...)
}
