package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// changeOnDisk rewrites the file at path as another program would, with
// old replaced by new, and returns what it then holds.
func changeOnDisk(t *testing.T, path, old, new string) []byte {
	t.Helper()
	s := readFile(t, path)
	changed := strings.Replace(s, old, new, 1)
	if changed == s {
		t.Fatalf("%q is not in %s", old, path)
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	return []byte(changed)
}

// requireOnDisk fails unless the file holds want: the save did not write.
func requireOnDisk(t *testing.T, d *driver, path string, want []byte, what string) {
	t.Helper()
	if got := readFile(t, path); got != string(want) {
		t.Fatalf("%s: the file was written over\n%s", what, d.screen())
	}
}

func requireQuestion(t *testing.T, d *driver) *diskChangedQuestion {
	t.Helper()
	q, ok := d.top().(*diskChangedQuestion)
	if !ok {
		t.Fatalf("top is %T, want the changed-on-disk question\n%s", d.top(), d.screen())
	}
	return q
}

// esc on the changed-on-disk question grants nothing: the next save finds
// the file still changed and asks again, and a newer change is shown with
// the one before.
func TestSaveAsksAgainAfterTheQuestionWasCancelled(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	first := changeOnDisk(t, path, `"Branch 12 walk-in"`, `"external1"`)
	d.keys("ctrl+s")
	requireQuestion(t, d)
	d.keys("esc")
	d.editor()
	d.keys("ctrl+s")
	requireQuestion(t, d)
	requireOnDisk(t, d, path, first, "ctrl+s after esc, on the same content")
	d.keys("esc")

	second := changeOnDisk(t, path, `"liveness": false`, `"liveness": true`)
	d.keys("ctrl+s")
	requireQuestion(t, d)
	requireOnDisk(t, d, path, second, "ctrl+s after esc, over a newer change")
	d.resize(120, 40)
	d.requireScreen(`"Branch 12 walk-in" → "external1"`, "flag liveness: false → true")
	// ctrl+s on the question writes over what it showed.
	d.keys("ctrl+s")
	if readFile(t, path) == string(second) || d.app.doc.Dirty() {
		t.Fatalf("ctrl+s on the question did not write\n%s", d.screen())
	}
}

// The question's ctrl+s writes over the content it showed, and that only:
// a change made while it was open is shown before anything is written.
func TestOverwriteCoversOnlyTheContentShown(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	changeOnDisk(t, path, `"Branch 12 walk-in"`, `"external1"`)
	d.keys("ctrl+s")
	requireQuestion(t, d)
	newer := changeOnDisk(t, path, `"liveness": false`, `"liveness": true`)
	d.keys("ctrl+s")
	requireOnDisk(t, d, path, newer, "ctrl+s on a question that showed an older change")
	requireQuestion(t, d)
	d.resize(120, 40)
	d.requireScreen("flag liveness: false → true")
	d.keys("ctrl+s")
	if readFile(t, path) == string(newer) {
		t.Fatal("ctrl+s on the question showing the newer change did not write")
	}
}

// "Save and quit" asks like ctrl+s when the file changed on disk, also
// after the question was cancelled once; cancelling it does not quit, and
// ctrl+s on it writes and quits.
func TestSaveAndQuitAsksWhenTheFileChangedOnDisk(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	theirs := changeOnDisk(t, path, `"Branch 12 walk-in"`, `"external1"`)
	d.keys("ctrl+s", "esc")
	d.keys("ctrl+c")
	d.requireScreen("Save and quit")
	d.keys("enter")
	requireOnDisk(t, d, path, theirs, "save and quit")
	if d.quit {
		t.Fatal("quit without saving")
	}
	requireQuestion(t, d)
	d.requireScreen("and quits")
	d.keys("esc")
	if d.quit {
		t.Fatal("cancelling the question quit")
	}
	d.editor()

	d.keys("ctrl+c", "enter")
	requireQuestion(t, d)
	d.keys("ctrl+s")
	if readFile(t, path) == string(theirs) || !d.quit {
		t.Fatalf("ctrl+s on the question asked by save and quit: quit %v\n%s", d.quit, d.screen())
	}
}

// A draft recovered over a changed file asks on every save until one
// writes, not only on the first.
func TestRecoveredDraftAsksAgainAfterTheQuestionWasCancelled(t *testing.T) {
	a, _, store := twoFolders(t)
	file := filepath.Join(a, "crash.json")
	crashAfterEdit(t, store)
	changed := changeOnDisk(t, file, `"Branch 12 walk-in"`, `"changed elsewhere"`)
	d := newDriver(t, withStore(store), withFile("crash.json"))
	requireDraftPrompt(t, d)
	d.keys("enter")
	d.keys("ctrl+s")
	requireQuestion(t, d)
	d.keys("esc", "ctrl+s")
	requireOnDisk(t, d, file, changed, "ctrl+s after esc on a recovered draft")
	requireQuestion(t, d)
	d.keys("esc", "ctrl+c", "enter")
	requireOnDisk(t, d, file, changed, "save and quit on a recovered draft")
	requireQuestion(t, d)
	if d.quit {
		t.Fatal("quit without saving")
	}
}
