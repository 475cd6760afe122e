package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

func TestTextReportLeadsWithLineAndColumn(t *testing.T) {
	got := textReport(t, []FileReport{NewFileReport("f.json", flow.Diagnostics{
		{Severity: flow.SevError, Code: flow.CodeEnum, Path: "/steps/0/type", Message: "m", Line: 12, Column: 5},
		{Severity: flow.SevError, Code: flow.CodeJSONSyntax, Message: "line 3, column 1: x", Line: 3, Column: 1},
		{Severity: flow.SevWarning, Code: flow.CodeLocalize, Path: "/title", Message: "unplaced"},
	}, false)}, false)
	// In the order they stand in the file; those without a place last.
	want := "f.json:3:1: error json-syntax: line 3, column 1: x\n" +
		"f.json:12:5: /steps/0/type: error enum: m\n" +
		"f.json:/title: warning localize: unplaced\n"
	if !strings.HasPrefix(got, want) {
		t.Errorf("report:\n%s\nwant it to start:\n%s", got, want)
	}
}

func TestAtLeastHidesLowerSeverities(t *testing.T) {
	r := NewFileReport("f.json", flow.Diagnostics{
		{Severity: flow.SevError, Code: "enum"}, {Severity: flow.SevWarning, Code: "localize"}, {Severity: flow.SevInfo, Code: "iframe-mode"},
	}, true)
	codes := func(r FileReport) string {
		var s []string
		for _, d := range r.Diagnostics {
			s = append(s, d.Code)
		}
		return strings.Join(s, " ")
	}
	for min, want := range map[flow.Severity]string{flow.SevInfo: "enum localize iframe-mode", flow.SevWarning: "enum localize", flow.SevError: "enum"} {
		got := r.AtLeast(min)
		if codes(got) != want || got.Valid != r.Valid {
			t.Errorf("at least %s: %q (valid %v), want %q", min, codes(got), got.Valid, want)
		}
	}
	if codes(r) != "enum localize iframe-mode" {
		t.Errorf("AtLeast changed the report it was called on: %q", codes(r))
	}
}

