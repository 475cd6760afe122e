package sandbox

import (
	"net/http"
	"strings"
	"testing"
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
	b := newBrowser(t, f.srv.URL)
	w := newWalker(b, token)
	w.check = pageInvariants("ka")
	p := w.fetch(pageURL(token, -1))
	sw := p.formWith("action", "language")
	if sw == nil {
		t.Fatal("no language switcher")
	}
	if opts := sw.named("lang")[0].options; strings.Join(opts, ",") != "ka,en,ar" {
		t.Fatalf("switcher offers %v, want the flow's language then the step's", opts)
	}
	if !strings.Contains(p.body, "ქართული") || !strings.Contains(p.body, "العربية") {
		t.Error("languages not named in themselves")
	}
	p = w.send(mainForm(p), "") // the language step, Georgian kept
	if heading(p) != "თქვენ შესახებ" {
		t.Fatalf("heading %q", heading(p))
	}
	sw = p.formWith("action", "language")
	sw.set("lang", "ar")
	w.check = pageInvariants("ar")
	p = w.send(sw, "language")
	if heading(p) != "عنك" || !strings.Contains(p.url, "page=1") {
		t.Fatalf("after switching: %q on %s", heading(p), p.url)
	}
	// The question has no Arabic title: the Georgian one, marked.
	fb := byClass(p.doc, "fallback")
	if fb == nil || text(fb) != "(ka)" || !strings.Contains(p.body, `<span lang="ka">ქალაქი</span>`) {
		t.Fatalf("fallback not marked:\n%s", p.body)
	}
	if pr, _ := f.sb.Progress(token); pr.Language != "ar" || pr.String() != "step 2 of 2 · عنك" {
		t.Fatalf("progress %q in %s", pr, pr.Language)
	}
	// A language the flow does not offer is ignored.
	sw = p.formWith("action", "language")
	sw.named("lang")[0].options = append(sw.named("lang")[0].options, "de")
	sw.set("lang", "de")
	if p = w.send(sw, "language"); htmlAttr(p, "lang") != "ar" {
		t.Fatal("switched to a language the flow does not offer")
	}
}

// A phone or email check shows the code the real widget would send; a
// wrong code is refused, the value can be changed.
func TestContactCheck(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "contact-check", "en"))
	b := newBrowser(t, f.srv.URL)
	w := newWalker(b, token)
	w.check = pageInvariants("en")
	p := w.fetch(pageURL(token, -1))
	fm := mainForm(p)
	if c := fm.named("value")[0]; attrOr(c.node, "type") != "tel" || !hasAttr(c.node, "required") {
		t.Fatalf("phone input: %v", c.node.Attr)
	}
	fm.set("value", "call me")
	p = w.send(fm, "")
	if !strings.Contains(errorsOf(p), "country code") {
		t.Fatalf("a bad number was taken: %s", errorsOf(p))
	}
	fm = mainForm(p)
	fm.set("value", "+995 555 000 111")
	p = w.send(fm, "")
	code := text(byClass(p.doc, "code"))
	if len(code) != 6 || !strings.Contains(text(p.doc), "+995 555 000 111") {
		t.Fatalf("no sandbox code shown:\n%s", p.body)
	}
	fm = p.formWith("code", "")
	fm.set("code", "000000x")
	if p = w.send(fm, "verify"); !strings.Contains(errorsOf(p), "not the code") {
		t.Fatalf("a wrong code was taken: %s", errorsOf(p))
	}
	p = w.send(p.formWith("code", ""), "change")
	fm = mainForm(p)
	fm.set("value", "+995 555 000 222")
	p = w.send(fm, "")
	fm = p.formWith("code", "")
	fm.set("code", text(byClass(p.doc, "code")))
	if p = w.send(fm, "verify"); !strings.Contains(p.body, `type="email"`) {
		t.Fatalf("not on the email page:\n%s", errorsOf(p))
	}
	if r := result(t, f, token); r.Person.PhoneNumber != "+995 555 000 222" || !r.Person.PhoneNumberVerified {
		t.Fatalf("person %+v", r.Person)
	}
	if p.status != http.StatusOK {
		t.Fatal(p.status)
	}
}
