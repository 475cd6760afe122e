package tui

import (
	"os"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// Options configure the wizard.
type Options struct {
	Store      Store
	Accessible bool
	NoColor    bool
	Now        func() time.Time
	// Launcher creates sessions; nil disables launching.
	Launcher Launcher
	// Getenv reads the environment ($EDITOR); nil means os.Getenv.
	Getenv func(string) string
}

// App is the root model: the screen stack, the document and the chrome
// around them (header, status line, help).
type App struct {
	common *ui.Common
	opts   Options
	stack  []ui.Screen
	help   help.Model

	doc          *ui.Doc
	draftID      string
	draftPending bool
	draftedState int
	seenState    int

	// draftBase is the file's content the edits started from; overChange
	// is set while the flow is a draft recovered over a file that changed
	// since the draft's edits began (or may have): a save asks first,
	// showing what it would change in the file.
	draftBase  *FileState
	overChange bool

	startFile string // opened by Init
	// loading is set while a file is read and validated: keys other than
	// the global ones (ctrl+c) wait in typedAhead rather than act on the
	// screen below, and go to the editor once it opens.
	loading    bool
	typedAhead []tea.KeyPressMsg

	status    string
	statusErr bool
	// statusState is the document's state when the status was set: once
	// the flow changes, the status is history ("saved" over an edited
	// flow would mislead) and is no longer shown.
	statusState int
	// statusScreen is the top screen when the status was set: a screen
	// opened over it starts without it.
	statusScreen ui.Screen
	fullHelp     bool
	quitting     bool
	quitChosen   bool // the person chose to quit: no draft is written on the way out
	// leftOpen are the sessions whose screens closed while the customer
	// may still be in them (ui.LeftOpenMsg): quitting asks while one is.
	leftOpen []func() string
	// sizedTop is the top screen as View last sized it, sizedExtra rows
	// shorter than the body for a long status.
	sizedTop   ui.Screen
	sizedExtra int
}

// NewApp returns the wizard showing first.
func NewApp(opts Options, first func(*ui.Common) ui.Screen) *App {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24, Accessible: opts.Accessible, NoColor: opts.NoColor}
	c.SetDark(true)
	a := &App{common: c, opts: opts, help: help.New()}
	a.help.Styles = c.Styles.Help
	a.stack = []ui.Screen{first(c)}
	a.layout()
	return a
}

// Init asks the terminal for its background so styles suit it, and opens
// the start file if there is one.
func (a *App) Init() tea.Cmd {
	// The first screen starts either way: if the start file cannot be
	// opened, home shows, with its drafts and recent files.
	clean := cleanStaleTemps(a.opts.Store, a.startFile, a.opts.Now())
	if a.startFile != "" {
		return tea.Batch(tea.RequestBackgroundColor, initScreen(a.top()), a.load(loadFileMsg{path: a.startFile, create: true}), clean)
	}
	return tea.Batch(tea.RequestBackgroundColor, initScreen(a.top()), clean)
}

func (a *App) top() ui.Screen { return a.stack[len(a.stack)-1] }

// bodyHeight is the rows left for the screen under the chrome.
func (a *App) bodyHeight() int { return ui.BodyHeight(a.common.Height) }

func (a *App) layout() {
	a.sizedTop = nil // sized in full: View sizes the top for the status again
	w, h := a.common.Width, a.bodyHeight()
	for _, s := range a.stack {
		s.SetSize(w, h)
	}
	a.help.SetWidth(w)
}

