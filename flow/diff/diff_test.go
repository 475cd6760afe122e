package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// edit returns a copy of the base flow changed by fn.
func edit(t *testing.T, fn func(c *flow.Config)) *flow.Config {
	t.Helper()
	c := mustParse(t, baseFlow)
	fn(c)
	return c
}

func step(c *flow.Config, i int) flow.Step { return c.Steps()[i] }

func survey(c *flow.Config) flow.Step { return step(c, 6) }

func question(c *flow.Config, i int) flow.Question { return survey(c).Questions()[i] }

func kybField(s flow.Step, i int) *flow.Value { return s.V.Get("fields").Item(i) }

func role(c *flow.Config, name string) *flow.Value { return step(c, 4).V.Get("roles").Get(name) }

func jsonValue(t *testing.T, s string) *flow.Value {
	t.Helper()
	v, err := flow.ParseValue([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCompareKinds has a pair of flows for each kind of change, and the
// change list expected of it.
func TestCompareKinds(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, c *flow.Config)
		want []string
	}{
		{"reformat", func(t *testing.T, c *flow.Config) {
			*c = *mustParse(t, string(flow.MarshalCompact(c.Root())))
		}, nil},
		{"member order and number spelling", func(t *testing.T, c *flow.Config) {
			flags := c.Flags()
			lang := flags.Get("language")
			flags.Delete("language")
			flags.Set("language", lang, nil) // now last
			kybField(step(c, 3), 0).Delete("type")
			kybField(step(c, 3), 0).Set("type", flow.NewString("companyName"), nil)
			c.Set("x-count", flow.NewNumber("1.0"))
		}, []string{`unknown field x-count added: 1.0 [+warning unknown-field]`}},

		// Steps.
		{"step moved", func(t *testing.T, c *flow.Config) { c.StepsValue().Move(2, 4) },
			[]string{`moved step "liveness" from 3 to 5`}},
		{"step renamed", func(t *testing.T, c *flow.Config) { step(c, 1).Set("key", flow.NewString("id-doc")) },
			[]string{`renamed step "identity-document" to "id-doc"`}},
		{"step renamed and moved", func(t *testing.T, c *flow.Config) {
			step(c, 1).Set("key", flow.NewString("id-doc"))
			c.StepsValue().Move(1, 4)
		}, []string{`renamed step "identity-document" to "id-doc" and moved it from 2 to 5`}},
		{"default key written out", func(t *testing.T, c *flow.Config) { step(c, 2).Set("key", flow.NewString("liveness")) }, nil},
		{"step added", func(t *testing.T, c *flow.Config) {
			c.StepsValue().Insert(1, jsonValue(t, `{"type": "geolocation"}`))
		}, []string{`added step "require_geolocation" (geolocation) at 2`}},
		{"step removed", func(t *testing.T, c *flow.Config) { c.StepsValue().RemoveAt(2) },
			[]string{`removed step "liveness" (liveness) at 3`}},
		{"step type changed", func(t *testing.T, c *flow.Config) {
			survey(c).Set("type", flow.NewString("operator-questionnaire"))
		}, []string{`step "survey" › type: "user-questionnaire" → "operator-questionnaire"`}},
		{"step flag", func(t *testing.T, c *flow.Config) {
			step(c, 1).SetFlag("document_types", flow.NewStrings([]string{"passport", "driver_license"}))
			step(c, 2).SetFlag("liveness", flow.NewBool(true))
			step(c, 2).SetFlag("allow_face_upload", flow.NewBool(true))
		}, []string{
			`step "identity-document" › flag document_types: added "driver_license"; removed "id"`,
			`step "liveness" › flag liveness: false → true`,
			`step "liveness" › flag allow_face_upload added: true [+warning ignored-flag]`,
		}},

		// Video calls.
		{"nested step changed", func(t *testing.T, c *flow.Config) {
			step(c, 5).Steps()[0].SetFlag("require_email", flow.NewBool(false))
		}, []string{`step "call" › step "call-email" › flag require_email: true → false [+warning unreachable]`}},
		// Two items swapped: either moved; the first one is said to.
		{"nested step moved within the call", func(t *testing.T, c *flow.Config) { step(c, 5).StepsValue().Move(0, 1) },
			[]string{`step "call" › moved step "call-email" from 1 to 2`}},
		{"nested step moved out of the call", func(t *testing.T, c *flow.Config) {
			v := step(c, 5).StepsValue().RemoveAt(0)
			c.StepsValue().Append(v)
		}, []string{`moved step "call-email" from step "call" (1) to the top level (8)`}},
		{"nested step added and removed", func(t *testing.T, c *flow.Config) {
			call := step(c, 5).StepsValue()
			call.RemoveAt(1)
			call.Append(jsonValue(t, `{"type": "language", "key": "call-lang"}`))
		}, []string{
			`step "call" › removed step "call-phone" (phone-number) at 2`,
			`step "call" › added step "call-lang" (language) at 2 [+error nested-step]`,
		}},
		{"video call flag", func(t *testing.T, c *flow.Config) { step(c, 5).SetFlag("nameRequired", flow.NewBool(true)) },
			[]string{`step "call" › flag nameRequired added: true`}},

		// Global flags and session fields.
		{"global flags", func(t *testing.T, c *flow.Config) {
			c.SetFlag("skip_face", nil)
			c.SetFlag("requireHdMedia", flow.NewBool(true))
		}, []string{
			`flag requireHdMedia added: true`,
			`flag skip_face removed (was true)`,
			// The warning is about the liveness step: with two changes,
			// it is not pinned on either.
			`other: [+warning duplicate-step]`,
		}},
		{"global flag, the only change", func(t *testing.T, c *flow.Config) { c.SetFlag("skip_face", nil) },
			[]string{`flag skip_face removed (was true) [+warning duplicate-step]`}},
		{"session fields", func(t *testing.T, c *flow.Config) {
			c.SetString("name", "Onboarding v2")
			c.SetString("scheduleStartTime", "2024-06-20 07:33")
		}, []string{
			`session field name: "Onboarding" → "Onboarding v2"`,
			`session field scheduleStartTime added: "2024-06-20 07:33" [+error datetime]`,
		}},

		// KYB.
		{"KYB field mandatory", func(t *testing.T, c *flow.Config) {
			kybField(step(c, 3), 3).Set("mandatory", flow.NewBool(true), nil)
			kybField(step(c, 3), 0).Set("mandatory", flow.NewBool(false), nil)
		}, []string{
			`step "company" › field "companyName" › mandatory: true → false [+error locked-mandatory]`,
			`step "company" › field "taxId" › mandatory: false → true`,
		}},
		{"KYB fields added, removed, moved", func(t *testing.T, c *flow.Config) {
			f := step(c, 3).V.Get("fields")
			f.RemoveAt(3)
			f.Move(2, 0)
			f.Append(jsonValue(t, `{"type": "website", "mandatory": true}`))
		}, []string{
			`step "company" › removed field "taxId" at 4`,
			`step "company" › moved field "registrationCountry" from 3 to 1`,
			`step "company" › added field "website" (mandatory) at 4`,
		}},
		// A problem with a step's place goes to the move that caused it,
		// not to an edit inside the step.
		{"KYB steps out of order, with an edit inside one", func(t *testing.T, c *flow.Config) {
			c.StepsValue().Move(4, 0)
			kybField(step(c, 4), 3).Set("mandatory", flow.NewBool(true), nil)
		}, []string{
			`moved step "beneficiaries" from 5 to 1 [+warning kyb-order]`,
			`step "company" › field "taxId" › mandatory: false → true`,
		}},
		{"KYB steps out of order by a removal, with an edit inside one", func(t *testing.T, c *flow.Config) {
			c.StepsValue().RemoveAt(3)
			step(c, 3).Set("kycConfigId", flow.NewString("kyc2"))
		}, []string{
			`removed step "company" (company) at 4 [+warning kyb-order]`,
			`step "beneficiaries" › kycConfigId: "kyc1" → "kyc2"`,
		}},
		{"question moved before its condition's question, with an edit inside it", func(t *testing.T, c *flow.Config) {
			survey(c).QuestionsValue().Move(1, 0)
			question(c, 0).Set("mandatory", flow.NewBool(true))
		}, []string{
			`step "survey" › question "employer" › mandatory added: true`,
			`step "survey" › moved question "employed" from 1 to 2 [+warning condition-order]`,
		}},
		{"roles on and off", func(t *testing.T, c *flow.Config) {
			roles := step(c, 4).V.Get("roles")
			roles.Set("director", jsonValue(t, `{"fields": [{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}, {"type": "dateOfBirth", "mandatory": true}], "verification": false}`), nil)
			roles.Delete("ubo")
		}, []string{
			`step "beneficiaries" › added role "director"`,
			`step "beneficiaries" › removed role "ubo"`,
		}},
		{"role verification and fields", func(t *testing.T, c *flow.Config) {
			role(c, "ubo").Set("verification", flow.NewBool(false), nil)
			role(c, "ubo").Get("fields").Append(jsonValue(t, `{"type": "taxId", "mandatory": false}`))
		}, []string{
			`step "beneficiaries" › role "ubo" › added field "taxId" at 4 [+error role-field]`,
			`step "beneficiaries" › role "ubo" › verification: true → false`,
		}},
		{"role field mandatory", func(t *testing.T, c *flow.Config) {
			role(c, "ubo").Get("fields").Item(2).Set("mandatory", flow.NewBool(false), nil)
		}, []string{`step "beneficiaries" › role "ubo" › field "dateOfBirth" › mandatory: true → false [+error locked-mandatory]`}},
		{"KYB property", func(t *testing.T, c *flow.Config) { step(c, 4).Set("kycConfigId", nil) },
			[]string{`step "beneficiaries" › kycConfigId removed (was "kyc1") [+warning config-missing]`}},

		// Questionnaires.
		{"question added", func(t *testing.T, c *flow.Config) {
			survey(c).QuestionsValue().Append(jsonValue(t, `{"type": "file", "key": "proof", "title": {"en": "Proof"}}`))
		}, []string{`step "survey" › added question "proof" (file) at 4 [+warning missing-translation]`}},
		{"question removed", func(t *testing.T, c *flow.Config) { survey(c).QuestionsValue().RemoveAt(0) },
			[]string{`step "survey" › removed question "employed" (options) at 1 [+error condition-target]`}},
		{"question moved", func(t *testing.T, c *flow.Config) { survey(c).QuestionsValue().Move(2, 0) },
			[]string{`step "survey" › moved question "city" from 3 to 1`}},
		{"question moved before its condition's question", func(t *testing.T, c *flow.Config) { survey(c).QuestionsValue().Move(1, 0) },
			[]string{`step "survey" › moved question "employed" from 1 to 2 [+warning condition-order]`}},
		{"question renamed", func(t *testing.T, c *flow.Config) { question(c, 2).Set("key", flow.NewString("town")) },
			[]string{`step "survey" › renamed question "city" to "town"`}},
		{"question renamed with its conditions", func(t *testing.T, c *flow.Config) {
			if err := survey(c).RenameQuestion(0, "job"); err != nil {
				t.Fatal(err)
			}
		}, []string{
			`step "survey" › renamed question "employed" to "job"`,
			`step "survey" › question "employer" › condition › questionKey: "employed" → "job"`,
		}},
		{"question properties", func(t *testing.T, c *flow.Config) {
			q := question(c, 2)
			q.Set("type", flow.NewString("dropdown"))
			q.Set("mandatory", flow.NewBool(true))
			q.Set("readOnly", flow.NewBool(true))
			q.Set("answer", flow.NewString("Batumi"))
			question(c, 1).SetCondition("employed", "no")
		}, []string{
			`step "survey" › question "employer" › condition › answer: "yes" → "no"`,
			`step "survey" › question "city" › type: "string" → "dropdown" [+warning unreachable, +error empty]`,
			`step "survey" › question "city" › mandatory added: true`,
			`step "survey" › question "city" › read-only added: true`,
			`step "survey" › question "city" › preset answer: "Tbilisi" → "Batumi" [+warning ignored-flag]`,
		}},
		// A condition is phrased by the member that changed, not as two
		// values cut short where they start to differ.
		{"condition answer with a long question key", func(t *testing.T, c *flow.Config) {
			if err := survey(c).RenameQuestion(0, "what-is-your-source-of-income"); err != nil {
				t.Fatal(err)
			}
			question(c, 1).SetCondition("what-is-your-source-of-income", "no")
		}, []string{
			`step "survey" › renamed question "employed" to "what-is-your-source-of-income"`,
			`step "survey" › question "employer" › condition › questionKey: "employed" → "what-is-your-source-of-income"; answer: "yes" → "no"`,
		}},
		{"condition member added and removed", func(t *testing.T, c *flow.Config) {
			question(c, 1).Set("showConditions", jsonValue(t, `{"questionKey": "employed", "x-answers": ["yes"]}`))
		}, []string{`step "survey" › question "employer" › condition › x-answers added: ["yes"]; answer removed (was "yes") [+error required, +warning unknown-field]`}},
		{"condition removed", func(t *testing.T, c *flow.Config) { question(c, 1).SetCondition("", "") },
			[]string{`step "survey" › question "employer" › condition removed (was {"questionKey":"employed","answer":"yes"})`}},
		{"options added, removed, moved, renamed", func(t *testing.T, c *flow.Config) {
			opts := question(c, 0).OptionsValue()
			opts.Item(2).Set("key", flow.NewString("pensioner"), nil)
			opts.Move(2, 0)
			opts.Append(jsonValue(t, `{"key": "student", "title": {"en": "Student", "es": "Estudiante"}}`))
		}, []string{
			`step "survey" › question "employed" › renamed option "retired" to "pensioner" and moved it from 3 to 1`,
			`step "survey" › question "employed" › added option "student" at 4`,
		}},
		{"option removed that a condition names", func(t *testing.T, c *flow.Config) { question(c, 0).OptionsValue().RemoveAt(0) },
			[]string{`step "survey" › question "employed" › removed option "yes" at 1 [+error condition-answer]`}},

		// Localized texts.
		{"text changed in one language", func(t *testing.T, c *flow.Config) {
			survey(c).Set("title", flow.Text{V: survey(c).Title().V}.SetLang("es", "Acerca de ti"))
		}, []string{`step "survey" › title: es "Sobre ti" → "Acerca de ti"`}},
		{"text loses a language", func(t *testing.T, c *flow.Config) {
			q := question(c, 2)
			q.Set("title", q.Title().SetLang("es", ""))
		}, []string{`step "survey" › question "city" › title: removed es; missing es [+warning missing-translation]`}},
		{"text gains a language", func(t *testing.T, c *flow.Config) {
			o := question(c, 0).Options()[0]
			o.V.Set("title", o.Title().SetLang("ka", "დიახ"), nil)
		}, []string{`step "survey" › question "employed" › option "yes" › title: added ka`}},
		{"text changed in several languages", func(t *testing.T, c *flow.Config) {
			step(c, 3).Set("description", jsonValue(t, `{"en": "The company", "es": "La empresa"}`))
		}, []string{`step "company" › description: changed en, es`}},
		{"text from a plain string", func(t *testing.T, c *flow.Config) { step(c, 3).Set("title", flow.NewString("Company")) },
			[]string{`step "company" › title: {"en":"Company","es":"Empresa"} → "Company" [+warning localize]`}},
		{"language the flow shows added", func(t *testing.T, c *flow.Config) {
			step(c, 0).SetFlag("languages", flow.NewStrings([]string{"en", "es", "ka"}))
		}, []string{
			// Every text now lacks "ka": the only change is the cause.
			`step "language" › flag languages: added "ka" [` + strings.Repeat("+warning missing-translation, ", 10) + `+warning missing-translation]`,
		}},
		{"language the flow shows added, with another change", func(t *testing.T, c *flow.Config) {
			step(c, 0).SetFlag("languages", flow.NewStrings([]string{"en", "es", "ka"}))
			c.SetString("name", "Georgian onboarding")
		}, []string{
			`session field name: "Onboarding" → "Georgian onboarding"`,
			`step "language" › flag languages: added "ka"`,
			`other: [` + strings.Repeat("+warning missing-translation, ", 10) + `+warning missing-translation]`,
		}},

		// Unknown fields.
		{"unknown fields", func(t *testing.T, c *flow.Config) {
			c.Set("x-team", jsonValue(t, `{"owner": "kyc"}`))
			step(c, 2).Set("x-note", jsonValue(t, `[1, 2]`))
			question(c, 2).V.Set("x-hint", flow.NewString("capital"), nil)
		}, []string{
			`step "liveness" › unknown field x-note added: [1,2] [+warning unknown-field]`,
			`step "survey" › question "city" › unknown field x-hint added: "capital" [+warning unknown-field]`,
			`unknown field x-team added: {"owner":"kyc"} [+warning unknown-field]`,
		}},
		{"unknown field changed deep inside", func(t *testing.T, c *flow.Config) {
			c.Set("x-team", jsonValue(t, `{"owner": {"name": "kyc", "since": 2020}}`))
		}, []string{`unknown field x-team added: {"owner":{"name":"kyc","since":2020}} [+warning unknown-field]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := mustParse(t, baseFlow)
			if ds := flow.Validate(base); ds.HasErrors() || ds.Count(flow.SevWarning) > 0 {
				t.Fatalf("the base flow has problems: %v", ds)
			}
			changed := edit(t, func(c *flow.Config) { tt.edit(t, c) })
			got := lines(Compare(base, changed))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
