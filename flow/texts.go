package flow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The texts of a flow a person reads, language by language: what the
// translation table shows and what translators get. A text is found where
// the validator judges one (section 3–5 of the spec): step titles, the
// descriptions of KYB and questionnaire steps, successButtonTitle of a user
// questionnaire, question titles and descriptions, a string question's
// localized preset answer, option titles, and the same inside video calls.
//
// A plain string counts as the text in the flow's language
// (Config.Language), the language the vendor shows it in; LocalizedText
// marks it Plain, since other languages cannot be added without turning it
// into a {language: text} object (SetText does that). An empty string, in
// a plain text or for one language, is no text: it counts as missing.

// Text members.
const (
	FieldTitle         = "title"
	FieldDescription   = "description"
	FieldSuccessButton = "successButtonTitle"
	FieldAnswer        = "answer"
)

// LocalizedText is one text of a flow, where it stands and what it says in
// each language.
type LocalizedText struct {
	// ID is the text's JSON Pointer into the config, e.g.
	// /steps/1/questions/0/options/2/title: stable while the flow's
	// structure is, and what SetText and TextAt take.
	ID    string
	Field string // FieldTitle, FieldDescription, FieldSuccessButton or FieldAnswer

	Step     StepPath // the step holding the text (a nested one inside a video call)
	StepType string
	StepKey  string // the step's effective key
	CallKey  string // for a step inside a video call, the call's key

	Question     int // index in the questionnaire; -1 for a step's own text
	QuestionType string
	QuestionKey  string
	Option       int // index in the question's options; -1 unless an option's title
	OptionKey    string

	// Operator marks the texts of an operator questionnaire: operators read
	// them in their own interface language, so they are not counted as
	// missing (spec §12), though they can be translated like any other.
	Operator bool
	// Plain marks a plain string: Values holds it under the flow language.
	Plain bool
	// Values are the languages given a string, in the file's order (the
	// last of a repeated language, as JSON readers take it). Members that
	// are not language codes or not strings are left out.
	Values []LangText
}

// LangText is a text in one language.
type LangText struct {
	Lang string
	Text string
}

// Get returns the text in lang and whether there is one (an empty string
// is none).
func (t LocalizedText) Get(lang string) (string, bool) {
	for _, v := range t.Values {
		if v.Lang == lang {
			return v.Text, v.Text != ""
		}
	}
	return "", false
}

// Has reports whether the text says something in lang.
func (t LocalizedText) Has(lang string) bool {
	_, ok := t.Get(lang)
	return ok
}

// Shows reports whether the text says something in lang: it has it, and
// not only white space (which shows nothing, and counts as missing
// wherever translations are counted).
func (t LocalizedText) Shows(lang string) bool {
	s, ok := t.Get(lang)
	return ok && strings.TrimSpace(s) != ""
}

// Missing returns the languages of langs the text says nothing in.
func (t LocalizedText) Missing(langs []string) []string {
	var out []string
	for _, l := range langs {
		if !t.Shows(l) {
			out = append(out, l)
		}
	}
	return out
}

// Where describes the text's place for people, e.g.
// step "onboarding" (user-questionnaire) › question "purpose" (options) ›
// option "savings" › title. Keys are quoted with Go escapes, so the result
// holds no control characters.
func (t LocalizedText) Where() string {
	var b strings.Builder
	if t.CallKey != "" {
		fmt.Fprintf(&b, "video call %q › ", t.CallKey)
	}
	fmt.Fprintf(&b, "step %q (%s)", t.StepKey, t.StepType)
	if t.Question >= 0 {
		q := strconv.Quote(t.QuestionType) // from the file: escaped, shown bare
		fmt.Fprintf(&b, " › question %q (%s)", t.QuestionKey, q[1:len(q)-1])
	}
	if t.Option >= 0 {
		fmt.Fprintf(&b, " › option %q", t.OptionKey)
	}
	b.WriteString(" › ")
	b.WriteString(t.Field)
	return b.String()
}

