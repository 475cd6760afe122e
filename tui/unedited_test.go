package tui

import (
	"os"
	"path/filepath"
	"testing"
)

// enter on the session's name without typing leaves the flow as it was,
// tab and line break included: nothing is edited, nothing to save.
func TestUntypedSessionNameKeepsTabsAndLineBreaks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nl.json")
	in := "{\n \"name\": \"Walk-in\\tdesk\\nsecond line\",\n \"steps\":[{\"type\":\"liveness\"}]}\n"
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	d.keys("tab", "tab")
	d.requireScreen("▸ name")
	d.keys("enter")
	d.requireScreen("cannot show")
	d.keys("enter")
	if d.app.doc.Dirty() {
		t.Fatalf("enter alone changed the flow:\n%s", d.screen())
	}
	if name, _ := d.app.doc.Config.Root().Get("name").Str(); name != "Walk-in\tdesk\nsecond line" {
		t.Fatalf("name = %q", name)
	}
}
