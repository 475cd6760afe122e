package flow

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Table tests of SPEC §7: for every diagnostic code, configs that must
// produce it (with severity, code, exact JSON Pointer and a key phrase of
// the message) and near-miss configs that must not.

// wantDiag is one expected diagnostic; phrase must occur in its message.
type wantDiag struct {
	sev    Severity
	code   string
	path   string
	phrase string
}

func errAt(code, path, phrase string) wantDiag  { return wantDiag{SevError, code, path, phrase} }
func warnAt(code, path, phrase string) wantDiag { return wantDiag{SevWarning, code, path, phrase} }
func infoAt(code, path, phrase string) wantDiag { return wantDiag{SevInfo, code, path, phrase} }

// Builders for realistic configs. The base flags make a flow that is clean
// by itself: a return URL (no iframe-mode info) and both skip flags (no
// duplicate-step warnings).
const cleanFlags = `{"return_url": "https://example.com/done", "skip_face": true, "skip_document": true}`

func flowOf(steps ...string) string { return flowWith(cleanFlags, steps...) }

func flowWith(flags string, steps ...string) string {
	return `{"flags": ` + flags + `, "steps": [` + strings.Join(steps, ", ") + `]}`
}

func userQ(questions ...string) string {
	return `{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you"}, "questions": [` + strings.Join(questions, ", ") + `]}`
}

func operatorQ(extra string, questions ...string) string {
	return `{"type": "operator-questionnaire", "key": "review", "title": {"en": "Review"}` + extra + `, "questions": [` + strings.Join(questions, ", ") + `]}`
}

// Questions and options used across cases.
const (
	qEmployment = `{"type": "options", "key": "employment-status", "title": {"en": "Employment"}, "options": [` +
		`{"key": "employed", "title": {"en": "Employed"}}, {"key": "self-employed", "title": {"en": "Self-employed"}}]}`
	qName   = `{"type": "string", "key": "full-name", "title": {"en": "Your name"}}`
	qIncome = `{"type": "file", "key": "income-proof", "title": {"en": "Proof of income"}}`
)

func opt(key string) string { return `{"key": "` + key + `", "title": {"en": "` + key + `"}}` }

func choiceQ(typ, key string, extra string, options ...string) string {
	return `{"type": "` + typ + `", "key": "` + key + `", "title": {"en": "Question"}` + extra + `, "options": [` + strings.Join(options, ", ") + `]}`
}

// KYB building blocks.
const (
	companyStep = `{"type": "company", "key": "company", "title": {"en": "Company data"}, "fields": [` +
		`{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, ` +
		`{"type": "registrationCountry", "mandatory": true}, {"type": "taxId", "mandatory": false}]}`
	reviewStep = `{"type": "kyb-review", "key": "kyb-review", "title": {"en": "Checking the data"}}`
	person     = `{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}, {"type": "dateOfBirth", "mandatory": true}`
	// shareholderFields are both locked sets: a shareholder may be a
	// person or a company (SPEC §12).
	shareholderFields = `{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}, ` + person
)

func beneficiariesStep(extra, roles string) string {
	return `{"type": "beneficiaries", "key": "beneficiaries", "title": {"en": "Beneficiaries"}` + extra + `, "roles": {` + roles + `}}`
}

func role(name, verification string, fields ...string) string {
	return `"` + name + `": {"fields": [` + strings.Join(fields, ", ") + `], "verification": ` + verification + `}`
}

func companyWith(fields ...string) string {
	return `{"type": "company", "key": "company", "title": {"en": "Company data"}, "fields": [` + strings.Join(fields, ", ") + `]}`
}

type failCase struct {
	name   string
	config string
	want   []wantDiag
}

type passCase struct {
	name   string
	code   string // must not be reported
	config string
}

func check(t *testing.T, config string) (*Config, Diagnostics) {
	t.Helper()
	c, ds, err := Check([]byte(config))
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return c, ds
}

func dump(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n\t%s", d)
	}
	return b.String()
}

// runFail checks that, for every code the case names, the diagnostics of
// that code are exactly the wanted ones (same severity and path, message
// containing the phrase): nothing missing, nothing extra.
func runFail(t *testing.T, tc failCase) {
	t.Helper()
	_, ds := check(t, tc.config)
	codes := map[string]bool{}
	for _, w := range tc.want {
		codes[w.code] = true
	}
	var got Diagnostics
	for _, d := range ds {
		if codes[d.Code] {
			got = append(got, d)
		}
	}
	used := make([]bool, len(got))
	for _, w := range tc.want {
		found := false
		for i, d := range got {
			if !used[i] && d.Severity == w.sev && d.Code == w.code && d.Path == w.path && strings.Contains(d.Message, w.phrase) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing %s %s at %q with %q; all diagnostics:%s", w.sev, w.code, w.path, w.phrase, dump(ds))
		}
	}
	for i, d := range got {
		if !used[i] {
			t.Errorf("unexpected %s", d)
		}
	}
}

// runPass checks that a near-miss config does not get the code and is
// otherwise clean: no errors or warnings at all.
func runPass(t *testing.T, tc passCase) {
	t.Helper()
	_, ds := check(t, tc.config)
	for _, d := range ds {
		if d.Code == tc.code {
			t.Errorf("unexpected %s", d)
		} else if d.Severity != SevInfo {
			t.Errorf("near-miss config is not clean: %s", d)
		}
	}
}

func runTables(t *testing.T, fails []failCase, passes []passCase) {
	t.Helper()
	for _, tc := range fails {
		t.Run("fail/"+tc.name, func(t *testing.T) { runFail(t, tc) })
	}
	for _, tc := range passes {
		t.Run("pass/"+tc.name, func(t *testing.T) { runPass(t, tc) })
	}
}

func TestJSONSyntax(t *testing.T) {
	cases := []struct {
		name, input, phrase string
	}{
		{"stray comma", "{\n  \"steps\": [,]\n}", "line 2, column 13"},
		{"array document", `[{"type": "liveness"}]`, "line 1, column 1: a config must be a JSON object, not an array"},
		{"string document", `  "liveness"`, "line 1, column 3: a config must be a JSON object"},
		{"empty file", ``, "line 1, column 1"},
		{"unterminated", "{\"steps\": [\n  {\"type\": \"liveness\"}\n", "line 3, column 1"},
		{"trailing text", `{"steps": []} x`, "line 1, column 15"},
		{"single quotes", `{'steps': []}`, "line 1, column 2"},
		{"column counts runes", `{"name": "Über" x}`, "line 1, column 17"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ds, err := Check([]byte(tc.input))
			if err != nil || c != nil {
				t.Fatalf("want a nil config and a diagnostic, got %v, %v", c, err)
			}
			if len(ds) != 1 {
				t.Fatalf("want one diagnostic, got:%s", dump(ds))
			}
			d := ds[0]
			if d.Severity != SevError || d.Code != CodeJSONSyntax || d.Path != "" || !strings.Contains(d.Message, tc.phrase) {
				t.Fatalf("got %s; want error json-syntax at \"\" with %q", d, tc.phrase)
			}
		})
	}
	t.Run("pass/object with BOM", func(t *testing.T) {
		_, ds := check(t, "\uFEFF"+flowOf(`{"type": "liveness"}`))
		for _, d := range ds {
			if d.Code == CodeJSONSyntax {
				t.Fatalf("unexpected %s", d)
			}
		}
	})
}

func TestCheckTooLarge(t *testing.T) {
	data := make([]byte, MaxFileSize+1)
	_, _, err := Check(data)
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "MiB") {
		t.Fatalf("want a TooLargeError, got %v", err)
	}
}

