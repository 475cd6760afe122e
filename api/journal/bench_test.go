package journal

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

// scaleRows is the size of a journal after months at a busy desk.
const scaleRows = 100_000

// bigJournal writes a journal of rows sessions, one every 86 seconds up to
// the clock's now (about a hundred days for 100,000): most final, one in
// ten expired unused, names on the last week's only (retention has run),
// and three sessions still open. It returns the file's path.
func bigJournal(b *testing.B, rows int, c *clock) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), FileName)
	j := openAt(b, path, c)
	tx, err := j.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO sessions (token, server, url, source, flow_file, payload_hash, config_id,
		customer, client_user_id, started_at, expires_at, finished_at, polled_at, result, status, wiped_at)
		VALUES (?, 'https://widget.example', ?, 'desk', '/flows/kyc.json', ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	now := c.Now()
	week := now.Add(-DefaultRetain)
	for i := range rows {
		started := now.Add(-time.Duration(rows-i) * 86 * time.Second)
		if i >= rows-3 {
			started = now.Add(-time.Duration(rows-i) * time.Minute) // open
		}
		var customer, hash, wiped any = fmt.Sprintf("Customer %d", i), "sha256:00", nil
		if started.Before(week) {
			customer, hash, wiped = nil, nil, millis(week)
		}
		var finished, polled any = millis(started.Add(4 * time.Minute)), millis(started.Add(4 * time.Minute))
		result, status := "approved", "approved"
		switch {
		case i >= rows-3:
			finished, polled, result, status = nil, millis(now), "open", "in_progress"
		case i%10 == 0 && i < rows-20: // long expired
			finished, result, status = nil, "open", "in_progress"
		case i%10 == 1:
			result, status = "rejected", "rejected"
		}
		_, err := stmt.Exec(token(i), "https://widget.example/?session_token="+token(i), hash, customer, nil,
			millis(started), millis(started.Add(api.TokenLifetime)), finished, polled, result, status, wiped)
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	j.Close()
	return path
}

// Opening the journal and reading what the desk's first frame shows: the
// sandbox sessions of a stopped program, the open sessions to resume and
// the first page of history.
func BenchmarkScaleDeskStart100k(b *testing.B) {
	c := newClock()
	path := bigJournal(b, scaleRows, c)
	ctx := context.Background()
	for b.Loop() {
		j, err := Open(ctx, Options{Path: path, Retain: DefaultRetain, Now: c.Now})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := j.EndSandboxSessions(ctx); err != nil {
			b.Fatal(err)
		}
		open, err := j.OpenSessions(ctx)
		if err != nil || len(open) != 3 {
			b.Fatalf("%d open sessions, %v", len(open), err)
		}
		if page, err := j.History(ctx, 0, 50); err != nil || len(page) != 50 {
			b.Fatalf("history: %d, %v", len(page), err)
		}
		j.Close()
	}
}

// The open-sessions query alone, on an open journal.
func BenchmarkScaleOpenSessions100k(b *testing.B) {
	c := newClock()
	j := openAt(b, bigJournal(b, scaleRows, c), c)
	ctx := context.Background()
	for b.Loop() {
		if open, err := j.OpenSessions(ctx); err != nil || len(open) != 3 {
			b.Fatalf("%d open sessions, %v", len(open), err)
		}
	}
}

// The journal command's default listing: today's sessions and summary.
func BenchmarkScaleListToday100k(b *testing.B) {
	c := newClock()
	j := openAt(b, bigJournal(b, scaleRows, c), c)
	ctx := context.Background()
	since, _ := ParseTime("today", c.Now())
	for b.Loop() {
		list, err := j.List(ctx, Filter{Since: since})
		if err != nil || len(list) == 0 {
			b.Fatalf("%d sessions, %v", len(list), err)
		}
		Summarize(list)
	}
}

// Writing a session as a desk does before it shows the QR code.
func BenchmarkScaleRecord(b *testing.B) {
	c := newClock()
	j := openAt(b, bigJournal(b, scaleRows, c), c)
	ctx := context.Background()
	n := newSession(0)
	n.Customer = "Nino Beridze"
	i := scaleRows
	for b.Loop() {
		n.Token = token(i)
		if _, err := j.Record(ctx, n); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// Writing one poll's result.
func BenchmarkScaleUpdate(b *testing.B) {
	c := newClock()
	j := openAt(b, bigJournal(b, scaleRows, c), c)
	ctx := context.Background()
	res := api.Result{Status: "in_progress"}
	for b.Loop() {
		if err := j.Update(ctx, token(scaleRows-1), res); err != nil {
			b.Fatal(err)
		}
	}
}
