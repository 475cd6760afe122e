package session

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

const (
	// deskPage is how many sessions of the journal the list reads at a
	// time: a screenful or two, whatever the journal's size.
	deskPage = 50
	// deskRetentionEvery is how often a running desk wipes the names past
	// the retention period, in the journal and on its list.
	deskRetentionEvery = 10 * time.Minute
)

// deskJournalMsg is what the journal holds for the list: on start, the
// sandbox sessions just marked ended and the open ones too; then a page of
// history.
type deskJournalMsg struct {
	ended []journal.Session
	open  []journal.Session
	page  []journal.Session
	err   error
}

// deskRetentionMsg asks to apply the retention period (err: the last try
// failed).
type deskRetentionMsg struct{ err error }

// deskPollMsg asks again for a left-open session's result.
type deskPollMsg struct{ gen, tick int }

// deskTracker keeps the desk's list of sessions up to date while they are
// not on show: it reads the journal (on start, then a page at a time),
// polls the sessions left open until they end, announces their results,
// and forgets names past the retention period.
type deskTracker struct {
	l   *Launcher
	log *deskLog
}

// start reads the journal for the list and sets the retention timer.
func (t deskTracker) start() tea.Cmd {
	if t.l.cfg.Journal == nil {
		return nil
	}
	return tea.Batch(t.read(), t.scheduleRetention())
}

// read reads what the desk lists on start: it first marks as ended the
// sandbox sessions whose program has stopped, then reads the open sessions
// (to poll them) and the newest page of history.
func (t deskTracker) read() tea.Cmd {
	j := t.l.cfg.Journal
	t.log.loading = true
	return func() tea.Msg {
		ctx := context.Background()
		var msg deskJournalMsg
		msg.ended, msg.err = j.EndSandboxSessions(ctx)
		if msg.err == nil {
			msg.open, msg.err = j.OpenSessions(ctx)
		}
		if msg.err == nil {
			msg.page, msg.err = j.History(ctx, 0, deskPage)
		}
		return msg
	}
}

// more reads the next page of history when the list's cursor comes near
// the end of what is read.
func (t deskTracker) more() tea.Cmd {
	j, g := t.l.cfg.Journal, t.log
	if j == nil || !g.more || g.loading || g.cursor < len(g.entries)-deskPage/2 {
		return nil
	}
	g.loading = true
	before := g.earliest
	return func() tea.Msg {
		page, err := j.History(context.Background(), before, deskPage)
		return deskJournalMsg{page: page, err: err}
	}
}

// loaded lists what the journal answered and starts polling the open
// sessions this desk can follow.
func (t deskTracker) loaded(msg deskJournalMsg) tea.Cmd {
	g := t.log
	g.loading = false
	if msg.err != nil {
		g.more = false
		return ui.StatusErr(fmt.Errorf("reading the journal: %w", msg.err))
	}
	g.more = len(msg.page) == deskPage
	if n := len(msg.page); n > 0 {
		g.earliest = msg.page[n-1].ID
	}
	added := g.addJournal(append(msg.open, msg.page...), func(s journal.Session) *deskEntry {
		return entryFromJournal(s, t.l.gen(), t.l.follows(s))
	})
	t.forget()
	var cmds []tea.Cmd
	for _, e := range added {
		if e.state == deskOpen {
			cmds = append(cmds, t.poll(e.gen))
		}
	}
	if n := len(msg.ended); n > 0 {
		cmds = append(cmds, ui.Status(fmt.Sprintf("%d sandbox session(s) ended with the identoflow that served them", n)))
	}
	return tea.Batch(cmds...)
}

func (t deskTracker) scheduleRetention() tea.Cmd {
	return tea.Tick(deskRetentionEvery, func(time.Time) tea.Msg { return deskRetentionMsg{} })
}

// retention wipes the names past the retention period, in the journal (in
// a command) and on the list, and asks again later.
func (t deskTracker) retention(msg deskRetentionMsg) tea.Cmd {
	if msg.err != nil {
		return ui.StatusErr(msg.err) // the next tick is already set
	}
	t.forget()
	j := t.l.cfg.Journal
	apply := func() tea.Msg {
		if _, err := j.ApplyRetention(context.Background()); err != nil && !errors.Is(err, journal.ErrLingering) {
			return deskRetentionMsg{err: fmt.Errorf("wiping names in the journal: %w", err)}
		}
		return nil
	}
	return tea.Batch(apply, t.scheduleRetention())
}

// forget drops from the list the names the journal no longer keeps.
func (t deskTracker) forget() {
	if t.l.cfg.Journal == nil {
		return // nothing is kept past this run
	}
	now := t.l.now()
	t.log.forget(now.Add(-t.l.cfg.Retain), now)
}

