package session

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// deskState is what became of a session on the desk's list.
type deskState int

const (
	deskWaiting   deskState = iota // shown to the customer
	deskFinished                   // final result
	deskExpired                    // ran out without a result
	deskOpen                       // left before the result; still polled
	deskReplaced                   // renewed with r
	deskEnded                      // a sandbox session whose program stopped
	deskElsewhere                  // open at a server this desk does not follow
)

// deskEntry is one session on the desk's list: of this run, or read from
// the journal.
type deskEntry struct {
	gen      int   // tags the answers to its polls
	id       int64 // the journal's row id; 0 for this run's sessions
	at       time.Time
	finished time.Time // when its final result arrived; zero if unknown
	who      sessionWho
	session  api.Session
	server   string // as the journal names it: a base URL or journal.Sandbox
	flowFile string
	state    deskState
	result   api.Result
	polling  bool
	// pollTick tags the one poll scheduled for later that counts: a new
	// schedule (after an answer to r, or to a poll of all) makes the one
	// before it stale, so that each session has one chain of polls.
	pollTick int
	// progress is where the customer of a built-in sandbox session left
	// open is, as of its last poll; "" when unknown.
	progress string
	// checked is when the server last answered a left-open session's
	// poll (zero: not yet); unchecked says why its last poll got no
	// answer ("" when it did), in words for the list.
	checked   time.Time
	unchecked string
}

// entryFromJournal is a journal row as the desk lists it; follows says
// whether this desk can poll it while it is open.
func entryFromJournal(s journal.Session, gen int, follows bool) *deskEntry {
	e := &deskEntry{
		gen: gen, id: s.ID, at: s.StartedAt, finished: s.FinishedAt,
		who:     sessionWho{name: s.Customer, clientUserID: s.ClientUserID},
		session: api.Session{Token: s.Token, URL: s.URL, ExpiresAt: s.ExpiresAt},
		server:  s.Server, flowFile: s.FlowFile,
	}
	switch s.Result {
	case journal.ResultOpen:
		e.state = deskElsewhere
		if follows {
			e.state = deskOpen
		}
	case journal.ResultExpired:
		e.state = deskExpired
	case journal.ResultEnded:
		e.state = deskEnded
	default:
		e.state, e.result = deskFinished, api.Result{Status: s.Status}
		if s.RejectValue != "" || s.RejectDescription != "" {
			e.result.RejectReason = &api.RejectReason{Value: s.RejectValue, Description: s.RejectDescription}
		}
	}
	return e
}

func (e *deskEntry) label() string {
	switch e.state {
	case deskFinished:
		return e.result.Label()
	case deskExpired:
		return "Expired"
	case deskOpen:
		return e.openLabel()
	case deskReplaced:
		return "Replaced by a new session"
	case deskEnded:
		return "Ended with the program that served it"
	case deskElsewhere:
		if e.server == journal.Sandbox {
			return "Open in another identoflow's sandbox"
		}
		return "Open at " + e.server
	}
	return "Waiting"
}

// openLabel is where a left-open session stands as far as the desk
// knows: checking, no result yet as of a time, or why it could not be
// checked (the desk keeps trying; r on the list tries at once).
func (e *deskEntry) openLabel() string {
	switch {
	case e.unchecked != "": // until an answer comes, while asking again too
		return "Not checked: " + e.unchecked // the reason first: the row is narrow
	case e.progress != "":
		return "Left open · " + e.progress
	case !e.checked.IsZero():
		return "Left open · no result yet (checked " + e.checked.Format("15:04") + ")"
	}
	return "Left open, checking…"
}

// word is how the session ended, in capitals (block letters on the big
// screens), and its style.
func (e *deskEntry) word(s *ui.Styles) (string, lipgloss.Style) {
	switch e.state {
	case deskFinished:
		return outcomeWord(e.result), outcomeStyle(s, e.result.Outcome())
	case deskExpired:
		return "EXPIRED", s.Warning
	case deskEnded:
		return "ENDED", s.Warning
	case deskReplaced:
		return "REPLACED", s.Dim
	}
	return "OPEN", s.Normal
}

