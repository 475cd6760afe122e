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

// questionnaireEditor edits a user or operator questionnaire: its key and
// texts, and its questions (add with a type picker, remove, duplicate,
// move; enter opens a question). p opens a read-through preview.
type questionnaireEditor struct {
	propScreen
	focus string
}

// questionTypeMsg adds a question of the type just picked.
type questionTypeMsg struct {
	ed  *questionnaireEditor
	typ string
	at  int
}

var questionTypeLabels = map[string]string{
	"string":          "text input",
	"multiple-choice": "checkboxes: any number of options",
	"options":         "radio buttons: one option",
	"dropdown":        "dropdown list",
	"file":            "file upload",
}

func newQuestionnaireEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
	e := &questionnaireEditor{propScreen: newPropScreen(c, doc, p, 2), focus: focus}
	e.build, e.alive = e.props, e.hasStep
	e.header = func() []string { return []string{e.heading(), ""} }
	e.show(focus)
	return e
}

// Init opens the question a diagnostic points into.
func (e *questionnaireEditor) Init() tea.Cmd {
	toks := flow.SplitPointer(strings.TrimPrefix(e.focus, e.path.Pointer()))
	if len(toks) < 3 || toks[0] != "questions" {
		return nil
	}
	var qi int
	if _, err := fmt.Sscan(toks[1], &qi); err != nil {
		return nil
	}
	if s, ok := e.step(); !ok || s.QuestionsValue().Item(qi) == nil {
		return nil
	}
	return ui.Push(newQuestionEditor(e.common, e.doc, e.path, qi, e.focus))
}

func (e *questionnaireEditor) Title() string { return e.title() }

func (e *questionnaireEditor) ShortHelp() []key.Binding {
	k := e.common.Keys
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")),
		k.Add, k.Delete, k.Duplicate, k.MoveUp, k.MoveDown,
		key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "preview")),
		k.Back}
}

func (e *questionnaireEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *questionnaireEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if m, ok := msg.(questionTypeMsg); ok && m.ed == e && e.hasStep() {
		return e, e.addQuestion(m.typ, m.at)
	}
	if cmd, handled := e.update(msg); handled {
		return e, cmd
	}
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, e.common.Keys.Add):
			return e, e.pickType()
		case km.String() == "p":
			return e, ui.Push(newQuestionnairePreview(e.common, e.doc, e.path))
		}
	}
	return e, nil
}

// selectedQuestion returns the index of the question under the cursor, or -1.
func (e *questionnaireEditor) selectedQuestion() int {
	p, ok := e.list.Selected()
	if !ok {
		return -1
	}
	var qi int
	prefix := e.path.Pointer() + "/questions/"
	if strings.HasPrefix(p.Path, prefix) {
		if _, err := fmt.Sscan(strings.TrimPrefix(p.Path, prefix), &qi); err == nil {
			return qi
		}
	}
	return -1
}

func (e *questionnaireEditor) props() []widget.Prop {
	s, _ := e.step()
	base := e.path.Pointer()
	props := e.keyAndTextProps("the questionnaire's title")
	if e.typ == "user-questionnaire" {
		props = append(props, e.stepTextProp("successButtonTitle", "label of the confirm button"))
	} else if s.V.Has("successButtonTitle") {
		p := e.stepTextProp("successButtonTitle", "")
		p.Hint = func() string { return "⚠ ignored on an operator questionnaire; d removes it" }
		p.Keys = removeKey(e.common, e.doc, func() error {
			return e.edit("remove successButtonTitle", func(s flow.Step) error { s.Set("successButtonTitle", nil); return nil })
		})
		props = append(props, p)
	}
	qs := s.V.Get("questions")
	props = append(props, headingProp(fmt.Sprintf("Questions (%d)", qs.Len()), "a add · enter edit · p preview"))
	switch {
	case qs != nil && !qs.Is(flow.Array):
		props = append(props, widget.Prop{Label: "questions", Kind: widget.PropInfo, Path: base + "/questions",
			Value: func() string { return "not a list; fix it in the file (kept as it is)" }})
	case qs.Len() == 0:
		props = append(props, widget.Prop{Label: "(none yet)", Kind: widget.PropInfo, Value: func() string { return "a adds the first question" }})
	default:
		props = slices.Grow(props, qs.Len())
		for i := range qs.Len() {
			props = append(props, e.questionRow(i))
		}
	}
	known := []string{"type", "key", "title", "description", "questions", "successButtonTitle"}
	return append(props, unknownMembers(e.common, e.doc, s.V, base, known...)...)
}

