package flow

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text from a config, a server or a file name is untrusted: shown raw, a
// control character, a C1 control (U+009B is a one-character CSI) or a bidi
// override could move the cursor, recolour or clear the screen, write the
// clipboard (OSC 52), or make a line read differently from what it holds.
// Visible and EscapeJSON are the one rule every output applies.

// Unsafe reports whether r must not reach a terminal as itself: C0 and C1
// controls and DEL, the bidirectional formatting characters (embeddings,
// overrides, isolates and marks), and the line and paragraph separators.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f',
		r >= '\u202a' && r <= '\u202e',
		r >= '\u2066' && r <= '\u2069',
		r == '\u2028', r == '\u2029':
		return true
	}
	return false
}

// Visible returns s with every unsafe character (see Unsafe) and every
// invalid UTF-8 byte written as a Go-style escape (\x1b, \n, \u202e), so a
// terminal shows them instead of acting on them. Everything else, non-ASCII
// text included, is kept as is. Text without such characters is returned
// unchanged, without allocating.
func Visible(s string) string {
	i := firstUnsafe(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[s[i]>>4])
			b.WriteByte(hexDigits[s[i]&0xf])
		case Unsafe(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// VisibleLines is Visible for text that may span lines: line ends stay
// line ends (a CRLF counts as one), and each line is made visible.
func VisibleLines(s string) string {
	if firstUnsafe(s) == len(s) {
		return s
	}
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Visible(l)
	}
	return strings.Join(lines, "\n")
}

// firstUnsafe is the index of the first unsafe character or invalid byte
// in s, or len(s).
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return i
		}
		i += size
	}
	return len(s)
}

// EscapeJSON rewrites JSON text so that no unsafe character (see Unsafe)
// stands in it raw: each becomes a \uXXXX escape, which decodes to the same
// value, so the output stays lossless. JSON allows such characters only
// inside strings, where the escape means the same; an invalid UTF-8 byte
// (which no JSON decoder keeps) becomes \ufffd. data is returned unchanged
// when there is nothing to escape.
func EscapeJSON(data []byte) []byte {
	i := firstUnsafeJSON(data)
	if i == len(data) {
		return data
	}
	out := make([]byte, 0, len(data)+16)
	out = append(out, data[:i]...)
	for i < len(data) {
		c := data[i]
		if c < utf8.RuneSelf && c >= 0x20 && c != 0x7f || c == '\n' || c == '\r' || c == '\t' {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case Unsafe(r):
			out = appendUEscape(out, r)
		default:
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
}

// firstUnsafeJSON is firstUnsafe for JSON text, where the whitespace
// between tokens (newline, CR, tab) is allowed raw.
func firstUnsafeJSON(data []byte) int {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return i
		}
		i += size
	}
	return len(data)
}

func appendUEscape(b []byte, r rune) []byte {
	b = append(b, '\\', 'u')
	for shift := 12; shift >= 0; shift -= 4 {
		b = append(b, hexDigits[(r>>shift)&0xf])
	}
	return b
}

// WriteJSON writes v as indented JSON followed by a newline, with < > &
// kept as they are and every unsafe character escaped (EscapeJSON): the
// form of every JSON output, which may be read on a terminal.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(EscapeJSON(buf.Bytes()))
	return err
}
