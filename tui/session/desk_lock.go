package session

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

// deskLock is the desk's idle lock: after Config.LockAfter without a key
// press it hides names and the QR code until a key is pressed. Sessions
// go on underneath.
type deskLock struct {
	locked bool
	active time.Time // the last key press
	seq    int       // the lock check that counts
}

// deskLockMsg checks whether the desk has been idle long enough.
type deskLockMsg struct{ seq int }

// touch records a key press at now; it reports whether the press unlocked
// the desk (and so is used up).
func (k *deskLock) touch(now time.Time) bool {
	k.active = now
	if !k.locked {
		return false
	}
	k.locked = false
	return true
}

// scheduleLock sets the lock check for when the desk would have been idle
// long enough.
func (d *deskScreen) scheduleLock() tea.Cmd {
	after := d.l.cfg.LockAfter
	if after <= 0 {
		return nil
	}
	d.lock.seq++
	seq := d.lock.seq
	wait := max(time.Second, after-d.l.now().Sub(d.lock.active))
	return tea.Tick(wait, func(time.Time) tea.Msg { return deskLockMsg{seq: seq} })
}

// lockCheck locks the desk when no key was pressed for LockAfter, else
// checks again when that will be so.
func (d *deskScreen) lockCheck(msg deskLockMsg) tea.Cmd {
	if msg.seq != d.lock.seq || d.lock.locked {
		return nil
	}
	if d.l.now().Sub(d.lock.active) < d.l.cfg.LockAfter {
		return d.scheduleLock()
	}
	d.lock.locked = true
	d.detail = nil // a reopened session's details name the customer
	return nil
}

// lockedView hides everything that names a customer or leads to a
// session; what goes on underneath is told in counts.
func (d *deskScreen) lockedView() string {
	s := &d.common.Styles
	var lines []string
	if banner := launchBanner(d.common, d.l); banner != "" {
		lines = append(lines, banner)
	}
	lines = append(lines, "",
		s.Title.Render(ui.Truncate("Desk locked", d.width)),
		s.Dim.Render(wrapText(fmt.Sprintf("No key was pressed for %s: names and the QR code are hidden. Press any key to go on.", shortDuration(d.l.cfg.LockAfter)), d.width)),
		"")
	now := d.l.now()
	if n := d.log.openCount(now); n > 0 {
		lines = append(lines, ui.Truncate(fmt.Sprintf("%d session(s) open; their results are still followed.", n), d.width))
	}
	if e := d.log.last; e != nil && e.state == deskFinished {
		word, style := e.word(s)
		lines = append(lines, ui.Truncate(style.Render("■ "+word)+s.Dim.Render(fmt.Sprintf(" · session …%s, started %s",
			tokenSuffix(e.session.Token), e.at.In(now.Location()).Format("15:04"))), d.width))
	}
	return strings.Join(lines, "\n")
}
