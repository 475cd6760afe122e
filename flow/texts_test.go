package flow

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// everyTextFlow has a text of every kind, and members that look like texts
// but are not.
const everyTextFlow = `{
  "flags": {"language": "ka"},
  "steps": [
    {"type": "language", "flags": {"languages": ["ka", "en", "ru"]}},
    {"type": "liveness", "title": "სახის შემოწმება", "description": "not a text of this step"},
    {"type": "company", "key": "co", "title": {"ka": "კომპანია", "en": "Company"}, "description": {"en": "About the company"}, "fields": []},
    {"type": "user-questionnaire", "key": "survey", "successButtonTitle": {"ka": "გაგზავნა"}, "title": {"ka": "თქვენ შესახებ", "eng": "typo", "en": 5},
      "questions": [
        {"type": "options", "key": "save", "title": {"ka": "დანაზოგი", "en": "Savings"}, "options": [{"key": "yes", "title": {"ka": "კი", "en": ""}}, "not an option", {"key": "no", "title": "არა"}]},
        {"type": "string", "key": "name", "title": {"en": "Name"}, "answer": {"en": "Jane"}},
        {"type": "string", "key": "ref", "title": {"en": "Reference"}, "answer": "R-1"},
        {"type": "file", "key": "doc", "title": {"en": "Document"}, "description": {"en": "A scan"}}
      ]},
    {"type": "video-call", "key": "call", "title": {"en": "Call"}, "steps": [
      {"type": "user-questionnaire", "key": "in-call", "title": {"en": "During the call", "en": "In the call"}, "questions": []}
    ]},
    {"type": "operator-questionnaire", "key": "review", "title": {"en": "Review"}, "successButtonTitle": {"en": "ignored"}, "questions": [
      {"type": "options", "key": "ok", "title": {"en": "OK?"}, "options": [{"key": "y", "title": {"en": "Yes"}}]}
    ]},
    {"type": "no-such-step", "title": {"en": "unknown"}},
    {"type": "kyb-review", "title": 42}
  ]
}`

