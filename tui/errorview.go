package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// errorView shows a file that does not parse, read-only: the position of
// the error and the text around it. The file is never written from here;
// e opens it in $EDITOR and r reloads it.
type errorView struct {
	common *ui.Common
	store  Store
	path   string
	data   []byte
	err    *flow.SyntaxError
	width  int
	height int
	getenv func(string) string
}

func newErrorView(c *ui.Common, store Store, path string, data []byte, err *flow.SyntaxError, getenv func(string) string) *errorView {
	return &errorView{common: c, store: store, path: path, data: data, err: err, getenv: getenv}
}

func (v *errorView) Title() string    { return "cannot read " + v.path }
func (v *errorView) SetSize(w, h int) { v.width, v.height = w, h }

var (
	keyEdit   = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "open in $EDITOR"))
	keyReload = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload"))
)

func (v *errorView) ShortHelp() []key.Binding {
	return []key.Binding{keyEdit, keyReload, v.common.Keys.Back, v.common.Keys.Quit}
}
func (v *errorView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *errorView) editor() string {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if e := v.getenv(name); e != "" {
			return e
		}
	}
	return ""
}

// reloadMsg asks to read the file again (the editor was closed).
type reloadMsg struct{}

func (v *errorView) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if _, ok := msg.(reloadMsg); ok {
		return v, openFile(v.store, v.path, false)
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return v, nil
	}
	switch {
	case key.Matches(km, keyReload):
		return v, openFile(v.store, v.path, false)
	case key.Matches(km, keyEdit):
		ed := v.editor()
		if ed == "" {
			return v, ui.Status("set $EDITOR to open the file from here, or edit " + v.path + " in another window and press r")
		}
		fields := strings.Fields(ed)
		args := append(fields[1:], fmt.Sprintf("+%d", v.err.Line), v.path)
		c := exec.Command(fields[0], args...)
		return v, tea.ExecProcess(c, func(err error) tea.Msg {
			if err != nil {
				return ui.StatusMsg{Text: "editor: " + err.Error(), Err: true}
			}
			return reloadMsg{} // read in a command, not in this callback
		})
	case key.Matches(km, v.common.Keys.Back):
		return v, func() tea.Msg { return goHomeMsg{} }
	}
	return v, nil
}

func (v *errorView) View() string {
	s := &v.common.Styles
	var b strings.Builder
	b.WriteString(s.Error.Render("This file is not a valid config, so it opens read-only and is never overwritten.") + "\n\n")
	b.WriteString(ansi.Wrap(fmt.Sprintf("%s:%d:%d: %s", v.path, v.err.Line, v.err.Column, v.err.Msg), v.width, "") + "\n\n")
	// A UTF-8 byte-order mark is no character of the first line (columns
	// do not count it either): it is not drawn.
	text, _ := strings.CutPrefix(string(v.data), "\uFEFF")
	lines := strings.Split(text, "\n")
	from := max(0, v.err.Line-4)
	to := min(len(lines), v.err.Line+3)
	for i := from; i < to; i++ {
		prefix := fmt.Sprintf("%5d │ ", i+1)
		line := ui.Truncate(prefix+visibleText(lines[i]), v.width)
		if i+1 == v.err.Line {
			// The column counts characters; the caret goes under the
			// character as drawn (tabs expanded, wide ones two cells).
			before := []rune(lines[i])[:min(max(0, v.err.Column-1), utf8.RuneCountInString(lines[i]))]
			shown, at := visibleText(lines[i]), ansi.StringWidth(visibleText(string(before)))
			// A long line is shown around the fault, not cut before it.
			if room := v.width - ansi.StringWidth(prefix) - 1; room > 10 && at >= room {
				skip := at - room/2
				shown = "…" + ansi.Cut(shown, skip+1, ansi.StringWidth(shown))
				at -= skip
			}
			b.WriteString(s.Warning.Render(ui.Truncate(prefix+shown, v.width)) + "\n")
			b.WriteString(strings.Repeat(" ", ansi.StringWidth(prefix)+at) + s.Error.Render("^") + "\n")
			continue
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + s.Dim.Render(ansi.Wrap(fmt.Sprintf("Fix it in any editor (e.g. $EDITOR %s) and press r to reload.", v.path), v.width, "")))
	return b.String()
}

// goHomeMsg returns to the home screen.
type goHomeMsg struct{}

// draftPrompt asks whether to recover a draft found for a file.
func newDraftPrompt(c *ui.Common, msg fileLoadedMsg) ui.Screen {
	choice := "recover"
	d := msg.draft
	title := "Unsaved work found for " + msg.path
	about := "A draft was autosaved " + d.Updated.Local().Format("2006-01-02 15:04:05") + " and never saved to the file."
	options := []huh.Option[string]{
		huh.NewOption("Recover the draft", "recover"),
		huh.NewOption("Open the file as saved and delete the draft", "discard"),
	}
	form := huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().
			Title(title).
			Description(about).
			Options(options...).
			Value(&choice),
	))
	return widget.NewFormScreen(c, "recover?", form, func() tea.Cmd {
		return func() tea.Msg { return draftChoiceMsg{load: msg, recover: choice == "recover"} }
	}).AskInLines(widget.AskChoice(title, about, &choice, options))
}

// draftChoiceMsg carries the answer of the draft prompt.
type draftChoiceMsg struct {
	load    fileLoadedMsg
	recover bool
}

// loadedDoc turns a loaded file into the message that opens it.
func loadedDoc(store Store, msg fileLoadedMsg, recover bool) tea.Cmd {
	if recover && msg.draft != nil {
		doc := ui.NewDoc(msg.draft.Config, msg.path, false)
		doc.SetOnDisk(msg.data)
		return func() tea.Msg {
			return openDocMsg{doc: doc, draftID: msg.draft.ID, note: "recovered the draft; ctrl+s writes it to " + msg.path}
		}
	}
	note := "opened " + msg.path
	if msg.isNew {
		note = msg.path + " does not exist yet; ctrl+s creates it"
	}
	doc := ui.NewDoc(msg.config, msg.path, true)
	doc.SetOnDisk(msg.data)
	draft := msg.draft
	draftID := ""
	if msg.shared {
		draftID = DraftID(msg.path, "") + "-" + newToken()
		note = "also open in another window; this one keeps its own draft"
	}
	return func() tea.Msg {
		if draft != nil {
			_ = store.RemoveDraft(draft.ID)
		}
		return openDocMsg{doc: doc, note: note, draftID: draftID}
	}
}

// visibleText is a line of a file as it can be drawn: tabs as four spaces,
// and control characters (a stray escape sequence, a CR) as a visible
// replacement rather than sent to the terminal.
func visibleText(line string) string {
	line = strings.TrimSuffix(line, "\r") // a CRLF file's line end
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, strings.ReplaceAll(line, "\t", "    "))
}
