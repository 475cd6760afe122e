package session

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// deskPollEvery is how often the desk asks for the result of a session
// that was left open (n or esc before the customer finished).
const deskPollEvery = 10 * time.Second

// OpenWork says what quitting would drop: sessions of this run that a
// customer may still be in. Quitting stops following them, and the
// built-in sandbox they run on.
func (d *deskScreen) OpenWork() string {
	n := d.log.openCount(d.l.now())
	switch {
	case n == 0:
		return ""
	case d.l.sandboxMode():
		return fmt.Sprintf("%d session(s) still open; quitting stops the sandbox they run on", n)
	}
	return fmt.Sprintf("%d session(s) still open; their results will not be shown here", n)
}

// deskPollMsg asks again for a left-open session's result.
type deskPollMsg struct{ gen int }

// deskScreen is desk mode: a ready screen with the customer's optional
// name and client user ID; enter creates the session and shows its QR
// code; when the session ends the screen is ready again, showing how it
// ended and the run's sessions.
type deskScreen struct {
	common *ui.Common
	l      *Launcher
	keys   launchKeyMap
	cfg    *flow.Config
	source string
	run    *sessionRunner

	fields [2]textinput.Model // name, clientUserId
	focus  int

	log deskLog

	width, height int
}

// NewDeskScreen is desk mode's screen: sessions of cfg one customer after
// another through l; source names the flow on the ready screen.
func NewDeskScreen(c *ui.Common, l *Launcher, cfg *flow.Config, source string) ui.Screen {
	d := &deskScreen{common: c, l: l, keys: newLaunchKeys(), cfg: cfg, source: source, run: newSessionRunner(c, l, true)}
	for i, placeholder := range []string{"optional: shown in the dashboard", "optional: your user ID for this customer"} {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Placeholder = placeholder
		ti.CharLimit = 200
		d.fields[i] = ti
	}
	d.fields[0].Focus()
	return d
}

func (d *deskScreen) Init() tea.Cmd {
	switch {
	case d.l.baseErr != nil:
		return d.run.run(d.cfg)
	case !d.l.ready():
		return d.run.ask(false)
	}
	return textinput.Blink
}

func (d *deskScreen) Title() string {
	if d.run.phase == runnerHandoff {
		return "desk · session"
	}
	return "desk"
}

func (d *deskScreen) SetSize(w, h int) {
	d.width, d.height = w, h
	d.run.setSize(w, h)
	for i := range d.fields {
		d.fields[i].SetWidth(max(10, min(50, w-20)))
	}
}

func (d *deskScreen) Capturing() bool {
	if d.run.phase == runnerIdle {
		return true // the fields take letters
	}
	return d.run.capturing()
}

func (d *deskScreen) ShortHelp() []key.Binding {
	if d.run.phase != runnerIdle {
		return d.run.shortHelp()
	}
	return []key.Binding{d.keys.Create, d.keys.Field}
}

func (d *deskScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{d.ShortHelp(), {d.common.Keys.Quit}}
}

// Background keeps the sessions going under a screen opened over desk mode.
func (d *deskScreen) Background(msg tea.Msg) tea.Cmd {
	_, cmd := d.Update(msg)
	return cmd
}

func (d *deskScreen) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case deskPollMsg:
		return d, d.pollOpen(msg.gen)
	case launchResultMsg:
		if e := d.log.entry(msg.gen); e != nil && e.state == deskOpen {
			return d, d.openAnswered(e, msg)
		}
	}
	if d.run.phase != runnerIdle {
		cmd, ev := d.run.update(msg)
		return d, tea.Batch(cmd, d.event(ev))
	}
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, d.keys.Create):
			return d, d.start()
		case key.Matches(km, d.keys.Field):
			d.fields[d.focus].Blur()
			if km.String() == "shift+tab" || km.String() == "up" {
				d.focus = (d.focus + len(d.fields) - 1) % len(d.fields)
			} else {
				d.focus = (d.focus + 1) % len(d.fields)
			}
			return d, d.fields[d.focus].Focus()
		}
	}
	var cmd tea.Cmd
	d.fields[d.focus], cmd = d.fields[d.focus].Update(msg)
	return d, cmd
}

// start creates a session for the next customer: the flow with the
// fields' name and client user ID, for this session only.
func (d *deskScreen) start() tea.Cmd {
	cfg := d.cfg.Clone()
	if name := strings.TrimSpace(d.fields[0].Value()); name != "" {
		cfg.SetString("name", name)
	}
	if id := strings.TrimSpace(d.fields[1].Value()); id != "" {
		cfg.SetString("clientUserId", id)
	}
	return d.run.run(d.l.prepare(cfg))
}

