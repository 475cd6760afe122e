package diff

import (
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// baseFlow has something of every kind the comparison looks at: session
// fields, global flags, KYC steps, KYB steps with roles, a video call with
// a nested step, and a bilingual questionnaire with options, a condition
// and a preset answer.
const baseFlow = `{
  "name": "Onboarding",
  "flags": {"language": "en", "skip_face": true, "skip_document": true, "return_url": "https://example.com/done"},
  "steps": [
    {"type": "language", "flags": {"languages": ["en", "es"]}},
    {"type": "identity-document", "flags": {"document_types": ["id", "passport"], "document_countries": ["USA"]}},
    {"type": "liveness", "flags": {"liveness": false}},
    {"type": "company", "title": {"en": "Company", "es": "Empresa"}, "description": {"en": "Your company", "es": "Su empresa"},
     "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true},
                {"type": "registrationCountry", "mandatory": true}, {"type": "taxId", "mandatory": false}]},
    {"type": "beneficiaries", "title": {"en": "Owners", "es": "Dueños"}, "description": {"en": "Who owns it", "es": "Quién"}, "kycConfigId": "kyc1",
     "roles": {"ubo": {"fields": [{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true},
                                  {"type": "dateOfBirth", "mandatory": true}], "verification": true}}},
    {"type": "video-call", "key": "call", "steps": [
      {"type": "email", "key": "call-email", "flags": {"require_email": true}},
      {"type": "phone-number", "key": "call-phone", "flags": {"require_phone_number": true}}]},
    {"type": "user-questionnaire", "key": "survey", "title": {"en": "About you", "es": "Sobre ti"}, "questions": [
      {"type": "options", "key": "employed", "title": {"en": "Employed?", "es": "¿Empleado?"}, "mandatory": true,
       "options": [{"key": "yes", "title": {"en": "Yes", "es": "Sí"}}, {"key": "no", "title": {"en": "No", "es": "No"}},
                   {"key": "retired", "title": {"en": "Retired", "es": "Jubilado"}}]},
      {"type": "string", "key": "employer", "title": {"en": "Employer", "es": "Empleador"}, "showConditions": {"questionKey": "employed", "answer": "yes"}},
      {"type": "string", "key": "city", "title": {"en": "City", "es": "Ciudad"}, "answer": "Tbilisi"}]}
  ]
}`

func mustParse(t *testing.T, s string) *flow.Config {
	t.Helper()
	c, err := flow.Parse([]byte(s))
	if err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	return c
}

// lines renders a result as one line per change, with the diagnostics it
// introduces (+) and fixes (-), and the unattributed ones last.
func lines(r Result) []string {
	var out []string
	diags := func(sign string, ds flow.Diagnostics) string {
		var s []string
		for _, d := range ds {
			s = append(s, sign+string(d.Severity)+" "+d.Code)
		}
		return strings.Join(s, ", ")
	}
	for _, c := range r.Changes {
		l := c.String()
		if d := strings.Trim(diags("+", c.Introduced)+", "+diags("-", c.Fixed), ", "); d != "" {
			l += " [" + d + "]"
		}
		out = append(out, l)
	}
	if d := strings.Trim(diags("+", r.Introduced)+", "+diags("-", r.Fixed), ", "); d != "" {
		out = append(out, "other: ["+d+"]")
	}
	return out
}