// Update handles global keys and the messages screens send, and passes
// everything else to the top screen.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.common.Width, a.common.Height = msg.Width, msg.Height
		a.layout()
		return a, nil
	case tea.BackgroundColorMsg:
		a.common.SetDark(msg.IsDark())
		a.help.Styles = a.common.Styles.Help
		return a, nil
	case tea.KeyPressMsg:
		if cmd, handled := a.globalKey(msg); handled {
			return a, cmd
		}
		if a.loading {
			a.typedAhead = append(a.typedAhead, msg)
			return a, nil
		}
	case ui.PushMsg:
		a.fullHelp = false // the help was about the screen left behind
		a.sizedTop = nil
		msg.Screen.SetSize(a.common.Width, a.bodyHeight())
		a.stack = append(a.stack, msg.Screen)
		return a, initScreen(msg.Screen)
	case ui.PopMsg:
		a.fullHelp = false
		if len(a.stack) > 1 {
			a.stack = a.stack[:len(a.stack)-1]
		}
		return a, nil
	case ui.ReplaceMsg:
		a.fullHelp = false
		a.sizedTop = nil
		msg.Screen.SetSize(a.common.Width, a.bodyHeight())
		a.stack[len(a.stack)-1] = msg.Screen
		return a, initScreen(msg.Screen)
	case ui.StatusMsg:
		a.setStatus(msg.Text, msg.Err)
		return a, nil
	case ui.LeftOpenMsg:
		a.leftOpen = append(a.leftOpen, msg.Work)
		return a, nil
	case loadFileMsg:
		return a, a.load(msg)
	case openDocMsg:
		a.loading = false
		keys := a.typedAhead
		a.typedAhead = nil
		return a, tea.Sequence(a.openDoc(msg), replayKeys(keys))
	case ui.SaveMsg:
		return a, a.save(msg.Path)
	case ui.SaveThenQuitMsg:
		a.quitting = true
		return a, a.save(msg.Path)
	case savedMsg:
		return a, a.saved(msg)
	case draftTickMsg:
		return a, a.writeDraft()
	case draftSavedMsg:
		if msg.err != nil {
			a.setStatus("autosave failed: "+msg.err.Error(), true)
			return a, nil
		}
		a.draftedState = msg.state
		if msg.id != "" && msg.id != a.draftID {
			a.draftID = msg.id // kept apart from another window's draft
		}
		if a.doc != nil && !a.doc.Dirty() {
			// A save finished while this draft was being written: the
			// draft is stale the moment it lands.
			store, id := a.opts.Store, a.draftID
			return a, func() tea.Msg { _ = store.RemoveDraft(id); return nil }
		}
		return a, nil
	case ui.QuitMsg:
		if !msg.Discard && !a.applyTyped() {
			a.setStatus("not quit: the typed value is not applied (enter applies it, esc drops it)", true)
			return a, nil
		}
		return a, a.quit(msg.Discard)
	case fileLoadedMsg:
		return a, a.fileLoaded(msg)
	case draftChoiceMsg:
		a.loading = true
		return a, loadedDoc(a.opts.Store, msg.load, msg.recover)
	case goHomeMsg:
		a.doc = nil
		a.stack = []ui.Screen{newHome(a.common, a.opts.Store, a.opts.Now)}
		a.layout()
		return a, initScreen(a.top())
	}

	cmds = append(cmds, a.background(msg))
	next, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = next
	cmds = append(cmds, cmd, a.afterChange())
	return a, tea.Batch(cmds...)
}

// docSwappedMsg tells the top screen that undo or redo replaced the flow:
// an editor whose subject is gone closes at once rather than on the next
// key.
type docSwappedMsg struct{}

func swappedDoc() tea.Msg { return docSwappedMsg{} }

// backgroundWorker is a screen whose timers and replies must reach it
// while another screen is open over it: a session's countdown and result
// polling go on under a quit question.
type backgroundWorker interface{ Background(msg tea.Msg) tea.Cmd }

// background hands msg to the screens under the top that work in the
// background. What a person types or clicks goes to the top only.
func (a *App) background(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg, tea.PasteMsg:
		return nil
	}
	var cmds []tea.Cmd
	for _, s := range a.stack[:len(a.stack)-1] {
		if w, ok := s.(backgroundWorker); ok {
			cmds = append(cmds, w.Background(msg))
		}
	}
	return tea.Batch(cmds...)
}

// setStatus shows text in the status line until the flow next changes.
// Statuses name files, steps and keys, and carry servers' errors: they are
// shown made visible.
func (a *App) setStatus(text string, isErr bool) {
	a.status, a.statusErr = ui.Shown(text), isErr
	a.statusScreen = a.top()
	if a.doc != nil {
		a.statusState = a.doc.State()
	}
}

// currentStatus is the status line's text, if it is still current: the
// flow has not changed since, and no screen was opened over the one it
// was said on. (A status that comes with closing a screen may arrive just
// before the close; its screen is then gone, and it still shows.)
func (a *App) currentStatus() string {
	if a.doc != nil && a.doc.State() != a.statusState {
		return ""
	}
	if a.statusScreen != a.top() && slices.Contains(a.stack, a.statusScreen) {
		return ""
	}
	return a.status
}

type initer interface{ Init() tea.Cmd }

// initScreen runs a screen's Init, for screens that have one (to start
// what they do, or load what they show without blocking the first frame).
func initScreen(s ui.Screen) tea.Cmd {
	if i, ok := s.(initer); ok {
		return i.Init()
	}
	return nil
}

