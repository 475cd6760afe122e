package editor

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

func questionsOf(c *flow.Config, step int) []flow.Question { return c.Steps()[step].Questions() }

func questionKeys(c *flow.Config, step int) string {
	var out []string
	for _, q := range questionsOf(c, step) {
		out = append(out, q.Key())
	}
	return strings.Join(out, ",")
}

// pickValue chooses the picker item with value v (filtering would do the
// same; this keeps tests independent of item order).
func (r *richRig) pickValue(v string) {
	r.tb.Helper()
	p := requireTop[*widget.Picker](r.tb, r)
	for i, it := range p.Items() {
		if it.Value == v {
			r.keys("home")
			for range i {
				r.keys("down")
			}
			r.keys("enter")
			return
		}
	}
	r.tb.Fatalf("the picker %q has no %q", p.Title(), v)
}

func pickerValues(p *widget.Picker) []string {
	var out []string
	for _, it := range p.Items() {
		out = append(out, it.Value)
	}
	return out
}

func TestQuestionnaireAddRemoveDuplicateMove(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [{"type": "user-questionnaire", "key": "q", "questions": []}]}`))
	e := r.open(0).(*questionnaireEditor)
	r.requireScreen("Questions (0)", "a adds the first question")

	r.keys("a")
	if got := pickerValues(requireTop[*widget.Picker](t, r)); !slices.Equal(got, flow.QuestionTypes()) {
		t.Fatalf("type picker offers %v", got)
	}
	r.pickValue("options")
	requireTop[*widget.LocalizedEntry](t, r) // the title, asked first
	r.keys("esc")
	qe := requireTop[*questionEditor](t, r)
	qs := questionsOf(r.doc.Config, 0)
	if len(qs) != 1 || qs[0].Type() != "options" || len(qs[0].Options()) != 1 {
		t.Fatalf("after adding: %s", r.doc.Config.Bytes())
	}
	if qe.qi != 0 {
		t.Fatalf("the new question's editor edits question %d", qe.qi)
	}
	r.keys("esc")
	r.keys("a")
	r.pickValue("string")
	r.keys("esc", "esc")
	if got := questionKeys(r.doc.Config, 0); got != "question-1,question-2" {
		t.Fatalf("keys = %s", got)
	}
	// The cursor is on the new question: c duplicates it with a fresh key.
	r.keys("c")
	if got := questionKeys(r.doc.Config, 0); got != "question-1,question-2,question-3" {
		t.Fatalf("after c: keys = %s", got)
	}
	r.keys("K", "K")
	if got := questionKeys(r.doc.Config, 0); got != "question-3,question-1,question-2" {
		t.Fatalf("after K K: keys = %s", got)
	}
	if e.selectedQuestion() != 0 {
		t.Fatalf("cursor on question %d after moving, want 0", e.selectedQuestion())
	}
	r.keys("d")
	if got := questionKeys(r.doc.Config, 0); got != "question-1,question-2" {
		t.Fatalf("after d: keys = %s", got)
	}
	r.keys("u")
	if got := questionKeys(r.doc.Config, 0); got != "question-3,question-1,question-2" {
		t.Fatalf("after u: keys = %s", got)
	}
}

// conditionalRig is a questionnaire with a file question, a choice
// question and a text question after them.
func conditionalRig(t *testing.T) *richRig {
	t.Helper()
	return newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [{"type": "user-questionnaire", "key": "q", "questions": [
		{"type": "file", "key": "upload", "title": {"en": "Upload"}},
		{"type": "options", "key": "color", "title": {"en": "Colour"}, "options": [{"key": "red", "title": {"en": "Red"}}]},
		{"type": "string", "key": "name", "title": {"en": "Name"}},
		{"type": "string", "key": "why", "title": {"en": "Why"}},
		{"type": "multiple-choice", "key": "extras", "title": {"en": "Extras"}, "options": [{"key": "x1", "title": {"en": "One"}}, {"key": "x2", "title": {"en": "Two"}}], "answer": ["x1"]}
	]}]}`))
}

