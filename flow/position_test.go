package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// offsetOf turns a 1-based line and character column back into a byte
// offset, independently of Source: the check that positions are right.
func offsetOf(t *testing.T, data []byte, line, col int) int {
	t.Helper()
	off := 0
	for l := 1; l < line; l++ {
		n := bytes.IndexByte(data[off:], '\n')
		if n < 0 {
			t.Fatalf("line %d is past the end (%d lines)", line, l)
		}
		off += n + 1
	}
	if line == 1 && bytes.HasPrefix(data, bomUTF8) {
		off += len(bomUTF8)
	}
	for c := 1; c < col; c++ {
		if off >= len(data) || data[off] == '\n' {
			t.Fatalf("column %d is past the end of line %d", col, line)
		}
		_, size := utf8.DecodeRune(data[off:])
		off += size
	}
	return off
}

// valueAt resolves a JSON Pointer in a document decoded by encoding/json,
// stopping at the deepest value that exists; it reports how many tokens it
// followed.
func valueAt(doc any, pointer string) (any, int) {
	toks := SplitPointer(pointer)
	for i, tok := range toks {
		switch d := doc.(type) {
		case map[string]any:
			v, ok := d[tok]
			if !ok {
				return doc, i
			}
			doc = v
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(d) {
				return doc, i
			}
			doc = d[n]
		default:
			return doc, i
		}
	}
	return doc, len(toks)
}

// memberNameBefore returns the member name written just before the value
// at off ("name": value), or false when the value is not a member's.
func memberNameBefore(data []byte, off int) (string, bool) {
	i := len(bytes.TrimRight(data[:off], " \t\r\n"))
	if i == 0 || data[i-1] != ':' {
		return "", false
	}
	i = len(bytes.TrimRight(data[:i-1], " \t\r\n"))
	if i == 0 || data[i-1] != '"' {
		return "", false
	}
	end := i
	for j := end - 2; j >= 0; j-- {
		if data[j] != '"' {
			continue
		}
		backslashes := 0
		for k := j - 1; k >= 0 && data[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			var name string
			if json.Unmarshal(data[j:end], &name) != nil {
				return "", false
			}
			return name, true
		}
	}
	return "", false
}

// positionInputs is every testdata file and template, each also written
// on one line and with CRLF line ends and tab indents, so that columns far
// along a line and other line ends are covered too.
func positionInputs(t *testing.T) map[string][]byte {
	t.Helper()
	inputs := testdataAndTemplates(t)
	for name, data := range maps.Clone(inputs) {
		v, err := ParseValue(data)
		if err != nil {
			continue
		}
		inputs[name+" (one line)"] = MarshalCompact(v)
		crlf := strings.ReplaceAll(strings.ReplaceAll(string(Marshal(v)), "  ", "\t"), "\n", "\r\n")
		inputs[name+" (CRLF, tabs)"] = []byte(crlf)
	}
	return inputs
}