// questionRow is a question's line in the list.
func (e *questionnaireEditor) questionRow(i int) widget.Prop {
	st := &e.common.Styles
	s, _ := e.step()
	q := flow.Question{V: s.QuestionsValue().Item(i)} // not Questions(): a row costs O(1)
	lang := e.doc.Config.Language()
	label := fmt.Sprintf("%d. %s", i+1, q.Key())
	if !q.V.Is(flow.Object) {
		label = fmt.Sprintf("%d. (not a question)", i+1)
	}
	return widget.Prop{
		Label: label, Kind: widget.PropAction, Path: e.path.Pointer() + flow.Pointer("questions", i),
		Value: func() string {
			if !q.V.Is(flow.Object) {
				return st.Error.Render(compactJSON(q.V))
			}
			v := ui.PadRight(ui.Shown(q.Type()), 16) + widget.OneLine(q.Title().In(lang))
			if q.Bool("mandatory") {
				v += " *"
			}
			if qk, ans, ok := q.Condition(); ok {
				mark := "⤷ if"
				if e.common.Accessible {
					mark = "shown only if" // said whole even where the row is cut
				}
				v += st.Dim.Render(ui.Shown(fmt.Sprintf("  %s %s = %s", mark, qk, ans)))
			}
			return v
		},
		Hint: func() string {
			if qk, ans, ok := q.Condition(); ok {
				return fmt.Sprintf("shown when %s = %s · enter edits · d c K/J", qk, ans)
			}
			return "enter edits · d removes · c duplicates · K/J move"
		},
		Action: func() tea.Cmd {
			if !q.V.Is(flow.Object) {
				return ui.Status("this entry is not a question object; fix it in the file or d to remove it")
			}
			return ui.Push(newQuestionEditor(e.common, e.doc, e.path, i, ""))
		},
		Keys: listRowKeys(e.common, i, e.removeQuestion, e.duplicateQuestion, e.moveQuestion),
	}
}

// focusQuestion puts the cursor on question i.
func (e *questionnaireEditor) focusQuestion(i int) {
	e.show(e.path.Pointer() + flow.Pointer("questions", i))
}

func (e *questionnaireEditor) pickType() tea.Cmd {
	s, _ := e.step()
	if qs := s.V.Get("questions"); qs != nil && !qs.Is(flow.Array) {
		return ui.StatusErr(fmt.Errorf("\"questions\" is not a list; fix it in the file first"))
	}
	at := len(s.Questions())
	if qi := e.selectedQuestion(); qi >= 0 {
		at = qi + 1
	}
	items := make([]widget.PickItem, 0, len(flow.QuestionTypes()))
	for _, t := range flow.QuestionTypes() {
		items = append(items, widget.PickItem{Value: t, Detail: questionTypeLabels[t]})
	}
	return ui.Push(widget.NewPicker(e.common, "add a question: its type", items, nil, false, func(values []string) tea.Cmd {
		if len(values) == 0 {
			return nil
		}
		typ := values[0]
		return func() tea.Msg { return questionTypeMsg{ed: e, typ: typ, at: at} }
	}))
}

// addQuestion inserts a question and opens it, asking its title (and a
// choice question's options) in each of the flow's languages first.
func (e *questionnaireEditor) addQuestion(typ string, at int) tea.Cmd {
	added := -1
	lang := e.doc.Config.Language()
	err := e.edit("add "+typ+" question", func(s flow.Step) error {
		var err error
		added, err = s.AddQuestion(at, typ, lang)
		return err
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	e.focusQuestion(added)
	qe := newQuestionEditor(e.common, e.doc, e.path, added, "")
	return tea.Sequence(ui.Push(qe), ui.Push(qe.askTitle()), ui.Status("added "+withArticle(typ)+" question · u to undo"))
}

func (e *questionnaireEditor) removeQuestion(i int) tea.Cmd {
	s, _ := e.step()
	k := s.Questions()[i].Key()
	if err := e.edit(fmt.Sprintf("remove question %q", k), func(s flow.Step) error { _, err := s.RemoveQuestion(i); return err }); err != nil {
		return ui.StatusErr(err)
	}
	note := fmt.Sprintf("removed question %q", k)
	if n := conditionsOn(e.stepOrZero(), k); n > 0 {
		note += fmt.Sprintf("; %d question(s) still show only when it is answered (now flagged)", n)
	}
	return ui.Status(note + " · u to undo")
}

func (e *questionnaireEditor) stepOrZero() flow.Step { s, _ := e.step(); return s }

// conditionsOn counts the questions whose showConditions name key.
func conditionsOn(s flow.Step, key string) int {
	n := 0
	for _, q := range s.Questions() {
		if qk, _, ok := q.Condition(); ok && qk == key && key != "" {
			n++
		}
	}
	return n
}

func (e *questionnaireEditor) duplicateQuestion(i int) tea.Cmd {
	dup := -1
	err := e.edit("duplicate question", func(s flow.Step) error {
		var err error
		dup, err = s.DuplicateQuestion(i)
		return err
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	e.focusQuestion(dup)
	return ui.Status("duplicated the question with fresh keys · u to undo")
}

func (e *questionnaireEditor) moveQuestion(i, delta int) tea.Cmd {
	to, moved := i, false
	_ = e.edit("move question", func(s flow.Step) error {
		to, moved = s.MoveQuestion(i, delta)
		return nil
	})
	if moved {
		e.focusQuestion(to)
	}
	return nil
}

// removeKey is a keys hook that removes an optional property on d.
func removeKey(c *ui.Common, doc *ui.Doc, remove func() error) func(tea.KeyPressMsg) (tea.Cmd, bool) {
	return func(km tea.KeyPressMsg) (tea.Cmd, bool) {
		if !key.Matches(km, c.Keys.Delete) {
			return nil, false
		}
		before := doc.State()
		if err := remove(); err != nil {
			return ui.StatusErr(err), true
		}
		if doc.State() == before {
			return ui.Status("nothing to remove"), true
		}
		return ui.Status("removed · u to undo"), true
	}
}

// withArticle puts "a" or "an" before a question type's name.
func withArticle(typ string) string {
	if typ != "" && strings.ContainsRune("aeiou", rune(typ[0])) {
		return "an " + typ
	}
	return "a " + typ
}
