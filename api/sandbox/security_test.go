package sandbox

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"golang.org/x/net/html"
)

// hostileConfig puts markup, script URLs and bidi overrides in every text
// a page shows.
const hostileConfig = `{"name":"<script>alert(1)</script>","flags":{"language":"en"},"steps":[
 {"type":"language","flags":{"languages":["en","ar"]}},
 {"type":"user-questionnaire","key":"q",
  "title":{"en":"\"><img src=x onerror=alert(2)>","ar":"\u202eevil\u202c title"},
  "description":{"en":"javascript:alert(3)\nline two"},
  "successButtonTitle":{"en":"</button><script>alert(4)</script>"},
  "questions":[
   {"type":"options","key":"a\"><b>","title":{"en":"<a href=\"javascript:alert(5)\">click</a>"},
    "options":[{"key":"\"><script>alert(6)</script>","title":{"en":"' onmouseover='alert(7)"}},{"key":"k2","title":{"en":"\u202eright-to-left override"}}]},
   {"type":"string","key":"s","title":{"en":"S"},"answer":{"en":"\"><svg onload=alert(8)>"},"showConditions":{"questionKey":"a\"><b>","answer":"\"><script>alert(6)</script>"}}
  ]},
 {"type":"identity-document","flags":{"document_countries":["GEO"]}},
 {"type":"liveness"}]}`

// TestHostileFlowTextsAreInert walks a flow whose every text tries to
// inject markup or script, or to reverse the page's text, and checks that
// all of it comes out as plain text.
func TestHostileFlowTextsAreInert(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, strings.ReplaceAll(hostileConfig, "\n", ""))
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	w.Picks["q0"] = []string{`"><script>alert(6)</script>`}
	w.Check = func(t testing.TB, p *sandboxtest.Page) {
		pageInvariants("en")(t, p)
		checkInert(t, p)
	}
	end := w.Run()
	seen := ""
	for _, p := range w.Seen {
		seen += p.Body
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;", `\u202eright-to-left override`, "javascript:alert(3)"} {
		if !strings.Contains(seen, want) {
			t.Errorf("the pages do not show %q as text", want)
		}
	}
	// In Arabic too: the page turns right to left, the override is shown.
	p := w.Fetch(pageURL(token, 0))
	fm := sandboxtest.MainForm(p)
	fm.Set("lang", "ar")
	w.Check = func(t testing.TB, p *sandboxtest.Page) { pageInvariants("ar")(t, p); checkInert(t, p) }
	p = w.Send(fm, "")
	if !strings.Contains(sandboxtest.Heading(p), `\u202eevil\u202c title`) {
		t.Errorf("Arabic title %q", sandboxtest.Heading(p))
	}
	if done := w.Finish(end, "approved", ""); done.Status != http.StatusOK {
		t.Fatalf("outcome: %d", done.Status)
	}
	checkInert(t, w.Browser.Get(pageURL(token, -1)))
	// A script URL where the browser would go is refused with the flow.
	_, err := f.client(t, testKey, "").Begin(context.Background(), []byte(`{"flags":{"return_url":"javascript:alert(9)"},"steps":[{"type":"liveness"}]}`), api.EncodingJSON)
	if err == nil || !strings.Contains(err.Error(), "return_url") {
		t.Fatalf("a javascript: return_url was taken: %v", err)
	}
}

// checkInert fails when a page holds a script other than the sandbox's
// own, an event handler, a javascript: URL, an element a flow text could
// have made, or a raw bidi control.
func checkInert(t testing.TB, p *sandboxtest.Page) {
	t.Helper()
	for d := range p.Doc.Descendants() {
		if d.Type != html.ElementNode {
			continue
		}
		switch d.Data {
		case "script":
			if s := sandboxtest.TextOf(d); s != walkScript && s != pageScript {
				t.Errorf("%s: a script that is not the sandbox's: %q", p.URL, s)
			}
		case "img", "svg", "a":
			if d.Data != "a" || !strings.HasPrefix(sandboxtest.AttrOr(d, "href"), "/?session_token=") {
				t.Errorf("%s: a <%s> a flow text made: %v", p.URL, d.Data, d.Attr)
			}
		case "b":
			t.Errorf("%s: a <b> from a key", p.URL)
		}
	}
	for _, r := range "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" {
		if strings.ContainsRune(p.Body, r) {
			t.Errorf("%s: raw bidi control %U", p.URL, r)
		}
	}
}

// firstPageForm opens a session and returns its first page's form.
func firstPageForm(t *testing.T, f *fixture, b *sandboxtest.Browser, config string) (string, *sandboxtest.Page, *sandboxtest.Form) {
	t.Helper()
	token := f.begin(t, config)
	p := b.Get(pageURL(token, -1))
	return token, p, sandboxtest.MainForm(p)
}

