package sandbox

import (
	"errors"
	"testing"
	"time"
)

// storeClock drives a store on test time.
type storeClock struct{ now time.Time }

func (c *storeClock) advance(d time.Duration) { c.now = c.now.Add(d) }

// begin adds a live session of client valid for the default token time.
func (c *storeClock) begin(t *testing.T, st *store, client string) string {
	t.Helper()
	token, _, err := st.add(&session{client: client, createdAt: c.now, expiresAt: c.now.Add(DefaultTokenTTL)}, c.now)
	if err != nil {
		t.Fatalf("add at %v: %v", c.now, err)
	}
	return token
}

func (c *storeClock) complete(t *testing.T, st *store, token string) {
	t.Helper()
	if _, changed, ok := st.complete(token, OutcomeApproved, nil, c.now); !changed || !ok {
		t.Fatalf("complete %s: changed %v, ok %v", token, changed, ok)
	}
}

func newStoreClock() *storeClock { return &storeClock{now: newClock().Now()} }

// outcomeOf is the outcome result/ would report, or "gone".
func outcomeOf(st *store, token string, now time.Time) Outcome {
	snap, ok := st.get(token, now)
	switch {
	case !ok:
		return "gone"
	case snap.expired:
		return "expired"
	}
	return snap.outcome
}

func TestStoreLiveSessionDoesNotKeepFinishedOnes(t *testing.T) {
	c := newStoreClock()
	st := newStore(3, 0)
	c.begin(t, st, "") // stays live, first in line
	for range 10 {     // many more come and finish
		c.advance(time.Second)
		c.complete(t, st, c.begin(t, st, ""))
	}
	// Only one session is live: there is room for two more, at once.
	c.begin(t, st, "")
	c.begin(t, st, "")
	if wait, err := st.room("", c.now); !errors.Is(err, errStoreFull) {
		t.Fatalf("room with 3 live sessions: %v, want errStoreFull", err)
	} else if want := DefaultTokenTTL - 10*time.Second; wait != want {
		t.Fatalf("Retry-After wait %v, want %v (until the first live session expires)", wait, want)
	}
}

func TestStoreResultStaysUnderPressure(t *testing.T) {
	c := newStoreClock()
	st := newStore(2, 0)
	done := c.begin(t, st, "")
	c.advance(time.Minute)
	c.complete(t, st, done)
	c.begin(t, st, "")
	c.begin(t, st, "")
	if _, _, err := st.add(&session{expiresAt: c.now.Add(DefaultTokenTTL)}, c.now); !errors.Is(err, errStoreFull) {
		t.Fatalf("third live session: %v, want errStoreFull", err)
	}
	if got := outcomeOf(st, done, c.now); got != OutcomeApproved {
		t.Fatalf("result completed a moment earlier, with the store full: %s, want approved", got)
	}
	c.advance(resultRetention - time.Second)
	if got := outcomeOf(st, done, c.now); got != OutcomeApproved {
		t.Fatalf("result just under a day later: %s, want approved", got)
	}
	c.advance(time.Second)
	st.room("", c.now) // time moves the tiers on any call
	if got := outcomeOf(st, done, c.now); got != "gone" {
		t.Fatalf("result a day later: %s, want gone", got)
	}
}

func TestStoreFinishedTierDropsOldestFirst(t *testing.T) {
	c := newStoreClock()
	st := newStore(2, 0)
	var tokens []string
	for range 3 {
		c.advance(time.Second)
		token := c.begin(t, st, "")
		c.complete(t, st, token)
		tokens = append(tokens, token)
	}
	want := []Outcome{"gone", OutcomeApproved, OutcomeApproved}
	for i, token := range tokens {
		if got := outcomeOf(st, token, c.now); got != want[i] {
			t.Errorf("result %d of 3 with room for 2: %s, want %s", i+1, got, want[i])
		}
	}
	if got := st.len(); got != 2 {
		t.Errorf("%d sessions held, want 2", got)
	}
}

