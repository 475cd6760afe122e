package flow

// Views of a questionnaire's questions and options, and of localized texts.

// Question is a view of one questionnaire question.
type Question struct{ V *Value }

// Type returns the question type, or "".
func (q Question) Type() string { v, _ := q.V.Get("type").Str(); return v }

// Key returns the question key, or "".
func (q Question) Key() string { v, _ := q.V.Get("key").Str(); return v }

// Title returns the question's title text.
func (q Question) Title() Text { return Text{V: q.V.Get("title")} }

// Bool returns a boolean property, false when absent.
func (q Question) Bool(name string) bool { b, _ := q.V.Get(name).Bool(); return b }

// Set sets a property of the question; nil removes it.
func (q Question) Set(name string, val *Value) {
	if val == nil {
		q.V.Delete(name)
		return
	}
	q.V.Set(name, val, questionOrder)
}

// OptionsValue returns the options array, or nil.
func (q Question) OptionsValue() *Value {
	if v := q.V.Get("options"); v.Is(Array) {
		return v
	}
	return nil
}

// Options returns views of the question's options.
func (q Question) Options() []Option {
	items := q.OptionsValue().Items()
	out := make([]Option, len(items))
	for i, it := range items {
		out[i] = Option{V: it}
	}
	return out
}

// OptionKeys returns the keys of the question's options.
func (q Question) OptionKeys() []string {
	var out []string
	for _, o := range q.Options() {
		if k := o.Key(); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// Condition returns the showConditions' question key and answer.
func (q Question) Condition() (questionKey, answer string, ok bool) {
	c := q.V.Get("showConditions")
	if !c.Is(Object) {
		return "", "", false
	}
	questionKey, _ = c.Get("questionKey").Str()
	answer, _ = c.Get("answer").Str()
	return questionKey, answer, true
}

// SetCondition sets showConditions; an empty questionKey removes it.
func (q Question) SetCondition(questionKey, answer string) {
	if questionKey == "" {
		q.Set("showConditions", nil)
		return
	}
	c := NewObject()
	c.Set("questionKey", NewString(questionKey), conditionOrder)
	c.Set("answer", NewString(answer), conditionOrder)
	q.Set("showConditions", c)
}

// Option is a view of one question option.
type Option struct{ V *Value }

// Key returns the option key, or "".
func (o Option) Key() string { v, _ := o.V.Get("key").Str(); return v }

// Title returns the option's title text.
func (o Option) Title() Text { return Text{V: o.V.Get("title")} }

// Text is a view of a localized text: a plain string or an object from
// language code to string.
type Text struct{ V *Value }

// NewText returns a localized text with one language.
func NewText(lang, s string) *Value {
	o := NewObject()
	o.Set(lang, NewString(s), languages)
	return o
}

// IsLocalized reports whether the text is a {language: string} object.
func (t Text) IsLocalized() bool { return t.V.Is(Object) }

// IsZero reports whether there is no text at all.
func (t Text) IsZero() bool { return t.V == nil || t.V.Is(Null) }

// In returns the text for lang, falling back to English, then to the first
// language given, then to a plain string.
func (t Text) In(lang string) string {
	if s, ok := t.V.Str(); ok {
		return s
	}
	if s, ok := t.V.Get(lang).Str(); ok {
		return s
	}
	if s, ok := t.V.Get("en").Str(); ok {
		return s
	}
	for _, m := range t.V.Members() {
		if s, ok := m.Value.Str(); ok {
			return s
		}
	}
	return ""
}

// Langs returns the languages of a localized text, in the file's order.
func (t Text) Langs() []string {
	var out []string
	for _, m := range t.V.Members() {
		out = append(out, m.Name)
	}
	return out
}

// SetLang returns the text with lang set to s (a plain string becomes an
// object keeping it under "en"); "" removes the language.
func (t Text) SetLang(lang, s string) *Value {
	v := t.V
	switch {
	case v.Is(String):
		old, _ := v.Str()
		v = NewObject()
		if old != "" {
			v.Set("en", NewString(old), languages)
		}
	case !v.Is(Object):
		v = NewObject()
	}
	if s == "" {
		v.Delete(lang)
	} else {
		v.Set(lang, NewString(s), languages)
	}
	return v
}

// Strings returns the string items of an array value.
func Strings(v *Value) []string {
	var out []string
	for _, it := range v.Items() {
		if s, ok := it.Str(); ok {
			out = append(out, s)
		}
	}
	return out
}
