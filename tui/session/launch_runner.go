package session

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// runnerPhase is where a session runner is.
type runnerPhase int

const (
	runnerIdle      runnerPhase = iota // nothing under way (desk: the ready screen shows)
	runnerAsking                       // the company key prompt
	runnerBeginning                    // begin/ in flight
	runnerFailed                       // begin/ failed: the error screen
	runnerHandoff                      // a session is shown to the customer
)

// runnerEventKind tells the embedding screen what just happened.
type runnerEventKind int

const (
	runnerNoEvent      runnerEventKind = iota
	runnerBegun                        // a session was created (event.session)
	runnerFinished                     // the session has its final result (event.result)
	runnerExpired                      // the session expired without a final result
	runnerRenewing                     // the session was dropped for a new one
	runnerBack                         // esc: the person left (a session, if any, stays open)
	runnerNextCustomer                 // n: desk moves on (a session, if any, stays open)
	runnerAsked                        // the prompt asked on its own was answered
	runnerCancelled                    // the prompt or the creation was cancelled
)

type runnerEvent struct {
	kind    runnerEventKind
	gen     int // the session's tag
	session api.Session
	result  api.Result
	open    bool // on leaving: the session can still be finished, and nobody follows its result
}

// sessionWho is the person a session is for, as the config names them.
type sessionWho struct{ name, clientUserID string }

func whoOf(cfg *flow.Config) sessionWho {
	return sessionWho{name: cfg.String("name"), clientUserID: cfg.String("clientUserId")}
}

// sessionRunner takes one flow from "launch" to a session on the
// customer's phone: it asks for the company key when none is known,
// creates the session with a spinner, shows errors as screens, and runs
// the handoff. The editor's launch screen and the desk embed it.
type sessionRunner struct {
	common *ui.Common
	l      *Launcher
	keys   launchKeyMap
	desk   bool // a final result or expiry ends the runner (the desk shows it)
	// flowFile is the file the flow came from, for the journal; "" takes
	// the launcher's (desk mode's file).
	flowFile string

	phase runnerPhase
	cfg   *flow.Config // the flow being sent

	form      *widget.FormScreen
	formRef   *huh.Form
	choice    string // choiceSandbox, choiceSandboxLAN or choiceKey
	keyText   string // bound to the masked field; cleared as soon as it is used
	thenBegin bool   // after the prompt, create the session

	spin    spinner.Model
	gen     int
	cancel  context.CancelFunc
	failure launchFailure
	hand    *handoff

	width, height int
}

func newSessionRunner(c *ui.Common, l *Launcher, desk bool) *sessionRunner {
	return &sessionRunner{
		common: c, l: l, keys: newLaunchKeys(), desk: desk,
		spin: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
}

func (r *sessionRunner) setSize(w, h int) {
	r.width, r.height = w, h
	if r.form != nil {
		r.form.SetSize(w, max(1, h-2))
	}
	if r.hand != nil {
		r.hand.setSize(w, h)
	}
}

// run starts a session for cfg, asking first for what is missing.
func (r *sessionRunner) run(cfg *flow.Config) tea.Cmd {
	r.cfg = cfg
	if r.l.baseErr != nil {
		r.fail(launchFailure{
			title:  "The base URL cannot be used",
			detail: r.l.redact(r.l.baseErr.Error()),
			hint:   "Fix --base-url or IDENTOMAT_BASE_URL and start again.",
		})
		return nil
	}
	if !r.l.ready() {
		return r.ask(true)
	}
	return r.begin()
}

// The answers to "Where should sessions be created?".
const (
	choiceSandbox    = "sandbox"     // the built-in sandbox, on loopback
	choiceSandboxLAN = "sandbox-lan" // the built-in sandbox, for phones on this network
	choiceKey        = "key"         // Identomat, with a company key
)

// begin sends begin/ for the current flow.
func (r *sessionRunner) begin() tea.Cmd {
	r.stopHandoff()
	r.phase = runnerBeginning
	r.gen = r.l.gen()
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	source := "wizard"
	if r.desk {
		source = "desk"
	}
	return tea.Batch(r.spin.Tick, r.l.begin(ctx, r.gen, r.cfg, source, r.flowFile))
}

// show hands over a session that already exists (one reopened from the
// desk's list): cfg is its flow, gen its tag.
func (r *sessionRunner) show(cfg *flow.Config, gen int, s api.Session) tea.Cmd {
	r.stopHandoff()
	r.cfg, r.gen = cfg, gen
	r.hand = newHandoff(r.common, r.l, gen, s, cfg, r.desk)
	r.hand.setSize(r.width, r.height)
	r.phase = runnerHandoff
	return r.hand.init()
}

func (r *sessionRunner) fail(f launchFailure) {
	r.stopHandoff()
	r.phase, r.failure = runnerFailed, f
}

// stopHandoff ends the shown session's polling and any request in flight.
func (r *sessionRunner) stopHandoff() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	if r.hand != nil {
		r.hand.stop()
		r.hand = nil
	}
}

