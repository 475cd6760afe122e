package sandbox

import (
	"errors"
	"strconv"

	"github.com/identoflow/identoflow/flow"
)

// Progress is where a customer is in a session's walk-through, for the
// screens that wait while they go through it.
type Progress struct {
	// Opened is false until the customer opens the session link.
	Opened bool
	// Step is the page the customer is on, from 1; Steps+1 once every
	// step is done and the outcome is being chosen.
	Step, Steps int
	// Title is that step's title in the session's language (with a
	// "(en)"-style mark when it falls back to another), safe for a
	// terminal line: unsafe characters are escaped as by flow.Visible.
	Title string
	// Type is the step's type ("" on the outcome page).
	Type string
	// Language is the language the customer sees the pages in.
	Language string
	// Outcome is the outcome chosen, OutcomeInProgress until then.
	Outcome Outcome
	// Expired is true when the token ran out before an outcome was chosen.
	Expired bool
}

// String is one line for a status bar, e.g. "step 3 of 6 · About you".
func (p Progress) String() string {
	switch {
	case p.Outcome != OutcomeInProgress:
		return "finished · " + outcomeLabel(words{}, snapshot{session: session{outcome: p.Outcome}})
	case p.Expired:
		return "expired before the customer finished"
	case !p.Opened:
		return "waiting for the customer to open the link"
	case p.Step > p.Steps:
		if p.Steps == 0 {
			return "choosing the outcome"
		}
		return "all " + strconv.Itoa(p.Steps) + " steps done · choosing the outcome"
	}
	return "step " + strconv.Itoa(p.Step) + " of " + strconv.Itoa(p.Steps) + " · " + p.Title
}

// Progress reports where the customer of the session with token is; ok
// is false for a session the sandbox does not hold.
func (s *Server) Progress(token string) (p Progress, ok bool) {
	now := s.now()
	s.web.expiring.sweep(now)
	snap, ok := s.sessions.get(token, now)
	if !ok || snap.walk == nil {
		return Progress{}, false
	}
	wk := snap.walk
	plan := wk.getPlan()
	wk.mu.Lock()
	defer wk.mu.Unlock()
	p = Progress{Opened: wk.opened, Steps: len(plan.pages), Step: wk.at + 1, Outcome: snap.outcome, Expired: snap.expired, Language: wk.lang}
	if p.Language == "" {
		p.Language = plan.main
	}
	if wk.at < len(plan.pages) {
		spec := plan.pages[wk.at]
		p.Type = spec.typ
		p.Title = flow.Visible(plan.title(spec, p.Language).String())
	}
	return p, true
}

// Errors of Complete.
var (
	ErrUnknownSession = errors.New("the sandbox holds no such session")
	ErrSessionExpired = errors.New("the session expired before an outcome was chosen")
	ErrFinished       = errors.New("the session's outcome was already chosen")
)

// Complete chooses a session's outcome, as the outcome page does, without
// walking the pages: for a program that embeds the sandbox (and its
// tests). reason is the value of one of the reasons the session's
// outcome page offers (those of RejectReasons that fit its flow) and
// counts only for OutcomeRejected (the page's default when empty or not
// offered).
func (s *Server) Complete(token string, outcome Outcome, reason string) error {
	if err := checkOutcome(outcome); err != nil {
		return err
	}
	snap, ok := s.sessions.get(token, s.now())
	if !ok {
		return ErrUnknownSession
	}
	wk := snap.walk
	if wk == nil {
		wk = newWalk(nil)
	}
	rr, _ := outcomeReason(outcome, reason, wk.getPlan().rejectReasons())
	snap, changed, ok := s.finishWalk(token, wk, outcome, rr)
	switch {
	case !ok:
		return ErrUnknownSession
	case snap.expired:
		return ErrSessionExpired
	case !changed:
		return ErrFinished
	}
	return nil
}
