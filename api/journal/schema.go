package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
)

// migrations bring the schema from version i (PRAGMA user_version) to
// i+1. A released migration is never changed: a new schema is a new
// migration at the end.
var migrations = [][]string{
	// 1: sessions with their times, customer and result.
	{
		`CREATE TABLE sessions (
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
		) STRICT`,
		`CREATE INDEX sessions_started ON sessions (started_at)`,
	},
	// 2: the link, what created the session, the last poll, the program
	// that recorded it (for sandbox sessions that end with it), when its
	// name was wiped; and the indexes of the desk's start-up and of
	// retention, which read only open or named rows.
	{
		`ALTER TABLE sessions ADD COLUMN url TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE sessions ADD COLUMN polled_at INTEGER`,
		`ALTER TABLE sessions ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE sessions ADD COLUMN owner_run TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE sessions ADD COLUMN wiped_at INTEGER`,
		`CREATE INDEX sessions_open ON sessions (expires_at) WHERE finished_at IS NULL`,
		namedIndex,
	},
}

// namedIndex holds the sessions that still have a name or clientUserId
// for retention to wipe (with the payload hash, which could confirm one). Its WHERE must be repeated word for word in the queries that
// should use it.
const (
	namedCondition = `(customer IS NOT NULL OR client_user_id IS NOT NULL)`
	namedIndex     = `CREATE INDEX sessions_named ON sessions (started_at) WHERE ` + namedCondition
)

// SchemaVersion is the schema this package writes.
func SchemaVersion() int { return len(migrations) }

// setUp puts the journal in WAL mode and brings its schema up to date,
// leaving a journal of a newer schema untouched. Two programs setting up a
// new file at once can find it locked in ways SQLite does not wait out
// (the switch to WAL), so a busy journal is tried again for a while.
func setUp(ctx context.Context, db *sql.DB, busy time.Duration) error {
	deadline := time.Now().Add(busy)
	for {
		err := setUpOnce(ctx, db)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqliteBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sqliteBusy is SQLITE_BUSY, the primary code of "database is locked".
const sqliteBusy = 5

func setUpOnce(ctx context.Context, db *sql.DB) error {
	version, err := userVersion(ctx, db)
	if err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema %d; this one knows up to %d): update identoflow", ErrNewerSchema, version, len(migrations))
	}
	// Persistent: every later connection to the file reads it in WAL mode.
	// A file system without WAL support keeps its mode, which still works
	// for one program at a time.
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode = WAL`); err != nil {
		return fmt.Errorf("switching the journal to WAL: %w", err)
	}
	return migrate(ctx, db)
}

// migrate brings the schema up to date in one write transaction, so two
// programs opening a new journal at once do not both create it.
func migrate(ctx context.Context, db *sql.DB) error {
	version, err := userVersion(ctx, db)
	if err != nil {
		return err
	}
	if version == len(migrations) {
		return nil
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema %d; this one knows up to %d): update identoflow", ErrNewerSchema, version, len(migrations))
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("updating the schema: %w", err)
	}
	defer tx.Rollback()
	// Read again under the write lock: another program may have done it.
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema %d; this one knows up to %d): update identoflow", ErrNewerSchema, version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		for _, stmt := range migrations[v] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("updating the schema to version %d: %w", v+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations))); err != nil {
		return fmt.Errorf("updating the schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("updating the schema: %w", err)
	}
	return nil
}

func userVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the schema version: %w", err)
	}
	return v, nil
}
