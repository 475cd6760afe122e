package api

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/identoflow/identoflow/flow"
)

// hostileText is what a config or a server may hold: an OSC 52 clipboard
// write, a screen clear, a C1 CSI (U+009B), a right-to-left override, a
// line separator and DEL.
const hostileText = "a\x1b]52;c;b3duZWQ=\x07b\x1b[2Jc\u009b31md\u202ee\u2028f\x7fg"

// terminalSafe fails the test if text holds a character a terminal would
// act on: an invalid UTF-8 byte, or what flow.Unsafe names other than a
// newline, a tab or the CR of a CRLF.
func terminalSafe(t *testing.T, what, text string) {
	t.Helper()
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			t.Errorf("%s: invalid byte %#x at %d:\n%q", what, text[i], i, text)
		case r == '\r' && strings.HasPrefix(text[i:], "\r\n"), r == '\n', r == '\t':
		case flow.Unsafe(r):
			t.Errorf("%s: raw %U at %d:\n%q", what, r, i, text)
		}
		i += size
	}
}

// The dry run's Content-Length is that of the body shown, so two keys of
// different lengths give the same text.
func TestRedactedHidesTheKeyLength(t *testing.T) {
	short := newTestClient(t, "http://127.0.0.1:1", newFakeClock(), withKey(testKey))
	long := newTestClient(t, "http://127.0.0.1:1", newFakeClock(), withKey(testKey+"0123456789abcdef"))
	for _, enc := range Encodings() {
		a, err := short.BuildBeginRequest([]byte(wireConfig), enc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := long.BuildBeginRequest([]byte(wireConfig), enc)
		if err != nil {
			t.Fatal(err)
		}
		if a.Redacted() != b.Redacted() {
			t.Errorf("%v: the dry run depends on the key's length:\n%s\n%s", enc, a.Redacted(), b.Redacted())
		}
		head, body, _ := strings.Cut(a.Redacted(), "\n\n")
		if want := "\nContent-Length: " + strconv.Itoa(len(body)) + "\n"; !strings.Contains(head+"\n", want) {
			t.Errorf("%v: Content-Length is not the length of the body shown (%d):\n%s", enc, len(body), a.Redacted())
		}
	}
}

// A config's texts reach the dry run escaped in every encoding; a JSON
// body stays the same JSON value.
func TestRedactedEscapesContent(t *testing.T) {
	name, _ := json.Marshal(hostileText)
	config := `{"name":` + string(name) + `,"clientUserId":` + string(name) + `,` + string(name) + `:"x","steps":[{"type":"liveness"}]}`
	c := newTestClient(t, "http://127.0.0.1:1", newFakeClock())
	for _, enc := range Encodings() {
		req, err := c.BuildBeginRequest([]byte(configJSON(t, config)), enc)
		if err != nil {
			t.Fatal(err)
		}
		shown := req.Redacted()
		terminalSafe(t, enc.String(), shown)
		switch enc {
		case EncodingJSON:
			_, body, _ := strings.Cut(shown, "\n\n")
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil || got["name"] != hostileText || got["clientUserId"] != hostileText || got[hostileText] != "x" {
				t.Errorf("the JSON body shown is not the same value (%v):\n%s", err, body)
			}
		case EncodingMultipart:
			if !strings.Contains(shown, "\r\n\r\n"+flow.Visible(hostileText)+"\r\n") {
				t.Errorf("multipart value not shown visibly:\n%q", shown)
			}
		}
	}
}

// oneLine escapes exactly what flow.Unsafe names, as flow.Visible does,
// but for white space and line breaks, which collapse to one space: the
// joiners some scripts need in names stay.
func TestOneLineFollowsUnsafe(t *testing.T) {
	for in, want := range map[string]string{
		hostileText:                     `a\x1b]52;c;b3duZWQ=\ab\x1b[2Jc\u009b31md\u202ee f\x7fg`,
		"Mehr\u200cnaz \u200dx\ufeff":   "Mehr\u200cnaz \u200dx\ufeff", // ZWNJ, ZWJ, BOM: not Unsafe
		"bad \x9b byte\u0085next":       `bad \x9b byte next`,
		"  many\t\n  spaces \r\n\u2029": "many spaces",
	} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
