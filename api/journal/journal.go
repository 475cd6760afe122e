package journal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/identoflow/identoflow/api"
)

// Defaults.
const (
	// DefaultRetain is how long customer names are kept unless the user
	// says otherwise.
	DefaultRetain = 7 * 24 * time.Hour
	// FileName is the journal's name in the state directory.
	FileName = "journal.db"
	// Sandbox is the Server of sessions served by the program's own
	// in-process sandbox: they end when that program ends.
	Sandbox = "sandbox"
	// busyTimeout is how long a statement waits for another program's
	// write to finish before giving up. Writes are single short
	// transactions, so a wait this long means something is stuck.
	busyTimeout = 10 * time.Second
	// maxVendorText bounds the vendor's status and reject texts kept per row.
	maxVendorText = 1024
)

// Errors.
var (
	// ErrNotFound: no session with that token in the journal.
	ErrNotFound = errors.New("no such session in the journal")
	// ErrNoJournal: Options.MustExist was set and there is no journal file.
	ErrNoJournal = errors.New("no journal yet")
	// ErrNewerSchema: the file was written by a newer identoflow.
	ErrNewerSchema = errors.New("the journal was written by a newer identoflow")
	// ErrLingering: data was wiped or removed, but another program was
	// reading the journal, so its old copy stays in the write-ahead log
	// until the next checkpoint (the next wipe, purge or close).
	ErrLingering = errors.New("another program is reading the journal: the removed data leaves the write-ahead log at the next checkpoint")
)

// Options configure Open. Only Path is required.
type Options struct {
	// Path of the journal file; a relative path is made absolute.
	Path string
	// CreateFolder creates Path's folder (private to the user) when it is
	// missing: for the default location (DefaultPath). Without it the
	// folder must exist (see CheckFolder), so that a mistyped path is
	// refused rather than quietly made.
	CreateFolder bool
	// Retain is how long customer names and clientUserIds are kept,
	// counted from the session's start; sessions still open keep theirs.
	// Zero keeps none past the session's end: pass DefaultRetain for the
	// usual week. Negative is an error.
	Retain time.Duration
	// MustExist makes Open fail with ErrNoJournal rather than create the
	// file (for commands that only read or purge).
	MustExist bool
	// Now returns the current time; default time.Now. Like Running, it is
	// called from whichever goroutine uses the Journal.
	Now func() time.Time
	// Running reports whether the program with this process id still
	// runs; default: the operating system's answer. EndSandboxSessions
	// uses it.
	Running func(pid int) bool

	busyTimeout time.Duration // default busyTimeout; tests shorten it
}

// Journal is an open journal. It is safe for concurrent use, also by
// several programs on the same file.
type Journal struct {
	db      *sql.DB
	path    string
	retain  time.Duration
	now     func() time.Time
	running func(pid int) bool
	pid     int    // this program's process id
	run     string // this handle's random id: which sessions it recorded
	// lingering: a wipe or purge could not truncate the write-ahead log,
	// so the next ApplyRetention, Purge or Close tries again.
	lingering atomic.Bool
}

// StateDir is identoflow's folder in the user's state directory, where
// the journal, drafts and recent files live: $XDG_STATE_HOME/identoflow,
// else ~/.local/state/identoflow (on Windows %LOCALAPPDATA%\identoflow).
// getenv reads the environment (os.Getenv).
func StateDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "identoflow"), nil
	}
	if home := getenv("HOME"); home != "" && filepath.IsAbs(home) {
		return filepath.Join(home, ".local", "state", "identoflow"), nil
	}
	if d := getenv("LOCALAPPDATA"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "identoflow"), nil
	}
	return "", errors.New("no state directory: set XDG_STATE_HOME or HOME")
}

// DefaultPath is the journal in the user's state directory (StateDir).
func DefaultPath(getenv func(string) string) (string, error) {
	dir, err := StateDir(getenv)
	if err != nil {
		return "", fmt.Errorf("%w, or give the journal's path", err)
	}
	return filepath.Join(dir, FileName), nil
}

