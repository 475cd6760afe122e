package session

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// requireLAN skips a test that needs this machine to have an address on
// a local network (a CI container may have none).
func requireLAN(t *testing.T) {
	t.Helper()
	if addrs, err := sandbox.LANAddrs(); err != nil || len(addrs) == 0 {
		t.Skipf("this machine has no LAN address (%v)", err)
	}
}

// recordingSandbox is the real sandbox listening on free ports whatever
// address it is asked for, which it records; with noLAN it finds no LAN
// address, as a machine on no network.
type recordingSandbox struct {
	*sandbox.Server
	asked []string
	noLAN bool
}

func (r *recordingSandbox) Start(addr string) (string, func(context.Context) error, error) {
	r.asked = append(r.asked, addr)
	return r.Server.Start("")
}

func (r *recordingSandbox) StartLAN(addr string) (string, func(context.Context) error, error) {
	r.asked = append(r.asked, "lan "+addr)
	if r.noLAN {
		return "", nil, sandbox.ErrNoLANAddress
	}
	return r.Server.StartLAN("")
}

// useRecordingSandbox makes lc's built-in sandbox a recordingSandbox.
func useRecordingSandbox(lc *Config, noLAN bool) *recordingSandbox {
	rec := &recordingSandbox{noLAN: noLAN}
	lc.NewSandbox = func(o sandbox.Options) SandboxServer {
		rec.Server = sandbox.New(o)
		return rec
	}
	return rec
}

// sandboxConfig is a launcher configuration for the built-in sandbox on
// the wall clock (its tokens stay valid while a test walks its pages).
func sandboxConfig() Config {
	lc := launchTestConfig(launchtest.NewClock(), &launchtest.Clipboard{})
	lc.Now = time.Now
	return lc
}

// isLoopbackURL reports whether a link names this computer.
func isLoopbackURL(t *testing.T, link string) bool {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost" || u.Hostname() == "::1"
}

// requireLinkOnThisComputer fails unless the session shown has a link on
// loopback that opens its page.
func requireLinkOnThisComputer(t *testing.T, d *launchtest.Driver) {
	t.Helper()
	link := runnerOf(d).hand.session.URL
	if !isLoopbackURL(t, link) {
		t.Fatalf("the link %q is not on this computer", link)
	}
	if page := launchtest.WidgetPage(t, link); !strings.Contains(page, "session_token") {
		t.Fatal("the link does not open the session")
	}
}

// followTheCustomer walks the session shown to its second step, sees
// the handoff say so, and finishes it with outcome.
func followTheCustomer(t *testing.T, d *launchtest.Driver, outcome string) {
	t.Helper()
	w := customer(t, d)
	next(t, w, w.Fetch(sandboxtest.SessionURL(w.Token)))
	tickNow(d)
	requireSaid(t, d, "Customer: step 2 of ")
	w.Finish(w.Run(), outcome, "")
	pollNow(d)
}

// "Phones on this network" is the launch choice's second option: the
// sandbox listens on every interface, the QR code and the link carry the
// LAN address, and the screen says who can open it; a phone there walks
// the session and the handoff follows it.
func TestLaunchPhonesOnThisNetwork(t *testing.T) {
	requireLAN(t)
	lc := sandboxConfig()
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	d := launchOver(t, l, 80, 24)
	d.RequireScreen("Built-in sandbox for phones on this network")
	d.Keys("down", "enter")
	d.RequireScreen("SANDBOX", "Expires in")
	reach := l.sandbox.srv.Reach()
	if reach.Scope != sandbox.ScopeLAN {
		t.Fatalf("the sandbox is %s", reach)
	}
	requireSaid(t, d, "Scan the code with a phone on this network", "The sandbox is reachable from the local network at "+reach.URL)
	link, err := launchtest.DecodeQR(d.Raw())
	if err != nil {
		t.Fatalf("QR code: %v\n%s", err, d.Screen())
	}
	if !strings.HasPrefix(link, reach.URL+"/?session_token=") || isLoopbackURL(t, link) {
		t.Fatalf("the QR code holds %q, want a link at the LAN address %s", link, reach.URL)
	}
	followTheCustomer(t, d, "rejected")
	d.RequireScreen("Rejected")
}

