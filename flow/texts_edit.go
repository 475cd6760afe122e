package flow

import (
	"fmt"
	"slices"
	"strconv"
)

// Finding one text by its ID, and the edits the wizard and i18n import
// make to it.

// textSite is a text's place in the document: the object that holds it
// and the member's name.
type textSite struct {
	holder *Value
	field  string
	ctx    LocalizedText // the text's context, without ID, Field and values
}

func (s textSite) value() *Value { return s.holder.Get(s.field) }

// locateText finds the text id names, by the rules Texts follows.
func (c *Config) locateText(id string) (textSite, bool) {
	toks := SplitPointer(id)
	index := func(i int) (int, bool) {
		if i >= len(toks) {
			return 0, false
		}
		n, err := strconv.Atoi(toks[i])
		return n, err == nil && n >= 0 && strconv.Itoa(n) == toks[i]
	}
	if len(toks) < 3 || toks[0] != "steps" {
		return textSite{}, false
	}
	i, ok := index(1)
	if !ok {
		return textSite{}, false
	}
	p, v, rest := StepPath{i}, c.StepsValue().Item(i), toks[2:]
	callKey := ""
	if len(rest) >= 3 && rest[0] == "steps" {
		call := Step{V: v}
		j, ok := index(3)
		if !ok || call.Type() != "video-call" {
			return textSite{}, false
		}
		callKey = call.EffectiveKey()
		p, v, rest = StepPath{i, j}, call.StepsValue().Item(j), toks[4:]
	}
	ctx, spec, ok := stepContext(p, v, callKey)
	if !ok || len(rest) == 0 {
		return textSite{}, false
	}
	if len(rest) == 1 {
		return textSite{holder: v, field: rest[0], ctx: ctx}, stepTextField(spec, rest[0])
	}
	if rest[0] != "questions" || !IsQuestionnaire(spec.Type) {
		return textSite{}, false
	}
	qi, ok := index(len(toks) - len(rest) + 1)
	if !ok {
		return textSite{}, false
	}
	qv := Step{V: v}.QuestionsValue().Item(qi)
	if ctx, ok = questionContext(ctx, qi, qv); !ok {
		return textSite{}, false
	}
	rest = rest[2:]
	switch {
	case len(rest) == 1:
		return textSite{holder: qv, field: rest[0], ctx: ctx}, questionTextField(ctx.QuestionType, rest[0], qv.Get(rest[0]))
	case len(rest) == 3 && rest[0] == "options" && rest[2] == FieldTitle:
		oi, ok := index(len(toks) - 2)
		if !ok {
			return textSite{}, false
		}
		ov := Question{V: qv}.OptionsValue().Item(oi)
		if ctx, ok = optionContext(ctx, oi, ov); !ok {
			return textSite{}, false
		}
		return textSite{holder: ov, field: FieldTitle, ctx: ctx}, true
	}
	return textSite{}, false
}

// TextAt returns the text id names (see LocalizedText.ID), as Texts lists
// it.
func (c *Config) TextAt(id string) (LocalizedText, bool) {
	site, ok := c.locateText(id)
	if !ok {
		return LocalizedText{}, false
	}
	return makeText(site.ctx, id, site.field, site.value(), c.Language(), nil)
}

// editableText finds the text id names for an edit.
func (c *Config) editableText(id string) (textSite, error) {
	site, ok := c.locateText(id)
	if !ok || !(site.value().Is(String) || site.value().Is(Object)) {
		return textSite{}, fmt.Errorf("no text at %s", id)
	}
	return site, nil
}

