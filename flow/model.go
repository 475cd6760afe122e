package flow

import (
	"errors"
	"fmt"
)

// Config is one flow: the begin/ request body minus credentials. It wraps
// the document as loaded, so whatever the model does not know is written
// back unchanged; typed views (Step, Question, Text, ...) read and edit it.
type Config struct {
	root *Value
	keys *stepKeyIndex // the step keys, for the edit operations; nil until needed
}

// ErrNotObject is returned by FromValue for a document that is not an object.
var ErrNotObject = errors.New("a config must be a JSON object")

// New returns an empty flow: no steps yet, default flags.
func New() *Config {
	root := NewObject()
	root.Set("flags", NewObject(), topOrder)
	root.Set("steps", NewArray(), topOrder)
	return &Config{root: root}
}

// Parse reads a config. A document that is not JSON, or not an object, is a
// *SyntaxError with line and column; one over MaxFileSize a *TooLargeError.
func Parse(data []byte) (*Config, error) {
	v, err := ParseValue(data)
	if err != nil {
		return nil, err
	}
	if !v.Is(Object) {
		p := parser{data: data}
		p.skipSpace()
		return nil, p.errorf("a config must be a JSON object, not %s", describeKind(v))
	}
	return &Config{root: v}, nil
}

func article(k Kind) string {
	if k == Array || k == Object {
		return "an"
	}
	return "a"
}

// FromValue wraps an object value as a config.
func FromValue(v *Value) (*Config, error) {
	if !v.Is(Object) {
		return nil, fmt.Errorf("%w, not %s %s", ErrNotObject, article(v.Kind()), v.Kind())
	}
	return &Config{root: v}, nil
}

// Root returns the config's document.
func (c *Config) Root() *Value { return c.root }

// Bytes returns the config as saved: indented, with a trailing newline.
func (c *Config) Bytes() []byte { return Marshal(c.root) }

// RequestBody returns the config as compact JSON for begin/: a name given
// twice in an object is sent once, with its last value, which is the value
// every JSON reader (and the validator) takes.
func (c *Config) RequestBody() []byte { return MarshalCompact(c.SentRoot()) }

// SentRoot is the document as it is sent: where a name repeats in an
// object, only its last member counts, as JSON decoders read it. It is the
// document itself when nothing repeats, else a copy: do not change it.
func (c *Config) SentRoot() *Value { return withoutRepeats(c.root) }

// Clone returns a deep copy, for undo history and for sending.
func (c *Config) Clone() *Config { return &Config{root: c.root.Clone()} }

// Get returns a top-level member, or nil.
func (c *Config) Get(name string) *Value { return c.root.Get(name) }

// String returns a top-level string field, or "".
func (c *Config) String(name string) string {
	s, _ := c.root.Get(name).Str()
	return s
}

// Set sets a top-level field; a nil val removes it. New fields go in the
// canonical order.
func (c *Config) Set(name string, val *Value) {
	if val == nil {
		c.root.Delete(name)
		return
	}
	c.root.Set(name, val, topOrder)
}

// SetString sets a top-level string field; "" removes it.
func (c *Config) SetString(name, s string) {
	if s == "" {
		c.Set(name, nil)
		return
	}
	c.Set(name, NewString(s))
}

// Flags returns the global flags object, or nil when absent or not an object.
func (c *Config) Flags() *Value {
	if f := c.root.Get("flags"); f.Is(Object) {
		return f
	}
	return nil
}

// Flag returns a global flag's value, or nil.
func (c *Config) Flag(name string) *Value { return c.Flags().Get(name) }

// BoolFlag returns a global boolean flag, false when absent or not boolean.
func (c *Config) BoolFlag(name string) bool {
	b, _ := c.Flag(name).Bool()
	return b
}

// SetFlag sets a global flag (creating flags when needed); nil removes it.
func (c *Config) SetFlag(name string, val *Value) {
	flags := c.Flags()
	if flags == nil {
		if val == nil {
			return
		}
		flags = NewObject()
		c.root.Set("flags", flags, topOrder)
	}
	if val == nil {
		flags.Delete(name)
		return
	}
	flags.Set(name, val, flagOrder(globalFlags))
}

