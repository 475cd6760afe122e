package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

const minimalConfig = `{"steps":[{"type":"liveness"}]}`

func TestBeginSession(t *testing.T) {
	for _, body := range []string{`"` + testToken + `"`, testToken, "  " + testToken + "\n", "\n\"" + testToken + "\"\r\n"} {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) { _, _ = io.WriteString(w, body) })
		clock := newFakeClock()
		c := newTestClient(t, rec.srv.URL+"///", clock)
		sess, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
		if err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
		want := Session{
			Token:     testToken,
			URL:       rec.srv.URL + "/?session_token=" + testToken,
			ExpiresAt: clock.Now().Add(15 * time.Minute),
		}
		if !reflect.DeepEqual(sess, want) {
			t.Errorf("body %q: session %+v, want %+v", body, sess, want)
		}
	}
}

func TestSessionURLEscapesToken(t *testing.T) {
	c := newTestClient(t, "https://widget.identomat.com/", newFakeClock())
	if got := c.SessionURL("a b&c"); got != "https://widget.identomat.com/?session_token=a+b%26c" {
		t.Errorf("SessionURL = %s", got)
	}
}

func TestBeginResponseSignature(t *testing.T) {
	tokenBody := `"` + testToken + `"`
	cases := []struct {
		name  string
		reply func(w http.ResponseWriter)
		want  error
	}{
		{"good", func(w http.ResponseWriter) { signedReply(w, testSecret, 200, tokenBody) }, nil},
		{"missing", func(w http.ResponseWriter) { _, _ = io.WriteString(w, tokenBody) }, ErrSignatureMissing},
		{"wrong secret", func(w http.ResponseWriter) { signedReply(w, "another-secret", 200, tokenBody) }, ErrSignatureMismatch},
		{"other body", func(w http.ResponseWriter) {
			w.Header().Set("Authorization", AuthorizationHeader(Sign([]byte(testSecret), []byte(`"other"`))))
			_, _ = io.WriteString(w, tokenBody)
		}, ErrSignatureMismatch},
		{"garbled header", func(w http.ResponseWriter) {
			w.Header().Set("Authorization", "signature=%%%")
			_, _ = io.WriteString(w, tokenBody)
		}, ErrSignatureMismatch},
	}
	for _, tc := range cases {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) { tc.reply(w) })
		c := newTestClient(t, rec.srv.URL, newFakeClock(), withSecret(testSecret))
		sess, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
		if tc.want == nil {
			if err != nil || sess.Token != testToken {
				t.Errorf("%s: %v, %+v", tc.name, err, sess)
			}
			continue
		}
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "signature") || sess.Token != "" {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		assertErrorClean(t, err)
	}
	// Without a secret key the header is not required.
	rec := newRecorder(t, tokenReply)
	c := newTestClient(t, rec.srv.URL, newFakeClock())
	if _, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON); err != nil {
		t.Errorf("unsigned client: %v", err)
	}
}

func TestBeginTimeoutNotRetried(t *testing.T) {
	release := make(chan struct{})
	rec := newRecorder(t, func(_ int, _ http.ResponseWriter, r *http.Request, _ []byte) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	clock := newFakeClock()
	c := newTestClient(t, rec.srv.URL, clock, withTimeout(50*time.Millisecond))
	_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingQuery)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Errorf("error = %v", err)
	}
	if n := len(rec.Requests()); n != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("timeout retried: %d requests, sleeps %v", n, clock.Sleeps())
	}
	assertErrorClean(t, err)
}

func TestBeginServerErrorNotRetried(t *testing.T) {
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":"database\nunavailable,   try later","code":17}`)
	})
	clock := newFakeClock()
	c := newTestClient(t, rec.srv.URL, clock)
	_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 500 || se.Message != "database unavailable, try later" {
		t.Fatalf("error = %#v", err)
	}
	if err.Error() != "begin/: server answered 500 Internal Server Error: database unavailable, try later" {
		t.Errorf("message = %q", err.Error())
	}
	if n := len(rec.Requests()); n != 1 {
		t.Errorf("500 retried: %d requests", n)
	}
	assertErrorClean(t, err)
}

