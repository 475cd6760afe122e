package widget

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// PropKind is how a property is edited.
type PropKind int

const (
	PropToggle  PropKind = iota // space/enter flips it
	PropText                    // enter edits inline; enter commits, esc cancels
	PropPick                    // enter opens a picker (single or multiple)
	PropAction                  // enter runs an action
	PropInfo                    // read-only line
	PropHeading                 // a section title; the cursor skips it
)

// Prop is one editable line of a property list. The closures read and
// write the document through flow methods; each write is one undo step.
type Prop struct {
	Label string
	Path  string // the JSON Pointer it edits, for jumps from diagnostics
	// JumpFrom, when set, is a JSON Pointer of a problem about this line
	// that Path does not contain (what the line would add, say): a jump
	// there lands here.
	JumpFrom string
	Kind     PropKind
	Value    func() string // shown value
	Hint     func() string // live hint under the list when selected

	Toggle func() error // PropToggle
	// Toggled, if set, is the status after a toggle (what it did).
	Toggled func() string

	Text     func() string       // PropText: the text to start editing from
	SetText  func(string) error  // PropText
	Validate func(string) string // PropText: a message when the text is not acceptable

	Pick func() ui.Screen // PropPick: the picker to open

	Action func() tea.Cmd // PropAction

	// Open, when set, is what enter does (space keeps the kind's action),
	// e.g. a toggle line that also opens a screen of details.
	Open func() tea.Cmd

	// Keys handles keys the list itself does not use (d, c, K/J, ...)
	// while this property is selected; handled=false passes them on.
	Keys func(km tea.KeyPressMsg) (cmd tea.Cmd, handled bool)
}

// PropList is a navigable list of properties with inline text editing.
type PropList struct {
	common  *ui.Common
	doc     *ui.Doc // for the problems of each property
	props   []Prop
	Cursor  int
	offset  int
	width   int
	height  int
	editing bool
	input   textinput.Model
	start   typingStart // what the input began from
	err     string
	// follow is the label of a property just toggled: a toggle can move
	// it (a KYB field turned on joins the collected ones), and the cursor
	// goes with it when the list is next rebuilt.
	follow string
	// labelW is the widest label of labelsOf, the lines last measured:
	// lists built once per content are not measured on every frame.
	labelW   int
	labelsOf []Prop
}

// NewPropList makes a list of properties of doc, whose problems it marks
// on the properties they are about (doc may be nil).
func NewPropList(c *ui.Common, doc *ui.Doc) *PropList {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 2048
	return &PropList{common: c, doc: doc, input: ti}
}

// SetProps replaces the lines; the cursor stays where it was, or follows
// a property just toggled to its new place.
func (l *PropList) SetProps(props []Prop) {
	l.props = props
	if l.follow != "" {
		if i := slices.IndexFunc(props, func(p Prop) bool { return p.Label == l.follow && p.Kind != PropHeading }); i >= 0 {
			l.Cursor = i
		}
		l.follow = ""
	}
	l.Cursor = min(l.Cursor, max(0, len(props)-1))
	l.skipHeading(1)
}

// skipHeading moves the cursor off a heading, in direction d first.
func (l *PropList) skipHeading(d int) {
	for _, dir := range []int{d, -d} {
		for i := l.Cursor; i >= 0 && i < len(l.props); i += dir {
			if l.props[i].Kind != PropHeading {
				l.Cursor = i
				return
			}
		}
	}
}

func (l *PropList) SetSize(w, h int) {
	l.width, l.height = w, h
	l.fitInput()
}

// Props are the lines as last set.
func (l *PropList) Props() []Prop { return l.props }

// Len is the number of lines, headings included.
func (l *PropList) Len() int { return len(l.props) }

// Capturing reports whether the list is taking typed text.
func (l *PropList) Capturing() bool { return l.editing }

// EditingText reports whether a property's text is being typed: the help
// bar then shows how to apply or cancel it.
func (l *PropList) EditingText() bool { return l.editing }

// Pending reports whether text typed into a property differs from what
// it holds: work that quitting would lose.
func (l *PropList) Pending() bool {
	return l.editing && l.start.edited(&l.input)
}

// focusPath moves the cursor to the property editing path (or the nearest
// one that contains it).
func (l *PropList) FocusPath(path string) bool {
	best, bestLen := -1, -1
	for i, p := range l.props {
		if p.JumpFrom != "" && path == p.JumpFrom {
			best = i
			break // said in so many words
		}
		if p.Path != "" && (path == p.Path || strings.HasPrefix(path, p.Path+"/")) && len(p.Path) > bestLen {
			best, bestLen = i, len(p.Path)
		}
	}
	if best >= 0 {
		l.Cursor = best
	}
	return best >= 0
}

