package sandbox

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

func TestStartAndStop(t *testing.T) {
	sb := New(Options{})
	baseURL, stop, err := sb.Start("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") {
		t.Fatalf("base URL %q is not loopback", baseURL)
	}
	c, err := api.New(api.Options{BaseURL: baseURL, CompanyKey: testKey, RetryBudget: -1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Begin(context.Background(), []byte(minimalConfig), api.EncodingJSON)
	if err != nil {
		t.Fatal(err)
	}
	if s.URL != baseURL+"/?session_token="+s.Token {
		t.Fatalf("session URL %q", s.URL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := stop(ctx); err != nil { // stopping twice is harmless
		t.Fatalf("second stop: %v", err)
	}
	if _, err := c.Begin(context.Background(), []byte(minimalConfig), api.EncodingJSON); err == nil {
		t.Fatal("server still answers after stop")
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	sb := New(Options{})
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:8790", "example.com:80"} {
		if _, _, err := sb.Start(addr); !isNonLoopback(err) {
			t.Errorf("Start(%q): err = %v, want NonLoopbackError", addr, err)
		}
		err := sb.ListenAndServe(context.Background(), addr, false)
		var nl *NonLoopbackError
		if !errors.As(err, &nl) || !strings.Contains(err.Error(), "--allow-non-loopback") {
			t.Errorf("ListenAndServe(%q): err = %v, want one naming the flag", addr, err)
		}
	}
	if _, _, err := sb.Start("nonsense"); err == nil || isNonLoopback(err) {
		t.Errorf("Start(nonsense): err = %v, want an address error", err)
	}
}

func isNonLoopback(err error) bool {
	var nl *NonLoopbackError
	return errors.As(err, &nl)
}

// The address check is tested without binding a non-loopback address:
// tests stay on loopback.
func TestNonLoopbackAllowedWarns(t *testing.T) {
	log := &syncBuffer{}
	sb := New(Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
	for _, addr := range []string{"127.0.0.1:0", "localhost:8790", "[::1]:0"} {
		if err := sb.checkAddr(addr, false); err != nil {
			t.Errorf("checkAddr(%q): %v", addr, err)
		}
	}
	if log.String() != "" {
		t.Fatalf("loopback addresses logged: %s", log)
	}
	if err := sb.checkAddr("0.0.0.0:8790", true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "other machines") {
		t.Fatalf("no warning: %q", log)
	}
}

func TestListenAndServeGracefulShutdown(t *testing.T) {
	log := &syncBuffer{}
	sb := New(Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sb.ListenAndServe(ctx, "127.0.0.1:0", false) }()

	listening := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)
	var baseURL string
	for deadline := time.Now().Add(2 * time.Minute); baseURL == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := listening.FindStringSubmatch(log.String()); m != nil {
			baseURL = m[1]
		}
	}
	if baseURL == "" {
		t.Fatalf("never logged its URL: %q", log)
	}
	resp, err := http.Get(baseURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ListenAndServe after cancel: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("ListenAndServe did not return after cancel")
	}
}

func TestHTTPServerLimits(t *testing.T) {
	srv := New(Options{}).HTTPServer()
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Fatalf("a limit is unset: %+v", srv)
	}
}

func TestBaseURL(t *testing.T) {
	sb := New(Options{})
	ln, err := sb.Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if got := BaseURL(ln.Addr()); !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(got) {
		t.Fatalf("BaseURL = %q", got)
	}
}

// A client's connection that never sends a request does not make the
// stop fail or wait past its deadline: what is left is cut off.
func TestStopCutsOffAnIdleNewConnection(t *testing.T) {
	baseURL, stop, err := New(Options{}).Start("")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(baseURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // let the server take it
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
}

func TestLoopbackLink(t *testing.T) {
	for link, want := range map[string]string{
		"http://127.0.0.1:8790/?session_token=x": "127.0.0.1",
		"http://localhost/x":                     "localhost",
		"http://[::1]:80/":                       "::1",
		"http://192.168.1.5:8790/":               "",
		"https://widget.identomat.com/?t=1":      "",
		"::not a url":                            "",
	} {
		host, ok := LoopbackLink(link)
		if ok != (want != "") || (ok && host != want) {
			t.Errorf("LoopbackLink(%q) = %q, %v; want %q", link, host, ok, want)
		}
	}
}