// open reports whether a customer may still finish the session at now.
func (e *deskEntry) open(now time.Time) bool {
	switch e.state {
	case deskWaiting, deskOpen, deskElsewhere, deskReplaced:
		return now.Before(e.session.ExpiresAt)
	}
	return false
}

// deskLog is the desk's list of sessions, newest first: this run's, then
// those read from the journal (by row id, a page at a time), and the one
// the ready screen announces.
type deskLog struct {
	entries []*deskEntry
	nRun    int // entries[:nRun] are this run's
	byGen   map[int]*deskEntry
	tokens  map[string]bool // the tokens listed
	last    *deskEntry

	cursor, offset int // the list's selected row and first shown row

	// earliest is the smallest row id of the journal's pages read so far
	// (the next page starts before it); more: there may be older ones.
	earliest int64
	more     bool
	loading  bool
}

func (g *deskLog) init() {
	if g.byGen == nil {
		g.byGen, g.tokens = make(map[int]*deskEntry), make(map[string]bool)
	}
}

// entry is the session tagged gen, nil when it is not on the list.
func (g *deskLog) entry(gen int) *deskEntry { return g.byGen[gen] }

// add puts a session of this run at the top of the list.
func (g *deskLog) add(e *deskEntry) {
	g.init()
	g.byGen[e.gen] = e
	g.tokens[e.session.Token] = true
	g.entries = slices.Insert(g.entries, 0, e)
	g.nRun++
	if len(g.entries) > 1 {
		g.cursor++ // the selected row stays selected
	}
}

// addJournal puts sessions read from the journal below this run's, in the
// order they were recorded, leaving out those already listed; newEntry
// makes the entries of the others, which it returns.
func (g *deskLog) addJournal(rows []journal.Session, newEntry func(journal.Session) *deskEntry) []*deskEntry {
	g.init()
	n := len(g.entries)
	for _, s := range rows {
		if g.tokens[s.Token] {
			continue
		}
		g.tokens[s.Token] = true
		e := newEntry(s)
		g.byGen[e.gen] = e
		g.entries = append(g.entries, e)
	}
	added := slices.Clone(g.entries[n:])
	// Open sessions come before the pages that hold them: keep row order.
	slices.SortStableFunc(g.entries[g.nRun:], func(a, b *deskEntry) int {
		switch {
		case a.id > b.id:
			return -1
		case a.id < b.id:
			return 1
		}
		return 0
	})
	return added
}

// openCount is how many sessions a customer may still be in at now.
func (g *deskLog) openCount(now time.Time) int {
	n := 0
	for _, e := range g.entries {
		if e.open(now) && e.state != deskReplaced && e.state != deskElsewhere {
			n++
		}
	}
	return n
}

// unchecked reports whether a left-open session's last poll got no
// answer.
func (g *deskLog) unchecked() bool {
	return slices.ContainsFunc(g.entries, func(e *deskEntry) bool { return e.state == deskOpen && e.unchecked != "" })
}

// selected is the list's selected session, nil when the list is empty.
func (g *deskLog) selected() *deskEntry {
	if g.cursor < 0 || g.cursor >= len(g.entries) {
		return nil
	}
	return g.entries[g.cursor]
}

// forget drops the names of the sessions no longer open that began before
// cutoff, as the journal wipes them.
func (g *deskLog) forget(cutoff, now time.Time) {
	for _, e := range g.entries {
		if e.at.Before(cutoff) && !e.open(now) && e.state != deskWaiting {
			e.who = sessionWho{}
		}
	}
}

// lastView is how the announced session ended, in a screen width×height:
// large when there is room. It names no customer: the next one may be
// looking at the screen.
func (g *deskLog) lastView(s *ui.Styles, width, height int, loc *time.Location, redact func(string) string) []string {
	e := g.last
	word, style := e.word(s)
	label := "Expired before the customer finished"
	if e.state == deskFinished {
		label = flow.Visible(redact(e.result.Label()))
	}
	var lines []string
	if height >= 20 {
		lines = bigWord(word, style, width)
	} else {
		lines = []string{style.Render("■ " + word)}
	}
	return append(lines, ui.Truncate(label, width),
		s.Dim.Render(ui.Truncate(fmt.Sprintf("Session …%s, started %s", tokenSuffix(e.session.Token), e.at.In(loc).Format("15:04")), width)))
}

