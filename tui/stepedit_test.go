package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/widget"
)

// --- KYC step editors ---

// openStep opens the editor of the first step of type typ in a flow that
// has one step of each KYC type.
func openStep(t *testing.T, typ string) (*driver, flow.StepPath) {
	t.Helper()
	d := newDriver(t)
	d.keys("enter") // empty flow
	for _, ty := range []string{"language", "identity-document", "liveness", "general-document", "face-document", "phone-number", "email", "geolocation"} {
		err := d.app.doc.Edit("add", func(c *flow.Config) error {
			_, err := c.InsertStep(nil, len(c.Steps()), ty)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	i := slices.IndexFunc(d.app.doc.Config.Steps(), func(s flow.Step) bool { return s.Type() == typ })
	d.selectStepAt(i)
	d.keys("enter")
	d.requireStepEditor(typ)
	return d, flow.StepPath{i}
}

func (d *driver) stepAt(p flow.StepPath) flow.Step {
	s, _ := d.app.doc.Config.StepAt(p)
	return s
}

func TestEveryKYCTypeHasAnEditorWithKeyAndTitle(t *testing.T) {
	for _, typ := range []string{"language", "identity-document", "liveness", "general-document", "face-document", "phone-number", "email", "geolocation"} {
		t.Run(typ, func(t *testing.T) {
			d, at := openStep(t, typ)
			spec, _ := flow.LookupStep(typ)
			d.requireScreen(spec.Title, "key", "title")
			for _, f := range spec.Flags {
				d.requireScreen(f.Name)
			}
			d.requireFits()
			// Rename the key.
			selectProp(t, d, "key")
			d.keys("enter")
			for range 40 {
				d.keys("backspace")
			}
			d.typeText("my-" + typ)
			d.keys("enter")
			if got := d.stepAt(at).Key(); got != "my-"+typ {
				t.Fatalf("key %q", got)
			}
			// And the title.
			selectProp(t, d, "title")
			d.keys("enter")
			d.typeText("Hello")
			d.keys("enter")
			if got := d.stepAt(at).Title().In("en"); got != "Hello" {
				t.Fatalf("title %q", got)
			}
		})
	}
}

func TestStepKeyMustBeUnique(t *testing.T) {
	d, at := openStep(t, "email")
	selectProp(t, d, "key")
	d.keys("enter")
	for range 40 {
		d.keys("backspace")
	}
	d.typeText("liveness")
	d.requireScreen("already used")
	d.keys("enter")
	if got := d.stepAt(at).EffectiveKey(); got == "liveness" {
		t.Fatal("a duplicate key was accepted")
	}
}

func TestLanguageStepMultiSelectOf22(t *testing.T) {
	d, at := openStep(t, "language")
	selectProp(t, d, "languages")
	d.keys("enter")
	p, ok := d.top().(*widget.Picker)
	if !ok || !p.Multi() {
		t.Fatalf("languages opened %T (multi=%v)", d.top(), ok && p.Multi())
	}
	if len(p.Items()) != 22 {
		t.Fatalf("%d languages offered, want 22", len(p.Items()))
	}
	d.requireScreen("English", "Spanish")
	d.keys("space", "down", "space", "/")
	d.typeText("armen")
	d.keys("down", "space", "enter")
	got := d.stepAt(at).StringsFlag("languages")
	if !slices.Equal(got, []string{"en", "es", "hy"}) {
		t.Fatalf("languages %v", got)
	}
	d.keys("u")
	if got := d.stepAt(at).StringsFlag("languages"); len(got) != 0 {
		t.Fatalf("undo left %v", got)
	}
}

func TestIdentityDocumentTypesAndCountries(t *testing.T) {
	d, at := openStep(t, "identity-document")
	selectProp(t, d, "document_types")
	d.keys("enter", "space", "enter")
	if got := d.stepAt(at).StringsFlag("document_types"); len(got) != 1 || got[0] != flow.DocumentTypes()[0] {
		t.Fatalf("document_types %v", got)
	}
	selectProp(t, d, "document_countries")
	d.keys("enter")
	p := d.top().(*widget.Picker)
	if len(p.Items()) < 200 {
		t.Fatalf("%d countries offered", len(p.Items()))
	}
	d.keys("/")
	d.typeText("georgia")
	d.requireScreen("Georgia", "GEO")
	d.keys("down", "space", "/")
	for range 7 {
		d.keys("backspace")
	}
	d.typeText("DEU")
	d.keys("down", "space", "enter")
	if got := d.stepAt(at).StringsFlag("document_countries"); !slices.Contains(got, "GEO") || !slices.Contains(got, "DEU") || len(got) != 2 {
		t.Fatalf("document_countries %v", got)
	}
	d.requireScreen("GEO", "DEU")
	// esc in a picker changes nothing.
	d.keys("enter", "space", "esc")
	if got := d.stepAt(at).StringsFlag("document_countries"); len(got) != 2 {
		t.Fatalf("esc changed the countries: %v", got)
	}
}

func TestLivenessSelfieHintFollowsMode(t *testing.T) {
	d, at := openStep(t, "liveness")
	selectProp(t, d, "allow_face_upload")
	if strings.Contains(d.screen(), "ignored while liveness is active") {
		t.Fatal("the hint shows while liveness is passive")
	}
	selectProp(t, d, "liveness")
	d.keys("space")
	if !d.stepAt(at).BoolFlag("liveness") {
		t.Fatal("space did not make liveness active")
	}
	selectProp(t, d, "allow_face_upload")
	d.requireScreen("ignored while liveness is active")
	d.keys("space")
	if !d.stepAt(at).BoolFlag("allow_face_upload") {
		t.Fatal("allow_face_upload not set")
	}
	d.keys("u", "u")
	if d.stepAt(at).BoolFlag("liveness") {
		t.Fatal("undo did not restore passive liveness")
	}
	if strings.Contains(d.screen(), "ignored while liveness is active") {
		t.Fatal("the hint did not follow the undo")
	}
}

func TestStepEditorClosesWhenUndoRemovesItsStep(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "a", "/")
	d.typeText("email")
	d.keys("enter", "enter")
	d.requireStepEditor("email")
	d.keys("u")
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("the editor of a step that is gone stays open: %T\n%s", d.top(), d.screen())
	}
}

// While a property's text is typed, the screen and the help bar say how
// to apply or cancel it; afterwards they go back to the editor's keys.
func TestTypingAPropertyShowsApplyAndCancel(t *testing.T) {
	d, _ := openStep(t, "email")
	selectProp(t, d, "key")
	if strings.Contains(d.screen(), "esc cancel") {
		t.Fatal("the help bar offers cancel before anything is typed")
	}
	d.keys("enter")
	d.requireScreen("typing: enter applies, esc cancels")
	d.requireScreen("enter apply")
	d.requireScreen("esc cancel")
	d.keys("esc")
	if s := d.screen(); strings.Contains(s, "esc cancel") || strings.Contains(s, "typing:") {
		t.Fatalf("still shown as typing after esc:\n%s", s)
	}
}

// The property list stops at its ends: up on the first property does not
// jump to the last one, where enter would change something else.
func TestPropertyListDoesNotWrap(t *testing.T) {
	d, _ := openStep(t, "language")
	d.keys("home")
	first := d.selectedLabel()
	d.keys("up", "up")
	if label := d.selectedLabel(); label != first {
		t.Fatalf("up on the first property went to %q", label)
	}
	d.keys("end")
	last := d.selectedLabel()
	d.keys("down")
	if label := d.selectedLabel(); label != last {
		t.Fatalf("down on the last property went to %q", label)
	}
}

// A step no editor applies to says why: an unknown type (with the type it
// probably means) or a step where it may not be.
func TestReadOnlyStepSaysWhy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "odd.json")
	content := `{"steps": [{"type": "livenes"}, {"type": "video-call", "steps": [{"type": "video-call"}]}]}`
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	d.keys("enter")
	d.requireScreen(`"livenes" is not a step type (did you mean "liveness"?)`)
	d.keys("esc", "j", "j", "enter")
	d.requireScreen("A video-call step cannot be inside a video call")
}

