package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/flow"
)

func (d *driver) home() *home {
	d.tb.Helper()
	h, ok := d.top().(*home)
	if !ok {
		d.tb.Fatalf("top is %T, want home", d.top())
	}
	return h
}

// homeSelect puts the home cursor on the item labelled label.
func homeSelect(t *testing.T, d *driver, label string) {
	t.Helper()
	h := d.home()
	for i, it := range h.items {
		if it.label == label {
			h.cursor = i
			return
		}
	}
	t.Fatalf("home has no item %q", label)
}

func TestHomeOffersTemplatesWithDescriptions(t *testing.T) {
	d := newDriver(t)
	d.resize(120, 40)
	d.requireScreen("New flow", "empty", "Open", "open a file")
	for _, tp := range flow.Templates() {
		d.requireScreen(tp.Name, tp.Description)
	}
	if strings.Contains(d.screen(), "Recover unsaved work") || strings.Contains(d.screen(), "Recent files") {
		t.Fatal("an empty store shows drafts or recent files")
	}
	d.resize(80, 24)
	d.requireFits()
}

func TestHomeNewFlowFromTemplate(t *testing.T) {
	d := newDriver(t)
	homeSelect(t, d, "video-kyc")
	d.keys("enter")
	want, _ := flow.TemplateConfig("video-kyc")
	if got := d.stepTypes(); strings.Join(got, ",") != strings.Join(stepTypes(want), ",") {
		t.Fatalf("steps %v, want the template's %v", got, stepTypes(want))
	}
	d.requireScreen("new flow", "video-call", "└")
	if d.app.doc.Path != "" {
		t.Fatalf("a template flow has path %q", d.app.doc.Path)
	}
}

func TestHomeNavigation(t *testing.T) {
	d := newDriver(t)
	h := d.home()
	d.keys("up")
	if h.cursor != 0 {
		t.Fatal("up from the top moved")
	}
	d.keys("down", "j")
	if h.cursor != 2 {
		t.Fatalf("cursor %d after two downs", h.cursor)
	}
	d.keys("G")
	if h.items[h.cursor].label != "open a file…" {
		t.Fatalf("G went to %q", h.items[h.cursor].label)
	}
	d.keys("down")
	if h.items[h.cursor].label != "open a file…" {
		t.Fatal("down from the bottom moved")
	}
	d.keys("g")
	if h.cursor != 0 {
		t.Fatal("g did not go to the top")
	}
	frame := d.screen()
	for _, k := range []string{"a", "d", "u", "ctrl+r", "ctrl+s", "ctrl+w", "x", "tab", "esc", "L"} {
		d.keys(k)
		if d.screen() != frame || d.quit {
			t.Fatalf("%s on the home screen changed it:\n%s", k, d.screen())
		}
		d.home()
	}
}

func TestHomeOpenFileWithCompletion(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "../testdata/valid/kyc-basic.json", dir)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "kyc-archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t)
	homeSelect(t, d, "open a file…")
	d.keys("enter")
	if !d.home().Capturing() {
		t.Fatal("enter on open did not start the path input")
	}
	d.typeText(dir + "/")
	d.requireScreen("kyc-basic.json", "kyc-archive/")
	if strings.Contains(d.screen(), "notes.txt") {
		t.Fatal("completion offers a file that is not .json")
	}
	d.typeText("kyc")
	d.keys("tab") // kyc-archive/ and kyc-basic.json share "kyc-"
	if got := d.home().path.Value(); got != dir+"/kyc-" {
		t.Fatalf("tab completed to %q", got)
	}
	// Nothing more in common: further tabs go through the matches.
	for _, want := range []string{dir + "/kyc-archive/", dir + "/kyc-basic.json", dir + "/kyc-archive/"} {
		d.keys("tab")
		if got := d.home().path.Value(); got != want {
			t.Fatalf("tab went to %q, want %q", got, want)
		}
	}
	d.keys(slices.Repeat([]string{"backspace"}, len("archive/"))...)
	if got := d.home().path.Value(); got != dir+"/kyc-" {
		t.Fatalf("after backspaces the path is %q", got)
	}
	d.typeText("b")
	d.keys("tab")
	if got := d.home().path.Value(); got != filepath.Join(dir, "kyc-basic.json") {
		t.Fatalf("tab completed to %q", got)
	}
	d.keys("enter")
	d.requireScreen("kyc-basic.json", "identity-document")
	if d.app.doc.Dirty() {
		t.Fatal("an opened file is marked unsaved")
	}
}

