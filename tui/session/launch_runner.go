package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
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

// ask shows the company key prompt (with the sandbox as a choice when
// nothing names a server). thenBegin creates the session afterwards.
func (r *sessionRunner) ask(thenBegin bool) tea.Cmd {
	r.stopHandoff()
	r.phase, r.thenBegin = runnerAsking, thenBegin
	form, lines := r.keyForm()
	r.formRef = form
	r.form = widget.NewFormScreen(r.common, "company key", r.formRef, nil).AskInLines(lines...)
	r.form.SetSize(r.width, max(1, r.height-2))
	return r.form.Init()
}

// keyForm is the company key prompt, drawn and as lines for accessible
// mode; with the sandbox on offer it asks where sessions go first, and
// the key only for Identomat.
func (r *sessionRunner) keyForm() (*huh.Form, []widget.LineQuestion) {
	r.choice, r.keyText = choiceKey, ""
	keyTitle := "Company key"
	keyAbout := "For " + ui.Shown(r.l.server()) + ".\nKept in memory for this run only: never saved, never shown."
	keyCheck := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("enter the company key, or press esc to go back")
		}
		return nil
	}
	input := huh.NewInput().
		Title(keyTitle).
		Description(keyAbout).
		EchoMode(huh.EchoModePassword).
		Value(&r.keyText).
		Validate(keyCheck)
	askKey := widget.AskSecret(keyTitle, keyAbout, &r.keyText).Check(keyCheck)
	if !r.l.offersSandbox() {
		return huh.NewForm(huh.NewGroup(input)), []widget.LineQuestion{askKey}
	}
	r.choice = choiceSandbox
	whereTitle := "Where should sessions be created?"
	whereAbout := "No company key or base URL is configured (IDENTOMAT_COMPANY_KEY, IDENTOMAT_BASE_URL)."
	options := []huh.Option[string]{
		huh.NewOption("Built-in sandbox: offline, on this computer; you pick the outcome", choiceSandbox),
		huh.NewOption("Built-in sandbox for phones on this network (open to the local network)", choiceSandboxLAN),
	}
	if pub := r.l.cfg.PublicURL; pub != "" {
		// Its links carry the public URL, wherever it listens.
		options = []huh.Option[string]{huh.NewOption(
			"Built-in sandbox behind "+flow.Visible(pub)+" (point the tunnel at http://"+sandbox.DefaultAddr+")", choiceSandbox)}
	}
	options = append(options, huh.NewOption("Identomat ("+api.DefaultBaseURL+") with a company key", choiceKey))
	where := huh.NewSelect[string]().
		Title(whereTitle).
		Description(whereAbout).
		Options(options...).
		Value(&r.choice)
	forKey := func() bool { return r.choice == choiceKey }
	return huh.NewForm(
			huh.NewGroup(where),
			huh.NewGroup(input).WithHideFunc(func() bool { return !forKey() }),
		), []widget.LineQuestion{
			widget.AskChoice(whereTitle, whereAbout, &r.choice, options),
			askKey.When(forKey),
		}
}

// The answers to "Where should sessions be created?".
const (
	choiceSandbox    = "sandbox"     // the built-in sandbox, on loopback
	choiceSandboxLAN = "sandbox-lan" // the built-in sandbox, for phones on this network
	choiceKey        = "key"         // Identomat, with a company key
)

// answered applies the prompt's answer.
func (r *sessionRunner) answered() (tea.Cmd, runnerEvent) {
	choice, typed := r.choice, r.keyText
	r.keyText, r.form, r.formRef = "", nil, nil
	var err error
	switch {
	case (choice == choiceSandbox || choice == choiceSandboxLAN) && r.l.offersSandbox():
		err = r.l.useSandbox(choice == choiceSandboxLAN)
		if errors.Is(err, sandbox.ErrNoLANAddress) {
			r.fail(launchFailure{
				title:         "Phones cannot reach this computer: it has no address on a local network",
				detail:        r.l.redact(err.Error()),
				hint:          "Press s to use the sandbox on this computer only (a phone cannot open it), k to choose again, or esc to go back.",
				keyRefused:    true,
				offerLoopback: true,
			})
			return nil, runnerEvent{}
		}
	default:
		err = r.l.useKey(typed)
	}
	return r.chosen(err)
}

// chosen goes on once the launcher knows where sessions go (err: it
// could not be set up).
func (r *sessionRunner) chosen(err error) (tea.Cmd, runnerEvent) {
	if err != nil {
		r.fail(launchFailure{title: "The session cannot be created", detail: r.l.redact(err.Error()), hint: "Press k to answer again, or esc to go back.", keyRefused: true})
		return nil, runnerEvent{}
	}
	if !r.thenBegin {
		r.phase = runnerIdle
		return nil, runnerEvent{kind: runnerAsked}
	}
	return r.begin(), runnerEvent{}
}

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
func (s *launchScreen) Capturing() bool  { return s.run.capturing() }

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
	return "The sandbox session is still open; quitting stops the sandbox it runs on"
}
