package sandbox

import (
	"bytes"
	"cmp"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/identoflow/identoflow/api"
)

// web is the state of the sandbox's pages, besides the sessions: where
// the sandbox is reached, the guard against forged and cross-site forms
// and against token guessing, and the walks whose answers expire.
type web struct {
	reach    reach
	origins  *http.CrossOriginProtection
	guesses  *guessLimiter
	expiring expiring
	names    nameCache
}

// newWeb prepares the pages' state; an unusable public URL is logged and
// left out (CheckPublicURL lets a caller refuse it first).
func newWeb(publicURL string, log *slog.Logger) *web {
	wb := &web{guesses: newGuessLimiter()}
	if strings.TrimSpace(publicURL) != "" {
		u, err := CheckPublicURL(publicURL)
		if err != nil {
			log.Warn("public URL ignored: " + err.Error())
		}
		wb.reach.public = u
	}
	wb.origins = newCrossOrigin(wb.reach.public)
	return wb
}

// pageSession finds the session a page or form names, or answers for it:
// 429 when the client has named too many unknown tokens, 404 for an
// unknown token, 410 for an expired session (whose answers are dropped).
func (s *Server) pageSession(w http.ResponseWriter, r *http.Request, token string) (snapshot, bool) {
	now := s.now()
	s.web.expiring.sweep(now)
	client := guessClient(r)
	if wait := s.web.guesses.wait(client, now); wait > 0 {
		s.log.Info("page refused: too many unknown session tokens from one client")
		w.Header().Set("Retry-After", retryAfter(wait))
		s.writeMessage(w, r, http.StatusTooManyRequests, "Too many attempts", "Too many attempts",
			"This device named too many sessions that do not exist. Wait a minute, then open the session link again.")
		return snapshot{}, false
	}
	snap, ok := s.sessions.get(token, now)
	if !ok {
		s.web.guesses.failed(client, now)
		s.writeGone(w, r, false, words{})
		return snapshot{}, false
	}
	if snap.walk == nil { // sessions are made with one; never nil in practice
		snap.walk = newWalk(nil)
	}
	if snap.expired {
		snap.walk.mu.Lock()
		if !snap.walk.finished {
			snap.walk.drop()
		}
		snap.walk.mu.Unlock()
		s.writeGone(w, r, true, snap.walk.words())
		return snapshot{}, false
	}
	return snap, true
}

// handleWidget is GET /?session_token=T[&page=N]: the page the customer
// is on, or page N when they have reached it. Without a token it says
// what the sandbox is.
func (s *Server) handleWidget(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("session_token")
	if token == "" {
		s.writeMessage(w, r, http.StatusOK, "identoflow sandbox", "The identoflow sandbox is running",
			"It emulates the verification API offline. Create a session with POST "+api.BeginPath+", then open /?session_token=TOKEN here to walk through it as the customer would.",
			"Read the outcome with POST "+api.ResultPath+".")
		return
	}
	snap, ok := s.pageSession(w, r, token)
	if !ok {
		return
	}
	if snap.outcome != OutcomeInProgress {
		s.writeFinished(w, r, snap)
		return
	}
	page := -1
	if n, err := strconv.Atoi(q.Get("page")); err == nil {
		page = n
	}
	wk := snap.walk
	p := wk.getPlan()
	wk.mu.Lock()
	if err := wk.ensure(); err != nil {
		wk.mu.Unlock()
		s.internalError(w, r, err)
		return
	}
	if page < 0 || page > wk.reached || page > len(p.pages) {
		page = wk.at
	}
	wk.at, wk.opened = page, true
	view := s.pageCtx(&snap, wk, p, page).view()
	wk.mu.Unlock()
	s.writePage(w, r, http.StatusOK, pageCSP(snap.returnURL), view)
}

// handleComplete is POST /sandbox/complete?session_token=T from the
// outcome page: it records the outcome, then sends the browser to
// return_url with the token, or shows a page that posts DONE to its
// parent frame. The first outcome stands.
func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	snap, p, formTok, reached, ok := s.formSession(w, r)
	if !ok {
		return
	}
	form, err := readStepForm(w, r, formTok)
	if err != nil {
		s.refuseForm(w, r, err)
		return
	}
	ws := snap.walk.words()
	if snap.outcome == OutcomeInProgress && reached < len(p.pages) {
		s.writePage(w, r, http.StatusConflict, pageCSP(""), messagePage(ws, ws.T("Not finished"), ws.T("The steps are not finished"), "",
			ws.T("Go back to the session link and complete every step first.")))
		return
	}
	outcome := Outcome(form.get("outcome"))
	reason, err := outcomeReason(outcome, form.get("reason"), p.rejectReasons())
	if err != nil {
		s.writePage(w, r, http.StatusBadRequest, pageCSP(""), messagePage(ws, ws.T("Unknown outcome"), ws.T("Unknown outcome"), "",
			ws.T("Choose Approve, Reject or Manual check on the session page.")))
		return
	}
	snap, _, ok = s.finishWalk(snap.token, snap.walk, outcome, reason)
	if !ok || snap.expired {
		s.writeGone(w, r, ok, ws)
		return
	}
	s.writeCompleted(w, r, snap)
}

// outcomeReason checks an outcome and gives its reason: one of offered
// for a rejection (the first when reason names none of them), nil
// otherwise.
func outcomeReason(outcome Outcome, reason string, offered []RejectReason) (*RejectReason, error) {
	if err := checkOutcome(outcome); err != nil || outcome != OutcomeRejected {
		return nil, err
	}
	rr := rejectReason(offered, reason)
	return &rr, nil
}

