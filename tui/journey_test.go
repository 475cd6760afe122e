package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/identoflow/identoflow/flow"
)

// TestJourneyTemplateToSavedFile runs the real Bubble Tea program: pick a
// template, add a liveness step from the catalog, turn on a global flag,
// save as a new file and quit; then checks the file.
func TestJourneyTemplateToSavedFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "journey.json")
	app := New(RunOptions{Options: Options{
		Store:   Store{Dir: t.TempDir()},
		NoColor: true,
		Now:     func() time.Time { return testNow },
		Getenv:  func(string) string { return "" },
	}})
	rec := &launchRecorder{model: app}
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(80, 24))
	// Each wait is on the frame the model draws, however long a busy
	// machine takes to get there.
	waitFor := func(what string) { t.Helper(); rec.waitFor(t, what) }
	key := func(name string) { tm.Send(press(name)) }

	waitFor("proof-of-address")
	for range 3 { // empty, basic-kyc, kyc-uploads, proof-of-address
		key("down")
	}
	key("enter")
	waitFor("new flow")

	key("a")
	waitFor("to filter")
	key("/")
	tm.Type("liveness")
	waitFor("check that a live person")
	key("enter")
	waitFor("added liveness")

	key("tab") // the Flags pane
	waitFor("skip_desktop")
	for range 4 {
		key("down")
	}
	key("space") // keys are handled in order: no need to wait for the frame

	key("ctrl+w")
	waitFor("Save as")
	tm.Type(out)
	key("enter")
	// Not the file's name, which the save-as field shows while typed: quit
	// once the save is done, or it would ask about unsaved work.
	waitFor("saved /")
	key("ctrl+c")
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))

	final := tm.FinalModel(t, teatest.WithFinalTimeout(hangGuard)).(*launchRecorder).model.(*App)
	if final.doc == nil || final.doc.Dirty() {
		t.Fatal("the wizard ended with unsaved work")
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatalf("saved file is not JSON:\n%s", data)
	}
	c, diags, err := flow.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("saved flow has errors: %v", diags)
	}
	tmpl, _ := flow.TemplateConfig("proof-of-address")
	if got, want := stepTypes(c), append(stepTypes(tmpl), "liveness"); !slices.Equal(got, want) {
		t.Fatalf("saved steps %v, want %v", got, want)
	}
	if !c.BoolFlag("skip_desktop") {
		t.Fatal("the flag turned on in the journey was not saved")
	}
	if !c.BoolFlag("skip_face") {
		t.Fatal("adding liveness should have set skip_face")
	}
}

// TestJourneyQuitWithoutChanges: ctrl+c quits at once when there is
// nothing to save.
func TestJourneyQuitWithoutChanges(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	app := New(RunOptions{Options: Options{Store: Store{Dir: t.TempDir()}, NoColor: true}, File: path})
	rec := &launchRecorder{model: app}
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(80, 24))
	rec.waitFor(t, "identity-document")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
}
