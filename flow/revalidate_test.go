package flow

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// revalidateCorpus is every template and every config under testdata.
func revalidateCorpus(t *testing.T) map[string]*Config {
	t.Helper()
	out := map[string]*Config{}
	for _, tpl := range Templates() {
		c, err := TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatal(err)
		}
		out["template "+tpl.Name] = c
	}
	files, err := filepath.Glob("../testdata/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := Parse(data); err == nil && c.root.Get("steps").Is(Array) {
			out[f] = c
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d configs to edit", len(out))
	}
	return out
}

// Values an edit may put anywhere: right, wrong and hostile ones.
var revalidateValues = []func() *Value{
	func() *Value { return NewString("") },
	func() *Value { return NewString("en") },
	func() *Value { return NewString("ka") },
	func() *Value { return NewString("GEO") },
	func() *Value { return NewString("passport") },
	func() *Value { return NewString("liveness") },
	func() *Value { return NewString("company") },
	func() *Value { return NewString("not-a-url") },
	func() *Value { return NewString("https://example.com") },
	func() *Value { return NewString("a\u202eb") },
	func() *Value { return NewInt(3) },
	func() *Value { return NewNumber("1e400") },
	func() *Value { return NewBool(true) },
	func() *Value { return NewBool(false) },
	func() *Value { return NewNull() },
	func() *Value { return NewObject() },
	func() *Value { return ObjectOf(Member{"en", NewString("Hi")}) },
	func() *Value {
		return ObjectOf(Member{"ka", NewString("გამარჯობა")}, Member{"xx", NewInt(1)})
	},
	func() *Value { return NewArray() },
	func() *Value { return NewStrings([]string{"GEO", "ARM"}) },
	func() *Value { return NewStrings([]string{"passport", "nope"}) },
	func() *Value {
		return NewArray(ObjectOf(Member{"key", NewString("q")}, Member{"type", NewString("text")}, Member{"title", NewString("Q")}))
	},
}

// Names an edit may add: known fields and flags of many steps, misspelt
// ones, a credential, and names the node already has (a repeat).
var revalidateNames = []string{
	"key", "type", "title", "description", "flags", "steps", "questions", "options", "fields",
	"document_types", "countries", "liveness", "allow_face_upload", "mandatory", "condition",
	"successButtonTitle", "languages", "titel", "company_key", "secret_key", "x-note",
	"skip_face", "skip_document", "language", "return_url", "allow_upload",
}

// randomContainer picks an object or array inside v (v included).
func randomContainer(r *rand.Rand, v *Value) *Value {
	var all []*Value
	var walk func(*Value)
	walk = func(x *Value) {
		if x.isContainer() {
			all = append(all, x)
			for i := range x.slots() {
				walk(x.slot(i))
			}
		}
	}
	walk(v)
	return all[r.IntN(len(all))]
}

// randomEdit changes v somewhere inside, as an editor or a hand might.
func randomEdit(r *rand.Rand, v *Value) {
	x := randomContainer(r, v)
	val := revalidateValues[r.IntN(len(revalidateValues))]()
	switch n := x.slots(); {
	case x.kind == Object && n > 0 && r.IntN(3) == 0:
		k := r.IntN(n)
		x.members = slices.Delete(x.members, k, k+1)
	case x.kind == Object && n > 0 && r.IntN(2) == 0:
		x.members[r.IntN(n)].Value = val
	case x.kind == Object && n > 0 && r.IntN(40) == 0:
		x.members = append(x.members, Member{x.members[r.IntN(n)].Name, val}) // a repeat
	case x.kind == Object:
		x.members = append(x.members, Member{revalidateNames[r.IntN(len(revalidateNames))], val})
	case n > 0 && r.IntN(3) == 0:
		k := r.IntN(n)
		x.items = slices.Delete(x.items, k, k+1)
	case n > 0 && r.IntN(2) == 0:
		x.items[r.IntN(n)] = val
	default:
		x.items = append(x.items, val)
	}
}

