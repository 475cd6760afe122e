package editor

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// Typing a new question's texts: its title in each of the flow's
// languages, then, for a choice question, its options one after another,
// each in every language; enter with nothing typed ends the options. A
// key is suggested from the English text when there is one (keys are read
// by developers), else from the first text given.

// keyTitle is the text a key is suggested from, and its language.
func keyTitle(texts []flow.LangText) (title, lang string) {
	for _, t := range texts {
		if t.Lang == "en" && t.Text != "" {
			return t.Text, t.Lang
		}
	}
	for _, t := range texts {
		if t.Text != "" {
			return t.Text, t.Lang
		}
	}
	return "", ""
}

// typed reports whether any text was given.
func typed(texts []flow.LangText) bool {
	title, _ := keyTitle(texts)
	return title != ""
}

// setTexts files each text given under its language in the text id names.
func setTexts(c *flow.Config, id string, texts []flow.LangText) error {
	for _, t := range texts {
		if t.Text != "" {
			if err := c.SetText(id, t.Lang, t.Text); err != nil {
				return err
			}
		}
	}
	return nil
}

// editConfig is edit for changes made through the config (texts by ID).
func (b *stepScreen) editConfig(label string, fn func(c *flow.Config, s flow.Step) error) error {
	return b.edit(label, func(s flow.Step) error { return fn(b.doc.Config, s) })
}

// askTitle asks the title of the question just added in each language; a
// choice question's options are asked next.
func (e *questionEditor) askTitle() ui.Screen {
	q, _ := e.question()
	autoKey := q.Key()
	note := "each language in turn; the key is made from the title · esc leaves it empty"
	return widget.NewLocalizedEntry(e.common, fmt.Sprintf("Question %d — its title", e.qi+1), note,
		widget.EntryLanguages(e.doc.Config), func(texts []flow.LangText) tea.Cmd {
			if !typed(texts) {
				return ui.Status("the question has no title yet · enter on title types it")
			}
			err := e.editConfig("title of the new question", func(c *flow.Config, s flow.Step) error {
				if err := setTexts(c, e.base()+"/title", texts); err != nil {
					return err
				}
				if s.Questions()[e.qi].Key() != autoKey {
					return nil // renamed meanwhile: keep that
				}
				taken := map[string]bool{}
				for i, q := range s.Questions() {
					if i != e.qi {
						taken[q.Key()] = true
					}
				}
				title, _ := keyTitle(texts)
				if key := flow.SuggestKey(title, "question", taken); key != autoKey {
					return s.RenameQuestion(e.qi, key)
				}
				return nil
			})
			if err != nil {
				return ui.StatusErr(err)
			}
			if q, ok := e.question(); ok && flow.IsChoiceQuestion(q.Type()) {
				return ui.Push(newOptionAsker(&e.stepScreen, e.qi, nil).ask())
			}
			return nil
		})
}

// optionAsker asks a question's options one after another.
type optionAsker struct {
	b     *stepScreen
	qi    int
	count int          // options typed so far
	at    int          // where the next option goes; -1: at the end
	added func(oi int) // told of each option added (nil: nobody)
}

// newOptionAsker asks options for question qi, each after the last; added
// (may be nil) hears where each goes. The option a new choice question
// starts with (no text, its first key) is filled rather than joined by
// another.
func newOptionAsker(b *stepScreen, qi int, added func(int)) *optionAsker {
	return &optionAsker{b: b, qi: qi, at: -1, added: added}
}

// startAt makes the next option go at index at, and each after it.
func (a *optionAsker) startAt(at int) *optionAsker { a.at = at; return a }

// blankFirst reports whether the question's only option is the one it was
// given when added: key option-1 and no text.
func blankFirst(q flow.Question) bool {
	opts := q.Options()
	if len(opts) != 1 || opts[0].Key() != "option-1" {
		return false
	}
	t := opts[0].V.Get("title")
	return t == nil || (t.Is(flow.Object) && t.Len() == 0)
}

// ask is the entry of the next option.
func (a *optionAsker) ask() ui.Screen {
	q, _ := a.b.questionAt(a.qi)
	note := "each language in turn · enter with nothing typed ends the options"
	if a.count == 0 {
		note = "each language in turn; the key is made from the title · empty enter ends"
	}
	title := fmt.Sprintf("Option %d of question %q", a.place(q), q.Key())
	return widget.NewLocalizedEntry(a.b.common, title, note, widget.EntryLanguages(a.b.doc.Config), a.apply)
}

// place is where the next option will stand among q's options, from 1:
// the blank first option it fills, the place it is inserted at, or after
// the last.
func (a *optionAsker) place(q flow.Question) int {
	switch {
	case a.count == 0 && blankFirst(q):
		return 1
	case a.at >= 0:
		return a.at + 1
	}
	return len(q.Options()) + 1
}

// apply adds (or fills) the option typed and asks the next one; nothing
// typed ends.
func (a *optionAsker) apply(texts []flow.LangText) tea.Cmd {
	if !typed(texts) {
		q, _ := a.b.questionAt(a.qi)
		return ui.Status(fmt.Sprintf("question %q has %d option(s)", q.Key(), len(q.Options())))
	}
	oi := -1
	err := a.b.editConfig("add option", func(c *flow.Config, s flow.Step) error {
		title, lang := keyTitle(texts)
		q := s.Questions()[a.qi]
		if a.count == 0 && blankFirst(q) {
			oi = 0
			if key := flow.SuggestKey(title, "option", nil); key != q.Options()[0].Key() {
				if err := s.RenameOption(a.qi, 0, key); err != nil {
					return err
				}
			}
		} else {
			at := a.at
			if at < 0 {
				at = len(q.Options())
			}
			var err error
			if oi, err = s.AddOption(a.qi, at, title, lang); err != nil {
				return err
			}
		}
		return setTexts(c, a.b.path.Pointer()+flow.Pointer("questions", a.qi, "options", oi, "title"), texts)
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	a.count++
	if a.at >= 0 {
		a.at = oi + 1
	}
	if a.added != nil {
		a.added(oi)
	}
	return ui.Push(a.ask())
}
