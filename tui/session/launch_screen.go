package session

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// launchScreen is what L in the editor opens: the runner on its own
// screen. Leaving it returns to the editor.
type launchScreen struct {
	common *ui.Common
	l      *Launcher
	run    *sessionRunner
	cfg    *flow.Config
}

func newLaunchScreen(c *ui.Common, l *Launcher, cfg *flow.Config, file string) *launchScreen {
	run := newSessionRunner(c, l, false)
	run.flowFile = file
	return &launchScreen{common: c, l: l, run: run, cfg: cfg}
}

func (s *launchScreen) Init() tea.Cmd { return s.run.run(s.cfg) }

func (s *launchScreen) Title() string {
	if s.run.phase == runnerHandoff {
		return "session"
	}
	return "launch"
}

func (s *launchScreen) SetSize(w, h int) { s.run.setSize(w, h) }

func (s *launchScreen) Capturing() bool { return s.run.capturing() }

func (s *launchScreen) ShortHelp() []key.Binding { return s.run.shortHelp() }

func (s *launchScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.run.shortHelp(), {s.common.Keys.Help, s.common.Keys.Quit}}
}

func (s *launchScreen) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	cmd, ev := s.run.update(msg)
	cmd = tea.Batch(cmd, journalWarning(msg, s.l.redact))
	switch ev.kind {
	case runnerBegun:
		if note := journalNote(s.l); note != "" {
			return s, tea.Batch(cmd, ui.Status(note))
		}
	case runnerBack, runnerCancelled:
		if ev.open && ev.session.Token != "" {
			// The customer may still finish: say where the result will be.
			until := ev.session.ExpiresAt.Local().Format("15:04")
			note := fmt.Sprintf("open till %s · identoflow result %s", until, ev.session.Token) // fits 80 columns
			if base := s.l.server(); base != api.DefaultBaseURL {
				note += " --base-url " + base // the token first: it must not be cut off
			}
			if s.l.sandboxMode() {
				note = fmt.Sprintf("the sandbox session stays open until %s, while identoflow runs", until)
				left := s.leftOpen(ev.session.Token, ev.session.ExpiresAt)
				cmd = tea.Batch(cmd, func() tea.Msg { return ui.LeftOpenMsg{Work: left} })
			}
			return s, tea.Batch(cmd, ui.Pop, ui.Status(note))
		}
		return s, tea.Batch(cmd, ui.Pop)
	}
	return s, cmd
}

func (s *launchScreen) View() string { return s.run.view() }

// Background keeps the session going under a screen opened over it.
func (s *launchScreen) Background(msg tea.Msg) tea.Cmd {
	cmd, _ := s.run.update(msg)
	return cmd
}

// OpenWork says a session is on show that the customer may be in: with the
// built-in sandbox, quitting ends it.
func (s *launchScreen) OpenWork() string {
	h := s.run.hand
	if h == nil || h.result != nil || h.expired || !s.l.sandboxMode() {
		return ""
	}
	return sandboxOpenWork
}

const sandboxOpenWork = "The sandbox session is still open; quitting stops the sandbox it runs on"

// leftOpen says, while a sandbox session left behind may still be in use,
// what quitting would stop: until the customer is done or it expires.
func (s *launchScreen) leftOpen(token string, expires time.Time) func() string {
	l := s.l
	return func() string {
		if l.sandbox == nil {
			return ""
		}
		p, known := l.sandbox.srv.Progress(token)
		over := !l.now().Before(expires)
		if known {
			over = p.Expired || p.Outcome != sandbox.OutcomeInProgress
		}
		if over {
			return ""
		}
		return sandboxOpenWork
	}
}
