package widget

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// FormDoneMsg reports that an embedded form was submitted or cancelled.
type FormDoneMsg struct {
	Form *huh.Form
	OK   bool
}

// FormScreen shows a huh form as a screen. In accessible mode the form
// runs in huh's screen-reader mode on the real terminal instead, with the
// wizard suspended.
type FormScreen struct {
	common   *ui.Common
	title    string
	form     *huh.Form
	lines    []LineQuestion // what accessible mode asks instead of form
	onSubmit func() tea.Cmd
	width    int
	height   int
}

// NewFormScreen shows form as a screen titled title; onSubmit, if set, is
// what submitting it does once the screen has closed.
func NewFormScreen(c *ui.Common, title string, form *huh.Form, onSubmit func() tea.Cmd) *FormScreen {
	f := &FormScreen{common: c, title: title, form: form, onSubmit: onSubmit}
	form.SubmitCmd = func() tea.Msg { return FormDoneMsg{Form: form, OK: true} }
	form.CancelCmd = func() tea.Msg { return FormDoneMsg{Form: form, OK: false} }
	// The form follows the background the root detected, which an embedded
	// form never learns itself; NO_COLOR gets huh's plain base theme.
	form.WithTheme(huh.ThemeFunc(func(bool) *huh.Styles {
		if c.NoColor {
			return huh.ThemeBase(c.IsDark)
		}
		return huh.ThemeCharm(c.IsDark)
	})).WithShowHelp(true)
	return f
}

// AskInLines sets what accessible mode asks instead of the form: the same
// questions, one line at a time, bound to the same answers. huh's own
// accessible mode asks every group of a form, hidden ones too, and prints
// no descriptions.
func (f *FormScreen) AskInLines(questions ...LineQuestion) *FormScreen {
	f.lines = questions
	return f
}

func (f *FormScreen) Init() tea.Cmd {
	if f.common.Accessible {
		var run tea.ExecCommand = &accessibleForm{form: f.form}
		if len(f.lines) > 0 {
			run = &lineDialog{questions: f.lines}
		}
		return tea.Exec(run, func(err error) tea.Msg {
			return FormDoneMsg{Form: f.form, OK: err == nil}
		})
	}
	return f.form.Init()
}

func (f *FormScreen) Title() string             { return f.title }
func (f *FormScreen) Capturing() bool           { return true }
func (f *FormScreen) ShortHelp() []key.Binding  { return []key.Binding{f.common.Keys.Back} }
func (f *FormScreen) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

func (f *FormScreen) SetSize(w, h int) {
	f.width, f.height = w, h
	if f.common.Accessible {
		return // the form is asked on the terminal, not drawn
	}
	f.form.WithWidth(min(w, 76))
	// Not WithHeight, which pads the form to the full height and so pushes
	// huh's footer (its help and validation errors) below the screen: as
	// a window size, huh fits each group to what it needs at this width.
	// huh leaves out the blank line above the footer, hence h-1.
	f.form.Update(tea.WindowSizeMsg{Width: min(w, 76), Height: max(1, h-1)})
}

func (f *FormScreen) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if done, ok := msg.(FormDoneMsg); ok && done.Form == f.form {
		if done.OK && f.onSubmit != nil {
			return f, tea.Sequence(ui.Pop, f.onSubmit())
		}
		return f, ui.Pop
	}
	// huh forms have no cancel key but ctrl+c, which the root keeps for
	// quitting: esc cancels, as the help bar says.
	if km, ok := msg.(tea.KeyPressMsg); ok && km.String() == "esc" {
		return f, ui.Pop
	}
	if f.common.Accessible {
		// The answers were typed on the terminal. The drawn form, which
		// nobody typed into, would write its empty fields over them on
		// any message it gets (huh's input copies its text to its value
		// on every update).
		return f, nil
	}
	m, cmd := f.form.Update(msg)
	if form, ok := m.(*huh.Form); ok {
		f.form = form
	}
	return f, cmd
}

func (f *FormScreen) View() string {
	if f.common.Accessible {
		return f.common.Styles.Dim.Render("(answering in accessible mode…)")
	}
	// Titles are made visible where they are built; the fields may hold a
	// file name or a text with bidi overrides.
	return ui.ShownInput(f.form.View())
}

// accessibleForm runs a huh form in accessible mode through tea.Exec.
type accessibleForm struct {
	form   *huh.Form
	in     io.Reader
	out    io.Writer
	stderr io.Writer
}

func (a *accessibleForm) Run() error {
	return a.form.WithAccessible(true).WithInput(a.in).WithOutput(a.out).Run()
}
func (a *accessibleForm) SetStdin(r io.Reader)  { a.in = r }
func (a *accessibleForm) SetStdout(w io.Writer) { a.out = w }
func (a *accessibleForm) SetStderr(w io.Writer) { a.stderr = w }