// A value the file has that is not a valid choice is listed in the picker,
// so that it can be taken out.
func TestPickerListsInvalidValuesToTakeOut(t *testing.T) {
	content := `{"steps": [{"type": "identity-document", "flags": {"document_countries": ["US", "GEO"]}}]}`
	d := driverOnFlow(t, content)
	d.keys("enter")
	d.requireStepEditor("identity-document")
	at := flow.StepPath{0}
	selectProp(t, d, "document_countries")
	d.keys("enter")
	d.requireScreen("US", "not a valid choice")
	p := d.top().(*widget.Picker)
	if p.Items()[0].Value != "US" {
		t.Fatalf("first item %v, want the invalid US", p.Items()[0])
	}
	d.keys("home", "space")
	d.requireScreen("space puts it back")
	d.keys("enter")
	if got := d.stepAt(at).StringsFlag("document_countries"); !slices.Equal(got, []string{"GEO"}) {
		t.Fatalf("document_countries %v, want [GEO]", got)
	}
}

// A property with a problem is marked where it is edited, and the problem's
// message shows when the property is selected.
func TestPropertiesShowTheirProblems(t *testing.T) {
	content := `{"steps": [{"type": "identity-document", "flags": {"document_countries": ["US"], "document_types": ["id"]}}]}`
	d := driverOnFlow(t, content)
	d.keys("enter")
	d.requireStepEditor("identity-document")
	d.requireScreen("✗ country-code")
	if strings.Contains(d.screen(), "✗ enum") {
		t.Fatal("a valid property is marked")
	}
	selectProp(t, d, "document_countries")
	d.requireScreen(`"US" is not an ISO 3166-1 alpha-3`)
}

