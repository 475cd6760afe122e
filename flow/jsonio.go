package flow

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxFileSize is the largest config the tool reads. Real flows are a few
// kilobytes; anything near this is a mistake, not a flow.
const MaxFileSize = 16 << 20

// maxDepth bounds nesting so that junk cannot exhaust the stack. A real
// config nests about eight levels.
const maxDepth = 256

// SyntaxError is a config that is not JSON, or not a JSON object. Line and
// Column are 1-based and count runes.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// TooLargeError is a config over MaxFileSize.
type TooLargeError struct{ Size int } // bytes read, at least MaxFileSize+1

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is larger than %d MiB, the most a config may be", MaxFileSize>>20)
}

// ParseValue parses one JSON document, keeping member order and number
// literals. Trailing non-space text is an error.
func ParseValue(data []byte) (*Value, error) {
	if len(data) > MaxFileSize {
		return nil, &TooLargeError{Size: len(data)}
	}
	p := parser{data: data}
	if isUTF16(data) {
		return nil, p.errorf("the file is UTF-16 text; save it as UTF-8")
	}
	// A UTF-8 byte-order mark is harmless: editors on some systems add one.
	p.pos = len(bomUTF8) * boolInt(bytes.HasPrefix(data, bomUTF8))
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.errorf("unexpected %s after the end of the JSON value", p.describe())
	}
	return v, nil
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

// isUTF16 recognizes UTF-16 text, as some Windows editors save it: a
// UTF-16 byte-order mark, or JSON's first character followed or preceded
// by a zero byte.
func isUTF16(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return true
	}
	return len(data) >= 2 && data[0] != 0 && data[1] == 0 || len(data) >= 2 && data[0] == 0 && data[1] != 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type parser struct {
	data []byte
	pos  int
	// Values come from slabs and finished arrays and objects are copied
	// out of shared stacks: a config has tens of thousands of small nodes,
	// and one allocation each would dominate loading.
	slab    []Value
	items   []*Value
	members []Member
}

func (p *parser) alloc(v Value) *Value {
	if len(p.slab) == 0 {
		p.slab = make([]Value, min(256, 16+(len(p.data)-p.pos)/8)) // a small document needs a small slab
	}
	n := &p.slab[0]
	*n = v
	p.slab = p.slab[1:]
	return n
}

func (p *parser) errorf(format string, args ...any) *SyntaxError {
	return p.errorAt(p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) errorAt(off int, msg string) *SyntaxError {
	line, col := LineColumn(p.data, off)
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// LineColumn turns a byte offset into a 1-based line and rune column.
func LineColumn(data []byte, off int) (line, col int) {
	return NewSource(data).Position(off)
}

// describe names what is at the current position, for messages.
func (p *parser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	c := p.data[p.pos]
	if c < utf8.RuneSelf {
		if c < 0x20 || c == 0x7f {
			return fmt.Sprintf("control character %q", rune(c))
		}
		return fmt.Sprintf("character %q", rune(c))
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r == utf8.RuneError {
		return "invalid UTF-8 byte"
	}
	return fmt.Sprintf("character %q", r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (*Value, error) {
	if depth > maxDepth {
		return nil, p.errorf("nesting is deeper than %d levels", maxDepth)
	}
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of input, expected a value")
	}
	// Each value records where it starts (see Value.off); lines and
	// columns are worked out only when a diagnostic asks for them.
	at := int32(p.pos) + 1
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth, at)
	case c == '[':
		return p.array(depth, at)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return p.alloc(Value{kind: String, s: s, off: at}), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(at)
	case c == 't':
		return p.literal("true", Value{kind: Bool, b: true, off: at})
	case c == 'f':
		return p.literal("false", Value{kind: Bool, off: at})
	case c == 'n':
		return p.literal("null", Value{kind: Null, off: at})
	}
	return nil, p.errorf("unexpected %s, expected a value", p.describe())
}

func (p *parser) literal(word string, v Value) (*Value, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return nil, p.errorf("invalid literal, expected %q", word)
	}
	p.pos += len(word)
	return p.alloc(v), nil
}

func (p *parser) object(depth int, at int32) (*Value, error) {
	p.pos++ // {
	v := p.alloc(Value{kind: Object, off: at})
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf("unexpected %s, expected a quoted member name", p.describe())
		}
		name, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("unexpected %s after member name %q, expected ':'", p.describe(), name)
		}
		p.pos++
		p.skipSpace()
		val, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.members = append(p.members, Member{Name: name, Value: val})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input, expected ',' or '}'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			v.members = slices.Clone(p.members[base:])
			return v, nil
		default:
			return nil, p.errorf("unexpected %s, expected ',' or '}'", p.describe())
		}
	}
}

