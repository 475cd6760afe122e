package journal

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

// fileBytes is everything the journal has on disk: the database, its
// write-ahead log and its shared-memory index.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func onDisk(t *testing.T, path string, texts ...string) (found []string) {
	t.Helper()
	b := fileBytes(t, path)
	for _, s := range texts {
		if bytes.Contains(b, []byte(s)) {
			found = append(found, s)
		}
	}
	return found
}

// A customer who came a week and a day ago, one who came yesterday, and a
// payload with something in it that is not the journal's to keep.
func TestRetentionWipesNamesFromTheFile(t *testing.T) {
	j, c := tempJournal(t)
	ctx := context.Background()
	const payloadSecret = "payload-only-9f8e7d6c5b4a"
	old := newSession(1)
	old.Customer, old.ClientUserID = "Tamar Oldcustomer", "uid-old-7731"
	old.Payload = []byte(`{"name":"Tamar Oldcustomer","clientUserId":"uid-old-7731","groupId":"` + payloadSecret + `"}`)
	oldHash := strings.TrimPrefix(PayloadHash(old.Payload), "sha256:")
	record(t, j, old)
	// Enough other sessions that the names share pages with other rows.
	for i := 100; i < 400; i++ {
		n := newSession(i)
		n.Customer = fmt.Sprintf("Walk-in %d", i)
		record(t, j, n)
	}
	if err := j.Update(ctx, old.Token, api.Result{Status: "approved"}); err != nil {
		t.Fatal(err)
	}
	c.Add(7 * 24 * time.Hour)
	recent := newSession(2)
	recent.Customer, recent.ClientUserID = "Levan Recentcustomer", "uid-new-1188"
	record(t, j, recent)
	c.Add(24 * time.Hour)

	if found := onDisk(t, j.Path(), "Tamar Oldcustomer", "uid-old-7731", oldHash); len(found) != 3 {
		t.Fatalf("before the wipe the test should find the old customer on disk; found %q", found)
	}
	if found := onDisk(t, j.Path(), payloadSecret); len(found) != 0 {
		t.Fatal("the payload itself is on disk")
	}

	n, err := j.ApplyRetention(ctx)
	if err != nil || n != 301 {
		t.Fatalf("ApplyRetention: %d, %v; want 301 wiped", n, err)
	}
	if found := onDisk(t, j.Path(), "Tamar Oldcustomer", "uid-old-7731", oldHash, "Walk-in 123"); len(found) != 0 {
		t.Errorf("wiped data still in the journal's files: %q", found)
	}
	if found := onDisk(t, j.Path(), "Levan Recentcustomer", "uid-new-1188"); len(found) != 2 {
		t.Errorf("the recent customer should still be there; found %q", found)
	}
	s, err := j.Get(ctx, old.Token)
	if err != nil || s.Customer != "" || s.ClientUserID != "" || s.PayloadHash != "" || !s.Wiped.Equal(c.Now()) ||
		s.Result != ResultApproved || s.FlowFile == "" {
		t.Errorf("the wiped session (%v): %+v", err, s)
	}
	if s, _ := j.Get(ctx, recent.Token); s.Customer != recent.Customer || !s.Wiped.IsZero() {
		t.Errorf("the recent session: %+v", s)
	}
	if n, err := j.ApplyRetention(ctx); n != 0 || err != nil {
		t.Errorf("a second wipe: %d, %v", n, err)
	}
	path := j.Path()
	j.Close()
	if found := onDisk(t, path, "Tamar Oldcustomer", "uid-old-7731", oldHash); len(found) != 0 {
		t.Errorf("wiped data in the closed journal: %q", found)
	}
}

func TestRetentionKeepsOpenSessions(t *testing.T) {
	c := newClock()
	j := openWith(t, Options{Path: filepath.Join(t.TempDir(), FileName), Now: c.Now}) // Retain 0
	ctx := context.Background()
	n := newSession(1)
	n.Customer = "Ana"
	record(t, j, n)
	c.Add(time.Minute)
	if wiped, _ := j.ApplyRetention(ctx); wiped != 0 {
		t.Error("the name of an open session was wiped")
	}
	j.Update(ctx, n.Token, api.Result{Status: "rejected"})
	if wiped, _ := j.ApplyRetention(ctx); wiped != 1 {
		t.Error("with no retention the name outlived the session")
	}
	if s, _ := j.Get(ctx, n.Token); s.Customer != "" {
		t.Errorf("customer %q", s.Customer)
	}
}

// While another program reads, the old pages stay in the log; the next
// retention run removes them.
func TestRetentionWhileAnotherProgramReads(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), FileName)
	j := openWith(t, Options{Path: path, Retain: time.Hour, Now: c.Now, busyTimeout: 100 * time.Millisecond})
	ctx := context.Background()
	n := newSession(1)
	n.Customer = "Giorgi Lingering"
	record(t, j, n)
	c.Add(2 * time.Hour)

	reader, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	tx, err := reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var count int
	if err := tx.QueryRow(`SELECT count(*) FROM sessions`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if wiped, err := j.ApplyRetention(ctx); wiped != 1 || !errors.Is(err, ErrLingering) {
		t.Fatalf("ApplyRetention under a reader: %d, %v", wiped, err)
	}
	if s, _ := j.Get(ctx, n.Token); s.Customer != "" {
		t.Error("the name is still in the journal")
	}
	tx.Rollback()
	if wiped, err := j.ApplyRetention(ctx); wiped != 0 || err != nil {
		t.Fatalf("ApplyRetention after the reader: %d, %v", wiped, err)
	}
	if found := onDisk(t, path, n.Customer); len(found) != 0 {
		t.Error("the wiped name is still on disk")
	}
}

func TestPurge(t *testing.T) {
	j, c := tempJournal(t)
	ctx := context.Background()
	start := c.Now()
	for i := range 10 {
		n := newSession(i)
		n.Customer = fmt.Sprintf("Day %d customer", i)
		record(t, j, n)
		if i < 9 {
			j.Update(ctx, n.Token, api.Result{Status: "approved"})
			c.Add(24 * time.Hour)
		}
	}
	// Session 9 is still open; sessions 0–4 started before day 5.
	p, err := j.Purge(ctx, start.Add(5*24*time.Hour))
	if err != nil || p.Removed != 5 || p.KeptOpen != 0 {
		t.Fatalf("Purge: %+v, %v", p, err)
	}
	left, _ := j.List(ctx, Filter{})
	if got := tokens(left); len(got) != 5 || got[0] != token(5) {
		t.Errorf("left after the purge: %v", got)
	}
	for i := range 5 {
		if found := onDisk(t, j.Path(), token(i)); len(found) != 0 {
			t.Errorf("purged session %d still on disk", i)
		}
	}
	p, err = j.Purge(ctx, c.Now().Add(time.Second))
	if err != nil || p.Removed != 4 || p.KeptOpen != 1 {
		t.Fatalf("Purge of everything: %+v, %v", p, err)
	}
	if open, _ := j.OpenSessions(ctx); len(open) != 1 {
		t.Error("the open session was purged")
	}
}
