// Package session takes a flow to a verification session on a customer's
// phone: the launch screen the editor opens (company key prompt or the
// built-in sandbox, begin/ with a spinner, errors as screens), the handoff
// (QR code, link, countdown, result polling) that the session runner drives,
// and desk mode's screen, session after session from one flow. The root
// hands the editor a *Launcher (editor.Launcher) and opens desk mode with
// NewDeskScreen; nothing here imports the editor or the root.
package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/atotto/clipboard"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

const (
	// launchSandboxKey is what the client sends to the built-in sandbox,
	// which accepts any non-empty key. It is not a credential.
	launchSandboxKey = "identoflow-built-in-sandbox"
	// launchRetryBudget bounds how long one begin/ or result/ call retries
	// a refused connection or a busy server while a person waits.
	launchRetryBudget = 10 * time.Second
	// Result polling: every 2 s at first, slowing to 5 s (2.5×) while the
	// customer is busy and to 30 s (15×) while the server cannot be asked.
	launchPollFirst       = 2 * time.Second
	launchPollWaitGrowth  = 5 // halves: 2.5×
	launchPollErrorGrowth = 15
	// launchStopTimeout bounds the sandbox's graceful shutdown.
	launchStopTimeout = 3 * time.Second
)

// Config says where and how sessions are created. The zero value
// asks for everything it needs: without a company key and a base URL the
// built-in sandbox is offered; without a key, a masked prompt asks for it.
type Config struct {
	// CompanyKey is the account credential (IDENTOMAT_COMPANY_KEY or the
	// contents of --company-key-file). "" asks for it in a masked field;
	// an entered key is kept in memory for this run only.
	CompanyKey string
	// SecretKey signs requests (HMAC) when set (IDENTOMAT_SECRET_KEY).
	SecretKey string
	// BaseURL of the vendor API (--base-url or IDENTOMAT_BASE_URL); ""
	// means api.DefaultBaseURL.
	BaseURL string
	// ConfigID, when set, is put as config_id into every session's payload
	// (--config-id).
	ConfigID string
	// Encoding of the begin/ request; the zero value is JSON.
	Encoding api.Encoding
	// Version goes into the User-Agent.
	Version string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// HTTPClient sends the requests; nil means a default client.
	HTTPClient *http.Client

	// Journal, when set, keeps every session created here: written before
	// its QR code is shown and on every poll. The caller opens it (one
	// handle per program) and closes it after the launcher.
	Journal *journal.Journal
	// JournalProblem says why there is no journal (it could not be
	// opened): the screens show it as a warning.
	JournalProblem string
	// FlowFile is the flow file desk mode sends, kept with its sessions.
	FlowFile string
	// Retain is how long desk mode shows customer names of finished
	// sessions (--retain, as the journal keeps them); 0 keeps them till the
	// session ends, as the journal does.
	Retain time.Duration
	// Quiet: no terminal bell when a desk session finishes (--quiet).
	Quiet bool
	// LockAfter locks desk mode after this long without a key press,
	// hiding names and the QR code until a key is pressed; 0 never locks.
	LockAfter time.Duration

	// PublicURL, when set (--public-url or IDENTOFLOW_PUBLIC_URL, as
	// sandbox.CheckPublicURL returns it), is where a tunnel or reverse
	// proxy reaches the built-in sandbox: its links and QR codes carry it,
	// and it listens on sandbox.DefaultAddr, where the tunnel points.
	PublicURL string
	// SandboxLAN starts the built-in sandbox, when nothing names a server,
	// for phones on this network (desk --lan): it listens on every
	// interface and its links carry this machine's LAN address.
	SandboxLAN bool

	// Test hooks.
	PollEvery      time.Duration                       // first result poll; default launchPollFirst
	RetryBudget    time.Duration                       // default launchRetryBudget; negative: no retries
	WriteClipboard func(string) error                  // default clipboard.WriteAll
	NewSandbox     func(sandbox.Options) SandboxServer // default: sandbox.New
}

// String and GoString keep the keys out of any printout of the config.
func (c Config) String() string {
	return fmt.Sprintf("LaunchConfig{BaseURL: %q, ConfigID: %q, CompanyKey: %s, SecretKey: %s}",
		c.BaseURL, c.ConfigID, redactedIfSet(c.CompanyKey), redactedIfSet(c.SecretKey))
}

