package tui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/tui/ui"
)

// twoFolders makes folders A and B, each with its own crash.json, and a
// store whose wizard starts in A.
func twoFolders(t *testing.T) (a, b string, store Store) {
	t.Helper()
	a, b = t.TempDir(), t.TempDir()
	for dir, src := range map[string]string{a: "../testdata/valid/kyc-basic.json", b: "../testdata/valid/kyb-verified.json"} {
		if err := os.WriteFile(filepath.Join(dir, "crash.json"), []byte(readFile(t, src)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return a, b, Store{Dir: t.TempDir(), WorkDir: a}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// crashAfterEdit opens crash.json in the store's folder, removes its first
// step, lets the draft be written and "dies" (the driver is dropped).
func crashAfterEdit(t *testing.T, store Store) {
	t.Helper()
	crashed := newDriver(t, withStore(store), withFile("crash.json"))
	crashed.editor()
	crashed.keys("d")
	crashed.fireDraft()
	if n := len(crashed.drafts()); n != 1 {
		t.Fatalf("%d drafts after the autosave", n)
	}
}

// A draft made in folder A, recovered by a wizard started in folder B
// (which has a crash.json of its own), is saved to A's file.
func TestRecoveredDraftSavesToTheFileItWasMadeFrom(t *testing.T) {
	a, b, store := twoFolders(t)
	fileA, fileB := filepath.Join(a, "crash.json"), filepath.Join(b, "crash.json")
	beforeA, beforeB := readFile(t, fileA), readFile(t, fileB)
	crashAfterEdit(t, store)
	if d := store.Drafts()[0]; d.Path != fileA || d.Base == nil || d.Base.Absent {
		t.Fatalf("the draft records path %q and base %+v; want %s and the file's content", d.Path, d.Base, fileA)
	}

	inB := store
	inB.WorkDir = b
	// Opening B's crash.json does not offer A's draft...
	d := newDriver(t, withStore(inB), withFile("crash.json"))
	d.editor()
	if d.app.doc.Dirty() || readFile(t, fileB) != beforeB {
		t.Fatal("A's draft was applied to B's file")
	}
	// ...and recovering it from home saves it to A's file.
	d = newDriver(t, withStore(inB))
	d.resize(200, 24)
	d.requireScreen("Recover unsaved work", fileA)
	d.keys("enter")
	d.requireScreen("ctrl+s writes it to " + fileA)
	d.keys("ctrl+s")
	if got := readFile(t, fileB); got != beforeB {
		t.Fatal("B's crash.json was overwritten")
	}
	if got := readFile(t, fileA); got == beforeA || d.app.doc.Dirty() {
		t.Fatalf("A's crash.json did not get the draft (dirty %v):\n%s", d.app.doc.Dirty(), d.screen())
	}
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("saving left %d draft(s)", n)
	}
}

// A draft recovered after its file changed on disk does not silently
// replace the change: the save asks first, from home and from the prompt.
func TestRecoveredDraftAsksWhenTheFileChangedOnDisk(t *testing.T) {
	for _, from := range []string{"home", "prompt"} {
		t.Run(from, func(t *testing.T) {
			a, _, store := twoFolders(t)
			file := filepath.Join(a, "crash.json")
			crashAfterEdit(t, store)
			changed := strings.Replace(readFile(t, file), `"Branch 12 walk-in"`, `"changed elsewhere"`, 1)
			if err := os.WriteFile(file, []byte(changed), 0o644); err != nil {
				t.Fatal(err)
			}
			var d *driver
			if from == "home" {
				d = newDriver(t, withStore(store))
				d.resize(200, 24)
				d.keys("enter")
			} else {
				d = newDriver(t, withStore(store), withFile("crash.json"))
				requireDraftPrompt(t, d)
				d.requireScreen("may have changed since")
				d.keys("enter")
			}
			d.requireScreen("changed on disk since")
			d.keys("ctrl+s")
			if got := readFile(t, file); got != changed {
				t.Fatal("the recovered draft was written over the change on disk without asking")
			}
			// The question says what saving the draft would change in the
			// file as it is now: the other save's name, and the step the
			// draft removed.
			d.resize(120, 40)
			d.requireScreen("changed on disk since the draft's edits began", "What saving the draft would change in it",
				`"changed elsewhere" → "Branch 12 walk-in"`, `removed step "language"`)
			d.keys("ctrl+s")
			if got := readFile(t, file); got == changed || d.app.doc.Dirty() {
				t.Fatal("a second ctrl+s did not write the draft")
			}
		})
	}
}

// A draft written before drafts recorded absolute paths names its file
// without the folder: it is recovered as a flow with no file, and the save
// asks where, rather than guess the folder.
func TestOldDraftWithARelativePathAsksWhereToSave(t *testing.T) {
	_, b, store := twoFolders(t)
	store.WorkDir = b
	fileB := filepath.Join(b, "crash.json")
	beforeB := readFile(t, fileB)
	cfg := readConfig(t, "../testdata/valid/kyc-basic.json")
	old := `{"path": "crash.json", "updated": "2025-06-01T11:00:00Z", "pid": 1, "config": ` + string(cfg.Bytes()) + `}`
	if err := os.MkdirAll(filepath.Join(store.Dir, "drafts"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(store.Dir, "drafts", "file-0123456789abcdef.json"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	store.Running = func(int) bool { return false }
	d := newDriver(t, withStore(store))
	d.requireScreen("crash.json (folder not recorded)")
	d.keys("enter")
	d.requireScreen("does not say which folder")
	if d.app.doc.Path != "" || !d.app.doc.Dirty() {
		t.Fatalf("recovered with path %q, dirty %v", d.app.doc.Path, d.app.doc.Dirty())
	}
	d.keys("ctrl+s")
	d.requireScreen("Save as")
	if readFile(t, fileB) != beforeB {
		t.Fatal("the old draft was written to the folder the wizard started in")
	}
}

// A draft that does not record the file's content it started from cannot
// tell whether the file changed: the save asks.
func TestDraftWithoutBaseAsksBeforeOverwriting(t *testing.T) {
	a, _, store := twoFolders(t)
	file := filepath.Join(a, "crash.json")
	before := readFile(t, file)
	cfg := readConfig(t, file)
	if _, err := cfg.RemoveStep([]int{0}); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveDraft(Draft{ID: DraftID(file, ""), Path: file, Updated: testNow, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withStore(store))
	d.resize(200, 24)
	d.keys("enter")
	d.requireScreen("is not known")
	d.keys("ctrl+s")
	if readFile(t, file) != before {
		t.Fatal("written over without asking")
	}
	d.requireScreen("may have changed on disk since the draft's edits began", "ctrl+s again overwrites it")
}

// The Changes tab of a draft recovered over a file that changed since
// lists what saving it would change in the file as it is now, not every
// member as added to a file that does not exist.
func TestRecoveredDraftOverAChangedFileListsChangesAgainstIt(t *testing.T) {
	for _, from := range []string{"home", "prompt", "no base"} {
		t.Run(from, func(t *testing.T) {
			a, _, store := twoFolders(t)
			file := filepath.Join(a, "crash.json")
			if from == "no base" {
				cfg := readConfig(t, file)
				if _, err := cfg.RemoveStep([]int{0}); err != nil {
					t.Fatal(err)
				}
				if err := store.SaveDraft(Draft{ID: DraftID(file, ""), Path: file, Updated: testNow, Config: cfg}); err != nil {
					t.Fatal(err)
				}
			} else {
				crashAfterEdit(t, store)
			}
			changeOnDisk(t, file, `"Branch 12 walk-in"`, `"changed elsewhere"`)
			var d *driver
			if from == "prompt" {
				d = newDriver(t, withStore(store), withFile("crash.json"))
				requireDraftPrompt(t, d)
			} else {
				d = newDriver(t, withStore(store))
				d.resize(200, 24)
			}
			d.keys("enter")
			d.resize(120, 40)
			d.showPane("Changes")
			if s := d.screen(); strings.Contains(s, "does not exist") || strings.Contains(s, "added step") {
				t.Fatalf("the Changes tab lists the draft against no file:\n%s", s)
			}
			d.requireScreen("2 changes", `"changed elsewhere" → "Branch 12 walk-in"`, `removed step "language"`, "ctrl+s saves them to crash.json")
		})
	}
}

// A draft recovered while its file could not be read asks before writing
// over it; found at the save as the draft's edits began, the file is
// written without a question, as nothing was saved over it since.
func TestRecoveredDraftOverAnUnreadFileThatDidNotChangeSavesAtOnce(t *testing.T) {
	a, _, _ := twoFolders(t)
	file := filepath.Join(a, "crash.json")
	before := readFile(t, file)
	base := fileStateOf([]byte(before), true)
	cfg := readConfig(t, file)
	if _, err := cfg.RemoveStep([]int{0}); err != nil {
		t.Fatal(err)
	}
	doc := ui.NewDoc(cfg, file, false)
	note, over := recoveredOnto(doc, Draft{Path: file, Base: &base}, file, nil, false, errors.New("permission denied"))
	if !over {
		t.Fatal("a file that could not be read is not asked about")
	}
	d := newDriver(t)
	d.send(openDocMsg{doc: doc, draftID: "file-test", base: &base, note: note, overChange: over})
	d.showPane("Changes")
	d.requireScreen("this window has not read crash.json")
	d.keys("ctrl+s")
	if _, asked := d.top().(*diskChangedQuestion); asked || readFile(t, file) == before {
		t.Fatalf("the file as the draft's edits began was not written:\n%s", d.screen())
	}
}
