package i18n

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// flowFiles returns the bytes of every template (as `identoflow templates
// NAME` writes it) and every testdata file that is a config.
func flowFiles(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, tpl := range flow.Templates() {
		c, err := flow.TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatal(err)
		}
		files["template "+tpl.Name] = c.Bytes()
	}
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, err := flow.Parse(data); err == nil {
			files[path] = data
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files["tricky texts"] = []byte(trickyFlow)
	if len(files) < 30 {
		t.Fatalf("only %d flows found", len(files))
	}
	return files
}

// trickyFlow has texts that test every format's escaping: markup, quotes,
// line breaks (LF, CRLF, a lone CR), tabs, leading and trailing spaces,
// control characters, bidi overrides, a lone surrogate, non-Latin scripts,
// and two texts with the same source.
const trickyFlow = `{
  "flags": {"language": "en", "return_url": "https://example.com/done"},
  "steps": [
    {"type": "language", "flags": {"languages": ["en", "ka", "ru"]}},
    {"type": "user-questionnaire", "key": "q", "title": {"en": "<b>A & B</b> \"quoted\" 'single' ]]>", "ka": "ა & ბ"},
      "description": {"en": "line one\nline two\r\nline three\rend\n", "ru": "  spaced  \t"},
      "questions": [
        {"type": "options", "key": "c", "title": {"en": "ctl \u0001\u001b[31m\u007f\u0085 bidi \u202e evil \u2028"},
          "options": [{"key": "a", "title": {"en": "Yes"}}, {"key": "b", "title": {"en": "Yes", "ru": "Да"}}]},
        {"type": "string", "key": "s", "title": {"en": "lone \ud800 surrogate, astral 𝄞, msgid \"\" #. x"}, "answer": {"en": "\\ backslash \\n not a newline"}}
      ],
      "successButtonTitle": "Send"}
  ]
}`

