package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
)

// goldenFile keeps the report's golden files with the command line's, in
// the module's testdata/golden/report.
type goldenFile struct {
	testing.TB
	name string
}

func (g goldenFile) Name() string { return "../../testdata/golden/report/" + g.name }

// sampleReports has a file of each kind: valid and clean, valid with
// notes, invalid, not JSON, unreadable.
func sampleReports() []FileReport {
	return []FileReport{
		NewFileReport("flows/clean.json", nil, false),
		NewFileReport("flows/notes.json", flow.Diagnostics{
			{Severity: flow.SevWarning, Code: flow.CodeLocalize, Path: "/steps/0/title", Message: `"title" should be a localized object such as {"en": "Notes"}`},
			{Severity: flow.SevInfo, Code: flow.CodeIframeMode, Path: "/flags/return_url", Message: "no return_url: the flow is meant to run in an iframe"},
		}, false),
		NewFileReport("flows/broken.json", flow.Diagnostics{
			{Severity: flow.SevError, Code: flow.CodeEnum, Path: "/steps/0/flags/document_types/1", Message: `"drivers_license" is not allowed (did you mean "driver_license"?)`},
			{Severity: flow.SevWarning, Code: flow.CodeUnknownField, Path: "/nmae", Message: `unknown field "nmae" (did you mean "name"?)`},
		}, false),
		NewFileReport("<stdin>", flow.Diagnostics{
			{Severity: flow.SevError, Code: flow.CodeJSONSyntax, Message: "line 5, column 3: unexpected character ']', expected a value"},
		}, false),
		{File: "flows/locked.json", Error: "permission denied", Diagnostics: flow.Diagnostics{}},
	}
}

func textReport(t *testing.T, files []FileReport, color bool) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTextReport(&b, files, color); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTextReportGolden(t *testing.T) {
	golden.RequireEqual(goldenFile{t, "text"}, textReport(t, sampleReports(), false))
	golden.RequireEqual(goldenFile{t, "text-colour"}, textReport(t, sampleReports(), true))
}

func TestJSONReportGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSONReport(&b, sampleReports()); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(goldenFile{t, "json"}, b.String())
}

func TestNewFileReportValidity(t *testing.T) {
	warn := flow.Diagnostic{Severity: flow.SevWarning, Code: flow.CodeLocalize, Path: "/steps/0/title", Message: "m"}
	info := flow.Diagnostic{Severity: flow.SevInfo, Code: flow.CodeIframeMode, Path: "/flags/return_url", Message: "m"}
	errd := flow.Diagnostic{Severity: flow.SevError, Code: flow.CodeEnum, Path: "/flags/language", Message: "m"}
	cases := []struct {
		diags         flow.Diagnostics
		valid, strict bool // valid without and with --strict
	}{
		{nil, true, true},
		{flow.Diagnostics{info}, true, true},
		{flow.Diagnostics{warn, info}, true, false},
		{flow.Diagnostics{errd}, false, false},
		{flow.Diagnostics{warn, errd}, false, false},
	}
	for i, c := range cases {
		if r := NewFileReport("f", c.diags, false); r.Valid != c.valid || r.Diagnostics == nil {
			t.Errorf("case %d: valid %v, want %v (diagnostics %v)", i, r.Valid, c.valid, r.Diagnostics)
		}
		if r := NewFileReport("f", c.diags, true); r.Valid != c.strict {
			t.Errorf("case %d strict: valid %v, want %v", i, r.Valid, c.strict)
		}
	}
}

func TestJSONReportShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSONReport(&b, nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(b.String()), ""); got != `{"files":[]}` {
		t.Errorf("no files: %s", b.String())
	}
	b.Reset()
	files := []FileReport{NewFileReport("a <b> & c.json", nil, false), {File: "gone.json", Error: "no such file"}}
	if err := WriteJSONReport(&b, files); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Files []map[string]json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal(b.Bytes(), &rep); err != nil || len(rep.Files) != 2 {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if _, ok := rep.Files[0]["error"]; ok || string(rep.Files[0]["diagnostics"]) != "[]" || string(rep.Files[0]["valid"]) != "true" {
		t.Errorf("clean file: %s", b.String())
	}
	if string(rep.Files[1]["error"]) != `"no such file"` || string(rep.Files[1]["valid"]) != "false" {
		t.Errorf("unreadable file: %s", b.String())
	}
	if !strings.Contains(b.String(), `"a <b> & c.json"`) {
		t.Errorf("file names are HTML-escaped: %s", b.String())
	}
}