// Revalidate after an edit is what Validate finds, whatever the edit, and
// most edits inside a step take the short way.
func TestRevalidateIsValidate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	short, questions, flagEdits, edits := 0, 0, 0, 0
	for name, c := range revalidateCorpus(t) {
		tr := NewTracker(c)
		diags := Validate(c)
		for range 60 {
			target := c.root
			steps, n := c.root.Get("steps"), r.IntN(10)
			switch {
			case n < 2 && c.Flags().Is(Object):
				target = c.Flags()
			case n < 9 && steps.Is(Array) && steps.Len() > 0:
				target = steps.items[r.IntN(steps.Len())]
			}
			if target.isContainer() {
				randomEdit(r, target)
			}
			p := tr.Record(c)
			if p == nil {
				continue
			}
			edits++
			if p.insideGlobalFlags(c) && !hasCode(diags, CodeDuplicateMember) {
				flagEdits++
			}
			if i, ok := p.insideOneStep(c); ok && !hasCode(diags, CodeDuplicateMember) {
				short++
				if _, ok := p.insideOneQuestion(c.root.Get("steps").items[i]); ok {
					questions++
				}
			}
			got, want := Revalidate(c, diags, p), Validate(c)
			if !reflect.DeepEqual(got, want) {
				out := c.Bytes()
				t.Fatalf("%s: after an edit, Revalidate differs from Validate\ngot:\n%s\nwant:\n%s\nconfig:\n%s", name, diagLines(got), diagLines(want), out)
			}
			diags = want
		}
	}
	if short < edits/4 {
		t.Errorf("only %d of %d edits were checked the short way", short, edits)
	}
	if flagEdits < 100 {
		t.Errorf("only %d edits were checked as global flag edits", flagEdits)
	}
	if questions < 20 {
		t.Errorf("only %d edits were checked one question alone", questions)
	}
	t.Logf("%d of %d edits checked one step, %d of them one question alone; %d the global flags", short, edits, questions, flagEdits)
}