func TestBeginStatusMessages(t *testing.T) {
	long := strings.Repeat("word ", 100)
	cases := []struct {
		status      int
		body        string
		wantMessage string
	}{
		{400, `"steps must not be empty"`, "steps must not be empty"},
		{400, `{"error":"bad flags"}`, "bad flags"},
		{502, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>", "502 Bad Gateway"},
		{404, "<html><body><p>Not\n here</p></body></html>", "Not here"},
		{500, "", ""},
		{500, long, strings.TrimSpace(long)[:200] + "…"},
		{431, "431 Request Header Fields Too Large", "431 Request Header Fields Too Large"},
		{401, `"SIGNATURE_INVALID"`, "SIGNATURE_INVALID (the server wants signed requests: set IDENTOMAT_SECRET_KEY)"},
	}
	for _, tc := range cases {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
		c := newTestClient(t, rec.srv.URL, newFakeClock())
		_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
		var se *StatusError
		if !errors.As(err, &se) || se.Status != tc.status || se.Message != tc.wantMessage {
			t.Errorf("%d %q: error %v (message %q)", tc.status, tc.body, err, se.Message)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("multi-line error: %q", err.Error())
		}
		if line := fmt.Sprintf("%d %s", tc.status, http.StatusText(tc.status)); strings.Count(err.Error(), line) > 1 {
			t.Errorf("the status is said twice: %q", err.Error())
		}
	}
}

func TestBeginRetryAfterThenSuccess(t *testing.T) {
	for _, tc := range []struct {
		status     int
		retryAfter func(now time.Time) string
		wantSleep  time.Duration
	}{
		{http.StatusServiceUnavailable, func(time.Time) string { return "2" }, 2 * time.Second},
		{http.StatusTooManyRequests, func(now time.Time) string { return now.Add(3 * time.Second).Format(http.TimeFormat) }, 3 * time.Second},
		{http.StatusTooManyRequests, func(time.Time) string { return "" }, 500 * time.Millisecond},
	} {
		clock := newFakeClock()
		rec := newRecorder(t, func(attempt int, w http.ResponseWriter, r *http.Request, body []byte) {
			if attempt == 1 {
				if v := tc.retryAfter(clock.Now()); v != "" {
					w.Header().Set("Retry-After", v)
				}
				w.WriteHeader(tc.status)
				return
			}
			tokenReply(attempt, w, r, body)
		})
		c := newTestClient(t, rec.srv.URL, clock)
		start := clock.Now()
		sess, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
		if err != nil || sess.Token != testToken {
			t.Fatalf("%d: %v", tc.status, err)
		}
		if got := clock.Sleeps(); !reflect.DeepEqual(got, []time.Duration{tc.wantSleep}) {
			t.Errorf("%d: sleeps %v, want [%v]", tc.status, got, tc.wantSleep)
		}
		reqs := rec.Requests()
		if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) {
			t.Errorf("%d: %d requests, bodies equal: %v", tc.status, len(reqs), len(reqs) == 2 && string(reqs[0].Body) == string(reqs[1].Body))
		}
		// Expiry counts from the attempt that created the session.
		if want := start.Add(tc.wantSleep + TokenLifetime); !sess.ExpiresAt.Equal(want) {
			t.Errorf("%d: expires %v, want %v", tc.status, sess.ExpiresAt, want)
		}
	}
}

func TestBeginTooManyRequestsExhausted(t *testing.T) {
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, "slow down")
	})
	clock := newFakeClock()
	c := newTestClient(t, rec.srv.URL, clock)
	_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 429 || se.Message != "slow down" || !strings.Contains(err.Error(), "gave up after 6 attempts") {
		t.Fatalf("error = %v", err)
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	if got := clock.Sleeps(); !reflect.DeepEqual(got, want) {
		t.Errorf("sleeps %v, want %v", got, want)
	}
	if n := len(rec.Requests()); n != 6 {
		t.Errorf("%d requests, want 6", n)
	}
}