// Selected is the property under the cursor.
func (l *PropList) Selected() (Prop, bool) {
	if l.Cursor < 0 || l.Cursor >= len(l.props) {
		return Prop{}, false
	}
	return l.props[l.Cursor], true
}

// Update handles keys for the list; it returns handled=false for keys it
// leaves to the screen.
func (l *PropList) Update(msg tea.Msg) (tea.Cmd, bool) {
	k := l.common.Keys
	if l.editing {
		if km, ok := msg.(tea.KeyPressMsg); ok {
			switch km.String() {
			case "enter":
				return l.Commit(), true
			case "esc":
				l.editing, l.err = false, ""
				l.input.Blur()
				return nil, true
			}
		}
		var cmd tea.Cmd
		l.fitInput()
		l.input, cmd = l.input.Update(msg)
		if p, ok := l.Selected(); ok && p.Validate != nil {
			l.err = p.Validate(l.input.Value())
		}
		return cmd, true
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch {
	case key.Matches(km, k.Up):
		l.move(-1)
	case key.Matches(km, k.Down):
		l.move(1)
	case key.Matches(km, k.Home):
		l.Cursor = 0
		l.skipHeading(1)
	case key.Matches(km, k.End):
		l.Cursor = max(0, len(l.props)-1)
		l.skipHeading(-1)
	case key.Matches(km, k.Enter), key.Matches(km, k.Toggle):
		return l.activate(key.Matches(km, k.Toggle)), true
	default:
		if p, ok := l.Selected(); ok && p.Keys != nil {
			return p.Keys(km)
		}
		return nil, false
	}
	return nil, true
}

// move goes to the next property in direction d, stopping at the ends
// as every list does (wrapping round would put enter on a far property).
func (l *PropList) move(d int) {
	for i := l.Cursor + d; i >= 0 && i < len(l.props); i += d {
		if l.props[i].Kind != PropHeading {
			l.Cursor = i
			return
		}
	}
}

func (l *PropList) activate(space bool) tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return nil
	}
	if !space && p.Open != nil {
		return p.Open()
	}
	switch p.Kind {
	case PropToggle:
		if err := p.Toggle(); err != nil {
			return ui.StatusErr(err)
		}
		l.follow = p.Label
		if p.Toggled != nil {
			return ui.Status(p.Toggled())
		}
	case PropText:
		if space {
			return nil
		}
		l.editing, l.err = true, ""
		l.fitInput()
		l.start = startTyping(&l.input, p.Text())
		return l.input.Focus()
	case PropPick:
		return ui.Push(p.Pick())
	case PropAction:
		if p.Action != nil {
			return p.Action()
		}
	}
	return nil
}

// Commit applies the text being typed, unless the property refuses it:
// then it stays in the field with the reason shown.
func (l *PropList) Commit() tea.Cmd {
	p, ok := l.Selected()
	if !ok {
		return nil
	}
	if !l.start.edited(&l.input) {
		// Nothing typed: the value stays exactly as stored, even where the
		// input could not hold it as it is.
		l.editing, l.err = false, ""
		l.input.Blur()
		return nil
	}
	v := l.start.value(&l.input) // what the input cannot hold is kept
	dropped := l.start.dropped(&l.input)
	if p.Validate != nil {
		if msg := p.Validate(v); msg != "" {
			l.err = msg
			return nil // keep editing: nothing typed is lost
		}
	}
	if err := p.SetText(v); err != nil {
		l.err = err.Error()
		return nil
	}
	l.editing, l.err = false, ""
	l.input.Blur()
	if len(dropped) > 0 {
		return ui.Status(droppedNote(dropped))
	}
	return nil
}

// labelWidth is the width of the label column.
func (l *PropList) labelWidth() int {
	return min(l.widestLabel(), max(8, l.width/2))
}

// fitInput makes the input as wide as its line leaves it, its cursor
// included, so that it scrolls rather than being cut with an ellipsis. It
// is set before every keystroke reaches the input, which scrolls by it.
func (l *PropList) fitInput() { l.input.SetWidth(max(1, l.width-l.labelWidth()-5)) }

