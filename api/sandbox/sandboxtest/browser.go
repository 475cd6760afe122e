// Package sandboxtest drives the sandbox's pages in tests as a person
// with scripts off would: a small browser that parses pages with
// golang.org/x/net/html, fills and sends their forms (URL-encoded or
// multipart, with the Origin header) and follows redirects, and a walker
// that goes from a session link to its outcome.
package sandboxtest

import (
	"bytes"
	"cmp"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Browser is a web browser with scripts off: it parses pages, fills their
// forms, sends them as a browser does (URL-encoded or multipart, Origin
// header included) and follows redirects within its site.
type Browser struct {
	t      testing.TB
	base   string
	hc     *http.Client
	Origin string // the Origin header of form posts; "" sends none
	// NoValidate sends forms whose required fields are empty, as a browser
	// without form validation would; otherwise Submit fails the test, as
	// a browser would refuse to send them.
	NoValidate bool
}

// NewBrowser is a browser for the site at base (scheme://host:port); its
// forms carry base as their Origin.
func NewBrowser(t testing.TB, base string) *Browser {
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Browser{t: t, base: base, hc: hc, Origin: base}
}

// Page is a fetched page.
type Page struct {
	URL    string
	Status int
	Header http.Header
	Body   string
	Doc    *html.Node
}

// Do sends a request and reads the answer, parsing it when it is HTML.
func (b *Browser) Do(req *http.Request) *Page {
	b.t.Helper()
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := &Page{URL: req.URL.String(), Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			b.t.Fatalf("%s: not HTML: %v", req.URL, err)
		}
		p.Doc = doc
	}
	return p
}

// Get fetches a path or URL without following redirects.
func (b *Browser) Get(target string) *Page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.Resolve(target), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.Do(req)
}

// Follow fetches the target of a 303, or returns p.
func (b *Browser) Follow(p *Page) *Page {
	b.t.Helper()
	for n := 0; p.Status == http.StatusSeeOther && n < 5; n++ {
		loc := p.Header.Get("Location")
		if !strings.HasPrefix(b.Resolve(loc), b.base) {
			return p // leaving the sandbox (return_url)
		}
		p = b.Get(loc)
	}
	return p
}

// Resolve makes a link of the site absolute.
func (b *Browser) Resolve(target string) string {
	u, err := url.Parse(b.base + "/")
	if err != nil {
		b.t.Fatal(err)
	}
	ref, err := url.Parse(target)
	if err != nil {
		b.t.Fatal(err)
	}
	return u.ResolveReference(ref).String()
}

// Attr returns an attribute of an element.
func Attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// AttrOr returns an attribute of an element, or "".
func AttrOr(n *html.Node, name string) string { v, _ := Attr(n, name); return v }

// HasAttr reports whether an element has an attribute.
func HasAttr(n *html.Node, name string) bool { _, ok := Attr(n, name); return ok }

// Elements returns n's element descendants with tag.
func Elements(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			out = append(out, d)
		}
	}
	return out
}

// TextOf is the TextOf content of n.
func TextOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// isHidden reports whether n or an ancestor has the hidden attribute.
func isHidden(n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && HasAttr(a, "hidden") {
			return true
		}
	}
	return false
}

// ByClass returns the first element with class c, or nil.
func ByClass(n *html.Node, c string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && slices.Contains(strings.Fields(AttrOr(d, "class")), c) {
			return d
		}
	}
	return nil
}

// Form is a form on a page, with the state of its controls.
type Form struct {
	Node     *html.Node
	Action   string
	Enctype  string
	Controls []*Control
}

// Control is one form control.
type Control struct {
	Node     *html.Node
	Tag      string // input, select, button, textarea
	Type     string
	Name     string
	Value    string   // text-like inputs, buttons, radios and checkboxes
	Checked  bool     // radios and checkboxes
	Options  []string // select
	Selected []string // select
	Disabled bool
	Hidden   bool // not shown to a person
	Files    []File
}

