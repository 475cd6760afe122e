package editor

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// questionEditor edits one question, showing only the properties its
// type has (and any others the file gives it, flagged, so nothing hides).
type questionEditor struct {
	propScreen
	qi    int
	focus string // the place it was opened at (a JSON Pointer)
}

// conditionTargetMsg continues the condition picker once the controlling
// question is chosen.
type conditionTargetMsg struct {
	ed  *questionEditor
	key string
}

func newQuestionEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, qi int, focus string) *questionEditor {
	e := &questionEditor{propScreen: newPropScreen(c, doc, p, 2), qi: qi, focus: focus}
	e.build, e.header = e.props, e.headLines
	e.alive = func() bool { _, ok := e.question(); return ok }
	e.show(focus)
	return e
}

// Init opens the option the question was opened at, if any.
func (e *questionEditor) Init() tea.Cmd {
	toks := flow.SplitPointer(strings.TrimPrefix(e.focus, e.base()))
	if len(toks) < 2 || toks[0] != "options" || !strings.HasPrefix(e.focus, e.base()+"/") {
		return nil
	}
	oi, err := strconv.Atoi(toks[1])
	if q, ok := e.question(); err != nil || !ok || !q.OptionsValue().Item(oi).Is(flow.Object) {
		return nil
	}
	oe := newOptionEditor(e.common, e.doc, e.path, e.qi, oi)
	oe.show(e.focus)
	return ui.Push(oe)
}

// question returns the edited question; ok is false once it is gone.
func (e *questionEditor) question() (flow.Question, bool) { return e.questionAt(e.qi) }

// member returns the question's member called name; nil when absent
// (or when the question is gone).
func (e *questionEditor) member(name string) *flow.Value {
	q, _ := e.question()
	return q.V.Get(name)
}

// editQuestion applies fn to the question as one undoable edit.
func (e *questionEditor) editQuestion(label string, fn func(s flow.Step, q flow.Question) error) error {
	return e.edit(label, func(s flow.Step) error {
		v := s.QuestionsValue().Item(e.qi)
		if !v.Is(flow.Object) {
			return fmt.Errorf("the question is gone")
		}
		return fn(s, flow.Question{V: v})
	})
}

func (e *questionEditor) Title() string {
	q, _ := e.question()
	s, _ := e.step()
	return fmt.Sprintf("question %q of %q", q.Key(), s.EffectiveKey())
}

func (e *questionEditor) ShortHelp() []key.Binding {
	k := e.common.Keys
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter/space", "change")),
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "clear")),
		k.Back}
}

func (e *questionEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *questionEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if m, ok := msg.(conditionTargetMsg); ok && m.ed == e && e.alive() {
		return e, e.pickConditionAnswer(m.key)
	}
	cmd, _ := e.update(msg)
	return e, cmd
}

func (e *questionEditor) headLines() []string {
	q, _ := e.question()
	st := &e.common.Styles
	head := st.Title.Render(fmt.Sprintf("Question %d", e.qi+1)) + st.Dim.Render(" — "+ui.Shown(q.Type())+": "+questionTypeLabels[q.Type()])
	return []string{ui.Truncate(head, e.width), ""}
}

func (e *questionEditor) base() string { return e.path.Pointer() + flow.Pointer("questions", e.qi) }

// questionLines builds the property lines of a question editor: each
// line's closures read and edit the question through the editor.
type questionLines struct{ *questionEditor }

