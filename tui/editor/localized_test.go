package editor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

func stepTitle(r *richRig) *flow.Value { return r.doc.Config.Steps()[0].V.Get("title") }

func TestLocalizedEditorLanguages(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [
		{"type": "company", "title": {"en": "Company data"}, "fields": []},
		{"type": "language", "flags": {"languages": ["en", "es", "ka"]}}
	]}`))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter")
	requireTop[*widget.LocalizedEditor](t, r)
	r.requireScreen("en  English", "Company data", "missing for this flow: es Spanish, ka Georgian")

	// a: the picker lists the missing languages first, with names.
	r.keys("a")
	p := requireTop[*widget.Picker](t, r)
	if p.Items()[0].Value != "es" || p.Items()[1].Value != "ka" || p.Items()[0].Label != "Spanish" {
		t.Fatalf("picker starts with %+v, %+v; want the flow's missing languages first", p.Items()[0], p.Items()[1])
	}
	for _, it := range p.Items() {
		if it.Value == "en" {
			t.Fatal("the picker offers a language the text already has")
		}
	}
	if len(p.Items()) != 21 {
		t.Fatalf("picker has %d languages, want the 21 not yet present", len(p.Items()))
	}
	r.keys("enter") // es
	requireTop[*widget.LocalizedEditor](t, r)
	if !ui.Capturing(r.top()) {
		t.Fatal("after picking a language the editor should be taking its text")
	}
	r.typeText("Datos de la empresa")
	r.keys("enter")
	if got := string(flow.MarshalCompact(stepTitle(r))); got != `{"en":"Company data","es":"Datos de la empresa"}` {
		t.Fatalf("title = %s", got)
	}
	r.requireScreen("es  Spanish", "missing for this flow: ka Georgian")

	// Edit English inline.
	r.keys("home", "enter")
	for range len("Company data") {
		r.keys("backspace")
	}
	r.typeText("Firm")
	r.keys("enter")
	if got := (flow.Text{V: stepTitle(r)}).In("en"); got != "Firm" {
		t.Fatalf("en = %q, want Firm", got)
	}

	// d removes the language under the cursor; u brings it back.
	r.keys("down", "d")
	if stepTitle(r).Has("es") {
		t.Fatal("d did not remove es")
	}
	r.keys("u")
	if !stepTitle(r).Has("es") {
		t.Fatal("u did not bring es back")
	}

	// Removing the last language removes the text.
	r.keys("home", "d", "d")
	if stepTitle(r) != nil {
		t.Fatalf("title = %s, want removed", flow.MarshalCompact(stepTitle(r)))
	}
	r.requireScreen("not set")
	r.keys("esc")
	requireTop[*kybEditor](t, r)
}

func TestLocalizedKeepsRightToLeftTextExactly(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ar"}, "steps": [{"type": "company", "title": {"ar": "سؤال"}, "fields": []}]}`))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter")
	// Typing the existing text again leaves it as it was, byte for byte.
	r.keys("enter", "enter")
	if got, _ := stepTitle(r).Get("ar").Str(); got != "سؤال" {
		t.Fatalf("unchanged edit changed the text to %q", got)
	}
	const typed = "  بيانات الشركة \u200f "
	r.keys("enter")
	for range len([]rune("سؤال")) {
		r.keys("backspace")
	}
	r.typeText(typed)
	r.keys("enter")
	if got, _ := stepTitle(r).Get("ar").Str(); got != typed {
		t.Fatalf("ar = %q, want %q kept exactly (no trimming, no reordering)", got, typed)
	}
	r.requireScreen("Arabic", "بيانات الشركة")
}

