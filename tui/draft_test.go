package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/widget"
)

func (d *driver) drafts() []Draft { return d.app.opts.Store.Drafts() }

// requireDraftPrompt fails unless the wizard is asking about a draft.
func requireDraftPrompt(t *testing.T, d *driver) {
	t.Helper()
	f, ok := d.top().(*widget.FormScreen)
	if !ok || f.Title() != "recover?" {
		t.Fatalf("top is %T, want the draft prompt\n%s", d.top(), d.screen())
	}
	d.requireScreen("Unsaved work found", "Recover the draft")
}

func TestDraftDelayIsUnderASecond(t *testing.T) {
	if draftDelay <= 0 || draftDelay > 1e9 {
		t.Fatalf("draft delay %v: a crash must lose no more than about a second", draftDelay)
	}
}

// The crash: edit, the autosave timer fires, the process dies without
// quitting. The next `identoflow edit` of the same file offers the draft.
func TestDraftRecoveredAfterCrashOnSameFile(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	before, _ := os.ReadFile(path)

	crashed := newDriver(t, withStore(store), withFile(path))
	timers := crashed.runner().Timers
	crashed.keys("j", "d") // remove identity-document
	if crashed.runner().Timers == timers {
		t.Fatal("an edit did not start the autosave timer")
	}
	if len(crashed.drafts()) != 0 {
		t.Fatal("a draft was written before the timer fired")
	}
	crashed.fireDraft()
	ds := crashed.drafts()
	if len(ds) != 1 {
		t.Fatalf("%d drafts after the autosave", len(ds))
	}
	if ds[0].Path != path || len(ds[0].Config.Steps()) != 2 {
		t.Fatalf("draft for %q with %d steps", ds[0].Path, len(ds[0].Config.Steps()))
	}
	// A second tick without a change writes nothing new.
	info1, _ := os.Stat(filepath.Join(store.Dir, "drafts", ds[0].ID+".json"))
	crashed.fireDraft()
	info2, _ := os.Stat(filepath.Join(store.Dir, "drafts", ds[0].ID+".json"))
	if !info1.ModTime().Equal(info2.ModTime()) {
		t.Error("the draft was rewritten without a change")
	}
	// No quit: the process is gone. The file was never touched.
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatal("the autosave wrote the file itself")
	}

	d := newDriver(t, withStore(store), withFile(path))
	requireDraftPrompt(t, d)
	d.keys("enter") // recover
	requireTypes(t, d, "language", "liveness")
	if !d.app.doc.Dirty() {
		t.Fatal("a recovered draft is not marked unsaved")
	}
	d.requireScreen("kyc-basic.json*", "recovered")
	d.keys("ctrl+s")
	if got := stepTypes(readConfig(t, path)); strings.Join(got, ",") != "language,liveness" {
		t.Fatalf("saved %v", got)
	}
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("a clean save left %d draft(s)", n)
	}
}

func TestDraftPromptDiscardOpensSavedFile(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	crashed := newDriver(t, withStore(store), withFile(path))
	crashed.keys("d")
	crashed.fireDraft()

	d := newDriver(t, withStore(store), withFile(path))
	requireDraftPrompt(t, d)
	d.keys("down", "enter")
	requireTypes(t, d, "language", "identity-document", "liveness")
	if d.app.doc.Dirty() {
		t.Fatal("the file as saved is marked unsaved")
	}
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("discarding left %d draft(s)", n)
	}
}

// A new flow that was never saved is offered on the home screen.
func TestDraftOfNewFlowRecoveredFromHome(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	crashed := newDriver(t, withStore(store))
	homeSelect(t, crashed, "proof-of-address")
	crashed.keys("enter", "a", "/")
	crashed.typeText("email")
	crashed.keys("enter")
	crashed.fireDraft()
	if len(crashed.drafts()) != 1 {
		t.Fatal("no draft written for a new flow")
	}

	d := newDriver(t, withStore(store))
	d.requireScreen("Recover unsaved work", "new flow", "draft from just now")
	if d.home().items[0].section != "Recover unsaved work" {
		t.Fatal("the draft is not the first choice on the home screen")
	}
	d.keys("enter")
	tmpl, _ := flow.TemplateConfig("proof-of-address")
	want := append(stepTypes(tmpl), "email")
	if got := d.stepTypes(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("recovered steps %v, want %v", got, want)
	}
	if !d.app.doc.Dirty() {
		t.Fatal("the recovered flow is not marked unsaved")
	}
	path := filepath.Join(t.TempDir(), "recovered.json")
	d.keys("ctrl+s") // no path yet: asks
	d.typeText(path)
	d.keys("enter")
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("saving the recovered flow left %d draft(s)", n)
	}
}