// Without a LAN address the choice says so and offers the sandbox on
// this computer, which s starts.
func TestLaunchPhonesWithoutLANAddress(t *testing.T) {
	lc := sandboxConfig()
	rec := useRecordingSandbox(&lc, true)
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	d := launchOver(t, l, 80, 24)
	d.Keys("down", "enter")
	d.RequireScreen("Phones cannot reach this computer", "s sandbox on this computer", "k choose again")
	requireSaid(t, d, "is Wi-Fi or Ethernet connected?")
	if l.sandboxMode() {
		t.Fatal("the sandbox runs although it could not serve the network")
	}
	d.Keys("s")
	d.RequireScreen("SANDBOX", "Expires in")
	requireSaid(t, d, "A phone cannot open 127.0.0.1")
	if got := strings.Join(rec.asked, ","); got != "lan ," {
		t.Fatalf("listeners asked for: %q", got)
	}
	requireLinkOnThisComputer(t, d)
}

// With a public URL the sandbox listens where the tunnel points
// (sandbox.DefaultAddr), the choice names the URL and offers no LAN, and
// the link and the QR code carry the public URL.
func TestLaunchSandboxBehindPublicURL(t *testing.T) {
	lc := sandboxConfig()
	lc.PublicURL = "https://preview.example"
	rec := useRecordingSandbox(&lc, false)
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	d := launchOver(t, l, 100, 40)
	requireSaid(t, d, "Built-in sandbox behind https://preview.example (point the tunnel at http://"+sandbox.DefaultAddr+")")
	if strings.Contains(d.Screen(), "phones on this network") {
		t.Fatalf("the network is offered although a public URL is set:\n%s", d.Screen())
	}
	d.Keys("enter")
	d.RequireScreen("SANDBOX", "Expires in")
	requireSaid(t, d, "The sandbox is reachable through its public URL https://preview.example")
	if len(rec.asked) != 1 || rec.asked[0] != sandbox.DefaultAddr {
		t.Fatalf("listeners asked for: %q", rec.asked)
	}
	link, err := launchtest.DecodeQR(d.Raw())
	if err != nil || !strings.HasPrefix(link, "https://preview.example/?session_token=") {
		t.Fatalf("the QR code holds %q (%v), want the public URL", link, err)
	}
	if snippet := runnerOf(d).hand.iframeSnippet(); !strings.Contains(snippet, `"https://preview.example/?session_token=`) {
		t.Fatalf("the iframe snippet does not carry the public URL:\n%s", snippet)
	}
}

// desk --lan: the desk starts on the sandbox for phones on this network,
// says so on the ready screen, and its handoff follows the customer on
// the LAN link.
func TestDeskLAN(t *testing.T) {
	requireLAN(t)
	lc := sandboxConfig()
	lc.SandboxLAN = true
	d, l := launchDeskApp(t, lc)
	reach := l.sandbox.srv.Reach()
	if reach.Scope != sandbox.ScopeLAN {
		t.Fatalf("desk --lan serves %s", reach)
	}
	d.RequireScreen("SANDBOX", "ctrl+p serves this computer only again")
	requireSaid(t, d, "Sessions go to the built-in sandbox, reachable from the local network at "+reach.URL+": phones on this network can open its session links")
	d.TypeText("Ana")
	d.Keys("enter")
	link, err := launchtest.DecodeQR(d.Raw())
	if err != nil || !strings.HasPrefix(link, reach.URL+"/?session_token=") {
		t.Fatalf("the QR code holds %q (%v), want a link at %s", link, err, reach.URL)
	}
	followTheCustomer(t, d, "approved")
	d.RequireScreen("Approved", "Sessions this run: 1")
}