func TestType(t *testing.T) {
	runTables(t, []failCase{
		{"flags as array (the guide's example)",
			`{"flags": [{"skip_face": true}], "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{errAt(CodeType, "/flags", `not [...]`)}},
		{"step flags as array", flowOf(`{"type": "liveness", "flags": ["liveness"]}`),
			[]wantDiag{errAt(CodeType, "/steps/0/flags", `"flags" must be an object, not an array`)}},
		{"steps as object", `{"flags": ` + cleanFlags + `, "steps": {"type": "liveness"}}`,
			[]wantDiag{errAt(CodeType, "/steps", `"steps" must be an array, not an object`)}},
		{"steps null", `{"flags": ` + cleanFlags + `, "steps": null}`,
			[]wantDiag{errAt(CodeType, "/steps", `not null`)}},
		{"step not an object", flowOf(`"liveness"`),
			[]wantDiag{errAt(CodeType, "/steps/0", `each step must be an object`)}},
		{"name as number", `{"name": 42, "flags": ` + cleanFlags + `, "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{errAt(CodeType, "/name", `"name" must be a string, not a number`)}},
		{"bool flag as string", flowOf(`{"type": "liveness", "flags": {"liveness": "true"}}`),
			[]wantDiag{errAt(CodeType, "/steps/0/flags/liveness", `true or false, not a string`)}},
		{"global bool flag as number", flowWith(`{"return_url": "https://example.com/done", "skip_desktop": 1}`, `{"type": "geolocation"}`),
			[]wantDiag{errAt(CodeType, "/flags/skip_desktop", `true or false`)}},
		{"list flag as string", flowOf(`{"type": "identity-document", "flags": {"document_types": "passport"}}`),
			[]wantDiag{errAt(CodeType, "/steps/0/flags/document_types", `an array of strings`)}},
		{"list item not a string", flowOf(`{"type": "language", "flags": {"languages": ["en", 7]}}`),
			[]wantDiag{errAt(CodeType, "/steps/0/flags/languages/1", `"languages" item 1 must be a string`)}},
		{"step key as number", flowOf(`{"type": "geolocation", "key": 3}`),
			[]wantDiag{errAt(CodeType, "/steps/0/key", `"key" must be a string`)}},
		{"step type as number", flowOf(`{"type": 3}`),
			[]wantDiag{errAt(CodeType, "/steps/0/type", `"type" must be a string`)}},
		{"localized text value", flowOf(`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you"}, "description": {"en": 5}, "questions": [` + qName + `]}`),
			[]wantDiag{errAt(CodeType, "/steps/0/description/en", `must be a string, not a number`)}},
		{"title neither text nor object", flowOf(`{"type": "liveness", "title": ["Liveness"]}`),
			[]wantDiag{errAt(CodeType, "/steps/0/title", `a string or a {language: text} object`)}},
		{"filesMaxCount not whole", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "filesMaxCount": 2.5}`)),
			[]wantDiag{errAt(CodeType, "/steps/0/questions/0/filesMaxCount", `a whole number`)}},
		{"filesMaxCount as string", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "filesMaxCount": "3"}`)),
			[]wantDiag{errAt(CodeType, "/steps/0/questions/0/filesMaxCount", `a whole number, not a string`)}},
		{"question not an object", flowOf(userQ(`"full-name"`)),
			[]wantDiag{errAt(CodeType, "/steps/0/questions/0", `each question must be an object`)}},
		{"option not an object", flowOf(userQ(choiceQ("options", "pick", "", `"yes"`))),
			[]wantDiag{errAt(CodeType, "/steps/0/questions/0/options/0", `each option must be an object`)}},
		{"showConditions as array", flowOf(userQ(qEmployment, `{"type": "string", "key": "business", "title": {"en": "Business"}, "showConditions": ["employment-status"]}`)),
			[]wantDiag{errAt(CodeType, "/steps/0/questions/1/showConditions", `showConditions must be an object`)}},
		{"role not an object", flowOf(companyStep, beneficiariesStep("", `"ubo": true`)),
			[]wantDiag{errAt(CodeType, "/steps/1/roles/ubo", `the "ubo" role must be an object`)}},
		{"verification as string", flowOf(companyStep, beneficiariesStep("", `"ubo": {"fields": [`+person+`], "verification": "yes"}`)),
			[]wantDiag{errAt(CodeType, "/steps/1/roles/ubo/verification", `true or false`)}},
		{"kyb field not an object", flowOf(companyWith(`"companyName"`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`)),
			[]wantDiag{errAt(CodeType, "/steps/0/fields/0", `each field must be an object`)}},
		{"schedule time as number", `{"scheduleStartTime": 1718868780, "flags": ` + cleanFlags + `, "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{errAt(CodeType, "/scheduleStartTime", `an RFC 3339 date-time string`)}},
		{"return_url as number", flowWith(`{"return_url": 5}`, `{"type": "geolocation"}`),
			[]wantDiag{errAt(CodeType, "/flags/return_url", `a URL string or null`)}},
	}, []passCase{
		{"flags as object", CodeType, `{"flags": {"return_url": "https://example.com/done", "skip_face": true}, "steps": [{"type": "liveness"}]}`},
		{"every field of the right type", CodeType,
			`{"name": "Branch 12", "clientUserId": "u-1", "groupId": "g-1", "parent_session_id": "s-1", "scheduleStartTime": "2024-06-20T07:33:00Z", "flags": ` + cleanFlags +
				`, "steps": [{"type": "language", "flags": {"languages": ["en"]}}, {"type": "liveness", "title": {"en": "Face check"}, "flags": {"liveness": false}}, ` +
				userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "filesMaxCount": 3.0}`) + `]}`},
	})
}

func TestRequired(t *testing.T) {
	runTables(t, []failCase{
		{"no steps and no config_id", `{"flags": ` + cleanFlags + `}`,
			[]wantDiag{errAt(CodeRequired, "/steps", `"steps" is required unless "config_id"`)}},
		{"no steps and an empty config_id", `{"config_id": "", "flags": ` + cleanFlags + `}`,
			[]wantDiag{errAt(CodeRequired, "/steps", `"steps" is required`)}},
		{"no steps and a null config_id", `{"config_id": null, "flags": ` + cleanFlags + `}`,
			[]wantDiag{errAt(CodeRequired, "/steps", `"steps" is required`)}},
		{"step without type", flowOf(`{"key": "face"}`),
			[]wantDiag{errAt(CodeRequired, "/steps/0/type", `the step has no "type"; add one of language, identity-document`)}},
		{"nested step without type", flowOf(`{"type": "video-call", "steps": [{"type": "liveness"}, {"key": "x"}]}`),
			[]wantDiag{errAt(CodeRequired, "/steps/0/steps/1/type", `no "type"`)}},
		{"question without key", flowOf(userQ(`{"type": "string", "title": {"en": "Name"}}`)),
			[]wantDiag{errAt(CodeRequired, "/steps/0/questions/0/key", `the question has no "key"`)}},
		{"question without type", flowOf(userQ(qName, `{"key": "age", "title": {"en": "Age"}}`)),
			[]wantDiag{errAt(CodeRequired, "/steps/0/questions/1/type", `the question has no "type"`)}},
		{"question without key and type", flowOf(userQ(`{"title": {"en": "Age"}}`)),
			[]wantDiag{
				errAt(CodeRequired, "/steps/0/questions/0/key", `no "key"`),
				errAt(CodeRequired, "/steps/0/questions/0/type", `no "type"`),
			}},
		{"option without key", flowOf(userQ(choiceQ("options", "pick", "", opt("yes"), `{"title": {"en": "No"}}`))),
			[]wantDiag{errAt(CodeRequired, "/steps/0/questions/0/options/1/key", `the option has no "key"`)}},
		{"blank question keys are missing, not duplicates", flowOf(userQ(`{"type": "string", "key": " ", "title": {"en": "Age"}}`, `{"type": "string", "key": " ", "title": {"en": ""}}`)),
			[]wantDiag{
				errAt(CodeRequired, "/steps/0/questions/0/key", `the question's key is empty; give it a short name such as "age"`),
				errAt(CodeRequired, "/steps/0/questions/1/key", `the question's key is empty; give it a short name`),
			}},
		{"empty question and option keys", flowOf(userQ(`{"type": "options", "key": " ", "title": {"en": "Employment status"}, "options": [{"key": "", "title": {"en": "Employed"}}]}`)),
			[]wantDiag{
				errAt(CodeRequired, "/steps/0/questions/0/key", `the question's key is empty; give it a short name such as "employment-status"`),
				errAt(CodeRequired, "/steps/0/questions/0/options/0/key", `the option's key is empty`),
			}},
		{"kyb field without type", flowOf(companyWith(`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`, `{"mandatory": false}`)),
			[]wantDiag{errAt(CodeRequired, "/steps/0/fields/3/type", `the field has no "type"`)}},
		{"condition without answer", flowOf(userQ(qEmployment, `{"type": "string", "key": "business", "title": {"en": "Business"}, "showConditions": {"questionKey": "employment-status"}}`)),
			[]wantDiag{errAt(CodeRequired, "/steps/0/questions/1/showConditions/answer", `showConditions has no "answer"`)}},
	}, []passCase{
		{"config_id without steps", CodeRequired, `{"config_id": "64b7f0c2a1d3e4f5a6b7c8d9", "flags": ` + cleanFlags + `}`},
		{"every step, question and option keyed", CodeRequired, flowOf(`{"type": "geolocation"}`, userQ(qEmployment, qName))},
	})
}

