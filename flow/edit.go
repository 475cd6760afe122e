package flow

import (
	"fmt"
	"slices"
	"strings"
)

// Edit operations the wizard uses. Each keeps keys unique: a new or
// duplicated step, question or option whose key is taken gets -2, -3, ...

// StepKeys returns every effective step key in the session. It walks the
// steps; the edit operations below use an index instead.
func (c *Config) StepKeys() map[string]bool {
	keys := map[string]bool{}
	c.WalkSteps(func(_ StepPath, s Step) { keys[s.EffectiveKey()] = true })
	return keys
}

// NewStep returns a step of type typ with the key and content a person
// would start from; its key is made unique within c.
func (c *Config) NewStep(typ string) (*Value, error) {
	spec, ok := LookupStep(typ)
	if !ok {
		return nil, fmt.Errorf("unknown step type %q%s", typ, didYouMean(typ, StepTypes()))
	}
	base := spec.DefaultKey
	if base == "" {
		base = spec.Type
	}
	s := Step{V: NewObject()}
	s.Set("type", NewString(typ))
	s.Set("key", NewString(c.freshStepKey(base)))
	if typ == "user-questionnaire" || typ == "operator-questionnaire" {
		// A questionnaire's title is the client's own and the guide wants
		// the member present: no text yet ({}), so missing-translation asks
		// for it in every language. Other steps start without a title: the
		// widget shows its own, in the person's language.
		s.Set("title", NewObject())
	}
	switch typ {
	case "phone-number":
		s.SetFlag("require_phone_number", NewBool(true))
	case "email":
		s.SetFlag("require_email", NewBool(true))
	case "geolocation":
		s.SetFlag("require_geolocation", NewBool(true))
	case "company":
		fields := NewArray()
		for _, f := range companyLockedFields {
			fields.Append(newKYBField(f, true))
		}
		s.Set("fields", fields)
	case "beneficiaries":
		s.Set("roles", NewObject())
	case "video-call":
		s.Set("steps", NewArray())
	case "user-questionnaire", "operator-questionnaire":
		s.Set("questions", NewArray())
	}
	return s.V, nil
}

func newKYBField(typ string, mandatory bool) *Value {
	f := NewObject()
	f.Set("type", NewString(typ), fieldOrder)
	f.Set("mandatory", NewBool(mandatory), fieldOrder)
	return f
}

// InsertStep inserts a new step of type typ at index at of the list that
// parent names (nil: the top level; {i}: the video call at i) and returns
// its path. Adding a liveness or identity-document step also sets the
// global skip_face / skip_document flag, which the vendor needs to avoid
// running the step twice.
func (c *Config) InsertStep(parent StepPath, at int, typ string) (StepPath, error) {
	list, err := c.listFor(parent, typ)
	if err != nil {
		return nil, err
	}
	step, err := c.NewStep(typ)
	if err != nil {
		return nil, err
	}
	at = max(0, min(at, list.Len()))
	list.Insert(at, step)
	c.stepAdded(Step{V: step}, len(parent) == 0)
	switch typ {
	case "liveness":
		c.SetFlag("skip_face", NewBool(true))
	case "identity-document":
		c.SetFlag("skip_document", NewBool(true))
	}
	return append(slices.Clone(parent), at), nil
}

// listFor returns the step list parent names, creating it when needed.
func (c *Config) listFor(parent StepPath, typ string) (*Value, error) {
	if len(parent) == 0 {
		if list := c.StepsValue(); list != nil {
			return list, nil
		}
		if c.root.Has("steps") {
			return nil, fmt.Errorf("\"steps\" is not an array; fix it in the file first")
		}
		list := NewArray()
		c.Set("steps", list)
		return list, nil
	}
	call, ok := c.StepAt(parent[:1])
	if !ok || call.Type() != "video-call" {
		return nil, fmt.Errorf("step %v is not a video call", parent)
	}
	if typ != "" && !AllowedInVideoCall(typ) {
		return nil, fmt.Errorf("a %q step cannot run inside a video call", typ)
	}
	if list := call.StepsValue(); list != nil {
		return list, nil
	}
	list := NewArray()
	call.Set("steps", list)
	return list, nil
}

// RemoveStep removes the step at p and returns it.
func (c *Config) RemoveStep(p StepPath) (*Value, error) {
	c.stepKeys() // checked before the list changes
	list, i := c.stepList(p)
	if old := list.RemoveAt(i); old != nil {
		c.stepRemoved(Step{V: old}, len(p) == 1)
		return old, nil
	}
	return nil, fmt.Errorf("no step at %s", p.Pointer())
}

// MoveStep moves the step at p by delta places within its list and returns
// its new path; ok is false when it cannot move that way.
func (c *Config) MoveStep(p StepPath, delta int) (StepPath, bool) {
	list, i := c.stepList(p)
	if !list.Move(i, i+delta) {
		return p, false
	}
	q := slices.Clone(p)
	q[len(q)-1] = i + delta
	return q, true
}