func (r *richRig) openQuestion(qi int) *questionEditor {
	r.tb.Helper()
	e := r.top().(*questionnaireEditor)
	r.moveTo(func() *widget.PropList { return e.list }, e.questionRow(qi).Label)
	r.keys("enter")
	return requireTop[*questionEditor](r.tb, r)
}

// employmentStatus opens the editor of the onboarding questionnaire's
// first question, employment-status.
func employmentStatus(t *testing.T) (*richRig, *questionEditor) {
	t.Helper()
	r := newRichRig(t, rigTemplate(t, "onboarding-questionnaire"))
	r.open(1)
	return r, r.openQuestion(0)
}

// openOptions opens the options of the question qe edits.
func (r *richRig) openOptions(qe *questionEditor) *optionsEditor {
	r.tb.Helper()
	r.moveTo(func() *widget.PropList { return qe.list }, "options")
	r.keys("enter")
	return requireTop[*optionsEditor](r.tb, r)
}

// openOptionKey opens option key in oe and selects its key row.
func (r *richRig) openOptionKey(oe *optionsEditor, key string) *optionEditor {
	r.tb.Helper()
	r.moveTo(func() *widget.PropList { return oe.list }, key)
	r.keys("enter")
	ope := requireTop[*optionEditor](r.tb, r)
	r.moveTo(func() *widget.PropList { return ope.list }, "key")
	return ope
}

func TestQuestionAddOptionThenConditionOnIt(t *testing.T) {
	r := conditionalRig(t)
	r.open(0)
	qe := r.openQuestion(1) // color
	r.moveTo(func() *widget.PropList { return qe.list }, "options")
	r.keys("enter")
	requireTop[*optionsEditor](t, r)
	r.keys("a")
	requireTop[*widget.LocalizedEntry](t, r)
	r.typeText("Dark blue")
	r.keys("enter")
	requireTop[*widget.LocalizedEntry](t, r) // the next option
	r.keys("enter")                          // nothing typed: done
	requireTop[*optionsEditor](t, r)
	q := questionsOf(r.doc.Config, 0)[1]
	if got := strings.Join(q.OptionKeys(), ","); got != "red,dark-blue" {
		t.Fatalf("option keys = %s, want the new key suggested from the title", got)
	}
	if got := q.Options()[1].Title().In("en"); got != "Dark blue" {
		t.Fatalf("title = %q", got)
	}
	r.keys("esc", "esc")

	// Condition "why" on it: only earlier, non-file questions are offered.
	qe = r.openQuestion(3)
	r.moveTo(func() *widget.PropList { return qe.list }, "show when")
	r.keys("enter")
	if got := pickerValues(requireTop[*widget.Picker](t, r)); !slices.Equal(got, []string{"", "color", "name"}) {
		t.Fatalf("condition targets = %q, want no condition, color, name", got)
	}
	r.pickValue("color")
	if got := pickerValues(requireTop[*widget.Picker](t, r)); !slices.Equal(got, []string{"red", "dark-blue"}) {
		t.Fatalf("answers offered = %q, want color's option keys", got)
	}
	r.pickValue("dark-blue")
	requireTop[*questionEditor](t, r)
	if k, a, ok := questionsOf(r.doc.Config, 0)[3].Condition(); !ok || k != "color" || a != "dark-blue" {
		t.Fatalf("condition = %q %q %v", k, a, ok)
	}
	for _, d := range r.doc.Diags {
		if strings.HasPrefix(d.Code, "condition") {
			t.Fatalf("the condition the picker made is flagged: %s", d)
		}
	}
	r.requireScreen("color = dark-blue")

	// A text question controls by free text.
	r.keys("enter")
	r.pickValue("name")
	requireTop[*widget.TextEntry](t, r)
	r.typeText("Ada")
	r.keys("enter")
	if k, a, _ := questionsOf(r.doc.Config, 0)[3].Condition(); k != "name" || a != "Ada" {
		t.Fatalf("condition = %q %q", k, a)
	}
	// "no condition" removes it; d does too.
	r.keys("enter")
	r.pickValue("")
	if questionsOf(r.doc.Config, 0)[3].V.Has("showConditions") {
		t.Fatal("no condition did not remove showConditions")
	}
}

