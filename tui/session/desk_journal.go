package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

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
	start bool
	ended []journal.Session
	open  []journal.Session
	page  []journal.Session
	err   error
}

// deskRetentionMsg asks to apply the retention period.
type deskRetentionMsg struct{ err error }

// loadJournal reads what the desk lists on start: it first marks as ended
// the sandbox sessions whose program has stopped, then reads the open
// sessions (to poll them) and the newest page of history.
func (d *deskScreen) loadJournal() tea.Cmd {
	j := d.l.cfg.Journal
	if j == nil {
		return nil
	}
	d.log.loading = true
	return func() tea.Msg {
		ctx := context.Background()
		msg := deskJournalMsg{start: true}
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

// loadMore reads the next page of history when the list's cursor comes
// near the end of what is read.
func (d *deskScreen) loadMore() tea.Cmd {
	j, g := d.l.cfg.Journal, &d.log
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
func (d *deskScreen) loaded(msg deskJournalMsg) tea.Cmd {
	g := &d.log
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
		return entryFromJournal(s, d.l.gen(), d.l.follows(s))
	})
	d.forget()
	var cmds []tea.Cmd
	for _, e := range added {
		if e.state == deskOpen {
			cmds = append(cmds, d.pollOpen(e.gen))
		}
	}
	if n := len(msg.ended); n > 0 {
		cmds = append(cmds, ui.Status(fmt.Sprintf("%d sandbox session(s) ended with the identoflow that served them", n)))
	}
	return tea.Batch(cmds...)
}

func (d *deskScreen) scheduleRetention() tea.Cmd {
	if d.l.cfg.Journal == nil {
		return nil
	}
	return tea.Tick(deskRetentionEvery, func(time.Time) tea.Msg { return deskRetentionMsg{} })
}

// retention wipes the names past the retention period, in the journal (in
// a command) and on the list, and asks again later.
func (d *deskScreen) retention(msg deskRetentionMsg) tea.Cmd {
	if msg.err != nil {
		return ui.StatusErr(msg.err) // the next tick is already set
	}
	d.forget()
	j := d.l.cfg.Journal
	apply := func() tea.Msg {
		if _, err := j.ApplyRetention(context.Background()); err != nil && !errors.Is(err, journal.ErrLingering) {
			return deskRetentionMsg{err: fmt.Errorf("wiping names in the journal: %w", err)}
		}
		return nil
	}
	return tea.Batch(apply, d.scheduleRetention())
}

// forget drops from the list the names the journal no longer keeps.
func (d *deskScreen) forget() {
	if d.l.cfg.Journal == nil {
		return // nothing is kept past this run
	}
	now := d.l.now()
	d.log.forget(now.Add(-d.l.cfg.Retain), now)
}

// journalNote is the warning that sessions are not kept, "" when they are
// (or no journal was asked for).
func journalNote(l *Launcher) string {
	if p := l.cfg.JournalProblem; p != "" {
		return "Sessions are not kept in the journal: " + flow.Visible(l.redact(p))
	}
	return ""
}