// deskNameWidth is the width of the name column of the focused list.
const deskNameWidth = 18

// view lists the sessions in rows lines: when the list has the focus with
// a cursor and the customers' names, else without names (the next
// customer may be looking). journaled: the list comes from the journal.
func (g *deskLog) view(s *ui.Styles, width, rows int, focused, journaled bool, now time.Time, redact func(string) string) []string {
	if (len(g.entries) == 0 && !journaled) || rows < 2 {
		return nil
	}
	var head string
	switch {
	case !journaled:
		head = s.Header.Render(fmt.Sprintf("Sessions this run: %d", len(g.entries)))
	case len(g.entries) == 0:
		return []string{s.Header.Render("Sessions"), s.Dim.Render(ui.Truncate("  none yet in the journal", width))}
	default:
		head = s.Header.Render("Sessions")
		if n := g.openCount(now); n > 0 {
			head += s.Dim.Render(fmt.Sprintf(" · %d open", n))
		}
	}
	switch {
	case !focused && g.unchecked():
		head += s.Dim.Render(" · tab, then r: check again")
	case !focused:
		head += s.Dim.Render(" · tab: browse, reopen, copy a link")
	}
	lines := []string{ui.Truncate(head, width)}
	room := rows - 1
	if !focused {
		g.offset = 0
	}
	// The selected session's state in full under the list, when its row
	// cuts it (the customer's name takes room).
	var whole []string
	if e := g.selected(); focused && e != nil && ansi.StringWidth(g.rowText(e, true, now, redact)) > width-2 {
		whole = strings.Split(wrapText(flow.Visible(redact(e.label())), max(10, width-4)), "\n")
		whole = whole[:min(len(whole), 2)]
		if room-len(whole) < 2 {
			whole = nil // no room: the row's cut text will do
		}
		room -= len(whole)
	}
	// The line saying more are below takes a row only when a session's
	// row is left: the selected row matters more than the count.
	more := (g.more || len(g.entries) > g.offset+room) && room > 1
	if more {
		room--
	}
	g.offset = widget.ScrollToCursor(g.cursor, g.offset, max(1, room))
	if !focused {
		g.offset = 0
	}
	end := min(len(g.entries), g.offset+room)
	for i := g.offset; i < end; i++ {
		lines = append(lines, g.row(s, g.entries[i], focused && i == g.cursor, focused, width, now, redact))
	}
	if below := len(g.entries) - end; more && (below > 0 || g.more) {
		text := "  … more below"
		if below > 0 && !g.more {
			text = fmt.Sprintf("  … and %d earlier", below)
		}
		lines = append(lines, s.Dim.Render(text))
	}
	for _, l := range whole {
		lines = append(lines, s.Dim.Render(ui.Truncate("    "+l, width)))
	}
	return lines
}

// row is one session of the list: when it began, the customer (only in
// the focused list), the end of its token and where it stands.
func (g *deskLog) row(s *ui.Styles, e *deskEntry, selected, named bool, width int, now time.Time, redact func(string) string) string {
	line := ui.Truncate(g.rowText(e, named, now, redact), max(1, width-2))
	switch {
	case selected:
	case e.state == deskFinished:
		line = outcomeStyle(s, e.result.Outcome()).UnsetBold().Render(line)
	case e.state != deskWaiting && e.state != deskOpen:
		line = s.Dim.Render(line)
	}
	return widget.CursorRow(s, selected, line)
}

// rowText is a row's text, uncut and unstyled.
func (g *deskLog) rowText(e *deskEntry, named bool, now time.Time, redact func(string) string) string {
	at := e.at.In(now.Location())
	when := at.Format("15:04")
	if !sameDay(at, now) {
		when = at.Format("Jan 02")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%6s  ", when)
	if named {
		name := e.who.name
		if name == "" {
			name = e.who.clientUserID
		}
		if name == "" {
			name = "—"
		}
		b.WriteString(ui.PadRight(ui.Truncate(flow.Visible(name), deskNameWidth), deskNameWidth) + "  ")
	}
	b.WriteString("…" + tokenSuffix(e.session.Token) + "  " + flow.Visible(redact(e.label())))
	return b.String()
}
