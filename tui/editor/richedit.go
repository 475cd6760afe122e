package editor

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// richStepEditor returns the dedicated editor of a KYB, questionnaire or
// video-call step, or nil when the type has none (the step then opens as
// read-only JSON).
func richStepEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
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
	common *ui.Common
	doc    *ui.Doc
	path   flow.StepPath
	typ    string
	obj    *flow.Value // the step object last seen at path
	width  int
	height int
}

func newStepScreen(c *ui.Common, doc *ui.Doc, p flow.StepPath) stepScreen {
	s, _ := doc.Config.StepAt(p)
	return stepScreen{common: c, doc: doc, path: p, typ: s.Type(), obj: s.V}
}

// step returns the edited step; ok is false when it is gone or another
// step took its place (after an undo). A step that moved (the KYB order
// fix, from this screen or one above it) is followed to its new place.
func (b *stepScreen) step() (flow.Step, bool) {
	// Undo and redo change the document in place, down to the values that
	// differ: the same object may come to hold another step.
	s, ok := b.doc.Config.StepAt(b.path)
	if ok && s.V == b.obj && s.Type() == b.typ {
		return s, true
	}
	found := false
	b.doc.Config.WalkSteps(func(p flow.StepPath, st flow.Step) {
		if !found && st.V == b.obj && st.Type() == b.typ {
			b.path, s, found = p, st, true
		}
	})
	if found {
		return s, true
	}
	// Undo and redo may put a copy in its place: trust the place when it
	// still holds a step of the same type.
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
	return ui.Truncate(st.Title.Render(spec.Title)+st.Dim.Render(" — "+spec.Summary), b.width)
}

// stepTextProp is a step's localized title, description or button label,
// opening the localized-text editor.
func (b *stepScreen) stepTextProp(field, doc string) widget.Prop {
	path := b.path
	typ := b.typ
	spec, _ := flow.LookupStep(typ)
	s, _ := b.step()
	ref := widget.TextRef{
		Plain: !spec.Localized,
		What:  fmt.Sprintf("%s of step %q", field, s.EffectiveKey()),
		Get: func(c *flow.Config) (*flow.Value, bool) {
			s, ok := c.StepAt(path)
			if !ok || s.Type() != typ {
				return nil, false
			}
			return s.V.Get(field), true
		},
		Set: func(c *flow.Config, v *flow.Value) error {
			s, ok := c.StepAt(path)
			if !ok || s.Type() != typ {
				return fmt.Errorf("the step is gone")
			}
			s.Set(field, v)
			return nil
		},
	}
	return widget.LocalizedProp(b.common, b.doc, field, path.Pointer()+"/"+field, doc, ref)
}

// keyAndTextProps are the first lines of a KYB or questionnaire editor:
// the step's key, title and description.
func (b *stepScreen) keyAndTextProps(aboutTitle string) []widget.Prop {
	return []widget.Prop{
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
func listRowKeys(c *ui.Common, i int, remove, duplicate func(i int) tea.Cmd, move func(i, delta int) tea.Cmd) func(tea.KeyPressMsg) (tea.Cmd, bool) {
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

// headingProp is a section title line with a dim note.
func headingProp(label, note string) widget.Prop {
	return widget.Prop{Label: label, Kind: widget.PropHeading, Value: func() string { return note }}
}