// Texts returns every localized text of the flow in document order: a
// step's members in the order the file gives them, questions, options and
// a video call's steps where they stand. Its work is linear in the size of
// the config.
func (c *Config) Texts() []LocalizedText {
	w := textWalker{lang: c.Language()}
	n := countTextMembers(c.StepsValue())
	w.out = make([]LocalizedText, 0, n)
	w.idEnds = make([]int, 0, n)
	for i, v := range c.StepsValue().Items() {
		w.path = strconv.AppendInt(append(w.path[:0], "/steps/"...), int64(i), 10)
		w.step(StepPath{i}, v, "")
	}
	// Every ID is a slice of one string: one allocation instead of one a text.
	ids, start := string(w.ids), 0
	for i, end := range w.idEnds {
		w.out[i].ID = ids[start:end]
		start = end
	}
	return w.out
}

// countTextMembers bounds the number of texts under v from above, cheaply,
// so that Texts allocates its result once: a flow's texts are many and each
// is a large struct.
func countTextMembers(v *Value) int {
	n := 0
	switch v.Kind() {
	case Object:
		for _, m := range v.Members() {
			switch m.Name {
			case FieldTitle, FieldDescription, FieldSuccessButton, FieldAnswer:
				n++
			case "steps", "questions", "options":
				n += countTextMembers(m.Value)
			}
		}
	case Array:
		for _, it := range v.Items() {
			n += countTextMembers(it)
		}
	}
	return n
}

type textWalker struct {
	lang   string
	out    []LocalizedText
	path   []byte     // the pointer of the object being walked
	ids    []byte     // the texts' IDs, one after another
	idEnds []int      // where each text's ID ends in ids
	values []LangText // a slab the texts' Values are cut from
}

func (w *textWalker) step(p StepPath, v *Value, callKey string) {
	ctx, spec, ok := stepContext(p, v, callKey)
	if !ok {
		return
	}
	base := len(w.path)
	ms := v.Members()
	var buf [len(stepWalkNames)]int
	for _, i := range lastIndexes(ms, stepWalkNames[:], buf[:0]) {
		m := ms[i]
		switch {
		case stepTextField(spec, m.Name):
			w.add(ctx, m.Name, m.Value)
		case m.Name == "questions" && IsQuestionnaire(spec.Type):
			for qi, q := range m.Value.Items() {
				w.path = strconv.AppendInt(append(w.path[:base], "/questions/"...), int64(qi), 10)
				w.question(ctx, qi, q)
			}
		case m.Name == "steps" && spec.Type == "video-call" && !p.Nested():
			for j, n := range m.Value.Items() {
				w.path = strconv.AppendInt(append(w.path[:base], "/steps/"...), int64(j), 10)
				w.step(StepPath{p[0], j}, n, ctx.StepKey)
			}
		}
		w.path = w.path[:base]
	}
}

func (w *textWalker) question(stepCtx LocalizedText, qi int, v *Value) {
	ctx, ok := questionContext(stepCtx, qi, v)
	if !ok {
		return
	}
	base := len(w.path)
	ms := v.Members()
	var buf [len(questionWalkNames)]int
	for _, i := range lastIndexes(ms, questionWalkNames[:], buf[:0]) {
		m := ms[i]
		switch {
		case questionTextField(ctx.QuestionType, m.Name, m.Value):
			w.add(ctx, m.Name, m.Value)
		case m.Name == "options":
			for oi, o := range m.Value.Items() {
				if octx, ok := optionContext(ctx, oi, o); ok {
					if t := o.Get(FieldTitle); t != nil {
						w.path = strconv.AppendInt(append(w.path[:base], "/options/"...), int64(oi), 10)
						w.add(octx, FieldTitle, t)
					}
				}
			}
		}
		w.path = w.path[:base]
	}
}

// add lists the text in member field of the object at w.path.
func (w *textWalker) add(ctx LocalizedText, field string, v *Value) {
	t, ok := makeText(ctx, "", field, v, w.lang, &w.values)
	if !ok {
		return
	}
	w.ids = append(append(append(w.ids, w.path...), '/'), escapeToken(field)...)
	w.idEnds = append(w.idEnds, len(w.ids))
	w.out = append(w.out, t)
}

// The members the walk looks at in a step and in a question.
var (
	stepWalkNames     = [...]string{FieldTitle, FieldDescription, FieldSuccessButton, "questions", "steps"}
	questionWalkNames = [...]string{FieldTitle, FieldDescription, FieldAnswer, "options"}
)