func TestFormsRefusedWithoutTokenOrFromAnotherSite(t *testing.T) {
	f := newFixture(t, Options{})
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	token, _, fm := firstPageForm(t, f, b, minimalConfig)
	post := func(name string, body, contentType string, header map[string]string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+fm.Action, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		p := b.Do(req)
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "SANDBOX") {
			t.Errorf("%s: status %d, want 403", name, p.Status)
		}
	}
	const form = "application/x-www-form-urlencoded"
	csrf := fm.Controls[0].Value
	post("no anti-forgery token", "action=next", form, nil)
	post("wrong anti-forgery token", "csrf=AAAA"+csrf[4:]+"&action=next", form, nil)
	post("another session's token", "csrf="+url.QueryEscape(csrfOf(t, f, b))+"&action=next", form, nil)
	post("cross-site (Sec-Fetch-Site)", "csrf="+url.QueryEscape(csrf), form, map[string]string{"Sec-Fetch-Site": "cross-site"})
	post("same site, other origin (Sec-Fetch-Site)", "csrf="+url.QueryEscape(csrf), form, map[string]string{"Sec-Fetch-Site": "same-site"})
	post("another origin (Origin)", "csrf="+url.QueryEscape(csrf), form, map[string]string{"Origin": "http://evil.example"})
	post("opaque origin", "csrf="+url.QueryEscape(csrf), form, map[string]string{"Origin": "null"})
	// A multipart form must start with the token: its files are not read otherwise.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("selfie", "a.png")
	fw.Write(sandboxtest.PNG.Data)
	mw.WriteField("csrf", csrf)
	mw.Close()
	post("token after the files", body.String(), mw.FormDataContentType(), nil)
	// The outcome form too.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+completePath+"?session_token="+token, strings.NewReader("outcome=approved"))
	req.Header.Set("Content-Type", form)
	if p := b.Do(req); p.Status != http.StatusForbidden {
		t.Errorf("outcome without token: %d", p.Status)
	}
	if p := result(t, f, token); p.Result != OutcomeInProgress || len(p.Documents) != 0 {
		t.Fatalf("a refused form changed the session: %+v", p)
	}
	// The same form from the page goes through.
	if p := b.Submit(fm, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("the page's own form: %d\n%s", p.Status, p.Body)
	}
}

func csrfOf(t *testing.T, f *fixture, b *sandboxtest.Browser) string {
	_, _, fm := firstPageForm(t, f, b, minimalConfig)
	return fm.Controls[0].Value
}

// Behind a tunnel the forms come from the public URL's origin.
func TestPublicURLOriginAccepted(t *testing.T) {
	f := newFixture(t, Options{PublicURL: "https://preview.example.net/"})
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	b.Origin = "https://preview.example.net"
	_, _, fm := firstPageForm(t, f, b, minimalConfig)
	if p := b.Submit(fm, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("form from the public URL: %d\n%s", p.Status, p.Body)
	}
	b.Origin = "https://other.example.net"
	_, _, fm = firstPageForm(t, f, b, minimalConfig)
	if p := b.Submit(fm, ""); p.Status != http.StatusForbidden {
		t.Fatalf("form from another origin: %d", p.Status)
	}
}

// A client naming unknown tokens is slowed down: after guessBurst of them
// it is refused, known token or not, until its allowance refills.
func TestTokenGuessingIsBounded(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	for i := range guessBurst {
		if p := b.Get(pageURL(strings.Repeat("x", 39)+string(rune('a'+i%26)), -1)); p.Status != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, p.Status)
		}
	}
	p := b.Get(pageURL(token, -1))
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") != "3" {
		t.Fatalf("after %d guesses: %d, Retry-After %q", guessBurst, p.Status, p.Header.Get("Retry-After"))
	}
	resp := f.do(t, http.MethodPost, "/external-api/result/", "application/json", strings.NewReader(`{"company_key":"k","session_token":"`+token+`"}`), nil)
	if resp.status != http.StatusTooManyRequests {
		t.Fatalf("result/ while limited: %d", resp.status)
	}
	f.clock.Advance(guessRefill)
	if p := b.Get(pageURL(token, -1)); p.Status != http.StatusOK {
		t.Fatalf("after waiting: %d", p.Status)
	}
	if p := b.Get(pageURL("nope", -1)); p.Status != http.StatusNotFound {
		t.Fatalf("one more guess: %d", p.Status)
	}
	if p := b.Get(pageURL(token, -1)); p.Status != http.StatusTooManyRequests {
		t.Fatalf("the refilled allowance was not used up: %d", p.Status)
	}
}

