package sandboxtest

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// StepPath is where the pages post their forms.
const StepPath = "/sandbox/step"

// SessionURL is the path of a session's link: the page the customer is on.
func SessionURL(token string) string { return "/?session_token=" + url.QueryEscape(token) }

// Walker goes through a session's pages as a person with scripts off
// would: it fills each page's form (the test's picks first, then the
// first choice and a plausible text), sends it, and follows the answer
// until the outcome page.
type Walker struct {
	Browser *Browser
	Token   string
	// Picks are values for named fields on any page (e.g. q0: self-employed).
	Picks map[string][]string
	// Files are files for named file inputs; others get a PNG or a PDF.
	Files map[string][]File
	// PerRole is how many people to add per beneficiary role (default 1).
	PerRole int
	// Seen are the pages fetched, in order.
	Seen []*Page
	// Check, when set, runs on every page fetched.
	Check func(t testing.TB, p *Page)
}

// NewWalker walks the session with token in b.
func NewWalker(b *Browser, token string) *Walker {
	return &Walker{Browser: b, Token: token, Picks: map[string][]string{}, Files: map[string][]File{}, PerRole: 1}
}

// Fetch gets a page, following redirects, and records it.
func (w *Walker) Fetch(target string) *Page {
	w.Browser.t.Helper()
	p := w.Browser.Follow(w.Browser.Get(target))
	w.record(p)
	return p
}

func (w *Walker) record(p *Page) {
	w.Browser.t.Helper()
	w.Seen = append(w.Seen, p)
	if w.Check != nil {
		w.Check(w.Browser.t, p)
	}
}

// Send submits a form with a button pressed and follows the answer.
func (w *Walker) Send(f *Form, button string) *Page {
	w.Browser.t.Helper()
	resp := w.Browser.Submit(f, button)
	if resp.Status != http.StatusSeeOther {
		w.Browser.t.Fatalf("posting %s: status %d\n%s", f.Action, resp.Status, resp.Body)
	}
	p := w.Browser.Follow(resp)
	w.record(p)
	return p
}

// MainForm is the page's step form: posted to the step path, and not the
// language switcher.
func MainForm(p *Page) *Form {
	for _, f := range p.Forms() {
		if !strings.HasPrefix(f.Action, StepPath) {
			continue
		}
		if slices.ContainsFunc(f.Controls, func(c *Control) bool {
			return c.Name == "action" && (c.Value == "language" || c.Value == "remove" || c.Value == "add")
		}) {
			continue
		}
		return f
	}
	return nil
}

// Fill gives every visible, enabled, empty control a value a person
// might: the picks, the first choice, a text of the input's kind, a file.
func (w *Walker) Fill(f *Form) {
	done := map[string]bool{}
	for _, c := range f.Controls {
		if c.Name == "" || c.Disabled || c.Hidden || c.Type == "hidden" || c.Tag == "button" || c.Type == "submit" || done[c.Name] {
			continue
		}
		if v, ok := w.Picks[c.Name]; ok && c.Type != "file" {
			f.Set(c.Name, v...)
			done[c.Name] = true
			continue
		}
		switch {
		case c.Type == "radio" || c.Type == "checkbox":
			group := f.Named(c.Name)
			if !slices.ContainsFunc(group, func(g *Control) bool { return g.Checked }) {
				c.Checked = true
			}
			done[c.Name] = true
		case c.Tag == "select":
			if len(c.Selected) == 0 || c.Selected[0] == "" {
				for _, o := range c.Options {
					if o != "" {
						c.Selected = []string{o}
						break
					}
				}
			}
		case c.Type == "file":
			if files, ok := w.Files[c.Name]; ok {
				c.Files = files
			} else if strings.Contains(AttrOr(c.Node, "accept"), "image") {
				c.Files = []File{PNG}
			} else {
				c.Files = []File{PDF}
			}
		case c.Value == "":
			c.Value = sampleText(c)
		}
	}
}

func sampleText(c *Control) string {
	switch c.Type {
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
	return "Sample " + strings.TrimPrefix(c.Name, "f_")
}

var codeText = regexp.MustCompile(`\b\d{6}\b`)

// Run walks from the session link to the outcome page and returns it.
func (w *Walker) Run() *Page {
	t := w.Browser.t
	t.Helper()
	p := w.Fetch(SessionURL(w.Token))
	var last string
	repeats := 0
	for range 80 {
		if p.Status != http.StatusOK || p.Doc == nil {
			t.Fatalf("page %s: status %d\n%s", p.URL, p.Status, p.Body)
		}
		if p.FormWith("outcome", "approved") != nil {
			return p
		}
		if p.URL == last && ByClass(p.Doc, "errors") != nil {
			if repeats++; repeats > 2 {
				t.Fatalf("stuck on %s:\n%s", p.URL, ErrorsOf(p))
			}
		} else {
			last, repeats = p.URL, 0
		}
		if role := w.nextRoleToAdd(p); role != nil {
			w.Fill(role)
			p = w.Send(role, "add")
			continue
		}
		if f := p.FormWith("code", ""); f != nil {
			code := codeText.FindString(TextOf(ByClass(p.Doc, "code")))
			f.Set("code", code)
			p = w.Send(f, "verify")
			continue
		}
		f := MainForm(p)
		if f == nil {
			t.Fatalf("no form on %s:\n%s", p.URL, p.Body)
		}
		w.Fill(f)
		p = w.Send(f, "")
	}
	t.Fatalf("no outcome page after 80 pages")
	return nil
}

// nextRoleToAdd is a beneficiaries page's add form for a role that has
// fewer than PerRole people, or nil.
func (w *Walker) nextRoleToAdd(p *Page) *Form {
	for _, sec := range Elements(p.Doc, "section") {
		people := len(Elements(sec, "li"))
		for _, fn := range Elements(sec, "form") {
			for _, f := range p.Forms() {
				if f.Node == fn && f.Named("role") != nil && people < w.PerRole {
					return f
				}
			}
		}
	}
	return nil
}

// ErrorsOf is the text of a page's error box.
func ErrorsOf(p *Page) string {
	if p.Doc == nil {
		return p.Body
	}
	if n := ByClass(p.Doc, "errors"); n != nil {
		return TextOf(n)
	}
	return "(no errors shown)\n" + p.Body
}

// Finish chooses the outcome on the outcome page.
func (w *Walker) Finish(end *Page, outcome, reason string) *Page {
	w.Browser.t.Helper()
	f := end.FormWith("outcome", outcome)
	if reason != "" {
		f.Set("reason", reason)
	}
	return w.Browser.Submit(f, outcome)
}

// Heading is a page's h1 text.
func Heading(p *Page) string {
	if h := Elements(p.Doc, "h1"); len(h) > 0 {
		return strings.TrimSpace(TextOf(h[0]))
	}
	return ""
}

// HTMLAttr returns an attribute of the page's <html>.
func HTMLAttr(p *Page, name string) string {
	for _, n := range Elements(p.Doc, "html") {
		return AttrOr(n, name)
	}
	return ""
}
