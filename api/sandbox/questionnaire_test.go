package sandbox

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"golang.org/x/net/html"
)

// questionBlock is the block of question i on a questionnaire page.
func questionBlock(t testing.TB, p *sandboxtest.Page, i int) *html.Node {
	t.Helper()
	for d := range p.Doc.Descendants() {
		if v, ok := sandboxtest.Attr(d, "data-q"); ok && v == string(rune('0'+i)) {
			return d
		}
	}
	t.Fatalf("no question %d on %s", i, p.URL)
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
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	w.Check = pageInvariants("en")
	p := w.Fetch(pageURL(token, -1))
	lang := sandboxtest.MainForm(p)
	lang.Set("lang", "es")
	w.Check = pageInvariants("es")
	p = w.Send(lang, "")
	if sandboxtest.Heading(p) != "Sobre usted" {
		t.Fatalf("questionnaire page: %q", sandboxtest.Heading(p))
	}
	business, proof := questionBlock(t, p, 1), questionBlock(t, p, 3)
	if !sandboxtest.HasAttr(business, "hidden") || !sandboxtest.HasAttr(proof, "hidden") {
		t.Fatal("conditional questions shown before their answers")
	}
	form := sandboxtest.MainForm(p)
	for _, c := range form.Controls {
		if (c.Name == "q1" || c.Name == "q3") && !c.Disabled {
			t.Fatalf("control %s of a hidden question is not disabled", c.Name)
		}
	}
	if got := strings.TrimSpace(sandboxtest.TextOf(b.Button(form, "").Node)); got != "Continuar" {
		t.Errorf("submit button %q, want the flow's successButtonTitle", got)
	}
	form.Set("q0", "self-employed")
	form.Set("q2", "investments")
	p = w.Send(form, "")
	if !strings.Contains(p.Body, "más preguntas") || sandboxtest.HasAttr(questionBlock(t, p, 1), "hidden") || sandboxtest.HasAttr(questionBlock(t, p, 3), "hidden") {
		t.Fatalf("the page did not come back with the questions the answers bring up:\n%s", p.Body)
	}
	form = sandboxtest.MainForm(p)
	if c := form.Named("q0"); !slices.ContainsFunc(c, func(c *sandboxtest.Control) bool { return c.Checked && c.Value == "self-employed" }) {
		t.Fatal("the answer given was not kept")
	}
	if !sandboxtest.HasAttr(form.Named("q1")[0].Node, "required") {
		t.Error("the mandatory question that appeared is not required")
	}
	// Sent without the now mandatory answer (by a browser that does not
	// check): an error, nothing lost.
	b.NoValidate = true
	p = w.Send(form, "")
	b.NoValidate = false
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "¿Cómo se llama su negocio?") || !strings.Contains(errs, "necesita una respuesta") {
		t.Fatalf("missing mandatory answer not reported: %s", errs)
	}
	form = sandboxtest.MainForm(p)
	form.Set("q1", "Taller Ana")
	// File questions take only their types, and at most filesMaxCount.
	form.Attach("q3", sandboxtest.NotAnImage)
	p = w.Send(form, "")
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "elija un PDF o una imagen") || !strings.Contains(errs, "text/plain") {
		t.Fatalf("a text file was not refused: %s", errs)
	}
	form = sandboxtest.MainForm(p)
	if got := form.Named("q1")[0].Value; got != "Taller Ana" {
		t.Fatalf("the text answer was lost: %q", got)
	}
	form.Attach("q3", sandboxtest.PNG, sandboxtest.PDF, sandboxtest.JPEG, sandboxtest.PNG)
	p = w.Send(form, "")
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "4 archivos elegidos, como máximo 3") {
		t.Fatalf("four files for three were not refused: %s", errs)
	}
	form = sandboxtest.MainForm(p)
	form.Attach("q3", sandboxtest.PNG, sandboxtest.PDF)
	if p = w.Send(form, ""); p.FormWith("outcome", "approved") == nil {
		t.Fatalf("not on the outcome page:\n%s", sandboxtest.ErrorsOf(p))
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
	p = w.Fetch(pageURL(token, 1))
	form = sandboxtest.MainForm(p)
	form.Set("q0", "employed")
	w.Send(form, "")
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
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	w.Check = pageInvariants("en")
	p := w.Fetch(pageURL(token, -1))
	form := sandboxtest.MainForm(p)
	get := func(name string) []*sandboxtest.Control { return form.Named(name) }
	if c := get("q0")[0]; c.Value != "Ana" || !sandboxtest.HasAttr(c.Node, "required") {
		t.Errorf("preset text: %q, required %v", c.Value, sandboxtest.HasAttr(c.Node, "required"))
	}
	if c := get("q1")[0]; c.Value != "REF-7" || !sandboxtest.HasAttr(c.Node, "readonly") {
		t.Errorf("read-only text: %q", c.Value)
	}
	for _, c := range get("q2") {
		if !c.Disabled || c.Checked != (c.Value == "gold") {
			t.Errorf("read-only choice %s: disabled %v checked %v", c.Value, c.Disabled, c.Checked)
		}
	}
	if c := get("q3"); len(c) != 3 || !c[1].Checked || c[0].Checked || !strings.Contains(sandboxtest.TextOf(c[2].Node.Parent), "(no title: c)") {
		t.Errorf("multiple-choice with preset: %+v", c)
	}
	if c := get("q4")[0]; !sandboxtest.HasAttr(c.Node, "multiple") || len(c.Options) != 2 {
		t.Errorf("multiple dropdown: %+v", c)
	}
	if c := get("q5")[0]; sandboxtest.HasAttr(c.Node, "multiple") || c.Options[0] != "" {
		t.Errorf("single dropdown: %+v", c)
	}
	if sandboxtest.HasAttr(questionBlock(t, p, 6), "hidden") {
		t.Error("a question whose condition the preset meets is hidden")
	}
	if c := get("q7")[0]; sandboxtest.AttrOr(c.Node, "accept") != "application/pdf,.pdf" || sandboxtest.HasAttr(c.Node, "multiple") {
		t.Errorf("file input: accept %q", sandboxtest.AttrOr(c.Node, "accept"))
	}
	if !strings.Contains(p.Body, "A PDF only") || !strings.Contains(p.Body, "PDF, one file") {
		t.Error("file question's description or limits not shown")
	}
	if strings.Count(p.Body, `class="req"`) != 3 {
		t.Errorf("%d required marks, want 3", strings.Count(p.Body, `class="req"`))
	}
	if got := strings.TrimSpace(sandboxtest.TextOf(b.Button(form, "").Node)); got != "Send answers" {
		t.Errorf("button %q", got)
	}
	// A read-only answer cannot be changed by sending another value.
	form.Set("q1", "HACKED")
	for _, c := range get("q2") {
		c.Disabled, c.Checked = false, c.Value == "silver"
	}
	form.Set("q4", "es", "ka")
	form.Set("q5", "bat")
	form.Set("q6", "Because")
	form.Attach("q7", sandboxtest.PDF)
	if p = w.Send(form, ""); p.FormWith("outcome", "approved") == nil {
		t.Fatalf("not on the outcome page:\n%s", sandboxtest.ErrorsOf(p))
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
	if a, _ := answerOf(q, "scan"); len(a.Files) != 1 || a.Files[0].Size != int64(len(sandboxtest.PDF.Data)) {
		t.Errorf("scan = %+v", a)
	}
}

// A read-only question without a preset answer cannot be answered: the
// page says so instead of blocking the walk.
func TestQuestionReadOnlyWithoutAnswer(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"steps":[{"type":"user-questionnaire","key":"q","questions":[{"type":"string","key":"x","title":{"en":"X"},"mandatory":true,"readOnly":true}]}]}`)
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	p := w.Fetch(pageURL(token, -1))
	if !strings.Contains(p.Body, "cannot answer this question") {
		t.Fatalf("no warning:\n%s", p.Body)
	}
	if c := sandboxtest.MainForm(p).Named("q0")[0]; !sandboxtest.HasAttr(c.Node, "readonly") || sandboxtest.HasAttr(c.Node, "required") {
		t.Fatalf("a read-only question without an answer is editable or required: %v", c.Node.Attr)
	}
	if p = w.Send(sandboxtest.MainForm(p), ""); p.FormWith("outcome", "approved") == nil {
		t.Fatalf("blocked: %s", sandboxtest.ErrorsOf(p))
	}
}

func TestOperatorQuestionnaire(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "operator-review", "en"))
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	w.Picks["q0"] = []string{"accept"}
	w.Picks["q2"] = []string{"Looks fine"}
	end := w.Run()
	var op *sandboxtest.Page
	for _, p := range w.Seen {
		if sandboxtest.Heading(p) == "Operator review" {
			op = p
		}
	}
	if op == nil || !strings.Contains(op.Body, "The operator fills this in") || !strings.Contains(op.Body, ">Save<") {
		t.Fatalf("operator page lacks its note or button")
	}
	w.Finish(end, "approved", "")
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
