package flow

import (
	"strconv"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// String names the kind the way messages talk about JSON.
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "unknown"
}

// Value is one node of a JSON document that keeps everything a file said:
// object members stay in their order (duplicates included) and numbers keep
// their literal text. That is what makes load → save lossless for fields the
// model does not know.
type Value struct {
	kind Kind
	b    bool
	// off is 1 + the byte offset where the value starts in the text it
	// was parsed from; 0 for a value made in code. It fits in the padding
	// after kind and b, so positions cost no memory (MaxFileSize < 2 GiB).
	off     int32
	s       string // string contents, or the number's literal
	items   []*Value
	members []Member
}

// Member is one name/value pair of an object.
type Member struct {
	Name  string
	Value *Value
}

// Constructors for new values.

// NewNull returns a JSON null.
func NewNull() *Value { return &Value{kind: Null} }

// NewBool returns a JSON boolean.
func NewBool(b bool) *Value { return &Value{kind: Bool, b: b} }

// NewString returns a JSON string.
func NewString(s string) *Value { return &Value{kind: String, s: s} }

// NewInt returns a JSON number holding n.
func NewInt(n int) *Value { return &Value{kind: Number, s: strconv.Itoa(n)} }

// NewNumber returns a JSON number from its literal; the caller vouches for
// the literal's syntax.
func NewNumber(lit string) *Value { return &Value{kind: Number, s: lit} }

// NewArray returns a JSON array of the given items.
func NewArray(items ...*Value) *Value { return &Value{kind: Array, items: items} }

// NewObject returns an empty JSON object.
func NewObject() *Value { return &Value{kind: Object} }

// ObjectOf returns a JSON object of the given members, in their order. It
// takes the slice as it is: a name given twice stays twice.
func ObjectOf(members ...Member) *Value { return &Value{kind: Object, members: members} }

// NewStrings returns a JSON array of strings.
func NewStrings(ss []string) *Value {
	items := make([]*Value, len(ss))
	for i, s := range ss {
		items[i] = NewString(s)
	}
	return NewArray(items...)
}

// Kind reports the value's JSON type; a nil Value is null.
func (v *Value) Kind() Kind {
	if v == nil {
		return Null
	}
	return v.kind
}

// Is reports whether v is of kind k (a nil v is Null).
func (v *Value) Is(k Kind) bool { return v.Kind() == k }

// Bool returns the boolean and whether v is one.
func (v *Value) Bool() (bool, bool) {
	if v.Kind() != Bool {
		return false, false
	}
	return v.b, true
}

// Str returns the string and whether v is one.
func (v *Value) Str() (string, bool) {
	if v.Kind() != String {
		return "", false
	}
	return v.s, true
}

// NumberLiteral returns the number's literal text and whether v is a number.
func (v *Value) NumberLiteral() (string, bool) {
	if v.Kind() != Number {
		return "", false
	}
	return v.s, true
}