func (e *questionEditor) props() []widget.Prop {
	q, ok := e.question()
	if !ok {
		return nil
	}
	l := questionLines{e}
	typ := q.Type()
	// A property the type uses, or one the question has anyway.
	shows := func(name string) bool { return flow.QuestionUses(typ, name) || q.V.Has(name) }
	props := []widget.Prop{l.typeProp(), l.keyProp(), l.textProp("title", "the question")}
	if shows("description") {
		props = append(props, l.textProp("description", "text under the question"))
	}
	for _, name := range []string{"mandatory", "readOnly"} {
		if shows(name) {
			props = append(props, l.boolProp(name))
		}
	}
	if shows("options") {
		props = append(props, l.optionsProp())
	}
	if shows("answer") {
		props = append(props, l.answerProp())
	}
	if shows("multiple") {
		props = append(props, l.boolProp("multiple"))
	}
	if shows("fileTypes") {
		props = append(props, l.fileTypesProp())
	}
	if shows("filesMaxCount") {
		props = append(props, l.maxCountProp())
	}
	props = append(props, l.conditionProp())
	// Mark what this type does not use, so it can be removed with d.
	for i := range props {
		name := props[i].Label
		// description is documented for file questions, yet harmless on others.
		if name == "show when" || name == "type" || name == "key" || name == "title" || name == "description" || flow.QuestionUses(typ, name) {
			continue
		}
		p := &props[i]
		value := p.Value
		p.Value = func() string { return value() + e.common.Styles.Warning.Render("  ⚠ not used by "+ui.Shown(typ)) }
		p.Hint = func() string { return fmt.Sprintf("a %s question does not use %s; d removes it", typ, name) }
		p.Keys = removeKey(e.common, e.doc, func() error { return e.removeProp(name) })
	}
	known := []string{"type", "key", "title", "description", "mandatory", "readOnly", "answer", "options", "multiple", "fileTypes", "filesMaxCount", "showConditions"}
	return append(props, unknownMembers(e.common, e.doc, q.V, e.base(), known...)...)
}

func (e *questionEditor) removeProp(name string) error {
	return e.editQuestion("remove "+name, func(_ flow.Step, q flow.Question) error { q.Set(name, nil); return nil })
}

// typeProp changes the question type; the other properties stay (the
// ones the new type does not use are flagged).
func (e questionLines) typeProp() widget.Prop {
	return widget.Prop{
		Label: "type", Kind: widget.PropPick, Path: e.base() + "/type",
		Value: func() string { q, _ := e.question(); return ui.Shown(q.Type()) },
		Hint:  func() string { return "enter changes the type" },
		Pick: func() ui.Screen {
			q, _ := e.question()
			items := make([]widget.PickItem, 0, 5)
			for _, t := range flow.QuestionTypes() {
				items = append(items, widget.PickItem{Value: t, Detail: questionTypeLabels[t]})
			}
			return widget.NewPicker(e.common, "question type", items, []string{q.Type()}, false, func(values []string) tea.Cmd {
				typ := values[0]
				lang := e.doc.Config.Language()
				err := e.editQuestion("change question type", func(s flow.Step, q flow.Question) error {
					q.Set("type", flow.NewString(typ))
					if flow.IsChoiceQuestion(typ) && len(q.Options()) == 0 && !q.V.Has("options") {
						_, err := s.AddOption(e.qi, 0, "", lang) // no text yet, in no language
						return err
					}
					return nil
				})
				return ui.StatusIfErr(err)
			})
		},
	}
}

func (e questionLines) keyProp() widget.Prop {
	return widget.Prop{
		Label: "key", Kind: widget.PropText, Path: e.base() + "/key",
		Value: func() string { q, _ := e.question(); return ui.Shown(q.Key()) },
		Text:  func() string { q, _ := e.question(); return q.Key() },
		Hint: func() string {
			s, _ := e.step()
			q, _ := e.question()
			if n := conditionsOn(s, q.Key()); n > 0 {
				return fmt.Sprintf("unique in the questionnaire; renaming updates the %d condition(s) on it", n)
			}
			return "unique in the questionnaire"
		},
		Validate: func(v string) string {
			v = strings.TrimSpace(v)
			s, _ := e.step()
			q, _ := e.question()
			if v == "" {
				return "a key cannot be empty"
			}
			if v != q.Key() && s.QuestionIndex(v) >= 0 {
				return fmt.Sprintf("%q is already a question of this questionnaire", v)
			}
			return ""
		},
		SetText: func(v string) error {
			v = strings.TrimSpace(v)
			return e.edit("rename question", func(s flow.Step) error { return s.RenameQuestion(e.qi, v) })
		},
	}
}

// questionTextRef addresses a localized text of question qi.
func questionTextRef(b *stepScreen, qi int, field, what string) widget.TextRef {
	path, typ := b.path, b.typ
	holder := func(c *flow.Config) (*flow.Value, bool) {
		s, ok := c.StepAt(path)
		if !ok || s.Type() != typ {
			return nil, false
		}
		q := s.QuestionsValue().Item(qi)
		return q, q.Is(flow.Object)
	}
	return widget.TextRef{
		What: what,
		Get: func(c *flow.Config) (*flow.Value, bool) {
			q, ok := holder(c)
			return q.Get(field), ok
		},
		Set: func(c *flow.Config, v *flow.Value) error {
			q, ok := holder(c)
			if !ok {
				return fmt.Errorf("the question is gone")
			}
			flow.Question{V: q}.Set(field, v)
			return nil
		},
	}
}

