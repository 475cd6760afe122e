package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/api"
)

// The pages of the Spanish video-call flow, in order: each step's title in
// Spanish, the flow's where it has one, else its type's default title from
// the sandbox's words; the video call's steps after its own page.
func TestWidgetPagesInSessionLanguage(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, spanishConfig)
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	w.Check = pageInvariants("es")
	end := w.Run()
	var titles []string
	for _, p := range w.Seen {
		titles = append(titles, sandboxtest.Heading(p))
	}
	want := []string{"Tu documento", "Videollamada", "Mira a la cámara", "Selfi con documento", "Geolocalización", "Finalizar"}
	if strings.Join(titles, " | ") != strings.Join(want, " | ") {
		t.Fatalf("page titles %q, want %q", titles, want)
	}
	for _, p := range w.Seen {
		if !strings.Contains(p.Body, "Cliente 42") {
			t.Errorf("%s does not name the session", p.URL)
		}
	}
	// The call's own steps say they belong to it.
	if call := sandboxtest.ByClass(w.Seen[2].Doc, "call"); call == nil || !strings.Contains(sandboxtest.TextOf(call), "Durante la videollamada") {
		t.Errorf("nested step page does not name its call:\n%s", w.Seen[2].Body)
	}
	for i, p := range w.Seen[:5] {
		if got, want := sandboxtest.TextOf(sandboxtest.ByClass(p.Doc, "step")), "Paso "+string(rune('1'+i))+" de 5"; got != want {
			t.Errorf("page %d says %q, want %q", i, got, want)
		}
	}
	for _, b := range []string{"approved", "rejected", "manual_check"} {
		if end.FormWith("outcome", b) == nil {
			t.Errorf("outcome page lacks %s", b)
		}
	}
}

// hashOf returns the CSP hash of the page's one element of the given tag.
func hashOf(t *testing.T, page, tag string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<`+tag+`>(.*?)</`+tag+`>`).FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("%d <%s> elements in the page", len(m), tag)
	}
	sum := sha256.Sum256([]byte(m[0][1]))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func TestWidgetPageHeaders(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"flags":{"return_url":"https://shop.example/back?x=1"},"steps":[{"type":"liveness"}]}`)
	resp := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil)
	page := resp.body
	external := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//`)
	if m := external.FindString(page); m != "" {
		t.Fatalf("page references an external asset: %s", m)
	}
	// The policy allows exactly the pages' own style and scripts, and the
	// forms' POST and the redirect after the outcome's.
	csp := resp.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src '" + hashOf(t, page, "style") + "'", "script-src '" + walkScriptHash + "' '" + pageScriptHash + "'",
		"form-action 'self' https://shop.example", "base-uri 'none'", "img-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows any inline code: %q", csp)
	}
	// same-origin, not no-referrer: with no referrer browsers send
	// "Origin: null" with forms, which the sandbox refuses.
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"} {
		if got := resp.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestWidgetApprove(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, spanishConfig)
	resp := f.submitPage(t, token, "approved", "")
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "Listo: ya puede cerrar esta página") || !strings.Contains(resp.body, "Aprobado") {
		t.Fatalf("complete: %d\n%s", resp.status, resp.body)
	}
	// The done page tells its parent frame, with a script the policy allows.
	if !strings.Contains(resp.body, "window.parent.postMessage('DONE', '*')") {
		t.Fatalf("done page does not post DONE:\n%s", resp.body)
	}
	if csp := resp.header.Get("Content-Security-Policy"); !strings.Contains(csp, "'"+hashOf(t, resp.body, "script")+"'") {
		t.Fatalf("CSP %q does not allow the page's script", csp)
	}
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "approved" || res.Outcome() != api.OutcomeApproved || res.RejectReason != nil {
		t.Fatalf("result = %s", res.Raw)
	}
}

func TestWidgetFinishedPage(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	end := w.Run()
	w.Finish(end, "manual_check", "")
	page := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil)
	if page.status != http.StatusOK || strings.Contains(page.body, "<form") || !strings.Contains(page.body, "manual check") {
		t.Fatalf("finished page: %d\n%s", page.status, page.body)
	}
	// The same form sent again does not change the outcome.
	w.Finish(end, "approved", "")
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil || res.Status != "manual_check" || res.Outcome() != api.OutcomeManualCheck {
		t.Fatalf("result = %+v, %v", res, err)
	}
}

func TestWidgetReject(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	reason := genericReason() // offered, not the default
	if resp := f.submitPage(t, token, "rejected", reason.Value); resp.status != http.StatusOK {
		t.Fatalf("complete: %d", resp.status)
	}
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome() != api.OutcomeRejected || res.RejectReason == nil ||
		res.RejectReason.Value != reason.Value || res.RejectReason.Description != reason.Description {
		t.Fatalf("result = %s", res.Raw)
	}
	if !strings.Contains(res.Label(), reason.Description) {
		t.Fatalf("label %q", res.Label())
	}
}

