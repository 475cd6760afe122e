package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Get returns the session with this token; ErrNotFound when there is none.
func (j *Journal) Get(ctx context.Context, token string) (Session, error) {
	now := j.now()
	row := j.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token = ?`, token)
	s, err := scanSession(row, now)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("session %s: %w", token, ErrNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("reading session %s from the journal: %w", token, err)
	}
	return s, nil
}

// openSessionsQuery finds the sessions not final and not expired, oldest
// first, through the index of open sessions: its cost follows the number
// of open sessions, not the size of the journal. The index is named, as
// the planner would otherwise walk the start-time index to save a sort.
const openSessionsQuery = `SELECT ` + sessionColumns + ` FROM sessions INDEXED BY sessions_open
	WHERE finished_at IS NULL AND expires_at > ? ORDER BY started_at, id`

// OpenSessions lists the sessions still open (no final result, not
// expired), oldest first: the ones a desk resumes polling. Call
// EndSandboxSessions first so that sandbox sessions of a program that has
// stopped are not among them.
func (j *Journal) OpenSessions(ctx context.Context) ([]Session, error) {
	now := j.now()
	rows, err := j.db.QueryContext(ctx, openSessionsQuery, millis(now))
	if err != nil {
		return nil, fmt.Errorf("listing open sessions: %w", err)
	}
	out, err := collect(rows, now)
	if err != nil {
		return nil, fmt.Errorf("listing open sessions: %w", err)
	}
	return out, nil
}

// historyQuery pages through the sessions newest first by id, so each
// page costs its own length whatever the journal's size.
const historyQuery = `SELECT ` + sessionColumns + ` FROM sessions WHERE id < ? ORDER BY id DESC LIMIT ?`

// History returns up to limit sessions recorded before the one with id
// before (0: the newest), newest first. The next page starts before the
// last one returned; an empty page is the end.
func (j *Journal) History(ctx context.Context, before int64, limit int) ([]Session, error) {
	if limit <= 0 {
		return nil, nil
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	now := j.now()
	rows, err := j.db.QueryContext(ctx, historyQuery, before, limit)
	if err != nil {
		return nil, fmt.Errorf("reading the journal's history: %w", err)
	}
	out, err := collect(rows, now)
	if err != nil {
		return nil, fmt.Errorf("reading the journal's history: %w", err)
	}
	return out, nil
}

// Filter selects sessions for List.
type Filter struct {
	// Since and Until bound the start time: Since <= started < Until. A
	// zero value does not bound.
	Since, Until time.Time
	// Results keeps only sessions with one of these results (as of now);
	// empty keeps all.
	Results []Result
}

// List returns the sessions that Filter selects, oldest first.
func (j *Journal) List(ctx context.Context, f Filter) ([]Session, error) {
	now := j.now()
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !f.Since.IsZero() {
		since = millis(f.Since)
	}
	if !f.Until.IsZero() {
		until = millis(f.Until)
	}
	rows, err := j.db.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id`, since, until)
	if err != nil {
		return nil, fmt.Errorf("listing sessions: %w", err)
	}
	all, err := collect(rows, now)
	if err != nil {
		return nil, fmt.Errorf("listing sessions: %w", err)
	}
	if len(f.Results) == 0 {
		return all, nil
	}
	return slices.DeleteFunc(all, func(s Session) bool { return !slices.Contains(f.Results, s.Result) }), nil
}