// DuplicateStep puts a copy of the step at p right after it, with fresh
// unique keys for it and any nested steps, and returns the copy's path.
func (c *Config) DuplicateStep(p StepPath) (StepPath, error) {
	list, i := c.stepList(p)
	orig := list.Item(i)
	if orig == nil {
		return nil, fmt.Errorf("no step at %s", p.Pointer())
	}
	dup := orig.Clone()
	c.stepKeys() // checked before the list changes
	rekey := func(s Step) {
		k := c.freshStepKey(s.EffectiveKey())
		s.Set("key", NewString(k))
		c.keys.keys.add(k)
	}
	d := Step{V: dup}
	rekey(d)
	for _, n := range d.nestedSteps() {
		rekey(n)
	}
	list.Insert(i+1, dup)
	if len(p) == 1 {
		c.keys.n++
	}
	q := slices.Clone(p)
	q[len(q)-1] = i + 1
	return q, nil
}

// SetStepKey renames a step; a key already in use is refused.
func (c *Config) SetStepKey(p StepPath, key string) error {
	s, ok := c.StepAt(p)
	if !ok {
		return fmt.Errorf("no step at %s", p.Pointer())
	}
	old := s.EffectiveKey()
	if key == old {
		s.Set("key", NewString(key))
		return nil
	}
	if c.StepKeys()[key] { // a walk: a rename is one edit, and must not trust a stale index
		return fmt.Errorf("step key %q is already used", key)
	}
	if strings.TrimSpace(key) == "" {
		return fmt.Errorf("a step key cannot be empty")
	}
	ks := c.stepKeys()
	s.Set("key", NewString(key))
	ks.remove(old)
	ks.add(key)
	return nil
}

// Questionnaire edits. Question keys are unique within the
// questionnaire, option keys within their question.

func (s Step) questionKeys() map[string]bool {
	keys := map[string]bool{}
	for _, q := range s.QuestionsValue().Items() {
		keys[Question{V: q}.Key()] = true
	}
	return keys
}

// optionKeys returns the option keys of question q.
func (q Question) optionKeys() map[string]bool {
	keys := map[string]bool{}
	for _, k := range q.OptionKeys() {
		keys[k] = true
	}
	return keys
}

func (s Step) questionsList() *Value {
	if qs := s.QuestionsValue(); qs != nil {
		return qs
	}
	qs := NewArray()
	s.Set("questions", qs)
	return qs
}

// AddQuestion inserts a new question of type typ at index at, with a unique
// key, a title with no text yet ({}) and (for choice types) one option
// without text, and returns its index. lang is the language the wizard
// writes in.
func (s Step) AddQuestion(at int, typ, lang string) (int, error) {
	if !slices.Contains(questionTypes, typ) {
		return -1, fmt.Errorf("unknown question type %q%s", typ, didYouMean(typ, questionTypes))
	}
	q := Question{V: NewObject()}
	q.Set("type", NewString(typ))
	q.Set("key", NewString(uniqueName("question-1", s.questionKeys())))
	q.Set("title", NewObject()) // no text yet: missing-translation says so until it is written
	q.Set("mandatory", NewBool(false))
	list := s.questionsList()
	at = max(0, min(at, list.Len()))
	list.Insert(at, q.V)
	if IsChoiceQuestion(typ) {
		if _, err := s.AddOption(at, 0, "", lang); err != nil {
			return -1, err
		}
	}
	return at, nil
}

// RemoveQuestion removes the i-th question.
func (s Step) RemoveQuestion(i int) (*Value, error) {
	if old := s.QuestionsValue().RemoveAt(i); old != nil {
		return old, nil
	}
	return nil, fmt.Errorf("no question %d", i)
}

// MoveQuestion moves the i-th question by delta places.
func (s Step) MoveQuestion(i, delta int) (int, bool) {
	if s.QuestionsValue().Move(i, i+delta) {
		return i + delta, true
	}
	return i, false
}

// DuplicateQuestion copies the i-th question, with a fresh question key,
// right after it. Its options keep their keys: option keys are only
// unique within their question.
func (s Step) DuplicateQuestion(i int) (int, error) {
	list := s.QuestionsValue()
	orig := list.Item(i)
	if orig == nil {
		return -1, fmt.Errorf("no question %d", i)
	}
	dup := Question{V: orig.Clone()}
	dup.Set("key", NewString(uniqueName(dup.Key(), s.questionKeys())))
	list.Insert(i+1, dup.V)
	return i + 1, nil
}

