// Launching, the handoff and the desk in words, for accessible mode
// (ui.Describer), and the handoff without its QR code until q shows it.

package session

import (
	"fmt"
	"strings"
	"time"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
)

// spokenView is a live session in words: the link on lines of its own,
// when it expires, and how to show the code. A screen reader would read
// the code's blocks one by one, so it is drawn only on q.
func (h handoffLayout) spokenView() string {
	head, _ := h.infoParts(h.width, false)
	s := &h.common.Styles
	lines := []string{}
	if banner := launchBanner(h.common, h.l); banner != "" {
		lines = append(lines, banner)
	}
	lines = append(lines, head...)
	lines = append(lines, wholeLinkLines(s, h.session.URL, h.width), "", h.spokenCountdown())
	switch {
	case h.pollErr != "":
		lines = append(lines, s.Error.Render(wrapText(h.pollErr, h.width)))
	case h.expiring:
		lines = append(lines, "Time is up: checking for a last result.")
	case h.customerFinished():
		lines = append(lines, wrapText(customerFinishedWords, h.width))
	default:
		lines = append(lines, "Waiting for the customer to finish.")
	}
	if h.progress.known {
		lines = append(lines, s.Info.Render(wrapText(progressWords(h.progress.at), h.width)))
	}
	if h.flash != "" {
		lines = append(lines, h.flash)
	}
	lines = append(lines, "", wrapText("The QR code is not drawn, so that it is not read out; press q to show it for the customer's phone.", h.width))
	return strings.Join(h.keepFlash(strings.Split(strings.Join(lines, "\n"), "\n"), h.height, h.width), "\n")
}

// spokenCountdown says when the session expires, to the minute: a line
// that changed every second would be read out every second.
func (h handoffLayout) spokenCountdown() string {
	at := h.session.ExpiresAt.Format("15:04:05")
	left := h.remaining()
	switch {
	case left <= 0:
		return "Expired at " + at + "."
	case left < time.Minute:
		return "Expires at " + at + ", in less than a minute."
	}
	mins := int((left + time.Minute - 1) / time.Minute)
	if mins == 1 {
		return "Expires at " + at + ", in about 1 minute."
	}
	return fmt.Sprintf("Expires at %s, in about %d minutes.", at, mins)
}

// describe says where the session stands.
func (h *handoff) describe() string {
	who := ""
	if line := h.who.line(); line != "" {
		who = " " + strings.ToLower(line[:1]) + line[1:]
	}
	switch {
	case h.result != nil:
		return fmt.Sprintf("The session%s ended: %s. r creates a new session, esc goes back.",
			flow.Visible(who), endedWords(*h.result, h.l.redact))
	case h.expired:
		return "The session" + flow.Visible(who) + " expired before the customer finished. r creates a new session, esc goes back."
	case h.showQR:
		return "" // the code needs every row; the texts beside it say the rest
	}
	where := "The customer scans the QR code with the phone's camera or opens the link."
	if h.l.sandboxMode() {
		switch h.l.sandbox.scope() {
		case sandbox.ScopeLoopback:
			where = "Open the link in a browser on this computer."
		case sandbox.ScopeLAN:
			where = "A phone on this network scans the QR code or opens the link."
		}
	}
	if note := phoneNote(h.l, h.session.URL, h.desk); note != "" {
		where = "Open the link in a browser on this computer. " + note
	}
	said := "Session" + flow.Visible(who) + " ready. " + where + " "
	if h.progress.known {
		said += progressWords(h.progress.at) + " "
	}
	return said + "q shows the QR code, c copies the link."
}

// endedWords say how a session ended: the outcome, and the result's label
// where it says more ("rejected: The face does not match…"); a label that
// begins with the outcome is not said twice ("manual check", not "manual
// check. Manual check").
func endedWords(r api.Result, redact func(string) string) string {
	word := strings.ToLower(outcomeWord(r))
	label := strings.TrimSuffix(flow.Visible(redact(r.Label())), ".")
	if len(label) >= len(word) && strings.EqualFold(label[:len(word)], word) {
		return word + label[len(word):]
	}
	return word + ". " + label
}

// describe says what the runner is doing.
func (r *sessionRunner) describe() string {
	switch r.phase {
	case runnerAsking:
		return "Answering where sessions go on the terminal."
	case runnerBeginning:
		return "Creating the session at " + flow.Visible(r.l.server()) + ". Esc cancels."
	case runnerFailed:
		f := r.failure
		s := "Error: " + strings.TrimSuffix(flow.Visible(f.title), ".") + "."
		if f.hint != "" {
			s += " " + flow.Visible(f.hint)
		}
		return s
	case runnerHandoff:
		return r.hand.describe()
	}
	return ""
}

// Describe says what the launch screen is doing.
func (s *launchScreen) Describe() string { return s.run.describe() }

// Describe says the desk's state: locked, the session under way or
// reopened, the session selected in the list, or the field being typed
// into for the next customer.
func (d *deskScreen) Describe() string {
	switch {
	case d.lock.locked:
		return "Desk locked: names and the QR code are hidden. Press any key to go on."
	case d.run.phase != runnerIdle:
		return d.run.describe()
	case d.detail != nil:
		e := d.detail
		word, _ := e.word(&d.common.Styles)
		return fmt.Sprintf("Session ending %s: %s, %s. c copies its link, esc goes back.",
			tokenSuffix(e.session.Token), strings.ToLower(word), strings.TrimSuffix(flow.Visible(d.l.redact(e.label())), "."))
	case d.focus == deskFocusList:
		e := d.log.selected()
		if e == nil {
			return "The list of sessions is empty; tab goes to the next customer's fields."
		}
		who := e.who.name
		if who == "" {
			who = e.who.clientUserID
		}
		if who == "" {
			who = "no name"
		}
		return fmt.Sprintf("Sessions, %d of %d: %s, begun %s, %s, selected. Enter reopens it, c copies its link, tab goes to the next customer's fields.",
			d.log.cursor+1, len(d.log.entries), flow.Visible(who), e.at.In(d.l.now().Location()).Format("15:04"),
			strings.TrimSuffix(flow.Visible(d.l.redact(e.label())), "."))
	}
	labels := [...]string{deskFocusName: "Name", deskFocusID: "Client user ID"}
	value := d.fields[d.focus].Value()
	typed := "empty"
	if value != "" {
		typed = fmt.Sprintf("%q", flow.Visible(value))
	}
	s := "Ready for the next customer."
	if e := d.log.last; e != nil {
		word, _ := e.word(&d.common.Styles)
		s = "The last session ended: " + strings.ToLower(word) + ". " + s
	}
	next := "Client user ID"
	switch {
	case d.focus == deskFocusID && len(d.log.entries) > 0:
		next = "the list of sessions"
	case d.focus == deskFocusID:
		next = "Name"
	}
	return fmt.Sprintf("%s Typing in %s, %s, optional; tab goes to %s; enter creates the session.", s, labels[d.focus], typed, next)
}