// leave ends the runner, reporting kind for the current session.
func (r *sessionRunner) leave(kind runnerEventKind) runnerEvent {
	ev := runnerEvent{kind: kind, gen: r.gen}
	if r.hand != nil {
		ev.session = r.hand.session
		ev.open = r.hand.result == nil && !r.hand.expired
	}
	r.stopHandoff()
	r.phase, r.form, r.formRef, r.keyText = runnerIdle, nil, nil, ""
	return ev
}

func (r *sessionRunner) capturing() bool { return r.phase == runnerAsking }

func (r *sessionRunner) update(msg tea.Msg) (tea.Cmd, runnerEvent) {
	switch msg := msg.(type) {
	case widget.FormDoneMsg:
		if r.phase != runnerAsking || msg.Form != r.formRef {
			return nil, runnerEvent{}
		}
		if !msg.OK {
			return nil, r.leave(runnerCancelled)
		}
		return r.answered()
	case launchBeganMsg:
		if r.phase != runnerBeginning || msg.gen != r.gen {
			return nil, runnerEvent{}
		}
		r.cancel = nil
		if msg.err != nil {
			if errors.Is(msg.err, context.Canceled) {
				return nil, runnerEvent{}
			}
			r.fail(describeLaunchError(msg.err, r.l.server(), r.l.redact))
			return nil, runnerEvent{}
		}
		return r.show(r.cfg, r.gen, msg.session), runnerEvent{kind: runnerBegun, gen: r.gen, session: msg.session}
	case spinner.TickMsg:
		if r.phase != runnerBeginning {
			return nil, runnerEvent{}
		}
		var cmd tea.Cmd
		r.spin, cmd = r.spin.Update(msg)
		return cmd, runnerEvent{}
	case tea.KeyPressMsg:
		return r.key(msg)
	}
	switch r.phase {
	case runnerAsking:
		_, cmd := r.form.Update(msg)
		return cmd, runnerEvent{}
	case runnerHandoff:
		return r.handoffUpdate(msg)
	}
	return nil, runnerEvent{}
}

func (r *sessionRunner) key(msg tea.KeyPressMsg) (tea.Cmd, runnerEvent) {
	k := r.keys
	switch r.phase {
	case runnerAsking:
		if key.Matches(msg, k.Cancel) {
			return nil, r.leave(runnerCancelled)
		}
		_, cmd := r.form.Update(msg)
		return cmd, runnerEvent{}
	case runnerBeginning:
		if key.Matches(msg, k.Cancel) {
			return nil, r.leave(runnerCancelled)
		}
	case runnerFailed:
		switch {
		case key.Matches(msg, k.Loopback) && r.failure.offerLoopback:
			return r.chosen(r.l.useSandbox(false))
		case key.Matches(msg, k.Rekey) && r.failure.keyRefused:
			r.l.forgetKey()
			return r.ask(true), runnerEvent{}
		case key.Matches(msg, k.Retry):
			return r.run(r.cfg), runnerEvent{}
		case key.Matches(msg, k.Back):
			return nil, r.leave(runnerCancelled)
		}
	case runnerHandoff:
		return r.handoffUpdate(msg)
	}
	return nil, runnerEvent{}
}

