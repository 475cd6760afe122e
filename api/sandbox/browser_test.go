package sandbox

import (
	"bytes"
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

// browser is a web browser with scripts off, for the tests: it parses
// pages with golang.org/x/net/html, fills their forms, sends them as a
// browser does (URL-encoded or multipart, Origin header included) and
// follows redirects.
type browser struct {
	t      testing.TB
	base   string
	hc     *http.Client
	origin string // the Origin header of form posts; "" sends none
}

func newBrowser(t testing.TB, base string) *browser {
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, base: base, hc: hc, origin: base}
}

// page is a fetched page.
type page struct {
	url    string
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func (b *browser) do(req *http.Request) *page {
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
	p := &page{url: req.URL.String(), status: resp.StatusCode, header: resp.Header, body: string(body)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			b.t.Fatalf("%s: not HTML: %v", req.URL, err)
		}
		p.doc = doc
	}
	return p
}

// get fetches a path or URL without following redirects.
func (b *browser) get(target string) *page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.resolve(target), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// follow fetches the target of a 303, or returns p.
func (b *browser) follow(p *page) *page {
	b.t.Helper()
	for n := 0; p.status == http.StatusSeeOther && n < 5; n++ {
		loc := p.header.Get("Location")
		if !strings.HasPrefix(b.resolve(loc), b.base) {
			return p // leaving the sandbox (return_url)
		}
		p = b.get(loc)
	}
	return p
}

func (b *browser) resolve(target string) string {
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

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, name string) string { v, _ := attr(n, name); return v }

func hasAttr(n *html.Node, name string) bool { _, ok := attr(n, name); return ok }

// elements returns n's element descendants with tag.
func elements(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			out = append(out, d)
		}
	}
	return out
}

// text is the text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// hidden reports whether n or an ancestor has the hidden attribute.
func hidden(n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && hasAttr(a, "hidden") {
			return true
		}
	}
	return false
}

// byClass returns the first element with class c, or nil.
func byClass(n *html.Node, c string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && slices.Contains(strings.Fields(attrOr(d, "class")), c) {
			return d
		}
	}
	return nil
}

// form is a form on a page, with the state of its controls.
type form struct {
	node     *html.Node
	action   string
	enctype  string
	controls []*control
}

// control is one form control.
type control struct {
	node     *html.Node
	tag      string // input, select, button, textarea
	typ      string
	name     string
	value    string   // text-like inputs, buttons, radios and checkboxes
	checked  bool     // radios and checkboxes
	options  []string // select
	selected []string // select
	disabled bool
	hidden   bool // not shown to a person
	files    []testFile
}

type testFile struct {
	name, contentType string
	data              []byte
}

// forms returns the page's forms.
func (p *page) forms() []*form {
	var out []*form
	for _, fn := range elements(p.doc, "form") {
		f := &form{node: fn, action: attrOr(fn, "action"), enctype: attrOr(fn, "enctype")}
		for d := range fn.Descendants() {
			if d.Type != html.ElementNode || (d.Data != "input" && d.Data != "select" && d.Data != "button" && d.Data != "textarea") {
				continue
			}
			c := &control{node: d, tag: d.Data, typ: attrOr(d, "type"), name: attrOr(d, "name"), value: attrOr(d, "value"),
				checked: hasAttr(d, "checked"), disabled: hasAttr(d, "disabled"), hidden: hidden(d)}
			if c.tag == "input" && c.typ == "" {
				c.typ = "text"
			}
			if c.tag == "button" && c.typ == "" {
				c.typ = "submit"
			}
			if c.tag == "select" {
				for _, o := range elements(d, "option") {
					v, ok := attr(o, "value")
					if !ok {
						v = text(o)
					}
					c.options = append(c.options, v)
					if hasAttr(o, "selected") {
						c.selected = append(c.selected, v)
					}
				}
				if len(c.selected) == 0 && !hasAttr(d, "multiple") && len(c.options) > 0 {
					c.selected = c.options[:1]
				}
			}
			if c.tag == "textarea" {
				c.value = text(d)
			}
			f.controls = append(f.controls, c)
		}
		out = append(out, f)
	}
	return out
}

