package flow

import (
	"bytes"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Source turns byte offsets into a config's text into lines and columns.
// Lines are 1-based; columns are 1-based and count Unicode characters (a
// tab is one, a byte-order mark none), as SyntaxError's do. The line table
// is built on the first question, so a file nobody asks about costs nothing.
type Source struct {
	data   []byte
	starts []int // byte offset of each line's first byte
	// The last answer: questions asked in order along one long line (a
	// minified file) then cost the distance between them, not the line.
	lastOff, lastLine, lastCol int
}

// NewSource returns the positions of data.
func NewSource(data []byte) *Source { return &Source{data: data} }

// Position returns the line and column of the byte offset off (clamped to
// the text), which should start a character.
func (s *Source) Position(off int) (line, col int) {
	off = max(0, min(off, len(s.data)))
	if s.starts == nil {
		s.starts = make([]int, 1, 1+bytes.Count(s.data, []byte{'\n'}))
		for i, d := 0, s.data; ; {
			n := bytes.IndexByte(d[i:], '\n')
			if n < 0 {
				break
			}
			i += n + 1
			s.starts = append(s.starts, i)
		}
	}
	line = sort.SearchInts(s.starts, off+1) // the lines starting at or before off
	start := s.starts[line-1]
	if line == 1 && bytes.HasPrefix(s.data, bomUTF8) && off >= len(bomUTF8) {
		start = len(bomUTF8)
	}
	if s.lastLine == line && s.lastOff >= start && s.lastOff <= off {
		col = s.lastCol + utf8.RuneCount(s.data[s.lastOff:off])
	} else {
		col = 1 + utf8.RuneCount(s.data[start:off])
	}
	s.lastOff, s.lastLine, s.lastCol = off, line, col
	return line, col
}

// PointerOffset returns the byte offset at which the value a JSON Pointer
// names starts in the text root was parsed from. Where the path leaves the
// document (a missing member or item) it is the offset of the deepest value
// on the path that exists: the object that should hold the member. A value
// made in code has no offset and stands for its nearest parsed ancestor.
// ok is false when nothing on the path came from parsing.
func PointerOffset(root *Value, pointer string) (off int, ok bool) {
	return pointerOffset(root, SplitPointer(pointer), 0)
}

// pointerOffset is PointerOffset with the last token naming the member's
// occurrence-th appearance in its object (0: the last, the one that counts;
// 1: the first, 2: the second, ...), for reports about repeated names.
func pointerOffset(root *Value, tokens []string, occurrence int) (int, bool) {
	off, ok := root.Offset()
	v := root
	for i, tok := range tokens {
		var next *Value
		switch v.Kind() {
		case Object:
			if i == len(tokens)-1 && occurrence > 0 {
				next = nthMember(v, tok, occurrence)
			} else {
				next = v.Get(tok)
			}
		case Array:
			if n, err := strconv.Atoi(tok); err == nil && strconv.Itoa(n) == tok {
				next = v.Item(n)
			}
		}
		if next == nil {
			break
		}
		v = next
		if o, parsed := v.Offset(); parsed {
			off, ok = o, true
		}
	}
	return off, ok
}

// nthMember returns the n-th (1-based) member of obj named name, or nil.
func nthMember(obj *Value, name string, n int) *Value {
	for _, m := range obj.Members() {
		if m.Name == name {
			if n--; n == 0 {
				return m.Value
			}
		}
	}
	return nil
}

// Locate sets each diagnostic's Line and Column: where the value its Path
// names starts in data (see PointerOffset), c being the config parsed from
// data. With c nil (data is not a JSON object) there is nothing to do:
// Check has placed its json-syntax diagnostic. The work is linear in the
// size of data plus the number of diagnostics.
func (ds Diagnostics) Locate(data []byte, c *Config) { NewSource(data).Locate(ds, c) }

// Locate is Diagnostics.Locate on s's text, for callers that place several
// lists of diagnostics in one file.
func (s *Source) Locate(ds Diagnostics, c *Config) {
	if len(ds) == 0 || c == nil {
		return
	}
	offs := make([]int, len(ds))
	found := make([]bool, len(ds))
	var repeats map[string]int // duplicate-member reports so far, by path
	for i, d := range ds {
		occurrence := 0
		if d.Code == CodeDuplicateMember {
			// Each later appearance of a name is reported once, in order;
			// the report is about that appearance, not the last one.
			if repeats == nil {
				repeats = map[string]int{}
			}
			repeats[d.Path]++
			occurrence = repeats[d.Path] + 1
		}
		offs[i], found[i] = pointerOffset(c.Root(), SplitPointer(d.Path), occurrence)
	}
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return offs[a] - offs[b] })
	for _, i := range order {
		if found[i] {
			ds[i].Line, ds[i].Column = s.Position(offs[i])
		}
	}
}
