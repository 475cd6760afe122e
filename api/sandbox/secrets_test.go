package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
)

// TestKeysNeverLeak drives every kind of answer, with a pinned key and a
// secret, and checks that neither key appears in any response (body or
// header) or in the log, raw or escaped.
func TestKeysNeverLeak(t *testing.T) {
	f := newFixture(t, Options{CompanyKey: testKey, SecretKey: testSecret})
	var seen []string
	record := func(r response) {
		seen = append(seen, r.body)
		for name, vals := range r.header {
			seen = append(seen, name+": "+strings.Join(vals, ","))
		}
	}
	good := f.client(t, testKey, testSecret)
	raw := func(c *api.Client, config string, enc api.Encoding) response {
		req, err := c.BuildBeginRequest([]byte(config), enc)
		if err != nil {
			t.Fatal(err)
		}
		r := f.do(t, req.Method, strings.TrimPrefix(req.URL, f.srv.URL), "", bytes.NewReader(req.Body), req.Header)
		record(r)
		return r
	}
	var token string
	for _, enc := range api.Encodings() {
		r := raw(good, spanishConfig, enc) // success
		if r.status != http.StatusOK {
			t.Fatalf("%v: %d %s", enc, r.status, r.body)
		}
		token = strings.Trim(r.body, `"`)
		raw(good, `{"steps":[{"type":"nope"}]}`, enc)                     // invalid flow
		raw(good, `{"flags":{"language":"`+testKey+`"},"steps":[]}`, enc) // the key quoted back by a diagnostic
		raw(good, `{"flags":{"language":"`+testSecret+`"},"steps":[]}`, enc)
		raw(good, `{"flags":{"`+testKey+`":1},"steps":[]}`, enc)      // the key as a member name, in a diagnostic's path
		raw(f.client(t, testKey, "wrong-secret"), minimalConfig, enc) // bad signature
		raw(f.client(t, testKey+"x", testSecret), minimalConfig, enc) // bad key
		raw(f.client(t, testSecret, testKey), minimalConfig, enc)     // keys swapped
	}
	record(f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(`{"company_key":"`+testKey+`",`), nil))
	record(f.do(t, http.MethodPost, api.BeginPath+"?company_key="+url.QueryEscape(testKey), "text/csv", strings.NewReader("a,b"), nil))
	record(f.do(t, http.MethodGet, api.BeginPath+"?company_key="+url.QueryEscape(testKey), "", nil, nil))
	record(f.do(t, http.MethodGet, "/nope?company_key="+url.QueryEscape(testKey), "", nil, nil))
	for _, tok := range []string{token, "missing"} {
		record(f.do(t, http.MethodPost, api.ResultPath, "application/json",
			strings.NewReader(fmt.Sprintf(`{"company_key":%q,"session_token":%q}`, testKey, tok)), nil))
		if _, err := good.Result(context.Background(), tok); err != nil && strings.Contains(err.Error(), testKey) {
			t.Fatalf("client error holds the key: %v", err)
		}
	}
	record(f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil))
	record(f.submitPage(t, token, "approved", ""))

	leaks := []string{testKey, testSecret, url.QueryEscape(testKey), url.QueryEscape(testSecret)}
	for _, text := range append(seen, f.log.String()) {
		for _, secret := range leaks {
			if strings.Contains(text, secret) {
				t.Fatalf("a key leaked into:\n%s", text)
			}
		}
	}
	if !strings.Contains(f.log.String(), "session created") || !strings.Contains(f.log.String(), "level=DEBUG") {
		t.Fatalf("the log was not exercised:\n%s", f.log)
	}
	for _, s := range []string{fmt.Sprint(Options{CompanyKey: testKey, SecretKey: testSecret}), fmt.Sprintf("%#v", Options{CompanyKey: testKey, SecretKey: testSecret}), f.sb.String()} {
		if strings.Contains(s, testKey) || strings.Contains(s, testSecret) {
			t.Fatalf("printed with a key: %s", s)
		}
	}
}