// TestEveryDiagnosticPointsAtItsValue checks, for every diagnostic of
// every testdata file and template, that its line and column lead to the
// first byte of the value its pointer names (or, for a missing member, of
// the object that should hold it).
func TestEveryDiagnosticPointsAtItsValue(t *testing.T) {
	checked := 0
	for name, data := range positionInputs(t) {
		c, diags, err := Check(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		diags.Locate(data, c)
		var doc any
		if c != nil {
			if err := json.Unmarshal(data[len(bomUTF8)*boolInt(bytes.HasPrefix(data, bomUTF8)):], &doc); err != nil {
				t.Fatalf("%s: encoding/json: %v", name, err)
			}
		}
		for _, d := range diags {
			if d.Line < 1 || d.Column < 1 {
				t.Errorf("%s: %s at %q has no position (%d:%d)", name, d.Code, d.Path, d.Line, d.Column)
				continue
			}
			off := offsetOf(t, data, d.Line, d.Column)
			checked++
			if c == nil { // a syntax error: the position is the error's
				var se *SyntaxError
				if _, err := Parse(data); !errors.As(err, &se) || se.Line != d.Line || se.Column != d.Column {
					t.Errorf("%s: json-syntax at %d:%d, the error is elsewhere", name, d.Line, d.Column)
				}
				continue
			}
			want, followed := valueAt(doc, d.Path)
			toks := SplitPointer(d.Path)
			if followed > 0 && d.Code != CodeDuplicateMember {
				// The value ends a member or an item of its container.
				if last := toks[followed-1]; !isItemOf(doc, toks[:followed-1]) {
					if got, ok := memberNameBefore(data, off); !ok || got != last {
						t.Errorf("%s: %s at %q: %d:%d is not the value of member %q (found %q)", name, d.Code, d.Path, d.Line, d.Column, last, got)
					}
				}
			}
			if d.Code == CodeDuplicateMember {
				if got, ok := memberNameBefore(data, off); !ok || got != toks[len(toks)-1] {
					t.Errorf("%s: duplicate-member at %q: %d:%d is not a member of that name", name, d.Path, d.Line, d.Column)
				}
				continue
			}
			var got any
			if err := json.NewDecoder(bytes.NewReader(data[off:])).Decode(&got); err != nil {
				t.Errorf("%s: %s at %q: no JSON value at %d:%d: %v", name, d.Code, d.Path, d.Line, d.Column, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s at %q: the value at %d:%d is %v, want %v", name, d.Code, d.Path, d.Line, d.Column, got, want)
			}
		}
	}
	if checked < 150 {
		t.Fatalf("only %d diagnostics checked; the inputs lost their problems", checked)
	}
}

// isItemOf reports whether the pointer tokens name an array in doc.
func isItemOf(doc any, toks []string) bool {
	v, n := valueAt(doc, Pointer(anys(toks)...))
	if n != len(toks) {
		return false
	}
	_, ok := v.([]any)
	return ok
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func TestSourcePosition(t *testing.T) {
	data := []byte("\xEF\xBB\xBF{\"é\": \"ü\",\r\n\t\"b\": [1,\n  2]}")
	tests := []struct {
		sub       string
		line, col int
	}{
		{"{", 1, 1},
		{"\"ü\"", 1, 7},
		{"\"b\"", 2, 2},
		{"1", 2, 8},
		{"2]", 3, 3},
	}
	src := NewSource(data)
	for _, tt := range tests {
		off := bytes.Index(data, []byte(tt.sub))
		if l, c := src.Position(off); l != tt.line || c != tt.col {
			t.Errorf("%q: %d:%d, want %d:%d", tt.sub, l, c, tt.line, tt.col)
		}
		if l, c := LineColumn(data, off); l != tt.line || c != tt.col {
			t.Errorf("LineColumn %q: %d:%d, want %d:%d", tt.sub, l, c, tt.line, tt.col)
		}
	}
}

// TestSourcePositionInAnyOrder asks for positions in random order on one
// Source (which remembers its last answer) and compares with a fresh one.
func TestSourcePositionInAnyOrder(t *testing.T) {
	data := MarshalCompact(mustParseValue(t, generateFlow(20)))
	data = append([]byte("{\"ünïcode\": \"ąčę\",\n"), data[1:]...)
	var starts []int
	for i := 0; i < len(data); {
		starts = append(starts, i)
		_, size := utf8.DecodeRune(data[i:])
		i += size
	}
	src := NewSource(data)
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		off := starts[r.IntN(len(starts))]
		if r.IntN(3) == 0 { // and runs going forward, as Locate asks
			off = starts[min(len(starts)-1, slices.Index(starts, off)+r.IntN(5))]
		}
		l, c := src.Position(off)
		if wl, wc := NewSource(data).Position(off); l != wl || c != wc {
			t.Fatalf("offset %d: %d:%d after other questions, %d:%d fresh", off, l, c, wl, wc)
		}
	}
}

func mustParseValue(t *testing.T, data []byte) *Value {
	t.Helper()
	v, err := ParseValue(data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPointerOffset(t *testing.T) {
	data := []byte(`{"steps": [{"type": "liveness"}, {"flags": {}}], "a": 1, "a": 2}`)
	v := mustParseValue(t, data)
	tests := []struct {
		pointer string
		at      string // the text at the offset
	}{
		{"", `{"steps"`},
		{"/steps/0/type", `"liveness"`},
		{"/steps/1/type", `{"flags"`},          // missing member: the step
		{"/steps/1/flags/x", `{}`},             // missing flag: the flags object
		{"/steps/7", `[{"type"`},               // missing item: the array
		{"/steps/01", `[{"type"`},              // not an index
		{"/a", `2}`},                           // the member that counts
		{"/steps/0/type/deeper", `"liveness"`}, // below a string
	}
	for _, tt := range tests {
		off, ok := PointerOffset(v, tt.pointer)
		if !ok || !bytes.HasPrefix(data[off:], []byte(tt.at)) {
			t.Errorf("%q: offset %d (%v) at %q, want at %q", tt.pointer, off, ok, data[off:], tt.at)
		}
	}
	// A value made in code stands for its nearest parsed ancestor.
	v.Get("steps").Item(1).Get("flags").Set("made", NewObject(), nil)
	if off, _ := PointerOffset(v, "/steps/1/flags/made"); !bytes.HasPrefix(data[off:], []byte("{}")) {
		t.Errorf("made in code: offset %d", off)
	}
	if _, ok := PointerOffset(NewObject(), "/x"); ok {
		t.Error("a document made in code has no offsets")
	}
}

func TestLocateRepeatedNamesAndSyntaxErrors(t *testing.T) {
	data := []byte("{\"name\": \"a\",\n \"name\": \"b\",\n \"name\": \"c\", \"steps\": [{\"type\": \"email\", \"flags\": {\"require_email\": true}}]}")
	c, diags, err := Check(data)
	if err != nil {
		t.Fatal(err)
	}
	diags.Locate(data, c)
	var got []string
	for _, d := range diags {
		if d.Code == CodeDuplicateMember {
			got = append(got, strconv.Itoa(d.Line)+":"+strconv.Itoa(d.Column))
		}
	}
	if strings.Join(got, " ") != "2:10 3:10" {
		t.Errorf("repeated names at %v, want the second and third: 2:10 3:10", got)
	}

	// Check places a syntax error itself (it has just found it); Locate
	// leaves it where it is.
	bad := []byte("{\n  \"steps\": [}\n")
	c, diags, err = Check(bad)
	if err != nil || c != nil {
		t.Fatal(c, err)
	}
	if len(diags) != 1 || diags[0].Line != 2 || diags[0].Column != 13 {
		t.Errorf("Check placed the syntax error at %+v, want 2:13", diags)
	}
	diags.Locate(bad, c)
	if len(diags) != 1 || diags[0].Line != 2 || diags[0].Column != 13 {
		t.Errorf("syntax error located at %+v, want 2:13", diags)
	}
}

// FuzzLocate: whatever the input, every diagnostic of a config gets a
// position, and it is the start of a JSON value.
func FuzzLocate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, diags, err := Check(data)
		if err != nil {
			return
		}
		diags.Locate(data, c)
		for _, d := range diags {
			if d.Line < 1 || d.Column < 1 {
				t.Fatalf("%s at %q: no position", d.Code, d.Path)
			}
			if c == nil {
				continue
			}
			off := offsetOf(t, data, d.Line, d.Column)
			if _, err := ParseValue(firstValue(data[off:])); err != nil {
				t.Fatalf("%s at %q: %d:%d is not the start of a value: %v", d.Code, d.Path, d.Line, d.Column, err)
			}
		}
	})
}

// firstValue returns the text of the JSON value data starts with.
func firstValue(data []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if dec.Decode(&raw) != nil {
		return data
	}
	return raw
}
