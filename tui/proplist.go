package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/flow"
)

// propKind is how a property is edited.
type propKind int

const (
	propToggle  propKind = iota // space/enter flips it
	propText                    // enter edits inline; enter commits, esc cancels
	propPick                    // enter opens a picker (single or multiple)
	propAction                  // enter runs an action
	propInfo                    // read-only line
	propHeading                 // a section title; the cursor skips it
)

// prop is one editable line of a property list. The closures read and
// write the document through flow methods; each write is one undo step.
type prop struct {
	label string
	path  string // the JSON Pointer it edits, for jumps from diagnostics
	kind  propKind
	value func() string // shown value
	hint  func() string // live hint under the list when selected

	toggle func() error // propToggle
	// toggled, if set, is the status after a toggle (what it did).
	toggled func() string

	text     func() string       // propText: the text to start editing from
	setText  func(string) error  // propText
	validate func(string) string // propText: a message when the text is not acceptable

	pick func() Screen // propPick: the picker to open

	action func() tea.Cmd // propAction

	// open, when set, is what enter does (space keeps the kind's action),
	// e.g. a toggle line that also opens a screen of details.
	open func() tea.Cmd

	// keys handles keys the list itself does not use (d, c, K/J, ...)
	// while this property is selected; handled=false passes them on.
	keys func(km tea.KeyPressMsg) (cmd tea.Cmd, handled bool)
}

// propList is a navigable list of properties with inline text editing.
type propList struct {
	common  *Common
	doc     *Doc // for the problems of each property
	props   []prop
	cursor  int
	offset  int
	width   int
	height  int
	editing bool
	input   textinput.Model
	err     string
	// follow is the label of a property just toggled: a toggle can move
	// it (a KYB field turned on joins the collected ones), and the cursor
	// goes with it when the list is next rebuilt.
	follow string
}

// newPropList makes a list of properties of doc, whose problems it marks
// on the properties they are about (doc may be nil).
func newPropList(c *Common, doc *Doc) *propList {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 2048
	return &propList{common: c, doc: doc, input: ti}
}

func (l *propList) setProps(props []prop) {
	l.props = props
	if l.follow != "" {
		if i := slices.IndexFunc(props, func(p prop) bool { return p.label == l.follow && p.kind != propHeading }); i >= 0 {
			l.cursor = i
		}
		l.follow = ""
	}
	l.cursor = min(l.cursor, max(0, len(props)-1))
	l.skipHeading(1)
}

// skipHeading moves the cursor off a heading, in direction d first.
func (l *propList) skipHeading(d int) {
	for _, dir := range []int{d, -d} {
		for i := l.cursor; i >= 0 && i < len(l.props); i += dir {
			if l.props[i].kind != propHeading {
				l.cursor = i
				return
			}
		}
	}
}

func (l *propList) SetSize(w, h int) {
	l.width, l.height = w, h
	l.input.SetWidth(max(10, w-24))
}

// Capturing reports whether the list is taking typed text.
func (l *propList) Capturing() bool { return l.editing }

// EditingText reports whether a property's text is being typed: the help
// bar then shows how to apply or cancel it.
func (l *propList) EditingText() bool { return l.editing }

// focusPath moves the cursor to the property editing path (or the nearest
// one that contains it).
func (l *propList) focusPath(path string) bool {
	best, bestLen := -1, -1
	for i, p := range l.props {
		if p.path != "" && (path == p.path || strings.HasPrefix(path, p.path+"/")) && len(p.path) > bestLen {
			best, bestLen = i, len(p.path)
		}
	}
	if best >= 0 {
		l.cursor = best
	}
	return best >= 0
}

func (l *propList) selected() (prop, bool) {
	if l.cursor < 0 || l.cursor >= len(l.props) {
		return prop{}, false
	}
	return l.props[l.cursor], true
}

