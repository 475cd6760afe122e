package widget

import (
	"fmt"
	"strings"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

func (e *LocalizedEditor) View() string {
	s := &e.common.Styles
	v, _ := e.text()
	cfg := e.doc.Config
	lines := []string{ui.Truncate(s.Title.Render(ui.Shown(capitalize(e.ref.What))), e.width)}
	var kind string
	switch {
	case v.Is(flow.Object) && v.Len() == 0 && !e.ref.Plain:
		kind = "no text yet · enter types it in " + ui.Shown(strings.Join(EntryLanguages(cfg), ", ")) + " in turn"
	case v.Is(flow.Object) && e.ref.Plain:
		kind = fmt.Sprintf("localized text · %d language(s)", v.Len())
	case v.Is(flow.Object):
		kind = fmt.Sprintf("localized text · %d language(s) · t makes it plain (keeps the %s text)", v.Len(), ui.Shown(cfg.Language()))
		if others := otherLanguages(v, cfg.Language()); len(others) > 0 {
			kind = fmt.Sprintf("localized text · %d language(s) · t makes it plain (keeps %s, drops %s)",
				v.Len(), ui.Shown(cfg.Language()), ui.Shown(strings.Join(others, " ")))
		}
	case v.Is(flow.String):
		kind = "plain text, the same in every language · t makes it localized (kept under " + ui.Shown(cfg.Language()) + ")"
	case flow.Text{V: v}.IsZero() && e.ref.Plain:
		kind = "not set · enter types a plain text, a adds a language"
	case flow.Text{V: v}.IsZero():
		kind = "not set · enter types it in " + strings.Join(EntryLanguages(cfg), ", ") + " in turn, a adds one language"
	default:
		kind = "not a text: " + string(flow.MarshalCompact(v)) + " · a replaces it"
	}
	for _, l := range WrapLines(kind, e.width, 2) {
		lines = append(lines, s.Dim.Render(l))
	}
	lines = append(lines, "")

	rows := e.rows()
	var body []string
	for i, r := range rows {
		body = append(body, e.rowLine(r, i == e.cursor && e.typing.pending == ""))
	}
	if e.typing.pending != "" {
		head := fmt.Sprintf("%-3s %-12s ", e.typing.pending, flow.LanguageName(e.typing.pending))
		body = append(body, ui.Truncate(CursorRow(s, true, head, ui.ShownInput(e.typing.input.View())), e.width))
		if e.typing.ref != "" {
			ref := fmt.Sprintf("%-16s ", "  from "+e.doc.Config.Language())
			body = append(body, ui.Truncate(s.Dim.Render("  "+ref)+flow.Visible(e.typing.ref), e.width))
		}
	}
	if e.typing.newPlain {
		body = append(body, ui.Truncate(CursorRow(s, true, fmt.Sprintf("%-16s ", "plain text"), ui.ShownInput(e.typing.input.View())), e.width))
	}
	if len(body) == 0 {
		body = append(body, s.Dim.Render("  no text yet"))
	}
	foot := e.footer(v)
	avail := max(1, e.height-len(lines)-len(foot)-1)
	cur := min(e.cursor, len(body)-1)
	e.offset = ScrollToCursor(cur, e.offset, avail)
	e.offset = max(0, min(e.offset, max(0, len(body)-avail)))
	lines = append(lines, body[e.offset:min(len(body), e.offset+avail)]...)
	if len(foot) > 0 {
		lines = append(lines, "")
		lines = append(lines, foot...)
	}
	return strings.Join(lines, "\n")
}

func (e *LocalizedEditor) rowLine(r locRow, selected bool) string {
	s := &e.common.Styles
	// A language is a member name of the text, which the config may spell
	// any way.
	name := "plain text"
	if r.lang != "" {
		name = ui.Shown(flow.LanguageName(r.lang))
		if r.lang == "ar" {
			name += " ⇐" // right to left: stored as typed
		}
	}
	head := fmt.Sprintf("%-3s %-12s ", ui.Shown(r.lang), name)
	if r.lang == "" {
		head = fmt.Sprintf("%-16s ", name)
	}
	var val string
	switch {
	case flow.IsCredentialName(r.lang): // never shown, nor edited: d removes it
		val = s.Error.Render("•••• credential hidden · d removes it")
	case selected && e.typing.on:
		val = ui.ShownInput(e.typing.input.View())
	case r.val.Is(flow.String):
		str, _ := r.val.Str()
		val = OneLine(str)
	default:
		val = s.Error.Render("not a string: " + string(flow.MarshalCompact(r.val)))
	}
	return ui.Truncate(CursorRow(s, selected, head, val), e.width)
}

// footer says which of the flow's languages the text still lacks.
func (e *LocalizedEditor) footer(v *flow.Value) []string {
	s := &e.common.Styles
	var foot []string
	if e.typing.err != "" {
		foot = append(foot, ui.Truncate(s.StatusErr.Render("✗ "+ui.Shown(e.typing.err)), e.width))
	}
	if e.typing.on {
		if note := e.typing.from.note(&e.typing.input); note != "" {
			foot = append(foot, ui.Truncate(s.Warning.Render(note), e.width))
		}
	}
	shown := e.doc.ShownLanguages()
	if miss := missingLanguages(v, shown); len(miss) > 0 {
		names := make([]string, len(miss))
		for i, l := range miss {
			names[i] = l + " " + flow.LanguageName(l)
		}
		foot = append(foot, ui.Truncate(s.Warning.Render("⚠ missing for this flow: "+ui.Shown(strings.Join(names, ", ")))+s.Dim.Render(" · f fills them in"), e.width))
	} else if v.Is(flow.Object) {
		foot = append(foot, ui.Truncate(s.Dim.Render("✓ has every language the flow shows ("+ui.Shown(strings.Join(shown, " "))+")"), e.width))
	}
	return foot
}

// capitalize upper-cases the first letter of a label.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
