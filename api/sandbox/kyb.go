package sandbox

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/identoflow/identoflow/flow"
)

// KYB: the company form with exactly the configured fields, the
// beneficiaries of each enabled role (several people per role), and the
// review of what was entered.

// kybField is one configured field.
type kybField struct {
	Type      string
	Mandatory bool
}

// kybFields reads a field list: known types once each, the locked ones
// mandatory whatever the flow says (the validator refuses otherwise).
func kybFields(list *flow.Value, role string) []kybField {
	var out []kybField
	known := flow.FieldTypes()
	for _, it := range list.Items() {
		t, _ := it.Get("type").Str()
		if !slices.Contains(known, t) || slices.ContainsFunc(out, func(f kybField) bool { return f.Type == t }) {
			continue
		}
		m, _ := it.Get("mandatory").Bool()
		out = append(out, kybField{Type: t, Mandatory: m || flow.MustBeMandatory(role, t)})
	}
	return out
}

// fieldLabels are each field's label, in English (see words.T).
var fieldLabels = map[string]string{
	"companyName": "Company name", "registrationNumber": "Registration number", "registrationCountry": "Country of registration",
	"companyEntityType": "Type of entity", "legalAddress": "Legal address", "taxId": "Tax ID",
	"dateOfIncorporation": "Date of incorporation", "contactNumber": "Contact phone number", "email": "Email",
	"website": "Website", "ownershipPercentage": "Ownership (%)", "firstName": "First name", "lastName": "Last name",
	"dateOfBirth": "Date of birth", "positionName": "Position",
}

// fieldInputs are each field's input type and autocomplete hint.
var fieldInputs = map[string][2]string{
	"companyName": {"text", "organization"}, "registrationNumber": {"text", ""}, "legalAddress": {"text", "street-address"},
	"taxId": {"text", ""}, "dateOfIncorporation": {"date", ""}, "contactNumber": {"tel", "tel"}, "email": {"email", "email"},
	"website": {"url", "url"}, "ownershipPercentage": {"number", ""}, "firstName": {"text", "given-name"},
	"lastName": {"text", "family-name"}, "dateOfBirth": {"date", "bday"}, "positionName": {"text", "organization-title"},
}

func fieldName(t string) string { return "f_" + t }

// fieldView is one KYB input.
type fieldView struct {
	ID, Name, Label string
	Input, Auto     string
	Options         []choice      // a select: entity types
	AllCountries    template.HTML // a select of every country
	Mandatory       bool          // marked as required
	Required        bool          // required by the browser too
	Value           string
}

func (c *pageCtx) fieldViews(fields []kybField, values func(string) string, idPrefix string, browserRequired bool) []fieldView {
	var out []fieldView
	for _, f := range fields {
		v := fieldView{ID: idPrefix + f.Type, Name: fieldName(f.Type), Label: c.t(fieldLabels[f.Type]), Mandatory: f.Mandatory,
			Required: f.Mandatory && browserRequired, Value: values(fieldName(f.Type))}
		v.Input, v.Auto = fieldInputs[f.Type][0], fieldInputs[f.Type][1]
		switch f.Type {
		case "registrationCountry":
			v.AllCountries = c.allCountries(v.Value)
		case "companyEntityType":
			for _, e := range flow.EntityTypes() {
				v.Options = append(v.Options, choice{Value: e, Label: shown{Text: e}, Selected: e == v.Value})
			}
		}
		out = append(out, v)
	}
	return out
}

// takeFields checks and takes the fields of a company or person.
func (c *pageCtx) takeFields(sub *submission, f *stepForm, fields []kybField) {
	for _, fl := range fields {
		name := fieldName(fl.Type)
		label := c.t(fieldLabels[fl.Type])
		v := c.text(sub, f, name, label)
		if v == "" {
			if fl.Mandatory {
				sub.fail(c.t("{1}: required", label))
			}
			continue
		}
		if msg := c.checkField(fl.Type, v); msg != "" {
			sub.fail(c.t("{1}: {2}", label, msg))
		}
	}
}

// checkField says what is wrong with a field's value, or "".
func (c *pageCtx) checkField(t, v string) string {
	switch t {
	case "registrationCountry":
		if _, ok := flow.LookupCountry(v); !ok {
			return c.t("choose a country from the list")
		}
	case "companyEntityType":
		if !slices.Contains(flow.EntityTypes(), v) {
			return c.t("choose a type from the list")
		}
	case "email":
		if !validEmail(v) {
			return c.t("enter an address such as name@example.com")
		}
	case "contactNumber":
		if !validPhone(v) {
			return c.t("enter a phone number with its country code")
		}
	case "website":
		u, err := url.Parse(v)
		if err != nil || strings.ContainsAny(v, " \t") || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
			return c.t("enter a web address such as https://example.com")
		}
	case "ownershipPercentage":
		n, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if err != nil || n < 0 || n > 100 {
			return c.t("enter a number from 0 to 100")
		}
	case "dateOfIncorporation", "dateOfBirth":
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return c.t("enter a date as YYYY-MM-DD")
		}
		if d.After(c.s.now()) {
			return c.t("the date is in the future")
		}
	}
	return ""
}

