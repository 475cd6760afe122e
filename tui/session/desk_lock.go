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

// schedule sets the lock check for when the desk would have been idle
// for after (0: never locks).
func (k *deskLock) schedule(after time.Duration, now time.Time) tea.Cmd {
	if after <= 0 {
		return nil
	}
	k.seq++
	seq := k.seq
	wait := max(time.Second, after-now.Sub(k.active))
	return tea.Tick(wait, func(time.Time) tea.Msg { return deskLockMsg{seq: seq} })
}

// check locks the desk when no key was pressed for after, else checks
// again when that will be so; locked says it just locked.
func (k *deskLock) check(msg deskLockMsg, after time.Duration, now time.Time) (cmd tea.Cmd, locked bool) {
	if msg.seq != k.seq || k.locked {
		return nil, false
	}
	if now.Sub(k.active) < after {
		return k.schedule(after, now), false
	}
	k.locked = true
	return nil, true
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
