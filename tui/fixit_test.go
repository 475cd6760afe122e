package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
)

// --- fix-its where the problem is shown ---

// problemIndex is the row of the Problems pane (errors first, then
// warnings, then notes, each in path order) of the problem of code at
// path.
func problemIndex(t *testing.T, d *driver, code, path string) int {
	t.Helper()
	ds := slices.Clone(d.app.doc.Diags)
	rank := map[flow.Severity]int{flow.SevError: 0, flow.SevWarning: 1, flow.SevInfo: 2}
	slices.SortStableFunc(ds, func(a, b flow.Diagnostic) int { return rank[a.Severity] - rank[b.Severity] })
	for i, x := range ds {
		if x.Code == code && x.Path == path {
			return i
		}
	}
	t.Fatalf("no %s problem at %s in %v", code, path, ds)
	return -1
}

// toProblem opens the Problems pane with the cursor on the problem of code
// at path.
func toProblem(t *testing.T, d *driver, code, path string) {
	t.Helper()
	i := problemIndex(t, d, code, path)
	for d.editor().Title() != "Problems" {
		d.keys("tab")
	}
	d.keys("home")
	for range i {
		d.keys("down")
	}
}

func requireNoProblem(t *testing.T, d *driver, code, path string) {
	t.Helper()
	for _, x := range d.app.doc.Diags {
		if x.Code == code && x.Path == path {
			t.Fatalf("still a %s problem at %s: %s", code, path, x.Message)
		}
	}
}

func TestUnknownFlagIsShownAndRenamedInTheFlagsPane(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"retrun_url": "https://bank.example/done", "skip_face": true}, "steps": [{"type": "liveness"}]}`)
	d.keys("tab")
	d.requireScreen("retrun_url", `"https://bank.exam`, "⚠ unknown-field")
	selectProp(t, d, "retrun_url")
	d.requireScreen(`enter: rename it to "return_url", keeping its value`, "enter rename", "d delete it")
	d.keys("enter")
	flags := d.app.doc.Config.Flags()
	if got, _ := flags.Get("return_url").Str(); got != "https://bank.example/done" || flags.Has("retrun_url") {
		t.Fatalf("flags after the rename: %s", flow.MarshalCompact(flags))
	}
	if names := flagNames(d); !slices.Equal(names, []string{"return_url", "skip_face"}) {
		t.Fatalf("flags in order %v, want the renamed one in its place", names)
	}
	requireNoProblem(t, d, flow.CodeUnknownField, "/flags/retrun_url")
	d.requireScreen(`renamed "retrun_url" to "return_url"`)
	if strings.Contains(d.screen(), "retrun_url  ") {
		t.Fatalf("the old line is still listed:\n%s", d.screen())
	}
	d.keys("u")
	if !d.app.doc.Config.Flags().Has("retrun_url") {
		t.Fatal("undo did not bring the misspelt flag back")
	}
}

func flagNames(d *driver) []string {
	var out []string
	for _, m := range d.app.doc.Config.Flags().Members() {
		out = append(out, m.Name)
	}
	return out
}

