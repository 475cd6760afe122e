package diff

import (
	"slices"
	"strconv"

	"github.com/identoflow/identoflow/flow"
)

// differ walks two documents side by side, collecting changes in the new
// flow's order.
type differ struct {
	old, new *flow.Value // the documents as sent ({} for an absent file)
	shown    []string    // languages the new flow can show
	h        hasher
	changes  []Change
	// paths maps the pointer of each old element of a keyed list (step,
	// question, option, KYB field) that was compared one by one to its
	// pointer in the new flow, or to "" when it was removed; diagnostics'
	// paths are carried across with it.
	paths map[string]string
}

func newDiffer(old, new *flow.Config) *differ {
	d := &differ{h: newHasher(), paths: map[string]string{}, old: sentRoot(old), new: sentRoot(new)}
	if new != nil {
		d.shown = new.ShownLanguages()
	}
	return d
}

// sentRoot is the document as sent: where a name repeats in an object the
// last one counts, as for the validator.
func sentRoot(c *flow.Config) *flow.Value {
	if c == nil {
		return flow.NewObject()
	}
	return c.SentRoot()
}

// scope is where the walk is: the locators leading here and the pointers
// of the thing in each document.
type scope struct {
	where            []Locator
	oldPath, newPath string
	operator         bool // inside an operator questionnaire: no missing-translation hints
}

// member returns the scope of a member of the thing s is at.
func (s scope) member(name string) scope {
	s.oldPath, s.newPath = join(s.oldPath, name), join(s.newPath, name)
	return s
}

// with returns where followed by loc, never sharing where's array.
func with(where []Locator, loc Locator) []Locator {
	return append(where[:len(where):len(where)], loc)
}

func join(path, name string) string { return path + flow.Pointer(name) }

func index(path string, i int) string { return path + "/" + strconv.Itoa(i) }

// add records a change, with any credential in its values masked.
func (d *differ) add(c Change) {
	if flow.IsCredentialName(c.Name) {
		if c.Old != nil {
			c.Old = flow.NewString(Mask)
		}
		if c.New != nil {
			c.New = flow.NewString(Mask)
		}
	}
	c.Old, c.New = flow.MaskCredentials(c.Old, Mask), flow.MaskCredentials(c.New, Mask)
	d.changes = append(d.changes, c)
}

// eachMember calls fn for every member name whose value differs between
// two objects (nil: absent): the new object's names in order, then those
// only the old one has. Member order is no difference.
func eachMember(o, n *flow.Value, fn func(name string, ov, nv *flow.Value)) {
	get := lookup(o)
	for _, m := range n.Members() {
		ov := get(m.Name)
		if ov != nil && flow.Equal(ov, m.Value) {
			continue
		}
		fn(m.Name, ov, m.Value)
	}
	has := lookup(n)
	for _, m := range o.Members() {
		if has(m.Name) == nil {
			fn(m.Name, m.Value, nil)
		}
	}
}

// lookup returns a member finder for an object, with a map when the object
// is large, so that comparing two objects stays linear in their size.
func lookup(o *flow.Value) func(string) *flow.Value {
	ms := o.Members()
	if len(ms) <= 16 {
		return o.Get
	}
	m := make(map[string]*flow.Value, len(ms))
	for _, mem := range ms {
		m[mem.Name] = mem.Value
	}
	return func(name string) *flow.Value { return m[name] }
}

// valueChange records a change of one member's value.
func (d *differ) valueChange(subject Subject, name string, s scope, ov, nv *flow.Value) {
	c := Change{Subject: subject, Name: name, Where: s.where, Old: ov, New: nv}
	switch {
	case ov == nil:
		c.Kind, c.NewPath = Added, s.newPath
	case nv == nil:
		c.Kind, c.OldPath = Removed, s.oldPath
	default:
		c.Kind, c.OldPath, c.NewPath = Changed, s.oldPath, s.newPath
	}
	d.add(c)
}

// listOrAbsent reports whether a member is compared item by item: both
// sides are arrays, or one is absent and the other a non-empty array (an
// empty array against an absent member is a change of the member itself).
func listOrAbsent(ov, nv *flow.Value) bool { return bothOrAbsent(ov, nv, flow.Array) }

// objectOrAbsent is listOrAbsent for objects compared member by member.
func objectOrAbsent(ov, nv *flow.Value) bool { return bothOrAbsent(ov, nv, flow.Object) }

func bothOrAbsent(ov, nv *flow.Value, k flow.Kind) bool {
	switch {
	case ov == nil:
		return nv.Is(k) && nv.Len() > 0
	case nv == nil:
		return ov.Is(k) && ov.Len() > 0
	}
	return ov.Is(k) && nv.Is(k)
}

// defines reports whether specs have a field named name.
func defines(specs []flow.FieldSpec, name string) bool {
	return slices.ContainsFunc(specs, func(s flow.FieldSpec) bool { return s.Name == name })
}

// top compares the session fields, the global flags and the steps.
func (d *differ) top() {
	known := flow.TopFields()
	eachMember(d.old, d.new, func(name string, ov, nv *flow.Value) {
		s := scope{}.member(name)
		switch {
		case name == "flags" && objectOrAbsent(ov, nv):
			d.flags(s, ov, nv)
		case name == "steps" && listOrAbsent(ov, nv):
			d.steps(ov, nv)
		case defines(known, name):
			d.valueChange(SubjectSession, name, s, ov, nv)
		default:
			d.valueChange(SubjectValue, name, s, ov, nv)
		}
	})
}

// flags compares a flags object (global, or a step's) flag by flag.
func (d *differ) flags(s scope, ov, nv *flow.Value) {
	eachMember(ov, nv, func(name string, a, b *flow.Value) {
		d.valueChange(SubjectFlag, name, s.member(name), a, b)
	})
}

// text compares a localized text: by language when both sides (or the new
// one, when it is added) are {language: text} objects, and with the
// languages the new one lacks whenever it is such an object.
func (d *differ) text(name string, s scope, ov, nv *flow.Value) {
	d.valueChange(SubjectText, name, s, ov, nv)
	if !nv.Is(flow.Object) {
		return
	}
	tc := &TextChange{}
	byLanguage := ov
	if ov != nil && !ov.Is(flow.Object) {
		byLanguage = nil // a plain string before: no language to compare with
	}
	eachMember(byLanguage, nv, func(lang string, a, b *flow.Value) {
		switch {
		case a == nil:
			tc.Added = append(tc.Added, lang)
		case b == nil:
			tc.Removed = append(tc.Removed, lang)
		default:
			tc.Changed = append(tc.Changed, lang)
		}
	})
	if !s.operator { // operators see the tool in their own language
		for _, l := range d.shown {
			if !nv.Has(l) {
				tc.Missing = append(tc.Missing, l)
			}
		}
	}
	d.changes[len(d.changes)-1].Text = tc
}

// isText reports whether a member of a step, question or option is a
// localized text.
func isText(name string) bool {
	return name == "title" || name == "description" || name == "successButtonTitle"
}

// stringOrAbsent reports whether a key member is a string or absent: its
// difference is then a rename (or none), not a change of its own.
func stringOrAbsent(v *flow.Value) bool { return v == nil || v.Is(flow.String) }
