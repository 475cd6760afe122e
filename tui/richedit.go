package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
)

// richStepEditor returns the dedicated editor of a KYB, questionnaire or
// video-call step, or nil when the type has none (the step then opens as
// read-only JSON).
func richStepEditor(c *Common, doc *Doc, p flow.StepPath, focus string) Screen {
	s, ok := doc.Config.StepAt(p)
	if !ok {
		return nil
	}
	switch s.Type() {
	case "company":
		return newKYBCompanyEditor(c, doc, p, focus)
	case "beneficiaries":
		return newKYBBeneficiariesEditor(c, doc, p, focus)
	case "kyb-review":
		return newKYBReviewEditor(c, doc, p, focus)
	case "user-questionnaire", "operator-questionnaire":
		return newQuestionnaireEditor(c, doc, p, focus)
	case "video-call":
		// A call inside a call is an error the validator reports; its JSON
		// view is the honest way to show it.
		if !p.Nested() {
			return newVideoCallEditor(c, doc, p, focus)
		}
	}
	return nil
}

// stepScreen is what the rich editors share: the step they edit, found
// afresh in the document on every use because edits may move it and undo
// swaps the whole config.
type stepScreen struct {
	common *Common
	doc    *Doc
	path   flow.StepPath
	typ    string
	obj    *flow.Value // the step object last seen at path
	width  int
	height int
}

func newStepScreen(c *Common, doc *Doc, p flow.StepPath) stepScreen {
	s, _ := doc.Config.StepAt(p)
	return stepScreen{common: c, doc: doc, path: p, typ: s.Type(), obj: s.V}
}

// step returns the edited step; ok is false when it is gone or another
// step took its place (after an undo). A step that moved (the KYB order
// fix, from this screen or one above it) is followed to its new place.
func (b *stepScreen) step() (flow.Step, bool) {
	s, ok := b.doc.Config.StepAt(b.path)
	if ok && s.V == b.obj {
		return s, true
	}
	found := false
	b.doc.Config.WalkSteps(func(p flow.StepPath, st flow.Step) {
		if !found && st.V == b.obj {
			b.path, s, found = p, st, true
		}
	})
	if found {
		return s, true
	}
	// Undo and redo replace the document with a copy: trust the place when
	// it still holds a step of the same type.
	if ok && s.Type() == b.typ {
		b.obj = s.V
		return s, true
	}
	return flow.Step{}, false
}

// hasStep reports whether the edited step is still there.
func (b *stepScreen) hasStep() bool {
	_, ok := b.step()
	return ok
}

// edit applies fn to the step as one undoable edit.
func (b *stepScreen) edit(label string, fn func(s flow.Step) error) error {
	if _, ok := b.step(); !ok {
		return fmt.Errorf("the step is gone")
	}
	return b.doc.Edit(label, func(c *flow.Config) error {
		s, ok := c.StepAt(b.path)
		if !ok || s.Type() != b.typ {
			return fmt.Errorf("the step is gone")
		}
		return fn(s)
	})
}

func (b *stepScreen) title() string {
	s, _ := b.step()
	return fmt.Sprintf("%s step %q", s.Type(), s.EffectiveKey())
}

// heading is the first line of a step editor: the type's title and summary.
func (b *stepScreen) heading() string {
	st := &b.common.Styles
	spec, _ := flow.LookupStep(b.typ)
	return truncate(st.Title.Render(spec.Title)+st.Dim.Render(" — "+spec.Summary), b.width)
}

// stepTextProp is a step's localized title, description or button label,
// opening the localized-text editor.
func (b *stepScreen) stepTextProp(field, doc string) prop {
	path := b.path
	typ := b.typ
	spec, _ := flow.LookupStep(typ)
	s, _ := b.step()
	ref := textRef{
		plain: !spec.Localized,
		what:  fmt.Sprintf("%s of step %q", field, s.EffectiveKey()),
		get: func(c *flow.Config) (*flow.Value, bool) {
			s, ok := c.StepAt(path)
			if !ok || s.Type() != typ {
				return nil, false
			}
			return s.V.Get(field), true
		},
		set: func(c *flow.Config, v *flow.Value) error {
			s, ok := c.StepAt(path)
			if !ok || s.Type() != typ {
				return fmt.Errorf("the step is gone")
			}
			s.Set(field, v)
			return nil
		},
	}
	return localizedProp(b.common, b.doc, field, path.Pointer()+"/"+field, doc, ref)
}

// keyAndTextProps are the first lines of a KYB or questionnaire editor:
// the step's key, title and description.
func (b *stepScreen) keyAndTextProps(aboutTitle string) []prop {
	return []prop{
		keyProp(b.common, b.doc, b.path),
		b.stepTextProp("title", aboutTitle),
		b.stepTextProp("description", "text under the title"),
	}
}

// questionAt returns question qi of the edited step; ok is false once
// the step or the question is gone, or when it is not an object.
func (b *stepScreen) questionAt(qi int) (flow.Question, bool) {
	s, ok := b.step()
	if !ok {
		return flow.Question{}, false
	}
	v := s.QuestionsValue().Item(qi)
	if !v.Is(flow.Object) {
		return flow.Question{}, false
	}
	return flow.Question{V: v}, true
}

