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

// Save as, with the name it was opened under (control and bidi characters
// in it), writes that file on enter alone, not one named as the field
// shows it.
func TestSaveAsUntypedKeepsANameTheFieldCannotShow(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	name := "ev\x1b[31mil\u202e\u009b.json"
	d := newDriver(t, withFile(name))
	d.keys("ctrl+w")
	d.requireScreen(`Saves to ev\x1b[31mil\u202e\u009b.json`, "the field cannot show this name")
	d.keys("enter")
	if d.app.doc.Path != name || d.app.doc.Dirty() {
		t.Fatalf("saved to %q (dirty %v), want %q\n%s", d.app.doc.Path, d.app.doc.Dirty(), name, d.screen())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != name {
		t.Fatalf("files written: %v", entries)
	}
}
