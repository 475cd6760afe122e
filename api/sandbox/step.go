package sandbox

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// handleStep is POST /sandbox/step?session_token=T&page=N: a page's form.
// The form must come from the sandbox's own pages (same origin, the
// session's anti-forgery token). What it holds is checked; the browser is
// then sent (303) to the next page, or back to this one to correct it.
func (s *Server) handleStep(w http.ResponseWriter, r *http.Request) {
	snap, p, formTok, reached, ok := s.formSession(w, r)
	if !ok {
		return
	}
	if snap.outcome != OutcomeInProgress {
		s.writeFinished(w, r, snap)
		return
	}
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 0 || page > len(p.pages) || page > reached {
		// Not a page of this walk, or one not reached yet: back to where
		// the customer is, before reading any of the form.
		s.seeOther(w, r, pageURL(snap.token, -1))
		return
	}
	form, err := readStepForm(w, r, formTok)
	if err != nil {
		s.refuseForm(w, r, err)
		return
	}
	wk := snap.walk
	wk.mu.Lock()
	next := -1
	if !wk.dropped {
		c := s.pageCtx(&snap, wk, p, page)
		next = c.submit(form)
		s.web.expiring.track(wk, snap.expiresAt)
	}
	wk.mu.Unlock()
	s.seeOther(w, r, pageURL(snap.token, next))
}

// formSession starts on a posted form, before its body is read: the form
// must come from the sandbox's own origin and name a session in its URL.
// It returns the session, its plan, its anti-forgery token and the
// furthest page reached; ok is false when it has answered.
func (s *Server) formSession(w http.ResponseWriter, r *http.Request) (snap snapshot, p *plan, formTok string, reached int, ok bool) {
	if err := s.web.origins.Check(r); err != nil {
		s.log.Info("form refused: sent from another site")
		s.writeMessage(w, r, http.StatusForbidden, "Form refused", "This form was sent from another site",
			"The sandbox only accepts its own forms. Open the session link again.")
		return snap, nil, "", 0, false
	}
	snap, ok = s.pageSession(w, r, r.URL.Query().Get("session_token"))
	if !ok {
		return snap, nil, "", 0, false
	}
	wk := snap.walk
	p = wk.getPlan()
	wk.mu.Lock()
	err := wk.ensure()
	formTok, reached = wk.formTok, wk.reached
	wk.mu.Unlock()
	if err != nil {
		s.internalError(w, r, err)
		return snap, nil, "", 0, false
	}
	return snap, p, formTok, reached, true
}

// refuseForm answers a form that could not be taken at all.
func (s *Server) refuseForm(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errForged) {
		s.log.Info("form refused: no valid anti-forgery token")
		s.writeMessage(w, r, http.StatusForbidden, "Form refused", "This form cannot be accepted", err.Error())
		return
	}
	status := http.StatusBadRequest
	var fe *formError
	if errors.As(err, &fe) {
		status = fe.status
	}
	s.log.Info("form refused", "status", status)
	s.writeMessage(w, r, status, "Form refused", "This form cannot be accepted", err.Error()+". Go back and try again.")
}

func (s *Server) seeOther(w http.ResponseWriter, r *http.Request, target string) {
	w.Header().Set("Location", target)
	s.send(w, r, http.StatusSeeOther, "text/plain; charset=utf-8", s.cspAPI, nil)
}

// pageCtx prepares page i of a walk whose lock is held.
func (s *Server) pageCtx(snap *snapshot, wk *walk, p *plan, i int) *pageCtx {
	c := &pageCtx{s: s, snap: snap, w: wk, p: p, i: i, lang: wk.lang, words: wordsFor(wk.lang)}
	if i < len(p.pages) {
		c.spec = p.pages[i]
		c.entry = wk.entry(i)
	}
	return c
}

// submit takes a page's form and returns the page to show next.
func (c *pageCtx) submit(f *stepForm) int {
	if f.get("action") == "language" {
		if l := f.get("lang"); slices.Contains(c.p.langs, l) {
			c.w.lang, c.lang, c.words = l, l, wordsFor(l)
		}
		return c.i
	}
	if c.i >= len(c.p.pages) { // the outcome page posts only its language here
		return c.i
	}
	return stepPageOf(c.spec.typ).submit(c, f)
}

// submission is a page's values and files on their way to being kept.
type submission struct {
	values map[string][]string
	files  map[string][]fileInfo
	errors []string
}

func (c *pageCtx) newSubmission() *submission {
	return &submission{values: map[string][]string{}, files: map[string][]fileInfo{}}
}

func (sub *submission) set(name string, vals ...string) {
	if len(vals) > 0 {
		sub.values[name] = vals
	}
}

func (sub *submission) fail(msg string) { sub.errors = append(sub.errors, msg) }

// text takes a one-line or multi-line text field, trimmed and bounded;
// name is the field's name on the page.
func (c *pageCtx) text(sub *submission, f *stepForm, field, name string) string {
	v := strings.TrimSpace(f.get(field))
	if utf8.RuneCountInString(v) > maxTextRunes {
		sub.fail(c.t("{1}: at most {2} characters", name, maxTextRunes))
		v = string([]rune(v)[:maxTextRunes])
	}
	sub.set(field, v)
	return v
}

// takeFiles takes the files of a field: newly sent ones, else those kept
// from before. ok checks a file's type; at most max are taken.
func (c *pageCtx) takeFiles(sub *submission, f *stepForm, field, what string, ok func(fileInfo) bool, typeHint string, max int) []fileInfo {
	files := f.files[field]
	if len(files) == 0 {
		files = c.entry.shownFiles(field)
	}
	for _, fi := range files {
		if !ok(fi) {
			sub.fail(c.t("{1}: {2} (this file is {3})", what, typeHint, fi.ContentType))
			return nil
		}
	}
	if len(files) > max {
		sub.fail(c.t("{1}: {2} files chosen, at most {3}", what, len(files), max))
		return nil
	}
	if len(files) > 0 {
		sub.files[field] = slices.Clone(files)
	}
	return files
}

// finish keeps an accepted submission and moves on, or keeps a submission
// with problems as a draft to show again with them.
func (c *pageCtx) finish(sub *submission) int {
	if len(sub.errors) > 0 {
		c.entry.draft, c.entry.draftFiles, c.entry.errors = sub.values, sub.files, sub.errors
		return c.i
	}
	c.entry.values, c.entry.files = sub.values, sub.files
	c.entry.draft, c.entry.draftFiles = nil, nil
	return c.advance()
}

// advance marks the page done and opens the next.
func (c *pageCtx) advance() int {
	c.entry.done = true
	c.w.at = c.i + 1
	c.w.reached = max(c.w.reached, c.i+1)
	return c.i + 1
}