// listRowKeys are d (remove), c (duplicate) and K/J (move) on row i of an
// editable list.
func listRowKeys(c *Common, i int, remove, duplicate func(i int) tea.Cmd, move func(i, delta int) tea.Cmd) func(tea.KeyPressMsg) (tea.Cmd, bool) {
	return func(km tea.KeyPressMsg) (tea.Cmd, bool) {
		k := c.Keys
		switch {
		case key.Matches(km, k.Delete):
			return remove(i), true
		case key.Matches(km, k.Duplicate):
			return duplicate(i), true
		case key.Matches(km, k.MoveUp):
			return move(i, -1), true
		case key.Matches(km, k.MoveDown):
			return move(i, 1), true
		}
		return nil, false
	}
}

// kybOrderHint is the warning line the KYB editors show while the KYB
// steps are out of order, or "".
func (b *stepScreen) kybOrderHint() string {
	st := &b.common.Styles
	for _, d := range b.doc.Diags {
		if d.Code != flow.CodeKYBOrder {
			continue
		}
		if b.canReorderKYB() {
			return truncate(st.Warning.Render("⚠ KYB steps out of order")+st.Dim.Render(" · o puts them in order: company → beneficiaries → kyb-review"), b.width)
		}
		return truncate(st.Warning.Render("⚠ "+d.Message), b.width)
	}
	return ""
}

// canReorderKYB reports whether the o key would change the flow: the
// steps are out of order, not merely missing a company step.
func (b *stepScreen) canReorderKYB() bool { return b.doc.KYBReorderable() }

// reorderKYB is the o key of the KYB editors.
func (b *stepScreen) reorderKYB() tea.Cmd {
	if _, ok := b.step(); !ok {
		return nil
	}
	if !b.canReorderKYB() {
		for _, d := range b.doc.Diags {
			if d.Code == flow.CodeKYBOrder {
				return status("o cannot fix this: " + d.Message)
			}
		}
		return status("the KYB steps are already in order")
	}
	_ = b.doc.Edit("put KYB steps in order", func(c *flow.Config) error {
		c.ReorderKYB()
		return nil
	})
	b.step() // follow the step to its new place
	return status("KYB steps now run company → beneficiaries → kyb-review · u to undo")
}

// reorderKey is the binding shown for the KYB reorder fix.
func reorderKey() key.Binding {
	return key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "fix KYB order"))
}

// headingProp is a section title line with a dim note.
func headingProp(label, note string) prop {
	return prop{label: label, kind: propHeading, value: func() string { return note }}
}

// unknownMembers lists members of obj that known does not name, read-only,
// so nothing in the file is hidden.
func unknownMembers(s *Styles, obj *flow.Value, base string, known ...string) []prop {
	var props []prop
	for _, m := range obj.Members() {
		if slices.Contains(known, m.Name) {
			continue
		}
		v := m.Value
		props = append(props, prop{label: m.Name, kind: propInfo, path: base + flow.Pointer(m.Name),
			value: func() string { return string(flow.MarshalCompact(v)) + " (not edited here, kept)" }})
	}
	return props
}

// textEntry is a one-line prompt screen: enter hands the text to done,
// esc cancels. check, when set, explains why a text cannot be accepted.
type textEntry struct {
	common *Common
	title  string
	note   string
	input  textinput.Model
	check  func(string) string
	done   func(string) tea.Cmd
	err    string
	width  int
	height int
}

func newTextEntry(c *Common, title, note, initial string, check func(string) string, done func(string) tea.Cmd) *textEntry {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 2048
	in.SetValue(initial)
	in.CursorEnd()
	return &textEntry{common: c, title: title, note: note, input: in, check: check, done: done}
}

func (t *textEntry) Init() tea.Cmd { return t.input.Focus() }

func (t *textEntry) Title() string   { return t.title }
func (t *textEntry) Capturing() bool { return true }
func (t *textEntry) SetSize(w, h int) {
	t.width, t.height = w, h
	t.input.SetWidth(max(10, w-4))
}

func (t *textEntry) ShortHelp() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

func (t *textEntry) FullHelp() [][]key.Binding { return [][]key.Binding{t.ShortHelp()} }

func (t *textEntry) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "esc":
			return t, pop
		case "enter":
			v := t.input.Value()
			if t.check != nil {
				if e := t.check(v); e != "" {
					t.err = e
					return t, nil
				}
			}
			return t, tea.Sequence(pop, t.done(v))
		}
	}
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	if t.check != nil {
		t.err = t.check(t.input.Value())
	}
	return t, cmd
}

func (t *textEntry) View() string {
	s := &t.common.Styles
	lines := []string{truncate(s.Title.Render(t.title), t.width)}
	if t.note != "" {
		lines = append(lines, truncate(s.Dim.Render(t.note), t.width))
	}
	lines = append(lines, "", "  "+t.input.View())
	if t.err != "" {
		lines = append(lines, "", truncate(s.StatusErr.Render("  ✗ "+t.err), t.width))
	}
	return strings.Join(lines, "\n")
}

// fullHelp is a rich editor's full help: its own keys, then moving about,
// then history and saving. Its short help leaves the movement keys out so
// its own fit the help bar at 80 columns.
func fullHelp(k KeyMap, own []key.Binding) [][]key.Binding {
	return [][]key.Binding{own, {k.Up, k.Down, k.Home, k.End}, {k.Undo, k.Redo, k.Save, k.SaveAs}}
}
