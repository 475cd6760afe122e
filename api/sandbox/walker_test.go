package sandbox

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// walker goes through a session's pages as a person with scripts off
// would: it fills each page's form (the test's picks first, then the
// first choice and a plausible text), sends it, and follows the answer
// until the outcome page.
type walker struct {
	b     *browser
	token string
	// picks are values for named fields on any page (e.g. q0: self-employed).
	picks map[string][]string
	// files are files for named file inputs; others get a PNG or a PDF.
	files map[string][]testFile
	// perRole is how many people to add per beneficiary role (default 1).
	perRole int
	// seen are the pages fetched, in order.
	seen []*page
	// check, when set, runs on every page fetched.
	check func(t testing.TB, p *page)
}

func newWalker(b *browser, token string) *walker {
	return &walker{b: b, token: token, picks: map[string][]string{}, files: map[string][]testFile{}, perRole: 1}
}

func (w *walker) fetch(target string) *page {
	w.b.t.Helper()
	p := w.b.follow(w.b.get(target))
	w.record(p)
	return p
}

func (w *walker) record(p *page) {
	w.b.t.Helper()
	w.seen = append(w.seen, p)
	if w.check != nil {
		w.check(w.b.t, p)
	}
}

// send submits a form with a button pressed and follows the answer.
func (w *walker) send(f *form, button string) *page {
	w.b.t.Helper()
	resp := w.b.submit(f, button)
	if resp.status != http.StatusSeeOther {
		w.b.t.Fatalf("posting %s: status %d\n%s", f.action, resp.status, resp.body)
	}
	p := w.b.follow(resp)
	w.record(p)
	return p
}

// mainForm is the page's step form: posted to the step path, and not the
// language switcher.
func mainForm(p *page) *form {
	for _, f := range p.forms() {
		if !strings.HasPrefix(f.action, stepPath) {
			continue
		}
		if slices.ContainsFunc(f.controls, func(c *control) bool {
			return c.name == "action" && (c.value == "language" || c.value == "remove" || c.value == "add")
		}) {
			continue
		}
		return f
	}
	return nil
}

// fill gives every visible, enabled, empty control a value a person
// might: the picks, the first choice, a text of the input's kind, a file.
func (w *walker) fill(f *form) {
	done := map[string]bool{}
	for _, c := range f.controls {
		if c.name == "" || c.disabled || c.hidden || c.typ == "hidden" || c.tag == "button" || c.typ == "submit" || done[c.name] {
			continue
		}
		if v, ok := w.picks[c.name]; ok && c.typ != "file" {
			f.set(c.name, v...)
			done[c.name] = true
			continue
		}
		switch {
		case c.typ == "radio" || c.typ == "checkbox":
			group := f.named(c.name)
			if !slices.ContainsFunc(group, func(g *control) bool { return g.checked }) {
				c.checked = true
			}
			done[c.name] = true
		case c.tag == "select":
			if len(c.selected) == 0 || c.selected[0] == "" {
				for _, o := range c.options {
					if o != "" {
						c.selected = []string{o}
						break
					}
				}
			}
		case c.typ == "file":
			if files, ok := w.files[c.name]; ok {
				c.files = files
			} else if strings.Contains(attrOr(c.node, "accept"), "image") {
				c.files = []testFile{pngFile}
			} else {
				c.files = []testFile{pdfFile}
			}
		case c.value == "":
			c.value = sampleText(c)
		}
	}
}

func sampleText(c *control) string {
	switch c.typ {
	case "email":
		return "ana@example.com"
	case "tel":
		return "+995 555 123 456"
	case "date":
		return "1990-04-01"
	case "number":
		return "25"
	case "url":
		return "https://example.com"
	}
	return "Sample " + strings.TrimPrefix(c.name, "f_")
}

var codeText = regexp.MustCompile(`\b\d{6}\b`)

// run walks from the session link to the outcome page and returns it.
func (w *walker) run() *page {
	t := w.b.t
	t.Helper()
	p := w.fetch(pageURL(w.token, -1))
	var last string
	repeats := 0
	for range 80 {
		if p.status != http.StatusOK || p.doc == nil {
			t.Fatalf("page %s: status %d\n%s", p.url, p.status, p.body)
		}
		if p.formWith("outcome", "approved") != nil {
			return p
		}
		if p.url == last && byClass(p.doc, "errors") != nil {
			if repeats++; repeats > 2 {
				t.Fatalf("stuck on %s:\n%s", p.url, errorsOf(p))
			}
		} else {
			last, repeats = p.url, 0
		}
		if role := w.nextRoleToAdd(p); role != nil {
			w.fill(role)
			p = w.send(role, "add")
			continue
		}
		if f := p.formWith("code", ""); f != nil {
			code := codeText.FindString(text(byClass(p.doc, "code")))
			f.set("code", code)
			p = w.send(f, "verify")
			continue
		}
		f := mainForm(p)
		if f == nil {
			t.Fatalf("no form on %s:\n%s", p.url, p.body)
		}
		w.fill(f)
		p = w.send(f, "")
	}
	t.Fatalf("no outcome page after 80 pages")
	return nil
}

// nextRoleToAdd is a beneficiaries page's add form for a role that has
// fewer than perRole people, or nil.
func (w *walker) nextRoleToAdd(p *page) *form {
	for _, sec := range elements(p.doc, "section") {
		people := len(elements(sec, "li"))
		for _, fn := range elements(sec, "form") {
			for _, f := range p.forms() {
				if f.node == fn && f.named("role") != nil && people < w.perRole {
					return f
				}
			}
		}
	}
	return nil
}

// errorsOf is the text of a page's error box.
func errorsOf(p *page) string {
	if p.doc == nil {
		return p.body
	}
	if n := byClass(p.doc, "errors"); n != nil {
		return text(n)
	}
	return "(no errors shown)\n" + p.body
}

// finish chooses the outcome on the outcome page.
func (w *walker) finish(end *page, outcome, reason string) *page {
	w.b.t.Helper()
	f := end.formWith("outcome", outcome)
	if reason != "" {
		f.set("reason", reason)
	}
	return w.b.submit(f, outcome)
}

// heading is a page's h1 text.
func heading(p *page) string {
	if h := elements(p.doc, "h1"); len(h) > 0 {
		return strings.TrimSpace(text(h[0]))
	}
	return ""
}

// htmlAttr returns an attribute of the page's <html>.
func htmlAttr(p *page, name string) string {
	for _, n := range elements(p.doc, "html") {
		return attrOr(n, name)
	}
	return ""
}

var _ = html.ElementNode