// A file's draft also shows on the home screen, and opens with its path.
func TestDraftOfFileRecoveredFromHome(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	crashed := newDriver(t, withStore(store), withFile(path))
	crashed.keys("d")
	crashed.fireDraft()

	d := newDriver(t, withStore(store))
	d.resize(160, 40)
	d.requireScreen("Recover unsaved work", path)
	d.keys("enter")
	if d.app.doc.Path != path || !d.app.doc.Dirty() {
		t.Fatalf("recovered doc: path %q dirty %v", d.app.doc.Path, d.app.doc.Dirty())
	}
	requireTypes(t, d, "identity-document", "liveness")
	d.keys("ctrl+s")
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("saving left %d draft(s)", n)
	}
}

func TestDraftRemovedWhenBackToSaved(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	d.fireDraft()
	if len(d.drafts()) != 1 {
		t.Fatal("no draft")
	}
	d.keys("u")
	d.fireDraft()
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("undoing back to the saved flow left %d draft(s)", n)
	}
}

func TestNoDraftWithoutChanges(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("j", "tab", "down", "tab", "enter", "esc")
	d.fireDraft()
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("%d draft(s) without a change", n)
	}
}

func TestDraftIsAtomicAndPrivate(t *testing.T) {
	d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	d.fireDraft()
	dir := filepath.Join(d.app.opts.Store.Dir, "drafts")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("drafts dir holds %d entries (temporary files left?)", len(entries))
	}
	info, _ := entries[0].Info()
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Fatalf("draft permissions %v: others can read unsaved work", perm)
	}
}

