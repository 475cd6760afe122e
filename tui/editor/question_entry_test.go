package editor

import (
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/widget"
)

// bilingualRig is a Georgian flow that also shows English, with an empty
// questionnaire.
func bilingualRig(t *testing.T) *richRig {
	return newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [
		{"type": "language", "flags": {"languages": ["ka", "en"]}},
		{"type": "user-questionnaire", "key": "q", "title": {"ka": "კითხვარი", "en": "Questionnaire"}, "questions": []}
	]}`))
}

// keyCounter presses keys on a rig and counts those that are not the
// characters of a text.
type keyCounter struct {
	r *richRig
	n int
}

func (k *keyCounter) press(names ...string) { k.n += len(names); k.r.keys(names...) }

// A four-option question in Georgian and English takes its texts and at
// most three other keys per option.
func TestBilingualQuestionKeysPerOption(t *testing.T) {
	r := bilingualRig(t)
	r.open(1)
	k := &keyCounter{r: r}

	k.press("a")
	at := slices.Index(flow.QuestionTypes(), "options")
	for range at {
		k.press("down")
	}
	k.press("enter")
	entry := requireTop[*widget.LocalizedEntry](t, r)
	if entry.Lang() != "ka" {
		t.Fatalf("the title is asked in %q first, want the flow language ka", entry.Lang())
	}
	r.typeText("რისთვის ხსნით ანგარიშს?")
	k.press("enter")
	// The Georgian text is the reference: shown, not copied into English.
	r.requireScreen("რისთვის ხსნით ანგარიშს?", "en  English")
	if got := requireTop[*widget.LocalizedEntry](t, r).Lang(); got != "en" {
		t.Fatalf("after ka the entry asks %q, want en", got)
	}
	r.typeText("Why are you opening an account?")
	k.press("enter")
	overhead := k.n

	options := [][2]string{
		{"დანაზოგი", "Savings"},
		{"ხელფასი", "Salary"},
		{"ბიზნესი", "Business"},
		{"სხვა", "Other"},
	}
	perOption := make([]int, len(options))
	for i, o := range options {
		before := k.n
		requireTop[*widget.LocalizedEntry](t, r)
		r.typeText(o[0])
		k.press("enter")
		r.typeText(o[1])
		k.press("enter")
		perOption[i] = k.n - before
	}
	k.press("enter") // nothing typed: the options are done
	perOption[len(options)-1]++
	requireTop[*questionEditor](t, r)
	for i, n := range perOption {
		if n > 3 {
			t.Errorf("option %d took %d keys besides its texts, want at most 3", i+1, n)
		}
	}
	t.Logf("keys besides the texts: %d for the question (a, type, title), %v for the options", overhead, perOption)

	q := questionsOf(r.doc.Config, 1)[0]
	if q.Key() != "why-are-you-opening-an-account" {
		t.Errorf("question key %q, want one made from the English title", q.Key())
	}
	if got := string(flow.MarshalCompact(q.V.Get("title"))); got != `{"en":"Why are you opening an account?","ka":"რისთვის ხსნით ანგარიშს?"}` {
		t.Errorf("title = %s", got)
	}
	if got := strings.Join(q.OptionKeys(), ","); got != "savings,salary,business,other" {
		t.Errorf("option keys = %s", got)
	}
	for i, o := range q.Options() {
		if got := o.Title().In("ka"); got != options[i][0] {
			t.Errorf("option %d ka = %q", i, got)
		}
		if got := o.Title().In("en"); got != options[i][1] {
			t.Errorf("option %d en = %q", i, got)
		}
	}
	if n := r.doc.Diags.Count(flow.SevError) + r.doc.Diags.Count(flow.SevWarning); n != 0 {
		t.Errorf("the new question has %d problems: %v", n, r.doc.Diags)
	}
}

// A Georgian-only title gives an ASCII key; a language left empty is
// missing, not filled from another.
func TestNewQuestionKeyFromGeorgianAndEmptyLanguageLeftMissing(t *testing.T) {
	r := bilingualRig(t)
	r.open(1)
	r.keys("a")
	r.pickValue("string")
	r.typeText("დანაზოგი")
	r.keys("enter", "enter") // English left empty
	requireTop[*questionEditor](t, r)
	q := questionsOf(r.doc.Config, 1)[0]
	if q.Key() != "danazogi" {
		t.Errorf("key %q, want the transliterated danazogi", q.Key())
	}
	if got := string(flow.MarshalCompact(q.V.Get("title"))); got != `{"ka":"დანაზოგი"}` {
		t.Errorf("title = %s, want only the Georgian text", got)
	}
	// One undo step takes the title and key back, the next the question.
	r.keys("u")
	if q := questionsOf(r.doc.Config, 1)[0]; q.Key() != "question-1" || q.V.Get("title").Len() != 0 {
		t.Errorf("after u: %s", flow.MarshalCompact(q.V))
	}
}

// Options added from the options list go after the cursor, one after
// another, until enter is pressed with nothing typed.
func TestOptionsListAddsSeveralInEachLanguage(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "ka"}, "steps": [
		{"type": "language", "flags": {"languages": ["ka", "en"]}},
		{"type": "user-questionnaire", "key": "q", "questions": [
			{"type": "options", "key": "c", "title": {"ka": "ფერი", "en": "Colour"},
			 "options": [{"key": "red", "title": {"ka": "წითელი", "en": "Red"}}, {"key": "blue", "title": {"ka": "ლურჯი", "en": "Blue"}}]}]}
	]}`))
	r.open(1)
	qe := r.openQuestion(0)
	r.moveTo(func() *widget.PropList { return qe.list }, "options")
	r.keys("enter")
	oe := requireTop[*optionsEditor](t, r)
	r.moveTo(func() *widget.PropList { return oe.list }, "red")
	r.keys("a")
	r.typeText("მწვანე")
	r.keys("enter")
	r.typeText("Green")
	r.keys("enter")
	r.typeText("ყვითელი")
	r.keys("enter", "enter") // English left missing
	r.keys("enter")          // done
	requireTop[*optionsEditor](t, r)
	q := questionsOf(r.doc.Config, 1)[0]
	if got := strings.Join(q.OptionKeys(), ","); got != "red,green,qviteli,blue" {
		t.Fatalf("option keys = %s", got)
	}
	if got := string(flow.MarshalCompact(q.Options()[2].V.Get("title"))); got != `{"ka":"ყვითელი"}` {
		t.Errorf("third option's title = %s", got)
	}
	if p, _ := oe.list.Selected(); p.Label != "qviteli" {
		t.Errorf("cursor on %q, want the last option added", p.Label)
	}
}

// Changing a question to a choice type gives it an option with no text,
// not a placeholder filed under a language.
func TestTypeChangeAddsOptionWithoutText(t *testing.T) {
	r := bilingualRig(t)
	r.open(1)
	r.keys("a")
	r.pickValue("string")
	r.keys("esc")
	qe := requireTop[*questionEditor](t, r)
	r.moveTo(func() *widget.PropList { return qe.list }, "type")
	r.keys("enter")
	r.pickValue("dropdown")
	q := questionsOf(r.doc.Config, 1)[0]
	if got := string(flow.MarshalCompact(q.V.Get("options"))); got != `[{"key":"option-1","title":{}}]` {
		t.Fatalf("options = %s", got)
	}
}

// Accessible mode says the language being typed and the text to
// translate from.
func TestLocalizedEntryDescribe(t *testing.T) {
	r := bilingualRig(t)
	r.open(1)
	r.keys("a")
	r.pickValue("string")
	entry := requireTop[*widget.LocalizedEntry](t, r)
	r.typeText("დანაზოგი")
	r.keys("enter")
	want := `Question 1 — its title: typing the English text, language 2 of 2: "". The Georgian text: "დანაზოგი". Enter keeps the texts, esc cancels.`
	if got := entry.Describe(); got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}
