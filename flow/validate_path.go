package flow

import (
	"strconv"
	"strings"
)

// loc is where a node sits in the config: a chain of member names and
// array indexes back to the root (a nil *loc). The validator hands locs
// down rather than JSON Pointer strings because most nodes get no
// diagnostic: a pointer is written out only for those that do.
type loc struct {
	up    *loc
	name  string // the member name, when index < 0
	index int    // the array index, or -1 for a member
}

// member is the location of the member name of the object at l.
func (l *loc) member(name string) loc { return loc{up: l, name: name, index: -1} }

// item is the location of the i-th item of the array at l.
func (l *loc) item(i int) loc { return loc{up: l, index: i} }

// String returns the RFC 6901 JSON Pointer of l ("" for the root).
func (l *loc) String() string {
	var b strings.Builder
	b.Grow(l.size())
	l.write(&b)
	return b.String()
}

// size is the length of l's pointer, so that it is written in one
// allocation.
func (l *loc) size() int {
	n := 0
	for ; l != nil; l = l.up {
		n++ // the '/'
		if l.index >= 0 {
			n += digits(l.index)
		} else {
			n += len(l.name) + strings.Count(l.name, "~") + strings.Count(l.name, "/")
		}
	}
	return n
}

func digits(i int) int {
	n := 1
	for ; i >= 10; i /= 10 {
		n++
	}
	return n
}

// write writes the pointer of l's parent, then l's token. It holds on to
// no loc, so the locs the validator makes stay on its stack.
func (l *loc) write(b *strings.Builder) {
	if l == nil {
		return
	}
	l.up.write(b)
	b.WriteByte('/')
	if l.index >= 0 {
		b.WriteString(strconv.Itoa(l.index))
	} else {
		writeToken(b, l.name)
	}
}

// writeToken writes a member name as a JSON Pointer token: "~" becomes
// "~0" and "/" becomes "~1".
func writeToken(b *strings.Builder, name string) {
	for {
		i := strings.IndexAny(name, "~/")
		if i < 0 {
			b.WriteString(name)
			return
		}
		b.WriteString(name[:i])
		if name[i] == '~' {
			b.WriteString("~0")
		} else {
			b.WriteString("~1")
		}
		name = name[i+1:]
	}
}

// label names the node at l for a message: its member name quoted, or
// `"list" item 3` for an array item.
func (l *loc) label() string {
	switch {
	case l == nil:
		return "the config"
	case l.index < 0:
		return strconv.Quote(l.name)
	case l.up != nil && l.up.index < 0:
		// Not fmt: a loc's strings must not escape, or every loc would.
		return strconv.Quote(l.up.name) + " item " + strconv.Itoa(l.index)
	}
	return "item " + strconv.Itoa(l.index)
}
