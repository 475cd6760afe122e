// Package editor is the flow editor and every step editor: the tabs of
// the flow (steps, flags, session fields, problems, JSON, changes,
// translations), the step list and catalog, the KYC, KYB, questionnaire,
// question, option and video-call editors, and the read-only view of a
// step no editor applies to. Screens
// are built from widget parts over a ui.Doc; a new tab of the flow editor
// goes in editor.go's pane list, a new step editor in richStepEditor
// (richedit.go). Launching is not done here: the root hands New a
// Launcher.
package editor

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// Launcher turns a valid flow into a session screen (begin/ and the QR
// handoff). The editor calls it on L, with the file the flow is saved to
// ("" for a new flow), which the session journal keeps.
type Launcher interface {
	Launch(c *ui.Common, cfg *flow.Config, file string) ui.Screen
}

type pane int

const (
	paneSteps pane = iota
	paneFlags
	paneSession
	paneProblems
	paneJSON
	paneChanges
	paneTranslations
	paneCount
)

var paneNames = [paneCount]string{"Steps", "Flags", "Session", "Problems", "JSON", "Changes", "Translations"}

// wideWidth is the width from which a JSON preview sits beside the pane.
const wideWidth = 110

// Editor is the flow editor: tabs for the steps, global flags, session
// fields, diagnostics, the JSON that will be saved and the translation
// table.
type Editor struct {
	common   *ui.Common
	doc      *ui.Doc
	launcher Launcher
	pane     pane
	steps    *stepList
	flags    *widget.PropList
	session  *widget.PropList
	problems *problemList
	preview  *jsonPreview
	changes  *changesPane
	texts    *translationTable
	width    int
	height   int

	// The fixed lines of the flags and session panes; the members the
	// wizard does not know are listed after them as the document has them.
	flagLines, sessionLines []widget.Prop
	propsConfig             *flow.Config // the content the lines were listed for
	propsState              int
	// fromProblems is set while a pane shows the place a problem named:
	// esc goes back to the Problems pane.
	fromProblems bool

	// The side JSON is marshalled again only when the content or the
	// selection changes, not on every frame.
	sideKey  string
	sideText []string // the preview's first lines, as many as fit
}

// New returns the editor of doc; launcher (nil: none) opens sessions on L.
func New(c *ui.Common, doc *ui.Doc, launcher Launcher) *Editor {
	e := &Editor{
		common: c, doc: doc, launcher: launcher,
		steps:    newStepList(c, doc, nil),
		flags:    widget.NewPropList(c, doc),
		session:  widget.NewPropList(c, doc),
		problems: newProblemList(c, doc),
		preview:  newJSONPreview(c, doc),
		changes:  newChangesPane(c, doc),
		texts:    newTranslationTable(c, doc),
	}
	// The known property lines are fixed; what they show is read from doc
	// when drawn, so they are built once.
	e.flagLines, e.sessionLines = flagProps(c, doc), sessionProps(c, doc)
	e.refreshProps()
	return e
}

// refreshProps lists the flags and session fields again: members the
// wizard does not know (a misspelt flag, a credential) come and go with
// edits and undo, each with its fix-its.
func (e *Editor) refreshProps() {
	cfg := e.doc.Config
	if cfg == e.propsConfig && e.doc.State() == e.propsState {
		return // the same content: the same lines
	}
	e.propsConfig, e.propsState = cfg, e.doc.State()
	flagNames := make([]string, len(e.flagLines))
	for i, p := range e.flagLines {
		flagNames[i] = p.Label
	}
	e.flags.SetProps(slices.Concat(e.flagLines, unknownMembers(e.common, e.doc, cfg.Flags(), "/flags", flagNames...)))
	known := []string{"flags", "steps"}
	for _, p := range e.sessionLines {
		known = append(known, p.Label)
	}
	e.session.SetProps(slices.Concat(e.sessionLines, unknownMembers(e.common, e.doc, cfg.Root(), "", known...)))
}

func (e *Editor) Title() string { return paneNames[e.pane] }

