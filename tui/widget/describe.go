// The widgets' state in words, for accessible mode (ui.Describer).

package widget

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// Describe says the selected property: its label, value, place in the
// list, what is wrong with it and what enter does.
func (l *PropList) Describe() string {
	p, ok := l.Selected()
	if !ok {
		return "Nothing to change here."
	}
	n, of := 0, 0
	for i, q := range l.props {
		if q.Kind == PropHeading {
			continue
		}
		of++
		if i == l.Cursor {
			n = of
		}
	}
	value := ""
	if p.Value != nil {
		value = spokenValue(p.Value())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, selected, %d of %d.", flow.Visible(p.Label), value, n, of)
	if d, ok := l.problem(p); ok {
		fmt.Fprintf(&b, " %s %s: %s.", d.Severity, d.Code, strings.TrimSuffix(flow.Visible(d.Message), "."))
	}
	if l.editing {
		b.WriteString(" Typing: enter applies, esc cancels.")
		if note := l.start.note(&l.input); note != "" {
			b.WriteString(" Note: " + note + ".")
		}
		if l.err != "" {
			b.WriteString(" Not accepted: " + flow.Visible(l.err) + ".")
		}
		return b.String()
	}
	switch p.Kind {
	case PropToggle:
		b.WriteString(" Space turns it on or off.")
	case PropText:
		b.WriteString(" Enter edits it.")
	case PropPick:
		b.WriteString(" Enter chooses.")
	case PropAction:
		b.WriteString(" Enter opens it.")
	}
	return b.String()
}

// spokenValue is a property's shown value in words: "—" is "not set", a
// checkbox "on" or "off".
func spokenValue(v string) string {
	v = strings.TrimSpace(ansi.Strip(v))
	switch {
	case v == "" || v == "—":
		return "not set"
	case strings.HasPrefix(v, NotSet):
		return "not set" + strings.TrimPrefix(v, NotSet)
	case strings.HasPrefix(v, "—"):
		return "not set" + strings.TrimPrefix(v, "—")
	}
	return ui.Speak(flow.Visible(v))
}

// Describe says the item under the cursor and, when several can be
// chosen, whether it is.
func (p *Picker) Describe() string {
	vis := p.visible()
	if len(vis) == 0 {
		return flow.Visible(p.title) + ": nothing matches the filter; esc clears it."
	}
	it := vis[min(p.cursor, len(vis)-1)]
	s := fmt.Sprintf("%s: %s", flow.Visible(p.title), flow.Visible(it.displayName()))
	if it.Label != "" {
		s += " (" + flow.Visible(it.Value) + ")"
	}
	s += fmt.Sprintf(", selected, %d of %d.", min(p.cursor, len(vis)-1)+1, len(vis))
	if p.multi {
		if p.chosen[it.Value] {
			s += " Chosen; space takes it out, enter is done."
		} else {
			s += " Not chosen; space chooses it, enter is done."
		}
	} else {
		s += " Enter chooses it, esc cancels."
	}
	return s
}

// Describe says what is being typed and whether it is accepted.
func (t *TextEntry) Describe() string {
	s := fmt.Sprintf("%s: typing %q. Enter confirms, esc cancels.", flow.Visible(t.title), flow.Visible(t.input.Value()))
	if note := t.start.note(&t.input); note != "" {
		s += " Note: " + note + "."
	}
	if t.err != "" {
		s += " Not accepted: " + flow.Visible(t.err) + "."
	}
	return s
}

// Describe says the language under the cursor and its text.
func (e *LocalizedEditor) Describe() string {
	rows := e.rows()
	what := capitalize(flow.Visible(e.ref.What))
	switch {
	case e.typing.pending != "" || e.typing.newPlain:
		return what + ": typing a new text. Enter applies, esc cancels."
	case len(rows) == 0 && e.ref.Plain:
		return what + ": no text yet; enter types it, a adds a language."
	case len(rows) == 0:
		return what + ": no text yet; enter types it in each of the flow's languages in turn, a adds one language."
	}
	r := rows[min(e.cursor, len(rows)-1)]
	name := "plain text"
	if r.lang != "" {
		name = flow.Visible(flow.LanguageName(r.lang)) // a member name of the config
	}
	str, _ := r.val.Str()
	s := fmt.Sprintf("%s: %s, %q, selected, %d of %d.", what, name, flow.Visible(str), min(e.cursor, len(rows)-1)+1, len(rows))
	if e.typing.on {
		s += " Typing: enter applies, esc cancels."
		if note := e.typing.from.note(&e.typing.input); note != "" {
			s += " Note: " + note + "."
		}
	}
	return s
}

// Describe says the questions are being asked on the terminal.
func (f *FormScreen) Describe() string {
	return "Answering " + flow.Visible(f.title) + " on the terminal."
}

// Describe says which language is being typed, what was typed, and the
// text to translate from.
func (e *LocalizedEntry) Describe() string {
	title := flow.Visible(e.title)
	if len(e.langs) == 0 {
		return title + ": no language to ask for; esc goes back."
	}
	lang := e.langs[e.cur]
	s := fmt.Sprintf("%s: typing the %s text, language %d of %d: %q.", title, flow.LanguageName(lang), e.cur+1, len(e.langs),
		flow.Visible(e.inputs[e.cur].Value()))
	switch {
	case e.ref != "":
		s += fmt.Sprintf(" The %s text: %q.", flow.LanguageName(e.refLang), flow.Visible(e.ref))
	case e.cur > 0 && e.inputs[0].Value() != "":
		s += fmt.Sprintf(" The %s text: %q.", flow.LanguageName(e.langs[0]), flow.Visible(e.inputs[0].Value()))
	}
	if e.cur < len(e.langs)-1 {
		return s + " Enter goes on to " + flow.LanguageName(e.langs[e.cur+1]) + ", esc cancels."
	}
	return s + " Enter keeps the texts, esc cancels."
}
