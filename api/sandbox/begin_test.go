package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

var tokenPattern = regexp.MustCompile(`^[a-z0-9]{40}$`)

func TestBeginEveryEncodingAndPath(t *testing.T) {
	f := newFixture(t, Options{})
	for _, path := range []string{api.BeginPath, api.BeginAliasPath} {
		for _, enc := range api.Encodings() {
			t.Run(strings.Trim(path, "/")+"/"+enc.String(), func(t *testing.T) {
				req, err := f.client(t, testKey, "").BuildBeginRequest([]byte(spanishConfig), enc)
				if err != nil {
					t.Fatal(err)
				}
				// The client always uses BeginPath; send the alias by hand.
				target := strings.Replace(req.URL, f.srv.URL+api.BeginPath, path, 1)
				resp := f.do(t, req.Method, target, "", bytes.NewReader(req.Body), req.Header)
				if resp.status != http.StatusOK {
					t.Fatalf("status %d: %s", resp.status, resp.body)
				}
				var token string
				if err := json.Unmarshal([]byte(resp.body), &token); err != nil {
					t.Fatalf("body %q is not a JSON string: %v", resp.body, err)
				}
				if !tokenPattern.MatchString(token) || !api.ValidToken(token) {
					t.Fatalf("token %q is not 40 [a-z0-9]", token)
				}
				// The session remembers the flow as sent in this encoding.
				snap, ok := f.sb.sessions.get(token, f.clock.Now())
				if !ok {
					t.Fatal("session not stored")
				}
				// Three steps and the call's two: five pages, in Spanish.
				p := snap.walk.getPlan()
				if snap.name != "Cliente 42" || p.main != "es" || len(p.pages) != 5 || p.pages[2].call != 1 {
					t.Fatalf("session = name %q, plan main %q pages %+v", snap.name, p.main, p.pages)
				}
			})
		}
	}
}

func TestBeginThroughClientEveryEncoding(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.client(t, testKey, "")
	for _, enc := range api.Encodings() {
		s, err := c.Begin(context.Background(), []byte(spanishConfig), enc)
		if err != nil {
			t.Fatalf("%v: %v", enc, err)
		}
		if !tokenPattern.MatchString(s.Token) {
			t.Fatalf("%v: token %q", enc, s.Token)
		}
	}
}

func TestBeginCompanyKey(t *testing.T) {
	f := newFixture(t, Options{CompanyKey: testKey})
	if _, err := f.client(t, testKey, "").Begin(context.Background(), []byte(minimalConfig), api.EncodingJSON); err != nil {
		t.Fatalf("pinned key refused: %v", err)
	}
	for _, enc := range api.Encodings() {
		_, err := f.client(t, "some-other-key", "").Begin(context.Background(), []byte(minimalConfig), enc)
		if !errors.Is(err, api.ErrKeyRefused) {
			t.Fatalf("%v: wrong key: err = %v, want ErrKeyRefused", enc, err)
		}
	}
	// Missing and empty keys get the same answer, status 401.
	for _, body := range []string{`{"steps":[{"type":"liveness"}]}`, `{"company_key":"","steps":[{"type":"liveness"}]}`, `{"company_key":7,"steps":[]}`} {
		resp := f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(body), nil)
		if resp.status != http.StatusUnauthorized || resp.body != `"COMPANY_KEY_INVALID"` {
			t.Fatalf("%s: %d %s", body, resp.status, resp.body)
		}
	}
}

func TestBeginAnyKeyWhenNotPinned(t *testing.T) {
	f := newFixture(t, Options{})
	for _, key := range []string{"a", "another key", testKey} {
		if _, err := f.client(t, key, "").Begin(context.Background(), []byte(minimalConfig), api.EncodingForm); err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
	}
}