// lastIndexes appends to out the indexes in ms of the last member of each
// of names (the one JSON readers keep), in document order. One pass,
// whatever the number of repeats.
func lastIndexes(ms []Member, names []string, out []int) []int {
	var seen uint64
	for i := len(ms) - 1; i >= 0 && len(out) < len(names); i-- {
		k := slices.Index(names, ms[i].Name)
		if k < 0 || seen&(1<<k) != 0 {
			continue
		}
		seen |= 1 << k
		out = append(out, i)
	}
	slices.Reverse(out)
	return out
}

func stepContext(p StepPath, v *Value, callKey string) (LocalizedText, StepSpec, bool) {
	if !v.Is(Object) {
		return LocalizedText{}, StepSpec{}, false
	}
	s := Step{V: v}
	spec, ok := LookupStep(s.Type())
	if !ok {
		return LocalizedText{}, StepSpec{}, false
	}
	return LocalizedText{
		Step: slices.Clone(p), StepType: spec.Type, StepKey: s.EffectiveKey(), CallKey: callKey,
		Question: -1, Option: -1, Operator: spec.Type == "operator-questionnaire",
	}, spec, true
}

func questionContext(ctx LocalizedText, qi int, v *Value) (LocalizedText, bool) {
	if !v.Is(Object) {
		return LocalizedText{}, false
	}
	q := Question{V: v}
	ctx.Question, ctx.QuestionType, ctx.QuestionKey = qi, q.Type(), q.Key()
	return ctx, true
}

func optionContext(ctx LocalizedText, oi int, v *Value) (LocalizedText, bool) {
	if !v.Is(Object) {
		return LocalizedText{}, false
	}
	ctx.Option, ctx.OptionKey = oi, Option{V: v}.Key()
	return ctx, true
}

// stepTextField reports whether a step member is a text the person reads.
func stepTextField(spec StepSpec, name string) bool {
	switch name {
	case FieldTitle:
		return true
	case FieldDescription:
		return slices.ContainsFunc(spec.Props, func(f FieldSpec) bool { return f.Name == FieldDescription })
	case FieldSuccessButton:
		return spec.Type == "user-questionnaire"
	}
	return false
}

// questionTextField reports whether a question member is a text: its title
// and description, and a string question's preset answer when it is given
// per language (a plain preset answer is the answer, not a text).
func questionTextField(typ, name string, v *Value) bool {
	switch name {
	case FieldTitle, FieldDescription:
		return true
	case FieldAnswer:
		return typ == "string" && v.Is(Object)
	}
	return false
}

func makeText(ctx LocalizedText, id, field string, v *Value, flowLang string, slab *[]LangText) (LocalizedText, bool) {
	ctx.ID, ctx.Field = id, field
	if slab == nil { // one text: its own, exact slice
		own := make([]LangText, 0, max(1, min(v.Len(), len(languages))))
		slab = &own
	}
	switch v.Kind() {
	case String:
		s, _ := v.Str()
		ctx.Plain = true
		ctx.Values = cut(slab, 1)
		ctx.Values = append(ctx.Values, LangText{Lang: flowLang, Text: s})
	case Object:
		ms := v.Members()
		var buf [32]int // room for the 22 languages
		last := lastIndexes(ms, languages, buf[:0])
		ctx.Values = cut(slab, len(last))
		for _, i := range last {
			if s, ok := ms[i].Value.Str(); ok {
				ctx.Values = append(ctx.Values, LangText{Lang: ms[i].Name, Text: s})
			}
		}
		*slab = (*slab)[:len(*slab)+len(ctx.Values)]
		return ctx, true
	default:
		return LocalizedText{}, false // the validator reports the wrong type
	}
	*slab = (*slab)[:len(*slab)+1]
	return ctx, true
}

// cut returns an empty slice with room for n items from the slab, capped
// at n so that appending to it later cannot reach into its neighbours'
// items. The caller extends *slab by what it used.
func cut(slab *[]LangText, n int) []LangText {
	if cap(*slab)-len(*slab) < n {
		*slab = make([]LangText, 0, max(1024, n))
	}
	l := len(*slab)
	return (*slab)[l : l : l+n]
}