// View renders the list with the label column aligned. Only the lines
// that fit are drawn.
func (l *PropList) View() string {
	s := &l.common.Styles
	labelW := l.labelWidth()
	// Hint and error lines for the selected property.
	var foot []string
	if l.err != "" {
		foot = append(foot, ui.Truncate(s.StatusErr.Render("  ✗ "+ui.Shown(l.err)), l.width))
	}
	if p, ok := l.Selected(); ok && !l.editing {
		if d, ok := l.problem(p); ok {
			for _, m := range strings.Split(ansi.Wrap(ui.Shown(d.Message), max(10, l.width-4), ""), "\n") {
				foot = append(foot, ui.Truncate(ui.SevStyle(s, d.Severity).Render("  "+m), l.width))
			}
		}
	}
	if l.editing {
		if note := l.start.note(&l.input); note != "" {
			for _, m := range strings.Split(ansi.Wrap(note, max(10, l.width-4), ""), "\n") {
				foot = append(foot, ui.Truncate(s.Warning.Render("  "+m), l.width))
			}
		}
		foot = append(foot, ui.Truncate(s.Key.Render("  typing: enter applies, esc cancels"), l.width))
	} else if p, ok := l.Selected(); ok && p.Hint != nil {
		if h := p.Hint(); h != "" { // two lines: a hint cut short loses its meaning
			for _, m := range WrapLines(ui.Shown(h), max(10, l.width-4), 2) {
				foot = append(foot, ui.Truncate(s.Dim.Render("  "+m), l.width))
			}
		}
	}
	avail := max(1, l.height-len(foot)-1)
	l.offset = ScrollToCursor(l.Cursor, l.offset, avail)
	// Keep a section's heading in view above its first line.
	if l.offset > 0 && l.offset == l.Cursor && avail > 1 && l.props[l.offset-1].Kind == PropHeading {
		l.offset--
	}
	l.offset = max(0, min(l.offset, max(0, len(l.props)-avail)))
	end := min(len(l.props), l.offset+avail)
	rows := make([]string, 0, end-l.offset)
	for i := l.offset; i < end; i++ {
		rows = append(rows, l.row(i, labelW))
	}
	out := strings.Join(rows, "\n")
	if len(foot) > 0 {
		out += "\n\n" + strings.Join(foot, "\n")
	}
	return out
}

// row draws line i with labels labelW wide.
func (l *PropList) row(i, labelW int) string {
	s := &l.common.Styles
	p := l.props[i]
	// Labels are plain text and may be a config's member names.
	label := ui.PadRight(ui.Shown(p.Label), labelW)
	var val string
	room := l.width - labelW - 4 // what the value may take on the line
	editing := l.editing && i == l.Cursor
	if editing {
		val = ui.ShownInput(l.input.View())
	} else if p.Value != nil {
		val = p.Value()
	}
	if d, ok := l.problem(p); ok && p.Kind != PropHeading && !editing {
		// The mark says what is wrong: a long value gives way to it.
		mark := "  " + ui.SevStyle(s, d.Severity).Render(ui.SevMark(d.Severity)+" "+d.Code)
		val = ui.Truncate(val, max(1, room-lipgloss.Width(mark))) + mark
	}
	line := "  " + label + "  " + val
	if i == l.Cursor {
		line = s.Cursor.Render("▸ ") + s.Selected.Render(label) + "  " + val
	}
	if p.Kind == PropInfo {
		line = "  " + s.Dim.Render(label) + "  " + s.Dim.Render(val)
	}
	if p.Kind == PropHeading {
		line = s.Header.Render(ui.Shown(p.Label))
		if val != "" {
			line += "  " + s.Dim.Render(val)
		}
	}
	return ui.Truncate(line, l.width)
}

// widestLabel is the widest label but the headings', measured once per
// list of lines.
func (l *PropList) widestLabel() int {
	if len(l.props) > 0 && len(l.labelsOf) == len(l.props) && &l.labelsOf[0] == &l.props[0] {
		return l.labelW
	}
	w := 0
	for _, p := range l.props {
		if p.Kind != PropHeading {
			w = max(w, lipgloss.Width(ui.Shown(p.Label)))
		}
	}
	l.labelW, l.labelsOf = w, l.props
	return w
}

// Helpers that build common properties.

// chosenRoom is the most a list of chosen values takes on a property's
// line: what an 80-column terminal leaves beside the labels.
const chosenRoom = 48

// problem is the worst diagnostic about a property: at its path or inside
// it. Errors come before warnings; notes are not marked.
func (l *PropList) problem(p Prop) (flow.Diagnostic, bool) {
	if l.doc == nil {
		return flow.Diagnostic{}, false
	}
	return l.doc.Problem(p.Path)
}

// UpdatePropList refreshes list with the properties build gives and lets
// it handle msg; esc closes the screen. handled=false leaves msg to the
// screen.
func UpdatePropList(c *ui.Common, list *PropList, build func() []Prop, msg tea.Msg) (cmd tea.Cmd, handled bool) {
	list.SetProps(build())
	if cmd, handled := list.Update(msg); handled {
		if list.follow != "" {
			list.SetProps(build()) // the toggled property may have moved: the cursor goes with it now
		}
		return cmd, true
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && key.Matches(km, c.Keys.Back) {
		return ui.Pop, true
	}
	return nil, false
}
