package editor

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// optionsEditor lists a choice question's options: a adds one (its key
// suggested from the title), d removes, c duplicates, K/J move, enter
// opens one. Option keys are unique in the whole questionnaire.
type optionsEditor struct {
	propScreen
	qi int
}

func newOptionsEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, qi int) *optionsEditor {
	e := &optionsEditor{propScreen: newPropScreen(c, doc, p, 2), qi: qi}
	e.build, e.header = e.props, e.headLines
	e.alive = func() bool { _, ok := e.question(); return ok }
	e.show("")
	return e
}

func (e *optionsEditor) question() (flow.Question, bool) { return e.questionAt(e.qi) }

func (e *optionsEditor) Title() string {
	q, _ := e.question()
	return fmt.Sprintf("options of question %q", q.Key())
}

func (e *optionsEditor) ShortHelp() []key.Binding {
	k := e.common.Keys
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")),
		k.Add, k.Delete, k.Duplicate, k.MoveUp, k.MoveDown, k.Back}
}

func (e *optionsEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *optionsEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if cmd, handled := e.update(msg); handled {
		return e, cmd
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && key.Matches(km, e.common.Keys.Add) {
		return e, e.add()
	}
	return e, nil
}

func (e *optionsEditor) headLines() []string {
	q, _ := e.question()
	st := &e.common.Styles
	head := st.Title.Render("Options of "+ui.Shown(q.Key())) + st.Dim.Render(" — keys are unique within the question")
	return []string{ui.Truncate(head, e.width), ""}
}

func (e *optionsEditor) base() string {
	return e.path.Pointer() + flow.Pointer("questions", e.qi, "options")
}

func (e *optionsEditor) props() []widget.Prop {
	q, ok := e.question()
	if !ok {
		return nil
	}
	st := &e.common.Styles
	opts := q.Options()
	if len(opts) == 0 {
		return []widget.Prop{{Label: "(none yet)", Kind: widget.PropInfo, Value: func() string { return "a adds the first option" }}}
	}
	props := make([]widget.Prop, 0, len(opts))
	for i, o := range opts {
		label := o.Key()
		if !o.V.Is(flow.Object) {
			label = "(not an option)"
		} else if label == "" {
			label = "(no key)"
		}
		props = append(props, widget.Prop{
			Label: label, Kind: widget.PropAction, Path: e.base() + flow.Pointer(i),
			Value: func() string {
				if !o.V.Is(flow.Object) {
					return st.Error.Render(compactJSON(o.V))
				}
				return widget.LocalizedValue(st, o.V.Get("title"), e.doc)
			},
			Hint: func() string { return "enter edits · d removes · c duplicates · K/J move" },
			Action: func() tea.Cmd {
				if !o.V.Is(flow.Object) {
					return ui.Status("this entry is not an option object; d removes it")
				}
				return ui.Push(newOptionEditor(e.common, e.doc, e.path, e.qi, i))
			},
			Keys: listRowKeys(e.common, i, e.remove, e.duplicate, e.move),
		})
	}
	return props
}

func (e *optionsEditor) editStep(label string, fn func(s flow.Step) error) error {
	return e.edit(label, fn)
}

// add asks for new options after the one under the cursor, each in
// every language in turn, until enter is pressed with nothing typed; their
// keys follow from their titles.
func (e *optionsEditor) add() tea.Cmd {
	at := len(func() []flow.Option { q, _ := e.question(); return q.Options() }())
	if p, ok := e.list.Selected(); ok && p.Kind == widget.PropAction {
		at = e.list.Cursor + 1
	}
	asker := newOptionAsker(&e.stepScreen, e.qi, func(oi int) {
		e.list.SetProps(e.props())
		e.list.Cursor = oi
	}).startAt(at)
	return ui.Push(asker.ask())
}

func (e *optionsEditor) remove(i int) tea.Cmd {
	q, _ := e.question()
	k := q.Options()[i].Key()
	if err := e.editStep(fmt.Sprintf("remove option %q", k), func(s flow.Step) error { _, err := s.RemoveOption(e.qi, i); return err }); err != nil {
		return ui.StatusErr(err)
	}
	note := fmt.Sprintf("removed option %q", k)
	if s, ok := e.step(); ok && optionUsed(s, q.Key(), k) {
		note += " (the answers or conditions naming it are now flagged)"
	}
	return ui.Status(note + " · u to undo")
}

// optionUsed reports whether a preset answer of question qKey or a
// condition on it names option key k.
func optionUsed(s flow.Step, qKey, k string) bool {
	for _, q := range s.Questions() {
		if q.Key() == qKey && (slices.Contains(flow.Strings(q.V.Get("answer")), k) || stringIs(q.V.Get("answer"), k)) {
			return true
		}
		if ck, ans, ok := q.Condition(); ok && ck == qKey && ans == k {
			return true
		}
	}
	return false
}

func stringIs(v *flow.Value, s string) bool {
	str, ok := v.Str()
	return ok && str == s
}

func (e *optionsEditor) duplicate(i int) tea.Cmd {
	dup := -1
	err := e.editStep("duplicate option", func(s flow.Step) error {
		var err error
		dup, err = s.DuplicateOption(e.qi, i)
		return err
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	e.list.Cursor = dup
	return nil
}

func (e *optionsEditor) move(i, delta int) tea.Cmd {
	to, moved := i, false
	_ = e.editStep("move option", func(s flow.Step) error {
		to, moved = s.MoveOption(e.qi, i, delta)
		return nil
	})
	if moved {
		e.list.Cursor = to
	}
	return nil
}

// optionEditor edits one option: its key (renaming it renames the preset
// answers and conditions that name it) and its localized title.
type optionEditor struct {
	propScreen
	qi, oi int
}

func newOptionEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, qi, oi int) *optionEditor {
	e := &optionEditor{propScreen: newPropScreen(c, doc, p, 2), qi: qi, oi: oi}
	e.build, e.header = e.props, e.headLines
	e.alive = func() bool { _, ok := e.option(); return ok }
	e.show("")
	return e
}

func (e *optionEditor) option() (flow.Option, bool) {
	q, ok := e.questionAt(e.qi)
	if !ok {
		return flow.Option{}, false
	}
	v := q.OptionsValue().Item(e.oi)
	return flow.Option{V: v}, v.Is(flow.Object)
}

func (e *optionEditor) Title() string {
	o, _ := e.option()
	return fmt.Sprintf("option %q", o.Key())
}

func (e *optionEditor) ShortHelp() []key.Binding {
	k := e.common.Keys
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")), k.Back}
}

func (e *optionEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *optionEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	cmd, _ := e.update(msg)
	return e, cmd
}

func (e *optionEditor) headLines() []string {
	o, _ := e.option()
	return []string{ui.Truncate(e.common.Styles.Title.Render("Option "+ui.Shown(o.Key())), e.width), ""}
}

// optionKeyTaken reports whether key names another option of the
// questionnaire than option oi of question qi.
func optionKeyTaken(s flow.Step, qi, oi int, key string) bool {
	for i, q := range s.Questions() {
		for j, o := range q.Options() {
			if o.Key() == key && (i != qi || j != oi) {
				return true
			}
		}
	}
	return false
}

func (e *optionEditor) props() []widget.Prop {
	o, ok := e.option()
	if !ok {
		return nil
	}
	base := e.path.Pointer() + flow.Pointer("questions", e.qi, "options", e.oi)
	lang := e.doc.Config.Language()
	keyProp := widget.Prop{
		Label: "key", Kind: widget.PropText, Path: base + "/key",
		Value: func() string { o, _ := e.option(); return ui.Shown(o.Key()) },
		Text:  func() string { o, _ := e.option(); return o.Key() },
		Hint: func() string {
			o, _ := e.option()
			h := "unique within this question; renaming updates preset answers and conditions"
			if sug := flow.KeyFromTitle(o.Title().In(lang)); sug != o.Key() && o.Title().In(lang) != "" {
				h += fmt.Sprintf(" · from the title: %q", sug)
			}
			return h
		},
		Validate: func(v string) string {
			v = strings.TrimSpace(v)
			s, _ := e.step()
			if v == "" {
				return "a key cannot be empty"
			}
			if optionKeyTaken(s, e.qi, e.oi, v) {
				return fmt.Sprintf("%q is already an option key in this questionnaire", v)
			}
			return ""
		},
		SetText: func(v string) error {
			v = strings.TrimSpace(v)
			return e.edit("rename option", func(s flow.Step) error { return s.RenameOption(e.qi, e.oi, v) })
		},
	}
	path, typ, qi, oi := e.path, e.typ, e.qi, e.oi
	holder := func(c *flow.Config) (*flow.Value, bool) {
		s, ok := c.StepAt(path)
		if !ok || s.Type() != typ {
			return nil, false
		}
		v := flow.Question{V: s.QuestionsValue().Item(qi)}.OptionsValue().Item(oi)
		return v, v.Is(flow.Object)
	}
	ref := widget.TextRef{
		What: fmt.Sprintf("title of option %q", o.Key()),
		Get: func(c *flow.Config) (*flow.Value, bool) {
			v, ok := holder(c)
			return v.Get("title"), ok
		},
		Set: func(c *flow.Config, t *flow.Value) error {
			v, ok := holder(c)
			if !ok {
				return fmt.Errorf("the option is gone")
			}
			if t == nil {
				v.Delete("title")
				return nil
			}
			v.Set("title", t, []string{"key", "title"})
			return nil
		},
	}
	props := []widget.Prop{keyProp, widget.LocalizedProp(e.common, e.doc, "title", base+"/title", "the option's label", ref)}
	return append(props, unknownMembers(e.common, e.doc, o.V, base, "key", "title")...)
}