func TestBeginHMAC(t *testing.T) {
	f := newFixture(t, Options{SecretKey: testSecret})
	for _, enc := range api.Encodings() {
		t.Run(enc.String(), func(t *testing.T) {
			// Good: the client signs, and verifies the signed answer.
			if _, err := f.client(t, testKey, testSecret).Begin(context.Background(), []byte(spanishConfig), enc); err != nil {
				t.Fatalf("signed request refused: %v", err)
			}
			// Wrong secret.
			_, err := f.client(t, testKey, "not-the-secret").Begin(context.Background(), []byte(spanishConfig), enc)
			var se *api.StatusError
			if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || se.Message != "SIGNATURE_INVALID" {
				t.Fatalf("wrong secret: err = %v", err)
			}
			// Missing signature.
			req, err := f.client(t, testKey, "").BuildBeginRequest([]byte(spanishConfig), enc)
			if err != nil {
				t.Fatal(err)
			}
			resp := f.do(t, req.Method, strings.TrimPrefix(req.URL, f.srv.URL), "", bytes.NewReader(req.Body), req.Header)
			if resp.status != http.StatusUnauthorized || resp.body != `"SIGNATURE_INVALID"` {
				t.Fatalf("unsigned: %d %s", resp.status, resp.body)
			}
			// Even refusals are signed.
			if err := api.VerifySignature([]byte(testSecret), []byte(resp.body), resp.header.Get("Authorization")); err != nil {
				t.Fatalf("refusal not signed: %v", err)
			}
		})
	}
}

func TestBeginHMACTamperedMultipartPart(t *testing.T) {
	f := newFixture(t, Options{SecretKey: testSecret})
	req, err := f.client(t, testKey, testSecret).BuildBeginRequest([]byte(minimalConfig), api.EncodingMultipart)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Replace(req.Body, []byte(`"liveness"`), []byte(`"geolocation"`), 1)
	if bytes.Equal(body, req.Body) {
		t.Fatal("test did not alter the body")
	}
	resp := f.do(t, req.Method, api.BeginPath, "", bytes.NewReader(body), req.Header)
	if resp.status != http.StatusUnauthorized || resp.body != `"SIGNATURE_INVALID"` {
		t.Fatalf("tampered part: %d %s", resp.status, resp.body)
	}
}

func TestBeginResponseSignedOnlyWithSecret(t *testing.T) {
	f := newFixture(t, Options{})
	resp := f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(`{"company_key":"k","steps":[{"type":"liveness"}]}`), nil)
	if resp.status != http.StatusOK || resp.header.Get("Authorization") != "" {
		t.Fatalf("status %d, Authorization %q", resp.status, resp.header.Get("Authorization"))
	}
	// A client expecting signatures notices they are missing.
	_, err := f.client(t, testKey, testSecret).Begin(context.Background(), []byte(minimalConfig), api.EncodingJSON)
	if !errors.Is(err, api.ErrSignatureMissing) {
		t.Fatalf("err = %v, want ErrSignatureMissing", err)
	}
}

func TestBeginInvalidFlow(t *testing.T) {
	f := newFixture(t, Options{})
	config := `{"flags":{"language":"es"},"steps":[{"type":"livenes"}]}`
	for _, enc := range api.Encodings() {
		req, err := f.client(t, testKey, "").BuildBeginRequest([]byte(config), enc)
		if err != nil {
			t.Fatal(err)
		}
		resp := f.do(t, req.Method, strings.TrimPrefix(req.URL, f.srv.URL), "", bytes.NewReader(req.Body), req.Header)
		if resp.status != http.StatusBadRequest {
			t.Fatalf("%v: status %d: %s", enc, resp.status, resp.body)
		}
		var got struct {
			Error       string           `json:"error"`
			Diagnostics flow.Diagnostics `json:"diagnostics"`
		}
		if err := json.Unmarshal([]byte(resp.body), &got); err != nil {
			t.Fatalf("%v: body %s: %v", enc, resp.body, err)
		}
		if got.Error != "invalid flow" || !hasDiag(got.Diagnostics, flow.CodeUnknownStepType, "/steps/0/type") {
			t.Fatalf("%v: body %s", enc, resp.body)
		}
		if hasDiag(got.Diagnostics, flow.CodeCredential, "/company_key") {
			t.Fatalf("%v: company_key was validated as part of the flow: %s", enc, resp.body)
		}
	}
	// Through the client, the first error reads as the message.
	_, err := f.client(t, testKey, "").Begin(context.Background(), []byte(config), api.EncodingJSON)
	var se *api.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || !strings.Contains(se.Message, "unknown-step-type") {
		t.Fatalf("client error = %v", err)
	}
}