// The heading of a new option says the place it takes among the
// question's options, not how many were typed in this run.
func TestAddedOptionHeadingSaysItsPlace(t *testing.T) {
	r, qe := employmentStatus(t) // 3 options
	oe := r.openOptions(qe)
	r.moveTo(func() *widget.PropList { return oe.list }, "unemployed") // the last
	r.keys("a")
	r.requireScreen(`Option 4 of question "employment-status"`)
	r.typeText("Retired")
	r.keys("enter", "enter") // en, then es left empty
	r.requireScreen(`Option 5 of question "employment-status"`)
	r.keys("enter") // nothing typed: done
	r.moveTo(func() *widget.PropList { return oe.list }, "employed")
	r.keys("a") // after the first
	r.requireScreen(`Option 2 of question "employment-status"`)
	r.typeText("Student")
	r.keys("enter", "enter", "enter")
	if got := strings.Join(questionsOf(r.doc.Config, 1)[0].OptionKeys(), ","); got != "employed,student,self-employed,unemployed,retired" {
		t.Fatalf("option keys = %s, want each where its heading said", got)
	}
}

// Option keys are unique within their question (each question's options
// are a namespace of their own), and the options screens say so.
func TestOptionKeysSaidUniqueWithinTheQuestion(t *testing.T) {
	r, qe := employmentStatus(t)
	r.moveTo(func() *widget.PropList { return qe.list }, "options")
	r.requireScreen("keys unique within the question")
	oe := r.openOptions(qe)
	r.requireScreen("keys are unique within the question")
	r.openOptionKey(oe, "employed")
	r.requireScreen("unique within this question")
	if s := r.screen(); strings.Contains(s, "questionnaire") {
		t.Fatalf("an option key is said to be unique in the questionnaire:\n%s", s)
	}
}

func TestRenamingKeysMovesConditionsAndAnswers(t *testing.T) {
	// Rename the option employment-status/self-employed.
	r, qe := employmentStatus(t)
	r.moveTo(func() *widget.PropList { return qe.list }, "answer")
	r.keys("enter")
	r.pickValue("self-employed")
	r.openOptionKey(r.openOptions(qe), "self-employed")
	r.keys("enter")
	for range len("self-employed") {
		r.keys("backspace")
	}
	r.typeText("employed") // taken: refused as typed
	r.requireScreen("already an option key")
	r.typeText("-freelance")
	r.keys("enter")
	qs := questionsOf(r.doc.Config, 1)
	if k, a, _ := qs[1].Condition(); k != "employment-status" || a != "employed-freelance" {
		t.Fatalf("condition = %s = %s, want it to follow the option's new key", k, a)
	}
	if a, _ := qs[0].V.Get("answer").Str(); a != "employed-freelance" {
		t.Fatalf("preset answer = %q, want it to follow the option's new key", a)
	}
	r.keys("esc", "esc")
	// Rename the question itself.
	r.moveTo(func() *widget.PropList { return qe.list }, "key")
	r.keys("enter")
	for range len("employment-status") {
		r.keys("backspace")
	}
	r.typeText("work")
	r.keys("enter")
	if k, _, _ := questionsOf(r.doc.Config, 1)[1].Condition(); k != "work" {
		t.Fatalf("condition names %q, want the renamed question", k)
	}
	if r.doc.Diags.HasErrors() {
		t.Fatalf("renaming left errors: %v", r.doc.Diags)
	}
}