func (e questionLines) textProp(field, about string) widget.Prop {
	q, _ := e.question()
	ref := questionTextRef(&e.stepScreen, e.qi, field, fmt.Sprintf("%s of question %q", field, q.Key()))
	return widget.LocalizedProp(e.common, e.doc, field, e.base()+"/"+field, about, ref)
}

func (e questionLines) boolProp(name string) widget.Prop {
	docs := map[string]string{
		"mandatory": "an answer is required to go on",
		"readOnly":  "shown but cannot be changed (use with a preset answer)",
		"multiple":  "several options may be chosen from the dropdown",
	}
	return widget.Prop{
		Label: name, Kind: widget.PropToggle, Path: e.base() + "/" + name,
		Value: func() string { return widget.BoolValue(&e.common.Styles, e.member(name), false) },
		Hint: func() string {
			q, _ := e.question()
			if name == "readOnly" && q.Bool("readOnly") && q.Bool("mandatory") && !(q.V.Has("answer") && flow.QuestionUses(q.Type(), "answer")) {
				return "⚠ mandatory and read-only without a preset answer: nobody can answer it"
			}
			return docs[name]
		},
		Toggle: func() error {
			return e.editQuestion("toggle "+name, func(_ flow.Step, q flow.Question) error {
				q.Set(name, flow.NewBool(!q.Bool(name)))
				return nil
			})
		},
	}
}

func (e questionLines) optionsProp() widget.Prop {
	st := &e.common.Styles
	return widget.Prop{
		Label: "options", Kind: widget.PropAction, Path: e.base() + "/options",
		Value: func() string {
			if raw := e.member("options"); raw != nil && !raw.Is(flow.Array) {
				return st.Error.Render("not a list: " + compactJSON(raw))
			}
			q, _ := e.question()
			keys := q.OptionKeys()
			if len(keys) == 0 {
				return st.Warning.Render("none yet: enter adds some")
			}
			return fmt.Sprintf("%d: %s", len(keys), ui.Shown(strings.Join(keys, ", ")))
		},
		Hint: func() string { return "enter edits the options (keys unique within the question)" },
		Action: func() tea.Cmd {
			if raw := e.member("options"); raw != nil && !raw.Is(flow.Array) {
				return ui.StatusErr(fmt.Errorf("\"options\" is not a list; fix it in the file first"))
			}
			return ui.Push(newOptionsEditor(e.common, e.doc, e.path, e.qi))
		},
	}
}

// answerProp is the preset answer: text for a string question, one option
// for options, a set of options for multiple-choice.
func (e questionLines) answerProp() widget.Prop {
	st := &e.common.Styles
	q, _ := e.question()
	typ := q.Type()
	p := widget.Prop{Label: "answer", Path: e.base() + "/answer"}
	p.Keys = removeKey(e.common, e.doc, func() error { return e.removeProp("answer") })
	switch typ {
	case "string":
		ref := questionTextRef(&e.stepScreen, e.qi, "answer", fmt.Sprintf("preset answer of question %q", q.Key()))
		ref.Plain = true
		p = widget.LocalizedProp(e.common, e.doc, "answer", p.Path, "preset answer: plain text or per language; d clears it", ref)
		p.Keys = removeKey(e.common, e.doc, func() error { return e.removeProp("answer") })
		return p
	case "options", "multiple-choice":
		multi := typ == "multiple-choice"
		p.Kind = widget.PropPick
		p.Value = func() string {
			a := e.member("answer")
			switch {
			case a == nil:
				return st.Dim.Render(widget.NotSet)
			case multi && a.Is(flow.Array):
				return ui.Shown(strings.Join(flow.Strings(a), ", "))
			case !multi && a.Is(flow.String):
				s, _ := a.Str()
				return ui.Shown(s)
			}
			return st.Error.Render("wrong form: " + compactJSON(a))
		}
		p.Hint = func() string {
			if multi {
				return "preset answer: any of the question's options · d clears it"
			}
			return "preset answer: one of the question's options · d clears it"
		}
		p.Pick = func() ui.Screen { return e.answerPicker(multi) }
		return p
	}
	p.Kind = widget.PropInfo
	p.Value = func() string { return compactJSON(e.member("answer")) }
	return p
}

