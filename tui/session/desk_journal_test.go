package session

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// openJournal opens the journal at path on the test's clock, as a new
// program would; the test closes it when it ends.
func openJournal(tb testing.TB, path string, clock *launchtest.Clock, running func(int) bool) *journal.Journal {
	tb.Helper()
	return openJournalWith(tb, journal.Options{Path: path, Retain: journal.DefaultRetain, Now: clock.Now, Running: running})
}

func openJournalWith(tb testing.TB, opts journal.Options) *journal.Journal {
	tb.Helper()
	j, err := journal.Open(context.Background(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { j.Close() })
	return j
}

// journalDesk is desk mode on a journal, sessions going to vendor over
// loopback.
func journalDesk(t *testing.T, base string, clock *launchtest.Clock, clip *launchtest.Clipboard, j *journal.Journal) *launchtest.Driver {
	t.Helper()
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchtest.Key, base
	lc.Journal, lc.Retain, lc.FlowFile = j, journal.DefaultRetain, "/flows/kyc.json"
	d, _ := launchDeskApp(t, lc)
	return d
}

func getSession(t *testing.T, j *journal.Journal, token string) journal.Session {
	t.Helper()
	s, err := j.Get(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bells counts the bells a driver's model rang.
func bells(d *launchtest.Driver) int {
	n := 0
	for _, w := range d.Written {
		n += strings.Count(w, deskBell)
	}
	return n
}

// deskEntryOf is the listed session with this token.
func deskEntryOf(t *testing.T, d *launchtest.Driver, token string) *deskEntry {
	t.Helper()
	for _, e := range deskOf(d).log.entries {
		if e.session.Token == token {
			return e
		}
	}
	t.Fatalf("session %s is not on the desk's list:\n%s", token, d.Screen())
	return nil
}

// Two customers leave their sessions open; the desk is dropped (as by
// kill -9: nothing is closed) and a new one started on the same journal
// lists both and polls them; one's result arrives and is announced; a
// third desk sees the result and still follows the other.
func TestDeskResumesOpenSessionsFromTheJournal(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{Tokens: []string{launchtest.Token, launchtest.Token2}}
	base := launchtest.Server(t, vendor)
	path := filepath.Join(t.TempDir(), journal.FileName)

	first := journalDesk(t, base, clock, clip, openJournal(t, path, clock, nil))
	first.TypeText("Jane Doe")
	first.Keys("tab")
	first.TypeText("cu-1")
	first.Keys("enter")
	first.RequireScreen("For Jane Doe", "Expires in")
	first.Keys("n")
	clock.Advance(time.Minute)
	first.TypeText("Ben")
	first.Keys("enter", "n")
	first.RequireScreen("Sessions · 2 open")

	clock.Advance(2 * time.Minute)
	before := vendor.Results
	j2 := openJournal(t, path, clock, nil)
	second := journalDesk(t, base, clock, clip, j2)
	second.RequireScreen("Sessions · 2 open", "…"+tokenSuffix(launchtest.Token)+"  Left open · no result yet (checked "+clock.Now().Format("15:04")+")",
		"…"+tokenSuffix(launchtest.Token2)+"  Left open · no result yet (checked "+clock.Now().Format("15:04")+")")
	if got := vendor.Results - before; got != 2 {
		t.Fatalf("the new desk asked %d times for a result, want once for each open session", got)
	}
	if strings.Contains(second.Screen(), "Jane Doe") {
		t.Fatalf("the ready screen names a customer:\n%s", second.Screen())
	}

	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
	})
	rang := bells(second)
	for _, tok := range []string{launchtest.Token, launchtest.Token2} {
		second.Send(pollDue(second, deskEntryOf(t, second, tok).gen))
	}
	second.RequireScreen("Approved", "Session …"+tokenSuffix(launchtest.Token)+", started 09:30", "Sessions · 1 open")
	if got := hostOf(second).status; !strings.Contains(got, "finished: Approved") {
		t.Fatalf("status %q does not announce the result", got)
	}
	if bells(second) != rang+1 {
		t.Fatalf("%d bells for one result", bells(second)-rang)
	}
	if s := getSession(t, j2, launchtest.Token); s.Result != journal.ResultApproved || s.Customer != "Jane Doe" || s.FlowFile != "/flows/kyc.json" {
		t.Fatalf("journal row after the result: %+v", s)
	}

	before = vendor.Results
	third := journalDesk(t, base, clock, clip, openJournal(t, path, clock, nil))
	third.RequireScreen("Sessions · 1 open", "…"+tokenSuffix(launchtest.Token)+"  Approved",
		"…"+tokenSuffix(launchtest.Token2)+"  Left open · no result yet (checked "+clock.Now().Format("15:04")+")")
	if got := vendor.Results - before; got != 1 {
		t.Fatalf("the third desk asked %d times for a result, want once (for the open session)", got)
	}
}

// The list is browsed with tab and the arrows; there, and only there, it
// names the customers. enter on a finished session shows its result and
// link; c copies the link; enter on an open one hands it over again.
func TestDeskHistoryReopensSessions(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{Tokens: []string{launchtest.Token, launchtest.Token2},
		Outcome: map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":{"value":"DOCUMENT_EXPIRED","description":"The identity document has expired"}}`}}
	base := launchtest.Server(t, vendor)
	j := openJournal(t, filepath.Join(t.TempDir(), journal.FileName), clock, nil)
	d := journalDesk(t, base, clock, clip, j)
	d.TypeText("Jane Doe")
	d.Keys("enter")
	pollNow(d) // rejected
	d.TypeText("Ben")
	d.Keys("enter", "n")

	d.Keys("tab", "tab")   // name → client user ID → the list
	d.Send(tea.FocusMsg{}) // a message for no one: no field has the focus
	d.RequireScreen("▸  09:30  Ben", "Jane Doe", "enter reopen")
	d.Keys("down", "enter")
	d.RequireScreen("Session …"+tokenSuffix(launchtest.Token), "Rejected: The identity document has expired (DOCUMENT_EXPIRED)",
		"For Jane Doe", "Link\n"+base+"/?session_token="+launchtest.Token+"\n", "c copies the link")
	d.Keys("c")
	if len(clip.Copies) != 1 || clip.Copies[0] != base+"/?session_token="+launchtest.Token {
		t.Fatalf("copied %q", clip.Copies)
	}
	d.Keys("esc")
	d.RequireScreen("▸  09:30  Jane Doe")

	d.Keys("up", "c")
	if got := clip.Copies[len(clip.Copies)-1]; got != base+"/?session_token="+launchtest.Token2 {
		t.Fatalf("c on the list copied %q", got)
	}
	d.Keys("enter")
	d.RequireScreen("For Ben", "Expires in")
	if got, err := launchtest.DecodeQR(d.Raw()); err != nil || got != base+"/?session_token="+launchtest.Token2 {
		t.Fatalf("reopened QR code %q (%v)", got, err)
	}
	vendor.Set(func(f *launchtest.FakeVendor) { f.Outcome[launchtest.Token2] = `{"result":"approved"}` })
	pollNow(d)
	d.RequireScreen("Approved", "Next customer")
	if s := getSession(t, j, launchtest.Token2); s.Result != journal.ResultApproved {
		t.Fatalf("journal says %s after the reopened session's result", s.Result)
	}
}

// The list reads the journal a page at a time as the cursor goes down.
func TestDeskHistoryPages(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	base := launchtest.Server(t, vendor)
	j := openJournal(t, filepath.Join(t.TempDir(), journal.FileName), clock, nil)
	const rows = 2*deskPage + 7
	for i := range rows {
		n := journal.NewSession{Token: pageToken(i), URL: base + "/?session_token=" + pageToken(i), Server: base, Source: "begin",
			StartedAt: clock.Now().Add(-time.Duration(rows-i) * time.Hour)}
		if _, err := j.Record(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	d := journalDesk(t, base, clock, clip, j)
	if n := len(deskOf(d).log.entries); n != deskPage {
		t.Fatalf("%d sessions listed at start, want a page of %d", n, deskPage)
	}
	d.RequireScreen("… more below")
	d.Keys("tab", "tab")
	for range rows {
		d.Keys("down")
	}
	g := &deskOf(d).log
	if len(g.entries) != rows || g.more || g.cursor != rows-1 {
		t.Fatalf("after going down: %d listed, more %v, cursor %d", len(g.entries), g.more, g.cursor)
	}
	if !slices.IsSortedFunc(g.entries, func(a, b *deskEntry) int { return int(b.id - a.id) }) {
		t.Fatal("the list is not newest first")
	}
	d.RequireScreen("…" + tokenSuffix(pageToken(0)) + "  Expired")
}

// pageToken is a distinct session token for i, its last six characters
// (what the list shows) distinct too.
func pageToken(i int) string { return fmt.Sprintf("pg%032d%06d", 0, i) }

// A sandbox session of a program that has stopped is said to have ended
// with it, on the list and in the status line.
func TestDeskEndsSandboxSessionsOfAStoppedProgram(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	path := filepath.Join(t.TempDir(), journal.FileName)
	old := openJournal(t, path, clock, nil)
	if _, err := old.Record(context.Background(), journal.NewSession{Token: launchtest.Token2, URL: "http://127.0.0.1:1/?session_token=" + launchtest.Token2, Server: journal.Sandbox, Source: "desk"}); err != nil {
		t.Fatal(err)
	}
	stopped := func(int) bool { return false }
	d := journalDesk(t, launchtest.Server(t, vendor), clock, clip, openJournal(t, path, clock, stopped))
	d.RequireScreen("…"+tokenSuffix(launchtest.Token2)+"  Ended with the program that served it", "1 sandbox session(s) ended")
	if vendor.Results != 0 {
		t.Fatal("polled a sandbox session at the vendor")
	}
}

// Quitting stops the built-in sandbox: its open sessions are recorded as
// ended with it.
func TestClosingTheSandboxEndsItsSessionsInTheJournal(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	j := openJournal(t, filepath.Join(t.TempDir(), journal.FileName), clock, nil)
	lc := launchTestConfig(clock, clip)
	lc.Journal, lc.Retain = j, journal.DefaultRetain
	d, l := launchDeskApp(t, lc)
	for _, name := range []string{"Jane Doe", "Ben"} {
		d.TypeText(name)
		d.Keys("enter")
		d.RequireScreen("For "+name, "Expires in")
		d.Keys("n")
	}
	d.RequireScreen("Sessions · 2 open")
	ctx := context.Background()
	if open, err := j.OpenSessions(ctx); err != nil || len(open) != 2 {
		t.Fatalf("open before quitting: %d sessions, %v", len(open), err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	all, err := j.List(ctx, journal.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Fatalf("%d sessions in the journal, want 2", len(all))
	}
	for _, s := range all {
		if s.Result != journal.ResultEnded || !s.Sandbox() {
			t.Errorf("%s on %s: %s, want ended", s.Token, s.Server, s.Result)
		}
	}
}

// After the result of a left-open session, the bell rings unless the
// desk is quiet.
func TestDeskQuietRingsNoBell(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		lc := launchVendorConfig(clock, clip, vendor)
		lc.Quiet = quiet
		d, _ := launchDeskApp(t, lc)
		d.Keys("enter")
		gen := runnerOf(d).hand.gen
		d.Keys("n")
		vendor.Set(func(f *launchtest.FakeVendor) {
			f.Outcome = map[string]string{launchtest.Token: `{"result":"approved"}`}
		})
		d.Send(pollDue(d, gen))
		d.RequireScreen("Approved")
		if want := map[bool]int{false: 1, true: 0}[quiet]; bells(d) != want {
			t.Errorf("quiet %v: %d bells, want %d", quiet, bells(d), want)
		}
	}
}

// --lock-after hides names and the QR code after the idle time; a key
// unlocks and does nothing else.
func TestDeskIdleLock(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	lc := launchVendorConfig(clock, clip, vendor)
	lc.LockAfter = 5 * time.Minute
	d, _ := launchDeskApp(t, lc)
	d.TypeText("Jane Doe")
	d.Keys("enter")
	d.RequireScreen("For Jane Doe")

	clock.Advance(4 * time.Minute)
	d.Send(deskLockMsg{seq: deskOf(d).lock.seq})
	d.RequireScreen("For Jane Doe") // not idle long enough
	d.Keys("c")                     // activity
	clock.Advance(4 * time.Minute)
	d.Send(deskLockMsg{seq: deskOf(d).lock.seq})
	d.RequireScreen("For Jane Doe")
	clock.Advance(time.Minute + time.Second)
	d.Send(deskLockMsg{seq: deskOf(d).lock.seq})
	d.RequireScreen("Desk locked", "Press any key", "1 session(s) open")
	if strings.Contains(d.Screen(), "Jane") || strings.Contains(d.Screen(), "session_token") {
		t.Fatalf("the locked desk shows a name or the link:\n%s", d.Screen())
	}
	if _, err := launchtest.DecodeQR(d.Raw()); err == nil {
		t.Fatal("the locked desk shows the QR code")
	}
	d.Keys("n") // unlocks; does not move on to the next customer
	d.RequireScreen("For Jane Doe", "Expires in")
}

// Without --retain's time left, a finished session's name leaves the
// list (and the journal) at the next retention pass.
func TestDeskForgetsNamesPastRetention(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{Outcome: map[string]string{launchtest.Token: `{"result":"approved"}`}}
	j := openJournalWith(t, journal.Options{Path: filepath.Join(t.TempDir(), journal.FileName), Retain: time.Hour, Now: clock.Now})
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey, lc.BaseURL = launchtest.Key, launchtest.Server(t, vendor)
	lc.Journal, lc.Retain = j, time.Hour
	d, _ := launchDeskApp(t, lc)
	d.TypeText("Jane Doe")
	d.Keys("enter")
	pollNow(d)
	d.Keys("tab", "tab")
	d.RequireScreen("Jane Doe")
	clock.Advance(2 * time.Hour)
	d.Send(deskRetentionMsg{})
	if strings.Contains(d.Screen(), "Jane Doe") {
		t.Fatalf("the name is still listed past the retention period:\n%s", d.Screen())
	}
	if s := getSession(t, j, launchtest.Token); s.Customer != "" || s.Wiped.IsZero() {
		t.Fatalf("the journal still has the name past the retention period: %+v", s)
	}
}

// A journal that could not be opened is a warning on the ready screen.
func TestDeskWarnsWithoutJournal(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	lc := launchVendorConfig(clock, clip, vendor)
	lc.JournalProblem = "opening the journal /nowhere/journal.db: permission denied"
	d, _ := launchDeskApp(t, lc)
	d.RequireScreen("Sessions are not kept in the journal: opening the journal /nowhere/journal.db")
	d.Keys("enter")
	d.RequireScreen("Expires in")
}

// A session is in the journal before the message that shows its QR code
// reaches a screen: kill -9 at any moment loses nothing on screen. No key
// is written.
func TestLaunchRecordsBeforeTheCodeIsShown(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	path := filepath.Join(t.TempDir(), journal.FileName)
	j := openJournal(t, path, clock, nil)
	lc := launchVendorConfig(clock, clip, vendor)
	lc.Journal = j
	l := NewLauncher(lc)
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		t.Fatal(err)
	}
	cfg.SetString("name", "Jane Doe")
	msg := l.begin(context.Background(), l.gen(), cfg, "desk", "")().(launchBeganMsg)
	if msg.err != nil || msg.journalErr != nil {
		t.Fatalf("begin: %v, journal: %v", msg.err, msg.journalErr)
	}
	s := getSession(t, j, launchtest.Token)
	if s.Source != "desk" || s.Customer != "Jane Doe" || s.URL != msg.session.URL || s.Server != api.DefaultBaseURL || !s.ExpiresAt.Equal(msg.session.ExpiresAt) {
		t.Fatalf("recorded %+v", s)
	}
	if s.PayloadHash != journal.PayloadHash(cfg.RequestBody()) {
		t.Fatal("the payload hash is not the payload's")
	}
	res := l.result(context.Background(), msg.gen, launchtest.Token)().(launchResultMsg)
	if res.journalErr != nil || getSession(t, j, launchtest.Token).PolledAt.IsZero() {
		t.Fatalf("the poll was not written: %v", res.journalErr)
	}
	j.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(launchtest.Key)) {
		t.Fatal("the company key is in the journal file")
	}
}

// The wizard's launch records its sessions as the wizard's, and its polls.
func TestLaunchWritesTheJournal(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	vendor := &launchtest.FakeVendor{}
	j := openJournal(t, filepath.Join(t.TempDir(), journal.FileName), clock, nil)
	lc := launchVendorConfig(clock, clip, vendor)
	lc.Journal = j
	d, _ := launchFromEditor(t, lc)
	d.RequireScreen("Expires in")
	if s := getSession(t, j, launchtest.Token); s.Source != "wizard" || s.Result != journal.ResultOpen || s.FlowFile != "/flows/basic.json" {
		t.Fatalf("recorded %+v", s)
	}
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.Outcome = map[string]string{launchtest.Token: `{"result":"rejected","reject_reason":{"value":"FACE_MISMATCH","description":"No match"}}`}
	})
	pollNow(d)
	if s := getSession(t, j, launchtest.Token); s.Result != journal.ResultRejected || s.RejectValue != "FACE_MISMATCH" {
		t.Fatalf("after the result: %+v", s)
	}
}

// A journal write that fails is said in the status line; the session
// stands.
func TestLaunchJournalFailureIsAWarning(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	j := openJournal(t, filepath.Join(t.TempDir(), journal.FileName), clock, nil)
	lc := launchVendorConfig(clock, clip, vendor)
	lc.Journal = j
	d, _ := launchDeskApp(t, lc)
	j.Close() // every write fails from now on
	d.Keys("enter")
	d.RequireScreen("Expires in", "Not kept in the journal")
}

// journalOf writes a morning at the desk: a session approved yesterday,
// one rejected and one expired today, and one still open (begun by an
// earlier desk), all at the vendor's base URL.
func journalOf(t *testing.T, clock *launchtest.Clock) *journal.Journal {
	t.Helper()
	j := openJournal(t, filepath.Join(t.TempDir(), journal.FileName), clock, nil)
	now := clock.Now()
	rejected := api.Result{Status: "rejected", RejectReason: &api.RejectReason{Value: "DOCUMENT_EXPIRED", Description: "The identity document has expired"}}
	rows := []struct {
		n      int
		name   string
		ago    time.Duration
		result *api.Result
	}{
		{1, "Nino Beridze", 20 * time.Hour, &api.Result{Status: "approved"}},
		{2, "Giorgi Kapanadze", 50 * time.Minute, &rejected},
		{3, "", 40 * time.Minute, nil},
		{4, "Tamar Lomidze", 5 * time.Minute, nil},
	}
	for _, r := range rows {
		tok := pageToken(r.n)
		started := now.Add(-r.ago)
		if _, err := j.Record(context.Background(), journal.NewSession{Token: tok, URL: api.DefaultBaseURL + "/?session_token=" + tok,
			Server: api.DefaultBaseURL, Source: "desk", FlowFile: "/flows/kyc.json", Customer: r.name, StartedAt: started}); err != nil {
			t.Fatal(err)
		}
		if r.result != nil {
			clock.Advance(-r.ago + 4*time.Minute)
			err := j.Update(context.Background(), tok, *r.result)
			clock.Advance(r.ago - 4*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return j
}

// Golden frames of the desk on a journal at 80×24 and 100×40: the ready
// screen with the sessions of earlier runs, the list browsed (with the
// names), a reopened session, and the idle lock.
func TestDeskJournalGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 40}} {
		w, h := size[0], size[1]
		suffix := fmt.Sprintf("_%dx%d", w, h)
		clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
		lc := launchVendorConfig(clock, clip, vendor)
		lc.Journal, lc.Retain, lc.LockAfter = journalOf(t, clock), journal.DefaultRetain, 5*time.Minute
		d, _ := launchDeskAppSized(t, lc, w, h)
		launchGolden(t, "desk_journal"+suffix, d.Raw())
		d.Keys("tab", "tab")
		launchGolden(t, "desk_history"+suffix, d.Raw())
		d.Keys("down", "down", "enter")
		d.RequireScreen("DOCUMENT_EXPIRED")
		launchGolden(t, "desk_session"+suffix, d.Raw())
		clock.Advance(5 * time.Minute)
		d.Send(deskLockMsg{seq: deskOf(d).lock.seq})
		launchGolden(t, "desk_locked"+suffix, d.Raw())
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		4 * time.Minute: "4m", 10 * time.Minute: "10m", 4*time.Minute + 30*time.Second: "4m30s",
		time.Hour: "1h", time.Hour + 5*time.Minute: "1h5m", 42 * time.Second: "42s", 1500 * time.Millisecond: "2s",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
