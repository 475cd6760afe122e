package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// showPane presses tab until the editor shows the tab named name.
func (d *driver) showPane(name string) {
	d.tb.Helper()
	for range 12 {
		if d.editor().Title() == name {
			return
		}
		d.keys("tab")
	}
	d.tb.Fatalf("no tab %q:\n%s", name, d.screen())
}

// theirSave is kyc-basic.json as another window saved it: renamed, the
// liveness check on, an email step added.
func theirSave(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), `"Branch 12 walk-in"`, `"Branch 14"`, 1)
	s = strings.Replace(s, `"liveness": false`, `"liveness": true`, 1)
	s = strings.Replace(s, "\n  ]\n}", `, {"type": "email", "key": "email"}`+"\n  ]\n}", 1)
	if s == string(data) || !strings.Contains(s, `"email"`) {
		t.Fatal("the other save changed nothing")
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return []byte(s)
}

// The Changes tab lists what ctrl+s would write, one line per change with
// what it introduces; after the save there is nothing left to list.
func TestChangesTabShowsWhatSaveWillWrite(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.showPane("Changes")
	d.requireScreen("No changes.", "Changes │", "kyc-basic.json was read or last saved")

	d.showPane("Steps")
	d.selectStepAt(1)
	d.keys("d")
	d.showPane("Flags")
	selectProp(t, d, "skip_face")
	d.keys("space")
	d.showPane("Changes")
	d.requireFits()
	d.requireScreen("Changes 2", "2 changes; introduces 1 warning", "ctrl+s saves them to kyc-basic.json",
		"~ flag skip_face: true → false",
		`- removed step "identity-document" (identity-document) at 2`,
		"introduces warning duplicate-step at /steps/1")

	d.keys("ctrl+s")
	d.requireScreen("saved ", "No changes.", "Changes │")
	if d.app.doc.Dirty() {
		t.Fatal("the save left the flow unsaved")
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), "identity-document") {
		t.Fatal("the file still has the removed step")
	}
	// Undo takes the flow away from the file as written: listed again.
	d.keys("u")
	d.requireScreen("Changes 1", "~ flag skip_face: false → true", "fixes warning duplicate-step")
}

// A file that does not exist yet is a new file: everything in the flow is
// added by the save.
func TestChangesTabOfAFileNotYetCreated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.json")
	d := newDriver(t, withFile(path))
	d.showPane("Steps")
	d.keys("a", "enter") // the catalog's first type
	d.showPane("Changes")
	d.requireScreen("New file · ", "new.json does not exist yet; ctrl+s creates it", "+ added step ")
	d.keys("ctrl+s")
	d.requireScreen("No changes.")
}

// enter on a change shows its place: here the step editor of the changed
// step, at the changed flag.
func TestChangesTabEnterGoesToTheChange(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.selectStepAt(2)
	d.keys("enter")
	d.requireStepEditor("liveness")
	selectProp(t, d, "allow_face_upload")
	d.keys("space", "esc")
	d.showPane("Changes")
	d.requireScreen(`step "liveness" › flag allow_face_upload: false → true`)
	d.keys("home", "enter")
	d.requireStepEditor("liveness")
	if got := d.selectedLabel(); got != "allow_face_upload" {
		t.Fatalf("the jump selected %q", got)
	}
}

// A long list scrolls with the cursor, which stays in view.
func TestChangesTabScrolls(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	for range 12 {
		d.keys("a", "enter") // the catalog's first type, each with its own key
	}
	d.showPane("Changes")
	d.requireScreen("Changes 12")
	d.keys("end")
	d.requireFits()
	last := d.screen()
	if !strings.Contains(last, "▸ ") {
		t.Fatalf("the cursor is out of view after end:\n%s", last)
	}
	d.keys("pgup", "pgup", "pgup", "home")
	if s := d.screen(); s == last || !strings.Contains(s, "▸ ") {
		t.Fatalf("home did not scroll back:\n%s", s)
	}
}

