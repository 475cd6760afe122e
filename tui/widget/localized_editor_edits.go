package widget

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// textEdits are the localized-text editor's edits of its text: one
// language set, a new text typed in each of the flow's languages in turn,
// the languages it lacks filled in, and the change between a plain string
// and a localized object. A text the flow lists (TextRef.ID) is edited
// through flow's text functions, so the wizard files texts as the CLI
// does.
type textEdits struct {
	common *ui.Common
	doc    *ui.Doc
	ref    TextRef
}

func (e textEdits) text() (*flow.Value, bool) { return e.ref.Get(e.doc.Config) }

// enterNew asks for a text that has none yet in each of langs (the
// flow's languages, EntryLanguages) in turn.
func (e textEdits) enterNew(langs []string) tea.Cmd {
	note := "each language in turn; an empty field leaves that language missing"
	return ui.Push(NewLocalizedEntry(e.common, capitalize(e.ref.What), note, langs, e.applyEntry))
}

// fillMissing asks for the flow's languages the text lacks, in turn, with
// the flow language's text as the reference.
func (e textEdits) fillMissing() tea.Cmd {
	v, _ := e.text()
	miss := missingLanguages(v, e.doc.ShownLanguages())
	if len(miss) == 0 {
		return ui.Status("the text has every language the flow shows")
	}
	flowLang := e.doc.Config.Language()
	note := "the flow's languages this text lacks, in turn; empty leaves one missing"
	entry := NewLocalizedEntry(e.common, capitalize(e.ref.What), note, miss, e.applyEntry)
	if ref := (flow.Text{V: v}).In(flowLang); ref != "" {
		entry.WithReference(flowLang, ref)
	}
	return ui.Push(entry)
}

// applyEntry stores what a LocalizedEntry was given, as one edit; the
// languages left empty are left as they were.
func (e textEdits) applyEntry(texts []flow.LangText) tea.Cmd {
	var langs []string
	for _, t := range texts {
		if t.Text != "" {
			langs = append(langs, t.Lang)
		}
	}
	if len(langs) == 0 {
		return ui.Status("nothing typed: the text is as it was")
	}
	err := e.doc.Edit("edit "+e.ref.What+" ("+strings.Join(langs, ", ")+")", func(c *flow.Config) error {
		for _, t := range texts {
			if t.Text != "" {
				if err := e.setLang(c, t.Lang, t.Text); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	return nil
}

// setLang sets the text in lang ("" for a plain string's line) to s: one
// of the flow's texts through flow's SetText, anything else through the
// ref.
func (e textEdits) setLang(c *flow.Config, lang, s string) error {
	cur, ok := e.ref.Get(c)
	if !ok {
		return fmt.Errorf("the text is gone")
	}
	if cur == nil && lang != "" {
		// No member yet: an empty text for SetText to fill.
		if err := e.ref.Set(c, flow.NewObject()); err != nil {
			return err
		}
		cur, _ = e.ref.Get(c)
	}
	setLang := lang
	if setLang == "" {
		setLang = c.Language() // a plain string is the flow language's text
	}
	if id, ok := e.ref.textID(c); ok && slices.Contains(flow.Languages(), setLang) {
		return c.SetText(id, setLang, s)
	}
	return e.ref.Set(c, withLang(cur, lang, s, c.Language()))
}

// toggleLocalized turns a plain string into a localized object keeping
// the string under the flow language, and a localized object back into
// the plain string of its flow-language text; dropped are the languages
// that went. before are the languages the t just before dropped, which a
// localized text made again does not bring back.
func (e textEdits) toggleLocalized(before []string) (cmd tea.Cmd, dropped []string) {
	v, _ := e.text()
	switch {
	case v.Is(flow.String):
		return e.localize(v, before), nil
	case v.Is(flow.Object) && !e.ref.Plain:
		return e.unlocalize()
	}
	return nil, nil
}

func (e textEdits) localize(v *flow.Value, before []string) tea.Cmd {
	s, _ := v.Str()
	err := e.doc.Edit("localize "+e.ref.What, func(c *flow.Config) error {
		if id, ok := e.ref.textID(c); ok {
			return c.LocalizeText(id)
		}
		return e.ref.Set(c, flow.NewText(c.Language(), s))
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	lang := e.doc.Config.Language()
	if len(before) > 0 {
		return ui.Status(fmt.Sprintf("localized again, %s only: the t before dropped %s · u twice brings %s back",
			lang, languageList(before), pronoun(before)))
	}
	return ui.Status(fmt.Sprintf("now a localized text, kept under %s · a adds a language · t makes it plain again", lang))
}

// unlocalize keeps the flow language's text as a plain string; the other
// languages go (u brings them back), and the status names them.
func (e textEdits) unlocalize() (tea.Cmd, []string) {
	var dropped []string
	err := e.doc.Edit("make "+e.ref.What+" plain", func(c *flow.Config) error {
		id, ok := e.ref.textID(c)
		if !ok {
			return fmt.Errorf("%s cannot be made a plain text here", e.ref.What)
		}
		var err error
		dropped, err = c.UnlocalizeText(id)
		return err
	})
	if err != nil {
		return ui.StatusErr(err), nil
	}
	note := fmt.Sprintf("now plain: the %s text, shown in every language", e.doc.Config.Language())
	if len(dropped) > 0 {
		return ui.Status(fmt.Sprintf("%s; dropped %s · u brings %s back", note, languageList(dropped), pronoun(dropped))), dropped
	}
	return ui.Status(note + " · u to undo"), nil
}

// languageList names language codes with their names: "es (Spanish), fr
// (French)".
func languageList(langs []string) string {
	named := make([]string, len(langs))
	for i, l := range langs {
		named[i] = ui.Shown(l) + " (" + flow.LanguageName(l) + ")"
	}
	return strings.Join(named, ", ")
}

// pronoun is "it" for one language, "them" for several.
func pronoun(langs []string) string {
	if len(langs) == 1 {
		return "it"
	}
	return "them"
}

// otherLanguages are the languages of a localized text v other than lang.
func otherLanguages(v *flow.Value, lang string) []string {
	var out []string
	for _, l := range (flow.Text{V: v}).Langs() {
		if l != lang {
			out = append(out, l)
		}
	}
	return out
}
