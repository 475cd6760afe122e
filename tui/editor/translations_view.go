package editor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// How the translation table looks: the label of each row, the counts and
// filter lines above the grid, the lines about the selected text below.

// Label names the text in full on the first row of its step and, under
// it, indents the texts of its questions and options by their depth.
func (r tableRows) Label(row int) string {
	tx := &r.texts[r.shown[row]]
	if row == 0 || !slices.Equal(r.texts[r.shown[row-1]].Step, tx.Step) {
		return textLabel(*tx)
	}
	switch field := shortField(tx.Field); {
	case tx.Option >= 0:
		return "    " + tx.OptionKey
	case tx.Question >= 0 && field != "":
		return "  " + tx.QuestionKey + " · " + field
	case tx.Question >= 0:
		return "  " + tx.QuestionKey
	case field != "":
		return "  · " + field
	}
	return "  · title"
}

// textLabel names a text in a few words: its step, question and option
// keys, and the member when not the title.
func textLabel(t flow.LocalizedText) string {
	parts := []string{t.StepKey}
	if t.Question >= 0 {
		parts = append(parts, t.QuestionKey)
	}
	if t.Option >= 0 {
		parts = append(parts, t.OptionKey)
	}
	label := strings.Join(parts, " › ")
	switch field := shortField(t.Field); {
	case label == "":
		return field
	case field != "":
		return label + " · " + field
	}
	return label
}

// shortField is a text member's name in a label; "" for a title.
func shortField(f string) string {
	switch f {
	case flow.FieldTitle:
		return ""
	case flow.FieldSuccessButton:
		return "button"
	}
	return f
}

func (t *translationTable) View() string {
	t.sync()
	t.grid.Clamp(len(t.shown))
	s := &t.common.Styles
	// The counts wrap onto a second line rather than lose their end, the
	// grid giving up a row for it.
	lines := strings.Split(ansi.Wrap(t.countsLine(), t.width, ""), "\n")
	if len(lines) > 2 {
		lines = []string{lines[0], ui.Truncate(lines[1]+" "+strings.Join(lines[2:], " "), t.width)}
	}
	head := len(lines) + 1
	t.grid.SetSize(t.width, max(2, t.height-head-2))
	lines = append(lines, ui.Truncate(t.filterLine(), t.width))
	if len(t.texts) == 0 {
		lines = append(lines, "", s.Dim.Render("  the flow has no texts yet: titles and descriptions of steps,"),
			s.Dim.Render("  questions and options show here once there are some"))
		return strings.Join(lines, "\n")
	}
	grid := t.grid.View(tableRows{t})
	n := strings.Count(grid, "\n") + 1
	lines = append(lines, grid)
	for range max(0, t.height-head-2-n) {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, t.detail()...), "\n")
}

// countsLine is how many texts each language has, e.g. "ru: 41 of 58".
func (t *translationTable) countsLine() string {
	s := &t.common.Styles
	parts := make([]string, len(t.counts))
	for i, n := range t.counts {
		part := fmt.Sprintf("%s: %d of %d", n.Lang, n.Translated, n.Total())
		if n.Missing == 0 {
			parts[i] = s.OK.Render(part + " ✓")
		} else {
			parts[i] = s.Warning.Render(part)
		}
	}
	line := strings.Join(parts, s.Dim.Render(" · "))
	if t.ops > 0 {
		line += s.Dim.Render(" · " + ui.Count(t.ops, "operator text") + " not counted")
	}
	if len(t.langs) == 1 {
		line += s.Dim.Render(" · the flow shows one language: a language step's list adds more")
	}
	return line
}

// filterLine says which texts show and how to change it.
func (t *translationTable) filterLine() string {
	s := &t.common.Styles
	what := fmt.Sprintf("%d texts", len(t.shown))
	if len(t.shown) != len(t.texts) {
		what = fmt.Sprintf("%d of %d texts", len(t.shown), len(t.texts))
	}
	if t.missingOnly {
		// Rows filled here stay listed until the filter is applied again.
		still := 0
		for _, i := range t.shown {
			if !t.texts[i].Shows(t.missingLang) {
				still++
			}
		}
		what += " without " + t.missingLang
		if filled := len(t.shown) - still; filled > 0 {
			what += fmt.Sprintf(" (%d filled)", filled)
		}
	}
	if t.step >= 0 {
		if tx, ok := t.firstOfStep(); ok {
			what += " of step " + flow.Visible(tx)
		}
	}
	keys := "m missing only · s step"
	if t.missingOnly {
		keys = "m all texts · s step"
	}
	if t.grid.Narrow() && len(t.langs) > 1 {
		keys = fmt.Sprintf("←/→ language (%d of %d) · ", t.grid.Col+1, len(t.langs)) + keys
	}
	return s.Title.Render(what) + s.Dim.Render("  "+keys)
}

