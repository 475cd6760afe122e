package diff

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

func TestChangeFields(t *testing.T) {
	base := mustParse(t, baseFlow)
	moved := edit(t, func(c *flow.Config) { c.StepsValue().Move(2, 4) })
	r := Compare(base, moved)
	if len(r.Changes) != 1 {
		t.Fatalf("changes: %v", lines(r))
	}
	c := r.Changes[0]
	if c.Kind != Moved || c.Subject != SubjectStep || c.OldPath != "/steps/2" || c.NewPath != "/steps/4" || c.From != 3 || c.To != 5 ||
		!slices.Equal(c.Where, []Locator{{SubjectStep, "liveness"}}) || c.OldWhere != nil || c.Old != nil || c.New != nil {
		t.Errorf("move: %+v", c)
	}

	renamed := edit(t, func(c *flow.Config) { question(c, 2).Set("key", flow.NewString("town")) })
	c = Compare(base, renamed).Changes[0]
	if c.Kind != Renamed || c.Subject != SubjectQuestion || c.From != 0 || c.OldPath != "/steps/6/questions/2" || c.NewPath != c.OldPath ||
		!slices.Equal(c.Where, []Locator{{SubjectStep, "survey"}, {SubjectQuestion, "town"}}) ||
		!slices.Equal(c.OldWhere, []Locator{{SubjectStep, "survey"}, {SubjectQuestion, "city"}}) {
		t.Errorf("rename: %+v", c)
	}

	outOfCall := edit(t, func(c *flow.Config) { c.StepsValue().Append(step(c, 5).StepsValue().RemoveAt(1)) })
	c = Compare(base, outOfCall).Changes[0]
	if c.Kind != Moved || c.OldPath != "/steps/5/steps/1" || c.NewPath != "/steps/7" || c.From != 2 || c.To != 8 ||
		!slices.Equal(c.OldWhere, []Locator{{SubjectStep, "call"}, {SubjectStep, "call-phone"}}) {
		t.Errorf("move out of a call: %+v", c)
	}

	text := edit(t, func(c *flow.Config) {
		survey(c).Set("title", jsonValue(t, `{"en": "About you!", "ka": "შენ შესახებ"}`))
	})
	c = Compare(base, text).Changes[0]
	if c.Subject != SubjectText || c.Name != "title" || c.Text == nil || !slices.Equal(c.Text.Changed, []string{"en"}) ||
		!slices.Equal(c.Text.Added, []string{"ka"}) || !slices.Equal(c.Text.Removed, []string{"es"}) || !slices.Equal(c.Text.Missing, []string{"es"}) {
		t.Errorf("text: %+v %+v", c, c.Text)
	}
	if got := c.String(); got != `step "survey" › title: en "About you" → "About you!"; added ka; removed es; missing es` {
		t.Errorf("text phrase: %s", got)
	}

	flag := edit(t, func(c *flow.Config) { c.SetFlag("language", flow.NewString("es")) })
	c = Compare(base, flag).Changes[0]
	if c.Subject != SubjectFlag || c.Name != "language" || c.OldPath != "/flags/language" || c.NewPath != "/flags/language" ||
		len(c.Where) != 0 || flow.MarshalCompact(c.Old)[1] != 'e' {
		t.Errorf("flag: %+v", c)
	}
}

// The phrase is spans a renderer styles; untrusted text never lands in a
// Plain span.
func TestPhraseKeepsConfigTextOutOfPlainSpans(t *testing.T) {
	evil := "k\x1b[2Jey"
	base := mustParse(t, baseFlow)
	changed := edit(t, func(c *flow.Config) {
		step(c, 2).Set("key", flow.NewString(evil))
		c.Set(evil, flow.NewString(evil))
		survey(c).Set("title", jsonValue(t, `{"en": "About you", "es": "Sobre ti", "`+strings.ReplaceAll(evil, "\x1b", `\u001b`)+`": "x"}`))
	})
	r := Compare(base, changed)
	if len(r.Changes) != 3 {
		t.Fatalf("changes: %v", lines(r))
	}
	for _, c := range r.Changes {
		for _, s := range c.Phrase() {
			if s.Kind == Plain && strings.Contains(s.Text, "\x1b") {
				t.Errorf("config text in a plain span: %q", s.Text)
			}
		}
	}
}

