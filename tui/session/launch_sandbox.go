// The built-in sandbox as the launcher runs it: for this computer only,
// for phones on this network, or behind a tunnel's public URL; and where
// the customer of one of its sessions is.

package session

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
)

// SandboxServer is what the launcher asks of the built-in sandbox
// (*sandbox.Server): to serve on loopback or on every interface, the
// session links it hands out, who can open them, and where a session's
// customer is.
type SandboxServer interface {
	Start(addr string) (baseURL string, stop func(context.Context) error, err error)
	StartLAN(addr string) (baseURL string, stop func(context.Context) error, err error)
	WidgetURL(token string) string
	Reach() sandbox.Reach
	Progress(token string) (sandbox.Progress, bool)
}

func newBuiltinSandbox(opts sandbox.Options) SandboxServer { return sandbox.New(opts) }

// builtinSandbox is the sandbox sessions go to, with its listeners: the
// current one, and older ones still serving the links handed out before a
// switch between this computer and the local network.
type builtinSandbox struct {
	srv       SandboxServer
	publicURL string
	// note says why the sandbox serves this computer only although phones
	// on this network were asked for; "" otherwise.
	note string

	mu    sync.Mutex // guards stops against a Close after the program ends
	stops []sandboxListener
}

type sandboxListener struct {
	stop func(context.Context) error
	lan  bool
}

// listen adds a listener: on every interface for phones on this network
// (lan), else on loopback; links handed out from then on carry its
// address (or the public URL). It returns the loopback base URL this
// program's own requests go to.
func (b *builtinSandbox) listen(lan bool) (string, error) {
	start, addr := b.srv.Start, ""
	if b.publicURL != "" {
		// The tunnel must be pointed somewhere before the first session.
		addr, lan = sandbox.DefaultAddr, false
	}
	if lan {
		start = b.srv.StartLAN
	}
	_, stop, err := start(addr)
	if err != nil {
		return "", err
	}
	b.mu.Lock()
	b.stops = append(b.stops, sandboxListener{stop: stop, lan: lan})
	b.mu.Unlock()
	// On every interface, loopback included: the program's own begin/ and
	// result/ stay on this machine (and out of the per-client limits).
	return b.srv.Reach().Listening, nil
}

// stopLAN stops the listeners on every interface.
func (b *builtinSandbox) stopLAN(ctx context.Context) error {
	return b.stop(ctx, func(l sandboxListener) bool { return l.lan })
}

// close stops every listener.
func (b *builtinSandbox) close(ctx context.Context) error {
	return b.stop(ctx, func(sandboxListener) bool { return true })
}

// stop stops the listeners that which picks.
func (b *builtinSandbox) stop(ctx context.Context, which func(sandboxListener) bool) error {
	b.mu.Lock()
	var stopping []sandboxListener
	kept := b.stops[:0]
	for _, l := range b.stops {
		if which(l) {
			stopping = append(stopping, l)
		} else {
			kept = append(kept, l)
		}
	}
	b.stops = kept
	b.mu.Unlock()
	var errs []error
	for _, l := range stopping {
		errs = append(errs, l.stop(ctx))
	}
	return errors.Join(errs...)
}

// scope says who can open the sandbox's links now.
func (b *builtinSandbox) scope() sandbox.Scope { return b.srv.Reach().Scope }

// reach says plainly who can open the sandbox's links, and where.
func (b *builtinSandbox) reach() string { return flow.Visible(b.srv.Reach().String()) }

// detail is where sessions go, for a line on the desk's ready screen.
func (b *builtinSandbox) detail() string {
	r := b.srv.Reach()
	if r.Scope == sandbox.ScopeLoopback {
		return "the built-in sandbox (" + flow.Visible(r.URL) + ", this computer only)"
	}
	return "the built-in sandbox, " + b.reach()
}

// useSandbox starts the built-in sandbox, for phones on this network when
// lan, and sends every session there. Without a LAN address it starts
// nothing and the error wraps sandbox.ErrNoLANAddress.
func (l *Launcher) useSandbox(lan bool) error {
	if l.sandboxMode() {
		return nil
	}
	b := &builtinSandbox{
		srv:       l.cfg.NewSandbox(sandbox.Options{Now: l.cfg.Now, PublicURL: l.cfg.PublicURL}),
		publicURL: l.cfg.PublicURL,
	}
	base, err := b.listen(lan)
	if err == nil {
		err = l.useSandboxClient(base)
	}
	if err != nil {
		_ = b.close(context.Background())
		return fmt.Errorf("starting the built-in sandbox: %w", err)
	}
	l.sandbox = b
	return nil
}

// useSandboxClient sends this program's requests to the sandbox at base.
func (l *Launcher) useSandboxClient(base string) error {
	// The sandbox does not sign, so the client must not expect signatures.
	client, err := l.newClient(launchSandboxKey, base, "", l.cfg.HTTPClient)
	if err != nil {
		return err
	}
	l.client = client
	return nil
}

// canSwitchSandbox reports whether the built-in sandbox can be switched
// between this computer and phones on this network: it serves the
// sessions, and no public URL says where phones reach it.
func (l *Launcher) canSwitchSandbox() bool {
	return l.sandboxMode() && l.cfg.PublicURL == ""
}

// switchSandbox makes the running sandbox serve phones on this network
// (lan) or this computer only, keeping its sessions: links handed out on
// loopback keep working; going back to this computer stops listening on
// the network, so links handed out for phones stop working. Without a LAN
// address it stays on this computer and the error wraps
// sandbox.ErrNoLANAddress.
func (l *Launcher) switchSandbox(lan bool) error {
	if !l.canSwitchSandbox() {
		return errors.New("the built-in sandbox is not in use, or a public URL says where phones reach it")
	}
	b := l.sandbox
	base, err := b.listen(lan)
	if err != nil {
		if !lan {
			return err
		}
		// A failed listener on the network leaves the sandbox without an
		// address: serve this computer again on a fresh one.
		base, rerr := b.listen(false)
		if rerr == nil {
			rerr = l.useSandboxClient(base)
		}
		return errors.Join(err, rerr)
	}
	if err := l.useSandboxClient(base); err != nil {
		return err
	}
	b.note = ""
	if lan {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), launchStopTimeout)
	defer cancel()
	return b.stopLAN(ctx)
}

// progress is where the customer of a built-in sandbox session is; ok is
// false for a session the sandbox does not hold (or no sandbox in use).
func (l *Launcher) progress(token string) (sandbox.Progress, bool) {
	if !l.sandboxMode() {
		return sandbox.Progress{}, false
	}
	return l.sandbox.srv.Progress(token)
}
