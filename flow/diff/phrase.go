package diff

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/identoflow/identoflow/flow"
)

// SpanKind tells a renderer how to show a span of a phrase.
type SpanKind uint8

// The kinds of span.
const (
	Plain SpanKind = iota // the tool's own words
	Name                  // a key from a config (step, question, option, role, field): untrusted, shown quoted
	Word                  // a member name, type or language code from a config: untrusted, shown as is
	JSON                  // a value from a config as compact JSON (maybe shortened): untrusted
)

// Span is a piece of a phrase.
type Span struct {
	Kind SpanKind
	Text string
}

// maxValue is how much of a value a phrase shows.
const maxValue = 60

// Phrase describes the change in one line, as spans that a renderer styles
// and escapes (text, Markdown, the wizard), e.g. `moved step "liveness"
// from 3 to 5` or `step "survey" › question "age" › mandatory: false → true`.
func (c Change) Phrase() []Span {
	var p phrase
	if c.Subject.isThing() {
		p.thing(c)
	} else {
		p.member(c)
	}
	return p
}

// String is the phrase with names quoted, for logs and tests.
func (c Change) String() string {
	var b strings.Builder
	for _, s := range c.Phrase() {
		switch s.Kind {
		case Name:
			b.WriteString(strconv.Quote(s.Text))
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func (s Subject) isThing() bool {
	switch s {
	case SubjectStep, SubjectQuestion, SubjectOption, SubjectRole, SubjectKYBField:
		return true
	}
	return false
}

// noun is how a phrase calls a thing.
func noun(s Subject) string {
	if s == SubjectKYBField {
		return "field"
	}
	return string(s)
}

type phrase []Span

func (p *phrase) plain(s string) { *p = append(*p, Span{Plain, s}) }
func (p *phrase) name(s string)  { *p = append(*p, Span{Name, s}) }
func (p *phrase) word(s string)  { *p = append(*p, Span{Word, s}) }
func (p *phrase) value(v *flow.Value) {
	*p = append(*p, Span{JSON, shorten(string(flow.MarshalCompact(v)))})
}

// shorten cuts a value's text to about maxValue characters.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxValue {
		return s
	}
	n := 0
	for i := range s {
		if n == maxValue-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// path writes the locators as `step "a" › question "b" › `.
func (p *phrase) path(where []Locator) {
	for _, l := range where {
		p.plain(noun(l.Subject) + " ")
		p.name(l.Key)
		p.plain(" › ")
	}
}

func (p *phrase) list(words []string, kind SpanKind) {
	for i, w := range words {
		if i > 0 {
			p.plain(", ")
		}
		*p = append(*p, Span{kind, w})
	}
}

// listName names the list a step is in: the top level or a video call.
func (p *phrase) listName(where []Locator, pos int) {
	if len(where) <= 1 {
		p.plain("the top level")
	} else {
		p.plain("step ")
		p.name(where[len(where)-2].Key)
	}
	p.plain(" (" + strconv.Itoa(pos) + ")")
}

// thing phrases a change of a step, question, option, role or field.
func (p *phrase) thing(c Change) {
	last := c.Where[len(c.Where)-1]
	acrossLists := c.OldWhere != nil && !slices.Equal(c.OldWhere[:len(c.OldWhere)-1], c.Where[:len(c.Where)-1])
	if !acrossLists {
		p.path(c.Where[:len(c.Where)-1])
	}
	switch c.Kind {
	case Added, Removed:
		v, at := c.New, c.To
		if c.Kind == Removed {
			v, at = c.Old, c.From
		}
		p.plain(string(c.Kind) + " " + noun(c.Subject) + " ")
		p.name(last.Key)
		p.detail(c.Subject, v)
		if at > 0 {
			p.plain(" at " + strconv.Itoa(at))
		}
	case Renamed:
		p.plain("renamed " + noun(c.Subject) + " ")
		p.name(c.OldWhere[len(c.OldWhere)-1].Key)
		p.plain(" to ")
		p.name(last.Key)
		if c.From > 0 || acrossLists {
			p.plain(" and moved it ")
			p.move(c, acrossLists)
		}
	case Moved:
		p.plain("moved " + noun(c.Subject) + " ")
		p.name(last.Key)
		p.plain(" ")
		p.move(c, acrossLists)
	case Changed: // a role that is not an object on one side
		p.plain(noun(c.Subject) + " ")
		p.name(last.Key)
		p.plain(": ")
		p.value(c.Old)
		p.plain(" → ")
		p.value(c.New)
	}
}

func (p *phrase) move(c Change, acrossLists bool) {
	if !acrossLists {
		p.plain("from " + strconv.Itoa(c.From) + " to " + strconv.Itoa(c.To))
		return
	}
	p.plain("from ")
	p.listName(c.OldWhere, c.From)
	p.plain(" to ")
	p.listName(c.Where, c.To)
}

// detail adds what a step, question or field is: its type, "mandatory".
func (p *phrase) detail(s Subject, v *flow.Value) {
	switch s {
	case SubjectStep, SubjectQuestion:
		if t, ok := v.Get("type").Str(); ok {
			p.plain(" (")
			p.word(t)
			p.plain(")")
		}
	case SubjectKYBField:
		if b, _ := v.Get("mandatory").Bool(); b {
			p.plain(" (mandatory)")
		}
	}
}

// propertyNames are how phrases call some members.
var propertyNames = map[string]string{
	"answer":         "preset answer",
	"showConditions": "condition",
	"readOnly":       "read-only",
}

// member phrases a change of one member: a flag, property, text, session
// field or unknown value.
func (p *phrase) member(c Change) {
	p.path(c.Where)
	switch c.Subject {
	case SubjectFlag:
		p.plain("flag ")
	case SubjectSession:
		p.plain("session field ")
	case SubjectValue:
		p.plain("unknown field ")
	}
	if n, ok := propertyNames[c.Name]; ok && c.Subject == SubjectProperty {
		p.plain(n)
	} else {
		p.word(c.Name)
	}
	switch {
	case c.Text != nil:
		p.text(c)
	case c.Kind == Added:
		p.plain(" added: ")
		p.value(c.New)
	case c.Kind == Removed:
		p.plain(" removed (was ")
		p.value(c.Old)
		p.plain(")")
	case p.objectMembers(c.Old, c.New):
	default:
		p.plain(": ")
		if !p.stringSets(c.Old, c.New) {
			p.value(c.Old)
			p.plain(" → ")
			p.value(c.New)
		}
	}
}

// text phrases a text change language by language.
func (p *phrase) text(c Change) {
	t := c.Text
	sep := " "
	part := func(what string, langs []string) {
		if len(langs) == 0 {
			return
		}
		p.plain(sep + what + " ")
		p.list(langs, Word)
		sep = "; "
	}
	switch {
	case c.Kind == Added:
		p.plain(" added")
		part("in", t.Added)
	case !c.Old.Is(flow.Object): // from a plain string: both in full
		p.plain(": ")
		p.value(c.Old)
		p.plain(" → ")
		p.value(c.New)
		sep = "; "
	default:
		p.plain(":")
		if len(t.Changed) == 1 {
			l := t.Changed[0]
			p.plain(sep)
			p.word(l)
			p.plain(" ")
			p.value(c.Old.Get(l))
			p.plain(" → ")
			p.value(c.New.Get(l))
			sep = "; "
		} else {
			part("changed", t.Changed)
		}
		part("added", t.Added)
		part("removed", t.Removed)
	}
	part("missing", t.Missing)
}

// Two objects that differ in a few members (a condition, a field, a role)
// are phrased member by member, `condition › answer: "yes" → "no"`,
// rather than as two values cut short where they start to differ.
const (
	maxMemberChanges = 3 // more, and both values are shown
	maxMemberDepth   = 3 // nested objects followed; deeper ones are values
)

// memberChange is a member in which two objects differ: its way in from
// the objects, and its values (nil where absent).
type memberChange struct {
	names    []string
	old, new *flow.Value
}

// memberChanges returns the members in which objects a and b differ,
// nested objects followed in, or nil when they are not both objects or
// differ in none or more than maxMemberChanges.
func memberChanges(a, b *flow.Value) []memberChange {
	if !a.Is(flow.Object) || !b.Is(flow.Object) {
		return nil
	}
	var out []memberChange
	tooMany := false
	var walk func(names []string, a, b *flow.Value)
	walk = func(names []string, a, b *flow.Value) {
		eachMember(a, b, func(name string, x, y *flow.Value) {
			if tooMany {
				return
			}
			at := nameAfter(names, name)
			if x.Is(flow.Object) && y.Is(flow.Object) && len(at) < maxMemberDepth {
				walk(at, x, y)
				return
			}
			if len(out) == maxMemberChanges {
				tooMany = true
				return
			}
			out = append(out, memberChange{at, x, y})
		})
	}
	walk(nil, a, b)
	if tooMany {
		return nil
	}
	return out
}

// nameAfter returns names followed by name, never sharing names' array.
func nameAfter(names []string, name string) []string {
	return append(names[:len(names):len(names)], name)
}

// objectMembers phrases a change between two objects member by member
// (see memberChanges) and reports whether it could.
func (p *phrase) objectMembers(a, b *flow.Value) bool {
	changes := memberChanges(a, b)
	if changes == nil {
		return false
	}
	for i, m := range changes {
		if i == 0 {
			p.plain(" › ")
		} else {
			p.plain("; ")
		}
		for j, n := range m.names {
			if j > 0 {
				p.plain(" › ")
			}
			p.word(n)
		}
		switch {
		case m.old == nil:
			p.plain(" added: ")
			p.value(m.new)
		case m.new == nil:
			p.plain(" removed (was ")
			p.value(m.old)
			p.plain(")")
		default:
			p.plain(": ")
			p.value(m.old)
			p.plain(" → ")
			p.value(m.new)
		}
	}
	return true
}

// stringSets phrases a change between two lists of distinct strings as
// what was added and removed, and reports whether it could.
func (p *phrase) stringSets(a, b *flow.Value) bool {
	as, bs := strings2(a), strings2(b)
	if as == nil || bs == nil {
		return false
	}
	var added, removed []string
	for _, s := range bs {
		if !slices.Contains(as, s) {
			added = append(added, s)
		}
	}
	for _, s := range as {
		if !slices.Contains(bs, s) {
			removed = append(removed, s)
		}
	}
	sep := ""
	if len(added) > 0 {
		p.plain("added ")
		p.list(added, Name)
		sep = "; "
	}
	if len(removed) > 0 {
		p.plain(sep + "removed ")
		p.list(removed, Name)
	}
	if len(added) == 0 && len(removed) == 0 {
		p.plain("reordered")
	}
	return true
}

// strings2 returns the items of a short array of distinct strings, or nil.
func strings2(v *flow.Value) []string {
	if !v.Is(flow.Array) || v.Len() > 64 {
		return nil
	}
	out := make([]string, 0, v.Len())
	for _, it := range v.Items() {
		s, ok := it.Str()
		if !ok || slices.Contains(out, s) {
			return nil
		}
		out = append(out, s)
	}
	return out
}