// SetText sets the text id names to s in lang; s == "" removes lang. A
// plain string stays one when lang is the flow's language, and otherwise
// becomes a {language: text} object keeping it under the flow's language.
// Nothing else in the document changes; a new language goes where the
// language list puts it.
func (c *Config) SetText(id, lang, s string) error {
	if !slices.Contains(languages, lang) {
		return fmt.Errorf("%q is not a language code%s", lang, didYouMean(lang, languages))
	}
	site, err := c.editableText(id)
	if err != nil {
		return err
	}
	v := site.value()
	if v.Is(Object) {
		if s == "" {
			v.Delete(lang)
		} else {
			v.Set(lang, NewString(s), languages)
		}
		return nil
	}
	old, _ := v.Str()
	flowLang := c.Language()
	switch {
	case lang == flowLang && s != "":
		site.holder.Set(site.field, NewString(s), nil)
	case lang == flowLang:
		site.holder.Set(site.field, NewObject(), nil) // no text in any language
	case s != "":
		obj := NewObject()
		if old != "" {
			if err := c.checkFlowLanguage(); err != nil {
				return err
			}
			obj.Set(flowLang, NewString(old), languages)
		}
		obj.Set(lang, NewString(s), languages)
		site.holder.Set(site.field, obj, nil)
	}
	return nil
}

// checkFlowLanguage refuses to file a plain string under a flow language
// that is no language code.
func (c *Config) checkFlowLanguage() error {
	if l := c.Language(); !slices.Contains(languages, l) {
		return fmt.Errorf("the flow's language %q is not a language code; fix flags.language first", l)
	}
	return nil
}

// LocalizeText turns a plain string into a {language: text} object holding
// it under the flow's language ("" gives {}). A text that is already an
// object is left as it is.
func (c *Config) LocalizeText(id string) error {
	site, err := c.editableText(id)
	if err != nil {
		return err
	}
	if s, ok := site.value().Str(); ok {
		obj := NewObject()
		if s != "" {
			if err := c.checkFlowLanguage(); err != nil {
				return err
			}
			obj.Set(c.Language(), NewString(s), languages)
		}
		site.holder.Set(site.field, obj, nil)
	}
	return nil
}

// UnlocalizeText turns a {language: text} object into the plain string of
// its text in the flow's language, and returns the other languages that had
// a text, which the plain string no longer holds. Without a text in the
// flow's language it refuses. A plain string is left as it is.
func (c *Config) UnlocalizeText(id string) (dropped []string, err error) {
	site, err := c.editableText(id)
	if err != nil {
		return nil, err
	}
	v := site.value()
	if !v.Is(Object) {
		return nil, nil
	}
	t, _ := makeText(site.ctx, id, site.field, v, c.Language(), nil)
	lang := c.Language()
	s, ok := t.Get(lang)
	if !ok {
		return nil, fmt.Errorf("%s has no %s text to keep as the plain string", id, LanguageName(lang))
	}
	for _, lt := range t.Values {
		if lt.Lang != lang && lt.Text != "" {
			dropped = append(dropped, lt.Lang)
		}
	}
	site.holder.Set(site.field, NewString(s), nil)
	return dropped, nil
}

// LangCount is how many texts a language has and lacks.
type LangCount struct {
	Lang       string `json:"lang"`
	Translated int    `json:"translated"`
	Missing    int    `json:"missing"`
}

// Total is the number of texts counted for the language.
func (n LangCount) Total() int { return n.Translated + n.Missing }

// CountTexts counts, for each of langs, the texts that show it and lack
// it (a text of only white space lacks it). Operator texts are not
// counted (see LocalizedText.Operator).
func CountTexts(texts []LocalizedText, langs []string) []LangCount {
	out := make([]LangCount, len(langs))
	for i, l := range langs {
		out[i].Lang = l
	}
	for _, t := range texts {
		if t.Operator {
			continue
		}
		for i, l := range langs {
			if t.Shows(l) {
				out[i].Translated++
			} else {
				out[i].Missing++
			}
		}
	}
	return out
}

// TextCounts counts the flow's texts over the languages it can show
// (ShownLanguages).
func (c *Config) TextCounts() []LangCount { return CountTexts(c.Texts(), c.ShownLanguages()) }
