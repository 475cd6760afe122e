package sandbox

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Anyone on a network the sandbox serves can reach its pages, so every
// page and form needs the session token, every form also carries the
// session's anti-forgery token and must come from the sandbox's own
// origin, and a client that keeps naming unknown tokens is slowed down.

// Limits on guessing session tokens: a client may name guessBurst unknown
// tokens in a row, then one more per guessRefill.
const (
	guessBurst  = 20
	guessRefill = 3 * time.Second
	// maxGuessClients bounds the clients remembered; past it new clients
	// share one bucket, so a crowd of addresses gains nothing.
	maxGuessClients = 4096
)

// newFormToken returns a random anti-forgery token.
func newFormToken() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating a form token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// formTokenOK compares a submitted anti-forgery token in constant time.
func formTokenOK(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// guessLimiter counts, per client, requests naming a session token the
// sandbox does not hold: each client has a bucket of guessBurst that
// refills one per guessRefill, and a client whose bucket is empty is
// refused before any lookup. Memory is bounded by maxGuessClients.
type guessLimiter struct {
	mu       sync.Mutex
	clients  map[string]*guessBucket
	overflow guessBucket // shared by the clients past maxGuessClients
}

type guessBucket struct {
	left float64   // failures still allowed
	at   time.Time // when left was last brought up to date
}

func newGuessLimiter() *guessLimiter {
	return &guessLimiter{clients: make(map[string]*guessBucket), overflow: guessBucket{left: guessBurst}}
}

// refill brings b up to date at now and reports whether it is full.
func (b *guessBucket) refill(now time.Time) bool {
	if b.at.IsZero() {
		b.at = now
	}
	if d := now.Sub(b.at); d > 0 {
		b.left = min(guessBurst, b.left+float64(d)/float64(guessRefill))
		b.at = now
	}
	return b.left >= guessBurst
}

// bucket returns client's bucket, making room when the table is full by
// forgetting clients whose buckets are full again.
func (l *guessLimiter) bucket(client string, now time.Time) *guessBucket {
	if b, ok := l.clients[client]; ok {
		return b
	}
	if len(l.clients) >= maxGuessClients {
		for k, b := range l.clients {
			if b.refill(now) {
				delete(l.clients, k)
			}
		}
	}
	if len(l.clients) >= maxGuessClients {
		return &l.overflow
	}
	b := &guessBucket{left: guessBurst, at: now}
	l.clients[client] = b
	return b
}

// wait reports how long client must wait before naming another token: 0
// when it may go on.
func (l *guessLimiter) wait(client string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(client, now)
	b.refill(now)
	if b.left >= 1 {
		return 0
	}
	return time.Duration((1 - b.left) * float64(guessRefill))
}

// failed records that client named a token the sandbox does not hold.
func (l *guessLimiter) failed(client string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(client, now)
	b.refill(now)
	b.left = max(0, b.left-1)
}

// guessClient identifies the client of a request for the limit on token
// guessing: its network (see networkOf), loopback included.
func guessClient(r *http.Request) string {
	name, _ := networkOf(r)
	return name
}

// retryAfter is a Retry-After value: whole seconds, at least one.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}