// GoString is String, so %#v hides the keys too.
func (c Config) GoString() string { return c.String() }

func redactedIfSet(s string) string {
	if s == "" {
		return `""`
	}
	return "REDACTED"
}

// Launcher creates verification sessions and hands them over with a
// QR code. It is the editor's Launcher and the engine of desk mode. Call
// Close when the program ends: it stops the built-in sandbox if one was
// started.
//
// Its methods other than Close run on the program's goroutine.
type Launcher struct {
	cfg     Config
	baseErr error // the configured base URL cannot be used

	client *api.Client // nil until a company key (or the sandbox) is chosen

	sandbox *builtinSandbox // nil unless the built-in sandbox serves the sessions

	base string // the configured base URL as the client writes it; "" when unusable

	nextGen int // tags asynchronous answers with the session they belong to
}

// NewLauncher returns a launcher for cfg. A company key and base URL given
// here are used as they are; whatever is missing is asked for on launch.
func NewLauncher(cfg Config) *Launcher {
	cfg.CompanyKey = strings.TrimSpace(cfg.CompanyKey)
	cfg.SecretKey = strings.TrimSpace(cfg.SecretKey)
	cfg.BaseURL = strings.TrimSpace(cfg.BaseURL)
	cfg.ConfigID = strings.TrimSpace(cfg.ConfigID)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = launchPollFirst
	}
	if cfg.RetryBudget == 0 {
		cfg.RetryBudget = launchRetryBudget
	}
	if cfg.WriteClipboard == nil {
		cfg.WriteClipboard = clipboard.WriteAll
	}
	if cfg.NewSandbox == nil {
		cfg.NewSandbox = newBuiltinSandbox
	}
	l := &Launcher{cfg: cfg}
	key := cfg.CompanyKey
	if key == "" {
		key = launchSandboxKey // only to check the base URL
	}
	client, err := l.newClient(key, cfg.BaseURL, cfg.SecretKey, cfg.HTTPClient)
	switch {
	case err != nil:
		l.baseErr = err
	case cfg.CompanyKey != "":
		l.client = client
	}
	if err == nil {
		l.base = client.BaseURL()
	}
	return l
}

func (l *Launcher) newClient(key, base, secret string, hc *http.Client) (*api.Client, error) {
	return api.New(api.Options{
		BaseURL:     base,
		CompanyKey:  key,
		SecretKey:   secret,
		HTTPClient:  hc,
		Version:     l.cfg.Version,
		Now:         l.cfg.Now,
		RetryBudget: l.cfg.RetryBudget,
	})
}

// Launch opens the launch screen for a flow: it asks for what is missing,
// creates the session and shows the handoff. cfg is the launcher's to keep.
func (l *Launcher) Launch(c *ui.Common, cfg *flow.Config, file string) ui.Screen {
	return newLaunchScreen(c, l, l.prepare(cfg), file)
}

// Close stops the built-in sandbox if it was started. It is safe to call
// more than once.
func (l *Launcher) Close() error {
	if l.sandbox == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), launchStopTimeout)
	defer cancel()
	if err := l.sandbox.close(ctx); err != nil {
		return fmt.Errorf("stopping the built-in sandbox: %w", err)
	}
	// Its sessions can get no result any more: the journal says so now,
	// not only when another program next looks.
	if j := l.cfg.Journal; j != nil {
		if _, err := j.EndOwnSandboxSessions(ctx); err != nil {
			return fmt.Errorf("stopping the built-in sandbox: %w", err)
		}
	}
	return nil
}

// prepare applies the configured config_id to a flow about to be sent.
func (l *Launcher) prepare(cfg *flow.Config) *flow.Config {
	if l.cfg.ConfigID != "" {
		cfg.SetString("config_id", l.cfg.ConfigID)
	}
	return cfg
}

// ready reports whether sessions can be created without asking anything.
func (l *Launcher) ready() bool { return l.client != nil }

// offersSandbox reports whether the built-in sandbox is a choice: nothing
// says which server to use.
func (l *Launcher) offersSandbox() bool {
	return l.cfg.CompanyKey == "" && l.cfg.BaseURL == "" && !l.sandboxMode()
}