func TestQuestionEditorShowsOnlyItsTypesProperties(t *testing.T) {
	cases := map[string]struct{ want, not []string }{
		"string":          {[]string{"mandatory", "readOnly", "answer", "show when"}, []string{"options", "multiple", "fileTypes", "filesMaxCount"}},
		"multiple-choice": {[]string{"options", "answer", "readOnly"}, []string{"multiple", "fileTypes"}},
		"options":         {[]string{"options", "answer"}, []string{"multiple", "filesMaxCount"}},
		"dropdown":        {[]string{"options", "multiple"}, []string{"answer", "readOnly", "fileTypes"}},
		"file":            {[]string{"description", "fileTypes", "filesMaxCount"}, []string{"options", "answer", "multiple", "readOnly"}},
	}
	for typ, want := range cases {
		t.Run(typ, func(t *testing.T) {
			r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": []}]}`))
			r.open(0)
			r.keys("a")
			r.pickValue(typ)
			r.keys("esc") // the title entry
			qe := requireTop[*questionEditor](t, r)
			var labels []string
			for _, p := range qe.list.Props() {
				labels = append(labels, p.Label)
			}
			for _, w := range want.want {
				if !slices.Contains(labels, w) {
					t.Errorf("%s question lacks %q (has %v)", typ, w, labels)
				}
			}
			for _, n := range want.not {
				if slices.Contains(labels, n) {
					t.Errorf("%s question shows %q", typ, n)
				}
			}
		})
	}
}

func TestPresetAnswersPickFromOptions(t *testing.T) {
	r := conditionalRig(t)
	r.open(0)
	qe := r.openQuestion(4) // extras, multiple-choice, answer [x1]
	r.moveTo(func() *widget.PropList { return qe.list }, "answer")
	r.keys("enter")
	p := requireTop[*widget.Picker](t, r)
	if !p.Multi() || !slices.Contains(p.Chosen(), "x1") {
		t.Fatalf("multiple-choice answer picker: multi %v, chosen %v", p.Multi(), p.Chosen())
	}
	r.keys("down", "space", "enter")
	if got := string(flow.MarshalCompact(questionsOf(r.doc.Config, 0)[4].V.Get("answer"))); got != `["x1","x2"]` {
		t.Fatalf("answer = %s", got)
	}
	r.keys("d")
	if questionsOf(r.doc.Config, 0)[4].V.Has("answer") {
		t.Fatal("d did not clear the preset answer")
	}
	r.keys("esc")
	qe = r.openQuestion(1) // color, options
	r.moveTo(func() *widget.PropList { return qe.list }, "answer")
	r.keys("enter")
	if got := pickerValues(requireTop[*widget.Picker](t, r)); !slices.Equal(got, []string{"", "red"}) {
		t.Fatalf("options answer picker offers %q", got)
	}
	r.pickValue("red")
	if got := string(flow.MarshalCompact(questionsOf(r.doc.Config, 0)[1].V.Get("answer"))); got != `"red"` {
		t.Fatalf("answer = %s", got)
	}
}

func TestFileQuestionTypesAndMaxCount(t *testing.T) {
	r := conditionalRig(t)
	r.open(0)
	qe := r.openQuestion(0)
	r.moveTo(func() *widget.PropList { return qe.list }, "filesMaxCount")
	r.keys("enter")
	r.typeText("11")
	r.requireScreen("from 1 to 10")
	r.keys("enter") // refused: still editing
	if !ui.Capturing(r.top()) || questionsOf(r.doc.Config, 0)[0].V.Has("filesMaxCount") {
		t.Fatal("filesMaxCount 11 was accepted")
	}
	r.keys("backspace", "backspace")
	r.typeText("0")
	r.keys("enter")
	if questionsOf(r.doc.Config, 0)[0].V.Has("filesMaxCount") {
		t.Fatal("filesMaxCount 0 was accepted")
	}
	r.keys("backspace")
	r.typeText("4")
	r.keys("enter")
	if n, _ := questionsOf(r.doc.Config, 0)[0].V.Get("filesMaxCount").Int(); n != 4 {
		t.Fatalf("filesMaxCount = %d, want 4", n)
	}
	r.moveTo(func() *widget.PropList { return qe.list }, "fileTypes")
	r.keys("enter", "space", "enter") // pdf only
	if got := string(flow.MarshalCompact(questionsOf(r.doc.Config, 0)[0].V.Get("fileTypes"))); got != `["pdf"]` {
		t.Fatalf("fileTypes = %s", got)
	}
}

