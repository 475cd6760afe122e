package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testKey    = "ck_7f3a9b2c1d0e4f5a6b7c8d9e"
	testSecret = "sk_live_5e6f7a8b9c0d1e2f"
	testToken  = "47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc"
)

// fakeClock is an injectable clock whose Sleep advances time instantly
// and records each wait.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	return nil
}

// Advance moves the clock on, as a slow server makes time pass.
func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

func (f *fakeClock) Total() time.Duration {
	var sum time.Duration
	for _, d := range f.Sleeps() {
		sum += d
	}
	return sum
}

// captured is one request as the test server received it.
type captured struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// recorder is an httptest server that records requests and answers with
// a handler chosen per attempt.
type recorder struct {
	srv   *httptest.Server
	mu    sync.Mutex
	reqs  []captured
	reply func(attempt int, w http.ResponseWriter, r *http.Request, body []byte)
}

func newRecorder(t *testing.T, reply func(attempt int, w http.ResponseWriter, r *http.Request, body []byte)) *recorder {
	t.Helper()
	rec := &recorder{reply: reply}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, captured{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		attempt := len(rec.reqs)
		rec.mu.Unlock()
		rec.reply(attempt, w, r, body)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) Requests() []captured {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]captured(nil), rec.reqs...)
}

func (rec *recorder) Last(t *testing.T) captured {
	t.Helper()
	reqs := rec.Requests()
	if len(reqs) == 0 {
		t.Fatal("the server received no request")
	}
	return reqs[len(reqs)-1]
}

// tokenReply answers a JSON-quoted token.
func tokenReply(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, strconv.Quote(testToken))
}

// signedTokenReply answers a JSON-quoted token signed with testSecret.
func signedTokenReply(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
	signedReply(w, testSecret, http.StatusOK, strconv.Quote(testToken))
}

// signedReply answers body with status, signed with secret.
func signedReply(w http.ResponseWriter, secret string, status int, body string) {
	w.Header().Set("Authorization", AuthorizationHeader(Sign([]byte(secret), []byte(body))))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

type clientOption func(*Options)

func withSecret(s string) clientOption { return func(o *Options) { o.SecretKey = s } }
func withKey(k string) clientOption    { return func(o *Options) { o.CompanyKey = k } }
func withTimeout(d time.Duration) clientOption {
	return func(o *Options) { o.Timeout = d }
}

func newTestClient(t *testing.T, base string, clock *fakeClock, opts ...clientOption) *Client {
	t.Helper()
	o := Options{BaseURL: base, CompanyKey: testKey, Version: "1.2.3", Now: clock.Now, Sleep: clock.Sleep}
	for _, opt := range opts {
		opt(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// secretForms are the ways a credential could show up in text.
func secretForms(s string) []string {
	q, _ := json.Marshal(s)
	return []string{
		s,
		url.QueryEscape(s),
		url.PathEscape(s),
		strings.Trim(string(q), `"`),
		strings.Trim(strconv.Quote(s), `"`),
	}
}

// assertNoSecrets fails when text shows any of the credentials in any form.
func assertNoSecrets(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	if len(secrets) == 0 {
		secrets = []string{testKey, testSecret}
	}
	for _, s := range secrets {
		for _, form := range secretForms(s) {
			if strings.Contains(text, form) {
				t.Errorf("%s shows a credential (%q):\n%s", what, form, text)
			}
		}
	}
}

// assertErrorClean checks an error's text under every common verb.
func assertErrorClean(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assertNoSecrets(t, "error "+verb, sprintf(verb, err), secrets...)
	}
}

func configJSON(t *testing.T, s string) []byte {
	t.Helper()
	if !json.Valid([]byte(s)) {
		t.Fatalf("test config is not JSON: %s", s)
	}
	return []byte(s)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
