package journal

import (
	"fmt"
	"strings"
	"time"

	"github.com/identoflow/identoflow/api"
)

// Result is where a session stands.
type Result string

// Results. Approved, rejected, manual check and ended are final; a session
// that is none of these is open until its token expires, and expired after.
const (
	ResultOpen        Result = "open"
	ResultApproved    Result = "approved"
	ResultRejected    Result = "rejected"
	ResultManualCheck Result = "manual_check"
	// ResultEnded: an in-process sandbox session whose program stopped, so
	// no result can come any more.
	ResultEnded Result = "ended"
	// ResultExpired is never stored: it is how an open session past its
	// expiry reads.
	ResultExpired Result = "expired"
)

// Results lists every result, in the order summaries show them.
func Results() []Result {
	return []Result{ResultApproved, ResultRejected, ResultManualCheck, ResultOpen, ResultExpired, ResultEnded}
}

// ParseResult reads a result name as the journal command takes it
// ("manual_check", "manual-check" and "manual check" are one).
func ParseResult(s string) (Result, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.NewReplacer("-", "_", " ", "_").Replace(t)
	for _, r := range Results() {
		if string(r) == t {
			return r, nil
		}
	}
	names := make([]string, 0, 6)
	for _, r := range Results() {
		names = append(names, string(r))
	}
	return "", fmt.Errorf("%q is not a result (one of %s)", s, strings.Join(names, ", "))
}

// Final reports whether r will not change by itself any more.
func (r Result) Final() bool {
	return r == ResultApproved || r == ResultRejected || r == ResultManualCheck || r == ResultEnded
}

// Label is r for people: "approved", "manual check", …
func (r Result) Label() string { return strings.ReplaceAll(string(r), "_", " ") }

func resultOf(o api.Outcome) Result {
	switch o {
	case api.OutcomeApproved:
		return ResultApproved
	case api.OutcomeRejected:
		return ResultRejected
	case api.OutcomeManualCheck:
		return ResultManualCheck
	default:
		return ResultOpen
	}
}

// Session is one row of the journal. Its text fields other than Token
// come from a config, a person or a server: show them through
// flow.Visible.
type Session struct {
	ID           int64 // increases with every session recorded
	Token        string
	URL          string
	Server       string // the vendor base URL, or Sandbox
	Source       string // "desk", "wizard", "begin"
	FlowFile     string // absolute path, or ""
	PayloadHash  string // "sha256:…"; "" once wiped with the name
	ConfigID     string
	Customer     string // "" when none was given or it was wiped
	ClientUserID string
	// Wiped is when retention removed the name, clientUserId and payload
	// hash; zero if it has not.
	Wiped      time.Time
	StartedAt  time.Time
	ExpiresAt  time.Time
	FinishedAt time.Time // the first final result; zero while open
	PolledAt   time.Time // the last poll; zero if never polled
	// Result as of the query: an open session past ExpiresAt reads
	// ResultExpired.
	Result Result
	// Status is the server's "result" text verbatim; RejectValue and
	// RejectDescription its reject reason.
	Status            string
	RejectValue       string
	RejectDescription string
}

// Sandbox reports whether the program's in-process sandbox served it.
func (s Session) Sandbox() bool { return s.Server == Sandbox }

// TimeToResult is how long the session took from start to its first
// final result from the server; false when it has none.
func (s Session) TimeToResult() (time.Duration, bool) {
	if s.FinishedAt.IsZero() || s.Result == ResultEnded {
		return 0, false
	}
	return s.FinishedAt.Sub(s.StartedAt), true
}

// resultAt is the session's result at now (see Session.Result).
func (s Session) resultAt(now time.Time) Result {
	if s.Result == ResultOpen && !now.Before(s.ExpiresAt) {
		return ResultExpired
	}
	return s.Result
}

// sessionColumns are the columns scanSession reads, in its order.
const sessionColumns = `id, token, url, server, source, flow_file, coalesce(payload_hash, ''), config_id,
	coalesce(customer, ''), coalesce(client_user_id, ''), coalesce(wiped_at, 0), started_at, expires_at,
	coalesce(finished_at, 0), coalesce(polled_at, 0), result, status, reject_value, reject_description`

type scanner interface{ Scan(dest ...any) error }

func scanSession(row scanner, now time.Time) (Session, error) {
	var s Session
	var wiped, started, expires, finished, polled int64
	var result string
	err := row.Scan(&s.ID, &s.Token, &s.URL, &s.Server, &s.Source, &s.FlowFile, &s.PayloadHash, &s.ConfigID,
		&s.Customer, &s.ClientUserID, &wiped, &started, &expires, &finished, &polled, &result,
		&s.Status, &s.RejectValue, &s.RejectDescription)
	if err != nil {
		return Session{}, err
	}
	s.Wiped, s.StartedAt, s.ExpiresAt = fromMillis(wiped), fromMillis(started), fromMillis(expires)
	s.FinishedAt, s.PolledAt = fromMillis(finished), fromMillis(polled)
	s.Result = Result(result)
	s.Result = s.resultAt(now)
	return s, nil
}
