package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

// invalidFlow is a begin/ body whose flow has an error.
const invalidFlow = `{"company_key":"k","steps":[{"type":"no-such-step"}]}`

func TestBeginFullStoreRefusedBeforeValidating(t *testing.T) {
	var mu sync.Mutex
	var phases []string
	f := newFixtureWith(t, Options{MaxSessions: 1}, func(s *Server) {
		s.checkpoint = func(_ context.Context, phase string) {
			mu.Lock()
			defer mu.Unlock()
			phases = append(phases, phase)
		}
	})
	f.begin(t, minimalConfig)
	mu.Lock()
	phases = nil
	mu.Unlock()
	// A flow with errors: validating it would answer 400.
	resp := f.do(t, http.MethodPost, api.BeginPath, "application/json", strings.NewReader(invalidFlow), nil)
	if resp.status != http.StatusServiceUnavailable || resp.header.Get("Retry-After") != strconv.Itoa(15*60) {
		t.Fatalf("full store: status %d, Retry-After %q: %s", resp.status, resp.header.Get("Retry-After"), resp.body)
	}
	mu.Lock()
	defer mu.Unlock()
	if slices.Contains(phases, "validate") {
		t.Fatalf("a refused begin/ was validated (phases %v)", phases)
	}
}

// beginFrom sends a begin/ straight to the handler as if from remoteAddr.
func beginFrom(sb *Server, remoteAddr string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, api.BeginPath, strings.NewReader(`{"company_key":"k",`+minimalConfig[1:]))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = remoteAddr
	rec := httptest.NewRecorder()
	sb.Handler().ServeHTTP(rec, req)
	return rec
}

func TestBeginPerClientLimit(t *testing.T) {
	clock := newClock()
	sb := New(Options{MaxSessionsPerClient: 2, Now: clock.Now})
	for range 2 {
		if rec := beginFrom(sb, "198.51.100.7:40000"); rec.Code != http.StatusOK {
			t.Fatalf("begin within the client's limit: %d %s", rec.Code, rec.Body)
		}
	}
	clock.Advance(time.Minute)
	rec := beginFrom(sb, "198.51.100.7:40001") // another connection, same client
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != strconv.Itoa(14*60) {
		t.Fatalf("begin past the client's limit: %d, Retry-After %q: %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	// The same /64 network is the same client; others are not held back,
	// nor is this machine.
	if rec := beginFrom(sb, "[2001:db8:1:2::a]:1"); rec.Code != http.StatusOK {
		t.Fatalf("another client: %d", rec.Code)
	}
	if rec := beginFrom(sb, "[2001:db8:1:2::b]:1"); rec.Code != http.StatusOK {
		t.Fatalf("same /64, second session: %d", rec.Code)
	}
	if rec := beginFrom(sb, "[2001:db8:1:2:ffff::1]:1"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("same /64, third session: %d, want 429", rec.Code)
	}
	for range 5 {
		if rec := beginFrom(sb, "127.0.0.1:5000"); rec.Code != http.StatusOK {
			t.Fatalf("loopback: %d", rec.Code)
		}
	}
}

func TestClientOf(t *testing.T) {
	cases := map[string]string{
		"198.51.100.7:1234":          "198.51.100.7",
		"[::ffff:198.51.100.7]:1234": "198.51.100.7",
		"[2001:db8:1:2:3:4:5:6]:80":  "2001:db8:1:2::/64",
		"[fe80::1%eth0]:80":          "fe80::/64",
		"127.0.0.1:80":               "",
		"127.8.9.1:80":               "",
		"[::1]:80":                   "",
		"@":                          "",
		"":                           "",
	}
	for addr, want := range cases {
		if got := clientOf(&http.Request{RemoteAddr: addr}); got != want {
			t.Errorf("clientOf(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestBeginAbandonedWhenClientGoes(t *testing.T) {
	for _, tc := range []struct{ phase, body string }{
		{"validate", invalidFlow},                            // would answer 400
		{"store", `{"company_key":"k",` + minimalConfig[1:]}, // would create a session
	} {
		t.Run(tc.phase, func(t *testing.T) {
			held := make(chan struct{})
			f := newFixtureWith(t, Options{}, func(s *Server) {
				s.checkpoint = func(ctx context.Context, phase string) {
					if phase != tc.phase {
						return
					}
					close(held)
					select { // until the client has gone
					case <-ctx.Done():
					case <-time.After(time.Minute):
						t.Errorf("the request's context did not end after the client went")
					}
				}
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.srv.URL+api.BeginPath, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			sent := make(chan error, 1)
			go func() {
				resp, err := f.srv.Client().Do(req)
				if err == nil {
					resp.Body.Close()
				}
				sent <- err
			}()
			<-held
			cancel() // the client goes
			if err := <-sent; !errors.Is(err, context.Canceled) {
				t.Fatalf("client: %v, want cancelled", err)
			}
			waitFor(t, "the abandoned begin/ in the log", func() bool {
				return strings.Contains(f.log.String(), "begin abandoned")
			})
			logged := f.log.String()
			if !strings.Contains(logged, "before="+tc.phase) || strings.Contains(logged, "invalid flow") {
				t.Fatalf("log:\n%s", logged)
			}
			if n := f.sb.Sessions(); n != 0 {
				t.Fatalf("%d sessions created for a client that had gone", n)
			}
		})
	}
}

// waitFor polls cond with a generous limit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