// QuitDialog asks what to do with unsaved work: save, discard or cancel.
type QuitDialog struct{ *FormScreen }

// NewQuitDialog asks what to do with unsaved work; work, if any, says what
// else quitting would end; typed says a value typed into a field is not
// applied yet (saving applies it first).
func NewQuitDialog(c *ui.Common, doc *ui.Doc, work string, typed bool) *QuitDialog {
	choice := "save"
	question := "Quit now?"
	if work != "" {
		question = work + ". Quit now?"
	}
	name := "this new flow"
	if doc != nil && doc.Path != "" {
		name = ui.Shown(filepath.Base(doc.Path))
	}
	title := fmt.Sprintf("Unsaved changes to %s", name)
	save := "Save and quit"
	if typed {
		save = "Apply it, save and quit"
		if doc == nil || !doc.Dirty() {
			title = fmt.Sprintf("A typed value in %s is not applied", name)
		} else {
			question = "A typed value is not applied yet either. " + question
		}
	}
	options := []huh.Option[string]{
		huh.NewOption(save, "save"),
		huh.NewOption("Quit without saving", "discard"),
		huh.NewOption("Cancel, keep editing", "cancel"),
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().
			Title(title).
			Description(question).
			Options(options...).
			Value(&choice),
	))
	return &QuitDialog{NewFormScreen(c, "quit?", form, func() tea.Cmd {
		switch choice {
		case "save":
			return func() tea.Msg { return ui.QuitMsg{} }
		case "discard":
			return func() tea.Msg { return ui.QuitMsg{Discard: true} }
		}
		return nil
	}).AskInLines(AskChoice(title, question, &choice, options))}
}

// NewOpenWorkDialog asks before quitting while a screen has work under
// way that quitting would drop (desk sessions a customer may be in).
func NewOpenWorkDialog(c *ui.Common, work string) *QuitDialog {
	choice := "stay"
	options := []huh.Option[string]{huh.NewOption("Stay", "stay"), huh.NewOption("Quit anyway", "quit")}
	form := huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().
			Title(work).
			Description("Quit now?").
			Options(options...).
			Value(&choice),
	))
	return &QuitDialog{NewFormScreen(c, "quit?", form, func() tea.Cmd {
		if choice == "quit" {
			return func() tea.Msg { return ui.QuitMsg{Discard: true} }
		}
		return nil
	}).AskInLines(AskChoice(work, "Quit now?", &choice, options))}
}

// Update lets ctrl+c in the dialog mean cancel rather than another quit.
func (q *QuitDialog) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	s, cmd := q.FormScreen.Update(msg)
	if fs, ok := s.(*FormScreen); ok {
		q.FormScreen = fs
	}
	return q, cmd
}

const saveAsTitle = "save as"

// NewSaveAsDialog asks for a path; .json is added when missing. With
// thenQuit the wizard quits once the save is done.
func NewSaveAsDialog(c *ui.Common, current string, thenQuit bool) ui.Screen {
	return newSaveAsDialog(c, current, current, thenQuit)
}

// newSaveAsDialog is NewSaveAsDialog with typed already in the field.
func newSaveAsDialog(c *ui.Common, current, typed string, thenQuit bool) ui.Screen {
	path := newFormText(typed)
	replace := false
	// Another file already there is replaced only when the person says so.
	overwrites := func() bool {
		p := savePath(path.Get())
		if p == current {
			return false
		}
		_, err := os.Stat(p)
		return err == nil
	}
	const about = "Path of the JSON file; .json is added when it has no extension."
	form := huh.NewForm(
		huh.NewGroup(
			huh.NewInput().
				Title(saveAsFieldTitle(path.cannotShow())).
				TitleFunc(func() string { return saveAsFieldTitle(path.cannotShow()) }, &path.text).
				// The file enter would write, as typed text becomes it
				// (.json added, the default when empty): one line, as huh
				// sizes the group once.
				Description(savesTo(current)).
				DescriptionFunc(func() string { return savesTo(path.forCommand()) }, &path.text).
				Placeholder(defaultSaveName).
				Accessor(path).
				SuggestionsFunc(func() []string { return typableSuggestions(CompletePath(path.forCommand())) }, &path.text).
				Validate(validateSavePath),
		),
		huh.NewGroup(
			huh.NewConfirm().
				// Fixed one-line texts: huh sizes a group when it is built.
				Title("That file already exists").
				Description("Replace it with this flow?").
				Affirmative("Replace").
				Negative("Cancel").
				Value(&replace),
		).WithHideFunc(func() bool { return !overwrites() }),
	)
	// In huh tab moves on (here: submits) and ctrl+e completes; in a path
	// prompt tab completes, as in a shell.
	km := huh.NewDefaultKeyMap()
	km.Input.AcceptSuggestion = key.NewBinding(key.WithKeys("tab", "ctrl+e"), key.WithHelp("tab", "complete"))
	km.Input.Next = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next"))
	form.WithKeyMap(km)
	return NewFormScreen(c, saveAsTitle, form, func() tea.Cmd {
		p := savePath(path.Get())
		if overwrites() && !replace {
			// Back to the name, not to the screen below, where the next
			// name typed would run as commands.
			return tea.Sequence(ui.Push(newSaveAsDialog(c, current, path.Get(), thenQuit)),
				ui.Status("not saved: "+p+" was left as it is; type another name, or esc"))
		}
		if thenQuit {
			return func() tea.Msg { return ui.SaveThenQuitMsg{Path: p} }
		}
		return func() tea.Msg { return ui.SaveMsg{Path: p} }
	}).AskInLines(
		AskText("Save as", about, path).Default(defaultSaveName).Check(validateSavePath).Complete(CompletePath),
		AskYesNo(func() string { return savePath(path.Get()) + " already exists" }, "Replace it with this flow?", &replace).
			When(overwrites),
	)
}