// File is a file to attach to a file input.
type File struct {
	Name, ContentType string
	Data              []byte
}

// Forms returns the page's forms.
func (p *Page) Forms() []*Form {
	var out []*Form
	for _, fn := range Elements(p.Doc, "form") {
		f := &Form{Node: fn, Action: AttrOr(fn, "action"), Enctype: AttrOr(fn, "enctype")}
		for d := range fn.Descendants() {
			if d.Type != html.ElementNode || (d.Data != "input" && d.Data != "select" && d.Data != "button" && d.Data != "textarea") {
				continue
			}
			c := &Control{Node: d, Tag: d.Data, Type: AttrOr(d, "type"), Name: AttrOr(d, "name"), Value: AttrOr(d, "value"),
				Checked: HasAttr(d, "checked"), Disabled: HasAttr(d, "disabled"), Hidden: isHidden(d)}
			if c.Tag == "input" && c.Type == "" {
				c.Type = "text"
			}
			if c.Tag == "button" && c.Type == "" {
				c.Type = "submit"
			}
			if c.Tag == "select" {
				for _, o := range Elements(d, "option") {
					v, ok := Attr(o, "value")
					if !ok {
						v = TextOf(o)
					}
					c.Options = append(c.Options, v)
					if HasAttr(o, "selected") {
						c.Selected = append(c.Selected, v)
					}
				}
				if len(c.Selected) == 0 && !HasAttr(d, "multiple") && len(c.Options) > 0 {
					c.Selected = c.Options[:1]
				}
			}
			if c.Tag == "textarea" {
				c.Value = TextOf(d)
			}
			f.Controls = append(f.Controls, c)
		}
		out = append(out, f)
	}
	return out
}

// FormWith returns the page's form holding a control named name (with
// value, when value is not ""), or nil.
func (p *Page) FormWith(name, value string) *Form {
	for _, f := range p.Forms() {
		for _, c := range f.Controls {
			if c.Name == name && (value == "" || c.Value == value) {
				return f
			}
		}
	}
	return nil
}

