package editor

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// fieldsOf lists "type:mandatory" of the company step (role "") or a role.
func fieldsOf(c *flow.Config, step int, role string) string {
	var out []string
	for _, f := range c.Steps()[step].FieldsValue(role).Items() {
		t, _ := f.Get("type").Str()
		m, _ := f.Get("mandatory").Bool()
		out = append(out, fmt.Sprintf("%s:%v", t, m))
	}
	return strings.Join(out, ",")
}

func hasCode(ds flow.Diagnostics, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

func TestKYBCompanyFieldsToggleMandatoryAndOrder(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	e := r.open(0).(*kybEditor)
	r.requireScreen("Company data", "companyName", "locked: always collected", "ownershipPercentage  [ ] off")

	// Turn taxId off, then on again (it goes to the end), then mandatory.
	r.moveTo(func() *widget.PropList { return e.list }, "taxId")
	r.keys("space")
	if strings.Contains(fieldsOf(r.doc.Config, 0, ""), "taxId") {
		t.Fatal("space did not stop collecting taxId")
	}
	r.moveTo(func() *widget.PropList { return e.list }, "taxId")
	r.keys("space")
	if got := fieldsOf(r.doc.Config, 0, ""); !strings.HasSuffix(got, "taxId:false") {
		t.Fatalf("fields = %s, want taxId back at the end", got)
	}
	r.moveTo(func() *widget.PropList { return e.list }, "taxId")
	r.keys("m")
	if got := fieldsOf(r.doc.Config, 0, ""); !strings.HasSuffix(got, "taxId:true") {
		t.Fatalf("fields = %s, want taxId mandatory", got)
	}
	// K moves it up one place; the cursor follows.
	r.keys("K")
	got := fieldsOf(r.doc.Config, 0, "")
	if !strings.HasSuffix(got, "taxId:true,website:false") {
		t.Fatalf("fields = %s, want taxId moved above website", got)
	}
	if p, _ := e.list.Selected(); p.Label != "taxId" {
		t.Fatalf("cursor on %q after the move, want taxId", p.Label)
	}
	r.keys("shift+down")
	if got := fieldsOf(r.doc.Config, 0, ""); !strings.HasSuffix(got, "website:false,taxId:true") {
		t.Fatalf("fields = %s, want taxId moved back down", got)
	}
}

func TestKYBCompanyLockedFieldsRefuse(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	e := r.open(0).(*kybEditor)
	before := r.doc.Config.Clone()
	for _, f := range flow.LockedFields("") {
		r.moveTo(func() *widget.PropList { return e.list }, f)
		r.keys("space")
		if !r.statusErr || !strings.Contains(r.status, "always collected") {
			t.Fatalf("space on %s: status %q, want a refusal", f, r.status)
		}
		r.keys("m")
		if !r.statusErr || !strings.Contains(r.status, "always mandatory") {
			t.Fatalf("m on %s: status %q, want a refusal", f, r.status)
		}
		r.keys("d")
		if !r.statusErr {
			t.Fatalf("d on %s was not refused", f)
		}
	}
	if !flow.Equal(before.Root(), r.doc.Config.Root()) {
		t.Fatalf("locked fields changed:\n%s", r.doc.Config.Bytes())
	}
}

func TestKYBBeneficiariesRolesAndFields(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "company", "fields": [
		{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]},
		{"type": "beneficiaries", "roles": {}}]}`))
	e := r.open(1).(*kybBeneficiariesEditor)
	r.requireScreen("shareholder", "ubo", "director", "representative", "other", "[ ] off")

	// space turns ubo on, with its locked fields.
	r.moveTo(func() *widget.PropList { return e.list }, "ubo")
	r.keys("space")
	if got := fieldsOf(r.doc.Config, 1, "ubo"); got != "firstName:true,lastName:true,dateOfBirth:true" {
		t.Fatalf("ubo fields = %s", got)
	}
	// enter opens the role: only fields a person may have are offered,
	// all of them (what the validator accepts; positionName too).
	r.keys("enter")
	re := requireTop[*kybRoleEditor](t, r)
	offered := map[string]bool{}
	for _, p := range re.list.Props() {
		offered[p.Label] = true
		if flow.IsCompanyOnlyField(p.Label) {
			t.Errorf("the ubo role offers %s", p.Label)
		}
	}
	if !offered["positionName"] {
		t.Error("the ubo role does not offer positionName, which a person may have")
	}
	r.moveTo(func() *widget.PropList { return re.list }, "email")
	r.keys("space")
	if got := fieldsOf(r.doc.Config, 1, "ubo"); !strings.HasSuffix(got, "email:false") {
		t.Fatalf("ubo fields = %s, want email added", got)
	}
	r.moveTo(func() *widget.PropList { return re.list }, "firstName")
	r.keys("space")
	if !r.statusErr || !strings.Contains(r.status, "always collected for the ubo role") {
		t.Fatalf("turning off firstName: status %q, want a refusal", r.status)
	}
	r.keys("m")
	if !r.statusErr {
		t.Fatal("making firstName optional was not refused")
	}
	// Verification needs kycConfigId: the beneficiaries editor says so.
	r.moveTo(func() *widget.PropList { return re.list }, "verification")
	r.keys("space")
	if !hasCode(r.doc.Diags, flow.CodeConfigMissing) {
		t.Fatal("verification without kycConfigId should be a config-missing warning")
	}
	r.keys("esc")
	requireTop[*kybBeneficiariesEditor](t, r)
	r.requireScreen("⚠ needed: verification is on for ubo")
	r.moveTo(func() *widget.PropList { return e.list }, "kycConfigId")
	r.keys("enter")
	r.typeText("687e0ba12cf633bd323cb0db")
	r.keys("enter")
	if hasCode(r.doc.Diags, flow.CodeConfigMissing) {
		t.Fatal("config-missing should be gone once kycConfigId is set")
	}

	// other: positionName is offered and locked once on.
	r.moveTo(func() *widget.PropList { return e.list }, "other")
	r.keys("space", "enter")
	re = requireTop[*kybRoleEditor](t, r)
	r.requireScreen("positionName", "locked: always collected")
	r.keys("esc")

	// shareholder, a person or a company: space turns it on with both
	// locked sets, which stay collected and mandatory.
	r.moveTo(func() *widget.PropList { return e.list }, "shareholder")
	r.keys("space")
	const both = "companyName:true,registrationNumber:true,registrationCountry:true,firstName:true,lastName:true,dateOfBirth:true"
	if got := fieldsOf(r.doc.Config, 1, "shareholder"); got != both {
		t.Fatalf("shareholder fields = %s, want %s", got, both)
	}
	r.keys("enter")
	re = requireTop[*kybRoleEditor](t, r)
	r.moveTo(func() *widget.PropList { return re.list }, "companyName")
	r.keys("space")
	if !r.statusErr || !strings.Contains(r.status, "always collected for the shareholder role") {
		t.Fatalf("turning off a shareholder's companyName: status %q, want a refusal", r.status)
	}
	r.keys("m")
	if !r.statusErr {
		t.Fatal("a shareholder's companyName cannot be optional")
	}
	if got := fieldsOf(r.doc.Config, 1, "shareholder"); got != both {
		t.Fatalf("shareholder fields = %s after refusals, want %s", got, both)
	}
	if hasCode(r.doc.Diags, flow.CodeLockedMandatory) || hasCode(r.doc.Diags, flow.CodeRoleField) {
		t.Fatalf("the editor produced a lock error: %v", r.doc.Diags)
	}

	// v flips verification from the role list; space turns a role off.
	r.keys("esc")
	r.moveTo(func() *widget.PropList { return e.list }, "director")
	r.keys("v")
	if b, _ := r.doc.Config.Steps()[1].V.Get("roles").Get("director").Get("verification").Bool(); !b {
		t.Fatal("v did not turn on director verification")
	}
	r.keys("space")
	if r.doc.Config.Steps()[1].RoleEnabled("director") {
		t.Fatal("space did not turn director off")
	}
}

func TestKYBOrderHintAndFix(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [
		{"type": "kyb-review", "title": {"en": "Check"}},
		{"type": "language"},
		{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]},
		{"type": "beneficiaries", "roles": {}}]}`))
	r.open(2)
	r.requireScreen("KYB steps out of order", "o puts them in order")
	r.requireScreen("company → beneficiaries → kyb-review") // whole at 80 columns
	// The Steps tab shows the same banner: whole as well.
	if got := ansi.Strip(kybOrderLine(r.common, r.doc, 78)); !strings.Contains(got, "company → beneficiaries → kyb-review") {
		t.Fatalf("the Steps tab's banner cuts the order:\n%s", got)
	}
	r.keys("o")
	if got := strings.Join(stepTypesOf(r.doc.Config), ","); got != "company,language,beneficiaries,kyb-review" {
		t.Fatalf("steps = %s", got)
	}
	if hasCode(r.doc.Diags, flow.CodeKYBOrder) {
		t.Fatal("kyb-order remains after o")
	}
	// The editor follows its step to its new place.
	e := requireTop[*kybEditor](t, r)
	if s, _ := e.step(); s.Type() != "company" || e.path[0] != 0 {
		t.Fatalf("editor now at %v (%s), want the company step at 0", e.path, s.Type())
	}
	if strings.Contains(r.screen(), "out of order") {
		t.Fatal("the hint is still shown")
	}
	r.keys("u")
	if !hasCode(r.doc.Diags, flow.CodeKYBOrder) {
		t.Fatal("u should undo the reorder")
	}
}