// formWith returns the page's form holding a control named name (with
// value, when value is not ""), or nil.
func (p *page) formWith(name, value string) *form {
	for _, f := range p.forms() {
		for _, c := range f.controls {
			if c.name == name && (value == "" || c.value == value) {
				return f
			}
		}
	}
	return nil
}

// named returns the form's enabled controls named name.
func (f *form) named(name string) []*control {
	var out []*control
	for _, c := range f.controls {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// set gives a field values: text-like inputs take the first, radios and
// checkboxes are checked when their value is listed, selects select them.
func (f *form) set(name string, values ...string) {
	for _, c := range f.named(name) {
		switch {
		case c.typ == "radio" || c.typ == "checkbox":
			c.checked = slices.Contains(values, c.value)
		case c.tag == "select":
			c.selected = slices.Clone(values)
		case c.typ == "file":
		default:
			if len(values) > 0 {
				c.value = values[0]
			}
		}
	}
}

// attach puts files in a file input.
func (f *form) attach(name string, files ...testFile) {
	for _, c := range f.named(name) {
		c.files = files
	}
}

// fields are the form's name/value pairs as a browser sends them, with
// the submit button pressed (nil: none) and the files.
func (f *form) fields(button *control) (vals [][2]string, files map[string][]testFile) {
	files = map[string][]testFile{}
	for _, c := range f.controls {
		if c.name == "" || c.disabled || disabledByFieldset(c.node) {
			continue
		}
		switch {
		case c.tag == "button" || c.typ == "submit":
			if c == button {
				vals = append(vals, [2]string{c.name, c.value})
			}
		case c.typ == "radio" || c.typ == "checkbox":
			if c.checked {
				v := c.value
				if v == "" {
					v = "on"
				}
				vals = append(vals, [2]string{c.name, v})
			}
		case c.tag == "select": // in the options' order, as browsers send them
			for _, v := range c.options {
				if slices.Contains(c.selected, v) {
					vals = append(vals, [2]string{c.name, v})
				}
			}
		case c.typ == "file":
			files[c.name] = c.files
			if len(c.files) == 0 {
				files[c.name] = []testFile{{}} // an empty part, as browsers send
			}
			vals = append(vals, [2]string{c.name, "\x00file"})
		default:
			vals = append(vals, [2]string{c.name, c.value})
		}
	}
	return vals, files
}

func disabledByFieldset(n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && a.Data == "fieldset" && hasAttr(a, "disabled") {
			return true
		}
	}
	return false
}

// button returns the form's submit button with the given value ("" the
// first), or fails.
func (b *browser) button(f *form, value string) *control {
	b.t.Helper()
	for _, c := range f.controls {
		if (c.tag == "button" || c.typ == "submit") && (value == "" || c.value == value) {
			return c
		}
	}
	b.t.Fatalf("form %s has no %q button", f.action, value)
	return nil
}

// submit sends the form with the button of the given value ("" the first)
// pressed, as the browser would, and returns the answer unfollowed.
func (b *browser) submit(f *form, buttonValue string) *page {
	b.t.Helper()
	vals, files := f.fields(b.button(f, buttonValue))
	var body bytes.Buffer
	contentType := "application/x-www-form-urlencoded"
	if f.enctype == "multipart/form-data" {
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
				h.Set("Content-Disposition", `form-data; name="`+kv[0]+`"; filename="`+tf.name+`"`)
				h.Set("Content-Type", cmpOr(tf.contentType, "application/octet-stream"))
				w, err := mw.CreatePart(h)
				if err != nil {
					b.t.Fatal(err)
				}
				w.Write(tf.data)
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
	req, err := http.NewRequest(http.MethodPost, b.resolve(f.action), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if b.origin != "" {
		req.Header.Set("Origin", b.origin)
	}
	return b.do(req)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Small valid files of each kind the pages accept, and one they do not.
var (
	pngFile  = testFile{"photo.png", "image/png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...)}
	jpegFile = testFile{"photo.jpg", "image/jpeg", append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 300)...)}
	pdfFile  = testFile{"doc.pdf", "application/pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")}
	textFile = testFile{"notes.txt", "image/png", []byte("just some text, whatever the browser claims\n")}
)
