package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
)

func addSeeds(f *testing.F) {
	for _, name := range testdataFiles(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tpl := range Templates() {
		data, err := templateFiles.ReadFile("templates/" + tpl.Name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "{", "[]", `{"steps":[{"type":"video-call","steps":[{"type":"video-call"}]}]}`, "\xef\xbb\xbf{}", `{"a":"\ud800"}`} {
		f.Add([]byte(s))
	}
}

// FuzzParse: the loader never panics; what it accepts, encoding/json reads
// as the same value, and saving is stable.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseValue(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("want a SyntaxError with a position, got %v", err)
			}
			return
		}
		out := Marshal(v)
		v2, err := ParseValue(out)
		if err != nil {
			t.Fatalf("cannot re-read saved output: %v\n%s", err, out)
		}
		if !Equal(v, v2) || !bytes.Equal(Marshal(v2), out) {
			t.Fatalf("save is not stable:\n%s\n%s", out, Marshal(v2))
		}
		var want, got any
		if err := json.Unmarshal(bytes.TrimPrefix(data, bomUTF8), &want); err != nil {
			var ute *json.UnmarshalTypeError
			if errors.As(err, &ute) {
				return // a number beyond float64: encoding/json cannot hold it
			}
			t.Fatalf("accepted input that encoding/json rejects: %v", err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("saved output is not JSON to encoding/json: %v", err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("value changed:\nin:  %s\nout: %s", data, out)
		}
	})
}

// FuzzValidate: validation never panics, is deterministic and sorted.
func FuzzValidate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, diags, err := Check(data)
		if err != nil {
			return
		}
		if c == nil {
			if len(diags) != 1 || diags[0].Code != CodeJSONSyntax {
				t.Fatalf("a document that does not load must give one json-syntax diagnostic, got %v", diags)
			}
			return
		}
		again := Validate(c)
		if !reflect.DeepEqual(diags, again) {
			t.Fatal("validation is not deterministic")
		}
		for i := 1; i < len(diags); i++ {
			if ComparePointers(diags[i-1].Path, diags[i].Path) > 0 {
				t.Fatalf("diagnostics not sorted: %s before %s", diags[i-1].Path, diags[i].Path)
			}
		}
		for _, d := range diags {
			if d.Message == "" || d.Code == "" || (d.Severity != SevError && d.Severity != SevWarning && d.Severity != SevInfo) {
				t.Fatalf("malformed diagnostic %+v", d)
			}
		}
		// Editing operations on whatever loaded must not panic either.
		c.WalkSteps(func(p StepPath, s Step) {
			_ = s.EffectiveKey()
			_ = s.Title().In("en")
		})
		if _, err := c.InsertStep(nil, 0, "liveness"); err == nil {
			_ = Validate(c)
		}
	})
}