func TestGuessLimiterClients(t *testing.T) {
	l := newGuessLimiter()
	now := time.Unix(0, 0)
	for range guessBurst {
		l.failed("a", now)
	}
	if l.wait("a", now) == 0 || l.wait("b", now) != 0 {
		t.Fatal("one client's guesses count against another")
	}
	// Past maxGuessClients, new clients share one bucket.
	for i := range maxGuessClients {
		l.failed(string(rune(i+1000)), now)
	}
	for range guessBurst {
		l.failed("newcomer", now)
	}
	if l.wait("another newcomer", now) == 0 || len(l.clients) > maxGuessClients {
		t.Fatalf("%d clients remembered; newcomers not limited together", len(l.clients))
	}
	// Clients whose allowance is full again are forgotten to make room.
	later := now.Add(guessBurst * guessRefill)
	if l.wait("fresh", later) != 0 || len(l.clients) > maxGuessClients {
		t.Fatal("room not made for a new client")
	}
	for addr, want := range map[string]string{"192.0.2.7:5000": "192.0.2.7", "[2001:db8::1]:80": "2001:db8::/64", "[::ffff:192.0.2.8]:1": "192.0.2.8", "127.0.0.1:80": "127.0.0.1"} {
		if got := guessClient(&http.Request{RemoteAddr: addr}); got != want {
			t.Errorf("guessClient(%s) = %s, want %s", addr, got, want)
		}
	}
}

// Uploads are read as they come and never written anywhere; one over the
// limit is refused.
func TestUploadsStayOffDiskAndAreBounded(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	f := newFixture(t, Options{})
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	token, _, fm := firstPageForm(t, f, b, minimalConfig)
	big := sandboxtest.File{Name: "big.jpg", ContentType: "image/jpeg", Data: append(append([]byte{}, sandboxtest.JPEG.Data...), make([]byte, 8<<20)...)}
	fm.Attach("selfie", big)
	if p := b.Submit(fm, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("8 MiB photo: %d\n%s", p.Status, p.Body)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Fatalf("files written to the temporary directory: %v", entries)
	}
	if d := result(t, f, token).Documents; len(d) != 1 || d[0].Files[0].Size != int64(len(big.Data)) || d[0].Files[0].ContentType != "image/jpeg" {
		t.Fatalf("documents %+v", d)
	}
	_, _, fm = firstPageForm(t, f, b, minimalConfig)
	fm.Attach("selfie", sandboxtest.File{Name: "huge.jpg", ContentType: "image/jpeg", Data: make([]byte, maxFileBytes+1)})
	if p := b.Submit(fm, ""); p.Status != http.StatusRequestEntityTooLarge || !strings.Contains(p.Body, "20 MiB") {
		t.Fatalf("file over the limit: %d\n%s", p.Status, p.Body)
	}
	_, _, fm = firstPageForm(t, f, b, minimalConfig)
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+fm.Action, strings.NewReader("csrf="+fm.Controls[0].Value))
	req.Header.Set("Content-Type", "text/plain")
	if p := b.Do(req); p.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("a form of another type: %d", p.Status)
	}
	req, _ = http.NewRequest(http.MethodPost, f.srv.URL+fm.Action, strings.NewReader("csrf="+url.QueryEscape(fm.Controls[0].Value)+strings.Repeat("&x=1", maxFormFields)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p := b.Do(req); p.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("too many fields: %d", p.Status)
	}
}

// An expired session's answers are dropped, even if nobody opens it again.
func TestAnswersDroppedAtExpiry(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "onboarding-questionnaire", "en"))
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	p := w.Fetch(pageURL(token, -1))
	w.Send(sandboxtest.MainForm(p), "")
	snap, _ := f.sb.sessions.get(token, f.clock.Now())
	snap.walk.mu.Lock()
	held := snap.walk.entries[0] != nil && snap.walk.entries[0].done
	snap.walk.mu.Unlock()
	if !held {
		t.Fatal("the language answer was not kept")
	}
	f.clock.Advance(DefaultTokenTTL)
	other := f.begin(t, minimalConfig)
	b.Get(pageURL(other, -1)) // any page request sweeps
	snap.walk.mu.Lock()
	dropped := snap.walk.entries == nil && snap.walk.dropped
	snap.walk.mu.Unlock()
	if !dropped {
		t.Fatal("answers kept after expiry")
	}
	if pr, ok := f.sb.Progress(token); !ok || !pr.Expired || pr.String() != "expired before the customer finished" {
		t.Fatalf("progress %+v", pr)
	}
}

// What the customer enters never reaches the log.
func TestNoAnswersInLog(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "contact-check", "en"))
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	w.Run() // the walker's phone number and email address
	token = f.begin(t, templateConfig(t, "kyb", "en"))
	w = sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	w.Picks["f_companyName"] = []string{"Zebracorp Ltd"}
	w.Picks["f_email"] = []string{"zebra@zebracorp.example"}
	w.Finish(w.Run(), "approved", "")
	log := f.log.String()
	if !strings.Contains(log, "session completed") {
		t.Fatalf("the log was not exercised:\n%s", log)
	}
	for _, pii := range []string{"555 123 456", "555%20123", "ana@example.com", "Zebracorp", "zebra@"} {
		if strings.Contains(log, pii) {
			t.Errorf("the log holds %q:\n%s", pii, log)
		}
	}
}