// firstOfStep is the key of the step shown alone.
func (t *translationTable) firstOfStep() (string, bool) {
	for i := range t.texts {
		if tx := &t.texts[i]; tx.Step[0] == t.step {
			if tx.CallKey != "" {
				return tx.CallKey, true
			}
			return tx.StepKey, true
		}
	}
	return "", false
}

// detail is two lines about the selected text: where it is, and its full
// text in the column's language (while editing: the flow language's text
// to translate from, or why the edit was refused).
func (t *translationTable) detail() []string {
	s := &t.common.Styles
	tx, ok := t.selected()
	if !ok {
		msg := "no text matches"
		if t.missingOnly {
			msg = "every text shown has " + t.missingLang + " · m shows all texts"
		}
		return []string{"", ui.Truncate(s.Dim.Render(msg), t.width)}
	}
	where := textWhere(tx)
	if tx.Plain {
		where += " · plain text"
	}
	if tx.Operator {
		where += " · not counted (operator)"
	}
	lang := t.colLang()
	var second string
	switch {
	case t.grid.Err != "":
		second = s.StatusErr.Render("✗ " + t.grid.Err)
	case t.grid.Note() != "":
		second = s.Warning.Render(t.grid.Note())
	case t.grid.Editing() && t.grid.Col != 0:
		ref, has := tx.Get(t.langs[0])
		if !has {
			ref = "(none)"
		}
		second = s.Dim.Render("from "+t.langs[0]+": ") + flow.Visible(ref)
	default:
		if text, has := tx.Get(lang); has {
			second = s.Dim.Render(lang+": ") + flow.Visible(text)
		} else {
			second = s.Warning.Render(lang+": missing") + s.Dim.Render(" · enter types it")
		}
	}
	return []string{ui.Truncate(s.Dim.Render(flow.Visible(where)), t.width), ui.Truncate(second, t.width)}
}

// textWhere is where a text stands, briefer than LocalizedText.Where so
// that it fits a line: step "onboarding" › question "income" › option
// "high" › title. Keys are quoted with Go escapes.
func textWhere(tx flow.LocalizedText) string {
	var b strings.Builder
	if tx.CallKey != "" {
		fmt.Fprintf(&b, "video call %q › ", tx.CallKey)
	}
	fmt.Fprintf(&b, "step %q", tx.StepKey)
	if tx.Question >= 0 {
		fmt.Fprintf(&b, " › question %q", tx.QuestionKey)
	}
	if tx.Option >= 0 {
		fmt.Fprintf(&b, " › option %q", tx.OptionKey)
	}
	return b.String() + " › " + tx.Field
}

// plural picks the form of a word for n.
// describe says the counts, the text and language under the cursor, and
// what the keys do, for accessible mode.
func (t *translationTable) describe() string {
	t.sync()
	counts := make([]string, len(t.counts))
	for i, n := range t.counts {
		counts[i] = fmt.Sprintf("%s %d of %d", flow.LanguageName(n.Lang), n.Translated, n.Total())
	}
	s := "Texts per language: " + strings.Join(counts, ", ") + "."
	tx, ok := t.selected()
	if !ok {
		return s + " No text is listed; m shows all texts, s every step."
	}
	lang := t.colLang()
	text, has := tx.Get(lang)
	value := "missing"
	if has {
		value = fmt.Sprintf("%q", flow.Visible(text))
	}
	s += fmt.Sprintf(" Text %d of %d: %s, %s: %s, selected.", t.grid.Row+1, len(t.shown), flow.Visible(textWhere(tx)),
		flow.LanguageName(lang), value)
	if t.grid.Editing() {
		if ref, ok := tx.Get(t.langs[0]); ok && t.grid.Col != 0 {
			s += fmt.Sprintf(" The %s text: %q.", flow.LanguageName(t.langs[0]), flow.Visible(ref))
		}
		if t.grid.Err != "" {
			s += " Not accepted: " + flow.Visible(t.grid.Err) + "."
		}
		if note := t.grid.Note(); note != "" {
			s += " Note: " + note + "."
		}
		return s + " Typing: enter applies, esc cancels."
	}
	return s + " Enter edits it; left and right change the language; m lists only the texts without it; s one step's; o opens its editor."
}
