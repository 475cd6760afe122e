package sandbox

import (
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/flow"
)

// The company form has exactly the configured fields, the locked ones
// required, countries by name and entity types as a dropdown; each role
// takes several people; the review sums it up; result/ has it all.
func TestKYBWalk(t *testing.T) {
	f := newFixture(t, Options{})
	config := `{"flags":{"language":"en"},"steps":[
	 {"type":"company","title":{"en":"Your company"},"fields":[
	  {"type":"companyName","mandatory":true},{"type":"registrationNumber","mandatory":true},
	  {"type":"registrationCountry","mandatory":true},{"type":"companyEntityType","mandatory":false},
	  {"type":"dateOfIncorporation","mandatory":false}]},
	 {"type":"beneficiaries","roles":{
	  "director":{"fields":[{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}]},
	  "shareholder":{"fields":[{"type":"ownershipPercentage","mandatory":true},{"type":"companyName","mandatory":true},
	   {"type":"registrationNumber","mandatory":true},{"type":"registrationCountry","mandatory":true},
	   {"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}]}}},
	 {"type":"kyb-review"}]}`
	token := f.begin(t, config)
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	w.Check = pageInvariants("en")
	p := w.Fetch(pageURL(token, -1))
	fm := sandboxtest.MainForm(p)
	var names []string
	for _, c := range fm.Controls {
		if strings.HasPrefix(c.Name, "f_") {
			names = append(names, c.Name)
		}
	}
	if want := []string{"f_companyName", "f_registrationNumber", "f_registrationCountry", "f_companyEntityType", "f_dateOfIncorporation"}; !slices.Equal(names, want) {
		t.Fatalf("company fields %v, want %v", names, want)
	}
	country := fm.Named("f_registrationCountry")[0]
	if country.Tag != "select" || !strings.Contains(p.Body, ">Georgia<") || !sandboxtest.HasAttr(country.Node, "required") {
		t.Fatal("registration country is not a required list of countries by name")
	}
	entity := fm.Named("f_companyEntityType")[0]
	if entity.Tag != "select" || !slices.Equal(entity.Options[1:], flow.EntityTypes()) || sandboxtest.HasAttr(entity.Node, "required") {
		t.Fatalf("entity type options %v", entity.Options)
	}
	if sandboxtest.AttrOr(fm.Named("f_dateOfIncorporation")[0].Node, "type") != "date" {
		t.Error("date of incorporation is not a date input")
	}
	// The locked fields are required even where a browser lets them through.
	b.NoValidate = true
	p = w.Send(fm, "")
	b.NoValidate = false
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "Company name: required") || !strings.Contains(errs, "Country of registration: required") {
		t.Fatalf("missing mandatory fields not reported: %s", errs)
	}
	fm = sandboxtest.MainForm(p)
	fm.Set("f_companyName", "Ana & Co <Ltd>")
	fm.Set("f_registrationNumber", "4050")
	fm.Set("f_registrationCountry", "GEO")
	fm.Set("f_companyEntityType", "Partnership")
	fm.Set("f_dateOfIncorporation", "2999-01-01")
	p = w.Send(fm, "")
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "the date is in the future") {
		t.Fatalf("a future date was taken: %s", errs)
	}
	fm = sandboxtest.MainForm(p)
	if got := fm.Named("f_registrationCountry")[0].Selected; len(got) != 1 || got[0] != "GEO" {
		t.Errorf("the country chosen is not kept: %v", got)
	}
	fm.Set("f_dateOfIncorporation", "2015-06-30")
	p = w.Send(fm, "")
	if sandboxtest.Heading(p) != "Beneficiaries (en)" && sandboxtest.Heading(p) != "Beneficiaries" {
		t.Fatalf("not on the beneficiaries page: %q\n%s", sandboxtest.Heading(p), sandboxtest.ErrorsOf(p))
	}
	add := func(p *sandboxtest.Page, role string, values map[string]string) *sandboxtest.Page {
		t.Helper()
		var f *sandboxtest.Form
		for _, g := range p.Forms() {
			if r := g.Named("role"); len(r) > 0 && r[0].Value == role {
				f = g
			}
		}
		if f == nil {
			t.Fatalf("no form to add a %s", role)
		}
		for k, v := range values {
			f.Set(k, v)
		}
		return w.Send(f, "add")
	}
	// With scripts off both of a shareholder's groups show, so neither may
	// be required by the browser: the sandbox checks the one chosen.
	for _, g := range p.Forms() {
		if r := g.Named("role"); len(r) == 0 || r[0].Value != "shareholder" {
			continue
		}
		for _, name := range []string{"f_companyName", "f_registrationCountry", "f_firstName", "f_dateOfBirth"} {
			if c := g.Named(name); len(c) != 1 || sandboxtest.HasAttr(c[0].Node, "required") {
				t.Errorf("shareholder field %s: %d, required by the browser", name, len(c))
			}
		}
	}
	p = add(p, "director", map[string]string{"f_firstName": "Nino", "f_lastName": "Beridze", "f_dateOfBirth": "1980-02-03"})
	p = add(p, "director", map[string]string{"f_firstName": "Levan", "f_lastName": "Kapanadze", "f_dateOfBirth": "1975-12-01"})
	b.NoValidate = true                                              // the sandbox checks what a browser would
	p = add(p, "director", map[string]string{"f_firstName": "Temp"}) // incomplete: refused, kept to correct
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "Last name: required") {
		t.Fatalf("incomplete person taken: %s", errs)
	}
	for _, d := range sandboxtest.Elements(p.Doc, "details") {
		director := strings.Contains(sandboxtest.TextOf(d), "Add a director")
		if sandboxtest.HasAttr(d, "open") != director {
			t.Errorf("%q open: %v; only the form with the problem should be", sandboxtest.TextOf(sandboxtest.Elements(d, "summary")[0]), sandboxtest.HasAttr(d, "open"))
		}
	}
	// A company shareholder needs the company's locked fields, not a person's.
	p = add(p, "shareholder", map[string]string{"kind": "company", "f_ownershipPercentage": "60", "f_companyName": "Holding GmbH",
		"f_registrationNumber": "HRB 1", "f_registrationCountry": "DEU"})
	p = add(p, "shareholder", map[string]string{"kind": "individual", "f_ownershipPercentage": "140", "f_firstName": "Ana", "f_lastName": "K", "f_dateOfBirth": "1990-01-01"})
	if errs := sandboxtest.ErrorsOf(p); !strings.Contains(errs, "from 0 to 100") {
		t.Fatalf("140%% taken: %s", errs)
	}
	b.NoValidate = false
	p = add(p, "shareholder", map[string]string{"kind": "individual", "f_ownershipPercentage": "40", "f_firstName": "Ana", "f_lastName": "K", "f_dateOfBirth": "1990-01-01"})
	for _, want := range []string{"Nino Beridze", "Levan Kapanadze", "Holding GmbH · 60%", "Ana K · 40%"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("beneficiaries page lacks %q", want)
		}
	}
	// Remove the second director.
	for _, g := range p.Forms() {
		if c := g.Named("person"); len(c) > 0 && c[0].Value == "1" {
			p = w.Send(g, "remove")
		}
	}
	if strings.Contains(p.Body, "Levan") {
		t.Fatal("removed director still listed")
	}
	p = w.Send(sandboxtest.MainForm(p), "next")
	for _, want := range []string{"Ana &amp; Co &lt;Ltd&gt;", "Georgia", "Partnership", "2015-06-30", "Nino", "Holding GmbH", "Germany", "Shareholder (company)", "Shareholder (person)"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("review lacks %q", want)
		}
	}
	if p = w.Send(sandboxtest.MainForm(p), ""); p.FormWith("outcome", "approved") == nil {
		t.Fatal("not on the outcome page")
	}
	r := result(t, f, token)
	if r.Company["companyName"] != "Ana & Co <Ltd>" || r.Company["registrationCountry"] != "GEO" || len(r.Company) != 5 {
		t.Errorf("company %v", r.Company)
	}
	if len(r.Beneficiaries) != 3 {
		t.Fatalf("beneficiaries %+v", r.Beneficiaries)
	}
	sh := r.Beneficiaries[1]
	if sh.Role != "shareholder" || sh.Type != "company" || sh.Fields["companyName"] != "Holding GmbH" || sh.Fields["firstName"] != "" {
		t.Errorf("company shareholder %+v", sh)
	}
	if d := r.Beneficiaries[0]; d.Role != "director" || d.Type != "individual" || d.Fields["dateOfBirth"] != "1980-02-03" {
		t.Errorf("director %+v", d)
	}
}