func flagOrder(specs []FieldSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

// Language returns the flow's interface language ("en" when unset).
func (c *Config) Language() string {
	if s, ok := c.Flag("language").Str(); ok && s != "" {
		return s
	}
	return "en"
}

// ShownLanguages returns the languages a person may see the flow in: the
// global language and the language steps' explicit lists, valid codes only,
// in the order of Languages().
func (c *Config) ShownLanguages() []string {
	set := map[string]bool{c.Language(): true}
	c.WalkSteps(func(_ StepPath, s Step) {
		if s.Type() == "language" {
			for _, l := range s.StringsFlag("languages") {
				set[l] = true
			}
		}
	})
	var out []string
	for _, l := range languages {
		if set[l] {
			out = append(out, l)
		}
	}
	return out
}

// StepsValue returns the steps array, or nil when absent or not an array.
func (c *Config) StepsValue() *Value {
	if s := c.root.Get("steps"); s.Is(Array) {
		return s
	}
	return nil
}

// Steps returns views of the top-level steps.
func (c *Config) Steps() []Step { return stepViews(c.StepsValue()) }

func stepViews(arr *Value) []Step {
	items := arr.Items()
	out := make([]Step, len(items))
	for i, it := range items {
		out[i] = Step{V: it}
	}
	return out
}

// StepPath addresses a step: {i} is the i-th top-level step, {i, j} the
// j-th step inside the video call at i.
type StepPath []int

// Nested reports whether p addresses a step inside a video call.
func (p StepPath) Nested() bool { return len(p) == 2 }

// Pointer returns p as a JSON Pointer into the config.
func (p StepPath) Pointer() string {
	if len(p) == 2 {
		return Pointer("steps", p[0], "steps", p[1])
	}
	if len(p) == 1 {
		return Pointer("steps", p[0])
	}
	return ""
}

// WalkSteps calls fn for every step in order, each video call followed by
// its nested steps.
func (c *Config) WalkSteps(fn func(StepPath, Step)) {
	for i, it := range c.StepsValue().Items() {
		s := Step{V: it}
		fn(StepPath{i}, s)
		if s.Type() == "video-call" {
			for j, n := range s.StepsValue().Items() {
				fn(StepPath{i, j}, Step{V: n})
			}
		}
	}
}

// StepAt returns the step at p.
func (c *Config) StepAt(p StepPath) (Step, bool) {
	list, i := c.stepList(p)
	if it := list.Item(i); it != nil {
		return Step{V: it}, true
	}
	return Step{}, false
}

// stepList returns the array holding p's step and its index there.
func (c *Config) stepList(p StepPath) (*Value, int) {
	switch len(p) {
	case 1:
		return c.StepsValue(), p[0]
	case 2:
		call, ok := c.StepAt(p[:1])
		if !ok {
			return nil, -1
		}
		return call.StepsValue(), p[1]
	}
	return nil, -1
}

// Step is a view of one step object.
type Step struct{ V *Value }

// Type returns the step's type, or "".
func (s Step) Type() string { v, _ := s.V.Get("type").Str(); return v }

// Key returns the step's own key, or "".
func (s Step) Key() string { v, _ := s.V.Get("key").Str(); return v }

// EffectiveKey returns the key the vendor will use: the step's own, or its
// type's default.
func (s Step) EffectiveKey() string {
	if k := s.Key(); k != "" {
		return k
	}
	if spec, ok := LookupStep(s.Type()); ok && spec.DefaultKey != "" {
		return spec.DefaultKey
	}
	return s.Type()
}

// Title returns the step's title text.
func (s Step) Title() Text { return Text{V: s.V.Get("title")} }

// Description returns the step's description text.
func (s Step) Description() Text { return Text{V: s.V.Get("description")} }

// Set sets a top-level member of the step; nil removes it.
func (s Step) Set(name string, val *Value) {
	if val == nil {
		s.V.Delete(name)
		return
	}
	s.V.Set(name, val, stepOrder)
}

// Flags returns the step's flags object, or nil.
func (s Step) Flags() *Value {
	if f := s.V.Get("flags"); f.Is(Object) {
		return f
	}
	return nil
}

// Flag returns a step flag's value, or nil.
func (s Step) Flag(name string) *Value { return s.Flags().Get(name) }

// BoolFlag returns a boolean step flag, falling back to its default.
func (s Step) BoolFlag(name string) bool {
	if b, ok := s.Flag(name).Bool(); ok {
		return b
	}
	if spec, ok := LookupStep(s.Type()); ok {
		for _, f := range spec.Flags {
			if f.Name == name {
				return f.Default == "true"
			}
		}
	}
	return false
}

// StringsFlag returns the strings of a list flag (non-strings skipped).
func (s Step) StringsFlag(name string) []string { return Strings(s.Flag(name)) }

// SetFlag sets a step flag (creating flags when needed); nil removes it.
func (s Step) SetFlag(name string, val *Value) {
	flags := s.Flags()
	if flags == nil {
		if val == nil {
			return
		}
		flags = NewObject()
		s.Set("flags", flags)
	}
	if val == nil {
		flags.Delete(name)
		return
	}
	var order []string
	if spec, ok := LookupStep(s.Type()); ok {
		order = flagOrder(spec.Flags)
	}
	flags.Set(name, val, order)
}

// StepsValue returns a video call's nested steps array, or nil.
func (s Step) StepsValue() *Value {
	if v := s.V.Get("steps"); v.Is(Array) {
		return v
	}
	return nil
}

// Steps returns views of a video call's nested steps.
func (s Step) Steps() []Step { return stepViews(s.StepsValue()) }

// QuestionsValue returns a questionnaire's questions array, or nil.
func (s Step) QuestionsValue() *Value {
	if v := s.V.Get("questions"); v.Is(Array) {
		return v
	}
	return nil
}

// Questions returns views of a questionnaire's questions.
func (s Step) Questions() []Question {
	items := s.QuestionsValue().Items()
	out := make([]Question, len(items))
	for i, it := range items {
		out[i] = Question{V: it}
	}
	return out
}

// QuestionIndex returns the index of the question with key, or -1.
func (s Step) QuestionIndex(key string) int {
	for i, q := range s.Questions() {
		if q.Key() == key {
			return i
		}
	}
	return -1
}
