package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/flow"
)

// templateConfig is a built-in template shown in lang.
func templateConfig(t testing.TB, name, lang string) string {
	t.Helper()
	cfg, err := flow.TemplateConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	cfg.SetFlag("language", flow.NewString(lang))
	return string(cfg.RequestBody())
}

// pageInvariants are what every page must be, whatever the step.
func pageInvariants(lang string) func(testing.TB, *sandboxtest.Page) {
	return func(t testing.TB, p *sandboxtest.Page) {
		t.Helper()
		if got := sandboxtest.HTMLAttr(p, "lang"); got != lang {
			t.Errorf("%s: <html lang=%q>, want %q", p.URL, got, lang)
		}
		if got, want := sandboxtest.HTMLAttr(p, "dir"), dir(lang); got != want {
			t.Errorf("%s: dir=%q, want %q", p.URL, got, want)
		}
		if sandboxtest.Heading(p) == "" || !strings.Contains(p.Body, "SANDBOX") {
			t.Errorf("%s: no heading or no SANDBOX banner:\n%s", p.URL, p.Body)
		}
		csp := p.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", p.URL, csp)
		}
		if p.Header.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: Referrer-Policy %q", p.URL, p.Header.Get("Referrer-Policy"))
		}
		for _, f := range p.Forms() {
			if len(f.Controls) == 0 || f.Controls[0].Name != "csrf" || f.Controls[0].Value == "" {
				t.Errorf("%s: a form without the anti-forgery token first: %s", p.URL, f.Action)
			}
			if !strings.Contains(f.Action, "session_token=") {
				t.Errorf("%s: a form posted without the session token: %s", p.URL, f.Action)
			}
		}
		for d := range p.Doc.Descendants() {
			for _, a := range d.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
					t.Errorf("%s: inline handler or javascript: URL: %s=%q", p.URL, a.Key, a.Val)
				}
			}
		}
	}
}

// picksFor are the choices that bring up every conditional question of
// the templates.
var picksFor = map[string]map[string][]string{
	"onboarding-questionnaire": {"q0": {"self-employed"}, "q2": {"savings", "investments"}},
	"operator-review":          {"q0": {"reject"}, "q1": {"invalid-document", "suspected-fraud"}},
}

// TestEveryTemplateWalksToResult goes through every built-in template as
// a person with scripts off would, in two languages, from the link to the
// outcome, and checks that result/ holds what was entered.
func TestEveryTemplateWalksToResult(t *testing.T) {
	for _, tpl := range flow.Templates() {
		for _, lang := range []string{"en", "es"} {
			t.Run(tpl.Name+"/"+lang, func(t *testing.T) {
				f := newFixture(t, Options{})
				config := templateConfig(t, tpl.Name, lang)
				token := f.begin(t, config)
				w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
				maps := picksFor[tpl.Name]
				for k, v := range maps {
					w.Picks[k] = v
				}
				w.Check = pageInvariants(lang)
				end := w.Run()
				cfg, _ := flow.Parse([]byte(config))
				steps := 0
				cfg.WalkSteps(func(flow.StepPath, flow.Step) { steps++ })
				if len(w.Seen) < steps+1 {
					t.Errorf("%d pages seen for %d steps", len(w.Seen), steps)
				}
				// The sandbox's own words follow the session: each page's
				// step line is Spanish.
				if lang == "es" {
					for _, p := range w.Seen {
						if line := sandboxtest.TextOf(sandboxtest.ByClass(p.Doc, "step")); !strings.HasPrefix(line, "Paso ") && !strings.HasPrefix(line, "Los ") {
							t.Errorf("%s: the step line reads %q", p.URL, line)
						}
					}
				}
				done := w.Finish(end, "approved", "")
				if done.Status != http.StatusOK || !strings.Contains(done.Body, "postMessage('DONE'") {
					t.Fatalf("outcome: %d\n%s", done.Status, done.Body)
				}
				res, err := f.client(t, testKey, "").Result(context.Background(), token)
				if err != nil {
					t.Fatal(err)
				}
				var body resultBody
				if err := json.Unmarshal(res.Raw, &body); err != nil {
					t.Fatalf("result: %v\n%s", err, res.Raw)
				}
				if body.Result != OutcomeApproved || body.Language != lang {
					t.Errorf("result %s in %s:\n%s", body.Result, body.Language, res.Raw)
				}
				checkEntered(t, cfg, body, res.Raw)
			})
		}
	}
}

// checkEntered checks that a result holds an entry for every step of cfg
// that collects something, as the walker fills them.
func checkEntered(t *testing.T, cfg *flow.Config, body resultBody, raw []byte) {
	t.Helper()
	var docs, questionnaires int
	cfg.WalkSteps(func(_ flow.StepPath, st flow.Step) {
		switch st.Type() {
		case "identity-document", "general-document", "face-document", "liveness":
			docs++
		case "user-questionnaire", "operator-questionnaire":
			questionnaires++
		case "phone-number":
			if body.Person.PhoneNumber != "+995 555 123 456" || body.Person.PhoneNumberVerified != st.BoolFlag("require_phone_number_check") {
				t.Errorf("phone: %+v", body.Person)
			}
		case "email":
			if body.Person.Email != "ana@example.com" || body.Person.EmailVerified != st.BoolFlag("require_email_check") {
				t.Errorf("email: %+v", body.Person)
			}
		case "geolocation":
			if body.Person.Geolocation != "shared" {
				t.Errorf("geolocation: %+v", body.Person)
			}
		case "video-call":
			if st.BoolFlag("nameRequired") && body.Person.Name != "Sample name" {
				t.Errorf("name before the call: %+v", body.Person)
			}
		case "company":
			if len(body.Company) != st.FieldsValue("").Len() || body.Company["registrationCountry"] == "" {
				t.Errorf("company: %v", body.Company)
			}
		case "beneficiaries":
			if len(body.Beneficiaries) != len(enabledRoles(st)) {
				t.Errorf("beneficiaries: %+v", body.Beneficiaries)
			}
		}
	})
	if len(body.Documents) != docs || len(body.Questionnaires) != questionnaires {
		t.Errorf("%d documents and %d questionnaires, want %d and %d:\n%s", len(body.Documents), len(body.Questionnaires), docs, questionnaires, raw)
	}
	for _, d := range body.Documents {
		if len(d.Files) == 0 || d.Files[0].Size == 0 || !strings.HasPrefix(d.Files[0].ContentType, "image/") && d.Files[0].ContentType != "application/pdf" {
			t.Errorf("document %+v", d)
		}
	}
	for _, q := range body.Questionnaires {
		if len(q.Answers) == 0 {
			t.Errorf("questionnaire %s has no answers:\n%s", q.Key, raw)
		}
	}
}