func mustParse(t testing.TB, data []byte) *flow.Config {
	t.Helper()
	c, err := flow.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// export runs Extract and Write.
func export(t testing.TB, c *flow.Config, format Format, opt ExportOptions) []byte {
	t.Helper()
	f, _, err := Extract(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, f, format); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// targetsOf returns the languages to try as targets for a flow: the ones
// it shows other than its own, and one it does not show.
func targetsOf(c *flow.Config) []string {
	var out []string
	for _, l := range append(c.ShownLanguages(), "ru", "hy") {
		if l != c.Language() && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func TestRoundTripWithoutChangesIsANoOp(t *testing.T) {
	n := 0
	for name, data := range flowFiles(t) {
		c := mustParse(t, data)
		for _, trg := range targetsOf(c) {
			for _, format := range Formats() {
				for _, missing := range []bool{false, true} {
					file := export(t, c, format, ExportOptions{Target: trg, MissingOnly: missing, Original: "flow.json"})
					got, err := Import(data, file, format)
					if err != nil {
						t.Fatalf("%s → %s %s: %v\n%s", name, trg, format, err, file)
					}
					if got.Changed() || !bytes.Equal(got.Flow, data) {
						t.Errorf("%s → %s %s (missing only %v): the round trip changed the flow: %v", name, trg, format, missing, got.Report.Results)
					}
					for _, r := range got.Report.Results {
						if r.Outcome != Unchanged && r.Outcome != EmptyTarget {
							t.Errorf("%s → %s %s: %s: %s %s", name, trg, format, r.Unit.ID, r.Outcome, r.Detail)
						}
					}
					n += len(got.Report.Results)
				}
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d units went round", n)
	}
}

// fill translates every unit of a file as a translator would.
func fill(t testing.TB, data []byte, format Format, translate func(Unit) string) []byte {
	t.Helper()
	f, err := Read(data, format)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Units {
		f.Units[i].Target = translate(f.Units[i])
	}
	var b bytes.Buffer
	if err := Write(&b, f, format); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTranslatedFileFillsExactlyTheMissingCells(t *testing.T) {
	for name, data := range flowFiles(t) {
		for _, format := range Formats() {
			c := mustParse(t, data)
			for _, trg := range targetsOf(c) {
				file := export(t, c, format, ExportOptions{Target: trg, MissingOnly: true})
				translated := fill(t, file, format, func(u Unit) string { return trg + " " + u.ID })
				got, err := Import(data, translated, format)
				if err != nil {
					t.Fatalf("%s → %s %s: %v", name, trg, format, err)
				}
				// The same edits made directly: the cells that had no text in
				// trg but one in the source language, and nothing else.
				want := mustParse(t, data)
				for _, tx := range want.Texts() {
					if tx.Has(want.Language()) && !tx.Has(trg) {
						if err := want.SetText(tx.ID, trg, trg+" "+tx.ID); err != nil {
							t.Fatal(err)
						}
					}
				}
				wantBytes := want.Bytes()
				if got.Report.Count(Applied) == 0 {
					wantBytes = data
				}
				if !bytes.Equal(got.Flow, wantBytes) {
					t.Errorf("%s → %s %s: import differs from filling the missing cells:\n%s\nwant\n%s", name, trg, format, got.Flow, wantBytes)
				}
				if n := len(got.Report.NotApplied()); n != 0 {
					t.Errorf("%s → %s %s: %d units not applied: %v", name, trg, format, n, got.Report.NotApplied())
				}
				c = mustParse(t, data) // the next target starts from the file again
			}
		}
	}
}

func TestImportReportsWhatItDoesNotApply(t *testing.T) {
	data := []byte(trickyFlow)
	for _, format := range Formats() {
		t.Run(string(format), func(t *testing.T) {
			c := mustParse(t, data)
			f, _, err := Extract(c, ExportOptions{Target: "ru"})
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]int{}
			for i, u := range f.Units {
				byID[u.ID] = i
			}
			set := func(id, target string) { f.Units[byID[id]].Target = target }
			set("/steps/1/title", "Заголовок")                                       // applied
			set("/steps/1/questions/0/options/0/title", "Да")                        // applied
			set("/steps/1/questions/1/title", "")                                    // empty
			f.Units[byID["/steps/1/successButtonTitle"]].Hash = SourceHash("Submit") // the source changed since
			set("/steps/1/successButtonTitle", "Отправить")
			f.Units = append(f.Units,
				Unit{ID: "/steps/9/title", Source: "Gone", Target: "Нет", Hash: SourceHash("Gone")},                                                      // unknown
				Unit{ID: "/steps/1/title", Source: f.Units[byID["/steps/1/title"]].Source, Target: "Второй", Hash: f.Units[byID["/steps/1/title"]].Hash}, // duplicate
			)
			var b bytes.Buffer
			if err := Write(&b, f, format); err != nil {
				t.Fatal(err)
			}
			got, err := Import(data, b.Bytes(), format)
			if err != nil {
				t.Fatal(err)
			}
			outcomes := map[string]Outcome{}
			for _, r := range got.Report.Results {
				if r.Outcome != Unchanged {
					outcomes[r.Unit.ID+" "+r.Unit.Target] = r.Outcome
				}
				if r.Unit.Line == 0 {
					t.Errorf("%s: no line number", r.Unit.ID)
				}
			}
			want := map[string]Outcome{
				"/steps/1/title Заголовок":                Applied,
				"/steps/1/questions/0/options/0/title Да": Applied,
				"/steps/1/questions/1/title ":             EmptyTarget,
				"/steps/1/questions/0/title ":             EmptyTarget,
				"/steps/1/questions/1/answer ":            EmptyTarget,
				"/steps/1/successButtonTitle Отправить":   SourceChanged,
				"/steps/9/title Нет":                      UnknownID,
				"/steps/1/title Второй":                   Duplicate,
			}
			if fmt.Sprint(outcomes) != fmt.Sprint(want) {
				t.Errorf("outcomes:\n%v\nwant\n%v", outcomes, want)
			}
			after := mustParse(t, got.Flow)
			if tx, _ := after.TextAt("/steps/1/successButtonTitle"); !tx.Plain {
				t.Errorf("a text whose source changed must be left alone: %+v", tx)
			}
			if s, _ := mustParse(t, got.Flow).TextAt("/steps/1/title"); !s.Has("ru") {
				t.Errorf("title not translated")
			}
			if len(got.Diagnostics) == 0 {
				t.Error("the result must be validated")
			}
		})
	}
}

func TestImportRefusedByTheFlow(t *testing.T) {
	// The plain title counts as the flow's language, which is no language
	// code: it has no en text (an empty source, whose hash the unit gives),
	// and a Russian text could only be added by filing it under "english".
	data := []byte(`{"flags": {"language": "english"}, "steps": [{"type": "kyb-review", "title": "Check"}]}`)
	file := []byte("id,source:en,target:ru,source_hash\r\n/steps/0/title,,Проверка," + SourceHash("") + "\r\n")
	got, err := Import(data, file, CSV)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteReport(&b, "ru.csv", got); err != nil {
		t.Fatal(err)
	}
	if got.Changed() || got.Report.Count(Refused) != 1 || !strings.Contains(b.String(), `ru.csv:2: /steps/0/title: not applied: the flow's language "english" is not a language code`) {
		t.Errorf("report:\n%s", b.String())
	}
}

func TestSourceCheckedByTextWhenTheHashIsLost(t *testing.T) {
	c := mustParse(t, []byte(trickyFlow))
	f, _, _ := Extract(c, ExportOptions{Target: "ru"})
	for i := range f.Units {
		f.Units[i].Hash = ""
		f.Units[i].Target = "перевод"
	}
	f.Units[0].Source = "not the source"
	rep, err := Apply(c, f)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Outcome != SourceChanged || rep.Count(Applied) != len(f.Units)-1 {
		t.Errorf("results: %v", rep.Results)
	}
}

func TestFuzzyEntriesAreNotApplied(t *testing.T) {
	c := mustParse(t, []byte(trickyFlow))
	po := string(export(t, c, PO, ExportOptions{Target: "ru"}))
	po = strings.Replace(po, "msgctxt \"/steps/1/title\"\nmsgid \"<b>A & B</b> \\\"quoted\\\" 'single' ]]>\"\nmsgstr \"\"",
		"#, fuzzy\nmsgctxt \"/steps/1/title\"\nmsgid \"<b>A & B</b> \\\"quoted\\\" 'single' ]]>\"\nmsgstr \"Догадка\"", 1)
	got, err := Import([]byte(trickyFlow), []byte(po), PO)
	if err != nil {
		t.Fatal(err)
	}
	if got.Report.Count(Fuzzy) != 1 || got.Changed() {
		t.Errorf("a fuzzy entry must be reported, not applied: %v\n%s", got.Report.Results, po)
	}
}

func TestExtract(t *testing.T) {
	c := mustParse(t, []byte(trickyFlow))
	f, noSource, err := Extract(c, ExportOptions{Source: "ka", Target: "ru", Original: "x.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Units) != 1 || f.Units[0].Source != "ა & ბ" || f.Units[0].Target != "" || f.SourceLang != "ka" {
		t.Errorf("units: %+v", f.Units)
	}
	if len(noSource) != len(c.Texts())-1 {
		t.Errorf("texts without a ka source: %v", noSource)
	}
	f, _, _ = Extract(c, ExportOptions{Target: "ru", MissingOnly: true})
	for _, u := range f.Units {
		if u.Target != "" {
			t.Errorf("--missing exported a translated text: %+v", u)
		}
	}
	if len(f.Units) != len(c.Texts())-2 {
		t.Errorf("missing only: %d units", len(f.Units))
	}
	for _, opt := range []ExportOptions{{Target: "en"}, {Target: "xx"}, {Source: "english", Target: "ru"}, {}} {
		if _, _, err := Extract(c, opt); err == nil {
			t.Errorf("Extract(%+v) must fail", opt)
		}
	}
}

func TestApplyRefusesBadLanguages(t *testing.T) {
	c := mustParse(t, []byte(trickyFlow))
	for _, f := range []File{{SourceLang: "en"}, {SourceLang: "en", TargetLang: "en"}, {SourceLang: "en", TargetLang: "russian"}} {
		if _, err := Apply(c, f); err == nil {
			t.Errorf("Apply(%+v) must fail", f)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       Format
	}{
		{"ru.xlf", "", XLIFF}, {"ru.XLIFF", "", XLIFF}, {"ru.po", "", PO}, {"ru.csv", "", CSV},
		{"-", "\ufeff<?xml version=\"1.0\"?><xliff/>", XLIFF},
		{"ru.txt", "# comment\nmsgid \"\"", PO},
		{"ru.txt", "id,context,source:en,target:ru,source_hash\r\n", CSV},
	} {
		if got, err := FormatOf(tc.name, []byte(tc.data)); err != nil || got != tc.want {
			t.Errorf("FormatOf(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := FormatOf("ru.txt", []byte("hello")); err == nil {
		t.Error("an unknown file must be refused")
	}
	for _, s := range []string{"xliff", "PO", "csv"} {
		if _, err := ParseFormat(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseFormat("json"); err == nil {
		t.Error("json is no translation format")
	}
}

// The problems of an imported flow say where they are in it, as saved.
func TestImportPlacesTheProblems(t *testing.T) {
	doc := []byte("{\n  \"flags\": {\"language\": \"ka\"},\n  \"steps\": [{\"type\": \"kyb-review\", \"title\": {\"ka\": \"მიმოხილვა\"}, \"titel\": 1}]\n}\n")
	for _, fileData := range [][]byte{
		[]byte("id,context,source:ka,target:en,source_hash\r\n/steps/0/title,,მიმოხილვა,Review,\r\n"),
		[]byte("id,context,source:ka,target:en,source_hash\r\n"),
	} {
		im, err := Import(doc, fileData, CSV)
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Diagnostics) == 0 {
			t.Fatal("no diagnostics: the unknown member should be one")
		}
		for _, d := range im.Diagnostics {
			if d.Line == 0 || d.Column == 0 {
				t.Errorf("%s at %s has no position in the imported flow", d.Code, d.Path)
			}
		}
	}
}

func TestBlankTranslationsCountAsNone(t *testing.T) {
	data := []byte(`{"flags": {"language": "en"}, "steps": [{"type": "language", "flags": {"languages": ["en", "ka"]}},
  {"type": "user-questionnaire", "key": "q", "title": {"en": "Title"}, "description": {"en": "Describe"},
   "successButtonTitle": {"en": "Send", "ka": " \t\n"}}]}`)
	c := mustParse(t, data)
	for _, format := range Formats() {
		t.Run(string(format), func(t *testing.T) {
			file := fill(t, export(t, c, format, ExportOptions{Target: "ka"}), format, func(u Unit) string {
				switch u.ID {
				case "/steps/1/title":
					return "სათაური"
				case "/steps/1/description":
					return "  "
				}
				return u.Target
			})
			got, err := Import(data, file, format)
			if err != nil {
				t.Fatal(err)
			}
			if n := got.Report.Count(Applied); n != 1 {
				t.Errorf("%d applied, want 1 (the title): %v", n, got.Report.Results)
			}
			if n := got.Report.Count(EmptyTarget); n != 2 {
				t.Errorf("%d without a translation, want 2: %v", n, got.Report.Results)
			}
			after := mustParse(t, got.Flow)
			if tx, _ := after.TextAt("/steps/1/description"); tx.Has("ka") {
				t.Errorf("a blank translation was applied: %+v", tx.Values)
			}
			var b strings.Builder
			if err := WriteReport(&b, "ka.x", got); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(b.String(), "ka.x: 1 of 3 translations into Georgian applied (2 not translated)\n") ||
				!strings.Contains(b.String(), "/steps/1/description: not applied: the translation is blank") {
				t.Errorf("report:\n%s", b.String())
			}
			if strings.Contains(b.String(), "successButtonTitle") {
				t.Errorf("the blank text the flow already had was exported as no translation, and is only counted:\n%s", b.String())
			}
		})
	}
}

func TestBlankTextsAreMissingInStatusAndExport(t *testing.T) {
	data := []byte(`{"flags": {"language": "en"}, "steps": [{"type": "language", "flags": {"languages": ["en", "ka"]}},
  {"type": "user-questionnaire", "key": "q", "title": {"en": "Title", "ka": "  "}, "description": {"en": "Describe", "ka": "აღწერა"}}]}`)
	c := mustParse(t, data)
	s := NewStatus("f.json", c)
	if got := fmt.Sprint(s.Languages); got != "[{en 2 0} {ka 1 1}]" {
		t.Errorf("status counts %s, want ka 1 translated, 1 missing", got)
	}
	f, _, err := Extract(c, ExportOptions{Target: "ka", MissingOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Units) != 1 || f.Units[0].ID != "/steps/1/title" || f.Units[0].Target != "" {
		t.Errorf("the missing texts are %+v, want the title without a target", f.Units)
	}
	if got := f.Summary(); got != "1 text from English, 1 missing in Georgian" {
		t.Errorf("summary %q", got)
	}
}