// SelectedStep is the step under the cursor of the Steps pane, nil when
// there is none.
func (e *Editor) SelectedStep() flow.StepPath { return e.steps.selected() }

// Not in accessible mode: a screen reader reads the two columns as one.
func (e *Editor) wide() bool { return e.width >= wideWidth && !e.common.Accessible }

func (e *Editor) SetSize(w, h int) {
	e.width, e.height = w, h
	mainW := w
	if e.wide() {
		mainW = w * 3 / 5 // the JSON of the selection goes beside
	}
	e.preview.SetSize(w, h-2) // the JSON tab has the whole width
	e.texts.SetSize(w, h-2)   // and so has the translation table
	for _, p := range []interface{ SetSize(int, int) }{e.steps, e.flags, e.session, e.problems, e.changes} {
		p.SetSize(mainW, h-2)
	}
}

// commitPending keeps the text being typed in a field when ctrl+s saves.
func (e *Editor) CommitPending() {
	for _, l := range []*widget.PropList{e.flags, e.session} {
		if l.Capturing() {
			l.Commit()
		}
	}
	if e.texts.Capturing() {
		e.texts.CommitPending()
	}
}

// PendingText reports whether a flag or session field holds typed text
// not yet applied.
func (e *Editor) PendingText() bool { return e.flags.Pending() || e.session.Pending() }

func (e *Editor) Capturing() bool {
	switch e.pane {
	case paneSteps:
		return e.steps.Capturing()
	case paneFlags:
		return e.flags.Capturing()
	case paneSession:
		return e.session.Capturing()
	case paneTranslations:
		return e.texts.Capturing()
	}
	return false
}

func (e *Editor) EditingText() bool {
	return (e.pane == paneFlags && e.flags.EditingText()) || (e.pane == paneSession && e.session.EditingText()) ||
		(e.pane == paneTranslations && e.texts.Capturing())
}

func (e *Editor) ShortHelp() []key.Binding {
	k := e.common.Keys
	var b []key.Binding
	switch e.pane {
	case paneSteps:
		b = e.steps.bindings()
	case paneProblems:
		b = e.problems.bindings()
	case paneChanges:
		b = []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to"))}
	case paneJSON:
		b = []key.Binding{k.Up, k.Down}
	case paneTranslations:
		b = e.texts.bindings(true)
	case paneFlags:
		b = []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "change")),
			key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "reset"))}
		if m := memberKeys(e.doc, e.flags, len(e.flagLines)); m != nil {
			b = append(m, k.Up, k.Down)
		}
	default:
		b = []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "change"))}
		if m := memberKeys(e.doc, e.session, len(e.sessionLines)); m != nil {
			b = append(m, k.Up, k.Down)
		}
	}
	if e.fromProblems && e.pane != paneProblems {
		b = append([]key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to problems"))}, b...)
	}
	return append(b, k.NextPane, k.Save, k.Quit)
}

func (e *Editor) FullHelp() [][]key.Binding {
	k := e.common.Keys
	var pane []key.Binding // the keys of the pane shown
	switch e.pane {
	case paneSteps:
		pane = append([]key.Binding{k.Add, k.Delete, k.Duplicate, k.MoveUp, k.MoveDown}, e.steps.fixBindings()...)
	case paneProblems:
		pane = e.problems.fixBindings()
	case paneFlags:
		pane = []key.Binding{key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "reset to default"))}
	case paneTranslations:
		pane = e.texts.bindings(false)
	}
	rows := [][]key.Binding{{k.Up, k.Down, k.Home, k.End, k.Enter, k.Back}}
	if len(pane) > 0 {
		rows = append(rows, pane)
	}
	return append(rows,
		[]key.Binding{k.NextPane, k.PrevPane, k.Undo, k.Redo, k.Launch},
		[]key.Binding{k.Save, k.SaveAs, k.Help, k.Quit})
}

