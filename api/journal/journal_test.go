package journal

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

func TestRecordKeepsTheSession(t *testing.T) {
	j, c := tempJournal(t)
	ctx := context.Background()
	n := newSession(1)
	n.FlowFile = "flows/kyc.json" // relative: kept absolute
	n.ConfigID = "687e0ba12cf633bd323cb0db"
	n.Customer, n.ClientUserID = "Nino Beridze", "user-42"
	got := record(t, j, n)
	wd, _ := os.Getwd()
	want := Session{
		ID: got.ID, Token: n.Token, URL: n.URL, Server: n.Server, Source: "desk", FlowFile: filepath.Join(wd, "flows/kyc.json"),
		PayloadHash: PayloadHash(n.Payload), ConfigID: n.ConfigID, Customer: "Nino Beridze", ClientUserID: "user-42",
		StartedAt: c.Now(), ExpiresAt: c.Now().Add(api.TokenLifetime), Result: ResultOpen,
	}
	if !sameSession(got, want) {
		t.Errorf("Record returned\n%+v\nwant\n%+v", got, want)
	}
	read, err := j.Get(ctx, n.Token)
	if err != nil || !sameSession(read, want) {
		t.Errorf("Get (%v):\n%+v\nwant\n%+v", err, read, want)
	}
	if !strings.HasPrefix(read.PayloadHash, "sha256:") || len(read.PayloadHash) != len("sha256:")+64 {
		t.Errorf("payload hash %q", read.PayloadHash)
	}
	if _, err := j.Get(ctx, token(2)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of an unknown token: %v", err)
	}
	c.Add(api.TokenLifetime)
	if s, _ := j.Get(ctx, n.Token); s.Result != ResultExpired {
		t.Errorf("after the token's lifetime: %s", s.Result)
	}
}

func sameSession(a, b Session) bool {
	eq := func(x, y time.Time) bool { return x.Equal(y) }
	return a.ID == b.ID && a.Token == b.Token && a.URL == b.URL && a.Server == b.Server && a.Source == b.Source &&
		a.FlowFile == b.FlowFile && a.PayloadHash == b.PayloadHash && a.ConfigID == b.ConfigID && a.Customer == b.Customer &&
		a.ClientUserID == b.ClientUserID && eq(a.Wiped, b.Wiped) && eq(a.StartedAt, b.StartedAt) && eq(a.ExpiresAt, b.ExpiresAt) &&
		eq(a.FinishedAt, b.FinishedAt) && eq(a.PolledAt, b.PolledAt) && a.Result == b.Result && a.Status == b.Status &&
		a.RejectValue == b.RejectValue && a.RejectDescription == b.RejectDescription
}

func TestRecordRefuses(t *testing.T) {
	j, _ := tempJournal(t)
	ctx := context.Background()
	record(t, j, newSession(1))
	if _, err := j.Record(ctx, newSession(1)); err == nil || !strings.Contains(err.Error(), "already in the journal") {
		t.Errorf("the same token twice: %v", err)
	}
	bad := newSession(2)
	bad.Token = "not a token"
	if _, err := j.Record(ctx, bad); err == nil {
		t.Error("a token with spaces was recorded")
	}
	bad = newSession(3)
	bad.Server = ""
	if _, err := j.Record(ctx, bad); err == nil {
		t.Error("a session without a server was recorded")
	}
}

func TestUpdateFollowsTheResult(t *testing.T) {
	j, c := tempJournal(t)
	ctx := context.Background()
	s := record(t, j, newSession(1))

	c.Add(time.Minute)
	if err := j.Update(ctx, s.Token, api.Result{Status: "in_progress"}); err != nil {
		t.Fatal(err)
	}
	got, _ := j.Get(ctx, s.Token)
	if got.Result != ResultOpen || !got.PolledAt.Equal(c.Now()) || !got.FinishedAt.IsZero() || got.Status != "in_progress" {
		t.Errorf("after a poll in progress: %+v", got)
	}

	c.Add(time.Minute)
	finished := c.Now()
	rejected := api.Result{Status: "rejected", RejectReason: &api.RejectReason{Value: "DOC_EXPIRED", Description: "document expired"}}
	if err := j.Update(ctx, s.Token, rejected); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute) // a later poll keeps the first finish time
	if err := j.Update(ctx, s.Token, rejected); err != nil {
		t.Fatal(err)
	}
	got, _ = j.Get(ctx, s.Token)
	if got.Result != ResultRejected || !got.FinishedAt.Equal(finished) || !got.PolledAt.Equal(c.Now()) ||
		got.RejectValue != "DOC_EXPIRED" || got.RejectDescription != "document expired" {
		t.Errorf("after the result: %+v", got)
	}
	if d, ok := got.TimeToResult(); !ok || d != 2*time.Minute {
		t.Errorf("time to result %v %v", d, ok)
	}
	c.Add(time.Hour) // final: never reads as expired
	if got, _ = j.Get(ctx, s.Token); got.Result != ResultRejected {
		t.Errorf("a rejected session an hour later: %s", got.Result)
	}
	if err := j.Update(ctx, token(9), rejected); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update of an unknown token: %v", err)
	}
	long := api.Result{Status: strings.Repeat("é", 2*maxVendorText)}
	if err := j.Update(ctx, s.Token, long); err != nil {
		t.Fatal(err)
	}
	if got, _ = j.Get(ctx, s.Token); len(got.Status) > maxVendorText || !strings.HasPrefix(long.Status, got.Status) || got.Result != ResultManualCheck {
		t.Errorf("an overlong status is kept as %d bytes (%s)", len(got.Status), got.Result)
	}
}

