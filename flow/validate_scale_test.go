package flow

import (
	"fmt"
	"strings"
	"testing"
)

// Tests of what keeps validation and editing linear whatever a config
// holds: bounded suggestions, bounded messages, fresh keys handed out
// without rescanning. The timings themselves are BenchmarkScale….

// bruteSuggest is Suggest as a plain scan over every candidate, to check
// the indexed lookup of long lists against.
func bruteSuggest(s string, candidates []string) string {
	sg := newSuggester(candidates[:0])
	sg.cands = candidates
	for _, c := range candidates {
		sg.lower = append(sg.lower, strings.ToLower(c))
		sg.norm = append(sg.norm, separators.Replace(strings.ToLower(c)))
		sg.maxRunes = max(sg.maxRunes, len([]rune(c)))
		sg.runes = append(sg.runes, []rune(strings.ToLower(c)))
	}
	return sg.find(s, "")
}

func TestSuggestInLongLists(t *testing.T) {
	var keys []string
	for i := range 500 {
		keys = append(keys, fmt.Sprintf("question-%d", i))
	}
	keys = append(keys, "employment-status", "date-of-birth", "Ünïcode-key")
	cases := map[string]string{
		"employment-stauts":  "employment-status", // a swap
		"EMPLOYMENT_STATUS":  "employment-status", // case and separators
		"employment-statu":   "employment-status", // a deletion
		"employment-statuss": "employment-status", // an insertion
		"date-of-brith":      "date-of-birth",
		"question-17x":       "question-17",
		"qestion-3":          "question-3",
		"ünïcode-kez":        "Ünïcode-key",
		"something else":     "",
		"question-1000000":   "",
	}
	for in, want := range cases {
		if got := Suggest(in, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
		if got := bruteSuggest(in, keys); got != want {
			t.Errorf("scan Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	// A name far longer than any candidate costs nothing and finds nothing.
	if got := Suggest(strings.Repeat("question-1", 100_000), keys); got != "" {
		t.Errorf("a megabyte name got %q", got)
	}
}

func TestLongListsGiveShortMessages(t *testing.T) {
	var qs []string
	for i := range 3000 {
		qs = append(qs, fmt.Sprintf(`{"type": "string", "key": "q%d", "title": {"en": "Q"}}`, i))
	}
	qs[0] = `{"type": "string", "key": "q0", "title": {"en": "Q"}, "showConditions": {"questionKey": "nowhere", "answer": "x"}}`
	var opts, answers []string
	for i := range 2000 {
		opts = append(opts, opt(fmt.Sprintf("o%d", i)))
		answers = append(answers, fmt.Sprintf(`"x%d"`, i))
	}
	qs[1] = choiceQ("multiple-choice", "q1", `, "answer": [`+strings.Join(answers, ", ")+`]`, opts...)
	_, ds := check(t, flowOf(userQ(qs...)))
	var target, answer int
	for _, d := range ds {
		if len(d.Message) > 400 {
			t.Fatalf("a message of %d bytes: %.200s…", len(d.Message), d.Message)
		}
		switch d.Code {
		case CodeConditionTarget:
			target++
			if !strings.Contains(d.Message, "other questions: q1, q10, q100, q1000, q1001, q1002, q1003, q1004, q1005, q1006 and 2989 more") {
				t.Errorf("condition-target message: %s", d.Message)
			}
		case CodeAnswer:
			answer++
			if !strings.Contains(d.Message, `"o8", "o9" and 1990 more`) || !strings.Contains(d.Message, `(did you mean "o`) {
				t.Errorf("answer message: %s", d.Message)
			}
		}
	}
	if target != 1 || answer != 2000 {
		t.Fatalf("%d condition-target and %d answer findings, want 1 and 2000", target, answer)
	}
}

func TestDuplicateKeyHintsAreDistinctAndFree(t *testing.T) {
	_, ds := check(t, flowOf(`{"type": "liveness"}`, `{"type": "liveness"}`, `{"type": "liveness"}`, `{"type": "face-document", "key": "liveness-3"}`))
	var hints []string
	for _, d := range ds {
		if d.Code == CodeDuplicateKey {
			hints = append(hints, d.Message[strings.Index(d.Message, "(try"):])
		}
	}
	if strings.Join(hints, " ") != `(try "liveness-2") (try "liveness-4")` {
		t.Fatalf("hints %q; all:%s", hints, dump(ds))
	}
}

func TestKeySetHandsOutFreshKeys(t *testing.T) {
	ks := newKeySet()
	for _, k := range []string{"a", "a-2", "a-4", "b-2"} {
		ks.add(k)
	}
	var got []string
	for _, base := range []string{"a", "a", "a-2", "b-2", "b", "c"} {
		k := ks.fresh(base)
		ks.add(k)
		got = append(got, k)
	}
	if strings.Join(got, " ") != "a-3 a-5 a-6 b-3 b c" {
		t.Fatalf("fresh keys %v", got)
	}
	ks.remove("a-3")
	if ks.has("a-3") || !ks.has("a-5") {
		t.Fatal("remove")
	}
}

// The edit operations keep an index of step keys; steps changed directly
// on their values must not make them hand out a key that is taken.
func TestInsertStepAfterDirectChanges(t *testing.T) {
	c, err := Parse([]byte(`{"steps": [{"type": "livenes"}, {"type": "email", "key": "mail"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertStep(nil, 2, "geolocation"); err != nil { // builds the index
		t.Fatal(err)
	}
	// A fix of the step type, made directly: the keyless step is now known
	// as "liveness".
	s, _ := c.StepAt(StepPath{0})
	s.Set("type", NewString("liveness"))
	p, err := c.InsertStep(nil, 3, "liveness")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := c.StepAt(p); s.Key() != "liveness-2" {
		t.Errorf("new liveness step key = %q, want liveness-2", s.Key())
	}
	// A step appended directly changes the list's length: the index is rebuilt.
	c.StepsValue().Append(NewObject())
	Step{V: c.StepsValue().Item(4)}.Set("type", NewString("phone-number"))
	p, err = c.InsertStep(nil, 5, "phone-number")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := c.StepAt(p); s.Key() != "phone_number-2" {
		t.Errorf("new phone-number step key = %q, want phone_number-2", s.Key())
	}
	if _, err := c.RemoveStep(StepPath{1}); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.InsertStep(nil, 0, "email"); stepKeyAt(c, p) != "require_email" {
		t.Errorf("email key = %q", stepKeyAt(c, p))
	}
	if err := c.SetStepKey(StepPath{0}, "mail"); err != nil { // free again since the removal
		t.Fatal(err)
	}
	if p, _ := c.InsertStep(nil, 0, "email"); stepKeyAt(c, p) != "require_email" {
		t.Errorf("email key after the rename = %q", stepKeyAt(c, p))
	}
	for _, d := range Validate(c) {
		if d.Code == CodeDuplicateKey {
			t.Errorf("%s; keys: %s", d, stepKeys(c))
		}
	}
}

func stepKeyAt(c *Config, p StepPath) string {
	s, _ := c.StepAt(p)
	return s.Key()
}

func TestDuplicateCallKeepsNestedKeysApart(t *testing.T) {
	c, err := Parse([]byte(`{"steps": [{"type": "video-call", "steps": [{"type": "liveness", "key": "video-call-2"}, {"type": "email", "key": "video-call-3", "flags": {"require_email": true}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.DuplicateStep(StepPath{0}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range Validate(c) {
		if d.Code == CodeDuplicateKey {
			t.Errorf("%s; keys: %s", d, stepKeys(c))
		}
	}
}