func (e questionLines) answerPicker(multi bool) ui.Screen {
	q, _ := e.question()
	lang := e.doc.Config.Language()
	var items []widget.PickItem
	if !multi {
		items = append(items, widget.PickItem{Value: "", Label: "no preset answer"})
	}
	for _, o := range q.Options() {
		if k := o.Key(); k != "" {
			items = append(items, widget.PickItem{Value: k, Label: widget.OneLine(o.Title().In(lang))})
		}
	}
	a := q.V.Get("answer")
	selected := flow.Strings(a)
	if s, ok := a.Str(); ok {
		selected = []string{s}
	}
	title := "preset answer: one option"
	if multi {
		title = "preset answer: options"
	}
	return widget.NewPicker(e.common, title, items, selected, multi, func(values []string) tea.Cmd {
		err := e.editQuestion("set preset answer", func(_ flow.Step, q flow.Question) error {
			switch {
			case len(values) == 0 || (!multi && values[0] == ""):
				q.Set("answer", nil)
			case multi:
				q.Set("answer", flow.NewStrings(values))
			default:
				q.Set("answer", flow.NewString(values[0]))
			}
			return nil
		})
		return ui.StatusIfErr(err)
	})
}

func (e questionLines) fileTypesProp() widget.Prop {
	return widget.Prop{
		Label: "fileTypes", Kind: widget.PropPick, Path: e.base() + "/fileTypes",
		Value: func() string {
			return widget.ListValue(&e.common.Styles, e.member("fileTypes"), "pdf, image (default)")
		},
		Hint: func() string { return "accepted files; none chosen means both (the default)" },
		Pick: func() ui.Screen {
			return widget.NewPicker(e.common, "accepted file types (none: both)", enumItems(flow.FileTypes()), flow.Strings(e.member("fileTypes")), true, func(values []string) tea.Cmd {
				err := e.editQuestion("set fileTypes", func(_ flow.Step, q flow.Question) error {
					if len(values) == 0 {
						q.Set("fileTypes", nil)
					} else {
						q.Set("fileTypes", flow.NewStrings(values))
					}
					return nil
				})
				return ui.StatusIfErr(err)
			})
		},
		Keys: removeKey(e.common, e.doc, func() error { return e.removeProp("fileTypes") }),
	}
}

// checkMaxCount explains why a typed filesMaxCount is not acceptable.
func checkMaxCount(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10 {
		return "a whole number from 1 to 10 (empty: the default, 10)"
	}
	return ""
}

func (e questionLines) maxCountProp() widget.Prop {
	st := &e.common.Styles
	return widget.Prop{
		Label: "filesMaxCount", Kind: widget.PropText, Path: e.base() + "/filesMaxCount",
		Value: func() string {
			v := e.member("filesMaxCount")
			if v == nil {
				return st.Dim.Render("10 (default)")
			}
			if n, ok := v.Int(); ok && n >= 1 && n <= 10 {
				return strconv.Itoa(n)
			}
			return st.Error.Render(compactJSON(v) + "  ✗ must be 1–10")
		},
		Text: func() string {
			if lit, ok := e.member("filesMaxCount").NumberLiteral(); ok {
				return lit
			}
			return ""
		},
		Hint:     func() string { return "at most this many files, 1–10; empty means the default (10)" },
		Validate: checkMaxCount,
		SetText: func(v string) error {
			v = strings.TrimSpace(v)
			return e.editQuestion("set filesMaxCount", func(_ flow.Step, q flow.Question) error {
				if v == "" {
					q.Set("filesMaxCount", nil)
					return nil
				}
				n, _ := strconv.Atoi(v)
				if old, ok := q.V.Get("filesMaxCount").Int(); ok && old == n {
					return nil // keep the file's own spelling of the number
				}
				q.Set("filesMaxCount", flow.NewInt(n))
				return nil
			})
		},
		Keys: removeKey(e.common, e.doc, func() error { return e.removeProp("filesMaxCount") }),
	}
}