// A rename onto a name the object already has would hide one value: it is
// refused, and the line says so.
func TestRenameRefusedWhenTheNameIsTaken(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"retrun_url": "https://a.example/x", "return_url": "https://b.example/y"}, "steps": [{"type": "email"}]}`)
	before := string(d.app.doc.Config.Bytes())
	d.keys("tab")
	selectProp(t, d, "retrun_url")
	d.keys("enter")
	if got := string(d.app.doc.Config.Bytes()); got != before {
		t.Fatalf("the refused rename changed the flow:\n%s", got)
	}
	if !d.app.statusErr || !strings.Contains(d.app.status, "already there") {
		t.Fatalf("status %q, want the refusal", d.app.status)
	}
	d.keys("d") // delete works instead
	if d.app.doc.Config.Flags().Has("retrun_url") {
		t.Fatal("d did not delete the misspelt flag")
	}
	d.requireScreen(`deleted "retrun_url" · u to undo`)
}

func TestUnknownSessionFieldIsShownAndDeleted(t *testing.T) {
	d := driverOnFlow(t, `{"nmae": "walk-in", "zzqqxx": [1, 2], "steps": [{"type": "email"}]}`)
	d.keys("tab", "tab")
	d.requireScreen("nmae", `"walk-in"`, "zzqqxx", "[1,2]  ⚠ unknown-field")
	selectProp(t, d, "zzqqxx")
	d.keys("enter") // no near name: enter says what can be done
	d.requireScreen("no near name to rename it to; d deletes it")
	d.keys("d")
	if d.app.doc.Config.Root().Has("zzqqxx") {
		t.Fatal("d did not delete the unknown field")
	}
	d.keys("u")
	if !d.app.doc.Config.Root().Has("zzqqxx") {
		t.Fatal("undo did not bring it back")
	}
	selectProp(t, d, "nmae")
	d.keys("enter")
	if got := d.app.doc.Config.String("name"); got != "walk-in" {
		t.Fatalf("name %q after renaming nmae", got)
	}
}

// A step editor lists the members of its step it does not edit, top-level
// ones included, with the same fix-its.
func TestUnknownStepMemberIsShownAndFixedInTheStepEditor(t *testing.T) {
	d := driverOnFlow(t, `{"steps": [{"type": "liveness", "key": "live", "titel": "Selfie", "flags": {"allow_face_uplod": true}}]}`)
	d.keys("enter")
	d.requireStepEditor("liveness")
	d.requireScreen("titel", "allow_face_uplod", "⚠ unknown-field")
	selectProp(t, d, "titel")
	d.keys("enter")
	s := d.app.doc.Config.Steps()[0]
	if got, _ := s.V.Get("title").Str(); got != "Selfie" || s.V.Has("titel") {
		t.Fatalf("step after the rename: %s", flow.MarshalCompact(s.V))
	}
	selectProp(t, d, "allow_face_uplod")
	d.keys("f") // f applies the did-you-mean too
	if s := d.app.doc.Config.Steps()[0]; !s.Flags().Has("allow_face_upload") || s.Flags().Has("allow_face_uplod") {
		t.Fatalf("flags after the rename: %s", flow.MarshalCompact(s.Flags()))
	}
	d.requireStepEditor("liveness")
}

// A misspelt step type: the step opens read-only with the fix offered; f
// changes the type, keeping everything else, and opens the step's editor.
func TestMisspeltStepTypeIsFixedKeepingTheStep(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"skip_document": true}, "steps": [{"type": "identity_document", "key": "doc", "flags": {"document_types": ["passport"]}}, {"type": "liveness"}]}`)
	d.keys("enter")
	d.requireScreen(`"identity_document" is not a step type`, `Press f (or enter) to change the type to "identity-document"`, "f fix")
	d.keys("f")
	d.requireStepEditor("identity-document")
	s := d.app.doc.Config.Steps()[0]
	if got := string(flow.MarshalCompact(s.V)); got != `{"type":"identity-document","key":"doc","flags":{"document_types":["passport"]}}` {
		t.Fatalf("step after the fix: %s", got)
	}
	d.keys("u", "esc")
	// From the step list, f applies it directly.
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("top is %T, want the editor", d.top())
	}
	d.keys("home")
	d.requireScreen("f fix")
	d.keys("f")
	if got := d.app.doc.Config.Steps()[0].Type(); got != "identity-document" {
		t.Fatalf("type %q after f in the step list", got)
	}
}

// The Problems pane offers each problem's fixes under it: f applies the
// did-you-mean, d deletes what does not belong, o orders the KYB steps.
func TestProblemsPaneFixes(t *testing.T) {
	d := driverOnFlow(t, `{"company_key": "live-123", "flags": {"retrun_url": "https://x.example/d"}, "steps": [
		{"type": "identity-document", "flags": {"document_countries": ["USA", "GE", "DEU"]}},
		{"type": "beneficiaries", "roles": {"ubo": {"fields": [{"type": "firstName", "mandatory": true}, {"type": "lastName", "mandatory": true}, {"type": "dateOfBirth", "mandatory": true}]}}},
		{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}]}`)

	toProblem(t, d, flow.CodeCountryCode, "/steps/0/flags/document_countries/1")
	d.requireScreen(`f: replace it with "GEO"`, "f fix")
	d.keys("f")
	if got := d.app.doc.Config.Steps()[0].StringsFlag("document_countries"); !slices.Equal(got, []string{"USA", "GEO", "DEU"}) {
		t.Fatalf("countries %v, want GEO in GE's place", got)
	}

	toProblem(t, d, flow.CodeUnknownField, "/flags/retrun_url")
	d.requireScreen(`f: rename it to "return_url"`, "d: delete it", "f rename")
	d.keys("f")
	requireNoProblem(t, d, flow.CodeUnknownField, "/flags/retrun_url")

	toProblem(t, d, flow.CodeCredential, "/company_key")
	d.requireScreen("d: delete it")
	d.keys("f") // no did-you-mean: nothing changes
	if !d.app.doc.Config.Root().Has("company_key") {
		t.Fatal("f deleted the credential")
	}
	d.keys("d")
	if d.app.doc.Config.Root().Has("company_key") {
		t.Fatal("d did not delete the credential")
	}

	d.requireScreen("o order KYB")
	d.keys("o")
	if got := stepTypes(d.app.doc.Config); !slices.Equal(got, []string{"identity-document", "company", "beneficiaries"}) {
		t.Fatalf("steps %v after o, want company before beneficiaries", got)
	}
	d.requireScreen("KYB steps now run company")
}