// A role's form and its review list the fields in the flow's order, a
// shareholder's person and company fields grouped where the flow puts
// them.
func TestKYBFieldsInTheFlowsOrder(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"flags":{"language":"en"},"steps":[
	 {"type":"beneficiaries","roles":{
	  "ubo":{"fields":[{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true},{"type":"ownershipPercentage","mandatory":true}]},
	  "shareholder":{"fields":[{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true},
	   {"type":"companyName","mandatory":true},{"type":"registrationNumber","mandatory":true},{"type":"registrationCountry","mandatory":true},{"type":"ownershipPercentage","mandatory":true}]}}},
	 {"type":"kyb-review"}]}`)
	b := sandboxtest.NewBrowser(t, f.srv.URL)
	w := sandboxtest.NewWalker(b, token)
	w.Check = pageInvariants("en")
	p := w.Fetch(pageURL(token, -1))
	fieldsOf := func(role string) (*sandboxtest.Form, []string) {
		for _, g := range p.Forms() {
			if r := g.Named("role"); len(r) > 0 && r[0].Value == role {
				var names []string
				for _, c := range g.Controls {
					if strings.HasPrefix(c.Name, "f_") {
						names = append(names, strings.TrimPrefix(c.Name, "f_"))
					}
				}
				return g, names
			}
		}
		t.Fatalf("no form to add a %s", role)
		return nil, nil
	}
	if _, got := fieldsOf("ubo"); !slices.Equal(got, []string{"firstName", "lastName", "dateOfBirth", "ownershipPercentage"}) {
		t.Errorf("UBO fields %v, want the flow's order", got)
	}
	if _, got := fieldsOf("shareholder"); !slices.Equal(got, []string{"firstName", "lastName", "dateOfBirth", "companyName", "registrationNumber", "registrationCountry", "ownershipPercentage"}) {
		t.Errorf("shareholder fields %v, want the flow's order", got)
	}
	var legends []string
	for _, l := range sandboxtest.Elements(p.Doc, "legend") {
		legends = append(legends, sandboxtest.TextOf(l))
	}
	if want := []string{"This shareholder is", "If a person", "If a company"}; !slices.Equal(legends, want) {
		t.Errorf("legends %v, want %v", legends, want)
	}
	fm, _ := fieldsOf("ubo")
	for k, v := range map[string]string{"f_firstName": "Nino", "f_lastName": "Beridze", "f_dateOfBirth": "1980-02-03", "f_ownershipPercentage": "30"} {
		fm.Set(k, v)
	}
	p = w.Send(fm, "add")
	p = w.Send(sandboxtest.MainForm(p), "next")
	var rows []string
	for _, dt := range sandboxtest.Elements(p.Doc, "dt") {
		rows = append(rows, sandboxtest.TextOf(dt))
	}
	if want := []string{"First name", "Last name", "Date of birth", "Ownership (%)"}; !slices.Equal(rows, want) {
		t.Errorf("review rows %v, want %v", rows, want)
	}
}