func TestBeginRetryBudget(t *testing.T) {
	for _, tc := range []struct {
		retryAfter string
		wantSleeps int
	}{
		{"10", 2},  // 10+10, then a third wait would leave no time for its attempt
		{"45", 0},  // longer than the whole budget: give up at once
		{"29", 1},  // 29, then 58 > 30
		{"abc", 5}, // unreadable: backoff, bounded by the attempt cap
	} {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.Header().Set("Retry-After", tc.retryAfter)
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		clock := newFakeClock()
		c := newTestClient(t, rec.srv.URL, clock)
		_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
		var se *StatusError
		if !errors.As(err, &se) || se.Status != 503 {
			t.Fatalf("Retry-After %s: error %v", tc.retryAfter, err)
		}
		if n := len(clock.Sleeps()); n != tc.wantSleeps {
			t.Errorf("Retry-After %s: %d sleeps %v, want %d", tc.retryAfter, n, clock.Sleeps(), tc.wantSleeps)
		}
		if total := clock.Total(); total > DefaultRetryBudget {
			t.Errorf("Retry-After %s: waited %v, over the budget", tc.retryAfter, total)
		}
	}
	// A negative budget disables retries.
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) { w.WriteHeader(503) })
	clock := newFakeClock()
	c := newTestClient(t, rec.srv.URL, clock, func(o *Options) { o.RetryBudget = -1 })
	if _, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON); err == nil || len(rec.Requests()) != 1 {
		t.Errorf("retries not disabled: %v, %d requests", err, len(rec.Requests()))
	}
}

func TestBeginKeyRefused(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `"COMPANY_KEY_INVALID"`},
		{403, "COMPANY_KEY_INVALID\n"},
		{401, `{"error":"COMPANY_KEY_INVALID"}`},
		{503, `"COMPANY_KEY_INVALID"`}, // not retried: waiting will not fix the key
	} {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
		// With a secret key too: the refusal is unsigned but still reported as such.
		c := newTestClient(t, rec.srv.URL, newFakeClock(), withSecret(testSecret))
		sess, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingForm)
		if !errors.Is(err, ErrKeyRefused) || !strings.Contains(err.Error(), "company key") || sess.Token != "" {
			t.Errorf("%d %q: error %v", tc.status, tc.body, err)
		}
		if n := len(rec.Requests()); n != 1 {
			t.Errorf("%d %q: %d requests, want 1", tc.status, tc.body, n)
		}
		assertErrorClean(t, err)
	}
}

func TestBeginUnexpectedBodies(t *testing.T) {
	cases := []struct{ body, want string }{
		{"", "unexpected response from begin/: empty body"},
		{" \n ", "unexpected response from begin/: empty body"},
		{"<!DOCTYPE html>\n<html><body>Welcome to nginx!</body></html>", `unexpected response from begin/: "<!DOCTYPE html> <html><body>Welcome to nginx!</body></html>" is not a session token`},
		{`"INVALID_SIGNATURE"`, `"INVALID_SIGNATURE" looks like an error code`},
		{`{"session_token":"abc"}`, "is not a session token"},
		{`"abc def"`, "is not a session token"},
		{`"` + strings.Repeat("a", 257) + `"`, "is not a session token"},
		{`"unterminated`, "is not a session token"},
		{"ok\x00", "is not a session token"},
	}
	for _, tc := range cases {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) { _, _ = io.WriteString(w, tc.body) })
		c := newTestClient(t, rec.srv.URL, newFakeClock())
		sess, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
		if err == nil || !strings.Contains(err.Error(), tc.want) || sess.Token != "" {
			t.Errorf("body %q: error %v, want %q", tc.body, err, tc.want)
			continue
		}
		if len(err.Error()) > 200 {
			t.Errorf("body %q: error too long: %d bytes", tc.body, len(err.Error()))
		}
	}
}

func TestBeginConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	clock := newFakeClock()
	var told []error
	c := newTestClient(t, "http://"+addr, clock, func(o *Options) {
		o.OnRetry = func(_ time.Duration, err error) { told = append(told, err) }
	})
	// Query encoding puts the company key in the URL: it must not reach the error.
	_, err = c.Begin(context.Background(), []byte(minimalConfig), EncodingQuery)
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("error = %v", err)
	}
	if n := len(clock.Sleeps()); n != maxRefusedAttempts-1 || clock.Total() > 4*time.Second {
		t.Errorf("sleeps %v: want %d quick retries", clock.Sleeps(), maxRefusedAttempts-1)
	}
	if len(told) != maxRefusedAttempts-1 {
		t.Errorf("OnRetry called %d times, want %d", len(told), maxRefusedAttempts-1)
	}
	for _, e := range told {
		assertErrorClean(t, e)
	}
	assertErrorClean(t, err)
}

func TestBeginRedirectNotFollowed(t *testing.T) {
	elsewhere := newRecorder(t, tokenReply)
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request, _ []byte) {
		http.Redirect(w, r, elsewhere.srv.URL+"/begin/", http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, rec.srv.URL, newFakeClock())
	_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 307 || !strings.Contains(se.Message, "redirected to "+elsewhere.srv.URL) {
		t.Errorf("error = %v", err)
	}
	if n := len(elsewhere.Requests()); n != 0 {
		t.Errorf("redirect followed: the other server got %d requests", n)
	}
}