// checkOutcome refuses an outcome the tester cannot choose.
func checkOutcome(outcome Outcome) error {
	switch outcome {
	case OutcomeApproved, OutcomeManualCheck, OutcomeRejected:
		return nil
	}
	return fmt.Errorf("unknown outcome %q: want %s, %s or %s", outcome, OutcomeApproved, OutcomeRejected, OutcomeManualCheck)
}

// finishWalk records a session's outcome (the first one stands) and marks
// its walk finished, so that its answers outlive the token for result/.
func (s *Server) finishWalk(token string, wk *walk, outcome Outcome, reason *RejectReason) (snap snapshot, changed, ok bool) {
	wk.mu.Lock()
	defer wk.mu.Unlock()
	snap, changed, ok = s.sessions.complete(token, outcome, reason, s.now())
	if changed {
		wk.finished, wk.at = true, len(wk.getPlan().pages)
		s.log.Info("session completed", "token", token, "outcome", string(outcome))
	}
	return snap, changed, ok
}

// writeCompleted sends the browser on after the outcome: to return_url,
// or to a page telling the embedding frame.
func (s *Server) writeCompleted(w http.ResponseWriter, r *http.Request, snap snapshot) {
	ws := snap.walk.words()
	if target, ok := returnTarget(snap.returnURL, snap.token); ok {
		w.Header().Set("Location", target)
		s.writePage(w, r, http.StatusSeeOther, pageCSP(snap.returnURL),
			messagePage(ws, ws.T("Returning"), ws.T("Returning to the application…"), outcomeLabel(ws, snap)))
		return
	}
	v := messagePage(ws, ws.T("Done"), ws.T("Done — you can close this page"), outcomeLabel(ws, snap),
		ws.T("If this page is embedded in another, that page has been told the session is finished (DONE)."))
	v.Done = true
	s.writePage(w, r, http.StatusOK, pageCSP(snap.returnURL), v)
}

// writeFinished is the page of a session whose outcome is chosen.
func (s *Server) writeFinished(w http.ResponseWriter, r *http.Request, snap snapshot) {
	ws := snap.walk.words()
	s.writePage(w, r, http.StatusOK, pageCSP(""), messagePage(ws, ws.T("Session finished"), ws.T("This session is finished"),
		outcomeLabel(ws, snap), ws.T("You can close this page.")))
}

// writeGone is the page for a token the sandbox does not hold (404) or
// whose time ran out (410), in the session's language when it is known.
func (s *Server) writeGone(w http.ResponseWriter, r *http.Request, known bool, ws words) {
	if known {
		s.writePage(w, r, http.StatusGone, pageCSP(""), messagePage(ws, ws.T("Session expired"), ws.T("This session has expired"), "",
			ws.T("Session links are valid for {1}. Create a new session and open its link.", s.ttl)))
		return
	}
	s.writeMessage(w, r, http.StatusNotFound, "Session not found", "This session does not exist",
		"The link may be mistyped, or the sandbox was restarted: sessions live in memory only. Create a new session.")
}

// messagePage is a page with a heading, maybe an outcome, and lines, in
// the language of ws (English for the zero words).
func messagePage(ws words, title, heading, outcome string, lines ...string) pageView {
	lang := cmp.Or(ws.lang, "en")
	return pageView{
		Lang: lang, Dir: dir(lang), W: ws, DocTitle: title, Heading: shown{Text: heading}, Foot: ws.T(pageFoot),
		Message: &messageBody{Outcome: outcome, Lines: lines},
	}
}

// writeMessage is a page in English: one shown where no session, so no
// language, is known.
func (s *Server) writeMessage(w http.ResponseWriter, r *http.Request, status int, title, heading string, lines ...string) {
	s.writePage(w, r, status, pageCSP(""), messagePage(words{}, title, heading, "", lines...))
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("page failed", "err", err)
	s.writeMessage(w, r, http.StatusInternalServerError, "Error", "Something went wrong", "Try again.")
}

// writePage renders a page. Pages may be framed (the widget is embedded
// in iframes) and send their URL, which holds the session token, only to
// the sandbox itself.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, csp string, view pageView) {
	var buf bytes.Buffer
	if err := pageTemplates().ExecuteTemplate(&buf, "layout", view); err != nil {
		// The templates and their data are the sandbox's own; this is a bug.
		s.log.Error("rendering a page failed", "err", err)
		s.writeJSON(w, r, http.StatusInternalServerError, errorBody{Error: "internal error"})
		return
	}
	// Same-origin rather than none: with no referrer at all, browsers send
	// "Origin: null" with a form, which the cross-origin check refuses.
	w.Header().Set("Referrer-Policy", "same-origin")
	s.send(w, r, status, "text/html; charset=utf-8", csp, buf.Bytes())
}

// outcomeLabel is the outcome as the pages show it, in the language of
// ws.
func outcomeLabel(ws words, snap snapshot) string {
	switch snap.outcome {
	case OutcomeApproved:
		return ws.T("Approved")
	case OutcomeManualCheck:
		return ws.T("Sent to manual check")
	case OutcomeRejected:
		if snap.reason != nil {
			return ws.T("Rejected: {1}", ws.T(snap.reason.Description))
		}
		return ws.T("Rejected")
	}
	return ws.T("In progress")
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

// formTargets is the form-action list of the pages: the sandbox itself,
// and return_url's origin because browsers hold the redirect after the
// outcome form's POST to the same rule.
func formTargets(returnURL string) string {
	targets := "'self'"
	if u, err := url.Parse(returnURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && cspSourceHost.MatchString(u.Host) {
		targets += " " + u.Scheme + "://" + u.Host
	}
	return targets
}