func TestLocalizedPlainStringConvertsUnderFlowLanguage(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [{"type": "kyb-review", "title": "Check"}]}`))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter")
	r.requireScreen("plain text", "Check")
	r.keys("t")
	if got := string(flow.MarshalCompact(stepTitle(r))); got != `{"ka":"Check"}` {
		t.Fatalf("title = %s, want the string kept under the flow language ka", got)
	}
	r.keys("u")
	// Adding a language to a plain string converts it the same way.
	r.keys("a")
	requireTop[*widget.Picker](t, r)
	r.keys("/")
	r.typeText("french")
	r.keys("enter")
	r.typeText("Vérifier")
	r.keys("enter")
	if got := string(flow.MarshalCompact(stepTitle(r))); got != `{"ka":"Check","fr":"Vérifier"}` {
		t.Fatalf("title = %s", got)
	}
}

func TestLocalizedEmptyTextIsRefusedAndEscCancels(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "company", "title": {"en": "A"}, "fields": []}]}`))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter", "a", "enter") // first offered language
	r.keys("enter")               // nothing typed
	r.requireScreen("the text is empty")
	r.keys("esc")
	if ui.Capturing(r.top()) {
		t.Fatal("esc should stop editing")
	}
	if n := stepTitle(r).Len(); n != 1 {
		t.Fatalf("title has %d languages, want 1 (nothing added)", n)
	}
}

func TestPresetTextAnswerMayStayPlain(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [
		{"type": "string", "key": "name", "title": {"en": "Name"}}]}]}`))
	r.open(0)
	r.push(newQuestionEditor(r.common, r.doc, flow.StepPath{0}, 0, ""))
	qe := requireTop[*questionEditor](t, r)
	r.moveTo(func() *widget.PropList { return qe.list }, "answer")
	r.keys("enter")
	requireTop[*widget.LocalizedEditor](t, r)
	r.keys("enter")
	r.typeText("John Doe")
	r.keys("enter")
	q := r.doc.Config.Steps()[0].Questions()[0]
	if got := string(flow.MarshalCompact(q.V.Get("answer"))); got != `"John Doe"` {
		t.Fatalf("answer = %s, want a plain string", got)
	}
}

func TestLocalizedGolden(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [
		{"type": "language", "flags": {"languages": ["en", "ar", "ka", "es"]}},
		{"type": "user-questionnaire", "key": "q", "title": {"en": "Your title", "ar": "عنوانك", "ka": "თქვენი სათაური"}, "questions": []}
	]}`))
	e := r.open(1).(*questionnaireEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter")
	out := r.screen()
	if !strings.Contains(out, "missing for this flow: es Spanish") {
		t.Fatalf("missing language not shown:\n%s", out)
	}
	golden.RequireEqual(t, out)
}

// A language picked and then cancelled leaves the cursor past the last
// line; down brings it back onto the last language.
func TestLocalizedEditorDownAfterCancelledAdd(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [
		{"type": "company", "title": {"en": "Company data", "es": "Datos"}, "fields": []}
	]}`))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter", "a", "enter", "esc")
	requireTop[*widget.LocalizedEditor](t, r)
	if strings.Contains(r.screen(), "▸") {
		t.Fatalf("a line is selected after the add was cancelled:\n%s", r.screen())
	}
	r.keys("down")
	r.requireScreen("▸ es  Spanish")
}

// Enter on a text with none asks for it in each of the flow's languages,
// the flow's first; each typed language is stored, in one undo step.
func TestLocalizedNewTextAsksEachLanguageInTurn(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [
		{"type": "language", "flags": {"languages": ["ka", "en", "ru"]}},
		{"type": "company", "title": {"ka": "კომპანია"}, "fields": []}
	]}`))
	e := r.open(1).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "description")
	r.keys("enter")
	r.requireScreen("enter types it in ka, en, ru in turn")
	r.keys("enter")
	entry := requireTop[*widget.LocalizedEntry](t, r)
	if entry.Lang() != "ka" {
		t.Fatalf("asked %q first, want ka", entry.Lang())
	}
	r.typeText("აღწერა")
	r.keys("enter")
	if got := requireTop[*widget.LocalizedEntry](t, r).Lang(); got != "en" {
		t.Fatalf("then %q, want en", got)
	}
	if strings.Contains(strings.SplitN(r.screen(), "en  English", 2)[1], "აღწერა") {
		t.Fatalf("the Georgian text shows in the English field:\n%s", r.screen())
	}
	r.typeText("About")
	r.keys("enter", "enter") // ru left empty
	requireTop[*widget.LocalizedEditor](t, r)
	desc := r.doc.Config.Steps()[1].V.Get("description")
	if got := string(flow.MarshalCompact(desc)); got != `{"en":"About","ka":"აღწერა"}` {
		t.Fatalf("description = %s", got)
	}
	r.requireScreen("missing for this flow: ru Russian")
	r.keys("u")
	if r.doc.Config.Steps()[1].V.Has("description") {
		t.Fatal("one u should take the whole new text back")
	}
}

