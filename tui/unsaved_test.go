package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// kybFlow starts the wizard on the kyb template, saved to kyb.json.
func kybFlow(t *testing.T) (*driver, string) {
	t.Helper()
	c, err := flow.TemplateConfig("kyb")
	if err != nil {
		t.Fatal(err)
	}
	data := c.Bytes()
	path := filepath.Join(t.TempDir(), "kyb.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	d.editor()
	return d, path
}

// kybReviewFirstThenOrdered moves kyb-review to the top, opens it and
// puts the KYB steps in order from its editor: the flow is as the file
// again, by other edits than undo.
func kybReviewFirstThenOrdered(t *testing.T, d *driver) {
	t.Helper()
	d.keys("G", "K", "K")
	if got := stepTypes(d.app.doc.Config)[0]; got != "kyb-review" {
		t.Fatalf("first step %q after moving kyb-review up", got)
	}
	// A frame is drawn before the editor opens, as in the terminal.
	_, cmd := d.app.Update(press("enter"))
	d.app.View()
	d.exec(cmd)
	d.requireStepEditor("kyb-review")
	d.keys("o", "esc")
	d.editor()
}

// Edits that lead back to the file's content leave nothing unsaved: the
// title's mark, the quit question and the Changes tab agree.
func TestContentBackAsOnDiskIsNotUnsaved(t *testing.T) {
	t.Run("after the autosave timer", func(t *testing.T) {
		d, _ := kybFlow(t)
		kybReviewFirstThenOrdered(t, d)
		d.fireDraft()
		if d.app.doc.Dirty() || strings.Contains(d.screen(), "kyb.json*") {
			t.Fatalf("the flow as on disk is marked unsaved:\n%s", d.screen())
		}
		if n := len(d.drafts()); n != 0 {
			t.Fatalf("%d draft(s) of a flow as on disk", n)
		}
	})
	t.Run("on the Changes tab", func(t *testing.T) {
		d, _ := kybFlow(t)
		kybReviewFirstThenOrdered(t, d)
		d.showPane("Changes")
		d.requireScreen("No changes.")
		if d.app.doc.Dirty() || strings.Contains(d.screen(), "kyb.json*") {
			t.Fatalf("the Changes tab says no changes under an unsaved mark:\n%s", d.screen())
		}
	})
	t.Run("on quit", func(t *testing.T) {
		d, _ := kybFlow(t)
		kybReviewFirstThenOrdered(t, d)
		d.keys("ctrl+c")
		if !d.quit {
			t.Fatalf("quitting asks about a flow as on disk:\n%s", d.screen())
		}
	})
	// A flow that differs is still unsaved, and asked about.
	t.Run("still different", func(t *testing.T) {
		d, _ := kybFlow(t)
		d.keys("G", "K")
		d.fireDraft()
		d.showPane("Changes")
		d.keys("ctrl+c")
		if !d.app.doc.Dirty() || d.quit {
			t.Fatalf("a moved step is not unsaved (quit %v):\n%s", d.quit, d.screen())
		}
		d.requireScreen("Unsaved changes")
	})
}

// After o in an opened step's editor puts the KYB steps in order, the
// step list's cursor is on the step that was open, at its new place.
func TestStepListCursorFollowsTheStepThatWasOpen(t *testing.T) {
	d, _ := kybFlow(t)
	kybReviewFirstThenOrdered(t, d)
	p := d.selectedStep()
	if s, ok := d.app.doc.Config.StepAt(p); !ok || s.Type() != "kyb-review" {
		t.Fatalf("the cursor is on %v (%s), want kyb-review\n%s", p, s.Type(), d.screen())
	}
}
