package editor

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// tableFlow is a Georgian flow shown in Georgian, English and Russian:
// six texts of a questionnaire in ka and en, none in ru, and an operator
// questionnaire's title.
const tableFlow = `{"flags": {"language": "ka"}, "steps": [
	{"type": "language", "flags": {"languages": ["ka", "en", "ru"]}},
	{"type": "user-questionnaire", "key": "onboarding",
	 "title": {"ka": "კითხვარი", "en": "Questionnaire"},
	 "successButtonTitle": {"ka": "გაგზავნა", "en": "Send"},
	 "questions": [
		{"type": "string", "key": "occupation", "title": {"ka": "საქმიანობა", "en": "Occupation"}},
		{"type": "options", "key": "income", "title": {"ka": "შემოსავალი", "en": "Monthly income"},
		 "options": [{"key": "low", "title": {"ka": "1000-მდე", "en": "Up to 1000"}}, {"key": "high", "title": {"ka": "1000-ზე მეტი"}}]}]},
	{"type": "operator-questionnaire", "key": "desk", "title": "Checks", "questions": []}
]}`

// openTable opens the flow editor of cfg on its Translations tab.
func openTable(t *testing.T, cfg string) (*richRig, *Editor) {
	t.Helper()
	r := newRichRig(t, rigConfig(t, cfg))
	e := New(r.common, r.doc, nil)
	r.push(e)
	r.keys("shift+tab")
	if e.pane != paneTranslations {
		t.Fatalf("shift+tab from Steps is %s, want Translations", paneNames[e.pane])
	}
	return r, e
}

// tableTexts are the table's rows as it holds them.
func tableTexts(e *Editor) []flow.LocalizedText { return e.texts.texts }

// selectedText is the text under the table's cursor.
func selectedText(t *testing.T, e *Editor) flow.LocalizedText {
	t.Helper()
	tx, ok := e.texts.selected()
	if !ok {
		t.Fatal("no text under the cursor")
	}
	return tx
}

func TestTranslationTableShowsCountsAndMissingInWords(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.requireScreen("ka: 6 of 6 ✓", "en: 5 of 6", "ru: 0 of 6", "1 operator text not counted",
		"ka Georgian (flow)", "en English", "— missing", "onboarding", "income")
	// Three languages do not fit 80 columns: the flow's and one other, and
	// the way to switch is said.
	r.requireScreen("←/→ language (1 of 3)")
	if strings.Contains(r.screen(), "ru Russian") {
		t.Fatalf("a third column squeezed in at 80 columns:\n%s", r.screen())
	}
	r.keys("right", "right")
	r.requireScreen("ru Russian", "←/→ language (3 of 3)")
	if strings.Contains(r.screen(), "en English") {
		t.Fatalf("the English column stays beside Russian:\n%s", r.screen())
	}
	r.keys("left")
	r.requireScreen("en English")

	// m keeps the texts without the column's language; s one step.
	r.keys("m")
	r.requireScreen("2 of 7 texts without en")
	r.keys("m", "s")
	r.pickValue("2")
	r.requireScreen("1 of 7 texts of step desk")
	if got := selectedText(t, e); got.StepKey != "desk" || !got.Operator {
		t.Fatalf("selected %+v", got)
	}
	r.requireScreen("not counted (operator)", "plain text")
	r.keys("s")
	r.pickValue("")
	r.requireScreen("7 texts")
}

