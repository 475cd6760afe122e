package session

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// scaleJournal writes a journal of rows sessions at the vendor's base URL,
// one every 86 seconds up to now (about a hundred days for 100,000): most
// approved, one in ten rejected, one in ten expired unused, names on the
// last week's only; and three still open. It writes the rows in one
// transaction, as recording them one by one would take minutes.
func scaleJournal(b *testing.B, rows int, clock *launchtest.Clock) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), journal.FileName)
	j, err := journal.Open(context.Background(), journal.Options{Path: path, Retain: journal.DefaultRetain, Now: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	j.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO sessions (token, server, url, source, flow_file, customer,
		started_at, expires_at, finished_at, polled_at, result, status)
		VALUES (?, ?, ?, 'desk', '/flows/kyc.json', ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	now := clock.Now()
	for i := range rows {
		tok := pageToken(i)
		started := now.Add(-time.Duration(rows-i) * 86 * time.Second)
		var customer any
		if now.Sub(started) < journal.DefaultRetain {
			customer = fmt.Sprintf("Customer %d", i)
		}
		var finished any = started.Add(4 * time.Minute).UnixMilli()
		result := "approved"
		switch {
		case i >= rows-3:
			started, finished, result = now.Add(-time.Duration(rows-i)*time.Minute), nil, "open"
		case i%10 == 0 && i < rows-20:
			finished, result = nil, "open" // long expired
		case i%10 == 1:
			result = "rejected"
		}
		_, err := stmt.Exec(tok, api.DefaultBaseURL, api.DefaultBaseURL+"/?session_token="+tok, customer,
			started.UnixMilli(), started.Add(api.TokenLifetime).UnixMilli(), finished, finished, result, result)
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkScaleDeskFirstFrame measures desk mode's start on a journal
// until its first frame with the sessions: opening the journal (with its
// retention pass), reading the open sessions and the first page of
// history, and drawing the ready screen that lists them. (The polls of the
// open sessions go on in the background after that frame.) Goal with
// 100,000 sessions: under 50 ms.
func BenchmarkScaleDeskFirstFrame(b *testing.B) {
	for _, rows := range []int{3, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
			path := scaleJournal(b, rows, clock)
			cfg, err := flow.TemplateConfig("basic-kyc")
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			for b.Loop() {
				j, err := journal.Open(ctx, journal.Options{Path: path, Retain: journal.DefaultRetain, Now: clock.Now})
				if err != nil {
					b.Fatal(err)
				}
				lc := launchVendorConfig(clock, clip, vendor)
				lc.Journal, lc.Retain = j, journal.DefaultRetain
				l := NewLauncher(lc)
				host := newTestHost(func(c *ui.Common) ui.Screen { return NewDeskScreen(c, l, cfg, "Flow: kyc.json") })
				host.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
				host.Update(host.top().(*deskScreen).track.read()())
				if frame := host.View().Content; !strings.Contains(frame, "3 open") {
					b.Fatalf("the first frame lists no open sessions:\n%s", frame)
				}
				j.Close()
			}
		})
	}
}
