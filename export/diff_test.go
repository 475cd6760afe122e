package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
)

func mustConfig(t *testing.T, s string) *flow.Config {
	t.Helper()
	c, err := flow.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// evilReport compares flows whose keys, values and file names hold
// terminal escapes, Markdown and a mention.
func evilReport(t *testing.T) DiffReport {
	old := mustConfig(t, `{"steps": [{"type": "liveness", "key": "a"}]}`)
	new := mustConfig(t, `{"steps": [{"type": "liveness", "key": "a\u001b[2J*b*`+"`"+`@team\u202e"}], "x\u009b": "[link](http://x) <b>"}`)
	return DiffReport{Old: DiffSide{File: "old\x1b].json"}, New: DiffSide{File: "new.json"}, Result: diff.Compare(old, new)}
}

func TestDiffOutputsEscapeConfigText(t *testing.T) {
	r := evilReport(t)
	var text, md, js bytes.Buffer
	if err := WriteDiffText(&text, r, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "json": js.String()} {
		for _, raw := range []string{"\x1b", "\u009b", "\u202e"} {
			if strings.Contains(out, raw) {
				t.Errorf("%s output holds raw %q:\n%s", name, raw, out)
			}
		}
	}
	if !strings.Contains(text.String(), `renamed step "a" to "a\x1b[2J*b*`+"`"+`@team\u202e"`) {
		t.Errorf("text:\n%s", text.String())
	}
	// Markdown: config text only in code spans (a fence longer than any
	// backtick run inside), so no link, emphasis, HTML or mention.
	if !strings.Contains(md.String(), "renamed step `a` to `` a\\x1b[2J*b*`@team\\u202e ``") ||
		!strings.Contains(md.String(), "`\"[link](http://x) <b>\"`") {
		t.Errorf("markdown:\n%s", md.String())
	}
	var doc struct {
		Changes []struct {
			Kind  string          `json:"kind"`
			Where []diffLocJSON   `json:"where"`
			New   json.RawMessage `json:"new"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.Changes) != 2 {
		t.Fatalf("%v\n%s", err, js.String())
	}
	if k := doc.Changes[0].Where[0].Key; k != "a\x1b[2J*b*`@team\u202e" {
		t.Errorf("JSON lost the key: %q", k)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "`plain`",
		"a`b":   "`` a`b ``",
		"``x":   "``` ``x ```",
		"x\ny":  "`x\\ny`",
		"":      "``",
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdText.Replace("*hi* @team <b>_x_</b> [l](u)"); got != `\*hi\* @`+"\u200b"+`team \<b\>\_x\_\</b\> \[l\](u)` {
		t.Errorf("mdText: %q", got)
	}
}

func TestDiffTextColour(t *testing.T) {
	old := mustConfig(t, `{"steps": [{"type": "liveness"}, {"type": "email", "flags": {"require_email": true}}]}`)
	new := mustConfig(t, `{"steps": [{"type": "email", "flags": {}}, {"type": "geolocation"}]}`)
	r := DiffReport{Old: DiffSide{File: "a.json"}, New: DiffSide{File: "b.json"}, Result: diff.Compare(old, new)}
	var plain, coloured bytes.Buffer
	if err := WriteDiffText(&plain, r, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffText(&coloured, r, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") || !strings.Contains(coloured.String(), "\x1b[32m+"+ansiReset) ||
		!strings.Contains(coloured.String(), ansiRed+"-"+ansiReset) {
		t.Errorf("plain:\n%q\ncoloured:\n%q", plain.String(), coloured.String())
	}
	stripped := coloured.String()
	for _, c := range []string{"\x1b[32m", ansiRed, ansiYellow, ansiCyan, ansiBold, ansiReset} {
		stripped = strings.ReplaceAll(stripped, c, "")
	}
	if stripped != plain.String() {
		t.Errorf("colours changed the text:\n%s\n%s", stripped, plain.String())
	}
}

func TestDiffTitles(t *testing.T) {
	same := diff.Result{}
	for _, tt := range []struct {
		r    DiffReport
		want string
	}{
		{DiffReport{Old: DiffSide{File: "a.json"}, New: DiffSide{File: "b.json"}, Result: same}, "a.json → b.json: no semantic differences\n"},
		{DiffReport{Old: DiffSide{File: "f.json"}, New: DiffSide{File: "f.json"}, Result: same}, "f.json: no semantic differences\n"},
		{DiffReport{Old: DiffSide{File: "f.json", Missing: true}, New: DiffSide{File: "f.json"}, Result: same}, "f.json (new file): no semantic differences\n"},
		{DiffReport{Old: DiffSide{File: "f.json"}, New: DiffSide{File: "f.json", Missing: true}, Result: same}, "f.json (deleted): no semantic differences\n"},
	} {
		var b bytes.Buffer
		if err := WriteDiffText(&b, tt.r, false); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("got %q, want %q", b.String(), tt.want)
		}
	}
}

// DiffPhrase hands a display each span escaped, with its kind, to style.
func TestDiffPhrasePaintsEscapedSpans(t *testing.T) {
	r := evilReport(t)
	var spans []string
	got := DiffPhrase(r.Result.Changes[0], func(k diff.SpanKind, s string) string {
		spans = append(spans, string("PNWJ"[k])+":"+s)
		return "<" + s + ">"
	})
	want := []string{`P:renamed step `, `N:"a"`, `P: to `, `N:"a\x1b[2J*b*` + "`" + `@team\u202e"`}
	if strings.Join(spans, "|") != strings.Join(want, "|") {
		t.Fatalf("spans %q, want %q", spans, want)
	}
	if !strings.HasPrefix(got, `<renamed step ><"a">`) || strings.ContainsAny(got, "\x1b\u202e") {
		t.Fatalf("painted %q", got)
	}
	if plain := DiffPhrase(r.Result.Changes[0], nil); plain != phraseText(r.Result.Changes[0]) || !strings.HasPrefix(plain, `renamed step "a"`) {
		t.Fatalf("unpainted %q", plain)
	}
}

// A condition that changed in one member is shown by that member, in text
// and in Markdown, its name escaped like any config text.
func TestDiffOutputsShowTheMemberThatChanged(t *testing.T) {
	flowWith := func(answer string) string {
		return `{"steps": [{"type": "user-questionnaire", "questions": [
			{"type": "options", "key": "what-is-your-source-of-income", "title": "Income?",
			 "options": [{"key": "business", "title": "Business"}, {"key": "gone", "title": "Gone"}]},
			{"type": "string", "key": "company", "title": "Company",
			 "showConditions": {"questionKey": "what-is-your-source-of-income", "answer": "` + answer + `", "x\u001b": 1}}]}]}`
	}
	old, new := mustConfig(t, flowWith("business")), mustConfig(t, flowWith("gone"))
	new.Steps()[0].Questions()[1].V.Get("showConditions").Set("x\x1b", flow.NewNumber("2"), nil)
	r := DiffReport{Old: DiffSide{File: "old.json"}, New: DiffSide{File: "new.json"}, Result: diff.Compare(old, new)}
	var text, md bytes.Buffer
	if err := WriteDiffText(&text, r, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if want := `~ step "user-questionnaire" › question "company" › condition › answer: "business" → "gone"; x\x1b: 1 → 2`; !strings.Contains(text.String(), want) {
		t.Errorf("text, want %s:\n%s", want, text.String())
	}
	if want := "- step `user-questionnaire` › question `company` › condition › `answer`: `\"business\"` → `\"gone\"`; `x\\x1b`: `1` → `2`"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown, want %s:\n%s", want, md.String())
	}
}
