package sandbox

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/api"
)

const (
	testKey    = "ck_live_7Hq2VtZ9pLmXw3RbNf8Ks1Yd"
	testSecret = "sk_4Jt8QwErTy6UiOp2AsDf5GhJk"
)

// spanishConfig is a flow shown in Spanish with a video call holding
// nested steps; the first step has a localized title.
const spanishConfig = `{
  "name": "Cliente 42",
  "flags": {"language": "es", "skip_face": true, "skip_document": true},
  "steps": [
    {"type": "identity-document", "key": "doc", "title": {"en": "Your ID", "es": "Tu documento"}},
    {"type": "video-call", "key": "call", "steps": [
      {"type": "liveness", "key": "live", "title": {"en": "Look at the camera", "es": "Mira a la cámara"}},
      {"type": "face-document"}
    ]},
    {"type": "geolocation"}
  ]
}`

// minimalConfig is the smallest valid flow.
const minimalConfig = `{"flags":{"language":"en","skip_face":true},"steps":[{"type":"liveness"}]}`

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is a sandbox served on loopback, with its log.
type fixture struct {
	sb    *Server
	srv   *httptest.Server
	clock *clock
	log   *syncBuffer
}

// newFixture serves a sandbox on 127.0.0.1 with a test clock and a
// debug-level log; opts.Now and opts.Logger are set by it.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	return newFixtureWith(t, opts, nil)
}

// newFixtureWith is newFixture with setup applied to the sandbox before
// it serves.
func newFixtureWith(t *testing.T, opts Options, setup func(*Server)) *fixture {
	t.Helper()
	f := &fixture{clock: newClock(), log: &syncBuffer{}}
	opts.Now = f.clock.Now
	opts.Logger = slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.sb = New(opts)
	if setup != nil {
		setup(f.sb)
	}
	f.srv = httptest.NewUnstartedServer(f.sb.Handler())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Listener = ln
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

// client returns an api client for the fixture with the given keys.
func (f *fixture) client(t testing.TB, companyKey, secretKey string) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{
		BaseURL:     f.srv.URL,
		CompanyKey:  companyKey,
		SecretKey:   secretKey,
		RetryBudget: -1,
		HTTPClient:  f.srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// begin creates a session with the JSON encoding or fails the test.
func (f *fixture) begin(t *testing.T, config string) string {
	t.Helper()
	s, err := f.client(t, testKey, "").Begin(context.Background(), []byte(config), api.EncodingJSON)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return s.Token
}

// response is a complete answer.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a raw request without following redirects.
func (f *fixture) do(t *testing.T, method, path, contentType string, body io.Reader, header http.Header) response {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for name, vals := range header {
		req.Header[name] = vals
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	hc := *f.srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// submitPage walks the session's pages as a person would, then picks the
// outcome (and reason) on the outcome page, and returns the answer.
func (f *fixture) submitPage(t *testing.T, token, outcome, reason string) response {
	t.Helper()
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	p := w.Finish(w.Run(), outcome, reason)
	return response{status: p.Status, header: p.Header, body: p.Body}
}