func TestHomeOpenInputEscAndEmpty(t *testing.T) {
	d := newDriver(t)
	homeSelect(t, d, "open a file…")
	d.keys("enter", "enter")
	d.requireScreen("type the path")
	d.typeText("abc")
	d.keys("esc")
	if d.home().Capturing() {
		t.Fatal("esc did not leave the path input")
	}
	d.typeText("x") // back to navigation: letters are not typed
	if d.home().path.Value() != "abc" && d.home().path.Value() != "" {
		t.Fatalf("letters typed after esc went into the input: %q", d.home().path.Value())
	}
	homeSelect(t, d, "open a file…")
	d.keys("enter")
	d.resize(160, 40)
	d.typeText(filepath.Join(t.TempDir(), "missing.json"))
	d.keys("enter")
	d.requireScreen("no such file")
	d.home()
}

func TestHomeRecentFiles(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	first := newDriver(t, withStore(store), withFile(path))
	first.keys("ctrl+c")

	d := newDriver(t, withStore(store))
	d.requireScreen("Recent files", path)
	homeSelect(t, d, path)
	d.keys("enter")
	d.requireScreen("kyc-basic.json", "identity-document")

	// A recent file that is gone is not offered.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	again := newDriver(t, withStore(store))
	if strings.Contains(again.screen(), path) {
		t.Fatal("a deleted file is still among the recent files")
	}
}

