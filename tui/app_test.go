package tui

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// --- root model: quit, save, save as, help, size, colours ---

func TestCtrlCWithoutChangesQuitsAtOnce(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	d.requireScreen("kyc-basic.json", "identity-document", "liveness")
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatalf("ctrl+c with nothing to save did not quit; top is %T", d.top())
	}
}

func TestCtrlCOnHomeQuits(t *testing.T) {
	d := newDriver(t)
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c on the home screen did not quit")
	}
}

func TestCtrlCWithUnsavedWorkAsks(t *testing.T) {
	dir := t.TempDir()
	path := copyFile(t, "../testdata/valid/kyc-basic.json", dir)
	before, _ := os.ReadFile(path)

	t.Run("second ctrl+c cancels", func(t *testing.T) {
		d := newDriver(t, withFile(path))
		d.keys("d")
		d.keys("ctrl+c")
		if d.quit {
			t.Fatal("quit with unsaved work without asking")
		}
		if _, ok := d.top().(*widget.QuitDialog); !ok {
			t.Fatalf("top is %T, want the quit dialog", d.top())
		}
		d.requireScreen("Unsaved changes", "Save and quit", "Quit without saving", "Cancel")
		d.keys("ctrl+c")
		if d.quit {
			t.Fatal("second ctrl+c quit instead of cancelling")
		}
		if _, ok := d.top().(*editor.Editor); !ok {
			t.Fatalf("top is %T, want the editor back", d.top())
		}
	})
	t.Run("esc cancels", func(t *testing.T) {
		d := newDriver(t, withFile(path))
		d.keys("d", "ctrl+c", "esc")
		if d.quit {
			t.Fatal("esc in the quit dialog quit")
		}
		if _, ok := d.top().(*editor.Editor); !ok {
			t.Fatalf("top is %T, want the editor back after esc", d.top())
		}
	})
	t.Run("cancel keeps editing", func(t *testing.T) {
		d := newDriver(t, withFile(path))
		d.keys("d", "ctrl+c", "down", "down", "enter")
		if d.quit {
			t.Fatal("cancel quit")
		}
		if !d.app.doc.Dirty() {
			t.Fatal("cancel lost the unsaved work")
		}
	})
	t.Run("discard", func(t *testing.T) {
		d := newDriver(t, withFile(path))
		d.keys("d")
		d.fireDraft()
		if len(d.app.opts.Store.Drafts()) != 1 {
			t.Fatal("no draft was written before quitting")
		}
		d.keys("ctrl+c", "down", "enter")
		if !d.quit {
			t.Fatal("quit without saving did not quit")
		}
		after, _ := os.ReadFile(path)
		if string(after) != string(before) {
			t.Fatal("quit without saving changed the file")
		}
		if n := len(d.app.opts.Store.Drafts()); n != 0 {
			t.Fatalf("discarding left %d draft(s)", n)
		}
	})
	t.Run("save and quit", func(t *testing.T) {
		p := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
		d := newDriver(t, withFile(p))
		d.keys("d", "ctrl+c", "enter")
		if !d.quit {
			t.Fatal("save and quit did not quit")
		}
		if got := stepTypes(readConfig(t, p)); len(got) != 2 {
			t.Fatalf("saved steps %v, want the removal saved", got)
		}
	})
}

// A new flow has no path: "save and quit" asks for one. Cancelling that
// must not leave the wizard set to quit on the next save.
func TestSaveAndQuitCancelledSaveAsDoesNotQuitLater(t *testing.T) {
	d := newDriver(t)
	d.keys("enter") // the empty flow
	d.keys("a", "enter")
	d.keys("ctrl+c", "enter") // save and quit
	if d.quit {
		t.Fatal("quit before a path was given")
	}
	d.requireScreen("Save as")
	d.keys("esc")
	if d.quit {
		t.Fatal("cancelling save as quit")
	}
	if _, ok := d.top().(*editor.Editor); !ok {
		t.Fatalf("top is %T, want the editor", d.top())
	}
	path := filepath.Join(t.TempDir(), "later.json")
	d.keys("ctrl+w")
	d.typeText(path)
	d.keys("enter")
	if d.quit {
		t.Fatal("a later save as quit the wizard")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("save as did not write: %v", err)
	}
}