// desk --lan on a machine with no LAN address: the desk serves this
// computer, says why, and ctrl+p says it again.
func TestDeskLANWithoutAddress(t *testing.T) {
	lc := sandboxConfig()
	lc.SandboxLAN = true
	useRecordingSandbox(&lc, true)
	d, l := launchDeskApp(t, lc)
	if got := l.sandbox.srv.Reach().Scope; got != sandbox.ScopeLoopback {
		t.Fatalf("the sandbox serves %v, want this computer", got)
	}
	d.RequireScreen("this computer only", "Phones cannot reach this computer")
	requireSaid(t, d, "is Wi-Fi or Ethernet connected?")
	d.Keys("ctrl+p")
	d.RequireScreen("No LAN address: the sandbox still serves this computer only")
	d.Keys("enter")
	requireLinkOnThisComputer(t, d)
}

// ctrl+p on the desk switches the sandbox to phones on this network and
// back, keeping its sessions: a session handed out before the switch can
// still be finished and its result arrives; back on this computer, the
// network listener is closed.
func TestDeskSwitchesBetweenThisComputerAndPhones(t *testing.T) {
	requireLAN(t)
	d, l := launchDeskApp(t, sandboxConfig())
	d.RequireScreen("this computer only", "ctrl+p serves phones on this network instead", "ctrl+p phones")
	d.Keys("enter")
	before := runnerOf(d).hand.session.URL
	d.Keys("n")

	d.Keys("ctrl+p")
	lan := l.sandbox.srv.Reach()
	if lan.Scope != sandbox.ScopeLAN {
		t.Fatalf("after ctrl+p the sandbox is %s", lan)
	}
	d.RequireScreen("ctrl+p this computer", "Phones on this network can open the sandbox's links now")
	requireSaid(t, d, "reachable from the local network at "+lan.URL)
	d.Keys("enter")
	link, err := launchtest.DecodeQR(d.Raw())
	if err != nil || !strings.HasPrefix(link, lan.URL) {
		t.Fatalf("the QR code holds %q (%v), want a link at %s", link, err, lan.URL)
	}
	d.Keys("n")

	// The session handed out on this computer is still served.
	launchtest.CompleteInSandbox(t, before, url.Values{"outcome": {"approved"}})
	desk := deskOf(d)
	first := desk.log.entries[1]
	d.Send(pollDue(d, first.gen))
	if first.state != deskFinished {
		t.Fatalf("the session begun before the switch is %v, want finished", first.label())
	}

	d.Keys("ctrl+p")
	if got := l.sandbox.srv.Reach().Scope; got != sandbox.ScopeLoopback {
		t.Fatalf("after ctrl+p again the sandbox serves %v", got)
	}
	d.RequireScreen("this computer only", "The sandbox serves this computer only again")
	if resp, err := http.Get(link); err == nil {
		resp.Body.Close()
		t.Fatalf("the LAN link still answers %d after going back to this computer", resp.StatusCode)
	}
	d.Keys("enter")
	if link := runnerOf(d).hand.session.URL; !isLoopbackURL(t, link) {
		t.Fatalf("back on this computer the link is %q", link)
	}
}

// A sandbox session left open (n) shows on the desk's list where its
// customer is: when it was left, then as of each poll.
func TestDeskListSaysWhereAnOpenSessionsCustomerIs(t *testing.T) {
	d, _ := launchDeskApp(t, sandboxConfig())
	d.Keys("enter")
	w := customer(t, d)
	second := next(t, w, w.Fetch(sandboxtest.SessionURL(w.Token)))
	d.Keys("n")
	d.RequireScreen("Left open · step 2 of ")
	e := deskOf(d).log.entries[0]
	next(t, w, second)
	d.Send(pollDue(d, e.gen))
	d.RequireScreen("Left open · step 3 of ")
	third := w.Seen[len(w.Seen)-1]
	if !strings.Contains(e.label(), sandboxtest.Heading(third)) {
		t.Fatalf("the list says %q, want the step's title %q", e.label(), sandboxtest.Heading(third))
	}
}
