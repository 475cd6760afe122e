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

// openFlow starts the wizard on a copy of a repository test file.
func openFlow(t *testing.T, src string, opts ...driverOpt) (*driver, string) {
	t.Helper()
	path := copyFile(t, src, t.TempDir())
	d := newDriver(t, append([]driverOpt{withFile(path)}, opts...)...)
	d.editor() // fails unless the editor opened
	return d, path
}

func (d *driver) stepTypes() []string { return stepTypes(d.app.doc.Config) }

func (d *driver) selectedStep() flow.StepPath { return d.editor().SelectedStep() }

// selectStepAt puts the step list's cursor on row i.
func (d *driver) selectStepAt(i int) {
	d.tb.Helper()
	d.keys("home")
	for range i {
		d.keys("down")
	}
}

func requireTypes(t *testing.T, d *driver, want ...string) {
	t.Helper()
	if got := d.stepTypes(); !slices.Equal(got, want) {
		t.Fatalf("steps %v, want %v", got, want)
	}
}

func requirePath(t *testing.T, got flow.StepPath, want ...int) {
	t.Helper()
	if !slices.Equal(got, flow.StepPath(want)) {
		t.Fatalf("selected %v, want %v", got, want)
	}
}

func TestStepListShowsTypeKeyTitleAndNesting(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/video-call-scheduled.json")
	d.resize(120, 40)
	lines := strings.Split(d.screen(), "\n")
	var rows []string
	for _, l := range lines {
		if strings.Contains(l, "└") || strings.Contains(l, " 1. ") || strings.Contains(l, " 2. ") {
			rows = append(rows, l)
		}
	}
	if len(rows) < 4 {
		t.Fatalf("step rows %q", rows)
	}
	if !strings.Contains(rows[0], "video-call") || strings.Contains(rows[0], "└") {
		t.Errorf("first row %q: want the call, not indented", rows[0])
	}
	for _, r := range rows[1:4] {
		if !strings.Contains(r, "└") {
			t.Errorf("nested step row %q is not indented under its call", r)
		}
	}
	d.requireScreen("call-document", "call-liveness", "identity-document")

	// A step's title shows beside its key, in the flow's language.
	path := filepath.Join(t.TempDir(), "titled.json")
	if err := os.WriteFile(path, []byte(`{"flags":{"language":"es"},"steps":[{"type":"email","key":"mail","title":{"en":"Your email","es":"Tu correo"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	d2 := newDriver(t, withFile(path))
	d2.requireScreen("email", "mail", "Tu correo")
}

func TestAddFromCatalogInsertsAfterSelectedAndSelectsIt(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("j") // identity-document
	d.keys("a")
	if title := d.top().Title(); title != "add a step" {
		t.Fatalf("a opened %q, want the catalog", title)
	}
	d.keys("/")
	d.typeText("email")
	d.keys("enter")
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("after enter top is %T, want the editor", d.top())
	}
	requireTypes(t, d, "language", "identity-document", "email", "liveness")
	requirePath(t, d.selectedStep(), 2)
	d.requireScreen("added email step", "kyc-basic.json*")
	// The catalog's filter does not stay for the next add.
	d.keys("a")
	if strings.Contains(d.screen(), "/email") {
		t.Fatal("the catalog kept the last filter")
	}
	d.keys("esc")
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("esc left %T on top", d.top())
	}
	requireTypes(t, d, "language", "identity-document", "email", "liveness")
}

func TestAddWithoutFilterAndToEmptyFlow(t *testing.T) {
	d := newDriver(t)
	d.keys("enter") // empty flow
	d.requireScreen("No steps yet")
	d.keys("a", "down", "down", "enter") // the third entry: liveness
	requireTypes(t, d, "liveness")
	if !d.app.doc.Config.BoolFlag("skip_face") {
		t.Fatal("adding liveness should set skip_face")
	}
	d.keys("a", "end", "enter")
	requireTypes(t, d, "liveness", "operator-questionnaire")
	requirePath(t, d.selectedStep(), 1)
}

func TestCatalogListsEveryTypeWithSummaryAndFilters(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.resize(120, 40)
	d.keys("a")
	specs := flow.StepSpecs()
	if len(specs) != 14 {
		t.Fatalf("%d step types, the spec has 14", len(specs))
	}
	for _, sp := range specs {
		d.requireScreen(sp.Type, sp.Summary)
	}
	d.keys("/")
	d.typeText("kyb")
	vis := d.shownStepTypes()
	// The type named so comes first, then those that mention it.
	if !slices.Equal(vis, []string{"kyb-review", "company", "beneficiaries"}) {
		t.Fatalf("filter kyb shows %v", vis)
	}
	if strings.Contains(d.screen(), "liveness ") {
		t.Fatal("a filtered-out type is still on screen")
	}
	d.keys("esc") // clears the filter
	if len(d.shownStepTypes()) != 14 {
		t.Fatal("esc did not clear the filter")
	}
	d.keys("/")
	d.typeText("zzz")
	d.requireScreen("no step type matches")
	d.keys("enter")
	requireTypes(t, d, "language", "identity-document", "liveness")
}

func TestCatalogInVideoCallOffersOnlyAllowedTypes(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/video-call-scheduled.json")
	d.keys("j") // a step inside the call
	if !d.selectedStep().Nested() {
		t.Fatalf("selected %v, want a nested step", d.selectedStep())
	}
	d.keys("a")
	for _, typ := range d.shownStepTypes() {
		if !flow.AllowedInVideoCall(typ) {
			t.Errorf("the catalog offers %s inside a video call", typ)
		}
	}
	d.keys("enter")
	requirePath(t, d.selectedStep(), 0, 1)
}

func TestRemoveUndoRedo(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("j", "d")
	requireTypes(t, d, "language", "liveness")
	d.requireScreen("u to undo")
	d.keys("u")
	requireTypes(t, d, "language", "identity-document", "liveness")
	d.requireScreen("undid: remove identity-document step")
	d.keys("ctrl+r")
	requireTypes(t, d, "language", "liveness")
	d.keys("ctrl+r")
	d.requireScreen("nothing to redo")
	d.keys("u", "u")
	d.requireScreen("nothing to undo")
	requireTypes(t, d, "language", "identity-document", "liveness")
	if d.app.doc.Dirty() {
		t.Fatal("undoing everything should leave nothing unsaved")
	}
}

func TestRemoveLastStepMovesCursorUp(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("G", "d")
	requirePath(t, d.selectedStep(), 1)
	d.keys("d", "d")
	requireTypes(t, d)
	d.keys("d") // nothing left: nothing happens
	d.requireScreen("No steps yet")
}

func TestDuplicate(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("G", "c")
	requireTypes(t, d, "language", "identity-document", "liveness", "liveness")
	requirePath(t, d.selectedStep(), 3)
	keys := d.app.doc.Config.StepKeys()
	if len(keys) != 4 {
		t.Fatalf("the duplicate's key is not unique: %v", keys)
	}
	d.keys("u")
	requireTypes(t, d, "language", "identity-document", "liveness")
}

func TestMoveUpDown(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("J")
	requireTypes(t, d, "identity-document", "language", "liveness")
	requirePath(t, d.selectedStep(), 1)
	d.keys("shift+down")
	requireTypes(t, d, "identity-document", "liveness", "language")
	requirePath(t, d.selectedStep(), 2)
	d.keys("J") // already last: nothing happens, no history entry
	requireTypes(t, d, "identity-document", "liveness", "language")
	d.keys("K", "shift+up")
	requireTypes(t, d, "language", "identity-document", "liveness")
	requirePath(t, d.selectedStep(), 0)
	d.keys("u")
	requireTypes(t, d, "identity-document", "language", "liveness")
	d.keys("u", "u", "u")
	requireTypes(t, d, "language", "identity-document", "liveness")
	if d.app.doc.CanUndo() {
		t.Fatal("a move that did nothing was recorded in the history")
	}
}

func TestUndoKeepsAtLeastAHundredLevels(t *testing.T) {
	d := newDriver(t)
	d.keys("enter")       // empty flow
	d.keys("tab", "down") // flags: skip_document
	const n = 150
	for range n {
		d.keys("space")
	}
	if d.app.doc.Config.BoolFlag("skip_document") {
		t.Fatal("an even number of toggles left the flag on")
	}
	for i := range n {
		d.keys("u")
		if want := i%2 == 0; d.app.doc.Config.BoolFlag("skip_document") != want {
			t.Fatalf("after %d undos the flag is %v", i+1, !want)
		}
	}
	if d.app.doc.Dirty() || d.app.doc.Config.Flag("skip_document") != nil {
		t.Fatalf("%d undos did not return to the flow as it was", n)
	}
}

func TestEnterOpensStepEditorEscReturns(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("G", "enter")
	d.requireStepEditor("liveness")
	st, _ := d.app.doc.Config.StepAt(flow.StepPath{2})
	if want := fmt.Sprintf("%s step %q", st.Type(), st.EffectiveKey()); d.top().Title() != want {
		t.Fatalf("editor of %q, want the third step's (%q)", d.top().Title(), want)
	}
	d.requireScreen("Liveness", "key", "title", "liveness", "allow_face_upload")
	d.keys("esc")
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("esc left %T", d.top())
	}
	requirePath(t, d.selectedStep(), 2)
}

func TestFlagsPaneEditsAllNineFlags(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "tab")
	for _, f := range flow.GlobalFlags() {
		d.requireScreen(f.Name)
	}
	if n := len(flow.GlobalFlags()); n != 9 {
		t.Fatalf("%d global flags, the spec has 9", n)
	}
	// skip_desktop is the fifth.
	d.keys("down", "down", "down", "down", "space")
	if !d.app.doc.Config.BoolFlag("skip_desktop") {
		t.Fatal("space did not set skip_desktop")
	}
	d.keys("enter")
	if d.app.doc.Config.BoolFlag("skip_desktop") {
		t.Fatal("enter did not toggle skip_desktop back")
	}
}

func TestFlagToggleRevalidates(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	before := len(d.app.doc.Diags)
	d.keys("tab") // flags; skip_face first
	d.keys("space")
	if !slices.ContainsFunc(d.app.doc.Diags, func(x flow.Diagnostic) bool {
		return strings.Contains(x.Path, "skip_face") || strings.Contains(x.Message, "skip_face")
	}) {
		t.Fatalf("turning skip_face off with a liveness step gives no diagnostic (had %d, now %v)", before, d.app.doc.Diags)
	}
	d.requireScreen("⚠ 1")
}

func TestURLFlagCheckedAsYouType(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "tab", "down", "down", "enter") // return_url
	d.typeText("bank.example")
	d.requireScreen("not an absolute http(s) URL")
	d.keys("enter") // refused: still editing, nothing set
	if d.app.doc.Config.Flag("return_url") != nil {
		t.Fatal("an invalid URL was stored")
	}
	if !d.editor().Capturing() {
		t.Fatal("a refused URL ended the editing")
	}
	for range len("bank.example") {
		d.keys("backspace")
	}
	d.typeText("https://bank.example/done")
	if strings.Contains(d.screen(), "not an absolute") {
		t.Fatal("a valid URL is still flagged")
	}
	d.keys("enter")
	if got, _ := d.app.doc.Config.Flag("return_url").Str(); got != "https://bank.example/done" {
		t.Fatalf("return_url %q", got)
	}
	// While typing, letters are text, not commands.
	d.keys("enter")
	d.typeText("uad")
	if d.app.doc.Config.Flag("return_url") == nil || len(d.app.doc.Config.Steps()) != 0 {
		t.Fatal("letters typed into a field ran commands")
	}
	d.keys("esc")
	if got, _ := d.app.doc.Config.Flag("return_url").Str(); got != "https://bank.example/done" {
		t.Fatalf("esc did not cancel the edit: %q", got)
	}
	// Empty removes the flag.
	d.keys("enter")
	for range 40 {
		d.keys("backspace")
	}
	d.keys("enter")
	if d.app.doc.Config.Flag("return_url") != nil {
		t.Fatal("an empty URL did not remove the flag")
	}
}

func TestLanguageFlagIsAPicker(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "tab", "down", "down", "down", "enter")
	p, ok := d.top().(*widget.Picker)
	if !ok {
		t.Fatalf("enter on language opened %T", d.top())
	}
	if p.Multi() {
		t.Fatal("the interface language picker allows several")
	}
	d.keys("/")
	d.typeText("georg")
	d.keys("enter")
	if got := d.app.doc.Config.Language(); got != "ka" {
		t.Fatalf("language %q, want ka", got)
	}
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("top %T after choosing", d.top())
	}
	d.requireScreen("Georgian (ka)")
}

func TestSessionFields(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "tab", "tab")
	for _, f := range []string{"name", "clientUserId", "groupId", "parent_session_id", "config_id", "scheduleStartTime", "scheduleEndTime"} {
		d.requireScreen(f)
	}
	d.keys("enter")
	d.typeText("Walk-in")
	d.keys("enter")
	if got := d.app.doc.Config.String("name"); got != "Walk-in" {
		t.Fatalf("name %q", got)
	}
	// scheduleStartTime: RFC 3339 checked as typed.
	d.keys("end", "up", "enter")
	d.typeText("tomorrow")
	d.requireScreen("not an RFC 3339 time")
	d.keys("enter")
	if d.app.doc.Config.Get("scheduleStartTime") != nil {
		t.Fatal("an invalid time was stored")
	}
	d.keys("esc", "enter")
	d.typeText("2025-06-20T07:30:00Z")
	d.keys("enter")
	if got := d.app.doc.Config.String("scheduleStartTime"); got != "2025-06-20T07:30:00Z" {
		t.Fatalf("scheduleStartTime %q", got)
	}
	d.keys("down", "enter")
	d.typeText("2025-06-20T07:00:00Z")
	d.requireScreen("the end must be after the start")
	d.keys("enter")
	if d.app.doc.Config.Get("scheduleEndTime") != nil {
		t.Fatal("an end before the start was stored")
	}
}

func TestProblemsPaneCountsAndJumps(t *testing.T) {
	t.Run("to a global flag", func(t *testing.T) {
		d, _ := openFlow(t, "../testdata/invalid/url.json")
		d.keys("tab", "tab", "tab")
		d.requireScreen("✗ 1", "/flags/return_url")
		d.keys("enter")
		if pane := d.editor().Title(); pane != "Flags" {
			t.Fatalf("jumped to pane %v", pane)
		}
		if label := d.selectedLabel(); label != "return_url" {
			t.Fatalf("cursor on %q, want return_url", label)
		}
	})
	t.Run("to a step's field", func(t *testing.T) {
		d, _ := openFlow(t, "../testdata/invalid/country-code.json")
		diags := d.app.doc.Diags
		i := slices.IndexFunc(diags, func(x flow.Diagnostic) bool { return strings.Contains(x.Path, "/document_countries") })
		if i < 0 {
			t.Fatalf("no document_countries diagnostic in %v", diags)
		}
		d.keys("tab", "tab", "tab")
		for range i {
			d.keys("down")
		}
		d.keys("enter")
		d.requireStepEditor("identity-document")
		if label := d.selectedLabel(); label != "document_countries" {
			t.Fatalf("cursor on %q, want document_countries", label)
		}
		d.keys("esc")
		if pane := d.editor().Title(); pane != "Problems" {
			t.Fatalf("esc after go to: back in pane %v, want Problems", pane)
		}
	})
	t.Run("no problems", func(t *testing.T) {
		d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
		d.keys("tab", "tab", "tab")
		d.requireScreen("No problems", "Problems 0")
		d.keys("enter", "down", "up")
		if _, ok := d.top().(*editor.Editor); !ok {
			t.Fatalf("enter with no problems opened %T", d.top())
		}
	})
}

func TestJSONPaneIsWhatIsSavedWithoutCredentials(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.resize(120, 80)
	d.keys("tab", "tab", "tab", "tab")
	want := strings.TrimRight(string(d.app.doc.Config.Bytes()), "\n")
	got := jsonOnScreen(d)
	if got != want {
		t.Fatalf("JSON pane:\n%s\nwant:\n%s", got, want)
	}
	d.keys("ctrl+s")
	saved, _ := os.ReadFile(path)
	if strings.TrimRight(string(saved), "\n") != got {
		t.Fatalf("saved file differs from the JSON pane:\n%s", saved)
	}

	c, _ := openFlow(t, "../testdata/invalid/credential.json")
	c.resize(120, 40)
	for _, k := range []string{"", "tab", "tab", "tab", "tab"} {
		if k != "" {
			c.keys(k)
		}
		if s := c.screen(); strings.Contains(s, "REPLACE_ME") {
			t.Fatalf("the credential is on screen:\n%s", s)
		}
	}
	c.requireScreen("credential hidden")
}

// jsonOnScreen cuts the JSON pane's text out of the frame.
func jsonOnScreen(d *driver) string {
	lines := strings.Split(d.screen(), "\n")
	var out []string
	for _, l := range lines[3 : len(lines)-2] {
		out = append(out, strings.TrimRight(l, " "))
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n")
}

func TestTabCyclesPanes(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	var seen []string
	panes := []string{"Steps", "Flags", "Session", "Problems", "JSON", "Changes", "Translations"}
	for range panes {
		seen = append(seen, d.editor().Title())
		d.keys("tab")
	}
	if !slices.Equal(seen, panes) || d.editor().Title() != "Steps" {
		t.Fatalf("tab visits %v", seen)
	}
	d.keys("shift+tab")
	if pane := d.editor().Title(); pane != "Translations" {
		t.Fatalf("shift+tab went to %v", pane)
	}
}

// --- keys that mean nothing ---

func TestKeysThatMeanNothingChangeNothing(t *testing.T) {
	idle := []string{"x", "z", "!", "Q", "f5", "insert", "alt+x", "ctrl+t", "left", "right", "7"}
	places := []struct {
		name string
		keys []string
	}{
		{"steps", nil},
		{"flags", []string{"tab"}},
		{"session", []string{"tab", "tab"}},
		{"problems", []string{"tab", "tab", "tab"}},
		{"json", []string{"tab", "tab", "tab", "tab"}},
		{"step editor", []string{"enter"}},
		{"catalog", []string{"a"}},
		{"picker", []string{"enter", "down", "down", "down", "enter"}},
	}
	for _, pl := range places {
		t.Run(pl.name, func(t *testing.T) {
			d, path := openFlow(t, "../testdata/invalid/url.json")
			before, _ := os.ReadFile(path)
			d.keys(pl.keys...)
			top := fmt.Sprintf("%T", d.top())
			state, frame := d.app.doc.State(), d.screen()
			for _, k := range idle {
				d.keys(k)
				if d.app.doc.State() != state {
					t.Fatalf("%s changed the flow", k)
				}
				if got := d.screen(); got != frame {
					t.Fatalf("%s changed the screen:\n%s\nwas:\n%s", k, got, frame)
				}
				if got := fmt.Sprintf("%T", d.top()); got != top {
					t.Fatalf("%s changed the screen from %s to %s", k, top, got)
				}
			}
			after, _ := os.ReadFile(path)
			if string(after) != string(before) || d.quit {
				t.Fatal("idle keys wrote the file or quit")
			}
		})
	}
}

func TestUnknownStepTypeOpensReadOnly(t *testing.T) {
	d, _ := openFlow(t, "../testdata/invalid/unknown-step-type.json")
	i := slices.IndexFunc(d.app.doc.Config.Steps(), func(s flow.Step) bool {
		_, known := flow.LookupStep(s.Type())
		return !known
	})
	if i < 0 {
		t.Skip("the file has no unknown step type")
	}
	d.selectStepAt(i)
	d.keys("enter")
	if title := d.top().Title(); !strings.HasSuffix(title, "(read-only)") {
		t.Fatalf("an unknown step type opened %q", title)
	}
	d.keys("esc")
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("esc left %T", d.top())
	}
}

func TestLaunchRefusedWhileErrors(t *testing.T) {
	d, _ := openFlow(t, "../testdata/invalid/url.json")
	d.keys("L")
	if d.editor().Title() != "Problems" {
		t.Fatal("launching a flow with errors did not show the problems")
	}
	d.requireScreen("cannot launch")
}

func TestStepEditorSaveWritesFile(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("G", "enter")
	d.requireStepEditor("liveness")
	selectProp(t, d, "liveness")
	d.keys("space", "ctrl+s")
	d.requireStepEditor("liveness")
	st, _ := readConfig(t, path).StepAt(flow.StepPath{2})
	if !st.BoolFlag("liveness") {
		t.Fatal("the saved file lacks the change made in the step editor")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), ".kyc-basic.json.tmp")); err == nil {
		t.Fatal("temporary file left")
	}
}

func TestProblemsScrollKeepsCursorInView(t *testing.T) {
	var steps []string
	for i := range 30 {
		steps = append(steps, fmt.Sprintf(`{"type":"liveness","key":"k","flags":{"liveness":"yes-%d"}}`, i))
	}
	d := driverOnFlow(t, `{"flags":{"return_url":"nope"},"steps":[`+strings.Join(steps, ",")+`]}`)
	d.keys("tab", "tab", "tab")
	n := len(d.app.doc.Diags)
	if n < 20 {
		t.Fatalf("only %d diagnostics", n)
	}
	for i := range n + 2 {
		d.requireFits()
		if !strings.Contains(d.screen(), "▸ ") {
			t.Fatalf("after %d downs the cursor is off screen:\n%s", i, d.screen())
		}
		d.keys("down")
	}
	d.keys("home")
	d.requireScreen("▸ ")
}

func TestCtrlSKeepsTextBeingTyped(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("tab", "tab", "enter") // session: name
	for range 40 {
		d.keys("backspace")
	}
	d.typeText("Desk 4")
	d.keys("ctrl+s")
	if got := readConfig(t, path).String("name"); got != "Desk 4" {
		t.Fatalf("saved name %q: the text being typed was left out", got)
	}
	if d.app.doc.Dirty() || d.editor().Capturing() {
		t.Fatal("after saving, the field is still being edited or the flow unsaved")
	}
	// A text the field refuses stays being edited and is not saved.
	d.keys("tab", "shift+tab", "shift+tab", "down", "down", "enter") // flags: return_url
	for range 60 {
		d.keys("backspace")
	}
	d.typeText("nope")
	d.keys("ctrl+s")
	if readConfig(t, path).Flag("return_url") == nil {
		t.Fatal("the saved return_url was lost")
	}
	if got, _ := readConfig(t, path).Flag("return_url").Str(); got == "nope" {
		t.Fatal("a refused URL was saved")
	}
	if !d.editor().Capturing() {
		t.Fatal("the refused text was dropped")
	}
	d.requireScreen("not an absolute")
}

func TestStepListFilter(t *testing.T) {
	d := newDriver(t)
	d.keys("down", "enter") // basic-kyc: language, identity-document, liveness
	d.keys("/")
	d.typeText("live")
	if s := d.screen(); !strings.Contains(s, "liveness") || strings.Contains(s, "identity-document") {
		t.Fatalf("filter did not narrow the list:\n%s", s)
	}
	d.keys("enter") // keep the filter, leave typing
	d.keys("u")     // a command again, not text: nothing to undo, nothing typed
	if got := d.app.doc.Config.Steps(); len(got) != 3 {
		t.Fatalf("steps changed: %d", len(got))
	}
	d.keys("d") // deletes the one visible step: liveness
	steps := d.app.doc.Config.Steps()
	if len(steps) != 2 || steps[1].Type() != "identity-document" {
		t.Fatalf("the filtered delete removed the wrong step: %v", stepTypes(d.app.doc.Config))
	}
	d.keys("esc") // clears the filter
	if s := d.screen(); !strings.Contains(s, "identity-document") {
		t.Fatalf("esc did not clear the filter:\n%s", s)
	}
}

// The problems list puts errors first, uses the room a bigger window
// gives, and saving a flow with errors says they are still there.
func TestProblemsErrorsFirstAndRefill(t *testing.T) {
	content := `{"flags": {"language": "xx"}, "steps": [{"type": "liveness"}, {"type": "email"}, {"type": "phone-number"}]}`
	d := driverOnFlow(t, content)
	d.keys("tab", "tab", "tab")
	lines := strings.Split(d.screen(), "\n")
	var sevs []string
	for _, l := range lines {
		for _, sev := range []string{"error", "warning", "info"} {
			if strings.HasPrefix(strings.TrimLeft(l, " ▸"), sev+" ") {
				sevs = append(sevs, sev)
			}
		}
	}
	if len(sevs) < 3 || sevs[0] != "error" || sevs[len(sevs)-1] != "info" {
		t.Fatalf("problems not listed errors first: %v\n%s", sevs, d.screen())
	}
	// Small window, cursor at the end, then a big window: all shown again.
	d.resize(80, 10)
	d.keys("end")
	d.resize(120, 40)
	if s := d.screen(); !strings.Contains(s, "error enum") {
		t.Fatalf("after growing, the first problem is still scrolled away:\n%s", s)
	}
	d.keys("ctrl+s")
	d.requireScreen("saved ", "error(s) left")
}

// "face" is the face-document step, not the language step whose summary
// says "interface".
func TestCatalogFilterPrefersNames(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "a", "/")
	d.typeText("face")
	if vis := d.shownStepTypes(); len(vis) == 0 || vis[0] != "face-document" {
		t.Fatalf("filter face: first is %v", vis)
	}
	d.keys("enter")
	if got := stepTypes(d.app.doc.Config); len(got) != 1 || got[0] != "face-document" {
		t.Fatalf("enter added %v", got)
	}
}

// d on a flag removes it, so its default applies again: the way out of a
// value that is not valid, such as an unknown language.
func TestFlagResetWithD(t *testing.T) {
	d := driverOnFlow(t, `{"flags": {"language": "xx"}, "steps": [{"type": "email", "flags": {"require_email": true}}]}`)
	d.keys("tab")
	d.requireScreen("✗ enum")
	for range 3 {
		d.keys("down")
	}
	if label := d.selectedLabel(); label != "language" {
		t.Fatalf("on %q, want language", label)
	}
	d.keys("d")
	if d.app.doc.Config.Flag("language") != nil {
		t.Fatal("d did not remove the flag")
	}
	d.requireScreen("reset language to its default")
	d.keys("d")
	d.requireScreen("already at its default")
	d.keys("?")
	d.requireScreen("reset to default")
	if s := d.screen(); strings.Contains(s, "duplicate") {
		t.Fatalf("the Flags pane's full help lists step keys:\n%s", s)
	}
}