func TestStoreExpiredSessionsMakeRoomAndAreRemembered(t *testing.T) {
	c := newStoreClock()
	st := newStore(2, 0)
	old := []string{c.begin(t, st, ""), c.begin(t, st, "")}
	c.advance(DefaultTokenTTL)
	// Both expired: room for two new live sessions, the old ones still
	// answer "expired" (410) rather than "unknown" (404).
	c.begin(t, st, "")
	c.begin(t, st, "")
	for _, token := range old {
		if got := outcomeOf(st, token, c.now); got != "expired" {
			t.Fatalf("expired session: %s, want expired", got)
		}
	}
	if _, _, ok := st.complete(old[0], OutcomeApproved, nil, c.now); !ok {
		t.Fatal("complete of an expired session: not found")
	} else if got := outcomeOf(st, old[0], c.now); got != "expired" {
		t.Fatalf("an expired session was completed: %s", got)
	}
	c.advance(expiredRetention)
	st.room("", c.now)
	for _, token := range old {
		if got := outcomeOf(st, token, c.now); got != "gone" {
			t.Fatalf("an hour after expiry: %s, want gone", got)
		}
	}
}

func TestStorePerClientLimit(t *testing.T) {
	c := newStoreClock()
	st := newStore(100, 2)
	const client, other = "198.51.100.7", "203.0.113.9"
	first := c.begin(t, st, client)
	c.advance(time.Minute)
	c.begin(t, st, client)
	wait, err := st.room(client, c.now)
	if !errors.Is(err, errClientFull) || wait != DefaultTokenTTL-time.Minute {
		t.Fatalf("third session of one client: wait %v, %v; want %v, errClientFull", wait, err, DefaultTokenTTL-time.Minute)
	}
	if _, _, err := st.add(&session{client: client, expiresAt: c.now.Add(DefaultTokenTTL)}, c.now); !errors.Is(err, errClientFull) {
		t.Fatalf("add past the client's limit: %v", err)
	}
	// Other clients, and this machine, are not held back.
	c.begin(t, st, other)
	for range 5 {
		c.begin(t, st, "")
	}
	// Finishing a session gives the client its room back.
	c.complete(t, st, first)
	c.begin(t, st, client)
	if _, err := st.room(client, c.now); !errors.Is(err, errClientFull) {
		t.Fatalf("room after the client is back at its limit: %v", err)
	}
	// So does expiry; the client's record goes with its last live session.
	c.advance(DefaultTokenTTL)
	if _, err := st.room(client, c.now); err != nil {
		t.Fatalf("room after its sessions expired: %v", err)
	}
	if n := len(st.clients); n != 0 {
		t.Fatalf("%d client records with no live session", n)
	}
}

func TestStoreQueuesStayBoundedBehindALiveSession(t *testing.T) {
	c := newStoreClock()
	st := newStore(10, 5)
	const client = "198.51.100.7"
	first := c.begin(t, st, client) // live all along, first in line
	for range 10_000 {
		c.complete(t, st, c.begin(t, st, client))
	}
	if n := st.live.len(); n > 2*st.liveCount+64 {
		t.Errorf("the live queue lists %d sessions for %d live", n, st.liveCount)
	}
	if n := st.clients[client].tokens.len(); n > 2*st.clients[client].live+16 {
		t.Errorf("the client's queue lists %d sessions for %d live", n, st.clients[client].live)
	}
	if got := outcomeOf(st, first, c.now); got != OutcomeInProgress {
		t.Fatalf("the first session: %s", got)
	}
	c.advance(DefaultTokenTTL) // it expires, and still leaves in order
	if _, err := st.room(client, c.now); err != nil || st.liveCount != 0 {
		t.Fatalf("after expiry: %v, %d live", err, st.liveCount)
	}
	if got := outcomeOf(st, first, c.now); got != "expired" {
		t.Fatalf("the first session after expiry: %s", got)
	}
}

func TestStoreExpiryWhileCompacting(t *testing.T) {
	c := newStoreClock()
	st := newStore(1000, 0)
	var first []string
	for range 64 {
		first = append(first, c.begin(t, st, ""))
	}
	c.advance(time.Second)
	for range 100 { // finished behind them, not yet compacted away
		c.complete(t, st, c.begin(t, st, ""))
	}
	c.advance(DefaultTokenTTL)
	st.room("", c.now) // every one of the first expires, compacting on the way
	for i, token := range first {
		if got := outcomeOf(st, token, c.now); got != "expired" {
			t.Errorf("session %d: %s, want expired", i, got)
		}
	}
	if st.liveCount != 0 {
		t.Errorf("%d sessions still counted live", st.liveCount)
	}
}
