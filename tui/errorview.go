package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
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
	common  *ui.Common
	path    string
	err     *flow.SyntaxError
	excerpt []excerptLine // the lines around the fault
	width   int
	height  int
	getenv  func(string) string
}

// excerptLine is a line of the file around the fault, as much of it as a
// screen can show: a file may be one line of 16 MiB.
type excerptLine struct {
	num   int    // 1-based line number
	text  string // the line's bytes, or the part of it around the fault
	cut   bool   // text starts after the line does
	fault bool   // the line of the fault
	at    int    // on the fault line: the fault's byte offset in text
}

func newErrorView(c *ui.Common, path string, data []byte, err *flow.SyntaxError, getenv func(string) string) *errorView {
	return &errorView{common: c, path: path, err: err, excerpt: faultExcerpt(data, err), getenv: getenv}
}

// faultExcerpt takes the lines around a syntax error out of the file,
// once: up to three before and two after the fault's line.
func faultExcerpt(data []byte, err *flow.SyntaxError) []excerptLine {
	// A UTF-8 byte-order mark is no character of the first line (columns
	// do not count it either): it is not drawn.
	text, _ := strings.CutPrefix(string(data), "\uFEFF")
	var out []excerptLine
	for num := 1; ; num++ {
		line, rest, found := strings.Cut(text, "\n")
		if num >= err.Line-3 {
			l := excerptLine{num: num, text: ui.Clip(line), fault: num == err.Line}
			if l.fault {
				l.text, l.at, l.cut = aroundColumn(line, err.Column)
			}
			out = append(out, l)
		}
		if !found || num >= err.Line+2 {
			return out
		}
		text = rest
	}
}

// aroundColumn is the part of line around its column col (1-based,
// counting characters, an invalid byte as one): at most a screen's worth
// before and after it, the fault's byte offset in that part, and whether
// the part starts after the line does.
func aroundColumn(line string, col int) (part string, at int, cut bool) {
	off := 0
	for n := 1; n < col && off < len(line); n++ {
		_, size := utf8.DecodeRuneInString(line[off:])
		off += size
	}
	start := max(0, off-1024)
	for start > 0 && !utf8.RuneStart(line[start]) {
		start++
	}
	return ui.Clip(line[start:]), off - start, start > 0
}

func (v *errorView) Title() string    { return "cannot read " + ui.Shown(v.path) }
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
		return v, loadFile(v.path)
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return v, nil
	}
	switch {
	case key.Matches(km, keyReload):
		return v, loadFile(v.path)
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
	b.WriteString(ansi.Wrap(ui.Shown(fmt.Sprintf("%s:%d:%d: %s", v.path, v.err.Line, v.err.Column, v.err.Msg)), v.width, "") + "\n\n")
	for _, l := range v.excerpt {
		prefix := fmt.Sprintf("%5d │ ", l.num)
		if l.fault {
			// The column counts characters; the caret goes under the
			// character as drawn (tabs expanded, wide ones two cells,
			// controls written out).
			shown, at := visibleText(l.text), ansi.StringWidth(visibleText(l.text[:min(l.at, len(l.text))]))
			if l.cut {
				shown, at = "…"+shown, at+1
			}
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
		b.WriteString(ui.Truncate(prefix+visibleText(l.text), v.width) + "\n")
	}
	b.WriteString("\n" + s.Dim.Render(ansi.Wrap(fmt.Sprintf("Fix it in any editor (e.g. $EDITOR %s) and press r to reload.", ui.Shown(v.path)), v.width, "")))
	return b.String()
}

// goHomeMsg returns to the home screen.
type goHomeMsg struct{}

// draftPrompt asks whether to recover a draft found for a file.
func newDraftPrompt(c *ui.Common, msg fileLoadedMsg) ui.Screen {
	choice := "recover"
	d := msg.draft
	title := "Unsaved work found for " + ui.Shown(msg.path)
	about := "A draft was autosaved " + d.Updated.Local().Format("2006-01-02 15:04:05") + " and never saved to the file."
	discard := "Open the file as saved and delete the draft"
	switch {
	case msg.isNew && d.Base != nil && !d.Base.Absent:
		// Deleted since: the draft is all that is left of the work.
		about += " " + ui.Shown(filepath.Base(msg.path)) + " is no longer on disk: the draft is the only copy of this work."
		discard = "Delete the draft and start the file anew (its work is lost)"
	case msg.isNew:
		discard = "Delete the draft and start the file anew"
	case changedSince(d, msg):
		about += " The file may have changed since: saving the draft asks first."
	}
	options := []huh.Option[string]{
		huh.NewOption("Recover the draft", "recover"),
		huh.NewOption(discard, "discard"),
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

// loadedDoc turns a loaded file into the message that opens it, in a
// command: validating a large flow takes a while, and the keys (ctrl+c)
// are answered meanwhile.
func loadedDoc(store Store, msg fileLoadedMsg, recover bool) tea.Cmd {
	if recover && msg.draft != nil {
		d := *msg.draft
		return func() tea.Msg {
			doc := ui.NewDoc(d.Config, msg.path, false)
			note, over := recoveredOnto(doc, d, msg.path, msg.data, !msg.isNew, nil)
			return openDocMsg{doc: doc, draftID: d.ID, base: d.Base, note: note, overChange: over}
		}
	}
	return func() tea.Msg {
		note := "opened " + msg.path
		if msg.isNew {
			note = msg.path + " does not exist yet; ctrl+s creates it"
		}
		doc := ui.NewDoc(msg.config, msg.path, true)
		doc.SetOnDisk(msg.data)
		draftID := ""
		if msg.shared {
			draftID = DraftID(store.Abs(msg.path), "") + "-" + newToken()
			note = "also open in another window; this one keeps its own draft"
		}
		if msg.draft != nil {
			_ = store.RemoveDraft(msg.draft.ID)
		}
		return openDocMsg{doc: doc, note: note, draftID: draftID, base: &msg.disk}
	}
}

// visibleText is a line of a file as it can be drawn: tabs as four spaces,
// and control characters (a stray escape sequence), bidi overrides and
// invalid bytes written out (flow.Visible) rather than sent to the
// terminal.
func visibleText(line string) string {
	line = strings.TrimSuffix(line, "\r") // a CRLF file's line end
	return flow.Visible(strings.ReplaceAll(line, "\t", "    "))
}