func TestTranslationTableEditsCellsInPlace(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.keys("right", "right") // ru
	r.keys("enter")
	if !ui.Capturing(r.top()) {
		t.Fatal("enter on a cell should edit it")
	}
	r.requireScreen("from ka: კითხვარი")
	r.typeText("Анкета")
	r.keys("enter")
	if got, _ := r.doc.Config.Steps()[1].V.Get("title").Get("ru").Str(); got != "Анкета" {
		t.Fatalf("ru title = %q", got)
	}
	r.requireScreen("ru: 1 of 6", "Анкета")
	if got := selectedText(t, e); got.Field != flow.FieldSuccessButton {
		t.Fatalf("after applying, the cursor is on %s, want the next text", got.ID)
	}

	// esc cancels; an empty text is refused with the way to remove one.
	r.keys("enter")
	r.typeText("Отпр")
	r.keys("esc")
	if r.doc.Config.Steps()[1].V.Get("successButtonTitle").Has("ru") {
		t.Fatal("esc stored the text")
	}
	r.keys("up", "enter")
	for range len([]rune("Анкета")) {
		r.keys("backspace")
	}
	r.keys("enter")
	r.requireScreen("the text is empty: d removes the ru text, esc cancels")
	r.keys("esc")

	// d removes the cell's text; u brings it back, and the table follows.
	r.keys("d")
	if r.doc.Config.Steps()[1].V.Get("title").Has("ru") {
		t.Fatal("d did not remove the ru text")
	}
	r.requireScreen("ru: 0 of 6")
	r.keys("u")
	r.requireScreen("ru: 1 of 6")
	if got := tableTexts(e); !reflect.DeepEqual(got, r.doc.Config.Texts()) {
		t.Fatalf("after u the table holds\n%+v\nwant\n%+v", got, r.doc.Config.Texts())
	}
}

// Filling a third language: the rows without it, one after another,
// enter, text, enter each; the counts and the flow's problems follow.
func TestTranslationTableFillsThirdLanguage(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.keys("right", "right", "m")
	ru := []string{"Анкета", "Отправить", "Род занятий", "Ежемесячный доход", "До 1000", "Более 1000", "Проверки"}
	for _, text := range ru {
		r.keys("enter")
		r.typeText(text)
		r.keys("enter")
		// The rows edited here are read again alone: they must match what
		// the flow says.
		if got := tableTexts(e); !reflect.DeepEqual(got, r.doc.Config.Texts()) {
			t.Fatalf("after %q the table holds\n%+v\nwant\n%+v", text, got, r.doc.Config.Texts())
		}
	}
	r.requireScreen("ru: 6 of 6 ✓")
	// The rows filled stay until the filter is applied again.
	r.requireScreen("7 texts without ru (7 filled)")
	r.keys("m", "m")
	r.requireScreen("0 of 7 texts without ru", "every text shown has ru")
	r.keys("m") // all texts again: the English gap is left
	r.keys("left")
	r.requireScreen("en: 5 of 6")
	for _, d := range r.doc.Diags {
		if d.Code == "missing-translation" && strings.Contains(d.Message, "ru") {
			t.Errorf("still missing ru: %s %s", d.Path, d.Message)
		}
	}
	if got := string(flow.MarshalCompact(r.doc.Config.Steps()[1].V.Get("title"))); got != `{"ka":"კითხვარი","en":"Questionnaire","ru":"Анкета"}` {
		t.Errorf("title = %s", got)
	}
}

// A plain string is the flow language's text; a translation of it makes
// it a localized object keeping it under the flow's language.
func TestTranslationTablePlainTextGainsLanguage(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.keys("end", "right")
	if got := selectedText(t, e); !got.Plain {
		t.Fatalf("the last row should be the operator questionnaire's plain title, is %+v", got)
	}
	r.keys("enter")
	r.typeText("Checks")
	r.keys("enter")
	if got := string(flow.MarshalCompact(r.doc.Config.Steps()[2].V.Get("title"))); got != `{"en":"Checks","ka":"Checks"}` {
		t.Fatalf("title = %s", got)
	}
}

// o opens the text's own editor, the localized-text editor, directly: an
// edit there is the flow's, and esc comes back to the table.
func TestTranslationTableOpensTextsEditor(t *testing.T) {
	r, e := openTable(t, tableFlow)
	for selectedText(t, e).OptionKey != "high" {
		r.keys("down")
	}
	r.keys("o")
	requireTop[*widget.LocalizedEditor](t, r)
	r.requireScreen(`Title of option "high"`, "1000-ზე მეტი")
	r.keys("a")
	r.pickValue("en")
	r.typeText("Over 1000")
	r.keys("enter")
	opt := r.doc.Config.Steps()[1].Questions()[1].Options()[1]
	if got := string(flow.MarshalCompact(opt.V.Get("title"))); got != `{"en":"Over 1000","ka":"1000-ზე მეტი"}` {
		t.Fatalf("title = %s", got)
	}
	r.keys("esc")
	if r.top() != ui.Screen(e) || e.pane != paneTranslations {
		t.Fatalf("esc leads to %T, want the editor's Translations tab", r.top())
	}
	if got, _ := selectedText(t, e).Get("en"); got != "Over 1000" {
		t.Fatalf("the table shows %q in en, want the edit", got)
	}

	// A step's plain title (an operator questionnaire's) stays plain.
	for selectedText(t, e).StepKey != "desk" {
		r.keys("down")
	}
	r.keys("o")
	r.requireScreen(`Title of step "desk"`, "plain text")
}

