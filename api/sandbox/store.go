package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Outcome is what the tester chose on the widget page.
type Outcome string

// Outcomes, as result/ reports them in its "result" field.
const (
	OutcomeInProgress  Outcome = "in_progress"
	OutcomeApproved    Outcome = "approved"
	OutcomeRejected    Outcome = "rejected"
	OutcomeManualCheck Outcome = "manual_check"
)

// RejectReason is a reason offered on the widget page for a rejection.
type RejectReason struct {
	Value       string `json:"value"`
	Description string `json:"description"`
}

// RejectReasons are the reasons the widget page offers, the first being
// the default.
func RejectReasons() []RejectReason {
	return []RejectReason{
		{"DOCUMENT_EXPIRED", "The identity document has expired"},
		{"FACE_MISMATCH", "The face does not match the document photo"},
		{"LIVENESS_FAILED", "The liveness check failed"},
		{"DOCUMENT_UNREADABLE", "The document could not be read"},
		{"SUSPECTED_FRAUD", "The document appears to be tampered with"},
	}
}

func rejectReason(value string) (RejectReason, bool) {
	for _, r := range RejectReasons() {
		if r.Value == value {
			return r, true
		}
	}
	return RejectReason{}, false
}

// pageStep is a step as the widget page lists it.
type pageStep struct {
	Title  string
	Type   string
	Nested []pageStep // a video call's own steps
}

// session is one begin/ call. Only the store's methods touch its mutable
// fields (outcome, reason, completedAt), under the store's lock.
type session struct {
	token     string
	company   [sha256.Size]byte // digest of the creating company key
	createdAt time.Time
	expiresAt time.Time

	// What the page and result/ show, fixed at creation.
	name      string
	lang      string
	returnURL string
	configID  string
	steps     []pageStep
	walk      *walk // the customer's pages and answers; shared by snapshots

	outcome     Outcome
	reason      *RejectReason
	completedAt time.Time
}

// snapshot is a copy of a session's state, safe to read without the lock.
type snapshot struct {
	session
	expired bool // unfinished and past its token's validity
}

// errStoreFull means every stored session is live: no room for a new one.
var errStoreFull = errors.New("too many live sessions")

// store holds the sessions, bounded: an expired unfinished session is kept
// expiredRetention (result/ answers 410), a finished one resultRetention;
// when the store is full these go first, oldest first, and only live
// sessions cause a refusal.
type store struct {
	mu   sync.Mutex
	max  int
	byID map[string]*session
	// begun lists tokens in creation order, finished in completion order.
	// As both orders follow the clock, the sessions to drop are at the front.
	begun    fifo
	finished fifo
}

func newStore(max int) *store {
	return &store{max: max, byID: make(map[string]*session)}
}

func (st *store) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.byID)
}

// add stores s under a fresh token and returns the token. When the store
// is full of live sessions it returns errStoreFull and how long until the
// oldest live one expires.
func (st *store) add(s *session, now time.Time) (string, time.Duration, error) {
	token, err := newToken()
	if err != nil {
		return "", 0, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.prune(now, false)
	if len(st.byID) >= st.max {
		st.prune(now, true)
	}
	if len(st.byID) >= st.max {
		wait := time.Second
		if front, ok := st.byID[st.begun.peek()]; ok {
			wait = max(front.expiresAt.Sub(now), time.Second)
		}
		return "", wait, errStoreFull
	}
	for st.byID[token] != nil { // 36^40 tokens: a clash is practically impossible
		if token, err = newToken(); err != nil {
			return "", 0, err
		}
	}
	s.token = token
	s.outcome = OutcomeInProgress
	st.byID[token] = s
	st.begun.push(token)
	return token, 0, nil
}

// prune drops the sessions past their retention; under pressure it also
// drops every session that is no longer live (expired or finished).
func (st *store) prune(now time.Time, pressure bool) {
	for st.begun.len() > 0 {
		s, ok := st.byID[st.begun.peek()]
		switch {
		case !ok || s.outcome != OutcomeInProgress:
			// Gone, or finished and now tracked in finished.
		case pressure && !now.Before(s.expiresAt), now.Sub(s.expiresAt) >= expiredRetention:
			delete(st.byID, s.token)
		default:
			return
		}
		st.begun.pop()
	}
	for st.finished.len() > 0 {
		s, ok := st.byID[st.finished.peek()]
		if ok && !pressure && now.Sub(s.completedAt) < resultRetention {
			break
		}
		if ok {
			delete(st.byID, s.token)
		}
		st.finished.pop()
	}
}

// get returns a copy of the session with token.
func (st *store) get(token string, now time.Time) (snapshot, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.byID[token]
	if !ok {
		return snapshot{}, false
	}
	return st.snap(s, now), true
}

func (st *store) snap(s *session, now time.Time) snapshot {
	snap := snapshot{session: *s}
	if s.reason != nil {
		r := *s.reason
		snap.reason = &r
	}
	snap.expired = s.outcome == OutcomeInProgress && !now.Before(s.expiresAt)
	return snap
}

// complete records the outcome of a live session and reports whether it
// did. The first outcome stands: completing again changes nothing.
func (st *store) complete(token string, outcome Outcome, reason *RejectReason, now time.Time) (snap snapshot, changed, ok bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.byID[token]
	if !ok {
		return snapshot{}, false, false
	}
	if s.outcome == OutcomeInProgress && now.Before(s.expiresAt) {
		s.outcome = outcome
		s.reason = reason
		s.completedAt = now
		st.finished.push(token)
		changed = true
	}
	return st.snap(s, now), changed, true
}

// tokenAlphabet is the vendor's token alphabet: lower-case letters and digits.
const tokenAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// TokenLength is the length of a session token.
const TokenLength = 40

// newToken returns TokenLength characters of tokenAlphabet from
// crypto/rand, without modulo bias: bytes at or above 252 (7×36) are
// skipped.
func newToken() (string, error) {
	const limit = 256 - 256%len(tokenAlphabet)
	out := make([]byte, 0, TokenLength)
	var buf [64]byte
	for len(out) < TokenLength {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("generating a session token: %w", err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, tokenAlphabet[int(b)%len(tokenAlphabet)])
			if len(out) == TokenLength {
				break
			}
		}
	}
	return string(out), nil
}

// fifo is a queue of tokens; the dropped front is reclaimed as it grows.
type fifo struct {
	items []string
	head  int
}

func (q *fifo) len() int { return len(q.items) - q.head }

func (q *fifo) push(s string) {
	if q.head > 0 && q.head >= len(q.items)/2 {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items = q.items[:n]
		q.head = 0
	}
	q.items = append(q.items, s)
}

func (q *fifo) peek() string {
	if q.len() == 0 {
		return ""
	}
	return q.items[q.head]
}

func (q *fifo) pop() {
	if q.len() == 0 {
		return
	}
	q.items[q.head] = ""
	q.head++
}