// pollLater asks for a left-open session's result after a while, in
// place of any poll scheduled before.
func (t deskTracker) pollLater(e *deskEntry) tea.Cmd {
	e.pollTick++
	gen, tick := e.gen, e.pollTick
	return tea.Tick(deskPollEvery, func(time.Time) tea.Msg { return deskPollMsg{gen: gen, tick: tick} })
}

// polled takes a scheduled poll's turn: only the latest scheduled counts.
func (t deskTracker) polled(msg deskPollMsg) tea.Cmd {
	if e := t.log.entry(msg.gen); e == nil || msg.tick != e.pollTick {
		return nil
	}
	return t.poll(msg.gen)
}

// poll asks for a left-open session's result, until it is final or the
// session expires.
func (t deskTracker) poll(gen int) tea.Cmd {
	e := t.log.entry(gen)
	if e == nil || e.state != deskOpen || e.polling {
		return nil
	}
	if !t.l.ready() { // the company key is still to be entered
		e.unchecked = "no company key yet"
		return t.pollLater(e)
	}
	t.noteProgress(e)
	e.polling = true
	return t.l.result(context.Background(), gen, e.session.Token)
}

// noteProgress notes where the customer of a built-in sandbox session is.
func (t deskTracker) noteProgress(e *deskEntry) {
	if p, ok := t.l.progress(e.session.Token); ok {
		e.progress = flow.Visible(p.String())
	}
}

// pollAll asks at once for the result of every open session not being
// asked already.
func (t deskTracker) pollAll() tea.Cmd {
	var cmds []tea.Cmd
	for _, e := range t.log.entries {
		if e.state == deskOpen {
			cmds = append(cmds, t.poll(e.gen))
		}
	}
	return tea.Batch(cmds...)
}

// retry asks at once for the result of a left-open session whose last
// poll got no answer; its answer schedules the next poll in place of the
// one scheduled before.
func (t deskTracker) retry(e *deskEntry) tea.Cmd {
	if e.state != deskOpen {
		return nil
	}
	switch {
	case !t.l.ready():
		return ui.Status("No company key yet: enter on the ready screen asks for it")
	case e.polling:
		return ui.Status("Already checking session …" + tokenSuffix(e.session.Token) + "; its answer comes next")
	}
	return t.poll(e.gen)
}

// answered takes a left-open session's result: final, no result yet (as
// of now), or why there was no answer, to show on the list.
func (t deskTracker) answered(e *deskEntry, msg launchResultMsg) tea.Cmd {
	e.polling = false
	switch {
	case msg.err == nil && msg.result.Final():
		e.unchecked = ""
		t.finish(e, msg.result)
		return t.announce(e, true)
	case !t.l.now().Before(e.session.ExpiresAt):
		e.state = deskExpired
		return nil
	case msg.err != nil:
		first := e.unchecked == ""
		e.unchecked = uncheckedReason(msg.err, t.l.redact)
		if first { // said once, not at every failed poll
			text := fmt.Sprintf("Could not check session …%s: %s", tokenSuffix(e.session.Token), e.unchecked)
			return tea.Batch(t.pollLater(e), func() tea.Msg { return ui.StatusMsg{Text: text, Err: true} })
		}
	default:
		e.unchecked, e.checked = "", t.l.now()
	}
	return t.pollLater(e)
}

// uncheckedReason is why a poll got no answer, as the list says it after
// "Not checked: ".
func uncheckedReason(err error, redact func(string) string) string {
	title := describeLaunchError(err, "the server", redact).title
	if r, size := utf8.DecodeRuneInString(title); size > 0 {
		title = string(unicode.ToLower(r)) + title[size:]
	}
	return flow.Visible(title)
}

// finish records a session's final result.
func (t deskTracker) finish(e *deskEntry, res api.Result) {
	e.state, e.result, e.finished, e.polling = deskFinished, res, t.l.now(), false
	t.forget()
}

// announce says that a session finished where the operator looks: the
// ready screen's banner, the bell, and for a session not on show the
// status line. Never the customer's name: the next one may be watching.
func (t deskTracker) announce(e *deskEntry, background bool) tea.Cmd {
	t.log.last = e
	var cmds []tea.Cmd
	if !t.l.cfg.Quiet {
		cmds = append(cmds, tea.Raw(deskBell))
	}
	if background {
		text := fmt.Sprintf("Session …%s (started %s) finished: %s", tokenSuffix(e.session.Token),
			e.at.In(t.l.now().Location()).Format("15:04"), flow.Visible(t.l.redact(e.result.Label())))
		cmds = append(cmds, ui.Status(text))
	}
	return tea.Batch(cmds...)
}

// journalNote is the warning that sessions are not kept, "" when they are
// (or no journal was asked for).
func journalNote(l *Launcher) string {
	if p := l.cfg.JournalProblem; p != "" {
		return "Sessions are not kept in the journal: " + flow.Visible(l.redact(p))
	}
	return ""
}
