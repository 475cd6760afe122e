package sandbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/identoflow/identoflow/flow"
)

// How a phone reaches the sandbox. By default it listens on loopback and
// only this machine can open its pages. In LAN mode it listens on every
// interface and its links carry the machine's address on the local
// network, found from the interfaces' own configuration (no traffic is
// sent to find it). Behind a tunnel or reverse proxy, a public URL is what
// the links carry.

// ErrNoLANAddress means no network interface has an address other devices
// could use: the machine is on no local network.
var ErrNoLANAddress = errors.New("no network interface has an address other devices on the local network could reach (is Wi-Fi or Ethernet connected?)")

// Scope says who can open the sandbox's pages.
type Scope int

// Scopes, from the narrowest.
const (
	ScopeLoopback Scope = iota // this machine only
	ScopeLAN                   // devices on the local network
	ScopePublic                // whoever can reach the public URL
)

// Reach describes where the sandbox's pages can be opened from.
type Reach struct {
	Scope Scope
	// URL is the base of the links the sandbox hands out: the public URL,
	// else the LAN address, else the loopback address.
	URL string
	// Listening is the base URL of the listener itself ("" before one).
	Listening string
}

// String says plainly who can open the sandbox's pages, and where.
func (r Reach) String() string {
	switch r.Scope {
	case ScopePublic:
		return "reachable through its public URL " + r.URL + " (sessions are opened there; the sandbox itself listens on " + r.Listening + ")"
	case ScopeLAN:
		return "reachable from the local network at " + r.URL + ": phones on this network can open its session links"
	}
	if r.URL == "" {
		return "not listening"
	}
	return "reachable from this computer only, at " + r.URL + " (a phone cannot open it: use LAN mode or a public URL)"
}

// reach is the server's mutable idea of its own address.
type reach struct {
	mu        sync.Mutex
	public    string // from Options.PublicURL; "" when none
	listening string
	lan       string // the advertised LAN base URL; "" when not in LAN mode
}

// CheckPublicURL checks a public URL for Options.PublicURL and returns it
// in the form the sandbox uses (no trailing slash): an absolute http(s)
// URL of an origin, as a tunnel gives (https://example.ngrok.app). A path
// is refused because the sandbox's pages live at the root.
func CheckPublicURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	switch {
	case s == "":
		return "", errors.New("public URL is empty")
	case err != nil:
		return "", fmt.Errorf("public URL is not a URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errors.New("public URL must start with https:// (or http://)")
	case u.Host == "" || u.Hostname() == "":
		return "", errors.New("public URL has no host")
	case u.User != nil:
		return "", errors.New("public URL must not hold a user name or password")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.ForceQuery, u.Fragment != "":
		return "", errors.New("public URL must be an origin such as https://example.ngrok.app: the tunnel must forward its root to the sandbox")
	case flow.Visible(u.Host) != u.Host:
		// Every session link carries it: shown on terminals, drawn as QR codes.
		return "", errors.New("public URL holds control or bidirectional-formatting characters")
	}
	return u.Scheme + "://" + u.Host, nil
}

// Reach reports where the sandbox's pages can be opened from.
func (s *Server) Reach() Reach {
	r := &s.web.reach
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.public != "":
		return Reach{Scope: ScopePublic, URL: r.public, Listening: r.listening}
	case r.lan != "":
		return Reach{Scope: ScopeLAN, URL: r.lan, Listening: r.listening}
	}
	return Reach{Scope: ScopeLoopback, URL: r.listening, Listening: r.listening}
}

// WidgetURL is the link a customer opens for a session: the sandbox's
// public URL, LAN address or loopback address (in that order of
// preference), then /?session_token=TOKEN. Before the sandbox listens and
// without a public URL it is a relative link.
func (s *Server) WidgetURL(token string) string {
	return s.Reach().URL + "/?session_token=" + url.QueryEscape(token)
}

func (s *Server) setListening(base, lan string) {
	s.web.reach.mu.Lock()
	defer s.web.reach.mu.Unlock()
	s.web.reach.listening, s.web.reach.lan = base, lan
}

// LANAddrs returns this machine's addresses that other devices on the
// local network can use, best first (private IPv4 on a physical interface
// first), read from the network interfaces: nothing is sent anywhere.
func LANAddrs() ([]netip.Addr, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("listing the network interfaces: %w", err)
	}
	list := make([]InterfaceAddrs, 0, len(ifaces))
	for _, ifc := range ifaces {
		addrs, err := ifc.Addrs()
		if err != nil {
			continue // an interface that vanished meanwhile
		}
		ia := InterfaceAddrs{Name: ifc.Name, Flags: ifc.Flags}
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil {
				ia.Addrs = append(ia.Addrs, p.Addr())
			}
		}
		list = append(list, ia)
	}
	return RankLANAddrs(list), nil
}

// InterfaceAddrs is one network interface as RankLANAddrs sees it.
type InterfaceAddrs struct {
	Name  string
	Flags net.Flags
	Addrs []netip.Addr
}

