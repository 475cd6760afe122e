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
	return j.sessions(ctx, now, "listing open sessions", openSessionsQuery, millis(now))
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
	return j.sessions(ctx, j.now(), "reading the journal's history", historyQuery, before, limit)
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
	since, until := int64(math.MinInt64), int64(math.MaxInt64)
	if !f.Since.IsZero() {
		since = millis(f.Since)
	}
	if !f.Until.IsZero() {
		until = millis(f.Until)
	}
	all, err := j.sessions(ctx, j.now(), "listing sessions", `SELECT `+sessionColumns+` FROM sessions
		WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id`, since, until)
	if err != nil {
		return nil, err
	}
	if len(f.Results) == 0 {
		return all, nil
	}
	return slices.DeleteFunc(all, func(s Session) bool { return !slices.Contains(f.Results, s.Result) }), nil
}

// sessions runs a query (or a statement RETURNING sessionColumns) and
// reads its rows as of now; what names the work in its errors.
func (j *Journal) sessions(ctx context.Context, now time.Time, what, query string, args ...any) ([]Session, error) {
	rows, err := j.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		s, err := scanSession(rows, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