func TestSaveAndQuitNewFlowAsksForPathThenQuits(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "a", "enter", "ctrl+c", "enter")
	path := filepath.Join(t.TempDir(), "flow")
	d.typeText(path)
	d.keys("enter")
	if !d.quit {
		t.Fatalf("save and quit of a new flow did not quit after the save; screen:\n%s", d.screen())
	}
	if got := stepTypes(readConfig(t, path+".json")); len(got) != 1 || got[0] != "language" {
		t.Fatalf("saved steps %v", got)
	}
}

func TestSaveKeepsUnknownFieldsAndMarksUnsaved(t *testing.T) {
	path := copyFile(t, "../testdata/roundtrip/unknown-fields.json", t.TempDir())
	d := newDriver(t, withFile(path))
	if strings.Contains(d.screen(), "unknown-fields.json*") {
		t.Fatal("a freshly opened file is marked unsaved")
	}
	d.keys("tab") // flags
	d.keys("down", "space")
	d.requireScreen("unknown-fields.json*")
	d.keys("ctrl+s")
	if strings.Contains(d.screen(), "unknown-fields.json*") || d.app.doc.Dirty() {
		t.Fatal("still marked unsaved after ctrl+s")
	}
	d.requireScreen("saved ")
	c := readConfig(t, path)
	if !c.BoolFlag("skip_document") {
		t.Fatal("the toggled flag was not saved")
	}
	for _, name := range []string{"$schema", "x-team", "trailing"} {
		if c.Get(name) == nil {
			t.Errorf("unknown member %q lost on save", name)
		}
	}
	if c.Flag("future_flag") == nil {
		t.Error("unknown flag lost on save")
	}
	st, _ := c.StepAt(flow.StepPath{0})
	if st.V.Get("x-note") == nil {
		t.Error("unknown step member lost on save")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestSaveAsWritesNewPath(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	before, _ := os.ReadFile(path)
	d := newDriver(t, withFile(path))
	d.keys("d", "ctrl+w")
	d.requireScreen("Save as")
	// The dialog starts with the current path: clear it.
	for range len(path) + 2 {
		d.keys("backspace")
	}
	other := filepath.Join(t.TempDir(), "copy.json")
	d.typeText(other)
	d.keys("enter")
	if d.app.doc.Path != other || d.app.doc.Dirty() {
		t.Fatalf("after save as: path %q dirty %v", d.app.doc.Path, d.app.doc.Dirty())
	}
	if got := stepTypes(readConfig(t, other)); len(got) != 2 {
		t.Fatalf("saved steps %v", got)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Fatal("save as changed the original file")
	}
	d.requireScreen("copy.json")
}

// Cancel at "That file already exists" goes back to the name with what
// was typed, not to the editor, where the next name would run as commands.
func TestSaveAsCancelledReplaceAsksForTheNameAgain(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	other := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	before := readFile(t, other)
	d := newDriver(t, withFile(path))
	d.keys("d", "ctrl+w")
	for range len(path) + 2 {
		d.keys("backspace")
	}
	d.typeText(other)
	d.keys("enter")
	d.requireScreen("That file already exists")
	d.keys("n") // Cancel
	d.requireScreen("Save as", "was left as it is")
	if _, ok := d.top().(*widget.FormScreen); !ok {
		t.Fatalf("top is %T, want the save-as dialog again", d.top())
	}
	if d.app.doc.Path != path || !d.app.doc.Dirty() || readFile(t, other) != before {
		t.Fatal("the cancelled save wrote something")
	}
	// The name typed is still there: a letter more makes another file.
	d.keys("backspace", "backspace", "backspace", "backspace", "backspace")
	d.typeText("-new")
	d.keys("enter")
	want := strings.TrimSuffix(other, ".json") + "-new.json"
	if d.app.doc.Path != want || d.app.doc.Dirty() {
		t.Fatalf("after the second name: path %q, want %q", d.app.doc.Path, want)
	}
}

func TestSaveAsRefusesMissingFolder(t *testing.T) {
	d := newDriver(t)
	d.keys("enter", "a", "enter", "ctrl+w")
	d.typeText(filepath.Join(t.TempDir(), "no", "such", "dir", "x.json"))
	d.keys("enter")
	d.requireScreen("* folder", "not exist")
	if _, ok := d.top().(*widget.FormScreen); !ok {
		t.Fatalf("top is %T, want the save-as dialog still open", d.top())
	}
}

func TestCtrlSSavesFromEveryScreen(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"steps", nil},
		{"flags", []string{"tab"}},
		{"session", []string{"tab", "tab"}},
		{"problems", []string{"tab", "tab", "tab"}},
		{"json", []string{"tab", "tab", "tab", "tab"}},
		{"step editor", []string{"enter"}},
		{"picker", []string{"enter", "down", "down", "enter"}},
		{"catalog", []string{"a"}},
		{"catalog filter", []string{"a", "/"}},
		{"editing a text field", []string{"tab", "down", "down", "enter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
			d := newDriver(t, withFile(path))
			d.keys("J") // move the first step down: an unsaved change
			d.keys(tc.keys...)
			top := d.top()
			d.keys("ctrl+s")
			if d.app.doc.Dirty() {
				t.Fatalf("ctrl+s on %T did not save", top)
			}
			if got := stepTypes(readConfig(t, path)); got[0] != "identity-document" {
				t.Fatalf("saved order %v", got)
			}
		})
	}
}

func TestHelpShowsSaveAndQuitAndFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
			d := newDriver(t, withFile(path))
			d.resize(size[0], size[1])
			short := d.screen()
			lines := strings.Split(short, "\n")
			bar := lines[len(lines)-1]
			for _, want := range []string{"? help", "ctrl+s"} {
				if !strings.Contains(bar, want) {
					t.Errorf("short help bar %q lacks %q", bar, want)
				}
			}
			d.keys("?")
			d.requireFits()
			d.requireScreen("ctrl+s", "save", "ctrl+c", "quit", "ctrl+w", "undo", "redo")
			d.keys("?")
			if d.screen() != short {
				t.Error("a second ? did not close the full help")
			}
			// esc closes it too, and stays on the screen.
			d.keys("?", "esc")
			if d.screen() != short {
				t.Error("esc did not close the full help, or left the screen")
			}
		})
	}
}

func TestShortHelpAlwaysVisible(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	for _, k := range []string{"tab", "tab", "tab", "tab", "tab", "enter", "esc", "a", "/"} {
		d.keys(k)
		lines := strings.Split(d.screen(), "\n")
		if len(lines) != 24 {
			t.Fatalf("after %s the frame has %d lines", k, len(lines))
		}
		if bar := lines[23]; !strings.Contains(bar, "•") {
			t.Fatalf("after %s the last line is not a help bar: %q", k, bar)
		}
	}
}

func TestResizeLive(t *testing.T) {
	path := copyFile(t, "../testdata/valid/video-call-scheduled.json", t.TempDir())
	d := newDriver(t, withFile(path))
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 15}, {200, 60}, {80, 24}} {
		d.resize(size[0], size[1])
		d.requireFits()
		if n := len(strings.Split(d.app.View().Content, "\n")); n != size[1] {
			t.Errorf("at %dx%d the frame has %d lines", size[0], size[1], n)
		}
	}
	d.resize(120, 40)
	if !strings.Contains(d.screen(), "JSON of /steps/0") {
		t.Errorf("at 120 columns the step JSON is not shown beside the list:\n%s", d.screen())
	}
}

func TestWidePaneKeepsItsColumn(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	d.resize(120, 40)
	sepColumns := func() map[int]bool {
		cols := map[int]bool{}
		for _, l := range strings.Split(d.screen(), "\n")[1:38] {
			c := strings.LastIndex(l, " │ ")
			if c < 0 {
				t.Fatalf("line has no separator: %q\n%s", l, d.screen())
			}
			cols[lipgloss.Width(l[:c])] = true
		}
		return cols
	}
	want := map[int]bool{120 * 3 / 5: true} // the pane takes three fifths
	if got := sepColumns(); !reflect.DeepEqual(got, want) {
		t.Fatalf("separator columns %v, want %v\n%s", got, want, d.screen())
	}
	d.keys("j", "d") // the widest step goes
	if got := sepColumns(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a removal the separator columns are %v, want %v\n%s", got, want, d.screen())
	}
}