func TestBeginMalformedPayloads(t *testing.T) {
	f := newFixture(t, Options{})
	cases := []struct {
		name, contentType, body string
		status                  int
		code, path              string
	}{
		{"json syntax", "application/json", `{"company_key":"k",`, 400, flow.CodeJSONSyntax, ""},
		{"json array", "application/json", `[1]`, 400, flow.CodeJSONSyntax, ""},
		{"form flags not JSON", "application/x-www-form-urlencoded", "company_key=k&flags=%7Bnope&steps=%5B%7B%22type%22%3A%22liveness%22%7D%5D", 400, flow.CodeJSONSyntax, "/flags"},
		{"form steps not JSON", "application/x-www-form-urlencoded", "company_key=k&steps=%5B%7Bnope", 400, flow.CodeJSONSyntax, "/steps"},
		{"form steps wrong type", "application/x-www-form-urlencoded", "company_key=k&steps=%7B%7D", 400, flow.CodeType, "/steps"},
		{"form duplicate field", "application/x-www-form-urlencoded", "company_key=k&steps=%5B%5D&steps=%5B%5D", 400, "", ""},
		{"bad escape", "application/x-www-form-urlencoded", "company_key=k&steps=%zz", 400, "", ""},
		{"multipart without boundary", "multipart/form-data", "x", 400, "", ""},
		{"unsupported type", "application/xml", "<begin/>", 415, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(t, http.MethodPost, api.BeginPath, tc.contentType, strings.NewReader(tc.body), nil)
			if resp.status != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tc.status, resp.body)
			}
			var got struct {
				Error       string           `json:"error"`
				Message     string           `json:"message"`
				Diagnostics flow.Diagnostics `json:"diagnostics"`
			}
			if err := json.Unmarshal([]byte(resp.body), &got); err != nil || got.Error == "" {
				t.Fatalf("body %s is not a JSON error", resp.body)
			}
			if tc.code != "" && !hasDiag(got.Diagnostics, tc.code, tc.path) {
				t.Fatalf("no %s diagnostic at %q: %s", tc.code, tc.path, resp.body)
			}
			if tc.code == flow.CodeJSONSyntax && len(got.Diagnostics) != 1 {
				t.Fatalf("a field that is not JSON must be the only finding: %s", resp.body)
			}
		})
	}
}

func TestBeginWithoutContentTypeIsJSON(t *testing.T) {
	f := newFixture(t, Options{})
	body := `{"company_key":"k","flags":{"skip_face":true},"steps":[{"type":"liveness"}]}`
	resp := f.do(t, http.MethodPost, api.BeginPath, "", strings.NewReader(body), nil)
	if resp.status != http.StatusOK || !tokenPattern.MatchString(strings.Trim(resp.body, `"`)) {
		t.Fatalf("no Content-Type: status %d: %s", resp.status, resp.body)
	}
}

func TestBeginBodyLimit(t *testing.T) {
	f := newFixture(t, Options{})
	big := `{"company_key":"k","name":"` + strings.Repeat("x", MaxBodyBytes) + `","steps":[{"type":"liveness"}]}`
	// With a Content-Length the answer comes before the body is read.
	resp := f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(big), nil)
	if resp.status != http.StatusRequestEntityTooLarge || !strings.Contains(resp.body, "larger than 1 MiB") {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	// Without one (chunked), the limit applies while reading.
	resp = f.do(t, http.MethodPost, api.BeginPath, "application/json", io.MultiReader(strings.NewReader(big)), nil)
	if resp.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked: status %d: %s", resp.status, resp.body)
	}
	// Just under the limit is accepted.
	fits := `{"company_key":"k","name":"` + strings.Repeat("x", MaxBodyBytes-100) + `","steps":[{"type":"liveness"}]}`
	resp = f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(fits), nil)
	if resp.status != http.StatusOK {
		t.Fatalf("body under the limit: status %d: %.200s", resp.status, resp.body)
	}
}