func TestBeginCancelInFlight(t *testing.T) {
	arrived := make(chan struct{})
	rec := newRecorder(t, func(_ int, _ http.ResponseWriter, r *http.Request, _ []byte) {
		close(arrived)
		<-r.Context().Done()
	})
	c := newTestClient(t, rec.srv.URL, newFakeClock())
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.Begin(ctx, []byte(minimalConfig), EncodingQuery)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("error = %v", err)
	}
	assertErrorClean(t, err)
}

func TestBeginCancelDuringRetryWait(t *testing.T) {
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waited []time.Duration
	c, err := New(Options{BaseURL: rec.srv.URL, CompanyKey: testKey, Sleep: func(ctx context.Context, d time.Duration) error {
		waited = append(waited, d)
		cancel() // the caller gives up while the client waits; the real sleep must notice
		return sleepContext(ctx, d)
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Begin(ctx, []byte(minimalConfig), EncodingJSON)
	if !errors.Is(err, context.Canceled) || len(waited) != 1 || len(rec.Requests()) != 1 {
		t.Errorf("error %v, waits %v, %d requests", err, waited, len(rec.Requests()))
	}
	// An already cancelled context sends nothing.
	_, err = c.Begin(ctx, []byte(minimalConfig), EncodingJSON)
	if !errors.Is(err, context.Canceled) || len(rec.Requests()) != 1 {
		t.Errorf("cancelled context: %v, %d requests", err, len(rec.Requests()))
	}
}

func TestSleepContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleepContext(cancelled) = %v", err)
	}
	if err := sleepContext(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleepContext = %v", err)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":     0,
		"7":    7 * time.Second,
		"-3":   0,
		"soon": 0,
		" 12 ": 12 * time.Second,
		now.Add(90 * time.Second).Format(http.TimeFormat):  90 * time.Second,
		now.Add(-90 * time.Second).Format(http.TimeFormat): 0,
		"99999999999999": 24 * time.Hour,
		now.AddDate(10, 0, 0).Format(http.TimeFormat): 24 * time.Hour, // capped like the seconds
	}
	for v, want := range cases {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestNewOptions(t *testing.T) {
	bad := []Options{
		{},
		{CompanyKey: "  \n"},
		{CompanyKey: testKey, BaseURL: "widget.identomat.com"},
		{CompanyKey: testKey, BaseURL: "ftp://x"},
		{CompanyKey: testKey, BaseURL: "https://x/?a=1"},
		{CompanyKey: testKey, BaseURL: "https://user:" + testSecret + "@x"},
		{CompanyKey: testKey, Timeout: -time.Second},
	}
	for _, o := range bad {
		if _, err := New(o); err == nil {
			t.Errorf("New(%v) accepted", o)
		} else {
			assertErrorClean(t, err)
		}
	}
	c, err := New(Options{CompanyKey: " " + testKey + "\n"})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != DefaultBaseURL || c.timeout != DefaultTimeout || c.retryBudget != DefaultRetryBudget ||
		c.userAgent != "identoflow/dev" || c.companyKey != testKey || c.Signing() {
		t.Errorf("defaults: %s %v %v %s signing=%v", c.BaseURL(), c.timeout, c.retryBudget, c.userAgent, c.Signing())
	}
}

// The vendor's examples write begin/ under /external-api: a base URL
// copied from them is the host's root, where the widget lives.
func TestNormalizeBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                              DefaultBaseURL,
		"https://widget.identomat.com/": "https://widget.identomat.com",
		"https://widget.identomat.com/external-api":  "https://widget.identomat.com",
		"https://widget.identomat.com/external-api/": "https://widget.identomat.com",
		"http://127.0.0.1:8790/sub":                  "http://127.0.0.1:8790/sub",
	} {
		if got, err := NormalizeBaseURL(in); err != nil || got != want {
			t.Errorf("NormalizeBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	c, err := New(Options{CompanyKey: testKey, BaseURL: "http://127.0.0.1:8790/external-api"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SessionURL("tok"); got != "http://127.0.0.1:8790/?session_token=tok" {
		t.Errorf("widget URL %q", got)
	}
}
