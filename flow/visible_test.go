package flow

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVisible(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"ქართული", "ქართული"},
		{"مرحبا", "مرحبا"},
		{"a\x1b[2Jb", `a\x1b[2Jb`},
		{"bell\a", `bell\a`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"rlo\u202etxt.exe", `rlo\u202etxt.exe`},
		{"iso\u2066x\u2069", `iso\u2066x\u2069`},
		{"del\x7f", `del\x7f`},
		{"tab\tnl\n", `tab\tnl\n`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"osc\x1b]52;c;aGk=\a", `osc\x1b]52;c;aGk=\a`},
	} {
		if got := Visible(tc.in); got != tc.want {
			t.Errorf("Visible(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestVisibleLines(t *testing.T) {
	if got, want := VisibleLines("a\x1b\r\nb\u202e\nc"), "a\\x1b\nb\\u202e\nc"; got != want {
		t.Errorf("VisibleLines = %q, want %q", got, want)
	}
}

func TestEscapeJSONIsLossless(t *testing.T) {
	in := map[string]string{"name": "x\u202ey\u009b\x7f\u2028z", "ok": "ქართული <&>"}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeJSON(raw)
	for _, bad := range []string{"\u202e", "\u009b", "\x7f", "\u2028"} {
		if json.Valid(out) && strings.Contains(string(out), bad) {
			t.Errorf("EscapeJSON left %q raw in %s", bad, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("escaped output is not JSON: %v\n%s", err, out)
	}
	if back["name"] != in["name"] || back["ok"] != in["ok"] {
		t.Errorf("round trip changed the values: %q", back)
	}
}

func TestMarshalEscapesUnsafeRunes(t *testing.T) {
	c, err := Parse([]byte("{\"name\":\"a\u202eb\u009bc\x7f\"}"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(c.Bytes())
	want := "{\n  \"name\": \"a\\u202eb\\u009bc\\u007f\"\n}\n"
	if got != want {
		t.Fatalf("Bytes = %q, want %q", got, want)
	}
	back, err := Parse(c.Bytes())
	if err != nil || back.String("name") != "a\u202eb\u009bc\x7f" {
		t.Fatalf("reparse = %q, %v", back.String("name"), err)
	}
}
