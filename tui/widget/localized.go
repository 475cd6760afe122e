package widget

import (
	"slices"
	"strings"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// TextRef names one localized text in the document. Get and Set run
// against whichever config is current, because undo swaps it; get's ok is
// false when the object holding the text is gone.
type TextRef struct {
	What string // e.g. `title of step "company"`
	Get  func(c *flow.Config) (v *flow.Value, ok bool)
	Set  func(c *flow.Config, v *flow.Value) error // nil removes the text
	// Plain says a plain string is as good as a localized object here (a
	// preset answer): enter on an unset text starts one.
	Plain bool
	// ID is the text's JSON Pointer (flow.LocalizedText.ID). Where it
	// names one of the flow's texts, edits go through the flow's text
	// functions (SetText, LocalizeText, UnlocalizeText).
	ID string
}

// textID returns the ref's ID when it names one of c's texts.
func (r TextRef) textID(c *flow.Config) (string, bool) {
	if r.ID == "" {
		return "", false
	}
	_, ok := c.TextAt(r.ID)
	return r.ID, ok
}

// EntryLanguages are the languages a new text is asked for, in turn: the
// flow's language first, then the other languages it shows.
func EntryLanguages(cfg *flow.Config) []string {
	shown := cfg.ShownLanguages()
	first := cfg.Language()
	if !slices.Contains(shown, first) {
		return shown
	}
	out := make([]string, 0, len(shown))
	out = append(out, first)
	for _, l := range shown {
		if l != first {
			out = append(out, l)
		}
	}
	return out
}

// LocalizedProp is a property line for a localized text at path (its
// JSON Pointer, taken as the ref's ID unless it has one); enter opens the
// localized-text editor.
func LocalizedProp(c *ui.Common, doc *ui.Doc, label, path, about string, ref TextRef) Prop {
	if ref.ID == "" {
		ref.ID = path
	}
	return Prop{
		Label: label, Path: path, Kind: PropPick,
		Value: func() string {
			v, _ := ref.Get(doc.Config)
			return LocalizedValue(&c.Styles, v, doc)
		},
		Hint: func() string { return about + " · enter edits it per language" },
		Pick: func() ui.Screen { return NewLocalizedEditor(c, doc, ref) },
	}
}

// LocalizedValue renders a text in one line: the flow language's version,
// the languages present and the flow's languages still missing.
func LocalizedValue(s *ui.Styles, v *flow.Value, doc *ui.Doc) string {
	t := flow.Text{V: v}
	switch {
	case t.IsZero():
		return s.Dim.Render(NotSet)
	case v.Is(flow.String):
		str, _ := v.Str()
		return OneLine(str) + s.Dim.Render("  (plain text)")
	case !v.Is(flow.Object):
		return s.Error.Render("not a text: " + string(flow.MarshalCompact(v)))
	}
	langs := t.Langs()
	out := OneLine(t.In(doc.Config.Language())) + s.Dim.Render("  "+ui.Shown(strings.Join(langs, " ")))
	if miss := missingLanguages(v, doc.ShownLanguages()); len(miss) > 0 {
		out += s.Warning.Render("  ⚠ no " + ui.Shown(strings.Join(miss, " ")))
	}
	return out
}

// missingLanguages returns the flow's shown languages a localized object
// lacks (nothing for a plain string, which shows in every language).
func missingLanguages(v *flow.Value, shown []string) []string {
	if !v.Is(flow.Object) {
		return nil
	}
	var out []string
	for _, l := range shown {
		if !v.Has(l) {
			out = append(out, l)
		}
	}
	return out
}

// OneLine shows a text from a config on one line without changing what is
// stored: line ends as ⏎, tabs as spaces, and then made visible (ui.Shown).
func OneLine(s string) string {
	return ui.Shown(lineEnds.Replace(ui.Clip(s)))
}

var lineEnds = strings.NewReplacer("\r\n", "⏎", "\n", "⏎", "\r", "⏎", "\t", " ")

// withLang returns text with lang set to s. A plain string becomes an
// object keeping it under the flow language; lang "" sets a plain string.
func withLang(text *flow.Value, lang, s, flowLang string) *flow.Value {
	if lang == "" {
		return flow.NewString(s)
	}
	var obj *flow.Value
	switch {
	case text.Is(flow.Object):
		obj = text.Clone()
	case text.Is(flow.String):
		old, _ := text.Str()
		obj = flow.NewText(flowLang, old)
	default:
		obj = flow.NewObject()
	}
	obj.Set(lang, flow.NewString(s), flow.Languages())
	return obj
}
