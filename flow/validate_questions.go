package flow

import (
	"fmt"
	"slices"
	"strings"
)

var optionSpecs = []FieldSpec{
	{Name: "key", Kind: KindString},
	textField("title", "option label"),
}

var conditionSpecs = []FieldSpec{
	{Name: "questionKey", Kind: KindString},
	{Name: "answer", Kind: KindString},
}

// questionnaire checks the questions of a user or operator questionnaire.
// Question keys and option keys are unique within it; conditions may only
// point at its own questions.
func (v *validator) questionnaire(s Step, path string) {
	qsPath := join(path, "questions")
	questions := s.Questions()
	firstIndex := map[string]int{} // question key → index of its first use
	optionKeys := map[string]bool{}
	for i, q := range questions {
		if k := q.Key(); strings.TrimSpace(k) != "" { // a blank key is reported as missing
			if _, dup := firstIndex[k]; !dup {
				firstIndex[k] = i
			}
		}
	}
	questionKeys := make([]string, 0, len(firstIndex))
	for k := range firstIndex {
		questionKeys = append(questionKeys, k)
	}
	slices.Sort(questionKeys)

	seenKeys := map[string]bool{}
	for i, q := range questions {
		p := join(qsPath, i)
		if !q.V.Is(Object) {
			v.errorf(CodeType, p, "each question must be an object like {\"type\": \"string\", \"key\": \"...\"}, not %s", describeKind(q.V))
			continue
		}
		v.question(q, p, i)
		if k := q.Key(); strings.TrimSpace(k) != "" {
			if seenKeys[k] {
				v.errorf(CodeDuplicateKey, join(p, "key"), "question key %q is already used in this questionnaire; question keys must be unique (try %q)", k, uniqueName(k, s.questionKeys()))
			}
			seenKeys[k] = true
		}
		v.options(s, q, p, optionKeys)
		v.condition(q, p, i, questions, firstIndex, questionKeys)
	}
}

func (v *validator) question(q Question, p string, index int) {
	for _, m := range q.V.Members() {
		mp := join(p, m.Name)
		spec, ok := findSpec(questionFields, m.Name)
		if !ok {
			v.unknown(mp, m.Name, fieldNames(questionFields), "")
			continue
		}
		if m.Name == "showConditions" && !m.Value.Is(Object) {
			v.errorf(CodeType, mp, "showConditions must be an object like {\"questionKey\": \"...\", \"answer\": \"...\"}, not %s", describeKind(m.Value))
			continue
		}
		v.checkKnown(spec, m.Value, mp, spec.Kind == KindText)
	}
	for _, name := range []string{"type", "key"} {
		if !q.V.Has(name) {
			v.errorf(CodeRequired, join(p, name), "the question has no %q; add one", name)
		}
	}
	// An empty key names nothing: no condition or answer can refer to it.
	if s, ok := q.V.Get("key").Str(); ok && strings.TrimSpace(s) == "" {
		hint := "give it a short name"
		if t := q.Title().In(v.c.Language()); strings.TrimSpace(t) != "" {
			hint += fmt.Sprintf(" such as %q", KeyFromTitle(t))
		}
		v.errorf(CodeRequired, join(p, "key"), "the question's key is empty; %s", hint)
	}
	typ := q.Type()
	if !slices.Contains(questionTypes, typ) {
		return // missing, wrong type or enum error: reported above
	}
	if n, text, ok := wholeNumber(q.V.Get("filesMaxCount")); ok && (n < 1 || n > 10) {
		v.errorf(CodeRange, join(p, "filesMaxCount"), "filesMaxCount is %s; it must be from 1 to 10", text)
	}
	if q.V.Has("multiple") && !QuestionUses(typ, "multiple") {
		v.warnf(CodeIgnoredFlag, join(p, "multiple"), "\"multiple\" only applies to dropdown questions; remove it")
	}
	for _, name := range []string{"fileTypes", "filesMaxCount"} {
		if q.V.Has(name) && !QuestionUses(typ, name) {
			v.warnf(CodeIgnoredFlag, join(p, name), "%q only applies to file questions; remove it", name)
		}
	}
	if q.V.Has("options") && !QuestionUses(typ, "options") {
		v.warnf(CodeIgnoredFlag, join(p, "options"), "a %s question has no options; remove them or change the type", typ)
	}
	answer := q.V.Get("answer")
	v.presetAnswer(q, typ, answer, join(p, "answer"))
	// A dropdown or file question ignores a preset answer, so it has none.
	hasPreset := answer != nil && QuestionUses(typ, "answer")
	if q.Bool("mandatory") && q.Bool("readOnly") && !hasPreset {
		v.warnf(CodeUnreachable, p, "the question is mandatory and read-only but has no preset answer: nobody can answer it; add an answer or clear readOnly")
	}
}