// The read-only JSON of a step scrolls to its very last line, below the
// explanation whatever its height.
func TestReadOnlyStepScrollsToTheEnd(t *testing.T) {
	var flags []string
	for i := range 40 {
		flags = append(flags, fmt.Sprintf(`"f%02d": %d`, i, i))
	}
	content := `{"steps": [{"type": "livenes", "flags": {` + strings.Join(flags, ", ") + `}, "last_member": true}]}`
	d := driverOnFlow(t, content)
	d.keys("enter", "end")
	d.requireScreen(`"last_member": true`)
}

// d, which deletes in lists, says what to do where nothing can go.
func TestDeleteInAStepEditorSaysWhy(t *testing.T) {
	d, _ := openStep(t, "email")
	selectProp(t, d, "key")
	before := d.app.doc.State()
	d.keys("d")
	d.requireScreen("key cannot be removed; enter changes it")
	if d.app.doc.State() != before {
		t.Fatal("d changed the flow")
	}
}

// A multi-select keeps the file's order and adds new choices after it.
func TestPickerKeepsTheFilesOrder(t *testing.T) {
	content := `{"steps": [{"type": "identity-document", "flags": {"document_countries": ["USA", "XYZ", "DEU"]}}]}`
	d := driverOnFlow(t, content)
	d.keys("enter")
	d.requireStepEditor("identity-document")
	at := flow.StepPath{0}
	selectProp(t, d, "document_countries")
	d.keys("enter", "/")
	d.typeText("NER")
	d.keys("down", "space", "enter")
	if got := d.stepAt(at).StringsFlag("document_countries"); !slices.Equal(got, []string{"USA", "XYZ", "DEU", "NER"}) {
		t.Fatalf("document_countries %v", got)
	}
}

// An undo that puts another step where the edited one was closes the
// editor rather than have it edit that other step.
func TestStepEditorDoesNotEditTheStepUndoPutsInItsPlace(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	types := stepTypes(d.app.doc.Config)
	d.keys("j", "J") // the second step moves down one place
	d.keys("k", "enter")
	d.requireStepEditor(types[2])
	d.keys("u") // undo the move: the second step is back in that place
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("after the undo the editor is still open: %q", d.top().Title())
	}
}