func TestBeginTokensUnique(t *testing.T) {
	f := newFixture(t, Options{})
	seen := make(map[string]bool)
	for range 300 {
		token := f.begin(t, minimalConfig)
		if !tokenPattern.MatchString(token) {
			t.Fatalf("token %q", token)
		}
		if seen[token] {
			t.Fatalf("token %q issued twice", token)
		}
		seen[token] = true
	}
	// The generator alone, without HTTP: uniform enough that every
	// character of the alphabet shows up.
	chars := make(map[rune]bool)
	for range 2000 {
		tok, err := newToken()
		if err != nil {
			t.Fatal(err)
		}
		if seen[tok] || !tokenPattern.MatchString(tok) {
			t.Fatalf("token %q repeated or malformed", tok)
		}
		seen[tok] = true
		for _, r := range tok {
			chars[r] = true
		}
	}
	if len(chars) != len(tokenAlphabet) {
		t.Fatalf("only %d of %d characters used", len(chars), len(tokenAlphabet))
	}
}

func TestBeginConcurrent(t *testing.T) {
	f := newFixture(t, Options{})
	const n = 50
	tokens := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			enc := api.Encodings()[i%4]
			s, err := f.client(t, fmt.Sprintf("key-%d", i), "").Begin(context.Background(), []byte(spanishConfig), enc)
			tokens[i], errs[i] = s.Token, err
		})
	}
	wg.Wait()
	seen := make(map[string]bool)
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("begin %d: %v", i, errs[i])
		}
		if seen[tokens[i]] {
			t.Fatalf("token %q issued twice", tokens[i])
		}
		seen[tokens[i]] = true
	}
	if got := f.sb.Sessions(); got != n {
		t.Fatalf("%d sessions stored, want %d", got, n)
	}
}

func TestBeginSessionCap(t *testing.T) {
	f := newFixture(t, Options{MaxSessions: 3})
	for range 3 {
		f.begin(t, minimalConfig)
	}
	resp := f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(`{"company_key":"k","steps":[{"type":"liveness"}]}`), nil)
	if resp.status != http.StatusServiceUnavailable || resp.header.Get("Retry-After") != strconv.Itoa(15*60) {
		t.Fatalf("full store: status %d, Retry-After %q: %s", resp.status, resp.header.Get("Retry-After"), resp.body)
	}
	// Once they expire, room is made; the expired ones are still
	// remembered, so that result/ tells why they are gone.
	f.clock.Advance(DefaultTokenTTL)
	f.begin(t, minimalConfig)
	if got := f.sb.Sessions(); got != 4 {
		t.Fatalf("%d sessions stored after expiry, want 3 expired and 1 live", got)
	}
}

func TestRouting(t *testing.T) {
	f := newFixture(t, Options{})
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, api.BeginPath, 405, "POST"},
		{http.MethodPut, api.BeginAliasPath, 405, "POST"},
		{http.MethodGet, api.ResultPath, 405, "POST"},
		{http.MethodPost, "/", 405, "GET, HEAD"},
		{http.MethodGet, completePath, 405, "POST"},
		{http.MethodGet, "/nope", 404, ""},
		{http.MethodPost, "/external-api/other/", 404, ""},
	}
	for _, tc := range cases {
		resp := f.do(t, tc.method, tc.path, "", nil, nil)
		if resp.status != tc.status || resp.header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: status %d Allow %q, want %d %q", tc.method, tc.path, resp.status, resp.header.Get("Allow"), tc.status, tc.allow)
		}
		if resp.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no nosniff header", tc.method, tc.path)
		}
	}
}

func hasDiag(ds flow.Diagnostics, code, path string) bool {
	for _, d := range ds {
		if d.Code == code && d.Path == path {
			return true
		}
	}
	return false
}
