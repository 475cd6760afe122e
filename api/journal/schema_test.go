package journal

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

func schemaObjects(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func currentObjects() []string {
	return []string{"index sessions_named", "index sessions_open", "index sessions_started", "table sessions"}
}

func TestMigrateFromAnEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	j := openAt(t, path, newClock())
	if v, err := userVersion(context.Background(), j.db); err != nil || v != SchemaVersion() {
		t.Errorf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
	if got := schemaObjects(t, j.db); !slices.Equal(got, currentObjects()) {
		t.Errorf("schema objects %v", got)
	}
	var mode string
	if err := j.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v)", mode, err)
	}
	record(t, j, newSession(1))
	j.Close()
	// Opening again changes nothing.
	again := openAt(t, path, newClock())
	if got := schemaObjects(t, again.db); !slices.Equal(got, currentObjects()) {
		t.Errorf("schema objects after a second open %v", got)
	}
	if _, err := again.Get(context.Background(), token(1)); err != nil {
		t.Error(err)
	}
}

// schemaV1 is the first schema, written out as that version made it.
const schemaV1 = `
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token TEXT NOT NULL UNIQUE,
	server TEXT NOT NULL,
	flow_file TEXT NOT NULL DEFAULT '',
	payload_hash TEXT,
	config_id TEXT NOT NULL DEFAULT '',
	customer TEXT,
	client_user_id TEXT,
	started_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	finished_at INTEGER,
	result TEXT NOT NULL DEFAULT 'open',
	status TEXT NOT NULL DEFAULT '',
	reject_value TEXT NOT NULL DEFAULT '',
	reject_description TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_started ON sessions (started_at);
PRAGMA user_version = 1;`

func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := newClock()
	started := c.Now().Add(-5 * time.Minute)
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(schemaV1); err != nil {
		t.Fatal(err)
	}
	_, err = old.Exec(`INSERT INTO sessions (token, server, flow_file, payload_hash, customer, started_at, expires_at, finished_at, result)
		VALUES (?, 'https://widget.example', '/flows/kyc.json', 'sha256:ab', 'Nino', ?, ?, NULL, 'open'),
		       (?, 'https://widget.example', '', 'sha256:cd', NULL, ?, ?, ?, 'approved')`,
		token(1), millis(started), millis(started.Add(api.TokenLifetime)),
		token(2), millis(started), millis(started.Add(api.TokenLifetime)), millis(started.Add(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	j := openAt(t, path, c)
	if v, _ := userVersion(context.Background(), j.db); v != SchemaVersion() {
		t.Errorf("schema version %d after opening a version 1 journal", v)
	}
	if got := schemaObjects(t, j.db); !slices.Equal(got, currentObjects()) {
		t.Errorf("schema objects %v", got)
	}
	open, err := j.OpenSessions(context.Background())
	if err != nil || len(open) != 1 || open[0].Token != token(1) || open[0].Customer != "Nino" || open[0].FlowFile != "/flows/kyc.json" ||
		open[0].URL != "" || !open[0].PolledAt.IsZero() {
		t.Fatalf("open sessions of a migrated journal (%v): %+v", err, open)
	}
	done, _ := j.Get(context.Background(), token(2))
	if d, ok := done.TimeToResult(); done.Result != ResultApproved || !ok || d != time.Minute {
		t.Errorf("a finished session of a migrated journal: %+v", done)
	}
	// And the new columns work.
	if err := j.Update(context.Background(), token(1), api.Result{Status: "approved"}); err != nil {
		t.Fatal(err)
	}
	if s, _ := j.Get(context.Background(), token(1)); !s.PolledAt.Equal(c.Now()) || s.Result != ResultApproved {
		t.Errorf("updated after migration: %+v", s)
	}
}

func TestNewerSchemaIsLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE future (x); PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(context.Background(), Options{Path: path})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("a schema from a newer version: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the newer journal was changed")
	}
}

// Two programs opening a new journal at once both end up with one schema.
func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			j, err := Open(context.Background(), Options{Path: path})
			if err == nil {
				err = j.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	j := openAt(t, path, newClock())
	if got := schemaObjects(t, j.db); !slices.Equal(got, currentObjects()) {
		t.Errorf("schema objects %v", got)
	}
}
