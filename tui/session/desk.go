package session

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// deskPollEvery is how often the desk asks for the result of a session
// that was left open (n or esc before the customer finished, or open when
// the desk started).
const deskPollEvery = 10 * time.Second

// deskBigRoom is the room left by the ready screen's other lines (the
// next customer's fields among them) that the last outcome in block
// letters needs: the letters, their label and session (7 rows and a
// blank), and two rows of the list.
const deskBigRoom = 10

// deskBell rings the terminal's bell when a session finishes.
const deskBell = "\a"

// The desk's focus: the two fields, then the list of sessions.
const (
	deskFocusName = iota
	deskFocusID
	deskFocusList
)

// OpenWork says what quitting would drop: sessions a customer may still
// be in. Quitting stops following them, and the built-in sandbox they run
// on.
func (d *deskScreen) OpenWork() string {
	n := d.log.openCount(d.l.now())
	switch {
	case n == 0:
		return ""
	case d.l.sandboxMode():
		return fmt.Sprintf("%d session(s) still open; quitting stops the sandbox they run on", n)
	case d.l.cfg.Journal != nil:
		return fmt.Sprintf("%d session(s) still open; they stay in the journal and desk mode follows them when it starts again", n)
	}
	return fmt.Sprintf("%d session(s) still open; their results will not be shown here", n)
}

// deskScreen is desk mode: a ready screen with the customer's optional
// name and client user ID; enter creates the session and shows its QR
// code; when the session ends the screen is ready again, announcing how
// it ended, over the list of sessions (this run's and the journal's),
// which can be browsed and reopened.
type deskScreen struct {
	common *ui.Common
	l      *Launcher
	keys   launchKeyMap
	cfg    *flow.Config
	source string
	run    *sessionRunner

	fields [2]textinput.Model // name, clientUserId
	focus  int                // a field, or the list

	log    deskLog
	track  deskTracker // of log
	detail *deskEntry  // a reopened session that cannot be handed over again
	lock   deskLock

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
	d.track = deskTracker{l: l, log: &d.log}
	d.lock.active = l.now()
	return d
}

func (d *deskScreen) Init() tea.Cmd {
	start := textinput.Blink
	switch {
	case d.l.baseErr != nil:
		start = d.run.run(d.cfg)
	case !d.l.ready():
		start = d.run.ask(false)
	}
	return tea.Batch(start, d.track.start(), d.lock.schedule(d.l.cfg.LockAfter, d.l.now()))
}

func (d *deskScreen) Title() string {
	switch {
	case d.lock.locked:
		return "desk · locked"
	case d.run.phase == runnerHandoff, d.detail != nil:
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
	switch {
	case d.lock.locked:
		return true // any key unlocks
	case d.run.phase != runnerIdle:
		return d.run.capturing()
	case d.detail != nil:
		return false
	}
	return d.focus != deskFocusList // the fields take letters
}

func (d *deskScreen) ShortHelp() []key.Binding {
	switch {
	case d.lock.locked:
		return []key.Binding{d.keys.Unlock}
	case d.run.phase != runnerIdle:
		return d.run.shortHelp()
	case d.detail != nil:
		return []key.Binding{d.keys.Copy, d.keys.Back}
	}
	var keys []key.Binding
	if d.focus == deskFocusList {
		keys = []key.Binding{d.keys.Reopen, d.keys.Copy}
		if e := d.log.selected(); e != nil && e.state == deskOpen {
			keys = append(keys, d.keys.Check)
		}
		keys = append(keys, d.keys.Fields)
	} else {
		keys = []key.Binding{d.keys.Create, d.keys.Field}
	}
	if d.l.canSwitchSandbox() {
		keys = append(keys, d.phonesKey())
	}
	return keys
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
	return d, tea.Batch(journalWarning(msg, d.l.redact), d.update(msg))
}

func (d *deskScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case deskLockMsg:
		cmd, locked := d.lock.check(msg, d.l.cfg.LockAfter, d.l.now())
		if locked {
			d.detail = nil // a reopened session's details name the customer
		}
		return cmd
	case deskJournalMsg:
		return d.track.loaded(msg)
	case deskRetentionMsg:
		return d.track.retention(msg)
	case deskPollMsg:
		return d.track.polled(msg)
	case launchResultMsg:
		if e := d.log.entry(msg.gen); e != nil && e.state == deskOpen {
			return d.track.answered(e, msg)
		}
	case tea.KeyPressMsg:
		if d.lock.touch(d.l.now()) {
			return d.lock.schedule(d.l.cfg.LockAfter, d.l.now()) // the key unlocks, and does nothing else
		}
	}
	if d.run.phase != runnerIdle {
		cmd, ev := d.run.update(msg)
		return tea.Batch(cmd, d.event(ev))
	}
	if done, ok := msg.(widget.ClipboardDoneMsg); ok {
		return copied(done)
	}
	km, ok := msg.(tea.KeyPressMsg)
	switch {
	case d.detail != nil:
		if ok {
			return d.detailKey(km)
		}
		return nil
	case ok && key.Matches(km, d.keys.Phones) && d.l.canSwitchSandbox():
		return d.switchSandbox()
	case ok && d.focus == deskFocusList:
		return d.listKey(km)
	case ok && key.Matches(km, d.keys.Create):
		return d.start()
	case ok && key.Matches(km, d.keys.Field):
		return d.moveFocus(km.String() == "shift+tab" || km.String() == "up")
	case d.focus == deskFocusList:
		return nil // no field to give it to (a cursor blink, say)
	}
	var cmd tea.Cmd
	d.fields[d.focus], cmd = d.fields[d.focus].Update(msg)
	return cmd
}

