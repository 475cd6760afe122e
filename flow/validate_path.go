package flow

import (
	"fmt"
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
	var toks [16]*loc
	chain := toks[:0]
	for n := l; n != nil; n = n.up {
		chain = append(chain, n)
	}
	var b strings.Builder
	for i := len(chain) - 1; i >= 0; i-- {
		b.WriteByte('/')
		n := chain[i]
		if n.index >= 0 {
			b.WriteString(strconv.Itoa(n.index))
		} else {
			writeToken(&b, n.name)
		}
	}
	return b.String()
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
		return fmt.Sprintf("%q item %d", l.up.name, l.index)
	}
	return "item " + strconv.Itoa(l.index)
}

// is reports whether l is the member name (of any object).
func (l *loc) is(name string) bool { return l != nil && l.index < 0 && l.name == name }