// event records what the runner reports and returns to the ready screen
// when the session is over.
func (d *deskScreen) event(ev runnerEvent) tea.Cmd {
	e := d.log.entry(ev.gen)
	switch ev.kind {
	case runnerBegun:
		d.log.last = nil
		d.log.entries = append(d.log.entries, &deskEntry{gen: ev.gen, at: d.l.now(), who: whoOf(d.run.cfg), session: ev.session})
	case runnerFinished:
		if e != nil {
			e.state, e.result = deskFinished, ev.result
			d.log.last = e
		}
		return d.ready(true)
	case runnerExpired:
		if e != nil {
			e.state = deskExpired
			d.log.last = e
		}
		return d.ready(true)
	case runnerRenewing:
		if e != nil {
			e.state = deskReplaced
		}
	case runnerNextCustomer, runnerBack:
		var poll tea.Cmd
		if e != nil && e.state == deskWaiting {
			e.state = deskOpen
			poll = d.schedulePoll(e.gen)
		}
		return tea.Batch(poll, d.ready(ev.kind == runnerNextCustomer))
	case runnerCancelled, runnerAsked:
		return d.ready(false)
	}
	return nil
}

// ready shows the ready screen, with empty fields for a new customer.
func (d *deskScreen) ready(clear bool) tea.Cmd {
	if clear {
		for i := range d.fields {
			d.fields[i].Reset()
			d.fields[i].Blur()
		}
		d.focus = 0
	}
	return d.fields[d.focus].Focus()
}

func (d *deskScreen) schedulePoll(gen int) tea.Cmd {
	return tea.Tick(deskPollEvery, func(time.Time) tea.Msg { return deskPollMsg{gen: gen} })
}

// pollOpen asks for a left-open session's result until it is final or
// the session expires.
func (d *deskScreen) pollOpen(gen int) tea.Cmd {
	e := d.log.entry(gen)
	if e == nil || e.state != deskOpen || e.polling {
		return nil
	}
	e.polling = true
	return d.l.result(context.Background(), gen, e.session.Token)
}

func (d *deskScreen) openAnswered(e *deskEntry, msg launchResultMsg) tea.Cmd {
	e.polling = false
	switch {
	case msg.err == nil && msg.result.Final():
		e.state, e.result = deskFinished, msg.result
		return nil
	case !d.l.now().Before(e.session.ExpiresAt):
		e.state = deskExpired
		return nil
	}
	return d.schedulePoll(e.gen)
}

func (d *deskScreen) View() string {
	if d.run.phase != runnerIdle {
		return d.run.view()
	}
	s := &d.common.Styles
	var lines []string
	if banner := launchBanner(d.common, d.l); banner != "" {
		lines = append(lines, banner)
	}
	lines = append(lines,
		s.Title.Render(ui.Truncate(ui.Shown(d.source), d.width)),
		s.Dim.Render(ui.Truncate("Sessions go to "+ui.Shown(d.l.serverDetail()), d.width)))
	if !d.l.ready() && d.l.baseErr == nil {
		lines = append(lines, s.Warning.Render(ui.Truncate("No company key yet: enter asks for it.", d.width)))
	}
	if d.l.sandboxMode() && d.l.cfg.CompanyKey == "" {
		lines = append(lines, s.Dim.Render(ui.Truncate("Set IDENTOMAT_COMPANY_KEY to create real Identomat sessions instead.", d.width)))
	}
	lines = append(lines, "")
	if d.log.last != nil {
		lines = append(lines, d.log.lastView(s, d.width, d.height, d.l.redact)...)
		lines = append(lines, "")
	}
	labelW := 16
	lines = append(lines,
		s.Header.Render("Next customer"),
		d.fieldLine("Name", 0, labelW),
		d.fieldLine("Client user ID", 1, labelW),
		s.Dim.Render(ui.Truncate("enter creates the session and shows its QR code", d.width)),
		"")
	lines = append(lines, d.log.view(s, d.width, d.height-len(lines), d.l.redact)...)
	return strings.Join(lines, "\n")
}

func (d *deskScreen) fieldLine(label string, i, labelW int) string {
	s := &d.common.Styles
	marker := "  "
	if i == d.focus {
		marker = s.Cursor.Render("> ")
	}
	return marker + s.Normal.Render(fmt.Sprintf("%-*s", labelW, label)) + ui.ShownInput(d.fields[i].View())
}
