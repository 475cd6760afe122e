package journal

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// shift is a morning at a desk: one session of each kind.
func shift() Listing {
	t0 := newClock().Now()
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	s := func(n, start int) Session {
		return Session{ID: int64(n), Token: token(n), URL: "https://widget.example/?session_token=" + token(n),
			Server: "https://widget.example", Source: "desk", FlowFile: "/flows/kyc.json", PayloadHash: "sha256:00",
			StartedAt: at(start), ExpiresAt: at(start + 15), Result: ResultOpen}
	}
	approved := s(1, 0)
	approved.Customer, approved.ClientUserID = "Nino Beridze", "user-1"
	approved.Result, approved.Status, approved.FinishedAt, approved.PolledAt = ResultApproved, "approved", at(4), at(4)
	rejected := s(2, 10)
	rejected.Customer = "Evil\x1b[2J\u202eName"
	rejected.Result, rejected.Status, rejected.FinishedAt = ResultRejected, "rejected", at(16)
	rejected.RejectValue, rejected.RejectDescription = "DOC_EXPIRED", "document \x07expired"
	manual := s(3, 20)
	manual.Customer, manual.FlowFile, manual.ConfigID = "=HYPERLINK(\"http://x\")", "", "687e0ba12cf633bd323cb0db"
	manual.Result, manual.Status, manual.FinishedAt = ResultManualCheck, "review", at(30)
	expired := s(4, 40)
	expired.Result = ResultExpired
	wiped := s(5, 50)
	wiped.Wiped, wiped.PayloadHash = at(60), ""
	wiped.Result, wiped.FinishedAt = ResultApproved, at(52)
	ended := s(6, 55)
	ended.Server, ended.Result, ended.FinishedAt = Sandbox, ResultEnded, at(70)
	open := s(7, 70)
	return Listing{Since: t0, Sessions: []Session{approved, rejected, manual, expired, wiped, ended, open}}
}

func noRawControls(t *testing.T, out []byte) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output holds %q raw:\n%s", bad, out)
		}
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := shift().WriteText(&b, 0); err != nil {
		t.Fatal(err)
	}
	noRawControls(t, b.Bytes())
	for _, want := range []string{`Evil\x1b[2J\u202eName`, `document \aexpired (DOC_EXPIRED)`, "(removed)", "config 687e0ba12cf633bd323cb0db",
		"7 session(s) since", "median time to result: 5m0s (over 4)", "expired unused: 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q", want)
		}
	}
	golden.RequireEqual(t, b.Bytes())
}

func TestWriteTextEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := (Listing{}).WriteText(&b, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "0 session(s) since the journal began\n") || strings.Contains(b.String(), "STARTED") {
		t.Errorf("empty listing:\n%s", b.String())
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := shift().WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	noRawControls(t, b.Bytes())
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 8 || recs[0][0] != "started_at" || recs[0][3] != "customer" {
		t.Fatalf("CSV: %d records, header %v", len(recs), recs[0])
	}
	if got := recs[3][3]; got != `'=HYPERLINK("http://x")` {
		t.Errorf("a formula-like name is written %q", got)
	}
	if got := recs[1][2]; got != "240" {
		t.Errorf("seconds to result %q", got)
	}
	if got := recs[1][0]; got != shift().Sessions[0].StartedAt.UTC().Format(time.RFC3339) {
		t.Errorf("start time %q", got)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := shift().WriteJSON(&b, true); err != nil {
		t.Fatal(err)
	}
	noRawControls(t, b.Bytes())
	var out struct {
		Since    string
		Sessions []map[string]any
		Summary  struct {
			Total                 int            `json:"total"`
			ByResult              map[string]int `json:"by_result"`
			MedianSecondsToResult float64        `json:"median_seconds_to_result"`
			ExpiredUnused         int            `json:"expired_unused"`
		}
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Sessions) != 7 || out.Sessions[1]["customer"] != "Evil\x1b[2J\u202eName" {
		t.Errorf("JSON sessions lose the text: %v", out.Sessions[1]["customer"])
	}
	if out.Sessions[6]["finished_at"] != nil || out.Sessions[0]["reject_reason"] != nil {
		t.Errorf("absent values are not null: %v %v", out.Sessions[6]["finished_at"], out.Sessions[0]["reject_reason"])
	}
	if s := out.Summary; s.Total != 7 || s.ByResult["approved"] != 2 || s.ByResult["ended"] != 1 || s.MedianSecondsToResult != 300 || s.ExpiredUnused != 1 {
		t.Errorf("summary %+v", s)
	}
	b.Reset()
	if err := shift().WriteJSON(&b, false); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte(`"sessions"`)) || !bytes.Contains(b.Bytes(), []byte(`"by_result"`)) {
		t.Errorf("summary only:\n%s", b.Bytes())
	}
}

func TestSummarize(t *testing.T) {
	sum := Summarize(shift().Sessions)
	// Times to result: 4, 6, 10 and 2 minutes; the ended session has none.
	if sum.Timed != 4 || sum.MedianTimeToResult != 5*time.Minute || sum.ByResult[ResultOpen] != 1 || sum.ByResult[ResultExpired] != 1 {
		t.Errorf("summary %+v", sum)
	}
	if sum := Summarize(nil); sum.Total != 0 || sum.MedianTimeToResult != 0 || len(sum.ByResult) != len(Results()) {
		t.Errorf("empty summary %+v", sum)
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 5, 4, 15, 30, 0, 0, time.Local)
	cases := map[string]time.Time{
		"today":                     time.Date(2026, 5, 4, 0, 0, 0, 0, time.Local),
		"Yesterday":                 time.Date(2026, 5, 3, 0, 0, 0, 0, time.Local),
		"2026-04-01":                time.Date(2026, 4, 1, 0, 0, 0, 0, time.Local),
		"2026-04-01 08:15":          time.Date(2026, 4, 1, 8, 15, 0, 0, time.Local),
		"2026-04-01T08:15":          time.Date(2026, 4, 1, 8, 15, 0, 0, time.Local),
		"2026-04-01T08:15:00Z":      time.Date(2026, 4, 1, 8, 15, 0, 0, time.UTC),
		"2026-04-01T08:15:00+04:00": time.Date(2026, 4, 1, 4, 15, 0, 0, time.UTC),
		"8h":                        now.Add(-8 * time.Hour),
		"7d":                        now.Add(-7 * 24 * time.Hour),
		" 1d12h ":                   now.Add(-36 * time.Hour),
	}
	for in, want := range cases {
		if got, err := ParseTime(in, now); err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "2026-13-01", "-8h", "1d-2h", "d"} {
		if _, err := ParseTime(bad, now); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
	if d, err := ParseDuration("0"); err != nil || d != 0 {
		t.Errorf("ParseDuration(0) = %v, %v", d, err)
	}
}

func TestParseResult(t *testing.T) {
	for in, want := range map[string]Result{"approved": ResultApproved, "Manual check": ResultManualCheck, "manual-check": ResultManualCheck, " expired ": ResultExpired} {
		if got, err := ParseResult(in); err != nil || got != want {
			t.Errorf("ParseResult(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseResult("done"); err == nil || !strings.Contains(err.Error(), "approved, rejected") {
		t.Errorf("ParseResult(done): %v", err)
	}
}