func TestBackgroundColorChoosesStyles(t *testing.T) {
	d := newDriver(t, withColor())
	if !d.app.common.IsDark {
		t.Fatal("the wizard should assume a dark background until told")
	}
	d.send(tea.BackgroundColorMsg{Color: color.White})
	if d.app.common.IsDark {
		t.Fatal("a white background did not switch to light styles")
	}
	light := d.app.View().Content
	d.send(tea.BackgroundColorMsg{Color: color.Black})
	if !d.app.common.IsDark {
		t.Fatal("a black background did not switch to dark styles")
	}
	if d.app.View().Content == light {
		t.Fatal("light and dark frames are identical")
	}
	if !strings.Contains(strings.Join(d.seen, " "), "backgroundColorMsg") {
		t.Fatal("Init did not ask the terminal for its background colour")
	}
}

func TestNoColor(t *testing.T) {
	path := copyFile(t, "../testdata/invalid/url.json", t.TempDir())
	hasColor := func(frame string) bool {
		return strings.Contains(frame, "[38;") || strings.Contains(frame, ";38;") || strings.Contains(frame, "[48;") || strings.Contains(frame, ";48;")
	}
	colored := newDriver(t, withFile(path), withColor())
	if !hasColor(colored.app.View().Content) {
		t.Fatal("the coloured frame has no colour: the check below proves nothing")
	}
	d := newDriver(t, withFile(path))
	for _, k := range []string{"", "tab", "tab", "tab", "enter", "?"} {
		if k != "" {
			d.keys(k)
		}
		if frame := d.app.View().Content; hasColor(frame) {
			t.Fatalf("NoColor frame after %q has colours: %q", k, frame)
		}
	}
}

func TestAccessibleFormsRunInAccessibleMode(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path), withAccessible())
	d.keys("d", "ctrl+c")
	if _, ok := d.top().(*widget.QuitDialog); !ok {
		t.Fatalf("top is %T", d.top())
	}
	d.requireScreen("accessible mode")
	if !strings.Contains(strings.Join(d.seen, " "), "execMsg") {
		t.Fatal("the form was not handed to the terminal (tea.Exec) in accessible mode")
	}

	plain := newDriver(t, withFile(path))
	plain.keys("d", "ctrl+c")
	if strings.Contains(strings.Join(plain.seen, " "), "execMsg") {
		t.Fatal("a form ran through tea.Exec without accessible mode")
	}
}

func TestUnsavedMarkFollowsUndo(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	d.keys("d")
	d.requireScreen("kyc-basic.json*")
	d.keys("u")
	if strings.Contains(d.screen(), "kyc-basic.json*") {
		t.Fatal("undoing the only change still shows unsaved work")
	}
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("after undoing every change ctrl+c should quit at once")
	}
}

// TestGolden pins the main screens at 80×24 and 120×40, colour-free.
// Regenerate with: go test ./tui -run TestGolden -update
func TestGolden(t *testing.T) {
	scenes := []struct {
		name string
		file string
		keys []string
	}{
		{"home", "", nil},
		{"editor", "../testdata/valid/video-call-scheduled.json", nil},
		{"help", "../testdata/valid/kyc-basic.json", []string{"?"}},
		{"catalog", "../testdata/valid/kyc-basic.json", []string{"a"}},
		{"kyc_editor", "../testdata/valid/kyc-basic.json", []string{"j", "enter"}},
		{"flags", "../testdata/invalid/url.json", []string{"tab"}},
		{"problems", "../testdata/invalid/url.json", []string{"tab", "tab", "tab"}},
		{"json", "../testdata/valid/kyc-basic.json", []string{"tab", "tab", "tab", "tab"}},
		{"errorview", "../testdata/invalid/json-syntax.json", nil},
	}
	for _, sc := range scenes {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				var opts []driverOpt
				if sc.file != "" {
					opts = append(opts, withFile(sc.file))
				}
				d := newDriver(t, opts...)
				d.resize(size[0], size[1])
				d.keys(sc.keys...)
				d.requireFits()
				golden.RequireEqual(t, d.screen())
			})
		}
	}
}