// UseSandboxUnlessConfigured starts the built-in sandbox and sends every
// session there when nothing (a company key, a base URL) names a server;
// for phones on this network with Config.SandboxLAN. When this machine has
// no LAN address it serves this computer only, and the desk says why.
func (l *Launcher) UseSandboxUnlessConfigured() error {
	if !l.offersSandbox() {
		return nil
	}
	err := l.useSandbox(l.cfg.SandboxLAN)
	if errors.Is(err, sandbox.ErrNoLANAddress) {
		err = l.useSandbox(false)
		if err == nil {
			l.sandbox.note = sandbox.ErrNoLANAddress.Error()
		}
	}
	return err
}

// sandboxMode reports whether sessions go to the built-in sandbox.
func (l *Launcher) sandboxMode() bool { return l.sandbox != nil }

// useKey makes key the company key for this run (memory only).
func (l *Launcher) useKey(key string) error {
	key = strings.TrimSpace(key)
	if key == "" {
		return errors.New("the company key is empty")
	}
	client, err := l.newClient(key, l.cfg.BaseURL, l.cfg.SecretKey, l.cfg.HTTPClient)
	if err != nil {
		return err
	}
	l.client = client
	return nil
}

// forgetKey drops a refused company key so that it can be entered again.
func (l *Launcher) forgetKey() {
	if !l.sandboxMode() {
		l.client = nil
	}
}

// server says where sessions are created.
func (l *Launcher) server() string {
	switch {
	case l.sandboxMode():
		return "the built-in sandbox"
	case l.client != nil:
		return l.client.BaseURL()
	case l.cfg.BaseURL != "":
		return strings.TrimRight(l.cfg.BaseURL, "/")
	}
	return api.DefaultBaseURL
}

// serverDetail is server with the sandbox's address.
func (l *Launcher) serverDetail() string {
	if l.sandboxMode() {
		return l.sandbox.detail()
	}
	return l.server()
}

// widgetBase is the base of widget links and of the iframe snippet.
func (l *Launcher) widgetBase() string {
	if l.sandboxMode() {
		return l.sandbox.srv.Reach().URL
	}
	if l.client != nil {
		return l.client.BaseURL()
	}
	return api.DefaultBaseURL
}

// redact removes the credentials from a text meant for the screen.
func (l *Launcher) redact(s string) string {
	if l.client == nil {
		return s
	}
	return l.client.Redact(s)
}

func (l *Launcher) gen() int {
	l.nextGen++
	return l.nextGen
}

func (l *Launcher) now() time.Time { return l.cfg.Now() }

// launchKeyMap holds the keys of the launch, handoff and desk screens.
type launchKeyMap struct {
	Copy, CopyIframe, Renew, Next key.Binding
	Retry, Rekey, Create, Field   key.Binding
	Cancel, Back                  key.Binding
	// The desk's list and lock.
	Reopen, Fields, Unlock key.Binding
	Check                  key.Binding // asks at once for a left-open session's result
	ShowQR                 key.Binding // accessible mode: the code is shown on demand
	// The built-in sandbox: this computer only after no LAN address was
	// found; the desk's switch to phones on this network and back.
	Loopback, Phones key.Binding
}

func newLaunchKeys() launchKeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return launchKeyMap{
		Copy:       b("c", "copy link", "c"),
		CopyIframe: b("i", "copy iframe", "i"),
		Renew:      b("r", "new session", "r"),
		Next:       b("n", "next customer", "n"),
		Retry:      b("r", "retry", "r"),
		Rekey:      b("k", "enter key again", "k"),
		Create:     b("enter", "create session", "enter"),
		Field:      b("tab", "next field", "tab", "shift+tab", "up", "down"),
		Cancel:     b("esc", "cancel", "esc"),
		Back:       b("esc", "back", "esc"),
		Reopen:     b("enter", "reopen", "enter"),
		Check:      b("r", "check again", "r"),
		Fields:     b("tab", "next customer", "tab", "esc"),
		Unlock:     b("any key", "unlock", "enter"),
		ShowQR:     b("q", "show QR code", "q"),
		Loopback:   b("s", "sandbox on this computer", "s"),
		Phones:     b("ctrl+p", "phones", "ctrl+p"),
	}
}