func TestDraftNeverHoldsACredential(t *testing.T) {
	d, _ := openFlow(t, "../testdata/invalid/credential.json")
	d.keys("d")
	d.fireDraft()
	ds := d.drafts()
	if len(ds) != 1 {
		t.Fatalf("%d drafts", len(ds))
	}
	data, err := os.ReadFile(filepath.Join(d.app.opts.Store.Dir, "drafts", ds[0].ID+".json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"REPLACE_ME", "company_key"} {
		if strings.Contains(string(data), secret) {
			t.Fatalf("the draft holds %q:\n%s", secret, data)
		}
	}
}

func TestSaveAsMovesTheDraft(t *testing.T) {
	d, path := openFlow(t, "../testdata/valid/kyc-basic.json")
	d.keys("d")
	d.fireDraft()
	other := filepath.Join(t.TempDir(), "other.json")
	d.keys("ctrl+w")
	for range len(path) + 2 {
		d.keys("backspace")
	}
	d.typeText(other)
	d.keys("enter")
	if n := len(d.drafts()); n != 0 {
		t.Fatalf("save as left %d draft(s)", n)
	}
	// Further edits autosave under the new file's name.
	d.keys("d")
	d.fireDraft()
	ds := d.drafts()
	if len(ds) != 1 || ds[0].Path != other {
		t.Fatalf("drafts after editing the saved-as file: %+v", ds)
	}
}

// A draft that another running window keeps writing is that window's work,
// not unsaved work to recover: it is not offered until its writer is gone.
func TestDraftOfAnotherRunningWindowIsNotOffered(t *testing.T) {
	dir := t.TempDir()
	if err := (Store{Dir: dir}).SaveDraft(Draft{ID: "file-x", Path: "/tmp/x.json", Updated: testNow, Config: flow.New()}); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "drafts", "file-x.json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	own := fmt.Sprintf(`"pid": %d`, os.Getpid())
	if !strings.Contains(string(data), own) {
		t.Fatalf("draft does not name its writer:\n%s", data)
	}
	if err := os.WriteFile(name, []byte(strings.Replace(string(data), own, `"pid": 4242`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	running := false
	store := Store{Dir: dir, Running: func(pid int) bool { return pid == 4242 && running }}
	if got := store.Drafts(); len(got) != 1 {
		t.Fatalf("a crashed window's draft is not offered: %v", got)
	}
	running = true
	if got := store.Drafts(); len(got) != 0 {
		t.Fatalf("a running window's draft is offered: %v", got)
	}
}

// A second window on a file another running window edits keeps a draft of
// its own: it neither overwrites the other's draft nor deletes it on save,
// and its own draft is found for the file after a crash.
// otherWindowsDraft writes the draft of path as the running window of pid
// 4242 would, and returns its file and bytes.
func otherWindowsDraft(t *testing.T, store Store, path string) (file string, data []byte) {
	t.Helper()
	other, err := flow.TemplateConfig("contact-check")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SaveDraft(Draft{ID: DraftID(path, ""), Path: path, Updated: testNow, Config: other}); err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(store.Dir, "drafts", DraftID(path, "")+".json")
	data, _ = os.ReadFile(file)
	data = []byte(strings.Replace(string(data), fmt.Sprintf(`"pid": %d`, os.Getpid()), `"pid": 4242`, 1))
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file, data
}

func TestSecondWindowKeepsItsOwnDraft(t *testing.T) {
	dir := t.TempDir()
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	first := Store{Dir: dir}
	theirs, data := otherWindowsDraft(t, first, path)
	store := Store{Dir: dir, Running: func(pid int) bool { return pid == 4242 }}

	d := newDriver(t, withStore(store), withFile(path))
	d.requireScreen("also open in another window")
	d.keys("j", "d")
	d.fireDraft()
	if after, _ := os.ReadFile(theirs); string(after) != string(data) {
		t.Fatal("the other window's draft was overwritten")
	}
	mine, ok := store.DraftFor(path)
	if !ok || mine.ID == DraftID(path, "") || len(mine.Config.Steps()) != 2 {
		t.Fatalf("own draft %+v, found %v", mine.ID, ok)
	}
	d.keys("u", "ctrl+s") // back to the file as saved: a clean save
	if _, err := os.Stat(theirs); err != nil {
		t.Fatalf("saving removed the other window's draft: %v", err)
	}
}

// A program stopped from outside (its terminal closed, a SIGTERM) before
// the draft timer fired keeps the edit as a draft on the way out; one the
// person chose to quit keeps nothing.
func TestStoppedFromOutsideKeepsTheLastEditAsADraft(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())

	stopped := newDriver(t, withStore(store), withFile(path))
	stopped.keys("j", "d") // remove identity-document; the timer has not fired
	if len(stopped.drafts()) != 0 {
		t.Fatal("a draft was written before the timer fired")
	}
	if err := stopped.app.SaveDraftNow(); err != nil {
		t.Fatal(err)
	}
	ds := stopped.drafts()
	if len(ds) != 1 || len(ds[0].Config.Steps()) != 2 {
		t.Fatalf("drafts after the stop: %+v", ds)
	}

	quitter := newDriver(t, withStore(Store{Dir: t.TempDir()}), withFile(path))
	quitter.keys("j", "d", "ctrl+c", "down", "enter") // quit without saving
	if !quitter.quit {
		t.Fatal("did not quit")
	}
	if err := quitter.app.SaveDraftNow(); err != nil {
		t.Fatal(err)
	}
	if n := len(quitter.drafts()); n != 0 {
		t.Errorf("%d drafts after choosing to quit without saving", n)
	}
}

// A draft of a file deleted since says that the draft is the only copy,
// and its other choice says that the work is lost, not "open the file as
// saved".
func TestDraftOfADeletedFileSaysItIsTheOnlyCopy(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	crashed := newDriver(t, withStore(store), withFile(path))
	crashed.keys("d")
	crashed.fireDraft()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withStore(store), withFile(path))
	requireDraftPrompt(t, d)
	d.requireScreen("is no longer on disk: the draft is the only copy", "its work is lost")
	if strings.Contains(d.screen(), "Open the file as saved") || strings.Contains(d.screen(), "asks first") {
		t.Errorf("the prompt speaks of a file that is gone:\n%s", d.screen())
	}
}

// Two windows opened on a file before either wrote a draft: the one that
// writes second keeps a draft of its own, and quitting without saving
// removes only its own, never the other window's.
func TestWindowsOpenedTogetherKeepTheirOwnDrafts(t *testing.T) {
	dir := t.TempDir()
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	store := Store{Dir: dir, Running: func(pid int) bool { return pid == 4242 }}
	d := newDriver(t, withStore(store), withFile(path)) // no draft yet: no "another window"

	// Meanwhile the other window writes the file's draft.
	theirs, data := otherWindowsDraft(t, store, path)

	d.keys("j", "d")
	d.fireDraft()
	if after, _ := os.ReadFile(theirs); string(after) != string(data) {
		t.Fatal("the other window's draft was overwritten")
	}
	if mine, ok := store.DraftFor(path); !ok || mine.ID == DraftID(path, "") {
		t.Fatalf("no draft of its own (%v, %q)", ok, mine.ID)
	}
	d.keys("ctrl+c", "down", "enter") // quit without saving
	if !d.quit {
		t.Fatal("did not quit")
	}

	if _, err := os.Stat(theirs); err != nil {
		t.Fatalf("quitting removed the other window's draft: %v", err)
	}
}