func stepTypesOf(c *flow.Config) []string {
	var out []string
	for _, s := range c.Steps() {
		out = append(out, s.Type())
	}
	return out
}

func TestKYBOrderWithoutCompanyShowsTheProblemWithoutAFix(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "beneficiaries", "roles": {}}, {"type": "kyb-review"}]}`))
	r.open(0)
	r.requireScreen("without a company step")
	before := r.doc.Config.Clone()
	r.keys("o")
	if !flow.Equal(before.Root(), r.doc.Config.Root()) {
		t.Fatal("o changed a flow it cannot fix")
	}
}

func TestKYBReviewEditsTitleAndDescription(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	e := r.open(2).(*kybEditor)
	r.requireScreen("Checking the data", "description")
	r.moveTo(func() *widget.PropList { return e.list }, "description")
	r.keys("enter", "a")
	requireTop[*widget.Picker](t, r)
	r.keys("/")
	r.typeText("spanish")
	r.keys("enter")
	r.typeText("Por favor revise")
	r.keys("enter", "esc")
	if got, _ := r.doc.Config.Steps()[2].V.Get("description").Get("es").Str(); got != "Por favor revise" {
		t.Fatalf("description es = %q", got)
	}
}

func TestKYBFocusOpensTheRole(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	r.push(openStepEditor(r.common, r.doc, flow.StepPath{1}, "/steps/1/roles/other/fields/2/mandatory"))
	re := requireTop[*kybRoleEditor](t, r)
	if re.role != "other" {
		t.Fatalf("opened role %q, want other", re.role)
	}
	if p, _ := re.list.Selected(); p.Label != "lastName" {
		t.Fatalf("cursor on %q, want the third field, lastName", p.Label)
	}
	r.keys("esc")
	requireTop[*kybBeneficiariesEditor](t, r)
}

func TestKYBGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		step int
		keys []string
	}{
		{"company", 0, nil},
		{"beneficiaries", 1, []string{"down", "down", "down", "down", "down"}},
		{"role_shareholder", 1, []string{"down", "down", "down", "down", "down", "enter"}},
		{"review", 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRichRig(t, rigTemplate(t, "kyb"))
			r.open(tc.step)
			r.keys(tc.keys...)
			golden.RequireEqual(t, r.screen())
		})
	}
}

// A field turned on joins the collected ones, above the others still off:
// the cursor goes with it, so m then makes that very field mandatory.
func TestKYBCursorFollowsAToggledField(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "dateOfBirth") // off, not the first of those off
	r.keys("space")
	if p, _ := e.list.Selected(); p.Label != "dateOfBirth" {
		t.Fatalf("after space the cursor is on %q, not on dateOfBirth where it moved", p.Label)
	}
	r.keys("m")
	if got := fieldsOf(r.doc.Config, 0, ""); !strings.HasSuffix(got, "dateOfBirth:true") {
		t.Fatalf("fields = %s, want dateOfBirth on and mandatory", got)
	}
}

// Turning a role off takes its fields out of the flow, and says so.
func TestKYBRoleOffSaysItsFieldsGo(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	e := r.open(1).(*kybBeneficiariesEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "shareholder")
	r.keys("space")
	if !strings.Contains(r.status, "turned off role shareholder and removed its") || !strings.Contains(r.status, "u to undo") {
		t.Fatalf("status %q", r.status)
	}
	r.keys("u")
	if fieldsOf(r.doc.Config, 1, "shareholder") == "" {
		t.Fatal("undo did not bring the fields back")
	}
}

// A problem about a required field that is missing (its pointer names the
// list of fields, not a field) lands on that field's row, in the company
// step and in a role; a problem about a field that is there lands on it.
func TestKYBJumpToAMissingRequiredFieldLandsOnIt(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [
		{"type": "company", "fields": [{"type": "taxId"}, {"type": "companyName", "mandatory": false}, {"type": "registrationNumber", "mandatory": true}]},
		{"type": "beneficiaries", "roles": {"ubo": {"fields": [{"type": "ownershipPercentage"}, {"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}]}}},
		{"type": "kyb-review"}]}`))
	e := New(r.common, r.doc, nil)
	r.push(e)
	for _, tc := range []struct{ path, want string }{
		{"/steps/0/fields", "registrationCountry"},
		{"/steps/0/fields/1/mandatory", "companyName"},
		{"/steps/1/roles/ubo/fields", "dateOfBirth"},
	} {
		found := false
		for _, d := range r.doc.Diags {
			found = found || (d.Path == tc.path && d.Code == flow.CodeLockedMandatory)
		}
		if !found {
			t.Fatalf("no locked-mandatory problem at %s: %v", tc.path, r.doc.Diags)
		}
		r.stack = r.stack[:1]
		r.send(jumpMsg{tc.path})
		var list *widget.PropList
		switch top := r.top().(type) {
		case *kybEditor:
			list = top.list
		case *kybRoleEditor:
			list = top.list
		default:
			t.Fatalf("%s opened %T", tc.path, top)
		}
		if p, _ := list.Selected(); p.Label != tc.want {
			t.Errorf("jump to %s lands on %q, want %q", tc.path, p.Label, tc.want)
		}
		if tc.want == "registrationCountry" && !strings.Contains(r.screen(), "registrationCountry is always collected in the company step: space adds it") {
			t.Errorf("the row does not say why it is there:\n%s", r.screen())
		}
	}
}

// o and its hint name only the KYB steps the flow has.
func TestKYBOrderNamesOnlyTheStepsThere(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [
		{"type": "kyb-review"},
		{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}]}`))
	r.open(1)
	r.requireScreen("o puts them in order: company → kyb-review")
	r.keys("o")
	if want := "KYB steps now run company → kyb-review · u to undo"; r.status != want {
		t.Fatalf("o says %q, want %q", r.status, want)
	}
	if strings.Contains(r.screen(), "beneficiaries") {
		t.Fatalf("a step the flow lacks is named:\n%s", r.screen())
	}
}

// In accessible mode a field's state is said in words, not as boxes read
// "on on  on mandatory" or "off off".
func TestKYBFieldsInWordsWhenAccessible(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "kyb"))
	r.common.Accessible = true
	r.open(0)
	screen := ui.Speak(r.screen())
	for _, want := range []string{"companyName          collected, mandatory", "ownershipPercentage  not collected"} {
		if !strings.Contains(screen, want) {
			t.Errorf("lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "on on") || strings.Contains(screen, "off off") {
		t.Errorf("boxes said as bare on/off:\n%s", screen)
	}
}