func (v *validator) presetAnswer(q Question, typ string, answer *Value, p string) {
	if answer == nil {
		return
	}
	opts := q.OptionKeys()
	switch typ {
	case "string":
		switch answer.Kind() {
		case String:
		case Object:
			v.checkText(answer, p, false)
		default:
			v.errorf(CodeAnswer, p, "a string question's preset answer is a text or a {language: text} object, not %s", describeKind(answer))
		}
	case "options":
		s, ok := answer.Str()
		if !ok {
			v.errorf(CodeAnswer, p, "an options question's preset answer is one option key (a string), not %s", describeKind(answer))
			return
		}
		if !slices.Contains(opts, s) {
			v.errorf(CodeAnswer, p, "preset answer %q is not an option of this question%s; options: %s", s, didYouMean(s, opts), quoteList(opts))
		}
	case "multiple-choice":
		if !answer.Is(Array) {
			v.errorf(CodeAnswer, p, "a multiple-choice question's preset answer is an array of option keys, not %s", describeKind(answer))
			return
		}
		for i, it := range answer.Items() {
			s, ok := it.Str()
			if !ok {
				v.errorf(CodeAnswer, join(p, i), "each preset answer item is an option key (a string), not %s", describeKind(it))
				continue
			}
			if !slices.Contains(opts, s) {
				v.errorf(CodeAnswer, join(p, i), "preset answer %q is not an option of this question%s; options: %s", s, didYouMean(s, opts), quoteList(opts))
			}
		}
	case "dropdown", "file":
		v.warnf(CodeIgnoredFlag, p, "a %s question cannot have a preset answer; remove it", typ)
	}
}

func (v *validator) options(s Step, q Question, p string, seen map[string]bool) {
	typ := q.Type()
	optsVal := q.V.Get("options")
	if IsChoiceQuestion(typ) && (optsVal == nil || (optsVal.Is(Array) && optsVal.Len() == 0)) {
		v.errorf(CodeEmpty, join(p, "options"), "a %s question needs at least one option; add {\"key\": \"...\", \"title\": {...}}", typ)
	}
	for i, o := range q.Options() {
		op := join(join(p, "options"), i)
		if !o.V.Is(Object) {
			v.errorf(CodeType, op, "each option must be an object like {\"key\": \"yes\", \"title\": {\"en\": \"Yes\"}}, not %s", describeKind(o.V))
			continue
		}
		for _, m := range o.V.Members() {
			mp := join(op, m.Name)
			if spec, ok := findSpec(optionSpecs, m.Name); ok {
				v.checkKnown(spec, m.Value, mp, spec.Kind == KindText)
				continue
			}
			v.unknown(mp, m.Name, fieldNames(optionSpecs), "")
		}
		if !o.V.Has("key") {
			v.errorf(CodeRequired, join(op, "key"), "the option has no \"key\"; add one")
			continue
		}
		if s, ok := o.V.Get("key").Str(); ok && strings.TrimSpace(s) == "" {
			v.errorf(CodeRequired, join(op, "key"), "the option's key is empty; give it a short name")
			continue
		}
		if k := o.Key(); k != "" {
			if seen[k] {
				v.errorf(CodeDuplicateKey, join(op, "key"), "option key %q is already used in this questionnaire; option keys must be unique within it (try %q)", k, uniqueName(k, s.optionKeys()))
			}
			seen[k] = true
		}
	}
}

func (v *validator) condition(q Question, p string, index int, questions []Question, firstIndex map[string]int, questionKeys []string) {
	c := q.V.Get("showConditions")
	if !c.Is(Object) {
		return
	}
	cp := join(p, "showConditions")
	for _, m := range c.Members() {
		mp := join(cp, m.Name)
		if spec, ok := findSpec(conditionSpecs, m.Name); ok {
			v.checkKnown(spec, m.Value, mp, false)
			continue
		}
		v.unknown(mp, m.Name, fieldNames(conditionSpecs), "")
	}
	for _, name := range []string{"questionKey", "answer"} {
		if !c.Has(name) {
			v.errorf(CodeRequired, join(cp, name), "showConditions has no %q; add one", name)
		}
	}
	target, ok := c.Get("questionKey").Str()
	if !ok {
		return
	}
	tp := join(cp, "questionKey")
	ti, found := firstIndex[target]
	switch {
	case target == q.Key():
		v.errorf(CodeConditionTarget, tp, "the question's condition names the question itself; name an earlier question")
		return
	case !found:
		others := slices.DeleteFunc(slices.Clone(questionKeys), func(k string) bool { return k == q.Key() })
		list := "it has no other question"
		if len(others) > 0 {
			list = "other questions: " + strings.Join(others, ", ")
		}
		v.errorf(CodeConditionTarget, tp, "no question %q in this questionnaire%s; %s", target, didYouMean(target, others), list)
		return
	}
	tq := questions[ti]
	ttype := tq.Type()
	if ttype == "file" {
		v.errorf(CodeConditionTarget, tp, "question %q is a file upload and cannot control another question; name a text or choice question", target)
		return
	}
	if ti > index {
		v.warnf(CodeConditionOrder, tp, "question %q comes after this one, so its answer is not known yet; move this question below it", target)
	}
	answer, ok := c.Get("answer").Str()
	if !ok || !IsChoiceQuestion(ttype) {
		return
	}
	if opts := tq.OptionKeys(); !slices.Contains(opts, answer) {
		v.errorf(CodeConditionAnswer, join(cp, "answer"), "%q is not an option of question %q%s; options: %s", answer, target, didYouMean(answer, opts), quoteList(opts))
	}
}
