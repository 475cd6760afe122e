package editor

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// The showConditions editor: a picker offering "no condition" and only
// the questions that may control this one (earlier in the same
// questionnaire, not file uploads), then the controlling question's
// option keys, or free text when it is a text question.

// conditionTargets returns the questions question qi may depend on.
func conditionTargets(s flow.Step, qi int) []flow.Question {
	var out []flow.Question
	for i, q := range s.Questions() {
		if i >= qi {
			break
		}
		if q.V.Is(flow.Object) && q.Key() != "" && q.Type() != "file" && indexOfQuestion(out, q.Key()) < 0 {
			out = append(out, q)
		}
	}
	return out
}

func indexOfQuestion(qs []flow.Question, key string) int {
	for i, q := range qs {
		if q.Key() == key {
			return i
		}
	}
	return -1
}

func (e questionLines) conditionProp() widget.Prop {
	st := &e.common.Styles
	return widget.Prop{
		Label: "show when", Kind: widget.PropPick, Path: e.base() + "/showConditions",
		Value: func() string {
			q, _ := e.question()
			raw := q.V.Get("showConditions")
			qk, ans, ok := q.Condition()
			switch {
			case raw == nil:
				return st.Dim.Render("always (no condition)")
			case !ok:
				return st.Error.Render("not an object: " + compactJSON(raw))
			}
			// What is wrong with it is marked from the validator's findings.
			return ui.Shown(fmt.Sprintf("%s = %s", qk, ans))
		},
		Hint: func() string {
			return "enter picks an earlier question and its answer · d removes the condition"
		},
		Pick: func() ui.Screen { return e.conditionPicker() },
		Keys: removeKey(e.common, e.doc, func() error {
			return e.editQuestion("remove condition", func(_ flow.Step, q flow.Question) error { q.SetCondition("", ""); return nil })
		}),
	}
}

func (e questionLines) conditionPicker() ui.Screen {
	s, _ := e.step()
	q, _ := e.question()
	lang := e.doc.Config.Language()
	items := []widget.PickItem{{Value: "", Label: "no condition", Detail: "always shown"}}
	for _, t := range conditionTargets(s, e.qi) {
		items = append(items, widget.PickItem{Value: t.Key(), Detail: t.Type() + " · " + widget.OneLine(t.Title().In(lang))})
	}
	current, _, _ := q.Condition()
	title := "show this question only when… (earlier questions, no file uploads)"
	if len(items) == 1 {
		title = "no earlier question can control this one (file uploads cannot)"
	}
	return widget.NewPicker(e.common, title, items, []string{current}, false, func(values []string) tea.Cmd {
		target := values[0]
		if target == "" {
			err := e.editQuestion("remove condition", func(_ flow.Step, q flow.Question) error { q.SetCondition("", ""); return nil })
			return ui.StatusIfErr(err)
		}
		return func() tea.Msg { return conditionTargetMsg{ed: e.questionEditor, key: target} }
	})
}

// pickConditionAnswer asks for the controlling question's answer: one of
// its option keys, or any text for a text question.
func (e *questionEditor) pickConditionAnswer(target string) tea.Cmd {
	s, _ := e.step()
	q, _ := e.question()
	ti := s.QuestionIndex(target)
	if ti < 0 {
		return ui.StatusErr(fmt.Errorf("question %q is gone", target))
	}
	tq := s.Questions()[ti]
	curKey, curAns, _ := q.Condition()
	if curKey != target {
		curAns = ""
	}
	set := func(answer string) tea.Cmd {
		err := e.editQuestion("set condition", func(_ flow.Step, q flow.Question) error {
			q.SetCondition(target, answer)
			return nil
		})
		if err != nil {
			return ui.StatusErr(err)
		}
		return ui.Status(fmt.Sprintf("shown only when %s = %s", target, answer))
	}
	if !flow.IsChoiceQuestion(tq.Type()) {
		title := fmt.Sprintf("show when %s = (the text answer)", target)
		check := func(v string) string {
			if v == "" {
				return "type the answer that shows this question"
			}
			return ""
		}
		return ui.Push(widget.NewTextEntry(e.common, title, "the question shows when the answer is exactly this text", curAns, check, set))
	}
	lang := e.doc.Config.Language()
	var items []widget.PickItem
	for _, o := range tq.Options() {
		if k := o.Key(); k != "" {
			items = append(items, widget.PickItem{Value: k, Detail: widget.OneLine(o.Title().In(lang))})
		}
	}
	if len(items) == 0 {
		return ui.StatusErr(fmt.Errorf("question %q has no options yet; add some first", target))
	}
	var selected []string
	if curAns != "" {
		selected = []string{curAns}
	}
	return ui.Push(widget.NewPicker(e.common, fmt.Sprintf("show when %s = …", target), items, selected, false, func(values []string) tea.Cmd {
		return set(values[0])
	}))
}
