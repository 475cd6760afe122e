package widget

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// LocalizedEntry asks for a new localized text one language at a time: a
// field per language, enter going on to the next and, on the last,
// handing every field to done. The first language's text stands above the
// others as the one to translate from; it is never copied into them, so a
// field left empty stays empty (the language is then missing, and said to
// be). Text is kept exactly as typed.
type LocalizedEntry struct {
	common *ui.Common
	title  string
	note   string
	langs  []string
	inputs []textinput.Model
	cur    int
	// ref is a text to translate from that is not one of the fields (the
	// flow language's text when filling in the languages a text lacks).
	refLang, ref string
	done         func(texts []flow.LangText) tea.Cmd
	width        int
	height       int
}

// NewLocalizedEntry asks for the text in each of langs, in that order;
// done gets a LangText for every language, Text "" where nothing was
// typed. note is a dim line under the title.
func NewLocalizedEntry(c *ui.Common, title, note string, langs []string, done func([]flow.LangText) tea.Cmd) *LocalizedEntry {
	e := &LocalizedEntry{common: c, title: title, note: note, langs: langs, done: done}
	for range langs {
		in := textinput.New()
		in.Prompt = ""
		e.inputs = append(e.inputs, in)
	}
	return e
}

// WithReference shows text, in lang, above the fields as what to translate.
func (e *LocalizedEntry) WithReference(lang, text string) *LocalizedEntry {
	e.refLang, e.ref = lang, text
	return e
}

func (e *LocalizedEntry) Init() tea.Cmd { return e.focus(0) }

func (e *LocalizedEntry) Title() string { return e.title }

// Capturing is always true: every key but the few below is typed text.
func (e *LocalizedEntry) Capturing() bool { return true }

// EditingText reports that text is being typed, so the help bar shows how
// to go on or cancel.
func (e *LocalizedEntry) EditingText() bool { return true }

// Lang is the language of the field being typed.
func (e *LocalizedEntry) Lang() string {
	if len(e.langs) == 0 {
		return ""
	}
	return e.langs[e.cur]
}

func (e *LocalizedEntry) SetSize(w, h int) {
	e.width, e.height = w, h
	for i := range e.inputs {
		e.inputs[i].SetWidth(max(10, w-20))
	}
}

func (e *LocalizedEntry) ShortHelp() []key.Binding {
	next := "next language"
	if e.cur == len(e.langs)-1 {
		next = "done"
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", next)),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "other language")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (e *LocalizedEntry) FullHelp() [][]key.Binding { return [][]key.Binding{e.ShortHelp()} }

func (e *LocalizedEntry) focus(i int) tea.Cmd {
	if len(e.inputs) == 0 {
		return nil
	}
	e.inputs[e.cur].Blur()
	e.cur = max(0, min(i, len(e.inputs)-1))
	return e.inputs[e.cur].Focus()
}

// texts are the fields as typed.
func (e *LocalizedEntry) texts() []flow.LangText {
	out := make([]flow.LangText, len(e.langs))
	for i, l := range e.langs {
		out[i] = flow.LangText{Lang: l, Text: e.inputs[i].Value()}
	}
	return out
}

// empty reports whether nothing has been typed in any field.
func (e *LocalizedEntry) empty() bool {
	for _, in := range e.inputs {
		if in.Value() != "" {
			return false
		}
	}
	return true
}

func (e *LocalizedEntry) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "esc":
			return e, ui.Pop
		case "enter":
			// On the last field, or on the first with nothing typed at all
			// (which ends a run of entries), the entry is done.
			if e.cur == len(e.langs)-1 || (e.cur == 0 && e.empty()) {
				return e, tea.Sequence(ui.Pop, e.done(e.texts()))
			}
			return e, e.focus(e.cur + 1)
		case "down", "tab":
			return e, e.focus(e.cur + 1)
		case "up", "shift+tab":
			return e, e.focus(e.cur - 1)
		}
	}
	if len(e.inputs) == 0 {
		return e, nil
	}
	var cmd tea.Cmd
	e.inputs[e.cur], cmd = e.inputs[e.cur].Update(msg)
	return e, cmd
}

func (e *LocalizedEntry) View() string {
	s := &e.common.Styles
	lines := []string{ui.Truncate(s.Title.Render(e.title), e.width)}
	if e.note != "" {
		lines = append(lines, ui.Truncate(s.Dim.Render(e.note), e.width))
	}
	lines = append(lines, "")
	if e.ref != "" {
		head := fmt.Sprintf("%-3s %-12s ", e.refLang, "reference")
		lines = append(lines, ui.Truncate("  "+s.Dim.Render(head)+flow.Visible(e.ref), e.width), "")
	}
	for i, l := range e.langs {
		head := fmt.Sprintf("%-3s %-12s ", l, flow.LanguageName(l))
		var val string
		switch {
		case i == e.cur:
			val = e.inputs[i].View()
		case e.inputs[i].Value() == "" && i > e.cur:
			val = s.Dim.Render("not typed yet")
		case e.inputs[i].Value() == "":
			val = s.Warning.Render("— left missing")
		default:
			val = flow.Visible(e.inputs[i].Value())
		}
		lines = append(lines, ui.Truncate(CursorRow(s, i == e.cur, head, val), e.width))
	}
	lines = append(lines, "", ui.Truncate(s.Dim.Render(e.hint()), e.width))
	return strings.Join(lines, "\n")
}

// hint says what enter does now and what the reference is.
func (e *LocalizedEntry) hint() string {
	switch {
	case len(e.langs) == 0:
		return "no language to ask for · esc goes back"
	case e.cur == 0 && e.empty():
		return "type the " + flow.LanguageName(e.langs[0]) + " text · enter with nothing typed ends · esc cancels"
	case e.cur == len(e.langs)-1:
		return "enter keeps the text · an empty field leaves that language missing"
	case e.cur > 0 && e.ref == "":
		return fmt.Sprintf("translate the %s text above · enter goes on to %s · empty leaves it missing", e.langs[0], e.langs[e.cur+1])
	}
	return "enter goes on to " + e.langs[e.cur+1] + " · empty leaves it missing · esc cancels"
}