func TestSaveAsCompletesJSONPaths(t *testing.T) {
	dir := t.TempDir()
	existing := copyFile(t, "../testdata/valid/kyc-basic.json", dir)
	before, _ := os.ReadFile(existing)
	d := newDriver(t)
	d.keys("enter", "a", "enter", "ctrl+w")
	d.typeText(filepath.Join(dir, "kyc-b"))
	d.keys("tab") // completes; does not submit
	if _, ok := d.top().(*widget.FormScreen); !ok {
		t.Fatalf("tab left the save-as dialog: top %T", d.top())
	}
	d.keys("enter")
	// The completed name is another file: replacing it is asked first.
	d.requireScreen("already exists", "Replace", "Cancel")
	d.keys("enter") // Cancel is the default
	if d.app.doc.Path != "" || !d.app.doc.Dirty() {
		t.Fatalf("cancelling the replacement saved to %q", d.app.doc.Path)
	}
	if after, _ := os.ReadFile(existing); string(after) != string(before) {
		t.Fatal("cancelling the replacement changed the file")
	}
	d.requireScreen("not saved")

	// Back at the name, which still holds the completed path.
	d.keys("enter", "y")
	if d.app.doc.Path != existing || d.app.doc.Dirty() {
		t.Fatalf("saved to %q, want the completed %q", d.app.doc.Path, existing)
	}
	if got := stepTypes(readConfig(t, existing)); len(got) != 1 || got[0] != "language" {
		t.Fatalf("replaced file has steps %v", got)
	}
	// Saving to the file's own path again does not ask.
	d.keys("d", "ctrl+w", "enter")
	if d.app.doc.Dirty() {
		t.Fatalf("save as to the same file asked or failed:\n%s", d.screen())
	}
}

func TestFullHelpFitsOnEveryScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		for _, sc := range []struct {
			name, file string
			keys       []string
		}{
			{"home", "", nil},
			{"editor", "../testdata/valid/kyc-basic.json", nil},
			{"catalog", "../testdata/valid/kyc-basic.json", []string{"a"}},
			{"step editor", "../testdata/valid/kyc-basic.json", []string{"j", "enter"}},
			{"picker", "../testdata/valid/kyc-basic.json", []string{"j", "enter", "end", "enter"}},
			{"error view", "../testdata/invalid/json-syntax.json", nil},
		} {
			t.Run(fmt.Sprintf("%s %dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				var opts []driverOpt
				if sc.file != "" {
					opts = append(opts, withFile(sc.file))
				}
				d := newDriver(t, opts...)
				d.resize(size[0], size[1])
				d.keys(sc.keys...)
				d.requireFits()
				d.keys("?")
				d.requireFits()
				d.requireScreen("quit")
			})
		}
	}
}

func TestSaveTakesCredentialsOutOfTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "flow.json")
	in := `{"company_key": "live-key-123", "flags": {}, "steps": [{"type": "email", "flags": {"require_email": true}}], "x": 1}`
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path))
	if strings.Contains(d.screen(), "live-key-123") {
		t.Fatal("the key is on screen")
	}
	d.keys("ctrl+s")
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "live-key-123") || strings.Contains(string(out), "company_key") {
		t.Fatalf("the key was written back:\n%s", out)
	}
	if !strings.Contains(string(out), `"x": 1`) {
		t.Fatalf("other fields were lost:\n%s", out)
	}
	if !strings.Contains(d.app.status, "removed company_key") {
		t.Fatalf("status does not say the key was removed: %q", d.app.status)
	}
}

// A status is about the flow as it was: once the flow changes, "saved" no
// longer shows over unsaved work.
func TestStatusGoesStaleWhenTheFlowChanges(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	d.requireScreen("opened ")
	d.keys("enter")
	if s := d.screen(); strings.Contains(s, "opened ") {
		t.Fatalf("\"opened\" follows into the step editor:\n%s", s)
	}
	d.keys("esc", "ctrl+s")
	d.requireScreen("saved ")
	d.keys("j") // moving changes nothing
	d.requireScreen("saved ")
	// A screen opened over it starts without it; back, it shows again.
	d.keys("enter")
	if s := d.screen(); strings.Contains(s, "saved ") {
		t.Fatalf("\"saved\" follows into the step editor:\n%s", s)
	}
	d.keys("esc")
	d.requireScreen("saved ")
	d.keys("d")
	if s := d.screen(); strings.Contains(s, "saved ") {
		t.Fatalf("\"saved\" still shows after an edit:\n%s", s)
	}
	d.keys("u")
	d.requireScreen("undid")
}