// A save that finds the file changed on disk shows what the other save
// changed, and leaves the file alone until told to overwrite it.
func TestSaveOverAChangedFileShowsTheirChanges(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d") // remove the language step
	theirs := theirSave(t, path)
	d.keys("ctrl+s")
	if _, ok := d.top().(*diskChangedQuestion); !ok {
		t.Fatalf("top is %T, want the question", d.top())
	}
	d.requireFits()
	d.requireScreen("kyc-basic.json changed on disk since this window read it",
		"What the other save changed: 3 changes",
		`~ session field name: "Branch 12 walk-in" → "Branch 14"`,
		`~ step "liveness" › flag liveness: false → true`,
		`+ added step "email" (email) at 4`,
		"introduces warning unreachable at /steps/3",
		"ctrl+s again overwrites it", "ctrl+w saves this window's flow elsewhere", "esc cancels")
	// esc keeps editing; the file stays as they saved it.
	d.keys("esc")
	d.editor()
	if _, ok := d.top().(*diskChangedQuestion); ok {
		t.Fatal("esc left the question open")
	}
	if now, _ := os.ReadFile(path); string(now) != string(theirs) || !d.app.doc.Dirty() {
		t.Fatal("cancelling wrote the file or marked the flow saved")
	}
	// Asked again, ctrl+s on the question overwrites and closes it.
	d.keys("d")
	d.keys("ctrl+s")
	if _, ok := d.top().(*diskChangedQuestion); !ok {
		t.Fatalf("top is %T, want the question again", d.top())
	}
	d.keys("ctrl+s")
	if now, _ := os.ReadFile(path); string(now) == string(theirs) {
		t.Fatal("ctrl+s on the question did not overwrite")
	}
	if _, ok := d.top().(*diskChangedQuestion); ok {
		t.Fatal("the question stays open after the save")
	}
	d.requireScreen("saved ")
}

// ctrl+w on the question saves elsewhere; the changed file is left as the
// other save wrote it, and the question is answered.
func TestSaveOverAChangedFileElsewhere(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	theirs := theirSave(t, path)
	d.keys("ctrl+s", "ctrl+w")
	for range len(path) + 2 {
		d.keys("backspace")
	}
	other := filepath.Join(t.TempDir(), "mine.json")
	d.typeText(other)
	d.keys("enter")
	if d.app.doc.Path != other || d.app.doc.Dirty() {
		t.Fatalf("after save as: path %q dirty %v", d.app.doc.Path, d.app.doc.Dirty())
	}
	if now, _ := os.ReadFile(path); string(now) != string(theirs) {
		t.Fatal("saving elsewhere wrote over the changed file")
	}
	for _, s := range d.app.stack {
		if _, ok := s.(*diskChangedQuestion); ok {
			t.Fatal("the question is still on the stack")
		}
	}
}

// A file that appeared since this window looked, or that holds no flow
// now, is said so.
func TestSaveOverAFileCreatedOrBrokenMeanwhile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.json")
	d := newDriver(t, withFile(path))
	d.showPane("Steps")
	d.keys("a", "enter")
	if err := os.WriteFile(path, []byte(`{"steps": [{"type": "email", "key": "theirs"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	d.keys("ctrl+s")
	d.requireScreen("new.json was created on disk since this window looked", `+ added step "theirs" (email)`)
	if err := os.WriteFile(path, []byte(`{"steps": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	d.keys("esc", "d", "ctrl+s")
	d.requireScreen("It holds no flow now: ")
}

// TestChangesGolden pins the Changes tab at 80×24 and 120×40 (where the
// selected change shows in full beside the list), colour-free.
// Regenerate with: go test ./tui -run TestChangesGolden -update
func TestChangesGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("changes_%dx%d", size[0], size[1]), func(t *testing.T) {
			d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
			d.resize(size[0], size[1])
			d.selectStepAt(1)
			d.keys("d")
			d.showPane("Flags")
			selectProp(t, d, "skip_face")
			d.keys("space")
			d.showPane("Changes")
			d.keys("down")
			d.requireFits()
			golden.RequireEqual(t, d.screen())
		})
	}
}