func diagLines(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

// An edit of a step's key goes the long way: the steps after it may now
// be unique, or not.
func TestRevalidateKeyEditFindsDuplicates(t *testing.T) {
	c, err := Parse([]byte(`{"steps":[{"type":"liveness","key":"a"},{"type":"liveness","key":"b"}],"flags":{"skip_face":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(c)
	diags := Validate(c)
	c.root.Get("steps").items[1].Set("key", NewString("a"), nil)
	got := Revalidate(c, diags, tr.Record(c))
	if !hasCode(got, CodeDuplicateKey) || !reflect.DeepEqual(got, Validate(c)) {
		t.Errorf("got:\n%s", diagLines(got))
	}
}

// BenchmarkScaleRevalidateFlagOf2000Steps is the validation after a
// step's flag toggle in a 2,000-step flow: Revalidate against Validate.
func BenchmarkScaleRevalidateFlagOf2000Steps(b *testing.B) {
	c, err := Parse(generateFlowIn(2000, "en"))
	if err != nil {
		b.Fatal(err)
	}
	tr := NewTracker(c)
	diags := Validate(c)
	step := c.root.Get("steps").items[1000]
	flags := step.Get("flags")
	if flags == nil {
		step.Set("flags", NewObject(), nil)
		flags = step.Get("flags")
		tr.Record(c)
	}
	on := false
	for _, way := range []string{"whole", "step"} {
		b.Run(way, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				on = !on
				flags.Set("allow_upload", NewBool(on), nil)
				p := tr.Record(c)
				if way == "whole" {
					diags = Validate(c)
				} else {
					diags = Revalidate(c, diags, p)
				}
			}
		})
	}
}

// Edits of one question of a questionnaire whose questions point at each
// other (conditions, repeated keys, preset answers): checking the
// question alone finds what checking the whole flow finds.
func TestRevalidateQuestionEdits(t *testing.T) {
	const questionnaire = `{"flags":{"language":"en"},"steps":[{"type":"user-questionnaire","key":"about","questions":[
		{"type":"options","key":"a","title":{"en":"A"},"options":[{"key":"x","title":{"en":"X"}},{"key":"y","title":{"en":"Y"}}]},
		{"type":"string","key":"b","title":{"en":"B"},"showConditions":{"questionKey":"a","answer":"x"}},
		{"type":"string","key":"b","title":{"en":"B again"}},
		{"type":"multiple-choice","key":"c","title":"C","options":[{"key":"x"}],"answer":["x"],"showConditions":{"questionKey":"e","answer":"z"}},
		{"type":"file","key":"d","title":{"en":"D"},"showConditions":{"questionKey":"c","answer":"x"}},
		{"type":"dropdown","key":"e","title":{"en":"E"},"options":[{"key":"z","title":{"en":"Z"}}]}]},
		{"type":"operator-questionnaire","questions":[{"type":"string","key":"n","title":"Note"}]}]}`
	names := []string{"key", "type", "options", "showConditions", "title", "mandatory", "readOnly", "answer", "multiple"}
	vals := []func() *Value{
		func() *Value { return NewString("a") },
		func() *Value { return NewString("b") },
		func() *Value { return NewString("options") },
		func() *Value { return NewString("string") },
		func() *Value { return NewString("file") },
		func() *Value { return NewBool(true) },
		func() *Value {
			return ObjectOf(Member{"questionKey", NewString("a")}, Member{"answer", NewString("y")})
		},
		func() *Value {
			return ObjectOf(Member{"questionKey", NewString("e")}, Member{"answer", NewString("z")})
		},
		func() *Value {
			return NewArray(ObjectOf(Member{"key", NewString("y")}), ObjectOf(Member{"key", NewString("z")}))
		},
		func() *Value { return ObjectOf(Member{"en", NewString("T")}) },
		func() *Value { return NewString("x") },
	}
	r := rand.New(rand.NewPCG(5, 6))
	short := 0
	for round := range 40 {
		c, err := Parse([]byte(questionnaire))
		if err != nil {
			t.Fatal(err)
		}
		tr := NewTracker(c)
		diags := Validate(c)
		for range 30 {
			step := c.root.Get("steps").items[r.IntN(2)]
			qs := Step{V: step}.QuestionsValue().items
			q := qs[r.IntN(len(qs))]
			q.Set(names[r.IntN(len(names))], vals[r.IntN(len(vals))](), nil)
			p := tr.Record(c)
			if p == nil {
				continue
			}
			if i, ok := p.insideOneStep(c); ok {
				if _, ok := p.insideOneQuestion(c.root.Get("steps").items[i]); ok {
					short++
				}
			}
			got, want := Revalidate(c, diags, p), Validate(c)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d: Revalidate differs from Validate\ngot:\n%s\nwant:\n%s\nconfig:\n%s", round, diagLines(got), diagLines(want), c.Bytes())
			}
			diags = want
		}
	}
	if short < 200 {
		t.Errorf("only %d edits were checked one question alone", short)
	}
}

// A change of the language flag changes what every text lacks: the steps
// are checked again, not just the flags.
func TestRevalidateLanguageFlagChecksTheSteps(t *testing.T) {
	for _, lang := range []string{"ka", "ru"} {
		c, err := TemplateConfig("onboarding-questionnaire")
		if err != nil {
			t.Fatal(err)
		}
		tr := NewTracker(c)
		diags := Validate(c)
		c.SetFlag("language", NewString(lang))
		got, want := Revalidate(c, diags, tr.Record(c)), Validate(c)
		if !reflect.DeepEqual(got, want) || reflect.DeepEqual(want, diags) {
			t.Errorf("language %s: got %d diagnostics, want %d (before: %d)", lang, len(got), len(want), len(diags))
		}
	}
}