// enter with no path typed saves under the name the input shows.
func TestSaveAsEnterAloneTakesTheShownName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	d := newDriver(t)
	d.keys("enter", "a", "enter", "ctrl+w")
	d.requireScreen("flow.json")
	d.keys("enter")
	if want := "flow.json"; d.app.doc.Path != want || d.app.doc.Dirty() {
		t.Fatalf("saved to %q (dirty %v), want %q", d.app.doc.Path, d.app.doc.Dirty(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "flow.json")); err != nil {
		t.Fatal(err)
	}
}

// A save over a file that changed on disk since it was opened here (another
// window saved it) asks first: a second ctrl+s overwrites it.
func TestSaveAsksBeforeOverwritingAFileChangedOnDisk(t *testing.T) {
	path := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	d := newDriver(t, withFile(path))
	d.keys("d")
	theirs := []byte(`{"steps": [{"type": "email", "flags": {"require_email": true}}]}` + "\n")
	if err := os.WriteFile(path, theirs, 0o644); err != nil {
		t.Fatal(err)
	}
	d.keys("ctrl+s")
	d.requireScreen("changed on disk", "ctrl+s again overwrites")
	if now, _ := os.ReadFile(path); string(now) != string(theirs) {
		t.Fatal("the other save was overwritten without asking")
	}
	if !d.app.doc.Dirty() {
		t.Fatal("the refused save marked the flow saved")
	}
	d.keys("ctrl+s")
	if now, _ := os.ReadFile(path); string(now) == string(theirs) {
		t.Fatal("a second ctrl+s did not overwrite")
	}
	// Saved here: the next save has nothing to ask.
	d.keys("d", "ctrl+s")
	d.requireScreen("saved ")
}

// workerScreen records the messages it gets in the background.
type workerScreen struct {
	*errorView // any screen will do for the rest
	got        []tea.Msg
}

func (w *workerScreen) Background(msg tea.Msg) tea.Cmd { w.got = append(w.got, msg); return nil }

type tickForTest struct{}

// A screen under another keeps getting its timers and replies (a session's
// countdown and polling go on under a quit question); keys go to the top.
func TestScreensUnderTheTopGetBackgroundMessages(t *testing.T) {
	d := newDriver(t)
	w := &workerScreen{}
	d.app.stack = append(d.app.stack, w, widget.NewOpenWorkDialog(d.app.common, "1 session(s) still open"))
	d.app.Update(tickForTest{})
	d.app.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	if len(w.got) != 1 {
		t.Fatalf("the screen under the top got %d messages, want the tick alone: %v", len(w.got), w.got)
	}
	if _, ok := w.got[0].(tickForTest); !ok {
		t.Fatalf("got %T", w.got[0])
	}
}

// A status wider than the terminal is read whole even over a screen that
// fills every row: the screen is drawn shorter while it shows.
func TestLongStatusWrapsOverAFullScreen(t *testing.T) {
	var steps []string
	for i := range 40 {
		steps = append(steps, fmt.Sprintf(`{"type": "email", "key": "mail-%d"}`, i))
	}
	path := filepath.Join(t.TempDir(), "long.json")
	if err := os.WriteFile(path, []byte(`{"steps": [`+strings.Join(steps, ", ")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, accessible := range []bool{false, true} {
		opts := []driverOpt{withFile(path)}
		if accessible {
			opts = append(opts, withAccessible())
		}
		d := newDriver(t, opts...)
		d.keys("end") // the cursor on the last row the list shows
		long := "the first part of a long status line that says a good deal, and its end: the last words are here"
		d.send(ui.StatusMsg{Text: long})
		screen := strings.Join(strings.Fields(d.screen()), " ")
		if !strings.Contains(screen, "the last words are here") {
			t.Errorf("accessible=%v: the status is cut:\n%s", accessible, d.screen())
		}
		if !strings.Contains(d.screen(), "mail-39") {
			t.Errorf("accessible=%v: the selected step went out of sight:\n%s", accessible, d.screen())
		}
		d.requireFits()
	}
}