// Update handles keys for the list; it returns handled=false for keys it
// leaves to the screen.
func (l *propList) Update(msg tea.Msg) (tea.Cmd, bool) {
	k := l.common.Keys
	if l.editing {
		if km, ok := msg.(tea.KeyPressMsg); ok {
			switch km.String() {
			case "enter":
				return l.commit(), true
			case "esc":
				l.editing, l.err = false, ""
				l.input.Blur()
				return nil, true
			}
		}
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		if p, ok := l.selected(); ok && p.validate != nil {
			l.err = p.validate(l.input.Value())
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
		l.cursor = 0
		l.skipHeading(1)
	case key.Matches(km, k.End):
		l.cursor = max(0, len(l.props)-1)
		l.skipHeading(-1)
	case key.Matches(km, k.Enter), key.Matches(km, k.Toggle):
		return l.activate(key.Matches(km, k.Toggle)), true
	default:
		if p, ok := l.selected(); ok && p.keys != nil {
			return p.keys(km)
		}
		return nil, false
	}
	return nil, true
}

// move goes to the next property in direction d, stopping at the ends
// as every list does (wrapping round would put enter on a far property).
func (l *propList) move(d int) {
	for i := l.cursor + d; i >= 0 && i < len(l.props); i += d {
		if l.props[i].kind != propHeading {
			l.cursor = i
			return
		}
	}
}

func (l *propList) activate(space bool) tea.Cmd {
	p, ok := l.selected()
	if !ok {
		return nil
	}
	if !space && p.open != nil {
		return p.open()
	}
	switch p.kind {
	case propToggle:
		if err := p.toggle(); err != nil {
			return statusErr(err)
		}
		l.follow = p.label
		if p.toggled != nil {
			return status(p.toggled())
		}
	case propText:
		if space {
			return nil
		}
		l.editing, l.err = true, ""
		l.input.SetValue(p.text())
		l.input.CursorEnd()
		return l.input.Focus()
	case propPick:
		return push(p.pick())
	case propAction:
		if p.action != nil {
			return p.action()
		}
	}
	return nil
}

func (l *propList) commit() tea.Cmd {
	p, ok := l.selected()
	if !ok {
		return nil
	}
	v := l.input.Value()
	if p.validate != nil {
		if msg := p.validate(v); msg != "" {
			l.err = msg
			return nil // keep editing: nothing typed is lost
		}
	}
	if err := p.setText(v); err != nil {
		l.err = err.Error()
		return nil
	}
	l.editing, l.err = false, ""
	l.input.Blur()
	return nil
}

// View renders the list with the label column aligned.
func (l *propList) View() string {
	s := &l.common.Styles
	labelW := 0
	for _, p := range l.props {
		if p.kind != propHeading {
			labelW = max(labelW, lipgloss.Width(p.label))
		}
	}
	labelW = min(labelW, max(8, l.width/2))
	rows := make([]string, 0, len(l.props))
	for i, p := range l.props {
		label := fmt.Sprintf("%-*s", labelW, p.label)
		var val string
		if l.editing && i == l.cursor {
			val = l.input.View()
		} else if p.value != nil {
			val = p.value()
		}
		if d, ok := l.problem(p); ok && p.kind != propHeading {
			val += "  " + sevStyle(s, d.Severity).Render(sevMark(d.Severity)+" "+d.Code)
		}
		line := "  " + label + "  " + val
		if i == l.cursor {
			line = s.Cursor.Render("▸ ") + s.Selected.Render(label) + "  " + val
		}
		if p.kind == propInfo {
			line = "  " + s.Dim.Render(label) + "  " + s.Dim.Render(val)
		}
		if p.kind == propHeading {
			line = s.Header.Render(p.label)
			if val != "" {
				line += "  " + s.Dim.Render(val)
			}
		}
		rows = append(rows, truncate(line, l.width))
	}
	// Hint and error lines for the selected property.
	var foot []string
	if l.err != "" {
		foot = append(foot, truncate(s.StatusErr.Render("  ✗ "+l.err), l.width))
	}
	if p, ok := l.selected(); ok && !l.editing {
		if d, ok := l.problem(p); ok {
			for _, m := range strings.Split(ansi.Wrap(d.Message, max(10, l.width-4), ""), "\n") {
				foot = append(foot, truncate(sevStyle(s, d.Severity).Render("  "+m), l.width))
			}
		}
	}
	if l.editing {
		foot = append(foot, truncate(s.Key.Render("  typing: enter applies, esc cancels"), l.width))
	} else if p, ok := l.selected(); ok && p.hint != nil {
		if h := p.hint(); h != "" {
			foot = append(foot, truncate(s.Dim.Render("  "+h), l.width))
		}
	}
	avail := max(1, l.height-len(foot)-1)
	l.offset = scrollToCursor(l.cursor, l.offset, avail)
	// Keep a section's heading in view above its first line.
	if l.offset > 0 && l.offset == l.cursor && avail > 1 && l.props[l.offset-1].kind == propHeading {
		l.offset--
	}
	l.offset = max(0, min(l.offset, max(0, len(rows)-avail)))
	end := min(len(rows), l.offset+avail)
	out := strings.Join(rows[l.offset:end], "\n")
	if len(foot) > 0 {
		out += "\n\n" + strings.Join(foot, "\n")
	}
	return out
}

// Helpers that build common properties.

// boolValue renders a boolean property, showing when it is the default.
func boolValue(s *Styles, v *flow.Value, def bool) string {
	b, ok := v.Bool()
	switch {
	case !ok && v != nil:
		return s.Error.Render("not a boolean: " + string(flow.MarshalCompact(v)))
	case !ok:
		return checkbox(def) + s.Dim.Render(" (default)")
	}
	return checkbox(b)
}

func checkbox(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

// listValue renders a list of strings, "all" when empty or absent.
func listValue(s *Styles, v *flow.Value, empty string) string {
	items := flow.Strings(v)
	if len(items) == 0 {
		return s.Dim.Render(empty)
	}
	return strings.Join(items, ", ")
}

// textValue renders a string property, dim "—" when unset.
func textValue(s *Styles, v *flow.Value) string {
	switch {
	case v == nil || v.Is(flow.Null):
		return s.Dim.Render("—")
	case v.Is(flow.String):
		str, _ := v.Str()
		return str
	case v.Is(flow.Object):
		t := flow.Text{V: v}
		return fmt.Sprintf("%s %s", t.In("en"), s.Dim.Render(fmt.Sprintf("(%d languages)", len(t.Langs()))))
	}
	return s.Error.Render(string(flow.MarshalCompact(v)))
}

// problem is the worst diagnostic about a property: at its path or inside
// it. Errors come before warnings; notes are not marked.
func (l *propList) problem(p prop) (flow.Diagnostic, bool) {
	if l.doc == nil || p.path == "" {
		return flow.Diagnostic{}, false
	}
	var found flow.Diagnostic
	ok := false
	for _, d := range l.doc.Diags {
		if d.Severity == flow.SevInfo || (d.Path != p.path && !strings.HasPrefix(d.Path, p.path+"/")) {
			continue
		}
		if !ok || (d.Severity == flow.SevError && found.Severity != flow.SevError) {
			found, ok = d, true
		}
	}
	return found, ok
}

// sevMark is the sign of a severity, as the header counts show it.
func sevMark(s flow.Severity) string {
	switch s {
	case flow.SevError:
		return "✗"
	case flow.SevWarning:
		return "⚠"
	}
	return "ℹ"
}