func TestWidgetCompleteValidation(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	end := w.Run()
	outcomeForm := end.FormWith("outcome", "approved")
	for name, tc := range map[string]struct {
		edit   func(*sandboxtest.Form)
		status int
	}{
		"unknown outcome": {func(f *sandboxtest.Form) { b.Button(f, "approved").Value = "maybe" }, http.StatusBadRequest},
		"unknown token":   {func(f *sandboxtest.Form) { f.Action = completePath + "?session_token=" + strings.Repeat("b", 40) }, http.StatusNotFound},
		"no token":        {func(f *sandboxtest.Form) { f.Action = completePath }, http.StatusNotFound},
	} {
		g := *outcomeForm
		g.Controls = nil
		for _, c := range outcomeForm.Controls {
			cc := *c
			g.Controls = append(g.Controls, &cc)
		}
		tc.edit(&g)
		resp := b.Submit(&g, "")
		if resp.Status != tc.status || !strings.Contains(resp.Body, "SANDBOX") {
			t.Errorf("%s: status %d, want %d", name, resp.Status, tc.status)
		}
	}
	// An unknown reason falls back to the first one the page offers.
	reason := outcomeForm.Named("reason")[0]
	reason.Options = append(reason.Options, "<x>") // as if the page offered it
	outcomeForm.Set("reason", "<x>")
	b.Submit(outcomeForm, "rejected")
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil || res.RejectReason == nil || res.RejectReason.Value != reason.Options[0] {
		t.Fatalf("result = %+v, %v", res, err)
	}
}

// The outcome is chosen after the steps, not before.
func TestWidgetCompleteNeedsEveryStep(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, spanishConfig)
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	first := b.Get(pageURL(token, -1))
	csrf := first.Forms()[0].Controls[0].Value
	resp := f.do(t, http.MethodPost, completePath+"?session_token="+token, "application/x-www-form-urlencoded",
		strings.NewReader("csrf="+url.QueryEscape(csrf)+"&outcome=approved"), nil)
	if resp.status != http.StatusConflict {
		t.Fatalf("outcome before the steps: %d\n%s", resp.status, resp.body)
	}
	// Nor can a page not reached yet be opened or sent: the customer stays
	// where they are.
	if p := b.Get(pageURL(token, 3)); sandboxtest.Heading(p) != "Tu documento" {
		t.Fatalf("page 3 before page 1 was done: %q", sandboxtest.Heading(p))
	}
	resp = f.do(t, http.MethodPost, stepPath+"?session_token="+token+"&page=3", "application/x-www-form-urlencoded",
		strings.NewReader("csrf="+url.QueryEscape(csrf)), nil)
	if resp.status != http.StatusSeeOther || resp.header.Get("Location") != pageURL(token, -1) {
		t.Fatalf("posting a page not reached: %d %s", resp.status, resp.header.Get("Location"))
	}
}

func TestWidgetReturnURL(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"flags":{"return_url":"https://shop.example/kyc/done?order=17&session_token=old#top"},"steps":[{"type":"liveness"}]}`)
	resp := f.submitPage(t, token, "approved", "")
	if resp.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", resp.status)
	}
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if loc.Host != "shop.example" || loc.Path != "/kyc/done" || q.Get("order") != "17" || q.Get("session_token") != token || len(q["session_token"]) != 1 || loc.Fragment != "top" {
		t.Fatalf("Location = %s", loc)
	}
	if !strings.HasPrefix(loc.RawQuery, "order=17&") {
		t.Fatalf("existing parameters not kept first: %s", loc.RawQuery)
	}
}

func TestReturnTarget(t *testing.T) {
	cases := map[string]string{
		"https://a.example":           "https://a.example?session_token=T",
		"https://a.example/":          "https://a.example/?session_token=T",
		"http://a.example/p?x=1&y=2":  "http://a.example/p?x=1&y=2&session_token=T",
		"https://a.example/p?":        "https://a.example/p?session_token=T",
		"https://a.example/?a=%20b#f": "https://a.example/?a=%20b&session_token=T#f",
	}
	for in, want := range cases {
		got, ok := returnTarget(in, "T")
		if !ok || got != want {
			t.Errorf("returnTarget(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "javascript:alert(1)", "/relative", "ftp://a.example"} {
		if got, ok := returnTarget(bad, "T"); ok {
			t.Errorf("returnTarget(%q) = %q, want refusal", bad, got)
		}
	}
}

func TestWidgetUnknownAndIndex(t *testing.T) {
	f := newFixture(t, Options{})
	resp := f.do(t, http.MethodGet, "/?session_token="+strings.Repeat("c", 40), "", nil, nil)
	if resp.status != http.StatusNotFound || !strings.Contains(resp.body, "does not exist") || !strings.Contains(resp.body, "SANDBOX") {
		t.Fatalf("unknown token: %d\n%s", resp.status, resp.body)
	}
	resp = f.do(t, http.MethodGet, "/", "", nil, nil)
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "sandbox is running") {
		t.Fatalf("index: %d\n%s", resp.status, resp.body)
	}
	resp = f.do(t, http.MethodHead, "/", "", nil, nil)
	if resp.status != http.StatusOK || resp.body != "" {
		t.Fatalf("HEAD: %d %q", resp.status, resp.body)
	}
}

func TestWidgetConfigIDWithoutSteps(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"config_id":"64b7f0c2a1e4d5f6a7b8c9d0","flags":{"return_url":"https://a.example/"}}`)
	page := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil).body
	if !strings.Contains(page, "64b7f0c2a1e4d5f6a7b8c9d0") || !strings.Contains(page, "saved configuration") || !strings.Contains(page, `value="approved"`) {
		t.Fatalf("page does not explain where the steps are:\n%s", page)
	}
}
