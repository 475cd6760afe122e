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

	"github.com/identoflow/identoflow/api"
)

func TestWidgetPageShowsStepsInSessionLanguage(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, spanishConfig)
	resp := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil)
	if resp.status != http.StatusOK || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", resp.status, resp.header.Get("Content-Type"))
	}
	page := resp.body
	for _, want := range []string{
		"SANDBOX",
		`name="viewport"`,
		"Tu documento", "Mira a la cámara", // localized titles, in Spanish
		"Video call", "Selfie with ID", "Geolocation", // the types' default titles
		"Cliente 42",
		">Approve<", ">Reject<", ">Manual check<",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "Your ID") || strings.Contains(page, "Look at the camera") {
		t.Error("page shows the English titles of a Spanish session")
	}
	// Steps in order, the video call's own steps in a nested list under it.
	order := []string{"Tu documento", "Video call", "<ol>", "Mira a la cámara", "Selfie with ID", "</ol>", "Geolocation"}
	at := 0
	for _, s := range order {
		i := strings.Index(page[at:], s)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", s, page)
		}
		at += i + len(s)
	}
}

func TestWidgetPageSafety(t *testing.T) {
	f := newFixture(t, Options{})
	config := `{"name":"<script>alert(1)</script>","flags":{"return_url":"https://shop.example/back?x=1"},"steps":[{"type":"liveness","title":"<img src=x onerror=alert(2)>"}]}`
	token := f.begin(t, config)
	resp := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil)
	page := resp.body
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img") {
		t.Fatalf("page does not escape the config's text:\n%s", page)
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatalf("escaped name missing:\n%s", page)
	}
	// Nothing is loaded from elsewhere.
	external := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//`)
	if m := external.FindString(page); m != "" {
		t.Fatalf("page references an external asset: %s", m)
	}
	// The policy allows exactly the page's own style (and no script here),
	// and the form's POST and the redirect after it.
	csp := resp.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src '" + hashOf(t, page, "style") + "'", "form-action 'self' https://shop.example", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows any inline code: %q", csp)
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if got := resp.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
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

func TestWidgetApprove(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, spanishConfig)
	resp := f.submitPage(t, token, "approved", "")
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "Done — you can close this page") {
		t.Fatalf("complete: %d\n%s", resp.status, resp.body)
	}
	// The done page tells its parent frame, with a script the policy allows.
	if !strings.Contains(resp.body, "window.parent.postMessage('DONE', '*')") {
		t.Fatalf("done page does not post DONE:\n%s", resp.body)
	}
	if csp := resp.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src '"+hashOf(t, resp.body, "script")+"'") {
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
	f.submitPage(t, token, "manual_check", "")
	page := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil)
	if page.status != http.StatusOK || strings.Contains(page.body, "<form") || !strings.Contains(page.body, "manual check") {
		t.Fatalf("finished page: %d\n%s", page.status, page.body)
	}
	// A replayed POST does not change the outcome.
	form := "session_token=" + token + "&outcome=approved"
	f.do(t, http.MethodPost, completePath, "application/x-www-form-urlencoded", strings.NewReader(form), nil)
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil || res.Status != "manual_check" || res.Outcome() != api.OutcomeManualCheck {
		t.Fatalf("result = %+v, %v", res, err)
	}
}

func TestWidgetReject(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	reason := RejectReasons()[1]
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
	for name, tc := range map[string]struct {
		form   string
		status int
	}{
		"unknown outcome": {"session_token=" + token + "&outcome=maybe", http.StatusBadRequest},
		"no outcome":      {"session_token=" + token, http.StatusBadRequest},
		"unknown token":   {"session_token=" + strings.Repeat("b", 40) + "&outcome=approved", http.StatusNotFound},
		"no token":        {"outcome=approved", http.StatusNotFound},
	} {
		resp := f.do(t, http.MethodPost, completePath, "application/x-www-form-urlencoded", strings.NewReader(tc.form), nil)
		if resp.status != tc.status || !strings.Contains(resp.body, "SANDBOX") {
			t.Errorf("%s: status %d, want %d", name, resp.status, tc.status)
		}
	}
	// An unknown reason falls back to the first one.
	f.do(t, http.MethodPost, completePath, "application/x-www-form-urlencoded",
		strings.NewReader("session_token="+token+"&outcome=rejected&reason=%3Cx%3E"), nil)
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil || res.RejectReason == nil || res.RejectReason.Value != RejectReasons()[0].Value {
		t.Fatalf("result = %+v, %v", res, err)
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
	if !strings.Contains(page, "64b7f0c2a1e4d5f6a7b8c9d0") || !strings.Contains(page, "saved configuration") {
		t.Fatalf("page does not explain where the steps are:\n%s", page)
	}
}
