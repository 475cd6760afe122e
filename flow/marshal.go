package flow

import (
	"bytes"
	"unicode/utf8"
)

// Writing values as JSON: the canonical form a config is saved in, and
// the compact form of request bodies.

// Marshal writes v as indented JSON (two spaces) with a trailing newline.
// The same value always gives the same bytes.
func Marshal(v *Value) []byte {
	var b bytes.Buffer
	n := textSize(v, 0)
	b.Grow(n + n/32 + 64) // room for some escapes, so the buffer is allocated once
	writeValue(&b, v, 0)
	b.WriteByte('\n')
	return b.Bytes()
}

// MarshalCompact writes v as compact JSON, for request bodies.
func MarshalCompact(v *Value) []byte {
	var b bytes.Buffer
	n := textSize(v, -1)
	b.Grow(n + n/32 + 16) // room for some escapes, so the buffer is allocated once
	writeValue(&b, v, -1)
	return b.Bytes()
}

// textSize is the length of v as writeValue writes it at depth (below 0:
// compact), strings counted without escapes, so that the buffer is
// allocated once.
func textSize(v *Value, depth int) int {
	var n, k int   // k: items or members
	inner := depth // of what v holds
	if depth >= 0 {
		inner++
	}
	switch v.Kind() {
	case Null:
		return len("null")
	case Bool:
		if v.b {
			return len("true")
		}
		return len("false")
	case Number:
		return len(v.s)
	case String:
		return len(v.s) + 2
	case Array:
		k = len(v.items)
		for _, it := range v.items {
			n += textSize(it, inner)
		}
	case Object:
		k = len(v.members)
		for _, m := range v.members {
			n += len(m.Name) + len(`"":`) + textSize(m.Value, inner)
			if depth >= 0 {
				n++ // the space after the colon
			}
		}
	}
	n += 2 + max(0, k-1) // brackets and commas
	if depth >= 0 && k > 0 {
		n += k*(1+2*(depth+1)) + 1 + 2*depth // a line break and indent before each, and before the end
	}
	return n
}

// indentation is a line break and the indent of the deepest common levels,
// written in one piece.
const indentation = "\n                                                                "

func writeIndent(b *bytes.Buffer, depth int) {
	if depth < 0 {
		return
	}
	if 1+2*depth <= len(indentation) {
		b.WriteString(indentation[:1+2*depth])
		return
	}
	b.WriteByte('\n')
	for range depth {
		b.WriteString("  ")
	}
}

// writeValue writes v; depth < 0 means compact.
func writeValue(b *bytes.Buffer, v *Value, depth int) {
	next := depth + 1
	if depth < 0 {
		next = -1
	}
	switch v.Kind() {
	case Null:
		b.WriteString("null")
	case Bool:
		if v.b {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case Number:
		b.WriteString(v.s)
	case String:
		writeString(b, v.s)
	case Array:
		if len(v.items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			writeIndent(b, next)
			writeValue(b, it, next)
		}
		writeIndent(b, depth)
		b.WriteByte(']')
	case Object:
		if len(v.members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, m := range v.members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeIndent(b, next)
			writeString(b, m.Name)
			b.WriteByte(':')
			if depth >= 0 {
				b.WriteByte(' ')
			}
			writeValue(b, m.Value, next)
		}
		writeIndent(b, depth)
		b.WriteByte('}')
	}
}

const hexDigits = "0123456789abcdef"

// writeString quotes s like encoding/json without HTML escaping, so URLs
// and text with < > & stay readable in saved files.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if sr, ok := surrogateAt(s, i); ok && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hexDigits[(sr>>shift)&0xf])
			}
			i += 3
			start = i
			continue
		}
		if Unsafe(r) {
			// Valid JSON raw, but C1 controls and bidi overrides act on a
			// terminal that shows the file, and U+2028/U+2029 break
			// JavaScript string literals: the escape means the same.
			b.WriteString(s[start:i])
			b.Write(appendUEscape(make([]byte, 0, 6), r))
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