// f asks the languages a text lacks, showing the flow language's text as
// a reference above empty fields.
func TestLocalizedFillMissingShowsReference(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [
		{"type": "language", "flags": {"languages": ["ka", "en", "ru"]}},
		{"type": "company", "title": {"ka": "კომპანია"}, "fields": []}
	]}`))
	e := r.open(1).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter", "f")
	entry := requireTop[*widget.LocalizedEntry](t, r)
	if entry.Lang() != "en" {
		t.Fatalf("asked %q first, want en (ka is there)", entry.Lang())
	}
	r.requireScreen("ka  reference", "კომპანია", "ru  Russian")
	r.typeText("Company")
	r.keys("enter")
	r.typeText("Компания")
	r.keys("enter")
	if got := string(flow.MarshalCompact(stepTitleAt(r, 1))); got != `{"en":"Company","ka":"კომპანია","ru":"Компания"}` {
		t.Fatalf("title = %s", got)
	}
}

func stepTitleAt(r *richRig, i int) *flow.Value { return r.doc.Config.Steps()[i].V.Get("title") }

// Adding one language shows the flow language's text beside the empty
// line, never in it.
func TestLocalizedAddLanguageStartsEmpty(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [
		{"type": "language", "flags": {"languages": ["ka", "en"]}},
		{"type": "company", "title": {"ka": "კომპანია"}, "fields": []}
	]}`))
	e := r.open(1).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter", "a", "enter") // en, the flow's missing language
	r.requireScreen("from ka", "კომპანია")
	r.keys("enter") // nothing typed
	r.requireScreen("the text is empty")
	if stepTitleAt(r, 1).Has("en") {
		t.Fatal("English was filled without being typed")
	}
}

// t turns a localized text into the plain string of its flow-language
// text and back; u undoes each.
func TestLocalizedToPlainAndBack(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [
		{"type": "language", "flags": {"languages": ["ka", "en"]}},
		{"type": "company", "title": {"ka": "კომპანია", "en": "Company"}, "fields": []}
	]}`))
	e := r.open(1).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	r.keys("enter")
	requireSaid(t, r.screen(), "t makes it plain (keeps ka, drops en)")
	r.keys("t")
	if got := string(flow.MarshalCompact(stepTitleAt(r, 1))); got != `"კომპანია"` {
		t.Fatalf("title = %s, want the plain Georgian string", got)
	}
	if !strings.Contains(r.status, "dropped en (English) · u brings it back") {
		t.Errorf("status %q does not say English went and how it comes back", r.status)
	}
	r.requireScreen("plain text")
	r.keys("t")
	if got := string(flow.MarshalCompact(stepTitleAt(r, 1))); got != `{"ka":"კომპანია"}` {
		t.Fatalf("title = %s after t again", got)
	}
	// t again does not bring English back, and says so.
	if !strings.Contains(r.status, "the t before dropped en (English) · u twice brings it back") {
		t.Errorf("status %q after t t does not say English is still gone", r.status)
	}
	r.keys("u", "u")
	if got := string(flow.MarshalCompact(stepTitleAt(r, 1))); got != `{"ka":"კომპანია","en":"Company"}` {
		t.Fatalf("title = %s after u u, want it as it was", got)
	}
	// Without a text in the flow language it refuses and says why.
	r.doc.Edit("drop ka", func(c *flow.Config) error { return c.SetText("/steps/1/title", "ka", "") })
	r.keys("t")
	if !r.statusErr || !strings.Contains(r.status, "no Georgian text") {
		t.Errorf("status %q (err %v), want a refusal naming Georgian", r.status, r.statusErr)
	}
}
