package journal

import (
	"context"
	"fmt"
	"time"
)

// wipeQuery removes the name, clientUserId and payload hash of the
// sessions started before a cutoff that are no longer open. It repeats the
// index's condition so that it reads only the named rows, a few days'
// worth however long the journal.
const wipeQuery = `UPDATE sessions INDEXED BY sessions_named SET customer = NULL, client_user_id = NULL, payload_hash = NULL, wiped_at = ?1
	WHERE ` + namedCondition + ` AND started_at < ?2 AND (finished_at IS NOT NULL OR expires_at <= ?1)`

// ApplyRetention wipes the customer name, clientUserId and payload hash
// (which could confirm a guessed name) of every session older than the
// retention period that is no longer open; the row itself stays. It
// returns how many sessions it wiped. The wiped bytes leave the file at
// once (secure_delete) and its write-ahead log is truncated; if another
// program is reading just then, the log keeps them until the next
// checkpoint and the error is ErrLingering. Open applies it once; a
// program that runs for long should call it now and then.
func (j *Journal) ApplyRetention(ctx context.Context) (int, error) {
	now := j.now()
	r, err := j.db.ExecContext(ctx, wipeQuery, millis(now), millis(now.Add(-j.retain)))
	if err != nil {
		return 0, fmt.Errorf("wiping names past the retention period: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, err
	}
	if n == 0 && !j.lingering.Load() {
		return 0, nil
	}
	return int(n), j.checkpoint(ctx)
}

// Purged is what Purge did.
type Purged struct {
	Removed  int // sessions removed
	KeptOpen int // sessions before the date kept because they are still open
}

// Purge removes the sessions started before the given time, except those
// still open (a desk may be polling them). Like ApplyRetention, it leaves
// no copy of them in the file and may return ErrLingering.
func (j *Journal) Purge(ctx context.Context, before time.Time) (Purged, error) {
	now := millis(j.now())
	var p Purged
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("purging the journal: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions
		WHERE finished_at IS NULL AND expires_at > ?1 AND started_at < ?2`, now, millis(before)).Scan(&p.KeptOpen); err != nil {
		return p, fmt.Errorf("purging the journal: %w", err)
	}
	r, err := tx.ExecContext(ctx, `DELETE FROM sessions
		WHERE started_at < ?2 AND NOT (finished_at IS NULL AND expires_at > ?1)`, now, millis(before))
	if err != nil {
		return p, fmt.Errorf("purging the journal: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return p, fmt.Errorf("purging the journal: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("purging the journal: %w", err)
	}
	p.Removed = int(n)
	if n == 0 && !j.lingering.Load() {
		return p, nil
	}
	return p, j.checkpoint(ctx)
}

// checkpoint copies the write-ahead log into the database and truncates
// it, so that old versions of changed pages (which held wiped or removed
// data) are no longer in any file.
func (j *Journal) checkpoint(ctx context.Context) error {
	var busy, logFrames, checkpointed int
	if err := j.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &checkpointed); err != nil {
		return fmt.Errorf("checkpointing the journal: %w", err)
	}
	j.lingering.Store(busy != 0)
	if busy != 0 {
		return ErrLingering
	}
	return nil
}
