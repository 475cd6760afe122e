package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
)

// The switcher offers the language step's languages, each in its own
// name; switching keeps the customer on their page, now in that language,
// right to left for Arabic, with texts the flow lacks in it marked.
func TestLanguageSwitcherAndRTL(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"flags":{"language":"ka"},"steps":[
	 {"type":"language","flags":{"languages":["en","ar"]}},
	 {"type":"user-questionnaire","key":"q","title":{"ka":"თქვენ შესახებ","ar":"عنك","en":"About you"},
	  "questions":[{"type":"string","key":"city","title":{"ka":"ქალაქი","en":"City"}}]}]}`)
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	w.Check = pageInvariants("ka")
	p := w.Fetch(pageURL(token, -1))
	sw := p.FormWith("action", "language")
	if sw == nil {
		t.Fatal("no language switcher")
	}
	if opts := sw.Named("lang")[0].Options; strings.Join(opts, ",") != "ka,en,ar" {
		t.Fatalf("switcher offers %v, want the flow's language then the step's", opts)
	}
	if !strings.Contains(p.Body, "ქართული") || !strings.Contains(p.Body, "العربية") {
		t.Error("languages not named in themselves")
	}
	for _, c := range sandboxtest.MainForm(p).Named("lang") {
		label := sandboxtest.TextOf(c.Node.Parent)
		if strings.Count(label, "English") > 1 || (c.Value == "ka" && !strings.Contains(label, "Georgian")) {
			t.Errorf("language choice %s reads %q", c.Value, label)
		}
	}
	p = w.Send(sandboxtest.MainForm(p), "") // the language step, Georgian kept
	if sandboxtest.Heading(p) != "თქვენ შესახებ" {
		t.Fatalf("heading %q", sandboxtest.Heading(p))
	}
	sw = p.FormWith("action", "language")
	sw.Set("lang", "ar")
	w.Check = pageInvariants("ar")
	p = w.Send(sw, "language")
	if sandboxtest.Heading(p) != "عنك" || !strings.Contains(p.URL, "page=1") {
		t.Fatalf("after switching: %q on %s", sandboxtest.Heading(p), p.URL)
	}
	// The question has no Arabic title: the Georgian one, marked.
	fb := sandboxtest.ByClass(p.Doc, "fallback")
	if fb == nil || sandboxtest.TextOf(fb) != "(ka)" || !strings.Contains(p.Body, `<span lang="ka">ქალაქი</span>`) {
		t.Fatalf("fallback not marked:\n%s", p.Body)
	}
	if pr, _ := f.sb.Progress(token); pr.Language != "ar" || pr.String() != "step 2 of 2 · عنك" {
		t.Fatalf("progress %q in %s", pr, pr.Language)
	}
	// A language the flow does not offer is ignored.
	sw = p.FormWith("action", "language")
	sw.Named("lang")[0].Options = append(sw.Named("lang")[0].Options, "de")
	sw.Set("lang", "de")
	if p = w.Send(sw, "language"); sandboxtest.HTMLAttr(p, "lang") != "ar" {
		t.Fatal("switched to a language the flow does not offer")
	}
	// The outcome page switches too.
	p = w.Send(sandboxtest.MainForm(p), "")
	sw = p.FormWith("action", "language")
	sw.Set("lang", "en")
	w.Check = pageInvariants("en")
	if p = w.Send(sw, "language"); p.FormWith("outcome", "approved") == nil {
		t.Fatal("switching the language left the outcome page")
	}
}

// A phone or email check shows the code the real widget would send; a
// wrong code is refused, the value can be changed.
func TestContactCheck(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "contact-check", "en"))
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	w.Check = pageInvariants("en")
	p := w.Fetch(pageURL(token, -1))
	fm := sandboxtest.MainForm(p)
	if c := fm.Named("value")[0]; sandboxtest.AttrOr(c.Node, "type") != "tel" || !sandboxtest.HasAttr(c.Node, "required") {
		t.Fatalf("phone input: %v", c.Node.Attr)
	}
	fm.Set("value", "call me")
	p = w.Send(fm, "")
	if !strings.Contains(sandboxtest.ErrorsOf(p), "country code") {
		t.Fatalf("a bad number was taken: %s", sandboxtest.ErrorsOf(p))
	}
	fm = sandboxtest.MainForm(p)
	fm.Set("value", "+995 555 000 111")
	p = w.Send(fm, "")
	code := sandboxtest.TextOf(sandboxtest.ByClass(p.Doc, "code"))
	if len(code) != 6 || !strings.Contains(sandboxtest.TextOf(p.Doc), "+995 555 000 111") {
		t.Fatalf("no sandbox code shown:\n%s", p.Body)
	}
	fm = p.FormWith("code", "")
	fm.Set("code", "000000x")
	if p = w.Send(fm, "verify"); !strings.Contains(sandboxtest.ErrorsOf(p), "not the code") {
		t.Fatalf("a wrong code was taken: %s", sandboxtest.ErrorsOf(p))
	}
	p = w.Send(p.FormWith("code", ""), "change")
	fm = sandboxtest.MainForm(p)
	fm.Set("value", "+995 555 000 222")
	p = w.Send(fm, "")
	fm = p.FormWith("code", "")
	fm.Set("code", sandboxtest.TextOf(sandboxtest.ByClass(p.Doc, "code")))
	if p = w.Send(fm, "verify"); !strings.Contains(p.Body, `type="email"`) {
		t.Fatalf("not on the email page:\n%s", sandboxtest.ErrorsOf(p))
	}
	if r := result(t, f, token); r.Person.PhoneNumber != "+995 555 000 222" || !r.Person.PhoneNumberVerified {
		t.Fatalf("person %+v", r.Person)
	}
	if p.Status != http.StatusOK {
		t.Fatal(p.Status)
	}
}