// globalKey handles the keys that work on every screen.
func (a *App) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.common.Keys
	typing := ui.Capturing(a.top())
	switch {
	case key.Matches(msg, k.Quit):
		if _, open := a.top().(*widget.QuitDialog); open {
			return ui.Pop, true // a second ctrl+c cancels the question
		}
		work := a.openWork()
		// A value typed into a field and not applied is unsaved work too.
		if typed := a.typedNotApplied(); typed || (a.doc != nil && a.doc.SettleSaved()) {
			return ui.Push(widget.NewQuitDialog(a.common, a.doc, work, typed)), true
		}
		if work != "" {
			return ui.Push(widget.NewOpenWorkDialog(a.common, work)), true
		}
		return a.quit(false), true
	case (key.Matches(msg, k.Save) || key.Matches(msg, k.SaveAs)) && widget.IsSaveAs(a.top()):
		return nil, true // already asking where to save
	case key.Matches(msg, k.Save) && a.doc != nil:
		if q, asked := a.top().(*diskChangedQuestion); asked {
			// The answer to the question: write over what it shows.
			a.quitting = q.thenQuit
			return a.saveOver(q.path, &q.change.seen), true
		}
		// What is being typed into a field is part of what is saved; a
		// text the field refuses stays in it, with its error shown.
		if p, ok := a.top().(pendingCommitter); ok {
			p.CommitPending()
			return tea.Batch(a.afterChange(), a.save("")), true
		}
		return a.save(""), true
	case key.Matches(msg, k.SaveAs) && a.doc != nil:
		q, asked := a.top().(*diskChangedQuestion)
		return ui.Push(widget.NewSaveAsDialog(a.common, a.doc.Path, asked && q.thenQuit)), true
	case typing:
		return nil, false
	case key.Matches(msg, k.Help):
		a.fullHelp = !a.fullHelp
		return nil, true
	case a.fullHelp && key.Matches(msg, k.Back):
		a.fullHelp = false // esc closes the help before it goes back
		return nil, true
	case key.Matches(msg, k.Undo) && a.doc != nil:
		if label, ok := a.doc.Undo(); ok {
			a.setStatus("undid: "+label, false)
		} else {
			a.setStatus("nothing to undo", false)
		}
		return tea.Batch(a.afterChange(), swappedDoc), true
	case key.Matches(msg, k.Redo) && a.doc != nil:
		if label, ok := a.doc.Redo(); ok {
			a.setStatus("redid: "+label, false)
		} else {
			a.setStatus("nothing to redo", false)
		}
		return tea.Batch(a.afterChange(), swappedDoc), true
	}
	return nil, false
}

// openWork says what quitting would stop: a session on show, or one
// whose screen closed while its customer may still be in it.
func (a *App) openWork() string {
	if w, ok := a.top().(interface{ OpenWork() string }); ok {
		if work := w.OpenWork(); work != "" {
			return work
		}
	}
	// Sessions over for good are forgotten.
	a.leftOpen = slices.DeleteFunc(a.leftOpen, func(work func() string) bool { return work() == "" })
	if len(a.leftOpen) > 0 {
		return a.leftOpen[0]()
	}
	return ""
}

// pendingCommitter is a screen holding typed text not yet applied.
type pendingCommitter interface{ CommitPending() }

// pendingTyper is a screen that can hold typed text not yet applied.
type pendingTyper interface{ PendingText() bool }

// typedNotApplied reports whether a screen holds a typed value that is
// not applied: quitting would lose it.
func (a *App) typedNotApplied() bool {
	for _, s := range a.stack {
		if p, ok := s.(pendingTyper); ok && p.PendingText() {
			return true
		}
	}
	return false
}

// applyTyped applies the values typed and not yet applied, before saving
// to quit; false when one is left (refused, or on a screen that cannot
// apply it but by its own enter).
func (a *App) applyTyped() bool {
	for _, s := range a.stack {
		if p, ok := s.(pendingCommitter); ok {
			if t, ok := s.(pendingTyper); ok && t.PendingText() {
				p.CommitPending()
			}
		}
	}
	a.afterChange()
	return !a.typedNotApplied()
}

// View draws the header, the top screen, the status line and the help.
func (a *App) View() tea.View {
	w := a.common.Width
	status := a.currentStatus()
	if a.common.Accessible {
		status = ui.Speak(status)
	}
	header, said := a.said(a.header(), ui.StatusExtraRows(status, w))
	body := a.top().View()
	var helpView string
	if a.fullHelp {
		helpView = ui.FullHelp(a.help.Styles, a.top(), a.globalBindings(true), w, a.common.Height)
	} else {
		helpView = ui.HelpBar(a.help.Styles, a.top(), a.globalBindings(false), w)
	}
	if a.common.Accessible {
		// The state in words first, then the screen with its marks said.
		if said != "" {
			body = said + "\n" + body
		}
		body, helpView = ui.Speak(body), ui.Speak(helpView)
	}
	content := ui.Frame(&a.common.Styles, w, a.common.Height, header, body, status, a.statusErr, helpView)
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "identoflow"
	return v
}

// said is, in accessible mode, the header's first line and, under it, the
// rest of the header and the top screen's state in words, wrapped to the
// width rather than cut; the screen is sized to the rows left under them
// and under the status's extra rows (a long status wraps, read whole,
// rather than being cut where the screen fills its rows).
func (a *App) said(header string, statusExtra int) (first, said string) {
	if !a.common.Accessible {
		if a.top() != a.sizedTop || statusExtra != a.sizedExtra {
			a.top().SetSize(a.common.Width, max(1, a.bodyHeight()-statusExtra))
			a.sizedTop, a.sizedExtra = a.top(), statusExtra
		}
		return header, ""
	}
	w := a.common.Width
	lines := strings.Split(ansi.Wrap(header, w, ""), "\n")
	first, lines = lines[0], lines[1:]
	if sentence := ui.Describe(a.top()); sentence != "" {
		lines = append(lines, strings.Split(ansi.Wrap(sentence, w, ""), "\n")...)
	}
	// The words come first; the screen keeps a row at least.
	rows := min(len(lines), max(0, a.bodyHeight()-1))
	if rows > 0 {
		said = ui.FitBlock(strings.Join(lines, "\n"), w, rows)
	}
	a.top().SetSize(w, max(1, a.bodyHeight()-rows-statusExtra))
	return first, said
}
