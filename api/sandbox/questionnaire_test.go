package sandbox

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// questionBlock is the block of question i on a questionnaire page.
func questionBlock(t testing.TB, p *page, i int) *html.Node {
	t.Helper()
	for d := range p.doc.Descendants() {
		if v, ok := attr(d, "data-q"); ok && v == string(rune('0'+i)) {
			return d
		}
	}
	t.Fatalf("no question %d on %s", i, p.url)
	return nil
}

func result(t testing.TB, f *fixture, token string) resultBody {
	t.Helper()
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	var body resultBody
	if err := json.Unmarshal(res.Raw, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

func answerOf(q resultQuestionnaire, key string) (resultAnswer, bool) {
	for _, a := range q.Answers {
		if a.Key == key {
			return a, true
		}
	}
	return resultAnswer{}, false
}

// With scripts off, a question whose condition is not met is sent hidden
// and disabled; the answers that bring it up send the page back with it
// shown and the answers kept, and answers that hide it again drop its
// answer.
func TestQuestionnaireConditionsWithoutScripts(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "onboarding-questionnaire", "en"))
	b := newBrowser(t, f.srv.URL)
	w := newWalker(b, token)
	w.check = pageInvariants("en")
	p := w.fetch(pageURL(token, -1))
	lang := mainForm(p)
	lang.set("lang", "es")
	w.check = pageInvariants("es")
	p = w.send(lang, "")
	if heading(p) != "Sobre usted" {
		t.Fatalf("questionnaire page: %q", heading(p))
	}
	business, proof := questionBlock(t, p, 1), questionBlock(t, p, 3)
	if !hasAttr(business, "hidden") || !hasAttr(proof, "hidden") {
		t.Fatal("conditional questions shown before their answers")
	}
	form := mainForm(p)
	for _, c := range form.controls {
		if (c.name == "q1" || c.name == "q3") && !c.disabled {
			t.Fatalf("control %s of a hidden question is not disabled", c.name)
		}
	}
	if got := strings.TrimSpace(text(b.button(form, "").node)); got != "Continuar" {
		t.Errorf("submit button %q, want the flow's successButtonTitle", got)
	}
	form.set("q0", "self-employed")
	form.set("q2", "investments")
	p = w.send(form, "")
	if !strings.Contains(p.body, "more questions") || hasAttr(questionBlock(t, p, 1), "hidden") || hasAttr(questionBlock(t, p, 3), "hidden") {
		t.Fatalf("the page did not come back with the questions the answers bring up:\n%s", p.body)
	}
	form = mainForm(p)
	if c := form.named("q0"); !slices.ContainsFunc(c, func(c *control) bool { return c.checked && c.value == "self-employed" }) {
		t.Fatal("the answer given was not kept")
	}
	if !hasAttr(form.named("q1")[0].node, "required") {
		t.Error("the mandatory question that appeared is not required")
	}
	// Sent without the now mandatory answer: an error, nothing lost.
	p = w.send(form, "")
	if errs := errorsOf(p); !strings.Contains(errs, "¿Cómo se llama su negocio?") || !strings.Contains(errs, "needs an answer") {
		t.Fatalf("missing mandatory answer not reported: %s", errs)
	}
	form = mainForm(p)
	form.set("q1", "Taller Ana")
	// File questions take only their types, and at most filesMaxCount.
	form.attach("q3", textFile)
	p = w.send(form, "")
	if errs := errorsOf(p); !strings.Contains(errs, "choose a PDF or an image") || !strings.Contains(errs, "text/plain") {
		t.Fatalf("a text file was not refused: %s", errs)
	}
	form = mainForm(p)
	if got := form.named("q1")[0].value; got != "Taller Ana" {
		t.Fatalf("the text answer was lost: %q", got)
	}
	form.attach("q3", pngFile, pdfFile, jpegFile, pngFile)
	p = w.send(form, "")
	if errs := errorsOf(p); !strings.Contains(errs, "at most 3 files") {
		t.Fatalf("four files for three were not refused: %s", errs)
	}
	form = mainForm(p)
	form.attach("q3", pngFile, pdfFile)
	if p = w.send(form, ""); p.formWith("outcome", "approved") == nil {
		t.Fatalf("not on the outcome page:\n%s", errorsOf(p))
	}
	q := result(t, f, token).Questionnaires[0]
	if a, _ := answerOf(q, "business-name"); a.Value != "Taller Ana" {
		t.Errorf("business-name = %v", a.Value)
	}
	if a, _ := answerOf(q, "income-proof"); len(a.Files) != 2 || a.Files[0].ContentType != "image/png" || a.Files[1].ContentType != "application/pdf" {
		t.Errorf("income-proof = %+v", a.Files)
	}

	// Back to the questionnaire: a choice that hides the business name
	// drops its answer; the files stay, their question still shown.
	p = w.fetch(pageURL(token, 1))
	form = mainForm(p)
	form.set("q0", "employed")
	w.send(form, "")
	q = result(t, f, token).Questionnaires[0]
	if _, ok := answerOf(q, "business-name"); ok {
		t.Errorf("the hidden question's answer is kept: %+v", q)
	}
	if a, _ := answerOf(q, "employment-status"); a.Value != "employed" {
		t.Errorf("employment-status = %v", a.Value)
	}
	if a, _ := answerOf(q, "purpose"); !slices.Equal(toStrings(a.Value), []string{"investments"}) {
		t.Errorf("purpose = %v", a.Value)
	}
	if a, _ := answerOf(q, "income-proof"); len(a.Files) != 2 {
		t.Errorf("income-proof files lost: %+v", a)
	}
}

func toStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

// allTypesConfig has every question type with presets, read-only answers,
// a multiple dropdown, and a condition on a text answer.
const allTypesConfig = `{"flags":{"language":"en"},"steps":[{"type":"user-questionnaire","key":"about",
 "title":{"en":"About you"},"successButtonTitle":{"en":"Send answers"},
 "questions":[
  {"type":"string","key":"name","title":{"en":"Name"},"mandatory":true,"answer":{"en":"Ana"}},
  {"type":"string","key":"ref","title":{"en":"Reference"},"readOnly":true,"answer":"REF-7"},
  {"type":"options","key":"plan","title":{"en":"Plan"},"readOnly":true,"answer":"gold",
   "options":[{"key":"silver","title":{"en":"Silver"}},{"key":"gold","title":{"en":"Gold"}}]},
  {"type":"multiple-choice","key":"topics","title":{"en":"Topics"},"answer":["b"],
   "options":[{"key":"a","title":{"en":"A"}},{"key":"b","title":{"en":"B"}},{"key":"c"}]},
  {"type":"dropdown","key":"langs","title":{"en":"Languages"},"multiple":true,"mandatory":true,
   "options":[{"key":"ka","title":{"en":"Georgian"}},{"key":"es","title":{"en":"Spanish"}}]},
  {"type":"dropdown","key":"city","title":{"en":"City"},
   "options":[{"key":"tbs","title":{"en":"Tbilisi"}},{"key":"bat","title":{"en":"Batumi"}}]},
  {"type":"string","key":"why","title":{"en":"Why Ana?"},"showConditions":{"questionKey":"name","answer":"Ana"}},
  {"type":"file","key":"scan","title":{"en":"Scan"},"description":{"en":"A PDF only"},"fileTypes":["pdf"],"filesMaxCount":1,"mandatory":true}
 ]}]}`