func mustParse(t testing.TB, s string) *Config {
	t.Helper()
	c, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTextsListsEveryTextInDocumentOrder(t *testing.T) {
	c := mustParse(t, everyTextFlow)
	var got []string
	for _, tx := range c.Texts() {
		got = append(got, fmt.Sprintf("%s %v plain=%v op=%v", tx.ID, tx.Values, tx.Plain, tx.Operator))
	}
	want := []string{
		"/steps/1/title [{ka სახის შემოწმება}] plain=true op=false",
		"/steps/2/title [{ka კომპანია} {en Company}] plain=false op=false",
		"/steps/2/description [{en About the company}] plain=false op=false",
		"/steps/3/successButtonTitle [{ka გაგზავნა}] plain=false op=false",
		"/steps/3/title [{ka თქვენ შესახებ}] plain=false op=false",
		"/steps/3/questions/0/title [{ka დანაზოგი} {en Savings}] plain=false op=false",
		"/steps/3/questions/0/options/0/title [{ka კი} {en }] plain=false op=false",
		"/steps/3/questions/0/options/2/title [{ka არა}] plain=true op=false",
		"/steps/3/questions/1/title [{en Name}] plain=false op=false",
		"/steps/3/questions/1/answer [{en Jane}] plain=false op=false",
		"/steps/3/questions/2/title [{en Reference}] plain=false op=false",
		"/steps/3/questions/3/title [{en Document}] plain=false op=false",
		"/steps/3/questions/3/description [{en A scan}] plain=false op=false",
		"/steps/4/title [{en Call}] plain=false op=false",
		"/steps/4/steps/0/title [{en In the call}] plain=false op=false",
		"/steps/5/title [{en Review}] plain=false op=true",
		"/steps/5/questions/0/title [{en OK?}] plain=false op=true",
		"/steps/5/questions/0/options/0/title [{en Yes}] plain=false op=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("texts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRepeatedNamesLastWins: where a name repeats in an object, the last
// member is the one JSON readers keep, so it is the text.
func TestRepeatedNamesLastWins(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"steps": [{"type": "kyb-review", "key": "r", `)
	for i := range 1000 {
		fmt.Fprintf(&b, `"title": {"en": "old %d"}, `, i)
	}
	b.WriteString(`"title": {`)
	for i := range 1000 {
		fmt.Fprintf(&b, `"ru": "старый %d", "en": "early", `, i)
	}
	b.WriteString(`"en": 5, "ru": "новый", "ka": "ახალი"}}]}`)
	c := mustParse(t, b.String())
	texts := c.Texts()
	if len(texts) != 1 || !slices.Equal(texts[0].Values, []LangText{{"ru", "новый"}, {"ka", "ახალი"}}) {
		t.Fatalf("texts: %+v", texts)
	}
	if tx, _ := c.TextAt("/steps/0/title"); !reflect.DeepEqual(tx, texts[0]) {
		t.Errorf("TextAt: %+v", tx)
	}
}

func TestTextContext(t *testing.T) {
	c := mustParse(t, everyTextFlow)
	byID := map[string]LocalizedText{}
	for _, tx := range c.Texts() {
		byID[tx.ID] = tx
	}
	opt := byID["/steps/3/questions/0/options/0/title"]
	if opt.StepKey != "survey" || opt.StepType != "user-questionnaire" || opt.Question != 0 || opt.QuestionKey != "save" ||
		opt.QuestionType != "options" || opt.Option != 0 || opt.OptionKey != "yes" || opt.Field != FieldTitle {
		t.Errorf("option context: %+v", opt)
	}
	if got := opt.Where(); got != `step "survey" (user-questionnaire) › question "save" (options) › option "yes" › title` {
		t.Errorf("Where = %s", got)
	}
	nested := byID["/steps/4/steps/0/title"]
	if !slices.Equal(nested.Step, StepPath{4, 0}) || nested.CallKey != "call" || nested.Question != -1 {
		t.Errorf("nested context: %+v", nested)
	}
	if got := nested.Where(); got != `video call "call" › step "in-call" (user-questionnaire) › title` {
		t.Errorf("Where = %s", got)
	}
	if s, ok := opt.Get("en"); ok || s != "" {
		t.Errorf("an empty string must count as no text, got %q, %v", s, ok)
	}
	if got := opt.Missing([]string{"ka", "en", "ru"}); !slices.Equal(got, []string{"en", "ru"}) {
		t.Errorf("Missing = %v", got)
	}
}

func TestWhereEscapesKeys(t *testing.T) {
	c := mustParse(t, `{"steps": [{"type": "user-questionnaire", "key": "a\u001b[2Jb", "questions": [{"type": "x\u202ey", "key": "q\nq", "title": {"en": "T"}}]}]}`)
	w := c.Texts()[0].Where()
	if Visible(w) != w {
		t.Errorf("Where holds unsafe characters: %q", w)
	}
}

// configInputs returns every template and testdata config that parses.
func configInputs(t testing.TB) map[string][]byte {
	t.Helper()
	inputs := map[string][]byte{}
	for _, f := range testdataFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(data); err == nil {
			inputs[f] = data
		}
	}
	for _, tpl := range Templates() {
		data, err := templateFiles.ReadFile("templates/" + tpl.Name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		inputs["template "+tpl.Name] = data
	}
	inputs["every text"] = []byte(everyTextFlow)
	return inputs
}

func TestTextAtFindsWhatTextsLists(t *testing.T) {
	n := 0
	for name, data := range configInputs(t) {
		c := mustParse(t, string(data))
		for _, tx := range c.Texts() {
			got, ok := c.TextAt(tx.ID)
			if !ok || !reflect.DeepEqual(got, tx) {
				t.Errorf("%s: TextAt(%s) = %+v, %v; Texts has %+v", name, tx.ID, got, ok, tx)
			}
			n++
		}
	}
	if n < 50 {
		t.Fatalf("only %d texts in the templates and testdata", n)
	}
}

func TestTextAtRefusesWhatIsNoText(t *testing.T) {
	c := mustParse(t, everyTextFlow)
	for _, id := range []string{
		"", "/", "/steps", "/steps/1", "/steps/01/title", "/steps/-1/title", "/steps/99/title",
		"/steps/1/description",                 // liveness has no description
		"/steps/1/flags",                       // not a text member
		"/steps/5/successButtonTitle",          // ignored on operator questionnaires
		"/steps/6/title",                       // unknown step type
		"/steps/7/title",                       // not a string or object
		"/steps/3/questions/2/answer",          // a plain preset answer is an answer
		"/steps/3/questions/0/key",             // not a text member
		"/steps/3/questions/0/options/1/title", // not an object
		"/steps/3/questions/0/options/0/key",
		"/steps/3/questions/9/title",
		"/steps/2/questions/0/title", // not a questionnaire
		"/steps/3/steps/0/title",     // not a video call
		"/steps/4/steps/0/steps/0/title",
		"/flags/language",
	} {
		if tx, ok := c.TextAt(id); ok {
			t.Errorf("TextAt(%q) = %+v, want none", id, tx)
		}
		if err := c.SetText(id, "en", "x"); err == nil {
			t.Errorf("SetText(%q) succeeded", id)
		}
	}
}

func TestSetText(t *testing.T) {
	for _, tc := range []struct {
		name, text, lang, value, want string
	}{
		{"plain in the flow language stays plain", `"Hi"`, "ka", "Hello", `"Hello"`},
		{"plain gains a language", `"Hi"`, "en", "Hello", `{"en": "Hello", "ka": "Hi"}`},
		{"empty plain gains a language", `""`, "ru", "Привет", `{"ru": "Привет"}`},
		{"plain loses its text", `"Hi"`, "ka", "", `{}`},
		{"removing another language from plain", `"Hi"`, "en", "", `"Hi"`},
		{"object gains a language in the language order", `{"en": "b", "ru": "a"}`, "ka", "c", `{"en": "b", "ka": "c", "ru": "a"}`},
		{"new language before later ones", `{"ka": "a", "ru": "c"}`, "en", "b", `{"en": "b", "ka": "a", "ru": "c"}`},
		{"existing order is kept", `{"ru": "a", "en": "b"}`, "uk", "c", `{"uk": "c", "ru": "a", "en": "b"}`},
		{"object language replaced in place", `{"ru": "a", "en": "b", "x-note": 1}`, "ru", "z", `{"ru": "z", "en": "b", "x-note": 1}`},
		{"object language removed", `{"ru": "a", "en": "b"}`, "ru", "", `{"en": "b"}`},
		{"empty object", `{}`, "en", "b", `{"en": "b"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"flags": {"language": "ka"}, "steps": [{"type": "kyb-review", "key": "r", "title": ` + tc.text + `, "x": 1}]}`
			c := mustParse(t, doc)
			if err := c.SetText("/steps/0/title", tc.lang, tc.value); err != nil {
				t.Fatal(err)
			}
			want := mustParse(t, `{"flags": {"language": "ka"}, "steps": [{"type": "kyb-review", "key": "r", "title": `+tc.want+`, "x": 1}]}`)
			if got := string(c.Bytes()); got != string(want.Bytes()) {
				t.Errorf("got\n%s\nwant\n%s", got, want.Bytes())
			}
		})
	}
	c := mustParse(t, everyTextFlow)
	if err := c.SetText("/steps/1/title", "english", "x"); err == nil || !strings.Contains(err.Error(), "not a language code") {
		t.Errorf("a bad language code must be refused, got %v", err)
	}
}

func TestPlainTextUnderABadFlowLanguage(t *testing.T) {
	c := mustParse(t, `{"flags": {"language": "english"}, "steps": [{"type": "kyb-review", "title": "Check"}]}`)
	if err := c.SetText("/steps/0/title", "ru", "Проверка"); err == nil || !strings.Contains(err.Error(), "fix flags.language") {
		t.Errorf("SetText = %v", err)
	}
	if err := c.LocalizeText("/steps/0/title"); err == nil {
		t.Error("LocalizeText must refuse to file the text under \"english\"")
	}
	if got := string(MarshalCompact(c.Root())); !strings.Contains(got, `"title":"Check"`) {
		t.Errorf("the refused edits changed the flow: %s", got)
	}
}

func TestLocalizeAndUnlocalize(t *testing.T) {
	c := mustParse(t, everyTextFlow)
	before := string(c.Bytes())
	const plain = "/steps/1/title"
	if err := c.LocalizeText(plain); err != nil {
		t.Fatal(err)
	}
	tx, _ := c.TextAt(plain)
	if tx.Plain || !slices.Equal(tx.Values, []LangText{{"ka", "სახის შემოწმება"}}) {
		t.Fatalf("localized: %+v", tx)
	}
	if err := c.LocalizeText(plain); err != nil {
		t.Fatal(err)
	}
	dropped, err := c.UnlocalizeText(plain)
	if err != nil || dropped != nil {
		t.Fatalf("UnlocalizeText = %v, %v", dropped, err)
	}
	if got := string(c.Bytes()); got != before {
		t.Errorf("localize then unlocalize changed the flow:\n%s", got)
	}
	dropped, err = c.UnlocalizeText("/steps/2/title")
	if err != nil || !slices.Equal(dropped, []string{"en"}) {
		t.Fatalf("UnlocalizeText = %v, %v", dropped, err)
	}
	if tx, _ := c.TextAt("/steps/2/title"); !tx.Plain || tx.Values[0].Text != "კომპანია" {
		t.Errorf("unlocalized: %+v", tx)
	}
	if _, err := c.UnlocalizeText("/steps/2/description"); err == nil {
		t.Error("a text without the flow language's text cannot become a plain string")
	}
	if err := c.LocalizeText("/steps/7/title"); err == nil {
		t.Error("a number is no text")
	}
}

func TestCountTexts(t *testing.T) {
	c := mustParse(t, everyTextFlow)
	got := c.TextCounts()
	// 15 texts a person reads (3 of the operator questionnaire are not counted).
	want := []LangCount{{"en", 10, 5}, {"ka", 7, 8}, {"ru", 0, 15}}
	if !slices.Equal(got, want) {
		t.Errorf("TextCounts = %v, want %v", got, want)
	}
	for _, n := range got {
		if n.Total() != 15 {
			t.Errorf("%s: total %d", n.Lang, n.Total())
		}
	}
}

func TestNewItemsStartWithoutText(t *testing.T) {
	c := mustParse(t, `{"flags": {"language": "ka", "return_url": "https://example.com/done"}, "steps": []}`)
	p, err := c.InsertStep(nil, 0, "user-questionnaire")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.StepAt(p)
	if got := string(MarshalCompact(s.V.Get("title"))); got != "{}" {
		t.Errorf("a new step's title in a Georgian flow = %s, want {} (not English filed as Georgian)", got)
	}
	qi, err := s.AddQuestion(0, "options", "ka")
	if err != nil {
		t.Fatal(err)
	}
	q := s.Questions()[qi]
	if got := string(MarshalCompact(q.V.Get("title"))); got != "{}" {
		t.Errorf("new question title = %s, want {}", got)
	}
	o := q.Options()[0]
	if got := string(MarshalCompact(o.V)); got != `{"key":"option-1","title":{}}` {
		t.Errorf("new option = %s", got)
	}
	if _, err := s.AddOption(qi, 1, "", "ka"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddOption(qi, 2, "დანაზოგი", "ka"); err != nil {
		t.Fatal(err)
	}
	if got := s.Questions()[qi].OptionKeys(); !slices.Equal(got, []string{"option-1", "option-2", "danazogi"}) {
		t.Errorf("option keys = %v", got)
	}
	// The empty texts are not silently valid: each says what is missing.
	for _, path := range []string{"/steps/0/title", "/steps/0/questions/0/title", "/steps/0/questions/0/options/0/title"} {
		found := false
		for _, d := range Validate(c) {
			if d.Path == path && d.Code == CodeMissingTranslation && strings.Contains(d.Message, "no text for ka") {
				found = true
			}
		}
		if !found {
			t.Errorf("no missing-translation diagnostic at %s: %v", path, Validate(c))
		}
	}
	if Validate(c).HasErrors() {
		t.Errorf("new items must not be errors: %v", Validate(c))
	}
}

// A new step invents no title in any language, whatever languages the flow
// shows: a questionnaire's title starts with no text ({}), which
// missing-translation asks for; the other steps have none, and the widget
// shows its own.
func TestNewStepsInventNoTitle(t *testing.T) {
	for _, flags := range []string{`{"language": "ka"}`, `{"language": "en"}`} {
		c := mustParse(t, `{"flags": `+flags+`, "steps": [{"type": "language", "flags": {"languages": ["ka", "en", "ru"]}}]}`)
		want := map[string]string{"user-questionnaire": "{}", "operator-questionnaire": "{}", "company": "", "beneficiaries": "", "kyb-review": ""}
		for _, typ := range StepTypes() {
			p, err := c.InsertStep(nil, 99, typ)
			if err != nil {
				t.Fatal(err)
			}
			s, _ := c.StepAt(p)
			got := ""
			if s.V.Has("title") {
				got = string(MarshalCompact(s.V.Get("title")))
			}
			if got != want[typ] {
				t.Errorf("%s: a new %s step's title = %q, want %q", flags, typ, got, want[typ])
			}
		}
		for _, d := range Validate(c) {
			if d.Code != CodeMissingTranslation {
				continue
			}
			if s, _ := c.StepAt(StepPath{stepIndex(t, d.Path)}); !strings.HasSuffix(s.Type(), "questionnaire") {
				t.Errorf("%s: %s", flags, d)
			}
		}
	}
}

// stepIndex is the top-level step index a diagnostic path starts with.
func stepIndex(t *testing.T, path string) int {
	t.Helper()
	var i int
	if _, err := fmt.Sscanf(path, "/steps/%d", &i); err != nil {
		t.Fatalf("path %q: %v", path, err)
	}
	return i
}

// textsFlow returns a flow of n questionnaires of 24 texts each, in three
// languages, some of them missing.
func textsFlow(n int) *Config {
	var b strings.Builder
	b.WriteString(`{"flags":{"language":"ka"},"steps":[{"type":"language","flags":{"languages":["ka","en","ru"]}}`)
	for i := range n {
		fmt.Fprintf(&b, `,{"type":"user-questionnaire","key":"q%d","title":{"ka":"კითხვარი %d","en":"Questionnaire %d"},"questions":[`, i, i, i)
		for j := range 5 {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"options","key":"k%d","title":{"ka":"კითხვა %d","en":"Question %d","ru":"Вопрос %d"},"options":[`, j, j, j, j)
			for k := range 3 {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"key":"o%d-%d","title":{"ka":"პასუხი %d","en":"Answer %d"}}`, j, k, k, k)
			}
			b.WriteString(`]}`)
		}
		fmt.Fprintf(&b, `],"successButtonTitle":{"ka":"გაგრძელება"},"description":"აღწერა %d"}`, i)
	}
	b.WriteString(`]}`)
	c, err := Parse([]byte(b.String()))
	if err != nil {
		panic(err)
	}
	return c
}

func TestTextsFlowSize(t *testing.T) {
	if n := len(textsFlow(10).Texts()); n != 230 {
		t.Fatalf("textsFlow(10) has %d texts, want 230", n)
	}
}

// BenchmarkScaleTexts lists, counts and edits the texts of a flow of
// about 5,000 texts.
func BenchmarkScaleTexts(b *testing.B) {
	c := textsFlow(218) // 5,014 texts
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Texts()
		}
	})
	b.Run("count", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = c.TextCounts()
		}
	})
	ids := c.Texts()
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := c.SetText(ids[i%len(ids)].ID, "ru", "перевод"); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// A text of only white space in a language shows nothing: the validator,
// the counts and the missing list all take it as missing, as the
// translation tools do.
func TestBlankTextIsMissingEverywhere(t *testing.T) {
	c := mustParse(t, `{"flags":{"language":"en"},"steps":[
		{"type":"language","flags":{"languages":["en","ka"]}},
		{"type":"liveness","title":{"en":"Face","ka":" \n "}}]}`)
	found := false
	for _, d := range Validate(c) {
		if d.Code == CodeMissingTranslation && d.Path == "/steps/1/title" {
			found = true
		}
	}
	if !found {
		t.Errorf("no missing-translation for a blank ka title: %v", Validate(c))
	}
	for _, n := range c.TextCounts() {
		if n.Lang == "ka" && n.Translated != 0 {
			t.Errorf("ka counted as translated: %+v", n)
		}
	}
	for _, txt := range c.Texts() {
		if txt.ID == "/steps/1/title" && !slices.Contains(txt.Missing([]string{"en", "ka"}), "ka") {
			t.Errorf("ka not in the missing list of %+v", txt)
		}
	}
}
