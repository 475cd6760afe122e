package flow

import (
	"slices"
	"unsafe"
)

// Tracker finds what edits change in a config, so that an undo history
// can keep the differences rather than a copy of the whole config per
// edit. It keeps a private copy of the document (its base) as it was when
// last recorded; Record compares the config with it, node by node, and
// returns what differs as a Patch.
//
// The comparison is exact: member order, repeated names and number
// spellings count.
type Tracker struct {
	base *Value
}

// NewTracker starts tracking c as it is now.
func NewTracker(c *Config) *Tracker { return &Tracker{base: c.root.Clone()} }

// Patch is what an edit changed: applied to the config as the edit left
// it, it gives the config as it was before.
type Patch struct {
	splices []splice
	size    int
	same    bool
}

// splice replaces the n slots (members of an object, items of an array)
// from at of the container that path leads to with old.
type splice struct {
	path  []int // the slot taken at each level, from the root
	at, n int
	old   []Member // for an array, only Value is used
}

// Size is about how many bytes the patch keeps alive.
func (p *Patch) Size() int { return p.size }

// Equivalent reports whether the config means the same before and after
// the change, as Equal compares: only a number's spelling, a repeated
// name or the like differs.
func (p *Patch) Equivalent() bool { return p.same }

// Record compares c with the base, makes the base a copy of c again and
// returns the patch that turns c back into what the base was; nil when c
// has not changed.
func (t *Tracker) Record(c *Config) *Patch {
	r := recorder{p: &Patch{same: true}}
	r.diff(t.base, c.root)
	if len(r.p.splices) == 0 {
		return nil
	}
	return r.p
}

// Apply applies p, which Record or Apply returned, to c, which must be as
// the base is (as Record or Apply left them), and does the same to the
// base. It returns the patch that undoes it.
func (t *Tracker) Apply(c *Config, p *Patch) *Patch {
	inv := &Patch{same: p.same, splices: make([]splice, 0, len(p.splices))}
	for _, s := range p.splices {
		live, base := c.root.at(s.path), t.base.at(s.path)
		if live == nil || base == nil || s.at+s.n > base.slots() || s.at+s.n > live.slots() {
			continue // not the config the patch is for
		}
		removed := base.splice(s.at, s.n, s.old)
		live.splice(s.at, s.n, cloneSlots(s.old))
		inv.splices = append(inv.splices, splice{path: s.path, at: s.at, n: len(s.old), old: removed})
		inv.size += slotsSize(removed)
	}
	c.keys = nil // the step keys may have changed behind the index
	return inv
}

type recorder struct {
	path   []int
	p      *Patch
	hidden int // > 0 inside a member a later one of the same name hides
}

// diff compares the containers a (of the base) and b (of the document),
// of the same kind, records what differs and makes a equal to b.
func (r *recorder) diff(a, b *Value) {
	na, nb := a.slots(), b.slots()
	if na == nb && (a.kind == Array || sameNamesInOrder(a.members, b.members)) {
		// The same slots: compare them one by one.
		var last map[string]int // with repeated names: the member of each that counts
		if a.kind == Object && hasRepeats(a.members) {
			last = lastIndex(a.members)
		}
		for i := range na {
			x, y := a.slot(i), b.slot(i)
			if x != nil && y != nil && x.kind == y.kind && x.isContainer() {
				hidden := last != nil && last[a.members[i].Name] != i
				if hidden {
					r.hidden++ // what changes in there, Equal does not see
				}
				r.path = append(r.path, i)
				r.diff(x, y)
				r.path = r.path[:len(r.path)-1]
				if hidden {
					r.hidden--
				}
			} else if !identical(x, y) {
				r.replace(a, b, i, i+1, i+1)
			}
		}
		return
	}
	// Slots came or went: replace the stretch between what is the same at
	// both ends.
	lo := 0
	for lo < na && lo < nb && sameSlot(a, b, lo, lo) {
		lo++
	}
	hiA, hiB := na, nb
	for hiA > lo && hiB > lo && sameSlot(a, b, hiA-1, hiB-1) {
		hiA--
		hiB--
	}
	r.replace(a, b, lo, hiA, hiB)
}

// replace records that slots lo..hiA of a became slots lo..hiB of b, and
// puts a copy of the latter into a.
func (r *recorder) replace(a, b *Value, lo, hiA, hiB int) {
	fresh := cloneSlots(b.slotRange(lo, hiB))
	old := a.splice(lo, hiA-lo, fresh)
	r.p.splices = append(r.p.splices, splice{path: slices.Clone(r.path), at: lo, n: hiB - lo, old: old})
	r.p.size += slotsSize(old)
	if r.p.same && r.hidden == 0 {
		r.p.same = sameMeaning(a, old, lo, len(fresh))
	}
}