func TestOpenSessionsHistoryAndList(t *testing.T) {
	j, c := tempJournal(t)
	ctx := context.Background()
	var all []string
	for i := range 6 {
		s := record(t, j, newSession(i))
		all = append(all, s.Token)
		c.Add(4 * time.Minute)
	}
	// 0–2 expired by now (started 24, 20, 16 minutes ago); 3–5 still open.
	if err := j.Update(ctx, all[4], api.Result{Status: "approved"}); err != nil {
		t.Fatal(err)
	}
	open, err := j.OpenSessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := tokens(open); !slices.Equal(got, []string{all[3], all[5]}) {
		t.Errorf("open sessions %v", got)
	}

	page1, err := j.History(ctx, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	page2, _ := j.History(ctx, page1[len(page1)-1].ID, 4)
	page3, _ := j.History(ctx, page2[len(page2)-1].ID, 4)
	got := append(tokens(page1), tokens(page2)...)
	slices.Reverse(got)
	if !slices.Equal(got, all) || len(page1) != 4 || len(page3) != 0 {
		t.Errorf("history pages %v / %v / %v", tokens(page1), tokens(page2), tokens(page3))
	}
	if page1[0].Result != ResultOpen || page1[1].Result != ResultApproved || page2[1].Result != ResultExpired {
		t.Errorf("history results %s %s %s", page1[0].Result, page1[1].Result, page2[1].Result)
	}

	start := newClock().Now()
	list, err := j.List(ctx, Filter{Since: start.Add(4 * time.Minute), Until: start.Add(20 * time.Minute)})
	if err != nil || !slices.Equal(tokens(list), all[1:5]) {
		t.Errorf("List by time (%v): %v", err, tokens(list))
	}
	list, _ = j.List(ctx, Filter{Results: []Result{ResultExpired, ResultApproved}})
	if want := []string{all[0], all[1], all[2], all[4]}; !slices.Equal(tokens(list), want) {
		t.Errorf("List by result: %v, want %v", tokens(list), want)
	}
}

// The desk's start-up query must not read the whole journal.
func TestOpenSessionsUseTheIndex(t *testing.T) {
	j, _ := tempJournal(t)
	plan := queryPlan(t, j, openSessionsQuery, 0)
	if !strings.Contains(plan, "USING INDEX sessions_open") || strings.Contains(plan, "SCAN sessions") {
		t.Errorf("open sessions plan:\n%s", plan)
	}
	plan = queryPlan(t, j, historyQuery, 0, 10)
	if !strings.Contains(plan, "USING INTEGER PRIMARY KEY") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("history plan:\n%s", plan)
	}
	plan = queryPlan(t, j, wipeQuery, 0, 0)
	if !strings.Contains(plan, "USING INDEX sessions_named") {
		t.Errorf("retention plan:\n%s", plan)
	}
}

func queryPlan(t *testing.T, j *Journal, query string, args ...any) string {
	t.Helper()
	rows, err := j.db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

func TestEndSandboxSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := newClock()
	gone := map[int]bool{1001: true}
	opts := func() Options {
		return Options{Path: path, Retain: DefaultRetain, Now: c.Now, Running: func(pid int) bool { return !gone[pid] }}
	}
	first, err := Open(context.Background(), opts())
	if err != nil {
		t.Fatal(err)
	}
	sandbox := newSession(1)
	sandbox.Server = Sandbox
	record(t, first, sandbox)
	record(t, first, newSession(2)) // a real vendor's: not the program's to end
	first.Close()

	// The program that served them was process 1001; it has stopped.
	raw := openAt(t, path, c)
	if _, err := raw.db.Exec(`UPDATE sessions SET owner_pid = 1001`); err != nil {
		t.Fatal(err)
	}
	// A sandbox session of a program that still runs (another terminal).
	other := newSession(3)
	other.Server = Sandbox
	record(t, raw, other)
	if _, err := raw.db.Exec(`UPDATE sessions SET owner_pid = 1002, owner_run = 'x' WHERE token = ?`, other.Token); err != nil {
		t.Fatal(err)
	}

	second := openWith(t, opts())
	mine := newSession(4)
	mine.Server = Sandbox
	record(t, second, mine)
	gone[second.pid] = true // even so, its own sessions are its own

	ended, err := second.EndSandboxSessions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := tokens(ended); !slices.Equal(got, []string{sandbox.Token}) || ended[0].Result != ResultEnded {
		t.Fatalf("ended %v", got)
	}
	open, _ := second.OpenSessions(context.Background())
	if got := tokens(open); !slices.Equal(got, []string{token(2), token(3), token(4)}) {
		t.Errorf("open after ending: %v", got)
	}
	if _, ok := ended[0].TimeToResult(); ok {
		t.Error("an ended session counts as a result")
	}
	if again, _ := second.EndSandboxSessions(context.Background()); len(again) != 0 {
		t.Errorf("ended twice: %v", tokens(again))
	}
}

func TestEndOwnSandboxSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := newClock()
	opts := Options{Path: path, Retain: DefaultRetain, Now: c.Now, Running: func(int) bool { return true }}
	other := openWith(t, opts) // another program, still running
	theirs := newSession(1)
	theirs.Server = Sandbox
	record(t, other, theirs)
	mine := openWith(t, opts)
	own := newSession(2)
	own.Server = Sandbox
	record(t, mine, own)
	record(t, mine, newSession(3)) // a real vendor's: it goes on without this program
	done := newSession(4)
	done.Server = Sandbox
	record(t, mine, done)
	if err := mine.Update(context.Background(), done.Token, api.Result{Status: "approved"}); err != nil {
		t.Fatal(err)
	}
	ended, err := mine.EndOwnSandboxSessions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := tokens(ended); !slices.Equal(got, []string{own.Token}) || ended[0].Result != ResultEnded {
		t.Fatalf("ended %v", got)
	}
	open, _ := other.OpenSessions(context.Background())
	if got := tokens(open); !slices.Equal(got, []string{token(1), token(3)}) {
		t.Errorf("open after ending: %v", got)
	}
	if s, _ := other.Get(context.Background(), done.Token); s.Result != ResultApproved {
		t.Errorf("a session with a result became %s", s.Result)
	}
}

func TestProcessRunning(t *testing.T) {
	if !ProgramRunning(os.Getpid()) {
		t.Error("this program is not running?")
	}
	if ProgramRunning(0) || ProgramRunning(-1) {
		t.Error("pid 0 or -1 running")
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/state", "HOME": "/home/op"}, "/state/identoflow/journal.db"},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/home/op"}, "/home/op/.local/state/identoflow/journal.db"},
		{map[string]string{"HOME": "/home/op"}, "/home/op/.local/state/identoflow/journal.db"},
	}
	for _, tc := range cases {
		if got, err := DefaultPath(env(tc.env)); err != nil || got != filepath.FromSlash(tc.want) {
			t.Errorf("%v: %q %v", tc.env, got, err)
		}
	}
	if _, err := DefaultPath(env(nil)); err == nil {
		t.Error("no HOME: a path anyway")
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := Open(ctx, Options{Path: dir}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("a directory: %v", err)
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte(strings.Repeat("not a database\n", 200)), 0o600)
	if _, err := Open(ctx, Options{Path: text}); err == nil {
		t.Error("a text file opened as a journal")
	}
	if b, _ := os.ReadFile(text); !strings.HasPrefix(string(b), "not a database") {
		t.Error("the text file was changed")
	}
	missing := filepath.Join(dir, "sub", "j.db")
	if _, err := Open(ctx, Options{Path: missing, MustExist: true, CreateFolder: true}); !errors.Is(err, ErrNoJournal) {
		t.Errorf("MustExist on a missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
		t.Error("MustExist created the folder")
	}
	if _, err := Open(ctx, Options{Path: missing, Retain: -time.Hour}); err == nil {
		t.Error("negative retention accepted")
	}
}

// A path whose folder is missing is refused, naming the folder, and
// nothing is created; CreateFolder (the default location) makes it.
func TestOpenRefusesAMissingFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "d", "e", "j.db")
	for _, mustExist := range []bool{false, true} {
		_, err := Open(ctx, Options{Path: path, MustExist: mustExist})
		if want := "folder " + filepath.Join(dir, "d", "e") + " does not exist"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("MustExist %v: %v, want %q", mustExist, err, want)
		}
		if _, err := os.Stat(filepath.Join(dir, "d")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("MustExist %v: the folder was made", mustExist)
		}
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o600)
	if err := CheckFolder(filepath.Join(file, "j.db")); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("a file as the folder: %v", err)
	}
	if err := CheckFolder(filepath.Join(dir, "j.db")); err != nil {
		t.Errorf("an existing folder: %v", err)
	}
	openWith(t, Options{Path: path, CreateFolder: true})
	if _, err := os.Stat(path); err != nil {
		t.Errorf("CreateFolder: %v", err)
	}
}

func TestFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "identoflow")
	j := openWith(t, Options{Path: filepath.Join(dir, FileName), Retain: DefaultRetain, Now: newClock().Now, CreateFolder: true})
	record(t, j, newSession(1))
	for _, name := range []string{dir, j.Path(), j.Path() + "-wal"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %v: others can read it", name, perm)
		}
	}
}

// The check knows this very program from another one.
func TestProgramRunningKnowsThisProgram(t *testing.T) {
	if !ProgramRunning(os.Getpid()) {
		t.Fatal("this process is not seen as running")
	}
	cmd := exec.Command("sleep", "5")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep command:", err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if _, err := os.Stat("/proc/self/exe"); err == nil && ProgramRunning(cmd.Process.Pid) {
		t.Fatal("another program is taken for a running identoflow")
	}
}
