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

// session is one begin/ call. Only the store's methods touch its mutable
// fields (outcome, reason, completedAt and the store's bookkeeping),
// under the store's lock.
type session struct {
	token     string
	company   [sha256.Size]byte // digest of the creating company key
	createdAt time.Time
	expiresAt time.Time

	// What the page and result/ show, fixed at creation.
	name      string
	returnURL string
	walk      *walk // the customer's pages and answers; shared by snapshots

	outcome     Outcome
	reason      *RejectReason
	completedAt time.Time

	// The store's bookkeeping.
	client string // the network client that created it ("" for this machine)
	live   bool   // counted among the live sessions: in progress and not yet expired
}

// snapshot is a copy of a session's state, safe to read without the lock.
type snapshot struct {
	session
	expired bool // unfinished and past its token's validity
}

// Refusals of add: no room for another live session.
var (
	errStoreFull  = errors.New("too many live sessions")
	errClientFull = errors.New("too many live sessions from this client")
)

// store holds the sessions in three tiers, each bounded by max:
//
//   - live: in progress and within their token's validity. Only these
//     cause refusals: past max of them, or past perClient of them for one
//     client on the network, add refuses.
//   - expired: unfinished past their validity, remembered
//     expiredRetention so that result/ answers 410 rather than 404.
//   - finished: completed, readable for resultRetention.
//
// A session leaves the expired or finished tier after its retention, or
// earlier, oldest first, when max newer ones have joined that tier.
// Finishing or expiring moves a session out of the live tier at once, so
// neither a live session nor a full tier of results blocks new sessions.
type store struct {
	mu        sync.Mutex
	max       int
	perClient int // live sessions one network client may hold; 0: no limit
	byID      map[string]*session
	// live lists tokens in creation order, which is expiry order (one
	// token validity for all), expired in expiry order and finished in
	// completion order; so what leaves a tier first is at its front.
	// live may still list sessions that finished; they are skipped.
	live      fifo
	expired   fifo
	finished  fifo
	liveCount int
	clients   map[string]*clientSessions // clients holding live sessions
}

// clientSessions are one network client's live sessions.
type clientSessions struct {
	live   int
	tokens fifo // in creation order; may list sessions no longer live
}

func newStore(maxPerTier, perClient int) *store {
	return &store{
		max:       maxPerTier,
		perClient: max(perClient, 0),
		byID:      make(map[string]*session),
		clients:   make(map[string]*clientSessions),
	}
}

func (st *store) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.byID)
}

// room reports whether client could add a live session now, and if not,
// how long until one of the sessions in the way expires. It reserves
// nothing: add decides.
func (st *store) room(client string, now time.Time) (time.Duration, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	return st.roomFor(client, now)
}

// add stores s, a live session of s.client, under a fresh token and
// returns the token. With no room it returns errStoreFull or
// errClientFull and how long until a session in the way expires.
func (st *store) add(s *session, now time.Time) (string, time.Duration, error) {
	token, err := newToken()
	if err != nil {
		return "", 0, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance(now)
	if wait, err := st.roomFor(s.client, now); err != nil {
		return "", wait, err
	}
	for st.byID[token] != nil { // 36^40 tokens: a clash is practically impossible
		if token, err = newToken(); err != nil {
			return "", 0, err
		}
	}
	s.token = token
	s.outcome = OutcomeInProgress
	s.live = true
	st.byID[token] = s
	st.live.push(token)
	st.liveCount++
	if s.client != "" && st.perClient > 0 {
		cs := st.clients[s.client]
		if cs == nil {
			cs = &clientSessions{}
			st.clients[s.client] = cs
		}
		cs.live++
		cs.tokens.push(token)
	}
	return token, 0, nil
}

// roomFor is room with the lock held and the tiers advanced to now.
func (st *store) roomFor(client string, now time.Time) (time.Duration, error) {
	if st.liveCount >= st.max {
		return st.untilExpiry(&st.live, now), errStoreFull
	}
	if cs := st.clients[client]; client != "" && st.perClient > 0 && cs != nil && cs.live >= st.perClient {
		return st.untilExpiry(&cs.tokens, now), errClientFull
	}
	return 0, nil
}

// untilExpiry is how long until the oldest live session listed in q
// expires, at least a second; the sessions no longer live at its front
// are dropped from q on the way.
func (st *store) untilExpiry(q *fifo, now time.Time) time.Duration {
	for q.len() > 0 {
		if s := st.byID[q.peek()]; s != nil && s.live {
			return max(s.expiresAt.Sub(now), time.Second)
		}
		q.pop()
	}
	return time.Second
}

// advance moves the live sessions whose token has expired to the expired
// tier, and drops what has outstayed its retention or its tier's bound.
func (st *store) advance(now time.Time) {
	for st.live.len() > 0 {
		s := st.byID[st.live.peek()]
		if s != nil && s.live && now.Before(s.expiresAt) {
			break
		}
		st.live.pop() // before leaveLive, which may compact the queue
		if s != nil && s.live {
			st.leaveLive(s)
			st.expired.push(s.token)
		}
	}
	st.trim(&st.expired, now, forgetExpired)
	st.trim(&st.finished, now, forgetFinished)
}

// forgetExpired and forgetFinished are when a session leaves the expired
// or the finished tier at the latest.
func forgetExpired(s *session) time.Time  { return s.expiresAt.Add(expiredRetention) }
func forgetFinished(s *session) time.Time { return s.completedAt.Add(resultRetention) }

// trim drops sessions from the front of a tier while the tier is over
// its bound or the front one is past its drop time.
func (st *store) trim(tier *fifo, now time.Time, dropAt func(*session) time.Time) {
	for tier.len() > 0 {
		s := st.byID[tier.peek()]
		if s != nil && tier.len() <= st.max && now.Before(dropAt(s)) {
			return
		}
		if s != nil {
			delete(st.byID, s.token)
		}
		tier.pop()
	}
}

// leaveLive stops counting s among the live sessions. The queues of live
// sessions are compacted once those no longer live outnumber the live
// ones, so that sessions finishing behind a live one cannot pile up there.
func (st *store) leaveLive(s *session) {
	s.live = false
	st.liveCount--
	if st.live.len() > 2*st.liveCount+64 {
		st.live.retain(st.isLive)
	}
	cs := st.clients[s.client]
	if cs == nil {
		return
	}
	if cs.live--; cs.live == 0 {
		delete(st.clients, s.client)
	} else if cs.tokens.len() > 2*cs.live+16 {
		cs.tokens.retain(st.isLive)
	}
}

func (st *store) isLive(token string) bool {
	s := st.byID[token]
	return s != nil && s.live
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
	snap.expired = s.outcome == OutcomeInProgress && (!s.live || !now.Before(s.expiresAt))
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
	if s.live && now.Before(s.expiresAt) {
		s.outcome = outcome
		s.reason = reason
		s.completedAt = now
		st.leaveLive(s)
		st.finished.push(token)
		st.trim(&st.finished, now, forgetFinished)
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

// retain keeps the tokens for which keep is true, in order.
func (q *fifo) retain(keep func(string) bool) {
	kept := q.items[:0]
	for _, t := range q.items[q.head:] {
		if keep(t) {
			kept = append(kept, t)
		}
	}
	clear(q.items[len(kept):])
	q.items = kept
	q.head = 0
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