// sameMeaning reports whether container c means the same as it did with
// old in place of its n slots from lo.
func sameMeaning(c *Value, old []Member, lo, n int) bool {
	if c.kind == Array || (len(old) == n && sameNamesInOrder(old, c.members[lo:lo+n]) && !hasRepeats(c.members)) {
		// Slot for slot (the usual case, and cheap however large c is).
		if len(old) != n {
			return false
		}
		for i, m := range old {
			if !Equal(m.Value, c.slot(lo+i)) {
				return false
			}
		}
		return true
	}
	before := &Value{kind: Object, members: slices.Concat(c.members[:lo], old, c.members[lo+n:])}
	return Equal(before, c)
}

func (v *Value) isContainer() bool { return v.Kind() == Array || v.Kind() == Object }

// slots is the number of items or members.
func (v *Value) slots() int {
	if v.Kind() == Array {
		return len(v.items)
	}
	return len(v.Members())
}

// slot is item or member value i.
func (v *Value) slot(i int) *Value {
	if v.kind == Array {
		return v.items[i]
	}
	return v.members[i].Value
}

// slotRange is the slots from lo to hi, as members.
func (v *Value) slotRange(lo, hi int) []Member {
	if v.kind == Object {
		return v.members[lo:hi]
	}
	out := make([]Member, hi-lo)
	for i, it := range v.items[lo:hi] {
		out[i].Value = it
	}
	return out
}

// splice replaces the n slots from at with with, and returns the slots it
// replaced in a slice of their own.
func (v *Value) splice(at, n int, with []Member) []Member {
	old := slices.Clone(v.slotRange(at, at+n))
	switch {
	case n == len(with) && v.kind == Object:
		copy(v.members[at:], with)
	case n == len(with):
		for i, m := range with {
			v.items[at+i] = m.Value
		}
	case v.kind == Object:
		v.members = slices.Concat(v.members[:at], with, v.members[at+n:])
	default:
		items := make([]*Value, 0, len(v.items)-n+len(with))
		items = append(items, v.items[:at]...)
		for _, m := range with {
			items = append(items, m.Value)
		}
		v.items = append(items, v.items[at+n:]...)
	}
	return old
}

// at is the container path leads to, or nil.
func (v *Value) at(path []int) *Value {
	for _, i := range path {
		if !v.isContainer() || i < 0 || i >= v.slots() {
			return nil
		}
		v = v.slot(i)
	}
	if !v.isContainer() {
		return nil
	}
	return v
}

// sameNamesInOrder reports whether two member lists have the same names
// in the same order.
func sameNamesInOrder(a, b []Member) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}

// sameSlot reports whether slot i of a and slot j of b are the same,
// name and all.
func sameSlot(a, b *Value, i, j int) bool {
	if a.kind == Object && a.members[i].Name != b.members[j].Name {
		return false
	}
	return identical(a.slot(i), b.slot(j))
}

// identical reports whether a and b are written the same: unlike Equal,
// member order, repeated names and number spellings count.
func identical(a, b *Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case Null:
		return true
	case Bool:
		return a.b == b.b
	case Number, String:
		return a.s == b.s
	case Array:
		if len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !identical(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	}
	if len(a.members) != len(b.members) {
		return false
	}
	for i := range a.members {
		if a.members[i].Name != b.members[i].Name || !identical(a.members[i].Value, b.members[i].Value) {
			return false
		}
	}
	return true
}

// cloneSlots copies slots, values and all.
func cloneSlots(ms []Member) []Member {
	out := make([]Member, len(ms))
	for i, m := range ms {
		out[i] = Member{Name: m.Name, Value: m.Value.Clone()}
	}
	return out
}

func slotsSize(ms []Member) int {
	n := len(ms) * int(unsafe.Sizeof(Member{}))
	for _, m := range ms {
		n += len(m.Name) + memSize(m.Value)
	}
	return n
}

// memSize is about how many bytes v takes in memory.
func memSize(v *Value) int {
	if v == nil {
		return 0
	}
	n := int(unsafe.Sizeof(Value{})) + len(v.s) + cap(v.items)*int(unsafe.Sizeof(v))
	for _, it := range v.items {
		n += memSize(it)
	}
	return n + slotsSize(v.members)
}
