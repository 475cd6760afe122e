package flow

import (
	"strings"
	"testing"
)

func compact(v *Value) string { return string(MarshalCompact(v)) }

func TestValueAt(t *testing.T) {
	root := mustParse(t, `{"a": {"b/c": [10, {"d~e": true}]}, "": 1}`).Root()
	for _, tc := range []struct {
		pointer, want string
	}{
		{"", `{"a":{"b/c":[10,{"d~e":true}]},"":1}`},
		{"/a/b~1c/0", `10`},
		{"/a/b~1c/1/d~0e", `true`},
		{"/", `1`},
		{"/a/b~1c/01", ``}, // a leading zero names no item
		{"/a/b~1c/2", ``},
		{"/a/x", ``},
		{"/a/b~1c/0/x", ``},
	} {
		got := root.At(tc.pointer)
		if (got == nil) != (tc.want == "") || (got != nil && compact(got) != tc.want) {
			t.Errorf("At(%q) = %s, want %s", tc.pointer, compact(got), tc.want)
		}
	}
}

func TestRenameMember(t *testing.T) {
	for _, tc := range []struct {
		name, doc, pointer, to string
		want, err              string
	}{
		{"keeps value and place", `{"flags": {"language": "en", "retrun_url": "https://x.example/done", "skip_face": true}}`,
			"/flags/retrun_url", "return_url", `{"flags":{"language":"en","return_url":"https://x.example/done","skip_face":true}}`, ""},
		{"deep", `{"steps": [{"type": "user-questionnaire", "questions": [{"key": "q", "placeholdr": "x"}]}]}`,
			"/steps/0/questions/0/placeholdr", "placeholder", `{"steps":[{"type":"user-questionnaire","questions":[{"key":"q","placeholder":"x"}]}]}`, ""},
		{"the target exists", `{"flags": {"retrun_url": "a", "return_url": "b"}}`,
			"/flags/retrun_url", "return_url", `{"flags":{"retrun_url":"a","return_url":"b"}}`, "already there"},
		{"no such member", `{"flags": {}}`, "/flags/x", "y", `{"flags":{}}`, "no member"},
		{"an item is no member", `{"steps": [{}]}`, "/steps/0", "x", `{"steps":[{}]}`, "no member"},
		{"the root is no member", `{}`, "", "x", `{}`, "names no member"},
		{"empty name", `{"a": 1}`, "/a", "", `{"a":1}`, "empty"},
		{"the one that counts of a repeat", `{"a": 1, "b": 2, "a": 3}`, "/a", "c", `{"a":1,"b":2,"c":3}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.doc)
			err := c.RenameMember(tc.pointer, tc.to)
			if (err != nil) != (tc.err != "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
			if got := compact(c.Root()); got != tc.want {
				t.Fatalf("got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestDeleteMember(t *testing.T) {
	c := mustParse(t, `{"steps": [{"type": "company", "company_key": "k", "key": "c", "company_key": "k2"}], "x": 1}`)
	if err := c.DeleteMember("/steps/0/company_key"); err != nil {
		t.Fatal(err)
	}
	if got, want := compact(c.Root()), `{"steps":[{"type":"company","key":"c"}],"x":1}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if err := c.DeleteMember("/steps/0/company_key"); err == nil {
		t.Fatal("deleting a member that is gone did not fail")
	}
	if err := c.DeleteMember("/steps/0"); err == nil {
		t.Fatal("deleting an array item as a member did not fail")
	}
}

// A rename under /steps can change a step's effective key behind the key
// index's back: the next new step must still get the key that is free.
func TestRenameMemberKeepsStepKeysRight(t *testing.T) {
	c := mustParse(t, `{"steps": [{"type": "email", "kye": "mail"}]}`)
	if _, err := c.InsertStep(nil, 1, "liveness"); err != nil { // builds the key index
		t.Fatal(err)
	}
	if err := c.RenameMember("/steps/0/kye", "key"); err != nil {
		t.Fatal(err)
	}
	p, err := c.InsertStep(nil, 2, "email")
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := LookupStep("email")
	if s, _ := c.StepAt(p); s.Key() != spec.DefaultKey {
		t.Fatalf("new email step keyed %q, want %q (free since the rename)", s.Key(), spec.DefaultKey)
	}
}

// diagAt is the diagnostic of code at path.
func diagAt(t *testing.T, ds Diagnostics, code, path string) Diagnostic {
	t.Helper()
	for _, d := range ds {
		if d.Code == code && d.Path == path {
			return d
		}
	}
	t.Fatalf("no %s at %s in %v", code, path, ds)
	return Diagnostic{}
}

func TestSuggestionsAndApplyingThem(t *testing.T) {
	for _, tc := range []struct {
		name, doc, code, path, meant, want string
	}{
		{"unknown global flag", `{"flags": {"retrun_url": "https://x.example/d", "skip_face": true}, "steps": [{"type": "liveness"}]}`,
			CodeUnknownField, "/flags/retrun_url", "return_url",
			`{"flags":{"return_url":"https://x.example/d","skip_face":true},"steps":[{"type":"liveness"}]}`},
		{"unknown top-level field", `{"nmae": "x", "steps": [{"type": "email"}]}`,
			CodeUnknownField, "/nmae", "name", `{"name":"x","steps":[{"type":"email"}]}`},
		{"unknown step member", `{"steps": [{"type": "liveness", "titel": "t"}]}`,
			CodeUnknownField, "/steps/0/titel", "title", `{"steps":[{"type":"liveness","title":"t"}]}`},
		{"the misspelt video-call flag", `{"steps": [{"type": "video-call", "flags": {"multiple_participans": true}, "steps": []}]}`,
			CodeUnknownField, "/steps/0/flags/multiple_participans", "multiple_participants",
			`{"steps":[{"type":"video-call","flags":{"multiple_participants":true},"steps":[]}]}`},
		{"step type, content kept", `{"steps": [{"type": "identity_document", "key": "doc", "flags": {"document_types": ["passport"]}}]}`,
			CodeUnknownStepType, "/steps/0/type", "identity-document",
			`{"steps":[{"type":"identity-document","key":"doc","flags":{"document_types":["passport"]}}]}`},
		{"alpha-2 country, in place", `{"steps": [{"type": "identity-document", "flags": {"document_countries": ["USA", "GE", "DEU"]}}]}`,
			CodeCountryCode, "/steps/0/flags/document_countries/1", "GEO",
			`{"steps":[{"type":"identity-document","flags":{"document_countries":["USA","GEO","DEU"]}}]}`},
		{"lower-case country", `{"steps": [{"type": "identity-document", "flags": {"document_countries": ["deu"]}}]}`,
			CodeCountryCode, "/steps/0/flags/document_countries/0", "DEU",
			`{"steps":[{"type":"identity-document","flags":{"document_countries":["DEU"]}}]}`},
		{"enum value", `{"steps": [{"type": "identity-document", "flags": {"document_types": ["id", "pasport"]}}]}`,
			CodeEnum, "/steps/0/flags/document_types/1", "passport",
			`{"steps":[{"type":"identity-document","flags":{"document_types":["id","passport"]}}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustParse(t, tc.doc)
			d := diagAt(t, Validate(c), tc.code, tc.path)
			if d.Suggestion != tc.meant {
				t.Fatalf("suggestion %q, want %q (%s)", d.Suggestion, tc.meant, d.Message)
			}
			if !strings.Contains(d.Message, `"`+tc.meant+`"`) {
				t.Fatalf("the message does not name the suggestion: %s", d.Message)
			}
			if err := c.ApplySuggestion(d); err != nil {
				t.Fatal(err)
			}
			if got := compact(c.Root()); got != tc.want {
				t.Fatalf("got %s\nwant %s", got, tc.want)
			}
			for _, after := range Validate(c) {
				if after.Code == tc.code && after.Path == tc.path {
					t.Fatalf("still reported after the fix: %v", after)
				}
			}
		})
	}
}

func TestNoSuggestionWhenNothingIsNear(t *testing.T) {
	c := mustParse(t, `{"zzzzzz": 1, "steps": [{"type": "qqqq", "flags": {"document_countries": ["AAA"]}}, {"type": "identity-document", "flags": {"document_countries": ["AAA"]}}]}`)
	ds := Validate(c)
	for _, d := range []Diagnostic{
		diagAt(t, ds, CodeUnknownField, "/zzzzzz"),
		diagAt(t, ds, CodeUnknownStepType, "/steps/0/type"),
		diagAt(t, ds, CodeCountryCode, "/steps/1/flags/document_countries/0"),
	} {
		if d.Suggestion != "" {
			t.Errorf("%s: suggestion %q for a name nothing is near", d.Path, d.Suggestion)
		}
		if err := c.ApplySuggestion(d); err == nil {
			t.Errorf("%s: applying no suggestion did not fail", d.Path)
		}
	}
}

func TestMaskCredentials(t *testing.T) {
	c := mustParse(t, `{"company_key": "k1", "flags": {"secretKey": "k2", "skip_face": true}, "steps": [{"type": "company", "Company_Key": {"nested": "k3"}}]}`)
	before := compact(c.Root())
	got := compact(MaskCredentials(c.Root(), "••••"))
	want := `{"company_key":"••••","flags":{"secretKey":"••••","skip_face":true},"steps":[{"type":"company","Company_Key":"••••"}]}`
	if got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if compact(c.Root()) != before {
		t.Fatal("masking changed the config")
	}
	plain := mustParse(t, `{"steps": [{"type": "email"}]}`).Root()
	if MaskCredentials(plain, "x") != plain {
		t.Fatal("a config without credentials was copied")
	}
	if got := compact(StripCredentials(c.Root())); got != `{"flags":{"skip_face":true},"steps":[{"type":"company"}]}` {
		t.Fatalf("strip: %s", got)
	}
}
