// Package ui is what every screen of the wizard shares and nothing else:
// the Screen interface, Common (styles, keys, size, the terminal's
// nature), the messages screens send the root, the document they edit
// (Doc, with its undo history) and the helpers that fit text to the
// terminal. It imports no other package of the wizard.
package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Screen is one page of the wizard. Only the root model talks to Bubble
// Tea's View; screens render strings into the space SetSize gives them.
type Screen interface {
	Update(msg tea.Msg) (Screen, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
	Title() string
}

// Common is what every screen shares: styles, keys, size and the
// terminal's nature. It is passed by pointer from the root, which owns it.
type Common struct {
	Styles     Styles
	Keys       KeyMap
	Width      int
	Height     int
	IsDark     bool
	Accessible bool
	NoColor    bool
}

// SetDark rebuilds the styles for the terminal's background.
func (c *Common) SetDark(dark bool) {
	c.IsDark = dark
	c.Styles = NewStyles(dark, c.NoColor)
}

// Styles are the wizard's lipgloss styles, built for a light or dark
// background.
type Styles struct {
	App        lipgloss.Style
	Header     lipgloss.Style
	HeaderDim  lipgloss.Style
	Title      lipgloss.Style
	Tab        lipgloss.Style
	TabActive  lipgloss.Style
	Selected   lipgloss.Style
	Cursor     lipgloss.Style
	Normal     lipgloss.Style
	Dim        lipgloss.Style
	Key        lipgloss.Style
	Error      lipgloss.Style
	Warning    lipgloss.Style
	Info       lipgloss.Style
	OK         lipgloss.Style
	Border     lipgloss.Style
	Status     lipgloss.Style
	StatusErr  lipgloss.Style
	Sandbox    lipgloss.Style
	Big        lipgloss.Style
	Help       help.Styles
	Accent     color.Color
	BorderLine color.Color
}

// NewStyles builds the styles; noColor keeps only bold/underline/reverse
// so that NO_COLOR terminals still show where the cursor is.
func NewStyles(isDark, noColor bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B9A5FF"))
	dim := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7A70"))
	yellow := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F2C14E"))
	cyan := ld(lipgloss.Color("#00677F"), lipgloss.Color("#6FD3EB"))
	green := ld(lipgloss.Color("#1E7B34"), lipgloss.Color("#7BD88F"))
	selBg := ld(lipgloss.Color("#E4DDFB"), lipgloss.Color("#3B3163"))
	line := ld(lipgloss.Color("#C8C8C8"), lipgloss.Color("#4A4A4A"))

	s := Styles{Accent: accent, BorderLine: line}
	if noColor {
		s.Title = lipgloss.NewStyle().Bold(true)
		s.Header = lipgloss.NewStyle().Bold(true)
		s.HeaderDim = lipgloss.NewStyle()
		s.Tab = lipgloss.NewStyle()
		s.TabActive = lipgloss.NewStyle().Bold(true).Underline(true)
		s.Selected = lipgloss.NewStyle().Reverse(true)
		s.Cursor = lipgloss.NewStyle().Bold(true)
		s.Error = lipgloss.NewStyle().Bold(true)
		s.Warning = lipgloss.NewStyle().Bold(true)
		s.Big = lipgloss.NewStyle().Bold(true)
		s.Sandbox = lipgloss.NewStyle().Reverse(true).Bold(true)
		s.StatusErr = lipgloss.NewStyle().Bold(true)
		s.Border = lipgloss.NewStyle()
		s.Help = help.Styles{
			ShortKey: lipgloss.NewStyle().Bold(true), ShortDesc: lipgloss.NewStyle(), ShortSeparator: lipgloss.NewStyle(),
			Ellipsis: lipgloss.NewStyle(), FullKey: lipgloss.NewStyle().Bold(true), FullDesc: lipgloss.NewStyle(), FullSeparator: lipgloss.NewStyle(),
		}
		return s
	}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.HeaderDim = lipgloss.NewStyle().Foreground(dim)
	s.Tab = lipgloss.NewStyle().Foreground(dim)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true)
	s.Selected = lipgloss.NewStyle().Background(selBg).Bold(true)
	s.Cursor = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Dim = lipgloss.NewStyle().Foreground(dim)
	s.Key = lipgloss.NewStyle().Foreground(accent)
	s.Error = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Warning = lipgloss.NewStyle().Foreground(yellow).Bold(true)
	s.Info = lipgloss.NewStyle().Foreground(cyan)
	s.OK = lipgloss.NewStyle().Foreground(green).Bold(true)
	s.Border = lipgloss.NewStyle().Foreground(line)
	s.Status = lipgloss.NewStyle().Foreground(dim)
	s.StatusErr = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Sandbox = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#F2C14E")).Padding(0, 1)
	s.Big = lipgloss.NewStyle().Bold(true).Padding(0, 2)
	s.Help = help.DefaultStyles(isDark)
	return s
}

// KeyMap is the wizard's keymap (SPEC §10).
type KeyMap struct {
	Up, Down, Left, Right key.Binding
	Enter, Back           key.Binding
	NextPane, PrevPane    key.Binding
	Filter                key.Binding
	Add, Delete           key.Binding
	Duplicate             key.Binding
	MoveUp, MoveDown      key.Binding
	Toggle                key.Binding
	Undo, Redo            key.Binding
	Save, SaveAs          key.Binding
	Launch                key.Binding
	Help                  key.Binding
	Quit                  key.Binding
	Home, End             key.Binding
	PageUp, PageDown      key.Binding
}

// DefaultKeyMap returns the keymap of SPEC §10.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		Left:      b("←/h", "left", "left", "h"),
		Right:     b("→/l", "right", "right", "l"),
		Enter:     b("enter", "open", "enter"),
		Back:      b("esc", "back", "esc"),
		NextPane:  b("tab", "next pane", "tab"),
		PrevPane:  b("shift+tab", "prev pane", "shift+tab"),
		Filter:    b("/", "filter", "/"),
		Add:       b("a", "add", "a"),
		Delete:    b("d", "delete", "d"),
		Duplicate: b("c", "duplicate", "c"),
		MoveUp:    b("K/shift+↑", "move up", "K", "shift+up"),
		MoveDown:  b("J/shift+↓", "move down", "J", "shift+down"),
		Toggle:    b("space", "toggle", "space"),
		Undo:      b("u", "undo", "u"),
		Redo:      b("ctrl+r", "redo", "ctrl+r"),
		Save:      b("ctrl+s", "save", "ctrl+s"),
		SaveAs:    b("ctrl+w", "save as", "ctrl+w"),
		Launch:    b("L", "launch session", "L"),
		Help:      b("?", "help", "?"),
		Quit:      b("ctrl+c", "quit", "ctrl+c"),
		Home:      b("g/home", "first", "g", "home"),
		End:       b("G/end", "last", "G", "end"),
		PageUp:    b("pgup", "page up", "pgup"),
		PageDown:  b("pgdown", "page down", "pgdown"),
	}
}