func TestCompareAbsentFiles(t *testing.T) {
	base := mustParse(t, baseFlow)
	added := Compare(nil, base)
	removed := Compare(base, nil)
	var steps int
	for _, c := range added.Changes {
		if c.Kind != Added {
			t.Errorf("new file: %v", c)
		}
		if c.Subject == SubjectStep {
			steps++
		}
	}
	if steps != len(base.Steps()) || len(added.Changes) != len(removed.Changes) {
		t.Errorf("new file: %d step changes of %d; deleted file: %d changes", steps, len(base.Steps()), len(removed.Changes))
	}
	for _, c := range removed.Changes {
		if c.Kind != Removed || c.NewPath != "" {
			t.Errorf("deleted file: %v", c)
		}
	}
	if r := Compare(nil, nil); !r.Same() {
		t.Errorf("two absent files differ: %v", lines(r))
	}
	// The diagnostics of a new file are all introduced.
	bad := mustParse(t, `{"steps": [{"type": "selfie"}]}`)
	if r := Compare(nil, bad); len(r.AllIntroduced()) != len(flow.Validate(bad)) || len(r.AllFixed()) != 0 {
		t.Errorf("new file's diagnostics: %v", lines(r))
	}
}

func TestRepeatedKeysPairInOrder(t *testing.T) {
	old := mustParse(t, `{"steps": [{"type": "email", "flags": {"require_email": true}}, {"type": "email", "flags": {"require_email_check": true}}]}`)
	new := mustParse(t, `{"steps": [{"type": "email", "flags": {"require_email": true}}, {"type": "email", "flags": {"require_email_check": false}}]}`)
	got := lines(Compare(old, new))
	want := []string{`step "require_email" › flag require_email_check: true → false [+warning unreachable]`}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A key that changed along with something else is not a rename: the step
// is removed and another added.
func TestRenameNeedsTheRestToMatch(t *testing.T) {
	base := mustParse(t, baseFlow)
	changed := edit(t, func(c *flow.Config) {
		step(c, 2).Set("key", flow.NewString("face"))
		step(c, 2).SetFlag("liveness", flow.NewBool(true))
	})
	got := lines(Compare(base, changed))
	want := []string{`removed step "liveness" (liveness) at 3`, `added step "face" (liveness) at 3`}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A problem that was there before and moved with its step is neither
// introduced nor fixed.
func TestDiagnosticsFollowMoves(t *testing.T) {
	old := mustParse(t, `{"flags": {"skip_face": true}, "steps": [
		{"type": "liveness"}, {"type": "email", "flags": {}}, {"type": "user-questionnaire", "key": "q", "title": {"en": "T"},
		 "questions": [{"type": "string", "key": "a", "title": "A"}, {"type": "string", "key": "b", "title": {"en": "B"}}]}]}`)
	new := mustParse(t, `{"flags": {"skip_face": true}, "steps": [
		{"type": "user-questionnaire", "key": "q", "title": {"en": "T"},
		 "questions": [{"type": "string", "key": "b", "title": {"en": "B"}}, {"type": "string", "key": "a", "title": "A"}]},
		{"type": "liveness"}, {"type": "email", "flags": {}}]}`)
	r := Compare(old, new)
	if len(r.AllIntroduced()) != 0 || len(r.AllFixed()) != 0 || len(r.Changes) != 2 {
		t.Errorf("moves alone changed the diagnostics: %v", lines(r))
	}
}

func TestCredentialsAreMasked(t *testing.T) {
	const key = "ck-0123456789abcdef"
	old := mustParse(t, `{"steps": [{"type": "liveness"}]}`)
	new := mustParse(t, `{"company_key": "`+key+`", "steps": [{"type": "liveness", "x": {"secretKey": "`+key+`"}}]}`)
	r := Compare(old, new)
	if len(r.Changes) != 2 {
		t.Fatalf("changes: %v", lines(r))
	}
	for _, c := range r.Changes {
		if strings.Contains(string(flow.MarshalCompact(c.New)), key) || strings.Contains(c.String(), key) {
			t.Errorf("credential shown: %v", c)
		}
	}
	if !strings.Contains(new.Root().Get("company_key").Kind().String(), "string") || !strings.Contains(string(new.Bytes()), key) {
		t.Error("masking changed the config itself")
	}
}

// Every testdata file and template compared with itself, and with itself
// reformatted, is the same flow.
func TestCompareWithItselfIsSame(t *testing.T) {
	var inputs [][]byte
	err := filepath.WalkDir("../../testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			data, err := os.ReadFile(path)
			inputs = append(inputs, data)
			return err
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range flow.Templates() {
		c, err := flow.TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, c.Bytes())
	}
	n := 0
	for _, data := range inputs {
		a, err := flow.Parse(data)
		if err != nil {
			continue
		}
		b := mustParse(t, string(flow.MarshalCompact(a.Root())))
		if r := Compare(a, b); !r.Same() {
			t.Errorf("%s\nreformatted differs: %v", data, lines(r))
		}
		n++
	}
	if n < 30 {
		t.Errorf("only %d flows compared", n)
	}
}

// A plain string made a {language: text} object: the languages it still
// lacks are said too.
func TestTextFromPlainString(t *testing.T) {
	old := mustParse(t, `{"flags": {"return_url": "https://example.com"}, "steps": [{"type": "language", "flags": {"languages": ["en", "es"]}},
		{"type": "kyb-review", "title": "Check"}]}`)
	new := mustParse(t, `{"flags": {"return_url": "https://example.com"}, "steps": [{"type": "language", "flags": {"languages": ["en", "es"]}},
		{"type": "kyb-review", "title": {"en": "Check"}}]}`)
	r := Compare(old, new)
	got := lines(r)
	want := []string{`step "kyb-review" › title: "Check" → {"en":"Check"}; missing es [+warning missing-translation, -warning localize]`}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if tc := r.Changes[0].Text; tc == nil || !slices.Equal(tc.Added, []string{"en"}) || !slices.Equal(tc.Missing, []string{"es"}) {
		t.Errorf("text change: %+v", tc)
	}
}

// Two objects that differ in a few members are phrased member by member,
// nested objects followed in; more members, or deeper, show the values.
func TestPhraseObjectMembers(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{`{"owner": {"name": "kyc", "since": 2020}, "size": 3}`, `{"owner": {"name": "aml", "since": 2020}, "size": 3}`,
			`unknown field x-team › owner › name: "kyc" → "aml"`},
		{`{"a": 1, "b": 2, "c": 3}`, `{"a": 1, "b": 5, "c": 6}`,
			`unknown field x-team › b: 2 → 5; c: 3 → 6`},
		{`{"a": 1, "b": 2, "c": 3, "d": 4}`, `{"a": 0, "b": 0, "c": 0, "d": 0}`,
			`unknown field x-team: {"a":1,"b":2,"c":3,"d":4} → {"a":0,"b":0,"c":0,"d":0}`},
		{`{"a": {"b": {"c": {"d": 1}}}}`, `{"a": {"b": {"c": {"d": 2}}}}`,
			`unknown field x-team › a › b › c: {"d":1} → {"d":2}`},
		{`{"a": 1}`, `[1]`, `unknown field x-team: {"a":1} → [1]`},
	}
	for _, tt := range tests {
		old := mustParse(t, `{"steps": [], "x-team": `+tt.old+`}`)
		changed := mustParse(t, `{"steps": [], "x-team": `+tt.new+`}`)
		r := Compare(old, changed)
		if len(r.Changes) != 1 {
			t.Fatalf("%s → %s: %v", tt.old, tt.new, lines(r))
		}
		if got := r.Changes[0].String(); got != tt.want {
			t.Errorf("%s → %s:\ngot  %s\nwant %s", tt.old, tt.new, got, tt.want)
		}
	}
}