type companyView struct{ Fields []fieldView }

func (companyPage) view(c *pageCtx, v *pageView) {
	fields := kybFields(c.spec.step.FieldsValue(""), "")
	v.Company = &companyView{Fields: c.fieldViews(fields, c.entry.value, "", true)}
}

func (companyPage) submit(c *pageCtx, f *stepForm) int {
	sub := c.newSubmission()
	c.takeFields(sub, f, kybFields(c.spec.step.FieldsValue(""), ""))
	return c.finish(sub)
}

// roleText names a role on the page, in English (see words.T): its
// heading, the button that adds a person, and one person's title.
var roleText = map[string][3]string{
	"shareholder":    {"Shareholders", "Add a shareholder", "Shareholder"},
	"ubo":            {"Ultimate beneficial owners", "Add an ultimate beneficial owner", "Ultimate beneficial owner"},
	"director":       {"Directors", "Add a director", "Director"},
	"representative": {"Representatives", "Add a representative", "Representative"},
	"other":          {"Other people", "Add another person", "Other"},
}

// shareholderTitles title a shareholder on the review, by kind.
var shareholderTitles = map[string]string{"individual": "Shareholder (person)", "company": "Shareholder (company)"}

// individualOnlyFields describe only people.
var individualOnlyFields = []string{"firstName", "lastName", "dateOfBirth", "positionName"}

type beneficiariesView struct{ Roles []roleView }

type roleView struct {
	Role, Label, AddLabel string
	People                []personView
	CanAdd, Open          bool
	Shareholder           bool
	Kind                  string
	Blocks                []fieldBlock
}

// fieldBlock is a run of a role's fields, in the flow's order, that apply
// to the same kind of shareholder: "individual", "company", or "" for
// both (and for every field of the other roles).
type fieldBlock struct {
	Kind   string
	Fields []fieldView
}

type personView struct {
	Index   int
	Summary string
}

// enabledRoles are the roles a beneficiaries step collects, in order.
func enabledRoles(st flow.Step) []string {
	var out []string
	for _, r := range flow.Roles() {
		if st.RoleEnabled(r) {
			out = append(out, r)
		}
	}
	return out
}

// fieldKind is the kind of shareholder a field describes: "company",
// "individual", or "" for both.
func fieldKind(t string) string {
	switch {
	case flow.IsCompanyOnlyField(t):
		return "company"
	case slices.Contains(individualOnlyFields, t):
		return "individual"
	}
	return ""
}

// personFields are the fields a beneficiary of role and kind fills in, in
// the flow's order: a shareholder's are those of its kind (a person or a
// company); the other roles take every field.
func personFields(st flow.Step, role, kind string) []kybField {
	fields := kybFields(st.FieldsValue(role), role)
	if role != "shareholder" {
		return fields
	}
	return slices.DeleteFunc(fields, func(f kybField) bool { k := fieldKind(f.Type); return k != "" && k != kind })
}

// fieldBlocks are a role's inputs in the flow's order. A shareholder's
// fields that apply to one kind only are grouped by kind, to be shown or
// hidden as the kind is chosen; the browser requires none of them, since
// with scripts off both groups show and the sandbox checks the one chosen.
func (c *pageCtx) fieldBlocks(st flow.Step, role string, values func(string) string) []fieldBlock {
	var blocks []fieldBlock
	for _, f := range kybFields(st.FieldsValue(role), role) {
		kind := ""
		if role == "shareholder" {
			kind = fieldKind(f.Type)
		}
		fv := c.fieldViews([]kybField{f}, values, role+"-", kind == "")[0]
		if n := len(blocks); n > 0 && blocks[n-1].Kind == kind {
			blocks[n-1].Fields = append(blocks[n-1].Fields, fv)
			continue
		}
		blocks = append(blocks, fieldBlock{Kind: kind, Fields: []fieldView{fv}})
	}
	return blocks
}

func (c *pageCtx) summary(p person) string {
	var s string
	if p.Kind == "company" {
		s = p.Fields[fieldName("companyName")]
	} else {
		s = strings.TrimSpace(p.Fields[fieldName("firstName")] + " " + p.Fields[fieldName("lastName")])
	}
	if s == "" {
		s = c.t("(no name)")
	}
	if pct := p.Fields[fieldName("ownershipPercentage")]; pct != "" {
		s += " · " + strings.TrimSuffix(pct, "%") + "%"
	}
	return flow.Visible(s)
}