// Open opens the journal at opts.Path, creating it or bringing its schema
// up to date as needed, and applies the retention period once (see
// ApplyRetention; an ErrLingering from it is not an error here).
func Open(ctx context.Context, opts Options) (*Journal, error) {
	if opts.Path == "" {
		return nil, errors.New("opening the journal: no path")
	}
	if opts.Retain < 0 {
		return nil, fmt.Errorf("opening the journal: retention %v is negative", opts.Retain)
	}
	path, err := filepath.Abs(opts.Path)
	if err != nil {
		return nil, fmt.Errorf("opening the journal %s: %w", opts.Path, err)
	}
	if err := prepareFile(path, opts.MustExist, opts.CreateFolder); err != nil {
		return nil, err
	}
	busy := opts.busyTimeout
	if busy == 0 {
		busy = busyTimeout
	}
	db, err := sql.Open("sqlite", dsn(path, busy))
	if err != nil {
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	j := &Journal{db: db, path: path, retain: opts.Retain, now: opts.Now, running: opts.Running, pid: os.Getpid(), run: newRunID()}
	if j.now == nil {
		j.now = time.Now
	}
	if j.running == nil {
		j.running = ProgramRunning
	}
	if err := setUp(ctx, db, busy); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	if _, err := j.ApplyRetention(ctx); err != nil && !errors.Is(err, ErrLingering) {
		db.Close()
		return nil, fmt.Errorf("opening the journal %s: %w", path, err)
	}
	return j, nil
}

// prepareFile makes the journal's folder (with createFolder; private to
// the user) and an empty file readable by the user only, so the write-ahead
// log SQLite creates beside it gets the same permissions.
func prepareFile(path string, mustExist, createFolder bool) error {
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("opening the journal %s: it is a directory", path)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("opening the journal: %w", err)
	case !createFolder:
		if err := CheckFolder(path); err != nil {
			return fmt.Errorf("opening the journal %s: %w", path, err)
		}
	}
	if mustExist {
		return fmt.Errorf("%w at %s", ErrNoJournal, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the journal: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("creating the journal: %w", err)
	}
	return f.Close()
}

// CheckFolder reports whether the folder a journal at path would be in
// exists, as an error that names it ("folder /x/y does not exist").
func CheckFolder(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("folder %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("folder %s: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

// dsn is the SQLite URI of the journal with the settings every connection
// needs: a busy timeout, full sync (a power cut loses nothing
// committed), secure_delete (removed data is overwritten, not left in free
// space), and write transactions that take the write lock at BEGIN, so
// two programs never both read and then fail to upgrade.
func dsn(path string, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "secure_delete(ON)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// Path is the journal file's absolute path.
func (j *Journal) Path() string { return j.path }

// Close closes the journal. Sessions already recorded stay recorded. If
// an earlier wipe left old data in the write-ahead log, it tries once more
// to remove it.
func (j *Journal) Close() error {
	if j.lingering.Load() {
		_ = j.checkpoint(context.Background()) // best effort: the next program's wipe retries
	}
	return j.db.Close()
}

// NewSession is what Record keeps of a session just begun.
type NewSession struct {
	Token  string // required (api.ValidToken)
	URL    string // the widget link
	Server string // the vendor base URL, or Sandbox; required
	// Source says what created it: "desk", "wizard" or "begin".
	Source string
	// FlowFile is the config file's path (made absolute); "" when the
	// flow came from elsewhere (a template, standard input).
	FlowFile string
	// Payload is the begin/ body as sent, without the company key. Only
	// its SHA-256 is kept.
	Payload  []byte
	ConfigID string
	// Customer and ClientUserID, when given, are kept for the retention
	// period only.
	Customer     string
	ClientUserID string
	// StartedAt defaults to now; ExpiresAt to StartedAt plus
	// api.TokenLifetime.
	StartedAt time.Time
	ExpiresAt time.Time
}

// PayloadHash is the content hash kept for a payload: "sha256:" and the
// hex digest.
func PayloadHash(payload []byte) string {
	sum := sha256.Sum256(payload)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Record writes a session just begun, before its link or QR is shown. A
// token already in the journal is an error.
func (j *Journal) Record(ctx context.Context, n NewSession) (Session, error) {
	if !api.ValidToken(n.Token) {
		return Session{}, errors.New("recording a session: the token is not a session token")
	}
	if n.Server == "" {
		return Session{}, errors.New("recording a session: no server")
	}
	if n.FlowFile != "" {
		abs, err := filepath.Abs(n.FlowFile)
		if err != nil {
			return Session{}, fmt.Errorf("recording a session: %w", err)
		}
		n.FlowFile = abs
	}
	if n.StartedAt.IsZero() {
		n.StartedAt = j.now()
	}
	if n.ExpiresAt.IsZero() {
		n.ExpiresAt = n.StartedAt.Add(api.TokenLifetime)
	}
	s := Session{
		Token: n.Token, URL: n.URL, Server: n.Server, Source: n.Source, FlowFile: n.FlowFile,
		PayloadHash: PayloadHash(n.Payload), ConfigID: n.ConfigID, Customer: n.Customer, ClientUserID: n.ClientUserID,
		StartedAt: fromMillis(millis(n.StartedAt)), ExpiresAt: fromMillis(millis(n.ExpiresAt)), Result: ResultOpen,
	}
	err := j.db.QueryRowContext(ctx, `INSERT INTO sessions
		(token, server, url, source, flow_file, payload_hash, config_id, customer, client_user_id,
		 started_at, expires_at, result, owner_pid, owner_run)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id`,
		s.Token, s.Server, s.URL, s.Source, s.FlowFile, s.PayloadHash, s.ConfigID, nullable(s.Customer), nullable(s.ClientUserID),
		millis(s.StartedAt), millis(s.ExpiresAt), j.pid, j.run).Scan(&s.ID)
	if err != nil {
		if exists, _ := j.exists(ctx, n.Token); exists {
			return Session{}, fmt.Errorf("recording a session: session %s is already in the journal", n.Token)
		}
		return Session{}, fmt.Errorf("recording a session: %w", err)
	}
	s.Result = s.resultAt(j.now())
	return s, nil
}

func (j *Journal) exists(ctx context.Context, token string) (bool, error) {
	var n int
	err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE token = ?`, token).Scan(&n)
	return n > 0, err
}

// Update records a poll of the session: the time, and the result as the
// server gave it. The first final result (approved, rejected, manual
// check) sets the session's finish time. ErrNotFound when the token is not
// in the journal.
func (j *Journal) Update(ctx context.Context, token string, res api.Result) error {
	result := resultOf(res.Outcome())
	var value, description string
	if rr := res.RejectReason; rr != nil {
		value, description = clip(rr.Value, maxVendorText), clip(rr.Description, maxVendorText)
	}
	now := millis(j.now())
	r, err := j.db.ExecContext(ctx, `UPDATE sessions SET polled_at = ?1, status = ?2, result = ?3,
		reject_value = ?4, reject_description = ?5,
		finished_at = CASE WHEN ?3 = 'open' THEN NULL ELSE coalesce(finished_at, ?1) END
		WHERE token = ?6`,
		now, clip(res.Status, maxVendorText), string(result), value, description, token)
	if err != nil {
		return fmt.Errorf("updating session %s in the journal: %w", token, err)
	}
	if n, err := r.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("updating session %s: %w", token, ErrNotFound)
	}
	return nil
}

// nullable stores "" as NULL, so that the index of named sessions holds
// only the rows with something to wipe.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis is the time of a stored value; 0 and NULL are the zero time.
func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