// AddOption inserts an option titled title (in lang) at index at of
// question q; its key is suggested from the title (option-N for none) and
// made unique in the question. An empty title gives an option with no
// text yet, {}, rather than a placeholder filed under a language.
func (s Step) AddOption(q, at int, title, lang string) (int, error) {
	qv := s.QuestionsValue().Item(q)
	if qv == nil {
		return -1, fmt.Errorf("no question %d", q)
	}
	opts := qv.Get("options")
	if !opts.Is(Array) {
		opts = NewArray()
		qv.Set("options", opts, questionOrder)
	}
	o := NewObject()
	o.Set("key", NewString(SuggestKey(title, "option", Question{V: qv}.optionKeys())), optionOrder)
	if title == "" {
		o.Set("title", NewObject(), optionOrder)
	} else {
		o.Set("title", NewText(lang, title), optionOrder)
	}
	at = max(0, min(at, opts.Len()))
	opts.Insert(at, o)
	return at, nil
}

// RemoveOption removes option o of question q.
func (s Step) RemoveOption(q, o int) (*Value, error) {
	qv := Question{V: s.QuestionsValue().Item(q)}
	if old := qv.OptionsValue().RemoveAt(o); old != nil {
		return old, nil
	}
	return nil, fmt.Errorf("no option %d of question %d", o, q)
}

// MoveOption moves option o of question q by delta places.
func (s Step) MoveOption(q, o, delta int) (int, bool) {
	qv := Question{V: s.QuestionsValue().Item(q)}
	if qv.OptionsValue().Move(o, o+delta) {
		return o + delta, true
	}
	return o, false
}

// DuplicateOption copies option o of question q right after it.
func (s Step) DuplicateOption(q, o int) (int, error) {
	qv := Question{V: s.QuestionsValue().Item(q)}
	orig := qv.OptionsValue().Item(o)
	if orig == nil {
		return -1, fmt.Errorf("no option %d of question %d", o, q)
	}
	dup := Option{V: orig.Clone()}
	dup.V.Set("key", NewString(uniqueName(dup.Key(), qv.optionKeys())), optionOrder)
	qv.OptionsValue().Insert(o+1, dup.V)
	return o + 1, nil
}

// RenameQuestion changes a question's key and every condition naming it.
func (s Step) RenameQuestion(i int, key string) error {
	q := Question{V: s.QuestionsValue().Item(i)}
	if q.V == nil {
		return fmt.Errorf("no question %d", i)
	}
	old := q.Key()
	if key == old {
		return nil
	}
	if key == "" || s.questionKeys()[key] {
		return fmt.Errorf("question key %q is empty or already used in this questionnaire", key)
	}
	q.Set("key", NewString(key))
	for _, other := range s.Questions() {
		if c := other.V.Get("showConditions"); c.Is(Object) {
			if k, _ := c.Get("questionKey").Str(); k == old {
				c.Set("questionKey", NewString(key), conditionOrder)
			}
		}
	}
	return nil
}

// RenameOption changes an option's key and every preset answer and
// condition naming it.
func (s Step) RenameOption(q, o int, key string) error {
	qv := Question{V: s.QuestionsValue().Item(q)}
	opt := Option{V: qv.OptionsValue().Item(o)}
	if opt.V == nil {
		return fmt.Errorf("no option %d of question %d", o, q)
	}
	old := opt.Key()
	if key == old {
		return nil
	}
	if key == "" || qv.optionKeys()[key] {
		return fmt.Errorf("option key %q is empty or already used in this question", key)
	}
	opt.V.Set("key", NewString(key), optionOrder)
	renameIn := func(v *Value) *Value { return replaceStrings(v, map[string]string{old: key}) }
	if a := qv.V.Get("answer"); a != nil {
		qv.V.Set("answer", renameIn(a), questionOrder)
	}
	qKey := qv.Key()
	for _, other := range s.Questions() {
		if c := other.V.Get("showConditions"); c.Is(Object) {
			if k, _ := c.Get("questionKey").Str(); k == qKey {
				if a := c.Get("answer"); a != nil {
					c.Set("answer", renameIn(a), conditionOrder)
				}
			}
		}
	}
	return nil
}

// replaceStrings renames a string, or the strings of an array, by m.
func replaceStrings(v *Value, m map[string]string) *Value {
	if s, ok := v.Str(); ok {
		if n, ok := m[s]; ok {
			return NewString(n)
		}
		return v
	}
	for i, it := range v.Items() {
		if s, ok := it.Str(); ok {
			if n, ok := m[s]; ok {
				v.SetItem(i, NewString(n))
			}
		}
	}
	return v
}

// KeyFromTitle suggests a key from a title: its ASCII Slug, or "option"
// when the title gives none.
func KeyFromTitle(title string) string {
	if k := Slug(title); k != "" {
		return k
	}
	return "option"
}

// KYB edits. role "" addresses a company step's own fields.
