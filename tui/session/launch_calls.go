package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// The launcher's calls to the server: begin/ and result/, run in commands,
// each recorded in the session journal, and their failures in words.

// launchBeganMsg is the answer to begin/.
type launchBeganMsg struct {
	gen     int
	session api.Session
	err     error
	// journalErr: the session exists but could not be written to the journal.
	journalErr error
}

// launchResultMsg is the answer to result/.
type launchResultMsg struct {
	gen    int
	result api.Result
	err    error
	// journalErr: the result could not be written to the journal.
	journalErr error
}

// begin creates a session for cfg in a command and records it in the
// journal before the answer reaches a screen, so nothing shown is ever
// missing from it. source is "desk" or "wizard".
func (l *Launcher) begin(ctx context.Context, gen int, cfg *flow.Config, source, file string) tea.Cmd {
	client, enc, body := l.client, l.cfg.Encoding, cfg.RequestBody()
	if file == "" {
		file = l.cfg.FlowFile
	}
	j, rec := l.cfg.Journal, journal.NewSession{
		Server: l.journalServer(), Source: source, FlowFile: file, Payload: body,
		ConfigID: cfg.String("config_id"), Customer: cfg.String("name"), ClientUserID: cfg.String("clientUserId"),
	}
	var sb SandboxServer
	if l.sandboxMode() {
		sb = l.sandbox.srv
	}
	return func() tea.Msg {
		s, err := client.Begin(ctx, body, enc)
		if err == nil && sb != nil {
			// The sandbox's own link: it carries the address a phone uses.
			s.URL = sb.WidgetURL(s.Token)
		}
		msg := launchBeganMsg{gen: gen, session: s, err: err}
		if err == nil && j != nil {
			rec.Token, rec.URL = s.Token, s.URL
			if abs, err := filepath.Abs(rec.FlowFile); err == nil && rec.FlowFile != "" {
				rec.FlowFile = abs // the journal is read from other folders
			}
			rec.StartedAt, rec.ExpiresAt = s.ExpiresAt.Add(-api.TokenLifetime), s.ExpiresAt
			// Not ctx: a session created just before a cancel exists all the same.
			_, msg.journalErr = j.Record(context.Background(), rec)
		}
		return msg
	}
}

// result fetches a session's result in a command and writes it to the
// journal. A session the journal does not hold (it could not be written
// when the session began) is left out.
func (l *Launcher) result(ctx context.Context, gen int, token string) tea.Cmd {
	client, j := l.client, l.cfg.Journal
	return func() tea.Msg {
		r, err := client.Result(ctx, token)
		msg := launchResultMsg{gen: gen, result: r, err: err}
		if err == nil && j != nil {
			if jerr := j.Update(context.Background(), token, r); !errors.Is(jerr, journal.ErrNotFound) {
				msg.journalErr = jerr
			}
		}
		return msg
	}
}

// journalServer is what the journal calls the server sessions go to: the
// base URL, or journal.Sandbox for the built-in sandbox.
func (l *Launcher) journalServer() string {
	if l.sandboxMode() {
		return journal.Sandbox
	}
	if l.client != nil {
		return l.client.BaseURL()
	}
	return l.base
}

// follows reports whether this launcher can ask for the result of a
// journal session: it went to the same server, and that is not a sandbox
// (the built-in sandbox of another run is not this run's).
func (l *Launcher) follows(s journal.Session) bool {
	return !s.Sandbox() && !l.sandboxMode() && l.base != "" && s.Server == l.journalServer()
}

// journalWarning is the status line for a failed journal write, nil when
// msg reports none.
func journalWarning(msg tea.Msg, redact func(string) string) tea.Cmd {
	var err error
	switch msg := msg.(type) {
	case launchBeganMsg:
		err = msg.journalErr
	case launchResultMsg:
		err = msg.journalErr
	}
	if err == nil {
		return nil
	}
	return func() tea.Msg {
		return ui.StatusMsg{Text: flow.Visible(redact("Not kept in the journal: " + err.Error())), Err: true}
	}
}

// launchFailure is an error as a screen shows it: what happened, the
// server's words, and what to do.
type launchFailure struct {
	title      string
	detail     string
	hint       string
	keyRefused bool // k re-enters the key
	// offerLoopback: phones on this network were asked for, but there is
	// no LAN address; s starts the sandbox for this computer only.
	offerLoopback bool
}

// describeLaunchError turns a begin/ error into a failure screen's text.
// Every text passes through redact.
func describeLaunchError(err error, server string, redact func(string) string) launchFailure {
	var f launchFailure
	var statusErr *api.StatusError
	var netErr *net.OpError
	switch {
	case errors.Is(err, api.ErrKeyRefused):
		f.title = "The server refused the company key (COMPANY_KEY_INVALID)"
		f.hint = "Press k to enter the key again. It must be a key of the account at " + server + "."
		f.keyRefused = true
	case errors.As(err, &statusErr):
		f.title = fmt.Sprintf("The server answered %d %s", statusErr.Status, http.StatusText(statusErr.Status))
		f.detail = statusErr.Message
		switch {
		case statusErr.Status == http.StatusGone:
			f.title = "The session has expired"
			f.hint = "Press r to create a new session."
		case statusErr.Status >= 500:
			f.hint = "The server had a problem. Press r to try again."
		case statusErr.Status == http.StatusBadRequest:
			f.hint = "The server did not accept the flow. Fix it (identoflow validate FILE) and try again."
		default:
			f.hint = "Press r to try again."
		}
	case errors.Is(err, api.ErrSignatureMissing), errors.Is(err, api.ErrSignatureMismatch):
		f.title = "The server's answer failed the signature check"
		f.detail = err.Error()
		f.hint = "Check the secret key (IDENTOMAT_SECRET_KEY)."
	case errors.Is(err, context.DeadlineExceeded):
		f.title = "The server did not answer in time"
		f.detail = err.Error()
		f.hint = "Check the connection, then press r to try again."
	case errors.As(err, &netErr):
		f.title = "Could not reach the server"
		f.detail = err.Error()
		f.hint = "Check the network and the base URL (--base-url or IDENTOMAT_BASE_URL), then press r to try again."
	default:
		f.title = "Could not create the session"
		f.detail = err.Error()
		f.hint = "Press r to try again."
	}
	f.title, f.detail, f.hint = redact(f.title), redact(f.detail), redact(f.hint)
	return f
}