func TestQuestionTypesPresetsAndReadOnly(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, allTypesConfig)
	b := newBrowser(t, f.srv.URL)
	w := newWalker(b, token)
	w.check = pageInvariants("en")
	p := w.fetch(pageURL(token, -1))
	form := mainForm(p)
	get := func(name string) []*control { return form.named(name) }
	if c := get("q0")[0]; c.value != "Ana" || !hasAttr(c.node, "required") {
		t.Errorf("preset text: %q, required %v", c.value, hasAttr(c.node, "required"))
	}
	if c := get("q1")[0]; c.value != "REF-7" || !hasAttr(c.node, "readonly") {
		t.Errorf("read-only text: %q", c.value)
	}
	for _, c := range get("q2") {
		if !c.disabled || c.checked != (c.value == "gold") {
			t.Errorf("read-only choice %s: disabled %v checked %v", c.value, c.disabled, c.checked)
		}
	}
	if c := get("q3"); len(c) != 3 || !c[1].checked || c[0].checked || !strings.Contains(text(c[2].node.Parent), "(no title: c)") {
		t.Errorf("multiple-choice with preset: %+v", c)
	}
	if c := get("q4")[0]; !hasAttr(c.node, "multiple") || len(c.options) != 2 {
		t.Errorf("multiple dropdown: %+v", c)
	}
	if c := get("q5")[0]; hasAttr(c.node, "multiple") || c.options[0] != "" {
		t.Errorf("single dropdown: %+v", c)
	}
	if hasAttr(questionBlock(t, p, 6), "hidden") {
		t.Error("a question whose condition the preset meets is hidden")
	}
	if c := get("q7")[0]; attrOr(c.node, "accept") != "application/pdf,.pdf" || hasAttr(c.node, "multiple") {
		t.Errorf("file input: accept %q", attrOr(c.node, "accept"))
	}
	if !strings.Contains(p.body, "A PDF only") || !strings.Contains(p.body, "PDF, one file") {
		t.Error("file question's description or limits not shown")
	}
	if strings.Count(p.body, `class="req"`) != 3 {
		t.Errorf("%d required marks, want 3", strings.Count(p.body, `class="req"`))
	}
	if got := strings.TrimSpace(text(b.button(form, "").node)); got != "Send answers" {
		t.Errorf("button %q", got)
	}
	// A read-only answer cannot be changed by sending another value.
	form.set("q1", "HACKED")
	for _, c := range get("q2") {
		c.disabled, c.checked = false, c.value == "silver"
	}
	form.set("q4", "es", "ka")
	form.set("q5", "bat")
	form.set("q6", "Because")
	form.attach("q7", pdfFile)
	if p = w.send(form, ""); p.formWith("outcome", "approved") == nil {
		t.Fatalf("not on the outcome page:\n%s", errorsOf(p))
	}
	q := result(t, f, token).Questionnaires[0]
	want := map[string]string{"name": "Ana", "ref": "REF-7", "plan": "gold", "city": "bat", "why": "Because"}
	for k, v := range want {
		if a, _ := answerOf(q, k); a.Value != v {
			t.Errorf("%s = %v, want %q", k, a.Value, v)
		}
	}
	if a, _ := answerOf(q, "langs"); !slices.Equal(toStrings(a.Value), []string{"ka", "es"}) {
		t.Errorf("langs = %v", a.Value)
	}
	if a, _ := answerOf(q, "topics"); !slices.Equal(toStrings(a.Value), []string{"b"}) {
		t.Errorf("topics = %v", a.Value)
	}
	if a, _ := answerOf(q, "scan"); len(a.Files) != 1 || a.Files[0].Size != int64(len(pdfFile.data)) {
		t.Errorf("scan = %+v", a)
	}
}

// A read-only question without a preset answer cannot be answered: the
// page says so instead of blocking the walk.
func TestQuestionReadOnlyWithoutAnswer(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"steps":[{"type":"user-questionnaire","key":"q","questions":[{"type":"string","key":"x","title":{"en":"X"},"mandatory":true,"readOnly":true}]}]}`)
	w := newWalker(newBrowser(t, f.srv.URL), token)
	p := w.fetch(pageURL(token, -1))
	if !strings.Contains(p.body, "cannot answer this question") {
		t.Fatalf("no warning:\n%s", p.body)
	}
	if p = w.send(mainForm(p), ""); p.formWith("outcome", "approved") == nil {
		t.Fatalf("blocked: %s", errorsOf(p))
	}
}

func TestOperatorQuestionnaire(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "operator-review", "en"))
	w := newWalker(newBrowser(t, f.srv.URL), token)
	w.picks["q0"] = []string{"accept"}
	w.picks["q2"] = []string{"Looks fine"}
	end := w.run()
	var op *page
	for _, p := range w.seen {
		if heading(p) == "Operator review" {
			op = p
		}
	}
	if op == nil || !strings.Contains(op.body, "The operator fills this in") || !strings.Contains(op.body, ">Save<") {
		t.Fatalf("operator page lacks its note or button")
	}
	w.finish(end, "approved", "")
	q := result(t, f, token).Questionnaires[0]
	if q.Type != "operator-questionnaire" || q.Key != "operator-review" {
		t.Fatalf("questionnaire %+v", q)
	}
	if _, ok := answerOf(q, "reject-reason"); ok {
		t.Error("a reason for rejection kept though the decision was accept")
	}
	if a, _ := answerOf(q, "notes"); a.Value != "Looks fine" {
		t.Errorf("notes = %v", a.Value)
	}
}