// What AtLeast hides is still counted, and an invalid file whose reasons
// are all hidden says so, in text, GitHub annotations and SARIF.
func TestHiddenDiagnosticsAreCounted(t *testing.T) {
	diags := flow.Diagnostics{
		{Severity: flow.SevWarning, Code: "localize", Path: "/title", Message: "w", Line: 1, Column: 2},
		{Severity: flow.SevWarning, Code: "localize", Path: "/steps/0/title", Message: "w", Line: 4, Column: 2},
		{Severity: flow.SevInfo, Code: "iframe-mode", Path: "/flags", Message: "i", Line: 2, Column: 1},
	}
	strict := NewFileReport("strict.json", diags, true).AtLeast(flow.SevError)
	lenient := NewFileReport("lenient.json", append(flow.Diagnostics{
		{Severity: flow.SevError, Code: "enum", Path: "/x", Message: "e", Line: 3, Column: 1}}, diags...), false).AtLeast(flow.SevError)
	files := []FileReport{strict, lenient}

	want := "strict.json: invalid; 2 warnings, 1 info hidden\n" +
		"lenient.json:3:1: /x: error enum: e\n" +
		"2 files: 0 valid, 2 invalid (1 error, 4 warnings hidden, 2 info hidden)\n"
	if got := textReport(t, files, false); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	partly := NewFileReport("p.json", diags, false)
	partly.Hidden = flow.Diagnostics{{Severity: flow.SevWarning, Code: "localize"}}
	if got := lastLine(textReport(t, []FileReport{partly}, false)); got != "1 file: 1 valid, 0 invalid (0 errors, 3 warnings, 1 hidden, 1 info)" {
		t.Errorf("some warnings hidden: %q", got)
	}

	var gh bytes.Buffer
	if err := WriteGitHubAnnotations(&gh, files); err != nil {
		t.Fatal(err)
	}
	want = "::error file=strict.json,title=hidden::invalid; 2 warnings, 1 info hidden\n" +
		"::error file=lenient.json,line=3,col=1,title=enum::/x: e\n" +
		"::notice file=lenient.json,title=hidden::2 warnings, 1 info hidden\n"
	if gh.String() != want {
		t.Errorf("annotations:\n%s\nwant:\n%s", gh.String(), want)
	}

	var sarif bytes.Buffer
	if err := WriteSARIF(&sarif, files, "1"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Invocations []sarifInvocation `json:"invocations"`
			Results     []sarifResult     `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var notes []string
	for _, n := range run.Invocations[0].Notifications {
		notes = append(notes, n.Level+" "+n.Message.Text)
	}
	if len(run.Results) != 1 || strings.Join(notes, "; ") != "error strict.json: 2 warnings, 1 info hidden; note lenient.json: 2 warnings, 1 info hidden" {
		t.Errorf("SARIF: %d results, notifications %q", len(run.Results), notes)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	files := []FileReport{
		NewFileReport("flows/a,b:c.json", flow.Diagnostics{
			{Severity: flow.SevError, Code: "enum", Path: "/steps/0/type", Message: "100% wrong\r\nreally, ok", Line: 3, Column: 14},
			{Severity: flow.SevWarning, Code: "localize", Path: "/title", Message: "w", Line: 1, Column: 2},
			{Severity: flow.SevInfo, Code: "iframe-mode", Path: "/flags/return_url", Message: "i\x1b[2J", Line: 2, Column: 1},
		}, false),
		{File: "gone.json", Error: "no such file"},
	}
	var b bytes.Buffer
	if err := WriteGitHubAnnotations(&b, files); err != nil {
		t.Fatal(err)
	}
	// In the order they stand in the file.
	want := "::warning file=flows/a%2Cb%3Ac.json,line=1,col=2,title=localize::/title: w\n" +
		"::notice file=flows/a%2Cb%3Ac.json,line=2,col=1,title=iframe-mode::/flags/return_url: i\\x1b[2J\n" +
		"::error file=flows/a%2Cb%3Ac.json,line=3,col=14,title=enum::/steps/0/type: 100%25 wrong\\r\\nreally, ok\n" +
		"::error file=gone.json,title=unreadable::cannot read: no such file\n"
	if b.String() != want {
		t.Errorf("annotations:\n%s\nwant:\n%s", b.String(), want)
	}
	if got := ghProperty.Replace("a%b\r\nc:d,e"); got != "a%25b%0D%0Ac%3Ad%2Ce" {
		t.Errorf("property escaping: %q", got)
	}
	if got := ghData.Replace("a%b\r\nc:d,e"); got != "a%25b%0D%0Ac:d,e" {
		t.Errorf("data escaping: %q", got)
	}
}

// TestSARIFStructure checks the log against the properties SARIF 2.1.0
// requires (and those code-scanning dashboards need): version, runs, the
// driver's name and rules, each result's message, rule and location.
func TestSARIFStructure(t *testing.T) {
	files := append(sampleReports(), NewFileReport("/abs/path with space.json", flow.Diagnostics{
		{Severity: flow.SevError, Code: "brand-new-code", Path: "/x", Message: "m\u009b", Line: 1, Column: 1},
	}, false))
	var b bytes.Buffer
	if err := WriteSARIF(&b, files, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsRune(b.Bytes(), '\u009b') {
		t.Error("a C1 control reached the output raw")
	}
	var log map[string]any
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	obj := func(v any, what string) map[string]any {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is not an object: %v", what, v)
		}
		return m
	}
	arr := func(v any, what string) []any {
		t.Helper()
		a, ok := v.([]any)
		if !ok {
			t.Fatalf("%s is not an array: %v", what, v)
		}
		return a
	}
	str := func(m map[string]any, key, what string) string {
		t.Helper()
		s, ok := m[key].(string)
		if !ok || s == "" {
			t.Fatalf("%s.%s is not a non-empty string: %v", what, key, m[key])
		}
		return s
	}
	if v := str(log, "version", "log"); v != "2.1.0" {
		t.Errorf("version %q", v)
	}
	str(log, "$schema", "log")
	runs := arr(log["runs"], "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	run := obj(runs[0], "run")
	if ck := str(run, "columnKind", "run"); ck != "unicodeCodePoints" {
		t.Errorf("columnKind %q", ck)
	}
	driver := obj(obj(run["tool"], "tool")["driver"], "driver")
	if str(driver, "name", "driver") != "identoflow" || driver["version"] != "1.2.3" {
		t.Errorf("driver: %v", driver)
	}
	rulesList := arr(driver["rules"], "rules")
	ruleIDs := map[string]int{}
	for i, r := range rulesList {
		rule := obj(r, "rule")
		id := str(rule, "id", "rule")
		if _, dup := ruleIDs[id]; dup {
			t.Errorf("rule %s twice", id)
		}
		ruleIDs[id] = i
		str(obj(rule["shortDescription"], "shortDescription"), "text", "rule "+id+" shortDescription")
		str(obj(rule["help"], "help"), "text", "rule "+id+" help")
		if lvl := str(obj(rule["defaultConfiguration"], "defaultConfiguration"), "level", "rule "+id); lvl != "error" && lvl != "warning" && lvl != "note" {
			t.Errorf("rule %s level %q", id, lvl)
		}
	}
	for _, code := range []string{flow.CodeEnum, flow.CodeLocalize, flow.CodeIframeMode, flow.CodeJSONSyntax, flow.CodeCredential, flow.CodeDuplicateMember} {
		if _, ok := ruleIDs[code]; !ok {
			t.Errorf("no rule for %s", code)
		}
	}
	inv := obj(arr(run["invocations"], "invocations")[0], "invocation")
	if inv["executionSuccessful"] != false || len(arr(inv["toolExecutionNotifications"], "notifications")) != 1 {
		t.Errorf("an unreadable file must fail the invocation with a notification: %v", inv)
	}
	results := arr(run["results"], "results")
	want := 0
	for _, f := range files {
		want += len(f.Diagnostics)
	}
	if len(results) != want {
		t.Fatalf("%d results, want %d", len(results), want)
	}
	uris := map[string]bool{}
	for _, r := range results {
		res := obj(r, "result")
		id := str(res, "ruleId", "result")
		idx, ok := res["ruleIndex"].(float64)
		if !ok || int(idx) != ruleIDs[id] {
			t.Errorf("result %s: ruleIndex %v, rule at %d", id, res["ruleIndex"], ruleIDs[id])
		}
		str(res, "level", "result")
		str(obj(res["message"], "message"), "text", "result message")
		locs := arr(res["locations"], "locations")
		phys := obj(obj(locs[0], "location")["physicalLocation"], "physicalLocation")
		uris[str(obj(phys["artifactLocation"], "artifactLocation"), "uri", "artifactLocation")] = true
		if region, ok := phys["region"]; ok {
			reg := obj(region, "region")
			if l, _ := reg["startLine"].(float64); l < 1 {
				t.Errorf("startLine %v", reg["startLine"])
			}
			if c, _ := reg["startColumn"].(float64); c < 1 {
				t.Errorf("startColumn %v", reg["startColumn"])
			}
		} else if id != flow.CodeLocalize && id != flow.CodeEnum && id != flow.CodeUnknownField {
			t.Errorf("result %s without a region", id)
		}
	}
	for _, u := range []string{"flows/notes.json", "stdin", "file:///abs/path%20with%20space.json"} {
		if !uris[u] {
			t.Errorf("no result for uri %q (have %v)", u, uris)
		}
	}
}

func TestRulesCoverTheCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.Code] || r.Short == "" || r.Help == "" {
			t.Errorf("rule %q twice or without text", r.Code)
		}
		seen[r.Code] = true
	}
	if len(seen) < 32 {
		t.Errorf("%d rules; every code of the validator needs one", len(seen))
	}
}