func (e *Editor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case jumpMsg:
		return e, e.jump(msg.path)
	case stepAddedMsg:
		e.pane = paneSteps
		e.steps.Update(msg)
		return e, nil
	case tea.KeyPressMsg:
		k := e.common.Keys
		e.refreshProps()
		if !e.Capturing() {
			switch {
			case key.Matches(msg, k.NextPane):
				e.pane = (e.pane + 1) % paneCount
				e.fromProblems = false
				return e, nil
			case key.Matches(msg, k.PrevPane):
				e.pane = (e.pane + paneCount - 1) % paneCount
				e.fromProblems = false
				return e, nil
			case key.Matches(msg, k.Back) && e.fromProblems && e.pane != paneProblems && e.steps.query() == "":
				e.pane, e.fromProblems = paneProblems, false
				return e, nil
			case key.Matches(msg, k.Launch):
				return e, e.launch()
			}
		}
	}
	var cmd tea.Cmd
	switch e.pane {
	case paneSteps:
		cmd, _ = e.steps.Update(msg)
	case paneFlags:
		cmd, _ = e.flags.Update(msg)
	case paneSession:
		cmd, _ = e.session.Update(msg)
	case paneProblems:
		cmd = e.problems.Update(msg)
	case paneJSON:
		e.preview.Update(msg)
	case paneChanges:
		cmd = e.changes.Update(msg)
	case paneTranslations:
		cmd = e.texts.Update(msg)
	}
	return e, cmd
}

// launch refuses while the flow has errors; otherwise hands the flow to
// the launcher.
func (e *Editor) launch() tea.Cmd {
	if n := e.doc.Diags.Count(flow.SevError); n > 0 {
		e.pane = paneProblems
		return ui.Status(fmt.Sprintf("cannot launch: the flow has %d error(s); fix them first (listed here)", n))
	}
	if e.launcher == nil {
		return ui.Status("launching is not available here")
	}
	return ui.Push(e.launcher.Launch(e.common, e.doc.Config.Clone(), e.doc.Path))
}

func (e *Editor) tabs() string {
	s := &e.common.Styles
	var parts []string
	for i := range paneCount {
		name := paneNames[i]
		if i == paneProblems {
			name = fmt.Sprintf("Problems %d", e.doc.Diags.Count(flow.SevError)+e.doc.Diags.Count(flow.SevWarning))
		}
		if i == paneChanges {
			name = e.changes.tabName()
		}
		if i == e.pane {
			parts = append(parts, s.TabActive.Render(name))
		} else {
			parts = append(parts, s.Tab.Render(name))
		}
	}
	return strings.Join(parts, s.Dim.Render(" │ "))
}

func (e *Editor) View() string {
	e.refreshProps()
	var body string
	switch e.pane {
	case paneSteps:
		body = e.steps.View()
	case paneFlags:
		body = e.flags.View()
	case paneSession:
		body = e.session.View()
	case paneProblems:
		body = e.problems.View()
	case paneJSON:
		body = e.preview.View()
	case paneChanges:
		body = e.changes.View()
	case paneTranslations:
		body = e.texts.View()
	}
	main := ui.Truncate(e.tabs(), e.width) + "\n\n" + body
	if !e.wide() || e.pane == paneJSON || e.pane == paneTranslations {
		return main
	}
	mainW := e.width * 3 / 5
	var side string
	if e.pane == paneChanges {
		side = e.changes.side(e.width-mainW-3, e.height)
	} else {
		side = e.sidePreview()
	}
	left := padBlock(ui.FitBlock(main, mainW, e.height), mainW)
	sep := e.common.Styles.Border.Render(" │ ")
	// Both blocks are exactly e.height lines and the left one is padded to
	// its width, so a plain join lines them up.
	lefts, sides := strings.Split(left, "\n"), strings.Split(side, "\n")
	for i := range lefts {
		if i < len(sides) {
			lefts[i] += sep + sides[i]
		}
	}
	return strings.Join(lefts, "\n")
}

// padBlock pads every line of block to w cells so that what is joined to
// its right stays in one column whatever the block holds.
func padBlock(block string, w int) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		lines[i] = l + strings.Repeat(" ", max(0, w-lipgloss.Width(l)))
	}
	return strings.Join(lines, "\n")
}