// moveFocus goes to the next (or previous) field, the list coming after
// the last field when it has sessions.
func (d *deskScreen) moveFocus(back bool) tea.Cmd {
	stops := len(d.fields)
	if len(d.log.entries) > 0 {
		stops++
	}
	next := (d.focus + 1) % stops
	if back {
		next = (d.focus + stops - 1) % stops
	}
	return d.setFocus(next)
}

func (d *deskScreen) setFocus(f int) tea.Cmd {
	if d.focus < len(d.fields) {
		d.fields[d.focus].Blur()
	}
	if f == deskFocusList && d.focus != deskFocusList {
		d.log.cursor, d.log.offset = 0, 0 // the newest first
	}
	d.focus = f
	if f == deskFocusList {
		return d.track.more()
	}
	return d.fields[f].Focus()
}

// listKey moves through the list of sessions, reopens one or copies its
// link.
func (d *deskScreen) listKey(km tea.KeyPressMsg) tea.Cmd {
	k := d.keys
	switch {
	case key.Matches(km, d.common.Keys.Up) && d.log.cursor == 0:
		return d.setFocus(deskFocusID)
	case key.Matches(km, k.Reopen):
		if e := d.log.selected(); e != nil {
			return d.reopen(e)
		}
	case key.Matches(km, k.Copy):
		if e := d.log.selected(); e != nil {
			return widget.ClipboardCopy(d.l.cfg.WriteClipboard, e.gen, e.session.URL, "Link")
		}
	case key.Matches(km, k.Check):
		if e := d.log.selected(); e != nil {
			return d.track.retry(e)
		}
	case key.Matches(km, k.Field) && km.String() == "shift+tab":
		return d.setFocus(deskFocusID)
	case key.Matches(km, k.Fields):
		return d.setFocus(deskFocusName)
	}
	if next, ok := widget.MoveCursor(d.common.Keys, km, d.log.cursor, len(d.log.entries)); ok {
		d.log.cursor = next
		return d.track.more()
	}
	return nil
}

// copied confirms a copy in the status line (through the terminal when
// no clipboard tool worked).
func copied(msg widget.ClipboardDoneMsg) tea.Cmd {
	if msg.Fallback {
		return tea.Batch(tea.SetClipboard(msg.Text), ui.Status("✓ "+msg.What+" copied (via terminal)"))
	}
	return ui.Status("✓ " + msg.What + " copied")
}

// start creates a session for the next customer: the flow with the
// fields' name and client user ID, for this session only.
func (d *deskScreen) start() tea.Cmd {
	return d.run.run(d.l.prepare(flowFor(d.cfg, sessionWho{
		name:         strings.TrimSpace(d.fields[0].Value()),
		clientUserID: strings.TrimSpace(d.fields[1].Value()),
	})))
}

// flowFor is the desk's flow for one customer.
func flowFor(desk *flow.Config, who sessionWho) *flow.Config {
	cfg := desk.Clone()
	if who.name != "" {
		cfg.SetString("name", who.name)
	}
	if who.clientUserID != "" {
		cfg.SetString("clientUserId", who.clientUserID)
	}
	return cfg
}

// event records what the runner reports and returns to the ready screen
// when the session is over.
func (d *deskScreen) event(ev runnerEvent) tea.Cmd {
	e := d.log.entry(ev.gen)
	switch ev.kind {
	case runnerBegun:
		d.log.last = nil
		d.log.add(&deskEntry{
			gen: ev.gen, at: d.l.now(), who: whoOf(d.run.cfg), session: ev.session,
			server: d.l.journalServer(), flowFile: d.l.cfg.FlowFile,
		})
	case runnerFinished:
		if e == nil {
			return d.ready(true)
		}
		d.track.finish(e, ev.result)
		return tea.Batch(d.track.announce(e, false), d.ready(true))
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
			d.track.noteProgress(e)
			poll = d.track.pollLater(e)
		}
		return tea.Batch(poll, d.ready(ev.kind == runnerNextCustomer))
	case runnerAsked:
		return tea.Batch(d.track.pollAll(), d.ready(false))
	case runnerCancelled:
		return d.ready(false)
	}
	return nil
}