// o puts the KYB steps in order from the step list too, which says so
// while they are out of order.
func TestKYBOrderFromTheStepList(t *testing.T) {
	d := driverOnFlow(t, `{"steps": [{"type": "kyb-review"},
		{"type": "company", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}]}`)
	d.requireScreen("KYB steps out of order", "o puts them in order", "o order KYB")
	d.requireFits()
	d.keys("o")
	if got := stepTypes(d.app.doc.Config); !slices.Equal(got, []string{"company", "kyb-review"}) {
		t.Fatalf("steps %v after o", got)
	}
	if strings.Contains(d.screen(), "out of order") {
		t.Fatalf("the hint stays once in order:\n%s", d.screen())
	}
	d.keys("o")
	d.requireScreen("the KYB steps are already in order")
}

// esc after going to a problem's place comes back to the Problems pane,
// from a pane as from a step's editor.
func TestEscAfterGoToReturnsToProblems(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"return_url": "bank.example.com/done"}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["US"]}}]}`)
	toProblem(t, d, flow.CodeURL, "/flags/return_url")
	d.keys("enter")
	if pane := d.editor().Title(); pane != "Flags" {
		t.Fatalf("went to pane %v", pane)
	}
	d.requireScreen("esc back to problems")
	d.keys("esc")
	if pane := d.editor().Title(); pane != "Problems" {
		t.Fatalf("esc went to pane %v, want Problems", pane)
	}
	toProblem(t, d, flow.CodeCountryCode, "/steps/0/flags/document_countries/0")
	d.keys("enter")
	d.requireStepEditor("identity-document")
	d.keys("esc")
	if pane := d.editor().Title(); pane != "Problems" {
		t.Fatalf("esc from the step editor went to pane %v, want Problems", pane)
	}
	// Moving on with tab forgets where it came from.
	toProblem(t, d, flow.CodeURL, "/flags/return_url")
	d.keys("enter", "tab")
	d.keys("esc")
	if pane := d.editor().Title(); pane != "Session" {
		t.Fatalf("esc after tab went to pane %v", pane)
	}
}

// --- credentials in the wizard ---

const credentialFlow = `{"company_key": "TOP-SECRET-1", "flags": {"secretKey": "FLAG-SECRET-2", "skip_face": true},
	"steps": [{"type": "liveness", "Secret_Key": "STEP-SECRET-3"},
	{"type": "user-questionnaire", "questions": [{"type": "string", "key": "q", "title": {"en": "Name"}, "mandatory": true, "companyKey": {"v": "DEEP-SECRET-4"}}]},
	{"type": "company", "company_key": "KYB-SECRET-5", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}]}`

var credentialValues = []string{"TOP-SECRET", "FLAG-SECRET", "STEP-SECRET", "DEEP-SECRET", "KYB-SECRET"}

func requireNoSecretOnScreen(t *testing.T, d *driver, where string) {
	t.Helper()
	s := d.screen()
	for _, v := range credentialValues {
		if strings.Contains(s, v) {
			t.Fatalf("%s: %s is on screen:\n%s", where, v, s)
		}
	}
}

// A credential is shown where it is, masked, in every pane, the side and
// tab JSON previews and the step editors; never its value.
func TestCredentialsNeverShowAnywhere(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 50}} {
		d := driverOnFlow(t, credentialFlow)
		d.resize(size[0], size[1])
		for { // every pane of the editor, once
			pane := d.editor().Title()
			requireNoSecretOnScreen(t, d, pane)
			if pane == "Flags" || pane == "Session" {
				d.requireScreen("•••• hidden", "✗ credential")
			}
			d.keys("end")
			requireNoSecretOnScreen(t, d, pane+" (end)")
			if d.keys("tab"); d.editor().Title() == "Steps" {
				break
			}
		}
		d.keys("home")
		for i := range 3 { // each step's editor, and the side JSON of each step
			d.keys("home")
			for range i {
				d.keys("down")
			}
			requireNoSecretOnScreen(t, d, "step list")
			d.keys("enter")
			requireNoSecretOnScreen(t, d, d.top().Title())
			d.keys("end")
			requireNoSecretOnScreen(t, d, d.top().Title()+" (end)")
			if i == 1 { // the question's own screen
				d.keys("home")
				selectProp(t, d, "1.")
				d.keys("enter")
				d.requireScreen("companyKey", "•••• hidden")
				requireNoSecretOnScreen(t, d, d.top().Title())
				d.keys("esc")
			}
			d.keys("esc")
		}
	}
}

// A credential is deleted where it is shown.
func TestCredentialDeletedWhereItIsShown(t *testing.T) {
	d := driverOnFlow(t, credentialFlow)
	d.keys("tab")
	selectProp(t, d, "secretKey")
	d.requireScreen("a credential does not belong in a config: d deletes it")
	d.keys("d")
	if d.app.doc.Config.Flags().Has("secretKey") {
		t.Fatal("d did not delete the credential in the flags")
	}
	d.keys("shift+tab", "home", "enter")
	d.requireStepEditor("liveness")
	selectProp(t, d, "Secret_Key")
	d.keys("d")
	if d.app.doc.Config.Steps()[0].V.Has("Secret_Key") {
		t.Fatal("d did not delete the credential in the step")
	}
	d.keys("u")
	if !d.app.doc.Config.Steps()[0].V.Has("Secret_Key") {
		t.Fatal("undo did not bring it back")
	}
}

// Saving takes every credential out of the file, at any depth, and says
// which; the draft never holds one either.
func TestSaveAndDraftTakeOutCredentialsAtAnyDepth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flow.json")
	if err := os.WriteFile(path, []byte(credentialFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	d.keys("tab")
	selectProp(t, d, "skip_face")
	d.keys("space") // a change, so that a draft is written
	d.fireDraft()
	drafts := d.app.opts.Store.Drafts()
	if len(drafts) == 0 {
		t.Fatal("no draft was written")
	}
	for _, dr := range drafts {
		data, _ := os.ReadFile(filepath.Join(d.app.opts.Store.Dir, "drafts", dr.ID+".json"))
		if len(data) == 0 {
			t.Fatalf("draft %s not found on disk", dr.ID)
		}
		for _, v := range credentialValues {
			if strings.Contains(string(data), v) {
				t.Fatalf("the draft holds %s:\n%s", v, data)
			}
		}
	}
	d.keys("ctrl+s")
	out, _ := os.ReadFile(path)
	for _, v := range credentialValues {
		if strings.Contains(string(out), v) {
			t.Fatalf("the saved file holds %s:\n%s", v, out)
		}
	}
	c := readConfig(t, path)
	if q := c.Steps()[1].Questions()[0]; q.Key() != "q" || !q.V.Has("mandatory") {
		t.Fatalf("the question lost more than its credential: %s", flow.MarshalCompact(q.V))
	}
	for _, p := range []string{"company_key", "steps/0/Secret_Key", "steps/1/questions/0/companyKey", "steps/2/company_key"} {
		if !strings.Contains(d.app.status, p) {
			t.Errorf("the save note does not name %s: %q", p, d.app.status)
		}
	}
}

// f on a list's line replaces its misspelt items where they stand.
func TestCountryFixedInPlaceFromItsLine(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"skip_document": true}, "steps": [{"type": "identity-document", "flags": {"document_countries": ["USA", "GE", "DEU"]}}]}`)
	d.keys("enter")
	d.requireStepEditor("identity-document")
	selectProp(t, d, "document_countries")
	d.requireScreen(`f replaces "GE" with "GEO" in its place`)
	d.keys("f")
	if got := d.app.doc.Config.Steps()[0].StringsFlag("document_countries"); !slices.Equal(got, []string{"USA", "GEO", "DEU"}) {
		t.Fatalf("countries %v, want GEO in GE's place", got)
	}
	d.requireScreen(`replaced "GE" with "GEO" · u to undo`)
}

// In accessible mode the problem under the cursor is said with its fixes.
func TestAccessibleProblemSaysItsFixes(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"retrun_url": "https://x.example/d"}, "steps": [{"type": "email", "flags": {"require_email": true}}]}`)
	d.app.common.Accessible = true
	toProblem(t, d, flow.CodeUnknownField, "/flags/retrun_url")
	d.requireSpoken(`Enter goes there. Fixes, f: rename it to "return_url", d: delete it.`)
}
