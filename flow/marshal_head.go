package flow

import "bytes"

// MarshalHead returns the first n lines of Marshal(v), line ends included
// (all of it when it has fewer). It writes only those lines, so a preview
// of a large flow costs what it shows, not what the flow holds.
func MarshalHead(v *Value, n int) []byte {
	if n <= 0 {
		return nil
	}
	h := headWriter{lines: n}
	if h.value(v, 0) {
		h.b.WriteByte('\n')
		return h.b.Bytes()
	}
	return h.b.Bytes()[:h.cut]
}

// headWriter writes like writeValue (indented) until it has written lines
// line ends.
type headWriter struct {
	b     bytes.Buffer
	lines int // line ends still to write
	cut   int // the length once the last wanted line ends
}

// newline writes a line break and the indent of depth; false once the
// wanted lines are all written.
func (h *headWriter) newline(depth int) bool {
	h.lines--
	if h.lines == 0 {
		h.cut = h.b.Len() + 1
		h.b.WriteByte('\n')
		return false
	}
	writeIndent(&h.b, depth)
	return true
}

// value writes v at depth; false when it stopped at the last wanted line.
func (h *headWriter) value(v *Value, depth int) bool {
	switch {
	case v.Kind() == Array && len(v.items) > 0:
		h.b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				h.b.WriteByte(',')
			}
			if !h.newline(depth+1) || !h.value(it, depth+1) {
				return false
			}
		}
		if !h.newline(depth) {
			return false
		}
		h.b.WriteByte(']')
	case v.Kind() == Object && len(v.members) > 0:
		h.b.WriteByte('{')
		for i, m := range v.members {
			if i > 0 {
				h.b.WriteByte(',')
			}
			if !h.newline(depth + 1) {
				return false
			}
			writeString(&h.b, m.Name)
			h.b.WriteString(": ")
			if !h.value(m.Value, depth+1) {
				return false
			}
		}
		if !h.newline(depth) {
			return false
		}
		h.b.WriteByte('}')
	default: // one line: a scalar or an empty container
		writeValue(&h.b, v, depth)
	}
	return true
}
