package sandbox

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/api"
)

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

func TestRankLANAddrs(t *testing.T) {
	up := net.FlagUp | net.FlagBroadcast | net.FlagMulticast
	got := RankLANAddrs([]InterfaceAddrs{
		{Name: "lo", Flags: net.FlagUp | net.FlagLoopback, Addrs: addrs("127.0.0.1", "::1")},
		{Name: "docker0", Flags: up, Addrs: addrs("172.17.0.1")},
		{Name: "eth0", Flags: net.FlagBroadcast, Addrs: addrs("10.0.0.9")}, // down
		{Name: "tun0", Flags: net.FlagUp | net.FlagPointToPoint, Addrs: addrs("10.8.0.2")},
		{Name: "tailscale0", Flags: up, Addrs: addrs("100.101.102.103")},
		{Name: "en0", Flags: up, Addrs: addrs("2001:db8::5", "fd00::5", "fe80::1")},
		{Name: "wlan0", Flags: up, Addrs: addrs("fe80::2", "169.254.3.4", "192.0.2.10", "192.168.1.23")},
	})
	want := addrs("192.168.1.23", "192.0.2.10", "fd00::5", "2001:db8::5", "172.17.0.1", "100.101.102.103")
	if !slices.Equal(got, want) {
		t.Fatalf("RankLANAddrs = %v, want %v", got, want)
	}
}

func TestCheckPublicURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://abc.ngrok.app":        "https://abc.ngrok.app",
		" https://abc.ngrok.app/ ":     "https://abc.ngrok.app",
		"http://box.tail1234.ts.net:8": "http://box.tail1234.ts.net:8",
	} {
		if got, err := CheckPublicURL(in); err != nil || got != want {
			t.Errorf("CheckPublicURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc.ngrok.app", "ftp://x.example", "https://", "https://u:p@x.example", "https://x.example/widget", "https://x.example/?a=1", "https://x.example/#f", "javascript:alert(1)",
		"https://x\u202e.example", "https://x\u009b.example"} {
		if got, err := CheckPublicURL(bad); err == nil {
			t.Errorf("CheckPublicURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestReachAndWidgetURL(t *testing.T) {
	sb := New(Options{})
	if r := sb.Reach(); r.Scope != ScopeLoopback || r.String() != "not listening" {
		t.Fatalf("before listening: %+v %q", r, r)
	}
	base, stop, err := sb.Start("")
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	if r := sb.Reach(); r.Scope != ScopeLoopback || r.URL != base || !strings.Contains(r.String(), "this computer only") {
		t.Fatalf("loopback: %+v %q", r, r)
	}
	if got := sb.WidgetURL("tok"); got != base+"/?session_token=tok" {
		t.Fatalf("WidgetURL = %q", got)
	}
	pub := New(Options{PublicURL: "https://abc.ngrok.app/"})
	if got := pub.WidgetURL("tok"); got != "https://abc.ngrok.app/?session_token=tok" {
		t.Fatalf("WidgetURL behind a tunnel = %q", got)
	}
	if r := pub.Reach(); r.Scope != ScopePublic || !strings.Contains(r.String(), "https://abc.ngrok.app") {
		t.Fatalf("public: %+v %q", r, r)
	}
	if bad := New(Options{PublicURL: "not a url"}); bad.Reach().Scope != ScopeLoopback {
		t.Fatal("an unusable public URL was used")
	}
}

// LAN mode listens on every interface: the sandbox answers on loopback
// too, and its links carry the first LAN address, if there is one.
func TestListenLAN(t *testing.T) {
	sb := New(Options{})
	if _, _, err := sb.ListenLAN("127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "every interface") {
		t.Fatalf("LAN mode on a loopback address: %v", err)
	}
	ln, urls, err := sb.ListenLAN(":0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- sb.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()
	tcp := ln.Addr().(*net.TCPAddr)
	if !tcp.IP.IsUnspecified() {
		t.Fatalf("LAN mode listens on %v, not every interface", tcp)
	}
	local := "http://127.0.0.1:" + strconv.Itoa(tcp.Port)
	want, _ := LANAddrs()
	if len(urls) != len(want) {
		t.Fatalf("URLs %v for addresses %v", urls, want)
	}
	for i, u := range urls {
		if u != "http://"+net.JoinHostPort(want[i].String(), strconv.Itoa(tcp.Port)) {
			t.Errorf("URL %q for %v", u, want[i])
		}
	}
	r := sb.Reach()
	switch {
	case len(urls) > 0 && (r.Scope != ScopeLAN || r.URL != urls[0] || !strings.Contains(r.String(), "local network at "+urls[0])):
		t.Errorf("reach %+v %q", r, r)
	case len(urls) == 0 && r.Scope != ScopeLoopback:
		t.Errorf("no LAN address, reach %+v", r)
	}
	// Opened through loopback, a session walks as anywhere.
	c, err := api.New(api.Options{BaseURL: local, CompanyKey: testKey, RetryBudget: -1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Begin(context.Background(), []byte(minimalConfig), api.EncodingJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) > 0 && sb.WidgetURL(s.Token) != urls[0]+"/?session_token="+s.Token {
		t.Errorf("widget URL %q does not carry the LAN address", sb.WidgetURL(s.Token))
	}
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, local), s.Token)
	if done := w.Finish(w.Run(), "approved", ""); done.Status != 200 {
		t.Fatalf("outcome over LAN mode: %d", done.Status)
	}
}

func TestStartLAN(t *testing.T) {
	sb := New(Options{})
	base, stop, err := sb.StartLAN("")
	if have, _ := LANAddrs(); len(have) == 0 {
		if !errors.Is(err, ErrNoLANAddress) {
			t.Fatalf("no LAN address: err = %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	defer stop(ctx)
	if sb.Reach().URL != base || !strings.HasPrefix(base, "http://") {
		t.Fatalf("base %q, reach %+v", base, sb.Reach())
	}
}

// Every spelling of "every interface" counts, so --lan takes what
// ListenLAN takes.
func TestEveryInterface(t *testing.T) {
	for host, want := range map[string]bool{"": true, "0.0.0.0": true, "::": true, "::0": true, "0:0::0": true,
		"127.0.0.1": false, "192.168.1.2": false, "localhost": false, "::1": false} {
		if got := EveryInterface(host); got != want {
			t.Errorf("EveryInterface(%q) = %v", host, got)
		}
	}
}