// Int returns the number as an int when it is a whole number in range.
func (v *Value) Int() (int, bool) {
	if v.Kind() != Number {
		return 0, false
	}
	if n, err := strconv.Atoi(v.s); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// Offset returns the byte offset at which v starts in the text it was
// parsed from, and false for a value made in code (or a nil one).
func (v *Value) Offset() (int, bool) {
	if v == nil || v.off == 0 {
		return 0, false
	}
	return int(v.off) - 1, true
}

// Len returns the number of items of an array or members of an object.
func (v *Value) Len() int {
	switch v.Kind() {
	case Array:
		return len(v.items)
	case Object:
		return len(v.members)
	}
	return 0
}

// Items returns an array's items (nil for other kinds). The slice is the
// value's own: callers must not modify it.
func (v *Value) Items() []*Value {
	if v.Kind() != Array {
		return nil
	}
	return v.items
}

// Item returns the i-th item of an array, or nil.
func (v *Value) Item(i int) *Value {
	if v.Kind() != Array || i < 0 || i >= len(v.items) {
		return nil
	}
	return v.items[i]
}

// Members returns an object's members in order (nil for other kinds). The
// slice is the value's own: callers must not modify it.
func (v *Value) Members() []Member {
	if v.Kind() != Object {
		return nil
	}
	return v.members
}

// Get returns the member named name, or nil. When a name repeats, the last
// one wins, as in encoding/json.
func (v *Value) Get(name string) *Value {
	if i := v.index(name); i >= 0 {
		return v.members[i].Value
	}
	return nil
}

// Has reports whether the object has a member named name.
func (v *Value) Has(name string) bool {
	return v.index(name) >= 0
}

func (v *Value) index(name string) int {
	if v.Kind() != Object {
		return -1
	}
	for i := len(v.members) - 1; i >= 0; i-- {
		if v.members[i].Name == name {
			return i
		}
	}
	return -1
}

// Set gives the object a member name = val. An existing member keeps its
// place; a new one goes where order says (see canonicalRank) so that files
// written by the tool read in a sensible order.
func (v *Value) Set(name string, val *Value, order []string) {
	if v.Kind() != Object {
		return
	}
	if i := v.index(name); i >= 0 {
		v.members[i].Value = val
		return
	}
	at := len(v.members)
	if rank := rankOf(order, name); rank >= 0 {
		for i, m := range v.members {
			if r := rankOf(order, m.Name); r > rank {
				at = i
				break
			}
		}
	}
	v.members = append(v.members, Member{})
	copy(v.members[at+1:], v.members[at:])
	v.members[at] = Member{Name: name, Value: val}
}

func rankOf(order []string, name string) int {
	for i, n := range order {
		if n == name {
			return i
		}
	}
	return -1
}

// Delete removes every member named name and reports whether there was one.
func (v *Value) Delete(name string) bool {
	if v.Kind() != Object {
		return false
	}
	kept := v.members[:0]
	found := false
	for _, m := range v.members {
		if m.Name == name {
			found = true
			continue
		}
		kept = append(kept, m)
	}
	clear(v.members[len(kept):])
	v.members = kept
	return found
}

// Insert puts val into an array at index i (clamped to the array's bounds).
func (v *Value) Insert(i int, val *Value) {
	if v.Kind() != Array {
		return
	}
	i = max(0, min(i, len(v.items)))
	v.items = append(v.items, nil)
	copy(v.items[i+1:], v.items[i:])
	v.items[i] = val
}

// Append adds val at the end of an array.
func (v *Value) Append(val *Value) { v.Insert(v.Len(), val) }

// RemoveAt removes and returns the i-th item of an array, or nil.
func (v *Value) RemoveAt(i int) *Value {
	if v.Kind() != Array || i < 0 || i >= len(v.items) {
		return nil
	}
	old := v.items[i]
	v.items = append(v.items[:i], v.items[i+1:]...)
	return old
}

// Move moves the i-th item of an array to index j and reports whether it did.
func (v *Value) Move(i, j int) bool {
	if v.Kind() != Array || i < 0 || i >= len(v.items) || j < 0 || j >= len(v.items) || i == j {
		return false
	}
	it := v.items[i]
	if i < j {
		copy(v.items[i:j], v.items[i+1:j+1])
	} else {
		copy(v.items[j+1:i+1], v.items[j:i])
	}
	v.items[j] = it
	return true
}

// SetItem replaces the i-th item of an array.
func (v *Value) SetItem(i int, val *Value) {
	if v.Kind() == Array && i >= 0 && i < len(v.items) {
		v.items[i] = val
	}
}

// Clone returns a deep copy of v. The copy's nodes are allocated in one
// block: the wizard clones the whole document on every edit (for undo),
// and one allocation instead of one per node keeps that cheap for the
// garbage collector.
func (v *Value) Clone() *Value {
	if v == nil {
		return nil
	}
	slab := make([]Value, v.nodeCount())
	return v.cloneInto(&slab)
}

func (v *Value) nodeCount() int {
	if v == nil {
		return 0
	}
	n := 1
	for _, it := range v.items {
		n += it.nodeCount()
	}
	for _, m := range v.members {
		n += m.Value.nodeCount()
	}
	return n
}

// cloneInto copies v into the first free node of *slab and its children
// after it, and advances *slab past what it used.
func (v *Value) cloneInto(slab *[]Value) *Value {
	if v == nil {
		return nil
	}
	c := &(*slab)[0]
	*slab = (*slab)[1:]
	c.kind, c.b, c.s, c.off = v.kind, v.b, v.s, v.off
	if v.items != nil {
		c.items = make([]*Value, len(v.items))
		for i, it := range v.items {
			c.items[i] = it.cloneInto(slab)
		}
	}
	if v.members != nil {
		c.members = make([]Member, len(v.members))
		for i, m := range v.members {
			c.members[i] = Member{Name: m.Name, Value: m.Value.cloneInto(slab)}
		}
	}
	return c
}