// virtualPrefixes name interfaces of containers, virtual machines and VPNs:
// their addresses are kept, but after those of real network cards.
var virtualPrefixes = []string{"docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "cni", "flannel", "podman", "lxcbr", "lxdbr", "tailscale", "utun", "tun", "tap", "wg", "zt"}

// RankLANAddrs orders the usable addresses of ifaces, best first: only up,
// non-loopback, non-point-to-point interfaces and unicast addresses that
// are not link-local count; real interfaces come before virtual ones, and
// private IPv4 before other IPv4, shared (CGNAT) IPv4, then IPv6 unique
// local and global addresses. Interface order breaks ties.
func RankLANAddrs(ifaces []InterfaceAddrs) []netip.Addr {
	type ranked struct {
		addr           netip.Addr
		virtual, class int
	}
	var out []ranked
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&(net.FlagLoopback|net.FlagPointToPoint) != 0 {
			continue
		}
		virtual := 0
		for _, p := range virtualPrefixes {
			if strings.HasPrefix(strings.ToLower(ifc.Name), p) {
				virtual = 1
				break
			}
		}
		for _, a := range ifc.Addrs {
			if class, ok := addrClass(a.Unmap()); ok {
				out = append(out, ranked{a.Unmap(), virtual, class})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.virtual, b.virtual), cmp.Compare(a.class, b.class))
	})
	addrs := make([]netip.Addr, 0, len(out))
	for _, r := range out {
		if !slices.Contains(addrs, r.addr) {
			addrs = append(addrs, r.addr)
		}
	}
	return addrs
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// addrClass ranks an address for LAN use; ok is false for one other
// devices cannot use.
func addrClass(a netip.Addr) (class int, ok bool) {
	if !a.IsGlobalUnicast() || a.IsLinkLocalUnicast() {
		return 0, false
	}
	switch {
	case a.Is4() && a.IsPrivate():
		return 0, true
	case a.Is4() && cgnat.Contains(a):
		return 2, true
	case a.Is4():
		return 1, true
	case a.IsPrivate(): // IPv6 unique local
		return 3, true
	}
	return 4, true
}

// ListenLAN listens on every interface at addr's port (addr is ":PORT",
// "0.0.0.0:PORT" or "[::]:PORT"; "" picks a free port) for phones on the
// local network, and returns the LAN base URLs of the listener, best
// first: an empty list means no interface has a LAN address
// (ErrNoLANAddress is not returned here, so a caller may serve anyway).
// The sandbox's links carry the first.
func (s *Server) ListenLAN(addr string) (net.Listener, []string, error) {
	host, port, err := net.SplitHostPort(cmp.Or(addr, ":0"))
	if err != nil {
		return nil, nil, fmt.Errorf("listen address %q: %w (expected :PORT, e.g. :8790)", addr, err)
	}
	if !EveryInterface(host) {
		return nil, nil, fmt.Errorf("listen address %q: LAN mode listens on every interface; give only a port, e.g. :%s", addr, cmp.Or(port, "8790"))
	}
	addrs, err := LANAddrs()
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, nil, fmt.Errorf("listening on port %s: %w", port, err)
	}
	tcp, _ := ln.Addr().(*net.TCPAddr)
	var urls []string
	for _, a := range addrs {
		if tcp == nil {
			break
		}
		if a.Is6() && tcp.IP.To4() != nil && !tcp.IP.IsUnspecified() {
			continue
		}
		urls = append(urls, "http://"+net.JoinHostPort(a.String(), strconv.Itoa(tcp.Port)))
	}
	lan := ""
	if len(urls) > 0 {
		lan = urls[0]
	}
	s.setListening(BaseURL(ln.Addr()), lan)
	s.log.Warn("the sandbox listens on every interface: devices on the local network can open its pages", "port", portOf(ln.Addr()))
	return ln, urls, nil
}

// EveryInterface reports whether a listen address's host means every
// interface: none, 0.0.0.0, :: (in any spelling).
func EveryInterface(host string) bool {
	a, err := netip.ParseAddr(host)
	return host == "" || (err == nil && a.IsUnspecified())
}

func portOf(a net.Addr) int {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.Port
	}
	return 0
}

// StartLAN is Start in LAN mode, for the wizard's "phones on this network"
// choice: it serves in the background on every interface (addr as for
// ListenLAN) and returns the LAN base URL, which this machine can use too.
// Without a LAN address it serves nothing and returns ErrNoLANAddress.
func (s *Server) StartLAN(addr string) (baseURL string, stop func(ctx context.Context) error, err error) {
	ln, urls, err := s.ListenLAN(addr)
	if err != nil {
		return "", nil, err
	}
	if len(urls) == 0 {
		_ = ln.Close()
		s.setListening("", "")
		return "", nil, ErrNoLANAddress
	}
	return urls[0], s.serveBackground(ln), nil
}

// serveBackground serves on ln until the returned stop is called.
func (s *Server) serveBackground(ln net.Listener) func(ctx context.Context) error {
	srv := s.HTTPServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var once sync.Once
	var stopErr error
	return func(ctx context.Context) error {
		once.Do(func() { stopErr = shutdown(ctx, srv, served) })
		return stopErr
	}
}

// newCrossOrigin refuses form posts from other origins than the request's
// own Host and the public URL.
func newCrossOrigin(publicURL string) *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	if publicURL != "" {
		_ = p.AddTrustedOrigin(publicURL) // checked by CheckPublicURL
	}
	return p
}