func TestEmpty(t *testing.T) {
	runTables(t, []failCase{
		{"empty steps without config_id", flowOf(),
			[]wantDiag{errAt(CodeEmpty, "/steps", `"steps" is empty`)}},
		{"choice question with empty options", flowOf(userQ(choiceQ("options", "pick", ""))),
			[]wantDiag{errAt(CodeEmpty, "/steps/0/questions/0/options", `an options question needs at least one option`)}},
		{"multiple-choice without options member", flowOf(userQ(`{"type": "multiple-choice", "key": "pick", "title": {"en": "Pick"}}`)),
			[]wantDiag{errAt(CodeEmpty, "/steps/0/questions/0/options", `multiple-choice question needs at least one option`)}},
		{"dropdown without options member", flowOf(operatorQ("", `{"type": "dropdown", "key": "verdict", "title": {"en": "Verdict"}}`)),
			[]wantDiag{errAt(CodeEmpty, "/steps/0/questions/0/options", `dropdown question needs at least one option`)}},
	}, []passCase{
		{"empty steps with config_id", CodeEmpty, `{"config_id": "64b7f0c2a1d3e4f5a6b7c8d9", "flags": ` + cleanFlags + `, "steps": []}`},
		{"one option is enough", CodeEmpty, flowOf(userQ(choiceQ("dropdown", "pick", "", opt("only"))))},
		{"text and file questions need no options", CodeEmpty, flowOf(userQ(qName, qIncome))},
	})
}

func TestUnknownStepType(t *testing.T) {
	runTables(t, []failCase{
		{"underscore instead of hyphen", flowOf(`{"type": "identity_document"}`),
			[]wantDiag{errAt(CodeUnknownStepType, "/steps/0/type", `unknown step type "identity_document" (did you mean "identity-document"?)`)}},
		{"typo", flowOf(`{"type": "livenes"}`),
			[]wantDiag{errAt(CodeUnknownStepType, "/steps/0/type", `did you mean "liveness"?`)}},
		{"case", flowOf(`{"type": "Geolocation"}`),
			[]wantDiag{errAt(CodeUnknownStepType, "/steps/0/type", `did you mean "geolocation"?`)}},
		{"nested in a video call", flowOf(`{"type": "video-call", "steps": [{"type": "face_document"}]}`),
			[]wantDiag{errAt(CodeUnknownStepType, "/steps/0/steps/0/type", `did you mean "face-document"?`)}},
		{"nothing near", flowOf(`{"type": "fingerprint"}`),
			[]wantDiag{errAt(CodeUnknownStepType, "/steps/0/type", `unknown step type "fingerprint"`)}},
	}, []passCase{
		{"every step type", CodeUnknownStepType, flowOf(`{"type": "language"}`, `{"type": "identity-document"}`, `{"type": "liveness"}`,
			`{"type": "general-document"}`, `{"type": "face-document"}`, `{"type": "phone-number", "flags": {"require_phone_number": true}}`,
			`{"type": "email", "flags": {"require_email_check": true}}`, `{"type": "geolocation"}`, companyStep,
			beneficiariesStep("", role("ubo", "false", person)), reviewStep,
			`{"type": "video-call", "steps": [{"type": "liveness", "key": "call-liveness"}]}`,
			userQ(qName), operatorQ("", `{"type": "string", "key": "notes", "title": {"en": "Notes"}}`))},
	})
	t.Run("no did-you-mean when nothing is near", func(t *testing.T) {
		_, ds := check(t, flowOf(`{"type": "fingerprint"}`))
		for _, d := range ds {
			if d.Code == CodeUnknownStepType && strings.Contains(d.Message, "did you mean") {
				t.Fatalf("unexpected suggestion: %s", d)
			}
		}
	})
}

