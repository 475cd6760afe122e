package flow

import (
	"slices"
	"strconv"
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

var (
	questionFieldNames  = fieldNames(questionFields)
	optionFieldNames    = fieldNames(optionSpecs)
	conditionFieldNames = fieldNames(conditionSpecs)
)

// questionnaire is what the rules of one questionnaire share. The lists
// they need only for a diagnostic are built on the first one.
type questionnaire struct {
	v          *validator
	questions  []*Value
	firstIndex map[string]int   // question key → index of its first use
	sorted     []string         // the question keys, sorted; nil until needed
	keys       *keySet          // the question keys, for fresh-key hints; nil until needed
	optionKeys map[int]*keyList // by question index; nil until needed
}

// optionsOf returns the option keys of the i-th question.
func (qz *questionnaire) optionsOf(i int) *keyList {
	if l, ok := qz.optionKeys[i]; ok {
		return l
	}
	if qz.optionKeys == nil {
		qz.optionKeys = map[int]*keyList{}
	}
	l := &keyList{keys: Question{V: qz.questions[i]}.OptionKeys()}
	qz.optionKeys[i] = l
	return l
}

func (qz *questionnaire) sortedKeys() []string {
	if qz.sorted == nil {
		qz.sorted = make([]string, 0, len(qz.firstIndex))
		for k := range qz.firstIndex {
			qz.sorted = append(qz.sorted, k)
		}
		slices.Sort(qz.sorted)
	}
	return qz.sorted
}

// keyList is a list of keys that answers membership in constant time.
type keyList struct {
	keys []string
	set  map[string]bool // for long lists; nil until needed
	free *keySet         // for fresh-key hints; nil until needed
}

func (l *keyList) has(k string) bool {
	if len(l.keys) <= 16 {
		return slices.Contains(l.keys, k)
	}
	if l.set == nil {
		l.set = make(map[string]bool, len(l.keys))
		for _, key := range l.keys {
			l.set[key] = true
		}
	}
	return l.set[k]
}

// fresh returns a key like k that is not in the list and was not offered
// before.
func (l *keyList) fresh(k string) string {
	if l.free == nil {
		l.free = newKeySet()
		for _, key := range l.keys {
			l.free.add(key)
		}
	}
	f := l.free.fresh(k)
	l.free.add(f)
	return f
}

// maxListed is how many keys a message lists before it says how many more.
const maxListed = 10

// quoteListMax is quoteList of at most maxListed values, then how many
// more there are.
func quoteListMax(vals []string) string {
	if len(vals) <= maxListed {
		return quoteList(vals)
	}
	return quoteList(vals[:maxListed]) + " and " + strconv.Itoa(len(vals)-maxListed) + " more"
}

// questionnaire checks the questions of a user or operator questionnaire.
// Question keys are unique within it and option keys within their
// question (two separate namespaces); keys compare byte for byte.
// Conditions may only point at the questionnaire's own questions.
func (v *validator) questionnaire(s Step, at *loc) {
	qsp := at.member("questions")
	qz := v.newQuestionnaire(s)
	seen := make(map[string]bool, len(qz.questions))
	for i, qv := range qz.questions {
		p := qsp.item(i)
		if !qv.Is(Object) {
			v.err(CodeType, &p, "each question must be an object like {\"type\": \"string\", \"key\": \"...\"}, not "+describeKind(qv))
			continue
		}
		q := Question{V: qv}
		qz.question(q, &p, i)
		if k := q.Key(); strings.TrimSpace(k) != "" {
			if seen[k] {
				if qz.keys == nil {
					qz.keys = newKeySet()
					for k := range qz.firstIndex {
						qz.keys.add(k)
					}
				}
				fresh := qz.keys.fresh(k)
				qz.keys.add(fresh)
				kp := p.member("key")
				v.err(CodeDuplicateKey, &kp, "question key "+quote(k)+" is already used in this questionnaire; question keys must be unique (try "+quote(fresh)+")")
			}
			seen[k] = true
		}
		qz.options(q, &p, i)
		qz.condition(q, &p, i)
	}
}

func (v *validator) newQuestionnaire(s Step) *questionnaire {
	qz := &questionnaire{v: v, questions: s.QuestionsValue().items}
	qz.firstIndex = make(map[string]int, len(qz.questions))
	for i, q := range qz.questions {
		if k := (Question{V: q}).Key(); strings.TrimSpace(k) != "" { // a blank key is reported as missing
			if _, dup := qz.firstIndex[k]; !dup {
				qz.firstIndex[k] = i
			}
		}
	}
	return qz
}

// question checks question i of questionnaire step s alone, as
// questionnaire does, but for whether its key was used before it.
func (v *validator) question(s Step, i int, at *loc) {
	if s.Type() == "operator-questionnaire" {
		v.operator = true
		defer func() { v.operator = false }()
	}
	qz := v.newQuestionnaire(s)
	q := Question{V: qz.questions[i]}
	qz.question(q, at, i)
	qz.options(q, at, i)
	qz.condition(q, at, i)
}

// questionUsers returns the question types that use prop, for messages.
func questionUsers(prop string) string {
	var users []string
	for _, t := range questionTypes {
		if QuestionUses(t, prop) {
			users = append(users, t)
		}
	}
	return wordList(users)
}

// aQuestion is "a string question", "an options question", ...
func aQuestion(typ string) string {
	if typ != "" && strings.ContainsRune("aeiou", rune(typ[0])) {
		return "an " + typ + " question"
	}
	return "a " + typ + " question"
}

// wordList renders a few words as "a", "a and b" or "a, b and c".
func wordList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// noPreset reports whether a preset answer presets nothing: absent, "" or
// an empty list (SPEC §12).
func noPreset(answer *Value) bool {
	return answer == nil || (answer.Is(String) && answer.s == "") || (answer.Is(Array) && len(answer.items) == 0)
}

func (qz *questionnaire) question(q Question, at *loc, index int) {
	v := qz.v
	for _, m := range q.V.members {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		mp := at.member(m.Name)
		spec, ok := findSpec(questionFields, m.Name)
		if !ok {
			v.unknown(&mp, m.Name, questionFieldNames, "")
			continue
		}
		if m.Name == "showConditions" && !m.Value.Is(Object) {
			v.err(CodeType, &mp, "showConditions must be an object like {\"questionKey\": \"...\", \"answer\": \"...\"}, not "+describeKind(m.Value))
			continue
		}
		v.checkKnown(spec, m.Value, &mp, spec.Kind == KindText)
	}
	for _, name := range []string{"type", "key"} {
		if !q.V.Has(name) {
			p := at.member(name)
			v.err(CodeRequired, &p, "the question has no "+quote(name)+"; add one")
		}
	}
	// An empty key names nothing: no condition or answer can refer to it.
	if s, ok := q.V.Get("key").Str(); ok && strings.TrimSpace(s) == "" {
		hint := "give it a short name"
		if t := q.Title().In(v.lang); strings.TrimSpace(t) != "" {
			hint += " such as " + quote(KeyFromTitle(t))
		}
		p := at.member("key")
		v.err(CodeRequired, &p, "the question's key is empty; "+hint)
	}
	typ := q.Type()
	if !slices.Contains(questionTypes, typ) {
		return // missing, wrong type or enum error: reported above
	}
	if n, text, ok := wholeNumber(q.V.Get("filesMaxCount")); ok && (n < 1 || n > 10) {
		p := at.member("filesMaxCount")
		v.err(CodeRange, &p, "filesMaxCount is "+text+"; it must be from 1 to 10")
	}
	// Properties of other question types mean nothing here.
	for _, name := range []string{"multiple", "description", "fileTypes", "filesMaxCount"} {
		if q.V.Has(name) && !QuestionUses(typ, name) {
			p := at.member(name)
			v.warn(CodeIgnoredFlag, &p, quote(name)+" only applies to "+questionUsers(name)+" questions; "+aQuestion(typ)+" ignores it: remove it")
		}
	}
	if q.V.Has("options") && !QuestionUses(typ, "options") {
		p := at.member("options")
		v.warn(CodeIgnoredFlag, &p, aQuestion(typ)+" has no options (only "+questionUsers("options")+" questions have them); remove them or change the type")
	}
	answer := q.V.Get("answer")
	preset := !noPreset(answer)
	if preset {
		p := at.member("answer")
		qz.presetAnswer(typ, answer, &p, index)
	}
	// A dropdown or file question ignores a preset answer, so it has none.
	if q.Bool("mandatory") && q.Bool("readOnly") && !(preset && QuestionUses(typ, "answer")) {
		v.warn(CodeUnreachable, at, "the question is mandatory and read-only but has no preset answer: nobody can answer it; add an answer or clear readOnly")
	}
}

func (qz *questionnaire) presetAnswer(typ string, answer *Value, at *loc, index int) {
	v := qz.v
	if answer.Is(Null) {
		v.typeError(at, "a preset answer (a text, an option key or a list of option keys)", answer)
		return
	}
	switch typ {
	case "string":
		switch answer.Kind() {
		case String:
		case Object:
			v.checkText(answer, at, false)
		default:
			v.err(CodeAnswer, at, "a string question's preset answer is a text or a {language: text} object, not "+describeKind(answer))
		}
	case "options":
		s, ok := answer.Str()
		if !ok {
			v.err(CodeAnswer, at, "an options question's preset answer is one option key (a string), not "+describeKind(answer))
			return
		}
		qz.presetOption(s, at, qz.optionsOf(index))
	case "multiple-choice":
		if !answer.Is(Array) {
			v.err(CodeAnswer, at, "a multiple-choice question's preset answer is an array of option keys, not "+describeKind(answer))
			return
		}
		for i, it := range answer.items {
			p := at.item(i)
			s, ok := it.Str()
			if !ok {
				v.err(CodeAnswer, &p, "each preset answer item is an option key (a string), not "+describeKind(it))
				continue
			}
			qz.presetOption(s, &p, qz.optionsOf(index))
		}
	case "dropdown", "file":
		v.warn(CodeIgnoredFlag, at, aQuestion(typ)+" cannot have a preset answer (only "+questionUsers("answer")+" questions take one); remove it")
	}
}

func (qz *questionnaire) presetOption(s string, at *loc, opts *keyList) {
	if !opts.has(s) {
		v := qz.v
		v.err(CodeAnswer, at, "preset answer "+quote(s)+" is not an option of this question"+v.didYouMean(s, opts.keys)+"; options: "+quoteListMax(opts.keys))
	}
}

// options checks a question's options. Their keys are unique within the
// question.
func (qz *questionnaire) options(q Question, at *loc, index int) {
	v := qz.v
	typ := q.Type()
	optsVal := q.V.Get("options")
	op := at.member("options")
	if IsChoiceQuestion(typ) && (optsVal == nil || (optsVal.Is(Array) && optsVal.Len() == 0)) {
		v.err(CodeEmpty, &op, aQuestion(typ)+" needs at least one option; add {\"key\": \"...\", \"title\": {...}}")
	}
	opts := q.OptionsValue().Items()
	var seen map[string]bool
	for i, o := range opts {
		p := op.item(i)
		if !o.Is(Object) {
			v.err(CodeType, &p, "each option must be an object like {\"key\": \"yes\", \"title\": {\"en\": \"Yes\"}}, not "+describeKind(o))
			continue
		}
		for _, m := range o.members {
			if IsCredentialName(m.Name) {
				continue // reported as a credential
			}
			mp := p.member(m.Name)
			if spec, ok := findSpec(optionSpecs, m.Name); ok {
				v.checkKnown(spec, m.Value, &mp, spec.Kind == KindText)
				continue
			}
			v.unknown(&mp, m.Name, optionFieldNames, "")
		}
		kp := p.member("key")
		key := o.Get("key")
		if key == nil {
			v.err(CodeRequired, &kp, "the option has no \"key\"; add one")
			continue
		}
		k, ok := key.Str()
		if ok && strings.TrimSpace(k) == "" {
			v.err(CodeRequired, &kp, "the option's key is empty; give it a short name")
			continue
		}
		if k == "" {
			continue // not a string: a type error
		}
		if seen == nil {
			seen = make(map[string]bool, len(opts))
		}
		if seen[k] {
			v.err(CodeDuplicateKey, &kp, "option key "+quote(k)+" is already used in this question; option keys must be unique within it (try "+quote(qz.optionsOf(index).fresh(k))+")")
		}
		seen[k] = true
	}
}

func (qz *questionnaire) condition(q Question, at *loc, index int) {
	v := qz.v
	c := q.V.Get("showConditions")
	if !c.Is(Object) {
		return
	}
	cp := at.member("showConditions")
	for _, m := range c.members {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		mp := cp.member(m.Name)
		if spec, ok := findSpec(conditionSpecs, m.Name); ok {
			v.checkKnown(spec, m.Value, &mp, false)
			continue
		}
		v.unknown(&mp, m.Name, conditionFieldNames, "")
	}
	for _, name := range []string{"questionKey", "answer"} {
		if !c.Has(name) {
			p := cp.member(name)
			v.err(CodeRequired, &p, "showConditions has no "+quote(name)+"; add one")
		}
	}
	target, ok := c.Get("questionKey").Str()
	if !ok {
		return
	}
	tp := cp.member("questionKey")
	ti, found := qz.firstIndex[target]
	own := q.Key()
	switch {
	case target == own:
		v.err(CodeConditionTarget, &tp, "the question's condition names the question itself; name an earlier question")
		return
	case !found:
		v.err(CodeConditionTarget, &tp, "no question "+quote(target)+" in this questionnaire"+v.didYouMeanBut(target, qz.sortedKeys(), own)+"; "+otherQuestions(qz.sortedKeys(), own))
		return
	}
	tq := Question{V: qz.questions[ti]}
	ttype := tq.Type()
	if ttype == "file" {
		v.err(CodeConditionTarget, &tp, "question "+quote(target)+" is a file upload and cannot control another question; name a text or choice question")
		return
	}
	if ti > index {
		v.warn(CodeConditionOrder, &tp, "question "+quote(target)+" comes after this one, so its answer is not known yet; move this question below it")
	}
	answer, ok := c.Get("answer").Str()
	if !ok || !IsChoiceQuestion(ttype) {
		return
	}
	if opts := qz.optionsOf(ti); !opts.has(answer) {
		p := cp.member("answer")
		v.err(CodeConditionAnswer, &p, quote(answer)+" is not an option of question "+quote(target)+v.didYouMean(answer, opts.keys)+"; options: "+quoteListMax(opts.keys))
	}
}

// otherQuestions lists the questionnaire's keys but own, for a message.
func otherQuestions(sorted []string, own string) string {
	n := len(sorted)
	if _, found := slices.BinarySearch(sorted, own); found {
		n--
	}
	if n == 0 {
		return "it has no other question"
	}
	listed := make([]string, 0, min(n, maxListed))
	for _, k := range sorted {
		if len(listed) == maxListed {
			break
		}
		if k != own {
			listed = append(listed, k)
		}
	}
	text := "other questions: " + strings.Join(listed, ", ")
	if n > len(listed) {
		text += " and " + strconv.Itoa(n-len(listed)) + " more"
	}
	return text
}
