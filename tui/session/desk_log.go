package session

import (
	"fmt"
	"time"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/tui/ui"
)

// deskState is what became of a session of this run.
type deskState int

const (
	deskWaiting  deskState = iota // shown to the customer
	deskFinished                  // final result
	deskExpired                   // ran out without a result
	deskOpen                      // left before the result; still polled
	deskReplaced                  // renewed with r
)

// deskEntry is one session of this run, kept in memory only.
type deskEntry struct {
	gen     int
	at      time.Time
	who     sessionWho
	session api.Session
	state   deskState
	result  api.Result
	polling bool
}

func (e *deskEntry) label() string {
	switch e.state {
	case deskFinished:
		return e.result.Label()
	case deskExpired:
		return "Expired"
	case deskOpen:
		return "Left open, checking…"
	case deskReplaced:
		return "Replaced by a new session"
	}
	return "Waiting"
}

// deskLog is the run's sessions, kept in memory only, and the one that
// ended last, which the ready screen shows large.
type deskLog struct {
	entries []*deskEntry
	last    *deskEntry
}

// entry is the session tagged gen, nil when it is not of this run.
func (g *deskLog) entry(gen int) *deskEntry {
	for _, e := range g.entries {
		if e.gen == gen {
			return e
		}
	}
	return nil
}

// openCount is how many sessions a customer may still be in at now.
func (g *deskLog) openCount(now time.Time) int {
	n := 0
	for _, e := range g.entries {
		if (e.state == deskWaiting || e.state == deskOpen) && now.Before(e.session.ExpiresAt) {
			n++
		}
	}
	return n
}

// lastView is how the last session ended, in a screen width×height:
// large when there is room.
func (g *deskLog) lastView(s *ui.Styles, width, height int, redact func(string) string) []string {
	e := g.last
	word, style, label := "EXPIRED", s.Warning, "Expired before the customer finished"
	if e.state == deskFinished {
		word, style, label = outcomeWord(e.result), outcomeStyle(s, e.result.Outcome()), ui.Shown(redact(e.result.Label()))
	}
	var lines []string
	if height >= 20 {
		lines = bigWord(word, style, width)
	} else {
		lines = []string{style.Render("■ " + word)}
	}
	detail := label
	if who := e.who.line(); who != "" {
		detail += " · " + who
	}
	return append(lines, ui.Truncate(detail+" · …"+ui.Shown(tokenSuffix(e.session.Token)), width))
}

// view lists this run's sessions, newest first, in rows lines.
func (g *deskLog) view(s *ui.Styles, width, rows int, redact func(string) string) []string {
	if len(g.entries) == 0 || rows < 2 {
		return nil
	}
	lines := []string{s.Header.Render(fmt.Sprintf("Sessions this run: %d", len(g.entries)))}
	room := rows - 1
	for i := len(g.entries) - 1; i >= 0; i-- {
		if len(lines) == room && i > 0 {
			lines = append(lines, s.Dim.Render(fmt.Sprintf("  … and %d earlier", i+1)))
			break
		}
		e := g.entries[i]
		name := e.who.name
		if name == "" {
			name = e.who.clientUserID
		}
		if name == "" {
			name = "—"
		}
		line := fmt.Sprintf("  %s  %-18s …%s  %s", e.at.Format("15:04"), ui.Truncate(ui.Shown(name), 18), ui.Shown(tokenSuffix(e.session.Token)), ui.Shown(redact(e.label())))
		line = ui.Truncate(line, width)
		switch {
		case e.state == deskFinished:
			line = outcomeStyle(s, e.result.Outcome()).UnsetBold().Render(line)
		case e.state != deskWaiting:
			line = s.Dim.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}