func TestTextReportSummary(t *testing.T) {
	one := []FileReport{NewFileReport("a.json", flow.Diagnostics{
		{Severity: flow.SevError, Code: "enum", Path: "/x", Message: "m"},
		{Severity: flow.SevWarning, Code: "localize", Path: "/y", Message: "m"},
		{Severity: flow.SevInfo, Code: "iframe-mode", Path: "/z", Message: "m"},
	}, false)}
	if got := lastLine(textReport(t, one, false)); got != "1 file: 0 valid, 1 invalid (1 error, 1 warning, 1 info)" {
		t.Errorf("summary: %q", got)
	}
	two := append(one, NewFileReport("b.json", flow.Diagnostics{
		{Severity: flow.SevError, Code: "enum", Path: "/x", Message: "m"},
		{Severity: flow.SevWarning, Code: "localize", Path: "/y", Message: "m"},
		{Severity: flow.SevInfo, Code: "iframe-mode", Path: "/z", Message: "m"},
	}, false), NewFileReport("c.json", nil, false))
	if got := lastLine(textReport(t, two, false)); got != "3 files: 1 valid, 2 invalid (2 errors, 2 warnings, 2 info)" {
		t.Errorf("summary: %q", got)
	}
	if got := textReport(t, nil, false); got != "0 files: 0 valid, 0 invalid (0 errors, 0 warnings, 0 info)\n" {
		t.Errorf("no files: %q", got)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTextReportColour(t *testing.T) {
	plain := textReport(t, sampleReports(), false)
	if strings.Contains(plain, "\x1b") {
		t.Errorf("colour without color:\n%q", plain)
	}
	coloured := textReport(t, sampleReports(), true)
	for _, want := range []string{ansiRed + ansiBold + "error" + ansiReset, ansiYellow + ansiBold + "warning" + ansiReset, ansiCyan + ansiBold + "info" + ansiReset} {
		if !strings.Contains(coloured, want) {
			t.Errorf("coloured report lacks %q:\n%q", want, coloured)
		}
	}
	// Only the severity is coloured: the rest reads the same.
	for _, c := range []string{ansiRed, ansiYellow, ansiCyan, ansiBold, ansiReset} {
		coloured = strings.ReplaceAll(coloured, c, "")
	}
	if coloured != plain {
		t.Errorf("coloured report differs beyond the colours:\n%s\n%s", coloured, plain)
	}
}

// Names in paths come from the config and file names from globs: the text
// report escapes what a terminal would act on.
func TestTextReportEscapesControlCharacters(t *testing.T) {
	files := []FileReport{
		NewFileReport("evil\x1b[2J.json", flow.Diagnostics{
			{Severity: flow.SevWarning, Code: "unknown-field", Path: "/na\x1b]0;title\x07me", Message: "unknown field\nforged.json: error x: y"},
			{Severity: flow.SevWarning, Code: "unknown-field", Path: "/ünïcødé 日本語", Message: "right\u202eto left, bad \xff byte, tab\there"},
		}, false),
		{File: "gone\r.json", Error: "no such file\x1b[0m"},
	}
	got := textReport(t, files, false)
	for _, raw := range []string{"\x1b", "\x07", "\r", "\t", "\u202e", "\xff", "\nforged"} {
		if strings.Contains(got, raw) {
			t.Errorf("report holds raw %q:\n%s", raw, got)
		}
	}
	for _, want := range []string{
		`evil\x1b[2J.json:/na\x1b]0;title\ame: warning unknown-field: unknown field\nforged.json: error x: y`,
		`evil\x1b[2J.json:/ünïcødé 日本語: warning unknown-field: right\u202eto left, bad \xff byte, tab\there`,
		`gone\r.json: cannot read: no such file\x1b[0m`,
	} {
		if !strings.Contains(got, want+"\n") {
			t.Errorf("report lacks line %q:\n%s", want, got)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestReportWriteErrors(t *testing.T) {
	if err := WriteTextReport(failingWriter{}, sampleReports(), false); err == nil {
		t.Error("text report: no error from a failing writer")
	}
	if err := WriteJSONReport(failingWriter{}, sampleReports()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("JSON report: error %v", err)
	}
}

// The JSON report writes what flow.Unsafe names as \u escapes: nothing
// reaches a terminal raw, and the decoded values are unchanged.
func TestJSONReportEscapesUnsafeCharacters(t *testing.T) {
	const file, path, message = "evil\u202egnp.json", "/na\u009b2Jme\x7f", "unknown field\u2066 \x1b[31mred"
	var buf bytes.Buffer
	if err := WriteJSONReport(&buf, []FileReport{NewFileReport(file, flow.Diagnostics{
		{Severity: flow.SevWarning, Code: "unknown-field", Path: path, Message: message},
	}, false)}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, raw := range []string{"\u202e", "\u009b", "\x7f", "\u2066", "\x1b"} {
		if strings.Contains(out, raw) {
			t.Errorf("JSON report holds raw %q:\n%s", raw, out)
		}
	}
	if !strings.Contains(out, `evil\u202egnp.json`) {
		t.Errorf("JSON report lacks the escaped file name:\n%s", out)
	}
	var rep struct {
		Files []struct {
			File        string
			Diagnostics []struct{ Path, Message string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil || len(rep.Files) != 1 || rep.Files[0].File != file ||
		len(rep.Files[0].Diagnostics) != 1 || rep.Files[0].Diagnostics[0].Path != path || rep.Files[0].Diagnostics[0].Message != message {
		t.Errorf("the escaped report decodes to other values (%v): %+v", err, rep)
	}
}

// The text report makes visible what flow.Unsafe names and nothing more:
// a no-break space or a zero-width non-joiner in a name is shown as typed.
func TestTextReportFollowsUnsafe(t *testing.T) {
	got := textReport(t, []FileReport{NewFileReport("Mehr\u200cnaz\u00a0flow.json", flow.Diagnostics{
		{Severity: flow.SevWarning, Code: "unknown-field", Path: "/x\u009by", Message: "m"},
	}, false)}, false)
	if want := "Mehr\u200cnaz\u00a0flow.json:/x\\u009by: warning unknown-field: m\n"; !strings.HasPrefix(got, want) {
		t.Errorf("report:\n%q\nwant the line %q", got, want)
	}
}