// Named returns the form's enabled controls Named name.
func (f *Form) Named(name string) []*Control {
	var out []*Control
	for _, c := range f.Controls {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Set gives a field values: text-like inputs take the first, radios and
// checkboxes are checked when their value is listed, selects select them.
func (f *Form) Set(name string, values ...string) {
	for _, c := range f.Named(name) {
		switch {
		case c.Type == "radio" || c.Type == "checkbox":
			c.Checked = slices.Contains(values, c.Value)
		case c.Tag == "select":
			c.Selected = slices.Clone(values)
		case c.Type == "file":
		default:
			if len(values) > 0 {
				c.Value = values[0]
			}
		}
	}
}

// Attach puts files in a file input.
func (f *Form) Attach(name string, files ...File) {
	for _, c := range f.Named(name) {
		c.Files = files
	}
}

// fields are the form's name/value pairs as a browser sends them, with
// the submit button pressed (nil: none) and the files.
func (f *Form) fields(button *Control) (vals [][2]string, files map[string][]File) {
	files = map[string][]File{}
	for _, c := range f.Controls {
		if c.Name == "" || c.Disabled || disabledByFieldset(c.Node) {
			continue
		}
		switch {
		case c.Tag == "button" || c.Type == "submit":
			if c == button {
				vals = append(vals, [2]string{c.Name, c.Value})
			}
		case c.Type == "radio" || c.Type == "checkbox":
			if c.Checked {
				v := c.Value
				if v == "" {
					v = "on"
				}
				vals = append(vals, [2]string{c.Name, v})
			}
		case c.Tag == "select": // in the options' order, as browsers send them
			for _, v := range c.Options {
				if slices.Contains(c.Selected, v) {
					vals = append(vals, [2]string{c.Name, v})
				}
			}
		case c.Type == "file":
			files[c.Name] = c.Files
			if len(c.Files) == 0 {
				files[c.Name] = []File{{}} // an empty part, as browsers send
			}
			vals = append(vals, [2]string{c.Name, "\x00file"})
		default:
			vals = append(vals, [2]string{c.Name, c.Value})
		}
	}
	return vals, files
}

// missingRequired is the name of an enabled required control left empty,
// or "": a radio group needs one checked, a checkbox itself.
func (f *Form) missingRequired() string {
	for _, c := range f.Controls {
		if c.Disabled || disabledByFieldset(c.Node) || !HasAttr(c.Node, "required") {
			continue
		}
		var empty bool
		switch {
		case c.Type == "radio":
			empty = !slices.ContainsFunc(f.Named(c.Name), func(g *Control) bool { return g.Checked && !g.Disabled })
		case c.Type == "checkbox":
			empty = !c.Checked
		case c.Tag == "select":
			empty = !slices.ContainsFunc(c.Selected, func(v string) bool { return v != "" })
		case c.Type == "file":
			empty = len(c.Files) == 0
		default:
			empty = c.Value == ""
		}
		if empty {
			return c.Name
		}
	}
	return ""
}

func disabledByFieldset(n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && a.Data == "fieldset" && HasAttr(a, "disabled") {
			return true
		}
	}
	return false
}

// Button returns the form's submit Button with the given value ("" the
// first), or fails.
func (b *Browser) Button(f *Form, value string) *Control {
	b.t.Helper()
	for _, c := range f.Controls {
		if (c.Tag == "button" || c.Type == "submit") && (value == "" || c.Value == value) {
			return c
		}
	}
	b.t.Fatalf("form %s has no %q button", f.Action, value)
	return nil
}

// Submit sends the form with the button of the given value ("" the first)
// pressed, as the browser would, and returns the answer unfollowed.
func (b *Browser) Submit(f *Form, buttonValue string) *Page {
	b.t.Helper()
	button := b.Button(f, buttonValue)
	if !b.NoValidate && !HasAttr(button.Node, "formnovalidate") && !HasAttr(f.Node, "novalidate") {
		if name := f.missingRequired(); name != "" {
			b.t.Fatalf("a browser would not send form %s: required field %q is empty", f.Action, name)
		}
	}
	vals, files := f.fields(button)
	var body bytes.Buffer
	contentType := "application/x-www-form-urlencoded"
	if f.Enctype == "multipart/form-data" {
		mw := multipart.NewWriter(&body)
		for _, kv := range vals {
			if kv[1] != "\x00file" {
				if err := mw.WriteField(kv[0], kv[1]); err != nil {
					b.t.Fatal(err)
				}
				continue
			}
			for _, tf := range files[kv[0]] {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", `form-data; name="`+kv[0]+`"; filename="`+tf.Name+`"`)
				h.Set("Content-Type", cmp.Or(tf.ContentType, "application/octet-stream"))
				w, err := mw.CreatePart(h)
				if err != nil {
					b.t.Fatal(err)
				}
				w.Write(tf.Data)
			}
		}
		mw.Close()
		contentType = mw.FormDataContentType()
	} else {
		var parts []string
		for _, kv := range vals {
			parts = append(parts, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
		}
		body.WriteString(strings.Join(parts, "&"))
	}
	req, err := http.NewRequest(http.MethodPost, b.Resolve(f.Action), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if b.Origin != "" {
		req.Header.Set("Origin", b.Origin)
	}
	return b.Do(req)
}

// Small valid files of each kind the pages accept, and one they do not.
var (
	PNG        = File{Name: "photo.png", ContentType: "image/png", Data: append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...)}
	JPEG       = File{Name: "photo.jpg", ContentType: "image/jpeg", Data: append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 300)...)}
	PDF        = File{Name: "doc.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")}
	NotAnImage = File{Name: "notes.txt", ContentType: "image/png", Data: []byte("just some text, whatever the browser claims\n")}
)
