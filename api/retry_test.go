package api

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBeginRetryBudgetCountsAttemptTime(t *testing.T) {
	clock := newFakeClock()
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
		clock.Advance(14 * time.Second) // a slow server
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newTestClient(t, rec.srv.URL, clock)
	start := clock.Now()
	_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON)
	// 14 s, a 0.5 s wait, 14 s: a third attempt after a 1 s wait would
	// end at 43.5 s, past the 30 s budget.
	if n := len(rec.Requests()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
	if took := clock.Now().Sub(start); took > DefaultRetryBudget {
		t.Errorf("the call took %v, over the %v budget", took, DefaultRetryBudget)
	}
	if err == nil || !strings.Contains(err.Error(), "gave up after 2 attempts in 28.5s") {
		t.Errorf("error = %v", err)
	}
}

// roundTripFunc is an http.RoundTripper answering without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBeginRetryTimeoutCutToBudget(t *testing.T) {
	var mu sync.Mutex
	var deadlines []time.Time
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		dl, _ := r.Context().Deadline()
		mu.Lock()
		deadlines = append(deadlines, dl)
		attempt := len(deadlines)
		mu.Unlock()
		resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(strconv.Quote(testToken))), Request: r}
		if attempt == 1 {
			resp.StatusCode = http.StatusServiceUnavailable
			resp.Header.Set("Retry-After", "25")
			resp.Body = io.NopCloser(strings.NewReader(""))
		}
		return resp, nil
	})
	clock := newFakeClock()
	c := newTestClient(t, "https://api.example", clock, func(o *Options) { o.HTTPClient = &http.Client{Transport: transport} })
	if _, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingJSON); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(deadlines) != 2 {
		t.Fatalf("%d attempts, want 2", len(deadlines))
	}
	// After a 25 s wait, 5 s of the 30 s budget are left for the retry,
	// not the 15 s request timeout.
	if left := time.Until(deadlines[1]); left > 5*time.Second {
		t.Errorf("the retry had %v to run, more than the 5s left of the budget", left)
	}
}

// silentTLS is a listener that accepts connections and never answers, so
// a TLS handshake with it never completes.
func silentTLS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "https://" + ln.Addr().String()
}

func TestBeginTLSHandshakeTimeoutSaysNothingWasSent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		transport *http.Transport
		timeout   time.Duration
		want      string
	}{
		{"transport handshake timeout", &http.Transport{TLSHandshakeTimeout: 50 * time.Millisecond, TLSClientConfig: &tls.Config{}}, time.Minute, "TLS handshake timeout (nothing was sent)"},
		{"request timeout", &http.Transport{TLSClientConfig: &tls.Config{}}, 50 * time.Millisecond, "no connection within 50ms (nothing was sent)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, silentTLS(t), newFakeClock(), withTimeout(tc.timeout), func(o *Options) {
				o.HTTPClient = &http.Client{Transport: tc.transport}
			})
			defer tc.transport.CloseIdleConnections()
			_, err := c.Begin(context.Background(), []byte(minimalConfig), EncodingQuery)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "may still have acted") {
				t.Fatalf("error = %v, want it to say %q", err, tc.want)
			}
			assertErrorClean(t, err)
		})
	}
}