func (p *parser) array(depth int, at int32) (*Value, error) {
	p.pos++ // [
	v := p.alloc(Value{kind: Array, items: []*Value{}, off: at})
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	base := len(p.items)
	defer func() { p.items = p.items[:base] }()
	for {
		p.skipSpace()
		val, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, val)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unexpected end of input, expected ',' or ']'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			v.items = slices.Clone(p.items[base:])
			return v, nil
		default:
			return nil, p.errorf("unexpected %s, expected ',' or ']'", p.describe())
		}
	}
}

func (p *parser) number(at int32) (*Value, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		p.pos = i
		return nil, p.errorf("invalid number: expected a digit, found %s", p.describe())
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return nil, p.errorf("invalid number: expected a digit after '.', found %s", p.describe())
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return nil, p.errorf("invalid number: expected a digit in the exponent, found %s", p.describe())
		}
	}
	p.pos = i
	return p.alloc(Value{kind: Number, s: string(d[start:i]), off: at}), nil
}

// str reads a quoted string at p.pos. Invalid UTF-8 is an error rather than
// being replaced: a config is text that people edit, and a silent U+FFFD
// would change it on the next save.
func (p *parser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	d := p.data
	// Fast path: no escapes, all ASCII or valid UTF-8.
	for i := p.pos; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			if !utf8.Valid(d[start:i]) {
				break
			}
			p.pos = i + 1
			return string(d[start:i]), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var b []byte
	for {
		if p.pos >= len(d) {
			return "", p.errorAt(start-1, "unterminated string")
		}
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(b), nil
		case c < 0x20:
			return "", p.errorf("control character %q in a string; write it as an escape such as \\n", rune(c))
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				b = appendSurrogate(b, r)
			} else {
				b = utf8.AppendRune(b, r)
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(d[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.errorf("invalid UTF-8 byte 0x%02x in a string; save the file as UTF-8", c)
			}
			b = append(b, d[p.pos:p.pos+size]...)
			p.pos += size
		}
	}
}

func (p *parser) escape() (rune, error) {
	d := p.data
	if p.pos+1 >= len(d) {
		return 0, p.errorf("unterminated escape")
	}
	c := d[p.pos+1]
	p.pos += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, err := p.hex4()
		if err != nil {
			return 0, err
		}
		if utf16.IsSurrogate(r) {
			// A high surrogate may pair with a following \uXXXX low one.
			if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
				save := p.pos
				p.pos += 2
				r2, err := p.hex4()
				if err == nil {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						return dec, nil
					}
				}
				p.pos = save
			}
			return r, nil // a lone surrogate: kept, see appendSurrogate
		}
		return r, nil
	}
	p.pos -= 2
	return 0, p.errorf("invalid escape '\\%c' in a string", c)
}

// appendSurrogate keeps a lone UTF-16 surrogate from a \u escape as its
// three-byte generalized UTF-8 form, which no valid text contains, so that
// writeString can escape it back exactly: a load and save must not turn
// "\ud800" into U+FFFD.
func appendSurrogate(b []byte, r rune) []byte {
	return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
}

// surrogateAt returns the lone surrogate encoded at s[i:], if any.
func surrogateAt(s string, i int) (rune, bool) {
	if i+2 >= len(s) || s[i] != 0xED || s[i+1] < 0xA0 || s[i+1] > 0xBF || s[i+2] < 0x80 || s[i+2] > 0xBF {
		return 0, false
	}
	return 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), true
}

func (p *parser) hex4() (rune, error) {
	if p.pos+4 > len(p.data) {
		return 0, p.errorf("invalid \\u escape: expected four hex digits")
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape: expected four hex digits")
	}
	p.pos += 4
	return rune(n), nil
}

// ReadAll reads a config from r, refusing more than MaxFileSize bytes
// without reading them all into memory.
func ReadAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &TooLargeError{Size: len(data)}
	}
	return data, nil
}
