package tui

import (
	"testing"

	"github.com/identoflow/identoflow/tui/widget"
)

// --- quitting with a typed value not applied ---

func TestCtrlCWithATypedValueAsks(t *testing.T) {
	t.Run("asks, and applying saves it", func(t *testing.T) {
		path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
		d := newDriver(t, withFile(path))
		d.keys("tab", "tab")
		selectProp(t, d, "groupId")
		d.keys("enter")
		d.typeText("Walk-in 12")
		d.keys("ctrl+c")
		if d.quit {
			t.Fatal("ctrl+c quit at once with a typed value not applied")
		}
		if _, ok := d.top().(*widget.QuitDialog); !ok {
			t.Fatalf("top is %T, want the quit question", d.top())
		}
		d.requireScreen("A typed value in kyc-basic.json is not applied", "Apply it, save and quit")
		d.keys("enter")
		if !d.quit {
			t.Fatal("apply, save and quit did not quit")
		}
		if got := readConfig(t, path).String("groupId"); got != "Walk-in 12" {
			t.Fatalf("saved name %q, want the typed value", got)
		}
	})
	t.Run("cancel keeps typing", func(t *testing.T) {
		d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
		d.keys("tab", "tab", "enter")
		d.typeText("x")
		d.keys("ctrl+c", "ctrl+c")
		if d.quit || !d.editor().EditingText() {
			t.Fatalf("cancel: quit %v, still typing %v", d.quit, d.editor().EditingText())
		}
	})
	t.Run("a refused value stops the quit", func(t *testing.T) {
		d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
		d.keys("tab", "tab")
		selectProp(t, d, "scheduleEndTime")
		d.keys("enter")
		d.typeText("tomorrow")
		d.keys("ctrl+c", "enter")
		if d.quit {
			t.Fatal("quit although the typed value could not be applied")
		}
		d.requireScreen("not quit: the typed value is not applied")
	})
	t.Run("nothing typed quits at once", func(t *testing.T) {
		d, _ := openFlow(t, "../testdata/valid/kyc-basic.json")
		d.keys("tab", "tab", "enter") // editing, nothing typed
		d.keys("ctrl+c")
		if !d.quit {
			t.Fatal("ctrl+c with nothing typed and nothing unsaved did not quit")
		}
	})
}