func TestBrokenFileOpensReadOnlyWithPosition(t *testing.T) {
	path := copyFile(t, "../testdata/invalid/json-syntax.json", t.TempDir())
	before, _ := os.ReadFile(path)
	d := newDriver(t, withFile(path))
	if _, ok := d.top().(*errorView); !ok {
		t.Fatalf("a file that does not parse opened %T", d.top())
	}
	_, err := flow.Parse(before)
	se := err.(*flow.SyntaxError)
	d.requireScreen("read-only", "never overwritten", fmt.Sprintf("%s:%d:%d", filepath.Base(path), se.Line, se.Column), "^")
	d.requireFits()
	for _, k := range []string{"ctrl+s", "a", "d", "u", "enter", "space", "x"} {
		d.keys(k)
	}
	if _, ok := d.top().(*errorView); !ok {
		t.Fatalf("keys left the error view for %T", d.top())
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatal("the broken file was written")
	}
	// e without $EDITOR explains; r reloads once the file is fixed.
	d.keys("e")
	d.requireScreen("set $EDITOR", "and press r") // read whole, not cut at 80 columns
	if err := os.WriteFile(path, []byte(`{"steps":[{"type":"liveness"}],"flags":{"skip_face":true}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	d.keys("r")
	d.requireScreen("liveness")
	d.editor()
	// ctrl+c quits at once: nothing changed.
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c in a reloaded file did not quit")
	}
}

func TestBrokenFileEscGoesHome(t *testing.T) {
	path := copyFile(t, "../testdata/invalid/json-syntax.json", t.TempDir())
	d := newDriver(t, withFile(path))
	d.keys("esc")
	d.home()
	d.requireScreen("New flow")
}

func TestFileWithValidationErrorsOpensNormally(t *testing.T) {
	d, _ := openFlow(t, "../testdata/invalid/duplicate-key.json")
	if d.app.doc.Diags.Count(flow.SevError) == 0 {
		t.Fatal("the file has no errors: the test proves nothing")
	}
	d.requireScreen("✗ ", "✗") // header count and the step's mark
	d.keys("tab", "tab", "tab")
	d.requireScreen(flow.CodeDuplicateKey)
}

func TestEditMissingFileCreatesOnSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.json")
	d := newDriver(t, withFile(path))
	d.requireScreen("does not exist yet", "No steps yet")
	d.keys("a", "/")
	d.typeText("liveness")
	d.keys("enter", "ctrl+s")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, diags, err := flow.Check(data)
	if err != nil || diags.HasErrors() {
		t.Fatalf("saved file: %v %v", err, diags)
	}
	if got := stepTypes(c); len(got) != 1 || got[0] != "liveness" {
		t.Fatalf("saved steps %v", got)
	}
}

// The caret sits under the character at fault, whatever comes before it on
// the line (tabs, characters of several bytes), and nothing in the file
// reaches the terminal as a control sequence.
func TestBrokenFileCaretUnderTheFault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	content := "{\n\t\"é\": 1,, \"\x1b[31mred\": 2}\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	lines := strings.Split(d.screen(), "\n")
	for i, l := range lines {
		if !strings.Contains(l, "2 │ ") {
			continue
		}
		caret := strings.Index(lines[i+1], "^")
		comma := strings.Index(l, ",,") + 1 // the second comma is the fault
		if caret < 0 || ansi.StringWidth(lines[i+1][:caret]) != ansi.StringWidth(l[:comma]) {
			t.Fatalf("caret not under the second comma:\n%s\n%s", l, lines[i+1])
		}
		if strings.Contains(d.app.View().Content, "\x1b[31mred") {
			t.Fatal("a control sequence from the file reached the screen")
		}
		return
	}
	t.Fatalf("line 2 not shown:\n%s", d.screen())
}

// A CRLF file's line ends are not drawn as replacement characters.
func TestBrokenCRLFFileShowsCleanLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crlf.json")
	if err := os.WriteFile(path, []byte("{\r\n  \"steps\": [,]\r\n}\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	d.requireScreen(`"steps": [,]`)
	if strings.Contains(d.screen(), "\uFFFD") {
		t.Fatalf("a CR is drawn:\n%s", d.screen())
	}
}

// When the file named on the command line cannot be opened, home shows
// with its drafts and recent files all the same.
func TestUnopenableStartFileFallsBackToAFullHome(t *testing.T) {
	store := Store{Dir: t.TempDir()}
	if err := store.SaveDraft(Draft{ID: "new-x", Updated: testNow, Config: flow.New()}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withStore(store), withFile(t.TempDir())) // a directory
	d.requireScreen("Recover unsaved work")
}

// A byte-order mark is neither drawn nor counted: the caret stays under
// the fault on the first line.
func TestBrokenFileWithBOM(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bom.json")
	if err := os.WriteFile(path, []byte("\uFEFF{\"name\": \"x\", }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	if strings.Contains(d.app.View().Content, "\uFEFF") {
		t.Fatal("the byte-order mark reached the screen")
	}
	lines := strings.Split(d.screen(), "\n")
	for i, l := range lines {
		if strings.Contains(l, "1 │ ") {
			caret, brace := strings.Index(lines[i+1], "^"), ansi.StringWidth(l[:strings.Index(l, "}")])
			if caret != brace {
				t.Fatalf("caret at column %d, brace at %d:\n%s\n%s", caret, brace, l, lines[i+1])
			}
			return
		}
	}
	t.Fatalf("line 1 not shown:\n%s", d.screen())
}

// On a line longer than the screen, the part around the fault is shown,
// with the caret under it.
func TestBrokenFileLongLineShowsTheFault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.json")
	content := `{"name": "` + strings.Repeat("x", 150) + `", "flags": {"skip_face": tru}}` + "\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	d.requireFits()
	requireCaretUnder(t, d, "1 │ ", "tru}")
}

// requireCaretUnder fails unless the caret under the excerpt's line marked
// line sits under the first cell of at.
func requireCaretUnder(t *testing.T, d *driver, line, at string) {
	t.Helper()
	lines := strings.Split(d.screen(), "\n")
	for i, l := range lines {
		if strings.Contains(l, line) {
			caret, want := strings.Index(lines[i+1], "^"), strings.Index(l, at)
			if want < 0 || caret != ansi.StringWidth(l[:want]) {
				t.Fatalf("the fault is not under the caret:\n%s\n%s", l, lines[i+1])
			}
			return
		}
	}
	t.Fatalf("line %q not shown:\n%s", line, d.screen())
}

// A bidi override before the fault is written out, and the caret still sits
// under the fault as drawn.
func TestBrokenFileCaretAfterABidiOverride(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bidi.json")
	if err := os.WriteFile(path, []byte("{\"a\": \"x\u202ey\",, \"b\": 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	if strings.Contains(d.app.View().Content, "\u202e") {
		t.Fatal("the override reached the screen")
	}
	d.requireScreen(`"x\u202ey"`)
	requireCaretUnder(t, d, "1 │ ", ", \"b\"") // the second comma
}

// A file of one huge line is shown around the fault: only that part of
// the line is kept for drawing.
func TestBrokenFileHugeLineShowsTheFault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	content := `{"name": "` + strings.Repeat("x", 8<<20) + `", "flags": {"skip_face": tru}}` + "\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	v := d.top().(*errorView)
	for _, l := range v.excerpt {
		if len(l.text) > 16<<10 {
			t.Fatalf("line %d keeps %d bytes for drawing", l.num, len(l.text))
		}
	}
	d.requireFits()
	requireCaretUnder(t, d, "1 │ ", "tru}")
}