// ready shows the ready screen, with empty fields for a new customer.
func (d *deskScreen) ready(clear bool) tea.Cmd {
	if clear {
		for i := range d.fields {
			d.fields[i].Reset()
		}
		return d.setFocus(deskFocusName)
	}
	if d.focus == deskFocusList {
		return nil
	}
	return d.fields[d.focus].Focus()
}

// reopen shows a session of the list again: handed over with its QR code
// while a customer can still finish it here, else its details.
func (d *deskScreen) reopen(e *deskEntry) tea.Cmd {
	if e.state == deskOpen && d.l.ready() && e.open(d.l.now()) {
		e.state, e.polling = deskWaiting, false
		d.log.last = nil
		return d.run.show(flowFor(d.cfg, e.who), e.gen, e.session)
	}
	d.detail = e
	return nil
}

func (d *deskScreen) View() string {
	switch {
	case d.lock.locked:
		return d.lockedView()
	case d.run.phase != runnerIdle:
		return d.run.view()
	case d.detail != nil:
		return d.detailView()
	}
	s := &d.common.Styles
	var lines []string
	if banner := launchBanner(d.common, d.l); banner != "" {
		lines = append(lines, banner)
	}
	lines = append(lines, s.Title.Render(ui.Truncate(ui.Shown(d.source), d.width)))
	if d.l.sandboxMode() {
		lines = append(lines, d.sandboxLines()...)
	} else {
		lines = append(lines, s.Dim.Render(ui.Truncate("Sessions go to "+ui.Shown(d.l.serverDetail()), d.width)))
		if note := phoneNote(d.l, d.l.server(), true); note != "" {
			lines = append(lines, strings.Split(s.Warning.Render(wrapText(note, d.width)), "\n")...)
		}
	}
	if note := journalNote(d.l); note != "" {
		lines = append(lines, s.Warning.Render(ui.Truncate(note, d.width)))
	}
	if !d.l.ready() && d.l.baseErr == nil {
		lines = append(lines, s.Warning.Render(ui.Truncate("No company key yet: enter asks for it.", d.width)))
	}
	if d.l.sandboxMode() && d.l.cfg.CompanyKey == "" {
		lines = append(lines, s.Dim.Render(ui.Truncate("Set IDENTOMAT_COMPANY_KEY to create real Identomat sessions instead.", d.width)))
	}
	lines = append(lines, "")
	now := d.l.now()
	labelW := 16
	fields := []string{
		s.Header.Render("Next customer"),
		d.fieldLine("Name", 0, labelW),
		d.fieldLine("Client user ID", 1, labelW),
		s.Dim.Render(ui.Truncate("enter creates the session and shows its QR code", d.width)),
		"",
	}
	listFocused := d.focus == deskFocusList
	if d.log.last != nil {
		lines = append(lines, d.lastLines(len(lines)+len(fields), listFocused)...)
	}
	lines = append(lines, fields...)
	list := d.log.view(s, d.width, d.height-len(lines), listFocused, d.l.cfg.Journal != nil, now, d.l.redact)
	return strings.Join(append(lines, list...), "\n")
}

// deskListRoom is the rows the focused list needs: its heading, the
// selected row, the line saying more are below, and the selected
// session's state in full when its row cuts it.
const deskListRoom = 6

// lastLines announce how the last session ended, with a blank line under
// it, on a ready screen whose other lines take used rows: in block
// letters where they leave the list room; while the list has the focus,
// on a line, or not at all when the list needs the rows.
func (d *deskScreen) lastLines(used int, listFocused bool) []string {
	s := &d.common.Styles
	bigH := d.height
	switch {
	case d.common.Accessible:
		bigH = 0 // the outcome as a word, not block letters
	case listFocused:
		bigH = 0 // the list being browsed needs the rows
	case d.height-used < deskBigRoom:
		bigH = 0 // block letters would push the list off the screen
	}
	now := d.l.now()
	last := append(d.log.lastView(s, d.width, bigH, now.Location(), d.l.redact), "")
	if listFocused && d.height-used-len(last) < min(deskListRoom, len(d.log.entries)+2) {
		return nil // the selected row comes first
	}
	return last
}

func (d *deskScreen) fieldLine(label string, i, labelW int) string {
	s := &d.common.Styles
	marker := "  "
	if i == d.focus {
		marker = s.Cursor.Render("> ")
	}
	return marker + s.Normal.Render(fmt.Sprintf("%-*s", labelW, label)) + ui.ShownInput(d.fields[i].View())
}