func TestQuestionnaireKindsDifferOnSuccessButton(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "user-questionnaire", "key": "u", "questions": []}, {"type": "operator-questionnaire", "key": "o", "questions": []}]}`))
	r.open(0)
	r.requireScreen("successButtonTitle")
	r.keys("esc")
	r.open(1)
	if strings.Contains(r.screen(), "successButtonTitle") {
		t.Fatal("an operator questionnaire offers successButtonTitle")
	}
}

func TestDropdownMultipleOnlyOnDropdowns(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "operator-review"))
	r.open(1)
	qe := r.openQuestion(1) // reject-reason, dropdown, multiple: true
	r.moveTo(func() *widget.PropList { return qe.list }, "multiple")
	r.keys("space")
	if questionsOf(r.doc.Config, 1)[1].Bool("multiple") {
		t.Fatal("space did not turn multiple off")
	}
	r.keys("esc")
	qe = r.openQuestion(2) // notes, string
	for _, p := range qe.list.Props() {
		if p.Label == "multiple" {
			t.Fatal("a string question offers multiple")
		}
	}
}

func TestQuestionnaireFocusOpensTheQuestion(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "onboarding-questionnaire"))
	r.push(openStepEditor(r.common, r.doc, flow.StepPath{1}, "/steps/1/questions/3/showConditions/answer"))
	qe := requireTop[*questionEditor](t, r)
	if qe.qi != 3 {
		t.Fatalf("opened question %d, want 3", qe.qi)
	}
	if p, _ := qe.list.Selected(); p.Label != "show when" {
		t.Fatalf("cursor on %q, want show when", p.Label)
	}
}

func TestQuestionnairePreviewMarksConditionsAndCyclesLanguages(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "onboarding-questionnaire"))
	r.open(1)
	r.keys("p")
	requireTop[*questionnairePreview](t, r)
	r.requireScreen("Preview in English", "What is your employment status?",
		"shown when “What is your employment status?” = “Self-employed”")
	r.keys("right")
	r.requireScreen("Preview in Spanish", "¿Cuál es su situación laboral?", "shown when “¿Cuál es su situación laboral?” = “Autónomo”")
	r.keys("right")
	r.requireScreen("Preview in English")
	r.keys("esc")
	requireTop[*questionnaireEditor](t, r)
}

func TestQuestionnaireGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"list", []string{"down", "down", "down", "down", "down"}},
		{"question", []string{"down", "down", "down", "down", "down", "enter"}},
		{"question_file", []string{"G", "enter"}},
		{"options", []string{"down", "down", "down", "down", "enter", "down", "down", "down", "down", "down", "enter"}},
		{"preview", []string{"p", "right"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRichRig(t, rigTemplate(t, "onboarding-questionnaire"))
			r.open(1)
			r.keys(tc.keys...)
			golden.RequireEqual(t, r.screen())
		})
	}
}

// In accessible mode a question's condition is said in words, whole even
// where the row is cut, not as the ⤷ mark.
func TestQuestionConditionInWordsWhenAccessible(t *testing.T) {
	const cfg = `{"steps": [{"type": "user-questionnaire", "key": "kyb", "questions": [
		{"type": "options", "key": "account-type", "title": {"en": "Account type"}, "options": [{"key": "business", "title": {"en": "Business"}}]},
		{"type": "string", "key": "company", "title": {"en": "Company name"}, "showConditions": {"questionKey": "account-type", "answer": "business"}}]}]}`
	r := newRichRig(t, rigConfig(t, cfg))
	r.common.Accessible = true
	r.open(0)
	screen := ui.Speak(r.screen())
	if !strings.Contains(screen, "shown only if account-type") || strings.Contains(screen, "⤷") {
		t.Errorf("the condition is not in words:\n%s", screen)
	}
	if got := ui.Speak("Bank statements  ⤷…"); strings.Contains(got, "⤷") {
		t.Errorf("a cut mark is not said: %q", got)
	}
}
