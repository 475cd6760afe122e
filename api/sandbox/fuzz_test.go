package sandbox

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// FuzzStepForm sends any form to a questionnaire with every question type,
// preset and read-only answers and a condition: it is taken or refused,
// never a server error, and the page still renders with whatever was kept.
func FuzzStepForm(f *testing.F) {
	sb := New(Options{MaxSessions: 1 << 30})
	h := sb.Handler()
	serve := func(method, target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		switch {
		case method == http.MethodGet:
		case strings.HasPrefix(target, api.BeginPath):
			req.Header.Set("Content-Type", "application/json")
		default:
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := serve(http.MethodPost, api.BeginPath, `{"company_key":"k",`+strings.TrimPrefix(allTypesConfig, "{"))
	token := strings.Trim(rec.Body.String(), `"`)
	m := csrfField.FindStringSubmatch(serve(http.MethodGet, pageURL(token, 0), "").Body.String())
	if m == nil {
		f.Fatal("no anti-forgery token on the page")
	}
	csrf := "csrf=" + url.QueryEscape(m[1]) + "&"
	f.Add("q0=Ana&q4=ka&seen=0&seen=6&q6=why")
	f.Add("q0=&q2=silver&q3=a&q3=zz&q3=b&seen=7&q5=tbs&q5=bat&q4=es&q4=es")
	f.Add("action=language&lang=ar")
	f.Add("q0=%E2%80%AEx&q6=" + strings.Repeat("y", 3000) + "&seen=99&seen=-1")
	f.Fuzz(func(t *testing.T, form string) {
		if rec := serve(http.MethodPost, stepAction(token, 0), csrf+form); rec.Code >= 500 {
			t.Fatalf("form %q: %d\n%s", form, rec.Code, rec.Body)
		}
		if rec := serve(http.MethodGet, pageURL(token, 0), ""); rec.Code != http.StatusOK {
			t.Fatalf("page after %q: %d\n%s", form, rec.Code, rec.Body)
		}
	})
}
