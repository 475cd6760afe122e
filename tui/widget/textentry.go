package widget

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

// TextEntry is a one-line prompt screen: enter hands the text to done,
// esc cancels. check, when set, explains why a text cannot be accepted.
type TextEntry struct {
	common *ui.Common
	title  string
	note   string
	input  textinput.Model
	start  typingStart // the text it started from
	check  func(string) string
	done   func(string) tea.Cmd
	err    string
	width  int
	height int
}

// NewTextEntry asks for one line of text starting from initial; note is a
// dim line under the title.
func NewTextEntry(c *ui.Common, title, note, initial string, check func(string) string, done func(string) tea.Cmd) *TextEntry {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 2048
	start := startTyping(&in, initial)
	return &TextEntry{common: c, title: title, note: note, input: in, start: start, check: check, done: done}
}

// PendingText reports whether something was typed and not confirmed.
func (t *TextEntry) PendingText() bool { return t.start.edited(&t.input) }

func (t *TextEntry) Init() tea.Cmd { return t.input.Focus() }

func (t *TextEntry) Title() string { return t.title }

func (t *TextEntry) Capturing() bool { return true }

func (t *TextEntry) SetSize(w, h int) {
	t.width, t.height = w, h
	t.input.SetWidth(max(10, w-4))
}

func (t *TextEntry) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (t *TextEntry) FullHelp() [][]key.Binding { return [][]key.Binding{t.ShortHelp()} }

func (t *TextEntry) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "esc":
			return t, ui.Pop
		case "enter":
			// Nothing typed: the text as it was, not as the input holds it;
			// typed: with what the input cannot hold kept where the edit
			// left it alone.
			v := t.start.value(&t.input)
			dropped := t.start.dropped(&t.input)
			if t.check != nil {
				if e := t.check(v); e != "" {
					t.err = e
					return t, nil
				}
			}
			if len(dropped) > 0 {
				return t, tea.Sequence(ui.Pop, t.done(v), ui.Status(droppedNote(dropped)))
			}
			return t, tea.Sequence(ui.Pop, t.done(v))
		}
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	if t.check != nil {
		t.err = t.check(t.input.Value())
	}
	return t, cmd
}

func (t *TextEntry) View() string {
	s := &t.common.Styles
	lines := []string{ui.Truncate(s.Title.Render(ui.Shown(t.title)), t.width)}
	if t.note != "" {
		lines = append(lines, ui.Truncate(s.Dim.Render(ui.Shown(t.note)), t.width))
	}
	lines = append(lines, "", "  "+ui.ShownInput(t.input.View()))
	if note := t.start.note(&t.input); note != "" {
		lines = append(lines, "", ui.Truncate(s.Warning.Render("  "+note), t.width))
	}
	if t.err != "" {
		lines = append(lines, "", ui.Truncate(s.StatusErr.Render("  ✗ "+ui.Shown(t.err)), t.width))
	}
	return strings.Join(lines, "\n")
}

// HelpGroups is a rich editor's full help: its own keys, then moving about,
// then history and saving. Its short help leaves the movement keys out so
// its own fit the help bar at 80 columns.
func HelpGroups(k ui.KeyMap, own []key.Binding) [][]key.Binding {
	return [][]key.Binding{own, {k.Up, k.Down, k.Home, k.End}, {k.Undo, k.Redo, k.Save, k.SaveAs}}
}