func (r *sessionRunner) handoffUpdate(msg tea.Msg) (tea.Cmd, runnerEvent) {
	cmd, ev := r.hand.update(msg)
	switch ev.kind {
	case handoffRenew:
		old := r.gen
		return tea.Batch(cmd, r.begin()), runnerEvent{kind: runnerRenewing, gen: old}
	case handoffBack:
		return cmd, r.leave(runnerBack)
	case handoffNext:
		if r.desk {
			return cmd, r.leave(runnerNextCustomer)
		}
	case handoffFinal:
		out := runnerEvent{kind: runnerFinished, gen: r.gen, session: r.hand.session, result: ev.result}
		if r.desk {
			r.leave(runnerFinished)
		}
		return cmd, out
	case handoffExpired:
		out := runnerEvent{kind: runnerExpired, gen: r.gen, session: r.hand.session}
		if r.desk {
			r.leave(runnerExpired)
		}
		return cmd, out
	}
	return cmd, runnerEvent{}
}

func (r *sessionRunner) shortHelp() []key.Binding {
	k := r.keys
	switch r.phase {
	case runnerAsking, runnerBeginning:
		return []key.Binding{k.Cancel}
	case runnerFailed:
		if r.failure.offerLoopback {
			choose := k.Rekey
			choose.SetHelp("k", "choose again")
			return []key.Binding{k.Loopback, choose, k.Back}
		}
		if r.failure.keyRefused {
			return []key.Binding{k.Rekey, k.Retry, k.Back}
		}
		return []key.Binding{k.Retry, k.Back}
	case runnerHandoff:
		return r.hand.shortHelp()
	}
	return nil
}

func (r *sessionRunner) view() string {
	s := &r.common.Styles
	banner := launchBanner(r.common, r.l)
	var b strings.Builder
	if banner != "" {
		b.WriteString(banner + "\n")
	}
	switch r.phase {
	case runnerAsking:
		if banner == "" {
			b.WriteString("\n")
		}
		b.WriteString(r.form.View())
	case runnerBeginning:
		spin := r.spin.View() + " "
		if r.common.Accessible {
			spin = "" // a screen reader would read each frame of it
		}
		b.WriteString("\n" + spin + "Creating the session at " + ui.Shown(r.l.server()) + "…\n")
		if line := whoLine(r.cfg); line != "" {
			b.WriteString("\n" + s.Dim.Render(line) + "\n")
		}
	case runnerFailed:
		// The server's words, and the server's address.
		f := r.failure
		b.WriteString("\n" + s.Error.Render("✗ "+ui.Shown(f.title)) + "\n")
		if f.detail != "" {
			b.WriteString("\n" + wrapText(ui.Shown(f.detail), r.width) + "\n")
		}
		if f.hint != "" {
			b.WriteString("\n" + s.Dim.Render(wrapText(ui.Shown(f.hint), r.width)) + "\n")
		}
	case runnerHandoff:
		return r.hand.view()
	}
	return strings.TrimRight(b.String(), "\n")
}

// whoLine names the person a flow's session is for, "" when it names nobody.
func whoLine(cfg *flow.Config) string {
	if cfg == nil {
		return ""
	}
	return whoOf(cfg).line()
}

func (w sessionWho) line() string {
	var parts []string
	if w.name != "" {
		parts = append(parts, "For "+ui.Shown(w.name))
	}
	if w.clientUserID != "" {
		parts = append(parts, "client user ID "+ui.Shown(w.clientUserID))
	}
	return strings.Join(parts, " · ")
}

// launchBanner is the SANDBOX mark, "" when sessions go to a real server.
func launchBanner(c *ui.Common, l *Launcher) string {
	if !l.sandboxMode() {
		return ""
	}
	return c.Styles.Sandbox.Render("SANDBOX") + " " + c.Styles.Dim.Render("offline test server")
}

// wrapText breaks s at spaces so no line is wider than width (longer
// words, such as URLs, are cut).
func wrapText(s string, width int) string {
	if width <= 0 {
		return s
	}
	return ansi.Wrap(s, width, "") // by terminal cells; a word longer than a line is broken
}
