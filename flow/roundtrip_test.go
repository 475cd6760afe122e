package flow

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testdataFiles returns every .json file under the repository's testdata.
func testdataFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata files found")
	}
	return files
}

// testdataAndTemplates returns every testdata file and template, by name.
func testdataAndTemplates(t *testing.T) map[string][]byte {
	t.Helper()
	inputs := map[string][]byte{}
	for _, f := range testdataFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = data
	}
	for _, tpl := range Templates() {
		data, err := templateFiles.ReadFile("templates/" + tpl.Name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		inputs["template "+tpl.Name] = data
	}
	return inputs
}

// TestRoundTripKeepsTheJSONValue loads and saves every testdata file and
// every template without edits; encoding/json must see the same value.
func TestRoundTripKeepsTheJSONValue(t *testing.T) {
	for name, data := range testdataAndTemplates(t) {
		c, err := Parse(data)
		if err != nil {
			continue // not a config: nothing to round-trip
		}
		out := c.Bytes()
		var before, after any
		if err := json.Unmarshal(data, &before); err != nil {
			t.Fatalf("%s: encoding/json cannot read the input: %v", name, err)
		}
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("%s: saved output is not JSON: %v\n%s", name, err, out)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: value changed on round trip\nbefore: %s\nafter:  %s", name, data, out)
		}
		// Saving is deterministic and idempotent.
		c2, err := Parse(out)
		if err != nil {
			t.Fatalf("%s: cannot re-read saved output: %v", name, err)
		}
		if !bytes.Equal(c2.Bytes(), out) {
			t.Errorf("%s: second save differs from the first", name)
		}
	}
}

func TestSaveKeepsOrderLiteralsAndUnknownFields(t *testing.T) {
	data, err := os.ReadFile("../testdata/roundtrip/unknown-fields.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	out := string(c.Bytes())
	for _, want := range []string{
		`"x-team": {`,
		`2.50`, `1e3`, `-0`, `1.000`, // number literals kept as written
		`"future_flag": {`,
		`"x-ui": {`,
		`"ar": "سؤال"`,
		`<html> & \u2028`, // no HTML escaping; U+2028 escaped
	} {
		if !strings.Contains(out, want) {
			t.Errorf("saved file lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, `"key": "liveness"`) > strings.Index(out, `"type": "liveness"`) {
		t.Error("member order of the step was not kept")
	}
	if !strings.HasSuffix(out, "}\n") || strings.Contains(out, "\t\"") {
		t.Error("want two-space indent and a trailing newline")
	}
}

func TestNewMembersGoInCanonicalOrder(t *testing.T) {
	c, err := Parse([]byte(`{"steps":[{"flags":{},"type":"liveness"}],"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	c.SetString("name", "Ann")
	c.SetFlag("skip_face", NewBool(true))
	s := c.Steps()[0]
	s.Set("key", NewString("live"))
	got := string(MarshalCompact(c.Root()))
	// flags did not exist: it is created in canonical order (before steps);
	// the step's new key goes before the members that rank after it.
	want := `{"name":"Ann","flags":{"skip_face":true},"steps":[{"key":"live","flags":{},"type":"liveness"}],"x":1}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestRequestBodySendsEachNameOnce(t *testing.T) {
	c, err := Parse([]byte(`{"name":"a","steps":[{"type":"email","flags":{"require_email":false,"require_email":true}}],"name":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	got := string(c.RequestBody())
	want := `{"steps":[{"type":"email","flags":{"require_email":true}}],"name":"b"}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if !strings.Contains(string(c.Bytes()), `"name": "a"`) {
		t.Fatal("the saved file must keep both members")
	}
}
