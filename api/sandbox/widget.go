package sandbox

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// handleWidget is GET /?session_token=T: the session's steps and the
// outcome buttons. Without a token it says what the sandbox is.
func (s *Server) handleWidget(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("session_token")
	if token == "" {
		s.writePage(w, r, http.StatusOK, messagePage, s.cspPage, messageView{
			Title:   "identoflow sandbox",
			Heading: "The identoflow sandbox is running",
			Lines: []string{
				"It emulates the verification API offline. Create a session with POST " + api.BeginPath + ", then open /?session_token=TOKEN here to pick its outcome.",
				"Read the outcome with POST " + api.ResultPath + ".",
			},
		})
		return
	}
	now := s.now()
	snap, ok := s.sessions.get(token, now)
	if !ok || snap.expired {
		s.writeGone(w, r, ok)
		return
	}
	if snap.outcome != OutcomeInProgress {
		s.writePage(w, r, http.StatusOK, messagePage, s.cspPage, messageView{
			Title:   "Session finished",
			Heading: "This session is finished",
			Outcome: outcomeLabel(snap),
			Lines:   []string{"You can close this page."},
		})
		return
	}
	heading := snap.name
	if heading == "" {
		heading = "Verification session"
	}
	view := sessionView{
		Title:     heading,
		Heading:   heading,
		Lang:      snap.lang,
		LangName:  flow.LanguageName(snap.lang),
		Remaining: remaining(snap.expiresAt.Sub(now)),
		Steps:     snap.steps,
		ConfigID:  snap.configID,
		Token:     snap.token,
		Action:    completePath,
		Reasons:   RejectReasons(),
		ReturnURL: snap.returnURL,
	}
	s.writePage(w, r, http.StatusOK, sessionPage, s.cspPage+"; form-action "+formTargets(snap.returnURL), view)
}

// handleComplete is POST /sandbox/complete from the page's form: it
// records the outcome, then sends the browser to return_url with the
// token, or shows a page that posts DONE to its parent frame.
func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		s.refuse(w, r, "complete", err)
		return
	}
	fields, err := parseFormFields(string(body))
	if err != nil {
		s.refuse(w, r, "complete", err)
		return
	}
	form := make(map[string]string, len(fields))
	for _, f := range fields {
		if _, seen := form[f.name]; !seen {
			form[f.name] = f.value
		}
	}
	outcome := Outcome(form["outcome"])
	var reason *RejectReason
	switch outcome {
	case OutcomeApproved, OutcomeManualCheck:
	case OutcomeRejected:
		rr, ok := rejectReason(form["reason"])
		if !ok {
			rr = RejectReasons()[0]
		}
		reason = &rr
	default:
		s.writePage(w, r, http.StatusBadRequest, messagePage, s.cspPage, messageView{
			Title:   "Unknown outcome",
			Heading: "Unknown outcome",
			Lines:   []string{"Choose Approve, Reject or Manual check on the session page."},
		})
		return
	}
	token := form["session_token"]
	now := s.now()
	snap, changed, ok := s.sessions.complete(token, outcome, reason, now)
	if !ok || snap.expired {
		s.writeGone(w, r, ok)
		return
	}
	if changed {
		s.log.Info("session completed", "token", snap.token, "outcome", string(outcome))
	}
	if target, ok := returnTarget(snap.returnURL, snap.token); ok {
		w.Header().Set("Location", target)
		s.writePage(w, r, http.StatusSeeOther, messagePage, s.cspPage, messageView{
			Title:   "Returning",
			Heading: "Returning to the application…",
			Outcome: outcomeLabel(snap),
		})
		return
	}
	s.writePage(w, r, http.StatusOK, messagePage, s.cspPage, messageView{
		Title:   "Done",
		Heading: "Done — you can close this page",
		Outcome: outcomeLabel(snap),
		Lines:   []string{"If this page is embedded in another, that page has been told the session is finished (DONE)."},
		Done:    true,
	})
}

// writeGone is the page for a token the sandbox does not hold (404) or
// whose time ran out (410).
func (s *Server) writeGone(w http.ResponseWriter, r *http.Request, known bool) {
	if known {
		s.writePage(w, r, http.StatusGone, messagePage, s.cspPage, messageView{
			Title:   "Session expired",
			Heading: "This session has expired",
			Lines:   []string{"Session links are valid for " + s.ttl.String() + ". Create a new session and open its link."},
		})
		return
	}
	s.writePage(w, r, http.StatusNotFound, messagePage, s.cspPage, messageView{
		Title:   "Session not found",
		Heading: "This session does not exist",
		Lines:   []string{"The link may be mistyped, or the sandbox was restarted: sessions live in memory only. Create a new session."},
	})
}

func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, t *template.Template, csp string, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		// The templates and their data are the sandbox's own; this is a bug.
		s.log.Error("rendering a page failed", "err", err)
		s.writeJSON(w, r, http.StatusInternalServerError, errorBody{Error: "internal error"})
		return
	}
	s.send(w, r, status, "text/html; charset=utf-8", csp, buf.Bytes())
}

// outcomeLabel is the outcome as the pages show it.
func outcomeLabel(snap snapshot) string {
	switch snap.outcome {
	case OutcomeApproved:
		return "Approved"
	case OutcomeManualCheck:
		return "Sent to manual check"
	case OutcomeRejected:
		if snap.reason != nil {
			return "Rejected: " + snap.reason.Description
		}
		return "Rejected"
	}
	return "In progress"
}

// remaining renders a duration for people: "14 min", "40 s".
func remaining(d time.Duration) string {
	if d >= time.Minute {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d s", int(d/time.Second))
}

// returnTarget is return_url with session_token=TOKEN added to its query,
// other parameters kept in order (an old session_token is replaced). ok
// is false without a usable absolute http(s) URL.
func returnTarget(returnURL, token string) (string, bool) {
	if returnURL == "" {
		return "", false
	}
	u, err := url.Parse(returnURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	var kept []string
	for piece := range strings.SplitSeq(u.RawQuery, "&") {
		name, _, _ := strings.Cut(piece, "=")
		if n, err := url.QueryUnescape(name); piece == "" || (err == nil && n == "session_token") {
			continue
		}
		kept = append(kept, piece)
	}
	kept = append(kept, "session_token="+url.QueryEscape(token))
	u.RawQuery = strings.Join(kept, "&")
	u.ForceQuery = false
	return u.String(), true
}

// cspSourceHost matches what can safely go into a CSP source expression.
var cspSourceHost = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$`)

// formTargets is the form-action list of the session page: the sandbox
// itself, and return_url's origin because browsers hold the redirect
// after the form's POST to the same rule.
func formTargets(returnURL string) string {
	targets := "'self'"
	if u, err := url.Parse(returnURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && cspSourceHost.MatchString(u.Host) {
		targets += " " + u.Scheme + "://" + u.Host
	}
	return targets
}