func (beneficiariesPage) view(c *pageCtx, v *pageView) {
	st := c.spec.step
	bv := &beneficiariesView{}
	draftRole := ""
	if c.entry.draft != nil {
		draftRole = c.entry.value("role")
	}
	for _, role := range enabledRoles(st) {
		rv := roleView{Role: role, Label: c.t(roleText[role][0]), AddLabel: c.t(roleText[role][1]), Shareholder: role == "shareholder", Kind: "individual"}
		n := 0
		for i, p := range c.entry.people {
			if p.Role == role {
				rv.People = append(rv.People, personView{Index: i, Summary: c.summary(p)})
				n++
			}
		}
		rv.CanAdd = n < maxPeoplePerRole
		values := func(string) string { return "" }
		if role == draftRole {
			rv.Open, values = true, c.entry.value
			if k := c.entry.value("kind"); k == "company" {
				rv.Kind = k
			}
		}
		rv.Blocks = c.fieldBlocks(st, role, values)
		v.Script = v.Script || rv.Shareholder
		bv.Roles = append(bv.Roles, rv)
	}
	v.Beneficiaries = bv
}

func (beneficiariesPage) submit(c *pageCtx, f *stepForm) int {
	st := c.spec.step
	e := c.entry
	switch f.get("action") {
	case "remove":
		if i, err := strconv.Atoi(f.get("person")); err == nil && i >= 0 && i < len(e.people) {
			e.people = slices.Delete(e.people, i, i+1)
		}
		return c.i
	case "add":
	default:
		e.draft, e.draftFiles = nil, nil
		return c.advance()
	}
	role := f.get("role")
	if !slices.Contains(enabledRoles(st), role) {
		return c.i
	}
	sub := c.newSubmission()
	sub.set("role", role)
	kind := "individual"
	if role == "shareholder" {
		kind = f.get("kind")
		sub.set("kind", kind)
		if kind != "company" && kind != "individual" {
			sub.fail(c.t("Say whether this shareholder is a person or a company"))
			kind = "individual"
		}
	}
	fields := personFields(st, role, kind)
	c.takeFields(sub, f, fields)
	if n := len(slices.DeleteFunc(slices.Clone(e.people), func(p person) bool { return p.Role != role })); n >= maxPeoplePerRole {
		sub.fail(c.t("At most {1} people per role", maxPeoplePerRole))
	}
	if len(sub.errors) > 0 {
		e.draft, e.draftFiles, e.errors = sub.values, nil, sub.errors
		return c.i
	}
	p := person{Role: role, Kind: kind, Fields: map[string]string{}}
	for _, fl := range fields {
		if v := sub.values[fieldName(fl.Type)]; len(v) > 0 && v[0] != "" {
			p.Fields[fieldName(fl.Type)] = v[0]
		}
	}
	e.people = append(e.people, p)
	e.draft = nil
	e.notice = c.t("Added {1}.", c.summary(p))
	return c.i
}

// reviewView summarises the company and its beneficiaries.
type reviewView struct{ Sections []reviewSection }

type reviewSection struct {
	Title, Empty, Edit string
	Rows               []reviewRow
}

type reviewRow struct{ Label, Value string }

func (c *pageCtx) fieldRows(fields []kybField, get func(string) string) []reviewRow {
	var rows []reviewRow
	for _, f := range fields {
		v := get(fieldName(f.Type))
		if v == "" {
			continue
		}
		if f.Type == "registrationCountry" {
			v = c.countryName(v)
		}
		rows = append(rows, reviewRow{Label: c.t(fieldLabels[f.Type]), Value: flow.Visible(v)})
	}
	return rows
}

func (reviewPage) view(c *pageCtx, v *pageView) {
	rv := &reviewView{}
	if i := c.p.company; i >= 0 {
		e := c.w.entries[i]
		sec := reviewSection{Title: c.t("Company"), Empty: c.t("Nothing entered yet."), Edit: pageURL(c.snap.token, i)}
		if e != nil && e.done {
			sec.Rows = c.fieldRows(kybFields(c.p.pages[i].step.FieldsValue(""), ""), e.accepted)
		}
		rv.Sections = append(rv.Sections, sec)
	}
	if i := c.p.benef; i >= 0 {
		st := c.p.pages[i].step
		var people []person
		if e := c.w.entries[i]; e != nil {
			people = e.people
		}
		if len(people) == 0 {
			rv.Sections = append(rv.Sections, reviewSection{Title: c.t("Beneficiaries"), Empty: c.t("No one added."), Edit: pageURL(c.snap.token, i)})
		}
		for _, p := range people {
			title := roleText[p.Role][2]
			if p.Role == "shareholder" {
				title = shareholderTitles[p.Kind]
			}
			sec := reviewSection{Title: c.t(title), Edit: pageURL(c.snap.token, i)}
			sec.Rows = c.fieldRows(personFields(st, p.Role, p.Kind), func(name string) string { return p.Fields[name] })
			rv.Sections = append(rv.Sections, sec)
		}
	}
	v.Review = rv
}
