package session

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// detailKey handles the keys of a reopened session's details: c copies
// its link, esc goes back to the list.
func (d *deskScreen) detailKey(km tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(km, d.keys.Copy):
		return widget.ClipboardCopy(d.l.cfg.WriteClipboard, d.detail.gen, d.detail.session.URL, "Link")
	case key.Matches(km, d.keys.Back):
		d.detail = nil
	}
	return nil
}

// detailView shows a reopened session that cannot be handed over again:
// how it stands (large), its result and reject reason, the customer, its
// link, times, server and flow.
func (d *deskScreen) detailView() string {
	e, s, w := d.detail, &d.common.Styles, d.width
	now := d.l.now()
	var lines []string
	if banner := launchBanner(d.common, d.l); banner != "" {
		lines = append(lines, banner)
	}
	lines = append(lines, s.Title.Render("Session …"+tokenSuffix(e.session.Token)), "")
	word, style := e.word(s)
	if d.height >= 20 && !d.common.Accessible { // accessible: the word, not block letters
		lines = append(lines, bigWord(word, style, w)...)
	} else {
		lines = append(lines, style.Render("■ "+word))
	}
	lines = append(lines, "", s.Title.Render(wrapText(flow.Visible(d.l.redact(e.label())), w)))
	if who := e.who.line(); who != "" {
		lines = append(lines, wrapText(flow.Visible(who), w))
	}
	lines = append(lines, "")
	const labelW = 9
	field := func(label, value string) {
		// The value wraps under itself.
		rows := strings.Split(wrapText(value, max(10, w-labelW)), "\n")
		for i, r := range rows {
			head := strings.Repeat(" ", labelW)
			if i == 0 {
				head = s.Dim.Render(fmt.Sprintf("%-*s", labelW, label))
			}
			lines = append(lines, head+r)
		}
	}
	// The link is shown whole (a clipboard may be out of reach): beside its
	// label when it fits, else under it, broken at the width with nothing
	// added inside it.
	if link := ui.Shown(e.session.URL); ansi.StringWidth(link) <= w-labelW {
		field("Link", s.Key.Render(link))
	} else {
		lines = append(lines, s.Dim.Render("Link"))
		lines = append(lines, strings.Split(wholeLinkLines(s, e.session.URL, w), "\n")...)
	}
	times := "started " + detailTime(e.at, now)
	switch {
	case !e.finished.IsZero() && e.state == deskFinished:
		times += " · result " + detailTime(e.finished, now) + " (after " + shortDuration(e.finished.Sub(e.at)) + ")"
	case e.state == deskEnded && !e.finished.IsZero():
		times += " · ended " + detailTime(e.finished, now)
	case now.Before(e.session.ExpiresAt):
		times += " · expires " + detailTime(e.session.ExpiresAt, now)
	default:
		times += " · expired " + detailTime(e.session.ExpiresAt, now)
	}
	field("Times", times)
	server := e.server
	if server == journal.Sandbox {
		server = "a built-in sandbox (on the computer that ran it)"
	}
	field("Server", flow.Visible(server))
	if e.flowFile != "" {
		field("Flow", flow.Visible(e.flowFile))
	}
	if e.open(now) && e.state != deskOpen {
		lines = append(lines, "", s.Dim.Render(wrapText("The customer may still finish this session, but this desk does not follow it.", w)))
	}
	lines = append(lines, "", s.Dim.Render("c copies the link · esc goes back"))
	return strings.Join(lines, "\n")
}

// detailTime is a time of a session's details: the clock time today, the
// date and time on another day.
func detailTime(t, now time.Time) string {
	t = t.In(now.Location())
	if sameDay(t, now) {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// sameDay reports whether t falls on now's date, where now is.
func sameDay(t, now time.Time) bool {
	y, m, d := t.In(now.Location()).Date()
	return y == now.Year() && m == now.Month() && d == now.Day()
}

// shortDuration is d to the second, without a zero tail: 4m, 4m30s, 1h5m.
func shortDuration(d time.Duration) string {
	t := d.Round(time.Second).String()
	if strings.HasSuffix(t, "m0s") {
		t = strings.TrimSuffix(t, "0s")
	}
	if strings.HasSuffix(t, "h0m") {
		t = strings.TrimSuffix(t, "0m")
	}
	return t
}
