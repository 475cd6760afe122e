package export

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/identoflow/identoflow/flow"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time as editors check it
	const loc = "file:///identoflow.schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(loc) // also checks it against the 2020-12 meta-schema
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

func validateJSON(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("test config is not JSON: %v\n%s", err, data)
	}
	return sch.Validate(inst)
}

func TestSchemaAcceptsShippedConfigs(t *testing.T) {
	sch := compileSchema(t)
	configs := shippedConfigs(t)
	configs = append(configs, namedConfig{"tricky", readConfig(t, filepath.Join("testdata", "tricky-config.json"))})
	for _, nc := range configs {
		if err := validateJSON(t, sch, nc.c.Bytes()); err != nil {
			t.Errorf("%s: %v", nc.name, err)
		}
	}
}

// A liveness step, for configs that need one valid step.
const okSteps = `"steps": [{"type": "liveness", "flags": {"liveness": false}}]`

// KYB building blocks for schema cases.
const (
	schemaCompanyFields = `{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}`
	schemaCompany       = `{"type": "company", "fields": [` + schemaCompanyFields + `]}`
	schemaPerson        = `{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}, {"type": "dateOfBirth", "mandatory": true}`
)

func TestSchemaAgreesWithTheValidator(t *testing.T) {
	tests := []struct {
		name, config string
		valid        bool
	}{
		// Accepted: what the tool sends, warnings included.
		{"minimal", `{` + okSteps + `}`, true},
		{"config_id without steps", `{"config_id": "65f1c0ffee0000000000beef"}`, true},
		{"config_id with steps", `{"config_id": "65f1c0ffee0000000000beef", ` + okSteps + `}`, true},
		{"hy as the interface language (a warning)", `{"flags": {"language": "hy"}, ` + okSteps + `}`, true},
		{"unknown members (warnings)", `{"x-team": {"a": 1}, "flags": {"x-flag": 1}, "steps": [{"type": "email", "x-step": [], "flags": {"require_email": true, "x": 1}}]}`, true},
		{"the two URLs null", `{"flags": {"return_url": null, "switch_device_url": null}, ` + okSteps + `}`, true},
		{"switch_device_url empty (no QR code)", `{"flags": {"switch_device_url": ""}, ` + okSteps + `}`, true},
		{"schedule", `{"scheduleStartTime": "2024-06-20T07:33:00.000Z", "scheduleEndTime": "2024-06-20T12:00:00+02:00", ` + okSteps + `}`, true},
		{"plain string titles (a localize warning)", `{"steps": [{"type": "kyb-review", "title": "Check", "description": "Check the data"}]}`, true},
		{"filesMaxCount written 10.0", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "file", "key": "f", "filesMaxCount": 10.0}]}]}`, true},
		{"document countries", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["USA", "GEO"]}}]}`, true},
		{"localized preset answer", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "string", "key": "a", "answer": {"en": "x"}}]}]}`, true},
		{"dropdown preset answer (ignored, a warning)", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "dropdown", "key": "a", "options": [{"key": "o"}], "answer": 5}]}]}`, true},
		{"positionName for a ubo (not a company field)", `{"steps": [{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}, {"type": "beneficiaries", "roles": {"ubo": {"fields": [{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}, {"type": "dateOfBirth", "mandatory": true}, {"type": "positionName"}]}}}]}`, true},
		{"schedule in lower case, -00:00, leap second", `{"scheduleStartTime": "1990-12-31t23:59:60z", "scheduleEndTime": "1990-12-31T23:59:60.5-00:00", ` + okSteps + `}`, true},
		{"XKX, Kosovo", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["XKX"]}}]}`, true},
		{"shareholder with both locked sets", `{"steps": [` + schemaCompany + `, {"type": "beneficiaries", "roles": {"shareholder": {"fields": [` + schemaCompanyFields + `, ` + schemaPerson + `]}}}]}`, true},
		{"empty questions and roles (warnings)", `{"steps": [` + schemaCompany + `, {"type": "beneficiaries", "roles": {}}, {"type": "user-questionnaire", "key": "q", "questions": []}]}`, true},
		{"empty preset answers", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "options", "key": "a", "options": [{"key": "o"}], "answer": ""}, {"type": "multiple-choice", "key": "b", "options": [{"key": "o"}], "answer": []}]}]}`, true},
		{"upload only", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"disable_document_capture": true, "allow_document_upload": true}}]}`, true},
		{"names that only contain a credential's name", `{"x-company_key-hint": 1, "flags": {"my_secret_key": true}, ` + okSteps + `}`, true},
		{"properties of other types (warnings)", `{"steps": [{"type": "liveness", "questions": [], "flags": {"document_types": ["passport"]}}, {"type": "user-questionnaire", "key": "q", "questions": [{"type": "string", "key": "a", "fileTypes": ["pdf"], "description": "x"}]}]}`, true},

		// Rejected: type and enum errors.
		{"neither steps nor config_id", `{"name": "x"}`, false},
		{"config_id null, no steps", `{"config_id": null}`, false},
		{"empty steps without config_id", `{"steps": []}`, false},
		{"skip_face not a boolean", `{"flags": {"skip_face": "yes"}, ` + okSteps + `}`, false},
		{"unknown step type", `{"steps": [{"type": "selfie"}]}`, false},
		{"step without type", `{"steps": [{"key": "x"}]}`, false},
		{"step not an object", `{"steps": ["liveness"]}`, false},
		{"interface language xx", `{"flags": {"language": "xx"}, ` + okSteps + `}`, false},
		{"language step language xx", `{"steps": [{"type": "language", "flags": {"languages": ["en", "xx"]}}]}`, false},
		{"document type visa", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_types": ["visa"]}}]}`, false},
		{"alpha-2 country", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["US"]}}]}`, false},
		{"general document type passport", `{"steps": [{"type": "general-document", "flags": {"general_document_types": ["passport"]}}]}`, false},
		{"question type radio", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "radio", "key": "a"}]}]}`, false},
		{"question without key", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "string"}]}]}`, false},
		{"option without key", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "options", "key": "a", "options": [{"title": "x"}]}]}]}`, false},
		{"file type doc", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "file", "key": "f", "fileTypes": ["doc"]}]}]}`, false},
		{"filesMaxCount 11", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "file", "key": "f", "filesMaxCount": 11}]}]}`, false},
		{"filesMaxCount 0", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "file", "key": "f", "filesMaxCount": 0}]}]}`, false},
		{"filesMaxCount 2.5", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "file", "key": "f", "filesMaxCount": 2.5}]}]}`, false},
		{"options answer not a string", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "options", "key": "a", "options": [{"key": "o"}], "answer": ["o"]}]}]}`, false},
		{"condition without answer", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "string", "key": "a"}, {"type": "string", "key": "b", "showConditions": {"questionKey": "a"}}]}]}`, false},
		{"role ceo", `{"steps": [{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}, {"type": "beneficiaries", "roles": {"ceo": {"fields": []}}}]}`, false},
		{"company field for a director", `{"steps": [{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}, {"type": "beneficiaries", "roles": {"director": {"fields": [{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}, {"type": "dateOfBirth", "mandatory": true}, {"type": "taxId"}]}}}]}`, false},
		{"KYB field type shoeSize", `{"steps": [{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}, {"type": "shoeSize"}]}]}`, false},
		{"steps not an array", `{"steps": {"type": "liveness"}}`, false},
		{"flags an array", `{"flags": [{"skip_face": true}], ` + okSteps + `}`, false},
		{"title 5", `{"steps": [{"type": "liveness", "title": 5}]}`, false},
		{"localized title with key english", `{"steps": [{"type": "kyb-review", "title": {"english": "Check"}}]}`, false},
		{"localized text not a string", `{"steps": [{"type": "kyb-review", "title": {"en": 5}}]}`, false},
		{"return_url a number", `{"flags": {"return_url": 5}, ` + okSteps + `}`, false},
		{"return_url not http", `{"flags": {"return_url": "ftp://example.com/done"}, ` + okSteps + `}`, false},
		{"switch_device_url relative", `{"flags": {"switch_device_url": "/qr"}, ` + okSteps + `}`, false},
		{"schedule not a date-time", `{"scheduleStartTime": "tomorrow", ` + okSteps + `}`, false},
		{"language step inside a video call", `{"steps": [{"type": "video-call", "steps": [{"type": "language"}]}]}`, false},
		{"company_key in the file", `{"company_key": "k", ` + okSteps + `}`, false},
		{"a credential in the flags", `{"flags": {"companyKey": "k"}, ` + okSteps + `}`, false},
		{"a credential in a step, upper case", `{"steps": [{"type": "liveness", "SECRET_KEY": "k"}]}`, false},
		{"a credential deep in an unknown member", `{"x-vendor": [{"auth": {"SecretKey": "k"}}], ` + okSteps + `}`, false},
		{"a credential in a localized text", `{"steps": [{"type": "kyb-review", "title": {"en": "x", "company_key": "k"}}]}`, false},
		{"session fields null", `{"name": null, ` + okSteps + `}`, false},
		{"schedule null", `{"scheduleStartTime": null, ` + okSteps + `}`, false},
		{"config_id null with steps", `{"config_id": null, ` + okSteps + `}`, false},
		{"empty config_id without steps", `{"config_id": ""}`, false},
		{"return_url empty", `{"flags": {"return_url": ""}, ` + okSteps + `}`, false},
		{"interface language null", `{"flags": {"language": null}, ` + okSteps + `}`, false},
		{"a preset answer null", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "dropdown", "key": "a", "options": [{"key": "o"}], "answer": null}]}]}`, false},
		{"schedule with a space", `{"scheduleStartTime": "2024-06-20 07:33:00Z", ` + okSteps + `}`, false},
		{"schedule without offset", `{"scheduleStartTime": "2024-06-20T07:33:00", ` + okSteps + `}`, false},
		{"schedule in basic format", `{"scheduleStartTime": "20240620T073300Z", ` + okSteps + `}`, false},
		{"schedule with a comma fraction", `{"scheduleStartTime": "2024-06-20T07:33:00,5Z", ` + okSteps + `}`, false},
		{"a user-assigned country", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["XXX"]}}]}`, false},
		{"a withdrawn country", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["SUN"]}}]}`, false},
		{"company step without fields", `{"steps": [{"type": "company"}]}`, false},
		{"company step without registrationCountry", `{"steps": [{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}]}]}`, false},
		{"company name not mandatory", `{"steps": [{"type": "company", "fields": [{"type": "companyName", "mandatory": false}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}]}`, false},
		{"a role without fields", `{"steps": [` + schemaCompany + `, {"type": "beneficiaries", "roles": {"ubo": {"verification": false}}}]}`, false},
		{"a director without dateOfBirth", `{"steps": [` + schemaCompany + `, {"type": "beneficiaries", "roles": {"director": {"fields": [{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}]}}}]}`, false},
		{"other's positionName optional", `{"steps": [` + schemaCompany + `, {"type": "beneficiaries", "roles": {"other": {"fields": [` + schemaPerson + `, {"type": "positionName", "mandatory": false}]}}}]}`, false},
		{"shareholder with a person's fields only", `{"steps": [` + schemaCompany + `, {"type": "beneficiaries", "roles": {"shareholder": {"fields": [` + schemaPerson + `]}}}]}`, false},
		{"capture disabled, upload absent", `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"disable_document_capture": true}}]}`, false},
		{"a choice question without options", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "dropdown", "key": "a"}]}]}`, false},
		{"a choice question with no options", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "options", "key": "a", "options": []}]}]}`, false},
		{"a blank question key", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "string", "key": " \u00a0"}]}]}`, false},
		{"a blank option key", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "options", "key": "a", "options": [{"key": ""}]}]}]}`, false},
		{"filesMaxCount 10.5", `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [{"type": "file", "key": "f", "filesMaxCount": 10.5}]}]}`, false},
		{"an override step without type", `{"config_id": "65f1c0ffee0000000000beef", "steps": [{"key": "liveness"}]}`, false},
	}
	sch := compileSchema(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateJSON(t, sch, []byte(tt.config))
			if tt.valid && err != nil {
				t.Errorf("schema rejects it: %v", err)
			}
			if !tt.valid && err == nil {
				t.Errorf("schema accepts it")
			}
			// The schema must not disagree with the tool.
			c := parseConfig(t, tt.config)
			hasError := flow.Validate(c).HasErrors()
			if hasError != !tt.valid {
				t.Errorf("validator errors: %v, want %v:\n%v", hasError, !tt.valid, flow.Validate(c))
			}
		})
	}
}

func TestSchemaIsDeterministicAndIndented(t *testing.T) {
	a, b := Schema(), Schema()
	if !bytes.Equal(a, b) {
		t.Fatal("two calls gave different schemas")
	}
	if !bytes.HasSuffix(a, []byte("}\n")) || bytes.HasSuffix(a, []byte("\n\n")) {
		t.Error("schema does not end with one newline")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, a); err != nil {
		t.Fatal(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	indented.WriteByte('\n')
	// encoding/json escapes <, > and & that Marshal keeps; there are none.
	if !bytes.Equal(indented.Bytes(), a) {
		t.Error("schema is not 2-space indented JSON")
	}
	var top map[string]any
	if err := json.Unmarshal(a, &top); err != nil {
		t.Fatal(err)
	}
	if top["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", top["$schema"])
	}
}

func TestSchemaDescribesEverySpecField(t *testing.T) {
	schema := string(Schema())
	var specs []flow.FieldSpec
	specs = append(specs, flow.TopFields()...)
	specs = append(specs, flow.GlobalFlags()...)
	specs = append(specs, flow.QuestionFields()...)
	for _, s := range flow.StepSpecs() {
		specs = append(specs, s.StepFields()...)
		specs = append(specs, s.Flags...)
		if !strings.Contains(schema, `"const": "`+s.Type+`"`) {
			t.Errorf("no branch for step type %q", s.Type)
		}
	}
	for _, f := range specs {
		if !strings.Contains(schema, `"`+f.Name+`": {`) {
			t.Errorf("field %q is missing", f.Name)
		}
		doc, _ := json.Marshal(f.Doc)
		doc = doc[:len(doc)-1] // a description may go on after the spec's
		if f.Doc != "" && !strings.Contains(schema, `"description": `+string(doc)) {
			t.Errorf("field %q lacks its description %s", f.Name, f.Doc)
		}
	}
}