// saveAsFieldTitle is the path field's title, which says when the field
// cannot show the name it was given (enter alone keeps that name).
func saveAsFieldTitle(cannotShow bool) string {
	if cannotShow {
		return "Save as · the field cannot show this name; typing replaces it"
	}
	return "Save as"
}

// typableSuggestions leaves out the paths that cannot be shown as they are
// (controls, bidi formatting characters): the field draws a suggestion as
// it is, and drops the controls of one that is taken.
func typableSuggestions(paths []string) []string {
	return slices.DeleteFunc(paths, func(p string) bool { return flow.Visible(p) != p })
}

// defaultSaveName is the file enter saves to when no path is typed: the
// name the input shows as its placeholder.
const defaultSaveName = "flow.json"

// savePath is the file a typed path names: the default when nothing is
// typed, and .json added when it has no extension.
func savePath(typed string) string {
	p := strings.TrimSpace(typed)
	if p == "" {
		return defaultSaveName
	}
	if filepath.Ext(p) == "" {
		p += ".json"
	}
	return p
}

// savesTo says which file a typed path saves to, cut from the left to
// stay on one line.
func savesTo(typed string) string {
	const room = 60
	p := []rune(savePath(typed))
	if len(p) > room {
		p = append([]rune("…"), p[len(p)-room+1:]...)
	}
	return "Saves to " + flow.Visible(string(p)) + " (tab completes)" // a file name
}

// formText is a form field's text. huh runs the suggestions function in a
// command, on another goroutine than the one typing into the field, and
// hashes the bindings on the typing one: each side gets its own copy.
type formText struct {
	text   string // the form's goroutine: Get, Set and huh's hash
	mu     sync.Mutex
	shared string // the same text, for commands
	// start is the text the field was given; until something is typed
	// it stays the text, not the field's copy without the characters the
	// field cannot hold.
	start   typingStart
	touched bool
}

func newFormText(initial string) *formText {
	in := textinput.New() // as huh's field holds it
	return &formText{text: initial, shared: initial, start: startTyping(&in, initial)}
}

func (s *formText) Get() string { return s.text }

// Set takes the field's text; huh hands it after every message, typed or not.
func (s *formText) Set(v string) {
	if !s.touched && v == s.start.held {
		v = s.start.stored
	} else {
		s.touched = true
	}
	s.text = v
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shared = v
}

func (s *formText) forCommand() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shared
}

// cannotShow reports, for commands, whether the field shows a text it
// could not hold as it is and nothing has been typed yet.
func (s *formText) cannotShow() bool {
	return s.start.altered() && s.forCommand() == s.start.stored
}

func validateSavePath(typed string) error {
	p := savePath(typed)
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return errors.New("that is a directory")
	}
	dir := filepath.Dir(p)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("folder %s does not exist", dir)
	}
	return nil
}

// CompletePath suggests existing .json files and folders that start with
// what was typed.
func CompletePath(prefix string) []string {
	dir, base := filepath.Split(prefix)
	listDir := dir
	if listDir == "" {
		listDir = "."
	}
	entries, err := os.ReadDir(listDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if !strings.HasPrefix(name, base) {
			continue
		}
		if e.IsDir() {
			out = append(out, dir+name+string(filepath.Separator))
		} else if strings.HasSuffix(name, ".json") {
			out = append(out, dir+name)
		}
	}
	sort.Strings(out)
	return out
}

// IsSaveAs reports whether s is the save-as question.
func IsSaveAs(s ui.Screen) bool {
	f, ok := s.(*FormScreen)
	return ok && f.title == saveAsTitle
}
