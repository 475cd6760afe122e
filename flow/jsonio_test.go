package flow

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrorsGiveLineAndColumn(t *testing.T) {
	tests := []struct {
		in        string
		line, col int
		msg       string
	}{
		{"", 1, 1, "unexpected end of input"},
		{"{\n  \"a\": 1,\n}", 3, 1, "expected a quoted member name"},
		{"{\"a\" 1}", 1, 6, "expected ':'"},
		{"{\"a\": tru}", 1, 7, `expected "true"`},
		{"[1, 2", 1, 6, "expected ',' or ']'"},
		{"{\"a\": \"x\n\"}", 1, 9, "control character"},
		{"{\"a\": \"\xff\"}", 1, 8, "invalid UTF-8"},
		{"{\"a\": 01}", 1, 8, "expected ',' or '}'"},
		{"{\"a\": -}", 1, 8, "expected a digit"},
		{"{\"a\": \"\\q\"}", 1, 8, "invalid escape"},
		{"{} {}", 1, 4, "after the end of the JSON value"},
		{"[1]", 1, 1, "must be a JSON object, not an array"},
		{"\"text\"", 1, 1, "not a string"},
		{" null", 1, 2, "a JSON object, not null"},
		{"\xff\xfe{\x00}\x00", 1, 1, "UTF-16"},
		{"{\x00\"\x00a\x00", 1, 1, "UTF-16"},
		{"{\"é\": \"ü\", x}", 1, 12, "expected a quoted member name"},
		{strings.Repeat("[", 300) + strings.Repeat("]", 300), 1, 258, "nesting is deeper"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): want a SyntaxError, got %v", tt.in, err)
			continue
		}
		if se.Line != tt.line || se.Column != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Parse(%q) = %d:%d %q; want %d:%d containing %q", tt.in, se.Line, se.Column, se.Msg, tt.line, tt.col, tt.msg)
		}
	}
}

func TestParseRefusesHugeInput(t *testing.T) {
	_, err := Parse(make([]byte, MaxFileSize+1))
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "16 MiB") {
		t.Fatalf("want a TooLargeError naming 16 MiB, got %v", err)
	}
	_, err = ReadAll(strings.NewReader(strings.Repeat(" ", MaxFileSize+10)))
	if !errors.As(err, &tl) {
		t.Fatalf("ReadAll: want a TooLargeError, got %v", err)
	}
}

func TestStringEscapesRoundTrip(t *testing.T) {
	in := `{"s":"a\"b\\c\/d\b\f\n\r\t\u0001\u00e9\ud83d\ude00\u2028<>&"}`
	v, err := ParseValue([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := v.Get("s").Str()
	if s != "a\"b\\c/d\b\f\n\r\t\x01é😀\u2028<>&" {
		t.Fatalf("decoded %q", s)
	}
	out := string(MarshalCompact(v))
	if out != `{"s":"a\"b\\c/d\b\f\n\r\t\u0001é😀\u2028<>&"}` {
		t.Fatalf("encoded %s", out)
	}
}

func TestByteOrderMarkIsAccepted(t *testing.T) {
	if _, err := Parse([]byte("\xef\xbb\xbf{\"steps\":[]}")); err != nil {
		t.Fatal(err)
	}
}

func TestValueEditing(t *testing.T) {
	a := NewArray(NewInt(0), NewInt(1), NewInt(2), NewInt(3))
	if !a.Move(0, 2) || string(MarshalCompact(a)) != "[1,2,0,3]" {
		t.Fatalf("Move(0,2): %s", MarshalCompact(a))
	}
	if !a.Move(3, 0) || string(MarshalCompact(a)) != "[3,1,2,0]" {
		t.Fatalf("Move(3,0): %s", MarshalCompact(a))
	}
	if a.Move(0, 4) || a.Move(-1, 0) {
		t.Fatal("out-of-range moves must fail")
	}
	a.RemoveAt(1)
	a.Insert(99, NewString("end"))
	if string(MarshalCompact(a)) != `[3,2,0,"end"]` {
		t.Fatalf("RemoveAt/Insert: %s", MarshalCompact(a))
	}
	o := NewObject()
	o.Set("b", NewInt(1), nil)
	o.Set("a", NewInt(2), nil)
	o.Set("b", NewInt(3), nil)
	if string(MarshalCompact(o)) != `{"b":3,"a":2}` || !o.Delete("b") || o.Delete("zz") {
		t.Fatalf("Set/Delete: %s", MarshalCompact(o))
	}
	c := o.Clone()
	c.Set("a", NewInt(9), nil)
	if n, _ := o.Get("a").Int(); n != 2 {
		t.Fatal("Clone shares state with the original")
	}
}

func TestEqualComparesValues(t *testing.T) {
	parse := func(s string) *Value {
		v, err := ParseValue([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if !Equal(parse(`{"a":1,"b":[1.0,"x"]}`), parse(`{"b":[1,"x"],"a":1e0}`)) {
		t.Error("member order and number spelling must not matter")
	}
	if Equal(parse(`{"a":1}`), parse(`{"a":1,"b":null}`)) || Equal(parse(`[1,2]`), parse(`[2,1]`)) {
		t.Error("different values compared equal")
	}
}

func TestLoneSurrogatesSurviveARoundTrip(t *testing.T) {
	in := `{"a":"x\ud800y","b":"\udfff","c":"\ud83d\ude00"}`
	v, err := ParseValue([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(MarshalCompact(v)); got != `{"a":"x\ud800y","b":"\udfff","c":"😀"}` {
		t.Fatalf("saved %s", got)
	}
}

func TestColumnsAfterAByteOrderMark(t *testing.T) {
	_, err := Parse([]byte("\xef\xbb\xbf{\"a\":}"))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 1 || se.Column != 6 {
		t.Fatalf("want 1:6, got %v", err)
	}
}

// Marshal sizes its buffer from the document, so it never grows it: the
// output fits the room it makes, at any depth, and the indents are right.
func TestMarshalSizesItsBuffer(t *testing.T) {
	deep := strings.Repeat(`{"a":[`, 40) + "1" + strings.Repeat("]}", 40)
	for _, data := range [][]byte{generateFlow(100), []byte(deep), []byte(`{"e":[],"o":{},"n":null,"t":true,"f":false,"s":"\u0001\"x"}`)} {
		v, err := ParseValue(data)
		if err != nil {
			t.Fatal(err)
		}
		out := Marshal(v)
		n := textSize(v, 0)
		if room := n + n/32 + 64; len(out) > room {
			t.Errorf("output of %d bytes does not fit the %d made for it", len(out), room)
		}
		if len(out) < n-n/10 {
			t.Errorf("output of %d bytes, estimated %d: far too much room", len(out), n)
		}
	}
	v, _ := ParseValue([]byte(deep))
	if out := Marshal(v); !strings.Contains(string(out), "\n"+strings.Repeat("  ", 80)+"1\n") {
		t.Errorf("the deepest value is not indented 80 levels:\n%s", out)
	}
}