func TestUnknownField(t *testing.T) {
	runTables(t, []failCase{
		{"top-level typo", `{"nmae": "Branch 12", "flags": ` + cleanFlags + `, "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{warnAt(CodeUnknownField, "/nmae", `unknown field "nmae" (did you mean "name"?)`)}},
		{"global flag typo", flowWith(`{"return_url": "https://example.com/done", "skip_face": true, "skip_faces": true}`, `{"type": "liveness"}`),
			[]wantDiag{warnAt(CodeUnknownField, "/flags/skip_faces", `did you mean "skip_face"?`)}},
		{"guide's misspelt video-call flag", flowOf(`{"type": "video-call", "flags": {"multiple_participans": true}, "steps": []}`),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/flags/multiple_participans", `did you mean "multiple_participants"?`)}},
		{"global flag at the top level", `{"skip_face": true, "flags": {"return_url": "https://example.com/done"}, "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{warnAt(CodeUnknownField, "/skip_face", `move it into "flags"`)}},
		{"step flag among global flags", flowWith(`{"return_url": "https://example.com/done", "document_types": ["passport"]}`, `{"type": "geolocation"}`),
			[]wantDiag{warnAt(CodeUnknownField, "/flags/document_types", `flag of the "identity-document" step`)}},
		{"global flag among step flags", flowOf(`{"type": "liveness", "flags": {"skip_face": true}}`),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/flags/skip_face", `it is a global flag`)}},
		{"languages at the top of the language step", flowOf(`{"type": "language", "languages": ["en", "ka"]}`),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/languages", `move it into /steps/0/flags`)}},
		{"video-call steps inside flags", flowOf(`{"type": "video-call", "flags": {"steps": []}}`),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/flags/steps", `it belongs at the top of the step`)}},
		{"step field typo", flowOf(`{"type": "liveness", "tittle": "Face"}`),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/tittle", `did you mean "title"?`)}},
		{"step flag typo", flowOf(`{"type": "identity-document", "flags": {"document_type": ["passport"]}}`),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/flags/document_type", `did you mean "document_types"?`)}},
		{"question field typo", flowOf(userQ(`{"type": "string", "key": "age", "title": {"en": "Age"}, "mandatroy": true}`)),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/questions/0/mandatroy", `did you mean "mandatory"?`)}},
		{"option field typo", flowOf(userQ(choiceQ("options", "pick", "", `{"key": "yes", "tile": {"en": "Yes"}}`))),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/questions/0/options/0/tile", `did you mean "title"?`)}},
		{"condition field typo", flowOf(userQ(qEmployment, `{"type": "string", "key": "business", "title": {"en": "Business"}, "showConditions": {"questionKey": "employment-status", "answer": "self-employed", "answers": "x"}}`)),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/questions/1/showConditions/answers", `did you mean "answer"?`)}},
		{"role member typo", flowOf(companyStep, beneficiariesStep("", `"ubo": {"fields": [`+person+`], "verfication": false}`)),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/1/roles/ubo/verfication", `did you mean "verification"?`)}},
		{"kyb field member typo", flowOf(companyWith(`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true, "mandatroy": true}`)),
			[]wantDiag{warnAt(CodeUnknownField, "/steps/0/fields/2/mandatroy", `did you mean "mandatory"?`)}},
		{"name needing RFC 6901 escapes", flowWith(`{"return_url": "https://example.com/done", "a/b~c": 1}`, `{"type": "geolocation"}`),
			[]wantDiag{warnAt(CodeUnknownField, "/flags/a~1b~0c", `unknown field "a/b~c"; it is kept as is`)}},
	}, []passCase{
		{"multiple_participants is the flag", CodeUnknownField, flowOf(`{"type": "video-call", "flags": {"multiple_participants": true, "resetSteps": false, "hideCameraOption": true, "nameRequired": true}, "steps": []}`)},
		{"$schema and every top-level field", CodeUnknownField,
			`{"$schema": "https://example.com/identoflow.schema.json", "config_id": "64b7f0c2a1d3e4f5a6b7c8d9", "name": "n", "clientUserId": "u", "groupId": "g", "parent_session_id": "p", ` +
				`"scheduleStartTime": "2024-06-20T07:33:00Z", "scheduleEndTime": "2024-06-20T08:33:00Z", "flags": {"return_url": "https://example.com/done", "language": "en", "skip_desktop": false, ` +
				`"switch_device_url": "https://example.com/switch", "restrict_url_sharing": true, "optional_continue_on_another_device": false, "requireHdMedia": true}}`},
	})
}

func TestUnknownFieldIsKeptVerbatim(t *testing.T) {
	in := `{"flags": {"return_url": "https://example.com/done", "vendor_beta": {"x": [1, 2.50]}}, "steps": [{"type": "geolocation", "note": "kept"}]}`
	c, ds := check(t, in)
	before := string(c.Bytes())
	if !strings.Contains(before, `"vendor_beta"`) || !strings.Contains(before, `2.50`) || !strings.Contains(before, `"note": "kept"`) {
		t.Fatalf("unknown members were not kept:\n%s", before)
	}
	if n := len(slices.DeleteFunc(slices.Clone(ds), func(d Diagnostic) bool { return d.Code != CodeUnknownField })); n != 2 {
		t.Fatalf("want 2 unknown-field warnings, got:%s", dump(ds))
	}
	Validate(c)
	if after := string(c.Bytes()); after != before {
		t.Fatalf("Validate changed the config:\n%s\nwant:\n%s", after, before)
	}
}

func TestDuplicateKey(t *testing.T) {
	runTables(t, []failCase{
		{"step keys", flowOf(`{"type": "liveness", "key": "face"}`, `{"type": "face-document", "key": "face"}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/key", `step key "face" is already used in this session; step keys must be unique (try "face-2")`)}},
		{"each later occurrence", flowOf(`{"type": "geolocation", "key": "check"}`, `{"type": "liveness", "key": "check"}`, `{"type": "face-document", "key": "check"}`),
			[]wantDiag{
				errAt(CodeDuplicateKey, "/steps/1/key", `"check"`),
				errAt(CodeDuplicateKey, "/steps/2/key", `"check"`),
			}},
		{"default keys", flowOf(`{"type": "phone-number", "flags": {"require_phone_number": true}}`, `{"type": "phone-number", "flags": {"require_phone_number_check": true}}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/key", `step key "phone_number" is already used in this session (the default key of a "phone-number" step`)}},
		{"explicit key equal to another step's default", flowOf(`{"type": "liveness"}`, `{"type": "face-document", "key": "liveness"}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/key", `"liveness"`)}},
		{"nested video-call step against a top-level one", flowOf(`{"type": "liveness"}`, `{"type": "video-call", "steps": [{"type": "liveness"}]}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/steps/0/key", `step key "liveness"`)}},
		{"top-level step after a nested one", flowOf(`{"type": "video-call", "steps": [{"type": "identity-document", "key": "doc"}]}`, `{"type": "identity-document", "key": "doc"}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/key", `step key "doc"`)}},
		{"two video calls' nested steps", flowOf(`{"type": "video-call", "key": "call-1", "steps": [{"type": "liveness", "key": "l"}]}`, `{"type": "video-call", "key": "call-2", "steps": [{"type": "liveness", "key": "l"}]}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/steps/0/key", `step key "l"`)}},
		{"question keys", flowOf(userQ(qName, qEmployment, `{"type": "string", "key": "full-name", "title": {"en": "Again"}}`)),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/0/questions/2/key", `question key "full-name" is already used in this questionnaire`)}},
		{"option keys within a question", flowOf(userQ(choiceQ("multiple-choice", "pick", "", opt("a"), opt("b"), opt("a")))),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/0/questions/0/options/2/key", `option key "a" is already used in this question; option keys must be unique within it (try "a-2")`)}},
		{"keys in an operator questionnaire", flowOf(operatorQ("", choiceQ("dropdown", "verdict", "", opt("ok")), choiceQ("dropdown", "verdict", "", opt("ok2")))),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/0/questions/1/key", `question key "verdict"`)}},
	}, []passCase{
		{"distinct step keys, nested included", CodeDuplicateKey, flowOf(`{"type": "liveness"}`, `{"type": "video-call", "steps": [{"type": "liveness", "key": "call-liveness"}, {"type": "identity-document"}]}`)},
		{"same question and option keys in different questionnaires", CodeDuplicateKey, flowOf(
			`{"type": "user-questionnaire", "key": "first", "title": {"en": "First"}, "questions": [`+choiceQ("options", "consent", "", opt("yes"), opt("no"))+`]}`,
			`{"type": "user-questionnaire", "key": "second", "title": {"en": "Second"}, "questions": [`+choiceQ("options", "consent", "", opt("yes"), opt("no"))+`]}`)},
		{"an option key may equal a question key", CodeDuplicateKey, flowOf(userQ(choiceQ("options", "employed", "", opt("employed"), opt("not-employed"))))},
	})
}

func TestEnum(t *testing.T) {
	runTables(t, []failCase{
		{"global language", flowWith(`{"return_url": "https://example.com/done", "language": "english"}`, `{"type": "geolocation"}`),
			[]wantDiag{errAt(CodeEnum, "/flags/language", `"english" is not allowed for "language"`)}},
		{"hy as the global language is a warning (§12)", flowWith(`{"return_url": "https://example.com/done", "language": "hy"}`, `{"type": "geolocation"}`),
			[]wantDiag{warnAt(CodeEnum, "/flags/language", `"hy" is offered by the language step but not as the interface language`)}},
		{"language step languages", flowOf(`{"type": "language", "flags": {"languages": ["en", "xx"]}}`),
			[]wantDiag{errAt(CodeEnum, "/steps/0/flags/languages/1", `"xx" is not allowed for "languages"`)}},
		{"document types", flowOf(`{"type": "identity-document", "flags": {"document_types": ["id", "passprt"]}}`),
			[]wantDiag{errAt(CodeEnum, "/steps/0/flags/document_types/1", `did you mean "passport"?`)}},
		{"nested document types", flowOf(`{"type": "video-call", "steps": [{"type": "identity-document", "flags": {"document_types": ["drivers_license"]}}]}`),
			[]wantDiag{errAt(CodeEnum, "/steps/0/steps/0/flags/document_types/0", `did you mean "driver_license"?`)}},
		{"general document types", flowOf(`{"type": "general-document", "flags": {"general_document_types": ["bank-statement"]}}`),
			[]wantDiag{errAt(CodeEnum, "/steps/0/flags/general_document_types/0", `did you mean "bank_statement"?`)}},
		{"file types", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "fileTypes": ["pdf", "docx"]}`)),
			[]wantDiag{errAt(CodeEnum, "/steps/0/questions/0/fileTypes/1", `"docx" is not allowed for "fileTypes"`)}},
		{"question types", flowOf(userQ(`{"type": "checkboxes", "key": "pick", "title": {"en": "Pick"}}`)),
			[]wantDiag{errAt(CodeEnum, "/steps/0/questions/0/type", `"checkboxes" is not allowed for "type"`)}},
		{"question type spelling", flowOf(userQ(choiceQ("multiple_choice", "pick", "", opt("a")))),
			[]wantDiag{errAt(CodeEnum, "/steps/0/questions/0/type", `did you mean "multiple-choice"?`)}},
		{"kyb field types", flowOf(companyWith(`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`, `{"type": "vatNumber", "mandatory": false}`, `{"type": "taxID", "mandatory": false}`)),
			[]wantDiag{
				errAt(CodeEnum, "/steps/0/fields/3/type", `"vatNumber" is not allowed`),
				errAt(CodeEnum, "/steps/0/fields/4/type", `did you mean "taxId"?`),
			}},
		{"roles", flowOf(companyStep, beneficiariesStep("", role("ubos", "false", person))),
			[]wantDiag{errAt(CodeEnum, "/steps/1/roles/ubos", `"ubos" is not a role (did you mean "ubo"?)`)}},
		{"language of a localized text", flowOf(`{"type": "user-questionnaire", "key": "survey", "title": {"eng": "About you", "en": "About you"}, "questions": [` + qName + `]}`),
			[]wantDiag{errAt(CodeEnum, "/steps/0/title/eng", `"eng" is not a language code (did you mean "en"?)`)}},
		{"language of an option title", flowOf(userQ(choiceQ("options", "pick", "", `{"key": "a", "title": {"en": "A", "EN": "A"}}`))),
			[]wantDiag{errAt(CodeEnum, "/steps/0/questions/0/options/0/title/EN", `did you mean "en"?`)}},
	}, []passCase{
		{"hy in the language step and in texts", CodeEnum, flowOf(`{"type": "language", "flags": {"languages": ["en", "hy"]}}`,
			`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you", "hy": "Ձեր մասին"}, "questions": [{"type": "string", "key": "n", "title": {"en": "Name", "hy": "Անուն"}}]}`)},
		{"every allowed value", CodeEnum, flowWith(`{"return_url": "https://example.com/done", "language": "ka", "skip_face": true, "skip_document": true}`,
			`{"type": "language", "flags": {"languages": ["en", "ka", "gr", "sv"]}}`,
			`{"type": "identity-document", "flags": {"document_types": ["id", "passport", "driver_license", "residence_license"]}}`,
			`{"type": "general-document", "flags": {"general_document_types": ["bank_statement", "utility_bill", "yellow_slip", "drivers_license", "vehicle_registration_certificate"]}}`)},
	})
}

func TestCountryCode(t *testing.T) {
	countries := func(codes string) string {
		return flowOf(`{"type": "identity-document", "flags": {"document_countries": [` + codes + `]}}`)
	}
	runTables(t, []failCase{
		{"alpha-2 hints alpha-3", countries(`"GEO", "US"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/1", `this is an alpha-2 code; use the alpha-3 code "USA"`)}},
		{"lower case hints upper case", countries(`"usa"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `country codes are upper case: use "USA"`)}},
		{"lower-case alpha-2", countries(`"de"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `use the alpha-3 code "DEU"`)}},
		{"UK", countries(`"UK"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `"GBR"`)}},
		{"numeric code", countries(`"840"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `this is a numeric code; use the alpha-3 code "USA"`)}},
		{"withdrawn code", countries(`"BUR"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `no longer in use; use "MMR"`)}},
		{"made up", countries(`"ABC"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `"ABC" is not an ISO 3166-1 alpha-3 country code; use an ISO 3166-1 alpha-3 code`)}},
		{"reserved, not a country", countries(`"EU", "ASC"`),
			[]wantDiag{
				errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `"EU"`),
				errAt(CodeCountryCode, "/steps/0/flags/document_countries/1", `"ASC"`),
			}},
		{"inside a video call", flowOf(`{"type": "video-call", "steps": [{"type": "identity-document", "flags": {"document_countries": ["GE"]}}]}`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/steps/0/flags/document_countries/0", `"GEO"`)}},
	}, []passCase{
		{"alpha-3 upper case", CodeCountryCode, countries(`"USA", "GEO", "DEU", "GBR", "ALA", "SSD", "CUW"`)},
		{"no list means all", CodeCountryCode, countries(``)},
	})
}

func TestURL(t *testing.T) {
	withFlags := func(flags string) string { return flowWith(flags, `{"type": "geolocation"}`) }
	runTables(t, []failCase{
		{"return_url without scheme", withFlags(`{"return_url": "example.com/done"}`),
			[]wantDiag{errAt(CodeURL, "/flags/return_url", `"example.com/done" is not an absolute http(s) URL`)}},
		{"return_url relative", withFlags(`{"return_url": "/done"}`),
			[]wantDiag{errAt(CodeURL, "/flags/return_url", `not an absolute http(s) URL`)}},
		{"return_url other scheme", withFlags(`{"return_url": "ftp://example.com/done"}`),
			[]wantDiag{errAt(CodeURL, "/flags/return_url", `not an absolute http(s) URL`)}},
		{"return_url with a space", withFlags(`{"return_url": "https://example.com/a b"}`),
			[]wantDiag{errAt(CodeURL, "/flags/return_url", `not an absolute http(s) URL`)}},
		{"return_url without host", withFlags(`{"return_url": "https://"}`),
			[]wantDiag{errAt(CodeURL, "/flags/return_url", `not an absolute http(s) URL`)}},
		{"return_url empty", withFlags(`{"return_url": ""}`),
			[]wantDiag{errAt(CodeURL, "/flags/return_url", `"return_url" is empty`)}},
		{"return_url plain http is a warning", withFlags(`{"return_url": "http://example.com/done"}`),
			[]wantDiag{warnAt(CodeURL, "/flags/return_url", `uses plain http`)}},
		{"switch_device_url relative", withFlags(`{"return_url": "https://example.com/done", "switch_device_url": "switch"}`),
			[]wantDiag{errAt(CodeURL, "/flags/switch_device_url", `not an absolute http(s) URL`)}},
		{"switch_device_url plain http is a warning", withFlags(`{"return_url": "https://example.com/done", "switch_device_url": "http://example.com/switch"}`),
			[]wantDiag{warnAt(CodeURL, "/flags/switch_device_url", `uses plain http`)}},
	}, []passCase{
		{"https URLs", CodeURL, withFlags(`{"return_url": "https://example.com/done?from=kyc", "switch_device_url": "https://example.com/switch"}`)},
		{"empty switch_device_url means no QR", CodeURL, withFlags(`{"return_url": "https://example.com/done", "switch_device_url": ""}`)},
		{"null URLs", CodeURL, withFlags(`{"return_url": null, "switch_device_url": null}`)},
	})
}

// sched is a clean flow scheduled from start to end.
func sched(start, end string) string {
	return `{"scheduleStartTime": "` + start + `", "scheduleEndTime": "` + end + `", "flags": ` + cleanFlags + `, "steps": [{"type": "video-call", "steps": []}]}`
}

func TestDatetimeAndScheduleOrder(t *testing.T) {
	runTables(t, []failCase{
		{"start not RFC 3339", sched("2024-06-20 07:33:00", "2024-06-20T09:00:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `"2024-06-20 07:33:00" is not an RFC 3339 date-time`)}},
		{"end without zone", sched("2024-06-20T07:33:00Z", "2024-06-20T09:00:00"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleEndTime", `not an RFC 3339 date-time`)}},
		{"date only", sched("2024-06-20", "2024-06-21T09:00:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `RFC 3339`)}},
		{"end equal to start", sched("2024-06-20T07:33:00Z", "2024-06-20T07:33:00.000Z"),
			[]wantDiag{errAt(CodeScheduleOrder, "/scheduleEndTime", `is not after scheduleStartTime`)}},
		{"end before start", sched("2024-06-20T09:00:00Z", "2024-06-20T07:00:00Z"),
			[]wantDiag{errAt(CodeScheduleOrder, "/scheduleEndTime", `is not after scheduleStartTime`)}},
		{"end before start across zones", sched("2024-06-20T09:00:00Z", "2024-06-20T10:00:00+02:00"),
			[]wantDiag{errAt(CodeScheduleOrder, "/scheduleEndTime", `not after`)}},
		{"offset hour 24", sched("2024-06-20T07:00:00+24:00", "2024-06-21T09:00:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `"2024-06-20T07:00:00+24:00" is not an RFC 3339 date-time`)}},
		{"offset minute 60", sched("2024-06-20T07:00:00Z", "2024-06-21T09:00:00-05:60"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleEndTime", `not an RFC 3339 date-time`)}},
	}, []passCase{
		{"RFC 3339 with fraction and offset", CodeDatetime, sched("2024-06-20T07:33:00.000Z", "2024-06-20T12:00:00+04:00")},
		{"later in absolute time though earlier on the clock", CodeScheduleOrder, sched("2024-06-20T10:00:00+02:00", "2024-06-20T09:00:00Z")},
		{"start only", CodeScheduleOrder, `{"scheduleStartTime": "2024-06-20T07:33:00Z", "flags": ` + cleanFlags + `, "steps": [{"type": "geolocation"}]}`},
	})
}

func TestRange(t *testing.T) {
	file := func(n string) string {
		return flowOf(userQ(`{"type": "file", "key": "docs", "title": {"en": "Documents"}, "filesMaxCount": ` + n + `}`))
	}
	runTables(t, []failCase{
		{"zero", file("0"), []wantDiag{errAt(CodeRange, "/steps/0/questions/0/filesMaxCount", `filesMaxCount is 0; it must be from 1 to 10`)}},
		{"eleven", file("11"), []wantDiag{errAt(CodeRange, "/steps/0/questions/0/filesMaxCount", `filesMaxCount is 11`)}},
		{"negative", file("-1"), []wantDiag{errAt(CodeRange, "/steps/0/questions/0/filesMaxCount", `from 1 to 10`)}},
		{"too large for an int", file("99999999999999999999999"),
			[]wantDiag{errAt(CodeRange, "/steps/0/questions/0/filesMaxCount", `filesMaxCount is 99999999999999999999999; it must be from 1 to 10`)}},
		{"huge exponent", file("1e400"), []wantDiag{errAt(CodeRange, "/steps/0/questions/0/filesMaxCount", `filesMaxCount is 1e400`)}},
		{"huge negative", file("-1e30"), []wantDiag{errAt(CodeRange, "/steps/0/questions/0/filesMaxCount", `filesMaxCount is -1e30`)}},
	}, []passCase{
		{"one", CodeRange, file("1")},
		{"ten", CodeRange, file("10")},
		{"ten as 1e1", CodeRange, file("1e1")},
	})
}

func TestNestedStep(t *testing.T) {
	call := func(inner ...string) string {
		return flowOf(`{"type": "video-call", "steps": [` + strings.Join(inner, ", ") + `]}`)
	}
	runTables(t, []failCase{
		{"language", call(`{"type": "language"}`),
			[]wantDiag{errAt(CodeNestedStep, "/steps/0/steps/0", `a "language" step cannot run inside a video call`)}},
		{"operator questionnaire", call(`{"type": "liveness"}`, operatorQ("", qName)),
			[]wantDiag{errAt(CodeNestedStep, "/steps/0/steps/1", `"operator-questionnaire" step cannot run inside a video call`)}},
		{"video call", call(`{"type": "video-call", "key": "inner-call", "steps": []}`),
			[]wantDiag{errAt(CodeNestedStep, "/steps/0/steps/0", `"video-call" step cannot run inside a video call`)}},
	}, []passCase{
		{"other steps", CodeNestedStep, call(`{"type": "identity-document"}`, `{"type": "liveness"}`, `{"type": "face-document"}`, userQ(qName))},
		{"language and operator questionnaire next to the call", CodeNestedStep, flowOf(`{"type": "language"}`, `{"type": "video-call", "steps": [{"type": "liveness"}]}`, operatorQ("", qName))},
	})
}

func TestConflict(t *testing.T) {
	doc := func(flags string) string { return flowOf(`{"type": "identity-document", "flags": {` + flags + `}}`) }
	runTables(t, []failCase{
		{"capture disabled, upload absent", doc(`"disable_document_capture": true`),
			[]wantDiag{errAt(CodeConflict, "/steps/0/flags/disable_document_capture", `set allow_document_upload to true`)}},
		{"capture disabled, upload false", doc(`"disable_document_capture": true, "allow_document_upload": false`),
			[]wantDiag{errAt(CodeConflict, "/steps/0/flags/disable_document_capture", `allow_document_upload is not true`)}},
		{"inside a video call", flowOf(`{"type": "video-call", "steps": [{"type": "identity-document", "flags": {"disable_document_capture": true}}]}`),
			[]wantDiag{errAt(CodeConflict, "/steps/0/steps/0/flags/disable_document_capture", `allow_document_upload`)}},
	}, []passCase{
		{"upload only", CodeConflict, doc(`"disable_document_capture": true, "allow_document_upload": true`)},
		{"capture only", CodeConflict, doc(`"disable_document_capture": false, "allow_document_upload": false`)},
	})
}

func TestDuplicateStep(t *testing.T) {
	runTables(t, []failCase{
		{"liveness without skip_face", flowWith(`{"return_url": "https://example.com/done", "skip_document": true}`, `{"type": "identity-document"}`, `{"type": "liveness"}`),
			[]wantDiag{warnAt(CodeDuplicateStep, "/steps/1", `a liveness step without flags.skip_face true`)}},
		{"identity-document without skip_document", flowWith(`{"return_url": "https://example.com/done", "skip_face": true, "skip_document": false}`, `{"type": "identity-document"}`, `{"type": "liveness"}`),
			[]wantDiag{warnAt(CodeDuplicateStep, "/steps/0", `an identity-document step without flags.skip_document true`)}},
		{"no flags at all", `{"flags": {"return_url": "https://example.com/done"}, "steps": [{"type": "identity-document"}, {"type": "liveness"}]}`,
			[]wantDiag{
				warnAt(CodeDuplicateStep, "/steps/0", `skip_document`),
				warnAt(CodeDuplicateStep, "/steps/1", `skip_face`),
			}},
		{"inside a video call", flowWith(`{"return_url": "https://example.com/done", "skip_document": true}`, `{"type": "video-call", "steps": [{"type": "identity-document"}, {"type": "liveness"}]}`),
			[]wantDiag{warnAt(CodeDuplicateStep, "/steps/0/steps/1", `skip_face`)}},
	}, []passCase{
		{"both skip flags true", CodeDuplicateStep, flowOf(`{"type": "identity-document"}`, `{"type": "liveness"}`)},
		{"no such steps need no flags", CodeDuplicateStep, flowWith(`{"return_url": "https://example.com/done"}`, `{"type": "geolocation"}`, `{"type": "face-document"}`)},
	})
}

func TestStepsOverrideAndIframeMode(t *testing.T) {
	runTables(t, []failCase{
		{"config_id with steps", `{"config_id": "64b7f0c2a1d3e4f5a6b7c8d9", "flags": ` + cleanFlags + `, "steps": [{"type": "liveness"}]}`,
			[]wantDiag{infoAt(CodeStepsOverride, "/steps", `these steps replace its steps of the same key`)}},
		{"no return_url", `{"flags": {"skip_face": true}, "steps": [{"type": "liveness"}]}`,
			[]wantDiag{infoAt(CodeIframeMode, "/flags/return_url", `meant to run in an iframe`)}},
		{"null return_url", `{"flags": {"return_url": null}, "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{infoAt(CodeIframeMode, "/flags/return_url", `iframe`)}},
		{"no flags at all", `{"steps": [{"type": "geolocation"}]}`,
			[]wantDiag{infoAt(CodeIframeMode, "/flags/return_url", `iframe`)}},
	}, []passCase{
		{"config_id alone", CodeStepsOverride, `{"config_id": "64b7f0c2a1d3e4f5a6b7c8d9", "flags": ` + cleanFlags + `}`},
		{"steps alone", CodeStepsOverride, flowOf(`{"type": "liveness"}`)},
		{"empty config_id with steps", CodeStepsOverride, `{"config_id": "", "flags": ` + cleanFlags + `, "steps": [{"type": "liveness"}]}`},
		{"return_url set", CodeIframeMode, flowOf(`{"type": "liveness"}`)},
	})
}

func TestCredential(t *testing.T) {
	const companyKey = "ck_live_7f3a9b2c1d4e5f60718293a4b5c6d7e8"
	const secretKey = "sk_live_0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	runTables(t, []failCase{
		{"company_key", `{"company_key": "` + companyKey + `", "flags": ` + cleanFlags + `, "steps": [{"type": "liveness"}]}`,
			[]wantDiag{errAt(CodeCredential, "/company_key", `"company_key" is a credential and must not be in a config file; remove it and set IDENTOMAT_COMPANY_KEY`)}},
		{"secret_key", `{"flags": ` + cleanFlags + `, "steps": [{"type": "liveness"}], "secret_key": "` + secretKey + `"}`,
			[]wantDiag{errAt(CodeCredential, "/secret_key", `IDENTOMAT_SECRET_KEY`)}},
	}, []passCase{
		{"no credentials", CodeCredential, flowOf(`{"type": "liveness"}`)},
	})
	t.Run("the credential never reaches a message", func(t *testing.T) {
		for _, cfg := range []string{
			`{"company_key": "` + companyKey + `", "secret_key": "` + secretKey + `", "steps": [{"type": "liveness"}]}`,
			`{"flags": {"company_key": "` + companyKey + `"}, "steps": [{"type": "liveness", "secret_key": "` + secretKey + `"}]}`,
			`{"company_key": ["` + companyKey + `"], "secret_key": {"value": "` + secretKey + `"}}`,
		} {
			_, ds := check(t, cfg)
			if len(ds) == 0 {
				t.Fatal("want diagnostics")
			}
			for _, d := range ds {
				if strings.Contains(d.String(), companyKey) || strings.Contains(d.String(), secretKey) {
					t.Errorf("a secret reached a diagnostic: %s", d)
				}
			}
		}
	})
}

// TestSortedByPath checks the order: paths compare token by token with
// array indexes as numbers, then errors before warnings before infos.
func TestSortedByPath(t *testing.T) {
	steps := make([]string, 12)
	for i := range steps {
		steps[i] = fmt.Sprintf(`{"type": "geolocation", "key": "geo-%d"}`, i)
	}
	steps[2] = `{"type": "phone-number"}`
	steps[10] = `{"type": "email"}`
	steps[11] = `{"type": "livenes"}`
	_, ds := check(t, `{"flags": {"skip_face": "yes"}, "steps": [`+strings.Join(steps, ", ")+`], "nmae": "x"}`)
	var paths []string
	for _, d := range ds {
		paths = append(paths, d.Path)
	}
	want := []string{"/flags/return_url", "/flags/skip_face", "/nmae", "/steps/2", "/steps/10", "/steps/11/type"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("paths %q, want %q; diagnostics:%s", paths, want, dump(ds))
	}
	for i := 1; i < len(ds); i++ {
		if ComparePointers(ds[i-1].Path, ds[i].Path) > 0 {
			t.Fatalf("not sorted at %d:%s", i, dump(ds))
		}
	}

	t.Run("severity breaks ties", func(t *testing.T) {
		_, ds := check(t, `{"flags": {"return_url": "http://example.com/done", "skip_face": true}, "steps": [{"type": "liveness", "flags": {"liveness": true, "allow_face_upload": "yes"}}]}`)
		_, ds2 := check(t, `{"steps": [{"type": "liveness"}], "company_key": "x"}`)
		ds = append(ds, ds2...)
		ds = append(ds, Diagnostic{Severity: SevInfo, Code: CodeIframeMode, Path: "/company_key"}, Diagnostic{Severity: SevWarning, Code: CodeURL, Path: "/company_key"})
		ds.Sort()
		var at []Severity
		for _, d := range ds {
			if d.Path == "/company_key" {
				at = append(at, d.Severity)
			}
		}
		if !reflect.DeepEqual(at, []Severity{SevError, SevWarning, SevInfo}) {
			t.Fatalf("severities at /company_key: %v; want error, warning, info", at)
		}
	})
}

func TestComparePointers(t *testing.T) {
	ordered := []string{
		"",
		"/flags",
		"/flags/return_url",
		"/steps",
		"/steps/0",
		"/steps/0/flags",
		"/steps/2",
		"/steps/2/questions/9/key",
		"/steps/2/questions/10",
		"/steps/10",
		"/steps/10/steps/0/type",
		"/steps/11",
	}
	for i := range ordered {
		for j := range ordered {
			got := ComparePointers(ordered[i], ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("ComparePointers(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

// messyConfig has findings of many kinds in many places, to exercise
// ordering and determinism.
const messyConfig = `{
  "nmae": "x", "company_key": "k",
  "flags": {"language": "hy", "return_url": "http://example.com", "skip_faces": true, "a/b": 1},
  "scheduleStartTime": "2024-06-20T09:00:00Z", "scheduleEndTime": "2024-06-20T08:00:00Z",
  "steps": [
    {"type": "language", "flags": {"languages": ["en", "ka", "xx"]}},
    {"type": "beneficiaries", "roles": {"ubos": {}, "ubo": {"fields": [{"type": "companyName"}], "verification": true}, "shareholder": {"fields": [], "verification": true}}},
    {"type": "identity_document"},
    {"type": "identity-document", "flags": {"document_countries": ["US", "usa", "GEO"], "disable_document_capture": true}},
    {"type": "video-call", "flags": {"multiple_participans": true}, "steps": [{"type": "language"}, {"type": "liveness", "flags": {"liveness": true, "allow_face_upload": true}}, {"type": "phone-number"}]},
    {"type": "liveness"},
    {"type": "operator-questionnaire", "key": "q", "title": "Review", "successButtonTitle": "OK", "questions": [
      {"type": "options", "key": "a", "title": "A", "multiple": true, "answer": "z", "options": [{"key": "x", "title": "X"}, {"key": "y"}]},
      {"type": "file", "key": "f", "title": {"en": "F"}, "filesMaxCount": 12, "answer": "f.pdf"},
      {"type": "string", "key": "b", "mandatory": true, "readOnly": true, "showConditions": {"questionKey": "a", "answer": "w"}},
      {"type": "string", "key": "c", "showConditions": {"questionKey": "f", "answer": "x"}},
      {"type": "string", "key": "a", "options": [{"key": "x"}], "showConditions": {"questionKey": "d", "answer": "x"}},
      {"type": "dropdown", "key": "d"}
    ]},
    {"type": "company", "fields": [{"type": "companyName", "mandatory": false}]},
    {"type": "kyb-review"}
  ]
}`

func TestDeterministic(t *testing.T) {
	c1, d1 := check(t, messyConfig)
	d2 := Validate(c1)
	c3, d3 := check(t, messyConfig)
	d4 := Validate(c3.Clone())
	if len(d1) < 40 {
		t.Fatalf("the messy config should have many findings, got %d:%s", len(d1), dump(d1))
	}
	for i, ds := range []Diagnostics{d2, d3, d4} {
		if !reflect.DeepEqual(d1, ds) {
			t.Fatalf("run %d differs:%s\nfirst run:%s", i+2, dump(ds), dump(d1))
		}
	}
	for i := 1; i < len(d1); i++ {
		if ComparePointers(d1[i-1].Path, d1[i].Path) > 0 {
			t.Fatalf("not sorted at %d:%s", i, dump(d1))
		}
	}
	// Every code of the messy config is one §7 names (or credential).
	known := []string{CodeJSONSyntax, CodeType, CodeRequired, CodeEmpty, CodeUnknownStepType, CodeUnknownField, CodeDuplicateKey, CodeEnum,
		CodeCountryCode, CodeURL, CodeDatetime, CodeScheduleOrder, CodeRange, CodeNestedStep, CodeLockedMandatory, CodeRoleField,
		CodeConditionTarget, CodeConditionAnswer, CodeConditionOrder, CodeAnswer, CodeConflict, CodeIgnoredFlag, CodeDuplicateStep,
		CodeLocalize, CodeMissingTranslation, CodeUnreachable, CodeKYBOrder, CodeConfigMissing, CodeStepsOverride, CodeIframeMode, CodeCredential}
	for _, d := range d1 {
		if !slices.Contains(known, d.Code) {
			t.Errorf("unknown code: %s", d)
		}
		if d.Message == "" || d.Path == "" {
			t.Errorf("diagnostic without message or path: %s", d)
		}
		if !strings.HasPrefix(d.Path, "/") || strings.Contains(d.Path, "//") {
			t.Errorf("not an RFC 6901 pointer: %q", d.Path)
		}
	}
}

// TestPathsResolve checks that every diagnostic's path names a member of
// the document, or a missing member (one a fix would add) whose parent
// exists.
func TestPathsResolve(t *testing.T) {
	addable := []string{"type", "key", "options", "mandatory", "return_url", "questionKey", "answer"}
	c, ds := check(t, messyConfig)
	for _, d := range ds {
		toks := SplitPointer(d.Path)
		v := c.Root()
		for i, tok := range toks {
			var next *Value
			if v.Is(Array) {
				n := -1
				fmt.Sscan(tok, &n)
				next = v.Item(n)
			} else {
				next = v.Get(tok)
			}
			if next == nil {
				if i != len(toks)-1 || !v.Is(Object) || !slices.Contains(addable, tok) {
					t.Errorf("path %q does not resolve (stops at %q): %s", d.Path, tok, d)
				}
				break
			}
			v = next
		}
	}
}

func TestDidYouMean(t *testing.T) {
	cases := []struct {
		name, config, path, suggestion string
	}{
		{"step type", flowOf(`{"type": "identity_document"}`), "/steps/0/type", "identity-document"},
		{"global flag", flowWith(`{"return_url": "https://example.com/done", "skip_faces": true}`, `{"type": "geolocation"}`), "/flags/skip_faces", "skip_face"},
		{"step flag", flowOf(`{"type": "face-document", "flags": {"allow_face_doc_uplaod": true}}`), "/steps/0/flags/allow_face_doc_uplaod", "allow_face_doc_upload"},
		{"transposed step member", flowOf(`{"type": "liveness", "tpye": "liveness"}`), "/steps/0/tpye", "type"},
		{"language of a text", flowOf(companyStep, `{"type": "kyb-review", "title": {"en": "Review", "eng": "Review"}}`), "/steps/1/title/eng", "en"},
		{"option key in an answer", flowOf(userQ(choiceQ("options", "pick", `, "answer": "employd"`, opt("employed"), opt("retired")))), "/steps/0/questions/0/answer", "employed"},
		{"option key in a condition", flowOf(userQ(qEmployment, `{"type": "string", "key": "b", "title": {"en": "B"}, "showConditions": {"questionKey": "employment-status", "answer": "employd"}}`)), "/steps/0/questions/1/showConditions/answer", "employed"},
		{"question key in a condition", flowOf(userQ(qEmployment, `{"type": "string", "key": "b", "title": {"en": "B"}, "showConditions": {"questionKey": "employment_status", "answer": "employed"}}`)), "/steps/0/questions/1/showConditions/questionKey", "employment-status"},
		{"role", flowOf(companyStep, beneficiariesStep("", `"Director": {"fields": [`+person+`]}`)), "/steps/1/roles/Director", "director"},
		{"document type", flowOf(`{"type": "identity-document", "flags": {"document_types": ["Passport"]}}`), "/steps/0/flags/document_types/0", "passport"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := check(t, tc.config)
			want := fmt.Sprintf("did you mean %q?", tc.suggestion)
			for _, d := range ds {
				if d.Path == tc.path && strings.Contains(d.Message, want) {
					return
				}
			}
			t.Fatalf("no %s at %s:%s", want, tc.path, dump(ds))
		})
	}
}

func TestSuggest(t *testing.T) {
	cases := []struct {
		in   string
		cand []string
		want string
	}{
		{"identity_document", StepTypes(), "identity-document"},
		{"skip_faces", fieldNames(globalFlags), "skip_face"},
		{"eng", languages, "en"},
		{"EN", languages, "en"},
		{"multiple_participans", []string{"resetSteps", "multiple_participants"}, "multiple_participants"},
		{"fingerprint", StepTypes(), ""},
		{"x", languages, ""},
		{"nmae", fieldNames(topFields), "name"},   // one adjacent swap is one slip
		{"falgs", fieldNames(topFields), "flags"}, // ... even in short names
		{"otehr", roles, "other"},
		{"enam", fieldNames(topFields), ""}, // two swaps are not near
	}
	for _, tc := range cases {
		if got := Suggest(tc.in, tc.cand); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// codeOfFile returns the diagnostic code a testdata/invalid file is named
// after (NAME.json or NAME-anything.json), or "".
func codeOfFile(name string, codes []string) string {
	base := strings.TrimSuffix(name, ".json")
	best := ""
	for _, c := range codes {
		if (base == c || strings.HasPrefix(base, c+"-")) && len(c) > len(best) {
			best = c
		}
	}
	return best
}

// TestTestdata validates the shared example configs: the valid ones have
// no errors or warnings; each invalid one named after a code has it.
// codeSeverity is each code's severity in SPEC §7 ("hy" as the interface
// language is the one enum that is a warning; the testdata does not use it).
var codeSeverity = map[string]Severity{
	CodeJSONSyntax: SevError, CodeType: SevError, CodeRequired: SevError, CodeEmpty: SevError,
	CodeUnknownStepType: SevError, CodeUnknownField: SevWarning, CodeDuplicateKey: SevError, CodeEnum: SevError,
	CodeCountryCode: SevError, CodeURL: SevError, CodeDatetime: SevError, CodeScheduleOrder: SevError,
	CodeRange: SevError, CodeNestedStep: SevError, CodeLockedMandatory: SevError, CodeRoleField: SevError,
	CodeConditionTarget: SevError, CodeConditionAnswer: SevError, CodeConditionOrder: SevWarning, CodeAnswer: SevError,
	CodeConflict: SevError, CodeIgnoredFlag: SevWarning, CodeDuplicateStep: SevWarning, CodeLocalize: SevWarning,
	CodeMissingTranslation: SevWarning, CodeUnreachable: SevWarning, CodeKYBOrder: SevWarning, CodeConfigMissing: SevWarning,
	CodeStepsOverride: SevInfo, CodeIframeMode: SevInfo, CodeCredential: SevError,
}

func TestTestdata(t *testing.T) {
	codes := []string{CodeJSONSyntax, CodeType, CodeRequired, CodeEmpty, CodeUnknownStepType, CodeUnknownField, CodeDuplicateKey, CodeEnum,
		CodeCountryCode, CodeURL, CodeDatetime, CodeScheduleOrder, CodeRange, CodeNestedStep, CodeLockedMandatory, CodeRoleField,
		CodeConditionTarget, CodeConditionAnswer, CodeConditionOrder, CodeAnswer, CodeConflict, CodeIgnoredFlag, CodeDuplicateStep,
		CodeLocalize, CodeMissingTranslation, CodeUnreachable, CodeKYBOrder, CodeConfigMissing, CodeStepsOverride, CodeIframeMode, CodeCredential}
	valid, _ := filepath.Glob(filepath.Join("..", "testdata", "valid", "*.json"))
	invalid, _ := filepath.Glob(filepath.Join("..", "testdata", "invalid", "*.json"))
	if len(valid) == 0 || len(invalid) == 0 {
		t.Fatalf("want example configs in testdata/valid and testdata/invalid, found %d and %d", len(valid), len(invalid))
	}
	for _, f := range valid {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, ds := check(t, string(data))
			for _, d := range ds {
				if d.Severity != SevInfo {
					t.Errorf("%s", d)
				}
			}
		})
	}
	covered := map[string]bool{}
	for _, f := range invalid {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, ds := check(t, string(data))
			code := codeOfFile(filepath.Base(f), codes)
			for _, d := range ds {
				if (code == "" && d.Severity != SevInfo) || (d.Code == code && d.Severity == codeSeverity[code]) {
					covered[code] = true
					return
				}
			}
			t.Errorf("no %q diagnostic:%s", cmp.Or(code, "error or warning"), dump(ds))
		})
	}
	for _, c := range codes {
		if c != CodeStepsOverride && c != CodeIframeMode && !covered[c] {
			t.Errorf("no testdata/invalid/%s.json example", c)
		}
	}
}

func TestDuplicateMember(t *testing.T) {
	_, diags := check(t, `{"name": "a", "name": "b", "steps": [{"type": "email", "flags": {"require_email": true, "require_email": false}}]}`)
	var got []string
	for _, d := range diags {
		if d.Code == CodeDuplicateMember {
			got = append(got, d.Path)
		}
	}
	if strings.Join(got, " ") != "/name /steps/0/flags/require_email" {
		t.Fatalf("duplicate members reported at %v; all: %s", got, dump(diags))
	}
	// The rest is judged on the last value of each name, which is what is sent.
	_, diags = check(t, `{"flags": {"language": "xx", "language": "en"}, "steps": [{"type": "email", "flags": {"require_email": true}}]}`)
	if len(diags) != 2 || diags[0].Code != CodeDuplicateMember || diags[1].Code != CodeIframeMode {
		t.Fatalf("a shadowed value was judged: %s", dump(diags))
	}
	_, diags = check(t, `{"flags": {"language": "en", "language": "xx"}, "steps": [{"type": "email", "flags": {"require_email": true}}]}`)
	if !slices.ContainsFunc(diags, func(d Diagnostic) bool { return d.Code == CodeEnum && d.Path == "/flags/language" }) {
		t.Fatalf("the value sent was not judged: %s", dump(diags))
	}
	_, diags = check(t, `{"name": "a", "steps": [{"type": "email", "flags": {"require_email": true}}]}`)
	for _, d := range diags {
		if d.Code == CodeDuplicateMember {
			t.Fatalf("unexpected %s", d)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	for s, ok := range map[string]bool{
		"2024-06-20T07:33:00.000Z":  true,
		"2024-06-20t07:33:00z":      true,
		"2024-06-20T07:33:00+02:00": true,
		"2024-06-20T07:33:00-23:59": true,
		"2024-06-20T07:33:00+24:00": false,
		"2024-06-20T07:33:00+02:60": false,
		"2024-06-20T07:33:00,5Z":    false,
		"2024-06-20 07:33:00Z":      false,
		"2024-06-20T25:33:00Z":      false,
		"2024-06-20":                false,
	} {
		if _, err := ParseDateTime(s); (err == nil) != ok {
			t.Errorf("ParseDateTime(%q) error = %v, want ok=%v", s, err, ok)
		}
	}
}

// The key a duplicate-key message suggests is free in the whole session,
// not only among the keys before it.
func TestDuplicateKeyHintIsFree(t *testing.T) {
	_, diags := check(t, `{"steps": [{"type": "email", "key": "a", "flags": {"require_email": true}}, {"type": "email", "key": "a", "flags": {"require_email": true}}, {"type": "email", "key": "a-2", "flags": {"require_email": true}}]}`)
	for _, d := range diags {
		if d.Code == CodeDuplicateKey {
			if !strings.Contains(d.Message, `(try "a-3")`) {
				t.Fatalf("hint %q, want a-3: a-2 is taken", d.Message)
			}
			return
		}
	}
	t.Fatalf("no duplicate-key: %s", dump(diags))
}
