package flow

import (
	"slices"
	"strconv"
)

// Comparing values as JSON readers see them, and the one value a name
// repeated in an object stands for.

// Equal reports whether a and b are the same JSON value: objects compare as
// name → value sets (last duplicate wins), numbers by their numeric value.
func Equal(a, b *Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case Null:
		return true
	case Bool:
		return a.b == b.b
	case String:
		return a.s == b.s
	case Number:
		if a.s == b.s {
			return true
		}
		fa, ea := strconv.ParseFloat(a.s, 64)
		fb, eb := strconv.ParseFloat(b.s, 64)
		return ea == nil && eb == nil && fa == fb
	case Array:
		if len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !Equal(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	case Object:
		if sameNames(a, b) { // the usual case: compare in place, no maps
			for i := range a.members {
				if !Equal(a.members[i].Value, b.members[i].Value) {
					return false
				}
			}
			return true
		}
		am, bm := lastMembers(a), lastMembers(b)
		if len(am) != len(bm) {
			return false
		}
		for n, av := range am {
			bv, ok := bm[n]
			if !ok || !Equal(av, bv) {
				return false
			}
		}
		return true
	}
	return false
}

// sameNames reports whether two objects have the same names in the same
// order, without repeats (so member i of one matches member i of the other).
func sameNames(a, b *Value) bool {
	if len(a.members) != len(b.members) || len(a.members) > 32 {
		return false
	}
	for i, m := range a.members {
		if m.Name != b.members[i].Name {
			return false
		}
		for _, prev := range a.members[:i] {
			if prev.Name == m.Name {
				return false
			}
		}
	}
	return true
}

// lastMembers maps each name of an object to its value (the last one when
// a name repeats).
func lastMembers(v *Value) map[string]*Value {
	m := make(map[string]*Value, len(v.members))
	for _, mem := range v.members {
		m[mem.Name] = mem.Value
	}
	return m
}

// withoutRepeats returns v, or a copy of it in which each object keeps only
// the last member of each name, at that member's place.
func withoutRepeats(v *Value) *Value {
	switch v.Kind() {
	case Array:
		var out *Value
		for i, it := range v.items {
			if n := withoutRepeats(it); n != it {
				if out == nil {
					out = &Value{kind: Array, off: v.off, items: slices.Clone(v.items)}
				}
				out.items[i] = n
			}
		}
		if out != nil {
			return out
		}
	case Object:
		if !hasRepeats(v.members) {
			// The common case: copy only what changes below.
			var out *Value
			for i, m := range v.members {
				if n := withoutRepeats(m.Value); n != m.Value {
					if out == nil {
						out = &Value{kind: Object, off: v.off, members: slices.Clone(v.members)}
					}
					out.members[i].Value = n
				}
			}
			if out != nil {
				return out
			}
			return v
		}
		last := lastIndex(v.members)
		changed := len(last) != len(v.members)
		kept := make([]Member, 0, len(last))
		for i, m := range v.members {
			if last[m.Name] != i {
				continue
			}
			n := withoutRepeats(m.Value)
			changed = changed || n != m.Value
			kept = append(kept, Member{Name: m.Name, Value: n})
		}
		if changed {
			return &Value{kind: Object, off: v.off, members: kept}
		}
	}
	return v
}

// lastIndex maps each name of ms to the index of its last member, the one
// that counts.
func lastIndex(ms []Member) map[string]int {
	last := make(map[string]int, len(ms))
	for i, m := range ms {
		last[m.Name] = i
	}
	return last
}

// hasRepeats reports whether a name occurs twice among ms.
func hasRepeats(ms []Member) bool {
	if len(ms) <= 16 {
		for i := 1; i < len(ms); i++ {
			for _, p := range ms[:i] {
				if p.Name == ms[i].Name {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		if seen[m.Name] {
			return true
		}
		seen[m.Name] = true
	}
	return false
}
