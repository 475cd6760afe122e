// Where the customer of a built-in sandbox session is, for the handoff:
// asked of the sandbox in process on the countdown's tick, shown under
// the countdown, and in accessible mode said in words, a change once.

package session

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// customerProgress is what a handoff knows of where its customer is.
type customerProgress struct {
	at    sandbox.Progress
	known bool         // the built-in sandbox holds the session
	said  progressMark // the state last said (accessible mode)
}

// progressMark is what makes a change worth saying: the customer opened
// the link, moved to another step, finished, or the session expired.
type progressMark struct {
	opened      bool
	step, steps int
	outcome     sandbox.Outcome
	expired     bool
}

func markOf(p sandbox.Progress) progressMark {
	return progressMark{opened: p.Opened, step: p.Step, steps: p.Steps, outcome: p.Outcome, expired: p.Expired}
}

// watchProgress asks the built-in sandbox where the customer is (a call
// in process, cheap enough for every tick). In accessible mode a change
// is said in the status line, once; the first state is on the screen.
func (h *handoff) watchProgress() tea.Cmd {
	p, ok := h.l.progress(h.session.Token)
	if !ok {
		h.progress = customerProgress{}
		return nil
	}
	first := !h.progress.known
	h.progress.at, h.progress.known = p, true
	mark := markOf(p)
	if first || mark == h.progress.said {
		h.progress.said = mark
		return nil
	}
	h.progress.said = mark
	if !h.common.Accessible {
		return nil
	}
	return ui.Status(progressWords(p))
}

// progressLine is where the customer is, for the line under the
// countdown: "Customer: step 3 of 6 · About you".
func progressLine(p sandbox.Progress) string {
	switch {
	case p.Expired && p.Outcome == sandbox.OutcomeInProgress:
		return "Expired before the customer finished"
	case !p.Opened && p.Outcome == sandbox.OutcomeInProgress:
		return "The customer has not opened the link yet"
	}
	return "Customer: " + flow.Visible(p.String())
}

// progressWords is where the customer is, in a sentence.
func progressWords(p sandbox.Progress) string {
	switch {
	case p.Outcome != sandbox.OutcomeInProgress:
		return "The customer has finished."
	case p.Expired:
		return "The session expired before the customer finished."
	case !p.Opened:
		return "The customer has not opened the link yet."
	case p.Step > p.Steps:
		return "The customer has done every step and is choosing the outcome."
	}
	return fmt.Sprintf("The customer is on step %d of %d: %s.", p.Step, p.Steps, flow.Visible(p.Title))
}
