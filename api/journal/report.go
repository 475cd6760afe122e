package journal

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/identoflow/identoflow/flow"
)

// Listing is a selection of sessions to print: the journal command's
// output. Untrusted text (names, file names, the server's texts) goes
// through flow.Visible in text and CSV, and the JSON through
// flow.EscapeJSON.
type Listing struct {
	Since    time.Time // zero: from the start
	Sessions []Session
}

const (
	textTime  = "2006-01-02 15:04"
	noValue   = "-"
	wipedName = "(removed)"
)

// WriteText writes a table of the sessions, one a line, then the summary.
// With width > 0 (a terminal's columns) the table fits it: the token is
// cut to its end, or leaves when even that does not let every other cell
// show whole; then long cells are cut with "…", and on a very narrow
// terminal the flow and time columns leave too. The start and the result
// are always whole. With width 0 (not a terminal) only cells
// wider than cellMax are cut. --json and --csv keep every value whole.
func (l Listing) WriteText(w io.Writer, width int) error {
	if len(l.Sessions) > 0 {
		cols := []column{
			{head: "STARTED", whole: true},
			{head: "RESULT", whole: true},
			{head: "TIME", whole: true, dropRank: 2},
			{head: "CUSTOMER", min: 16},
			{head: "TOKEN", min: 7, cutLeft: true, spare: true},
			{head: "FLOW", min: 8, dropRank: 1},
			{head: "REASON", min: 8},
		}
		for _, s := range l.Sessions {
			took := noValue
			if d, ok := s.TimeToResult(); ok {
				took = d.Round(time.Second).String()
			}
			for i, v := range []string{s.StartedAt.Local().Format(textTime), s.Result.Label(), took,
				orDash(customerText(s)), flow.Visible(s.Token), orDash(flowText(s)), orDash(flow.Visible(reasonText(s)))} {
				cols[i].cells = append(cols[i].cells, v)
			}
		}
		if err := writeTable(w, cols, layout(cols, width)); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return l.WriteSummary(w)
}

// WriteSummary writes the shift summary: the count of each result, the
// median time to a result and the sessions that expired unused.
func (l Listing) WriteSummary(w io.Writer) error {
	sum := Summarize(l.Sessions)
	since := "since the journal began"
	if !l.Since.IsZero() {
		since = "since " + l.Since.Local().Format(textTime)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d session(s) %s\n", sum.Total, since)
	width := len(strconv.Itoa(sum.Total))
	for _, r := range Results() {
		fmt.Fprintf(&b, "  %-12s  %*d\n", r.Label(), width, sum.ByResult[r])
	}
	if sum.Timed > 0 {
		fmt.Fprintf(&b, "median time to result: %s (over %d)\n", sum.MedianTimeToResult.Round(time.Second), sum.Timed)
	} else {
		b.WriteString("median time to result: none yet\n")
	}
	fmt.Fprintf(&b, "expired unused: %d\n", sum.ExpiredUnused)
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return noValue
	}
	return s
}

func customerText(s Session) string {
	if !s.Wiped.IsZero() {
		return wipedName
	}
	name := flow.Visible(s.Customer)
	if s.ClientUserID != "" {
		if name != "" {
			name += " "
		}
		name += "(" + flow.Visible(s.ClientUserID) + ")"
	}
	return name
}

func flowText(s Session) string {
	var parts []string
	if s.FlowFile != "" {
		parts = append(parts, flow.Visible(filepath.Base(s.FlowFile)))
	}
	if s.ConfigID != "" {
		parts = append(parts, "config "+flow.Visible(s.ConfigID))
	}
	return strings.Join(parts, " + ")
}

// reasonText is the server's word on a final result: the reject reason as
// "description (value)", or the status of a manual check when it says
// more than the result does ("review", not "manual_check").
func reasonText(s Session) string {
	switch {
	case s.RejectDescription != "" && s.RejectValue != "":
		return s.RejectDescription + " (" + s.RejectValue + ")"
	case s.RejectDescription != "" || s.RejectValue != "":
		return s.RejectDescription + s.RejectValue
	case s.Result == ResultManualCheck:
		if r, err := ParseResult(s.Status); err == nil && r == ResultManualCheck {
			return ""
		}
		return s.Status
	}
	return ""
}

// WriteCSV writes the sessions as CSV with a header line, times in RFC 3339
// (UTC). Text that a spreadsheet would take for a formula is prefixed with
// an apostrophe.
func (l Listing) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := []string{"started_at", "result", "seconds_to_result", "customer", "client_user_id", "name_removed_at",
		"token", "url", "server", "source", "flow_file", "config_id", "payload_hash", "status", "reject_value",
		"reject_description", "expires_at", "finished_at", "polled_at"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, s := range l.Sessions {
		took := ""
		if d, ok := s.TimeToResult(); ok {
			took = strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
		}
		rec := []string{stamp(s.StartedAt), string(s.Result), took, cell(s.Customer), cell(s.ClientUserID), stamp(s.Wiped),
			s.Token, cell(s.URL), cell(s.Server), cell(s.Source), cell(s.FlowFile), cell(s.ConfigID), s.PayloadHash,
			cell(s.Status), cell(s.RejectValue), cell(s.RejectDescription), stamp(s.ExpiresAt), stamp(s.FinishedAt), stamp(s.PolledAt)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell makes untrusted text safe in a CSV cell: visible, and not a formula.
func cell(s string) string {
	s = flow.Visible(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// stamp is t in RFC 3339 (UTC, milliseconds when there are any); "" for the
// zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
}

type jsonReason struct {
	Value       string `json:"value"`
	Description string `json:"description"`
}

type jsonSession struct {
	Token           string      `json:"token"`
	URL             string      `json:"url"`
	Server          string      `json:"server"`
	Source          string      `json:"source"`
	FlowFile        string      `json:"flow_file"`
	ConfigID        string      `json:"config_id"`
	PayloadHash     string      `json:"payload_hash"`
	Customer        string      `json:"customer"`
	ClientUserID    string      `json:"client_user_id"`
	NameRemovedAt   *string     `json:"name_removed_at"`
	StartedAt       string      `json:"started_at"`
	ExpiresAt       string      `json:"expires_at"`
	FinishedAt      *string     `json:"finished_at"`
	PolledAt        *string     `json:"polled_at"`
	Result          Result      `json:"result"`
	SecondsToResult *float64    `json:"seconds_to_result"`
	Status          string      `json:"status"`
	RejectReason    *jsonReason `json:"reject_reason"`
}

type jsonSummary struct {
	Total                 int            `json:"total"`
	ByResult              map[Result]int `json:"by_result"`
	MedianSecondsToResult *float64       `json:"median_seconds_to_result"`
	Timed                 int            `json:"timed"`
	ExpiredUnused         int            `json:"expired_unused"`
}

// WriteJSON writes {"since", "sessions", "summary"}, or with withSessions
// false only the summary object. Times are RFC 3339 (UTC); absent ones null.
func (l Listing) WriteJSON(w io.Writer, withSessions bool) error {
	sum := Summarize(l.Sessions)
	js := jsonSummary{Total: sum.Total, ByResult: sum.ByResult, Timed: sum.Timed, ExpiredUnused: sum.ExpiredUnused}
	if sum.Timed > 0 {
		sec := sum.MedianTimeToResult.Seconds()
		js.MedianSecondsToResult = &sec
	}
	var v any = js
	if withSessions {
		sessions := make([]jsonSession, 0, len(l.Sessions))
		for _, s := range l.Sessions {
			sessions = append(sessions, toJSON(s))
		}
		v = struct {
			Since    *string       `json:"since"`
			Sessions []jsonSession `json:"sessions"`
			Summary  jsonSummary   `json:"summary"`
		}{optStamp(l.Since), sessions, js}
	}
	return flow.WriteJSON(w, v)
}

func toJSON(s Session) jsonSession {
	j := jsonSession{
		Token: s.Token, URL: s.URL, Server: s.Server, Source: s.Source, FlowFile: s.FlowFile, ConfigID: s.ConfigID,
		PayloadHash: s.PayloadHash, Customer: s.Customer, ClientUserID: s.ClientUserID, NameRemovedAt: optStamp(s.Wiped),
		StartedAt: stamp(s.StartedAt), ExpiresAt: stamp(s.ExpiresAt), FinishedAt: optStamp(s.FinishedAt),
		PolledAt: optStamp(s.PolledAt), Result: s.Result, Status: s.Status,
	}
	if d, ok := s.TimeToResult(); ok {
		sec := d.Seconds()
		j.SecondsToResult = &sec
	}
	if s.RejectValue != "" || s.RejectDescription != "" {
		j.RejectReason = &jsonReason{Value: s.RejectValue, Description: s.RejectDescription}
	}
	return j
}

func optStamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := stamp(t)
	return &s
}