// An edit made elsewhere (in another editor) shows when the table is
// drawn again.
func TestTranslationTableFollowsOtherEdits(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.screen()
	if err := r.doc.Edit("elsewhere", func(c *flow.Config) error {
		return c.SetText("/steps/1/questions/1/options/1/title", "en", "Over 1000")
	}); err != nil {
		t.Fatal(err)
	}
	r.requireScreen("en: 6 of 6 ✓", "Over 1000")
	if got := tableTexts(e); !reflect.DeepEqual(got, r.doc.Config.Texts()) {
		t.Fatal("the table did not read the flow again")
	}
}

func TestTranslationTableGolden(t *testing.T) {
	t.Run("80x24", func(t *testing.T) {
		r, _ := openTable(t, tableFlow)
		r.keys("right", "right", "down")
		golden.RequireEqual(t, r.screen())
	})
	t.Run("120x40", func(t *testing.T) {
		r, e := openTable(t, tableFlow)
		e.SetSize(120, 37)
		r.keys("down", "down", "right", "right", "enter")
		r.typeText("Род")
		view := e.View()
		for i, l := range strings.Split(view, "\n") {
			if w := ansi.StringWidth(l); w > 120 {
				t.Fatalf("line %d is %d cells wide", i+1, w)
			}
		}
		golden.RequireEqual(t, ansi.Strip(ui.FitBlock(view, 120, 37)))
	})
}

// Accessible mode reads the counts, the text and language under the
// cursor, and while typing the text to translate from.
func TestTranslationTableDescribe(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.keys("right", "right", "down")
	got := e.Describe()
	for _, want := range []string{"Translations tab, 7 of 7", "Russian 0 of 6", `Text 2 of 7: step "onboarding" › successButtonTitle, Russian: missing, selected.`, "m lists only the texts without it"} {
		if !strings.Contains(got, want) {
			t.Errorf("Describe() = %q, lacks %q", got, want)
		}
	}
	r.keys("enter")
	r.typeText("Отпр")
	if got := e.Describe(); !strings.Contains(got, `The Georgian text: "გაგზავნა". Typing: enter applies, esc cancels.`) {
		t.Errorf("Describe() while typing = %q", got)
	}
}

// A counts line longer than the screen is wide wraps rather than lose its
// end (the note of a flow shown in one language), and the table still
// fits its rows.
func TestTranslationTableCountsLineReadsWhole(t *testing.T) {
	one := strings.Replace(tableFlow, `["ka", "en", "ru"]`, `["ka"]`, 1)
	r, e := openTable(t, one)
	screen := strings.Join(strings.Fields(r.screen()), " ") // fails on a line too wide or too many lines
	if !strings.Contains(screen, "1 operator text not counted") || !strings.Contains(screen, "a language step's list adds more") {
		t.Fatalf("the counts line is cut:\n%s", r.screen())
	}
	if n := strings.Count(e.View(), "\n") + 1; n != rigHeight {
		t.Fatalf("the table takes %d rows of the %d it has:\n%s", n, rigHeight, r.screen())
	}
}

// A cell filled with spaces only shows nothing: the table's counts and
// its missing-only filter take it as missing, as flow.CountTexts does.
func TestTranslationTableCountsABlankCellAsMissing(t *testing.T) {
	r, e := openTable(t, tableFlow)
	r.keys("right", "right") // ru
	r.requireScreen("ru: 0 of 6")
	r.keys("enter")
	r.typeText("   ")
	r.keys("enter")
	if got, _ := r.doc.Config.Steps()[1].V.Get("title").Get("ru").Str(); got != "   " {
		t.Fatalf("the cell holds %q", got)
	}
	r.requireScreen("ru: 0 of 6")
	want := flow.CountTexts(r.doc.Config.Texts(), e.texts.langs)
	if !reflect.DeepEqual(e.texts.counts, want) {
		t.Errorf("table counts %+v, CountTexts %+v", e.texts.counts, want)
	}
}
