package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/widget"
)

// hostileConfig is a config holding launchtest.Hostile wherever a config
// holds text: keys, titles (plain and per language), language codes, types
// of steps, questions and fields, option keys, preset answers, conditions,
// flags, session fields and members no spec knows.
func hostileConfig() string {
	h, _ := json.Marshal(launchtest.Hostile)
	hq := func(suffix string) string { b, _ := json.Marshal(launchtest.Hostile + suffix); return string(b) }
	H := string(h)
	r := strings.NewReplacer("H1", hq("1"), "H2", hq("2"), "H3", hq("3"), "H4", hq("4"), "H5", hq("5"), "H", H)
	return r.Replace(`{
  "name": H, "clientUserId": H, "groupId": H, "config_id": H,
  "scheduleStartTime": H,
  H: H,
  "flags": {"language": H, "return_url": H, H: H},
  "steps": [
    {"type": "language", "key": H1, "title": {"en": H, H: H}, "flags": {"languages": ["en", H]}},
    {"type": "identity-document", "key": H2, "title": H, "flags": {"document_countries": [H], "document_types": [H], H: H}},
    {"type": "company", "key": "c", "title": {"en": H}, "description": H,
     "fields": [{"type": H, "mandatory": true}, {"type": "companyName", "mandatory": true}, H], H: H},
    {"type": "beneficiaries", "key": "b", "title": H, "kycConfigId": H,
     "roles": {"ubo": {"fields": [{"type": H}], "verification": true, H: H}, H: {}}},
    {"type": "kyb-review", "key": "r", "title": H},
    {"type": "user-questionnaire", "key": "q", "title": {"en": H, H: H}, "description": H, "successButtonTitle": H,
     "questions": [
       {"type": "options", "key": H, "title": {"en": H, H: H}, "options": [{"key": H, "title": {"en": H}}, {"key": "o2", "title": H, H: H}], "answer": H, H: H},
       {"type": "string", "key": "s", "title": H, "answer": {"en": H}, "showConditions": {"questionKey": H, "answer": H}},
       {"type": "string", "key": "t", "title": H, "showConditions": {"questionKey": "s", "answer": H}},
       {"type": "multiple-choice", "key": "m", "title": H, "options": [{"key": H1, "title": H}], "answer": [H]},
       {"type": "file", "key": "f", "title": H, "description": H, "fileTypes": [H], "filesMaxCount": H},
       {"type": "dropdown", "key": "d", "title": H, "options": [{"key": H2, "title": H}]},
       {"type": H, "key": H3, "title": H},
       H
     ]},
    {"type": "operator-questionnaire", "key": "oq", "title": H, "successButtonTitle": H, "questions": [{"type": H, "key": H, "title": H}]},
    {"type": "video-call", "key": "v", "title": H, "flags": {H: true}, "steps": [{"type": "email", "key": H3, "title": H}, {"type": H}], H: H},
    {"type": H, "key": H4},
    {"key": H5},
    H
  ]
}
`)
}

// hostileFrames checks every frame the driver draws from now on: none may
// pass a terminal control from the content through.
func hostileFrames(t *testing.T, d *driver) *frameCheck {
	t.Helper()
	fc := &frameCheck{t: t, d: d, seen: map[string]bool{}}
	fc.check("first frame")
	return fc
}

type frameCheck struct {
	t      *testing.T
	d      *driver
	frames int
	seen   map[string]bool // the screens checked, by type
}

func (fc *frameCheck) check(where string) {
	fc.t.Helper()
	fc.frames++
	fc.seen[fmt.Sprintf("%T", fc.d.top())] = true
	v := fc.d.app.View()
	for _, part := range []string{v.Content, v.WindowTitle} {
		if bad := launchtest.UnsafeInFrame(part); bad != "" {
			fc.t.Fatalf("%s (%T): %s\n%s", where, fc.d.top(), bad, flow.VisibleLines(part))
		}
	}
}

// keys presses keys, checking the frame after each.
func (fc *frameCheck) keys(names ...string) {
	fc.t.Helper()
	for _, n := range names {
		fc.d.keys(n)
		fc.check("after " + n)
	}
}

func (fc *frameCheck) depth() int { return len(fc.d.app.stack) }

// requireSeen fails unless every screen named was checked.
func (fc *frameCheck) requireSeen(types ...string) {
	fc.t.Helper()
	for _, typ := range types {
		if !fc.seen[typ] {
			fc.t.Errorf("no frame of %s was checked; checked %v", typ, fc.seen)
		}
	}
}

// explore walks the top screen's lines with down and opens each with
// enter, down to depth screens further, checking every frame; it leaves
// the screen as it found it on the stack.
func (fc *frameCheck) explore(depth int) {
	fc.t.Helper()
	base := fc.depth()
	fc.keys("home")
	// A picker's enter chooses and a text entry's confirms: their lines
	// are walked, not chosen, so the flow keeps its hostile texts.
	_, picker := fc.d.top().(*widget.Picker)
	_, entry := fc.d.top().(*widget.TextEntry)
	if picker || entry {
		depth = 0
	}
	for range 40 {
		if depth > 0 {
			fc.keys("enter")
			if fc.depth() > base {
				fc.explore(depth - 1)
			}
			if !fc.back(base) {
				return // what enter did closed this screen (a fix that removed its subject)
			}
		}
		before := fc.d.app.View().Content
		fc.keys("down")
		if fc.d.app.View().Content == before {
			return
		}
	}
}

// pane shows the editor's tab called name.
func (fc *frameCheck) pane(name string) {
	fc.t.Helper()
	for range 8 {
		if fc.d.top().Title() == name {
			return
		}
		fc.keys("tab")
	}
	fc.t.Fatalf("no tab %s", name)
}

// back presses esc until the stack is base screens deep again (a field
// being typed into takes one esc itself); false when it is shallower.
func (fc *frameCheck) back(base int) bool {
	fc.t.Helper()
	for range 6 {
		if fc.depth() < base {
			return false
		}
		if fc.depth() == base && !capturing(fc.d) {
			return true
		}
		fc.keys("esc")
	}
	fc.t.Fatalf("esc does not leave %T (%s):\n%s", fc.d.top(), fc.d.top().Title(), fc.d.screen())
	return false
}

func capturing(d *driver) bool {
	c, ok := d.top().(interface{ Capturing() bool })
	return ok && c.Capturing()
}

// selectStepOfType puts the step list's cursor on the first step of type
// typ.
func selectStepOfType(t *testing.T, d *driver, typ string) {
	t.Helper()
	d.keys("home")
	for range d.app.doc.Config.StepsValue().Len() {
		if s, ok := d.app.doc.Config.StepAt(d.selectedStep()); ok && s.Type() == typ {
			return
		}
		d.keys("down")
	}
	t.Fatalf("no %s step", typ)
}

// hostileStore is a store holding a draft of the hostile file, which
// renames the flow and drops a step, and a recent entry for the file.
func hostileStore(t *testing.T, path string, cfg *flow.Config) Store {
	t.Helper()
	store := Store{Dir: t.TempDir()}
	draft := cfg.Clone()
	draft.SetString("name", launchtest.Hostile+"!")
	if _, err := draft.RemoveStep(flow.StepPath{4}); err != nil {
		t.Fatal(err)
	}
	if err := store.SaveDraft(Draft{ID: DraftID(path, ""), Path: path, Updated: testNow, Config: draft}); err != nil {
		t.Fatal(err)
	}
	if err := store.AddRecent(path); err != nil {
		t.Fatal(err)
	}
	return store
}

// No screen of the wizard passes a config's, a file name's or a draft's
// escape sequences, controls or bidi overrides to the terminal: every
// frame is checked, on every line of every screen the wizard reaches from
// a hostile config.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, launchtest.HostileName+".json")
	if err := os.WriteFile(path, []byte(hostileConfig()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := readConfig(t, path)
	broken := filepath.Join(dir, launchtest.HostileName+"-broken.json")
	if err := os.WriteFile(broken, []byte("{\n  \"steps\": [\n    {\"title\": \""+launchtest.Hostile+"\"}\n  ]\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("home", func(t *testing.T) {
		d := newDriver(t, withStore(hostileStore(t, path, cfg)))
		fc := hostileFrames(t, d)
		d.requireScreen("Recover unsaved work", "Recent files")
		fc.keys("G", "up", "up", "home", "down")
		homeSelect(t, d, "open a file…")
		fc.keys("enter")
		d.typeText(dir + "/")
		fc.check("completion hint")
		fc.keys("tab", "tab", "tab", "esc")
		fc.requireSeen("*tui.home")
	})

	t.Run("draft prompt, editor and its screens", func(t *testing.T) {
		d := newDriver(t, withStore(hostileStore(t, path, cfg)), withFile(path))
		fc := hostileFrames(t, d)
		requireDraftPrompt(t, d)
		fc.keys("down", "up", "enter")
		for _, size := range [][2]int{{80, 24}, {140, 40}} {
			d.resize(size[0], size[1])
			fc.check("resized")
			for _, pane := range []string{"Steps", "Flags", "Session", "Problems", "JSON", "Changes", "Translations"} {
				fc.pane(pane)
				fc.explore(4) // on Steps, every step's screens
				for range 30 {
					fc.keys("pgdown")
				}
			}
		}
		// Screens reached by keys other than enter.
		d.resize(80, 24)
		fc.pane("Steps")
		selectStepOfType(t, d, "user-questionnaire")
		fc.keys("enter", "p", "right", "right", "down", "pgdown", "esc")
		// The condition of question 3 is on a text question: its answer is
		// typed, starting from the file's.
		selectProp(t, d, "3.")
		fc.keys("enter")
		selectProp(t, d, "show")
		fc.keys("enter", "enter")
		if _, ok := d.top().(*widget.TextEntry); !ok {
			t.Fatalf("top is %T, want the answer's text entry", d.top())
		}
		fc.keys("end", "esc", "esc", "esc")
		selectStepOfType(t, d, "video-call")
		fc.keys("enter", "tab", "down", "tab", "esc")
		fc.keys("/")
		d.typeText("e")
		fc.check("filtered")
		fc.keys("esc", "a")
		fc.check("catalog")
		// The draft does not say what the file held when its edits began:
		// the save asks, listing what it would change in the file.
		fc.keys("esc", "ctrl+s", "down", "end", "esc", "ctrl+w")
		if !widget.IsSaveAs(d.top()) {
			t.Fatalf("top is %T, want save as", d.top())
		}
		fc.keys("tab", "esc", "d")
		fc.keys("ctrl+c")
		if _, ok := d.top().(*widget.QuitDialog); !ok {
			t.Fatalf("top is %T, want the quit question", d.top())
		}
		fc.keys("esc")
		fc.requireSeen("*widget.FormScreen", "*editor.Editor", "*editor.kycEditor", "*editor.kybEditor",
			"*editor.kybBeneficiariesEditor", "*editor.kybRoleEditor", "*editor.questionnaireEditor",
			"*editor.questionEditor", "*editor.optionsEditor", "*editor.optionEditor", "*editor.questionnairePreview",
			"*editor.videoCallEditor", "*editor.jsonStepView", "*editor.catalog", "*widget.LocalizedEditor",
			"*widget.Picker", "*widget.TextEntry", "*widget.QuitDialog", "*tui.diskChangedQuestion")
		t.Logf("%d frames checked", fc.frames)
	})

	t.Run("accessible mode", func(t *testing.T) {
		d := newDriver(t, withFile(path), withAccessible())
		fc := hostileFrames(t, d)
		for _, pane := range []string{"Steps", "Flags", "Session", "Problems", "JSON", "Changes", "Translations"} {
			fc.pane(pane)
			fc.explore(4)
		}
		fc.requireSeen("*editor.Editor", "*editor.kycEditor", "*editor.kybRoleEditor", "*editor.questionEditor",
			"*editor.optionEditor", "*editor.videoCallEditor", "*editor.jsonStepView", "*widget.LocalizedEditor", "*widget.Picker")
	})

	t.Run("error view", func(t *testing.T) {
		d := newDriver(t, withFile(broken))
		fc := hostileFrames(t, d)
		if _, ok := d.top().(*errorView); !ok {
			t.Fatalf("top is %T, want the error view", d.top())
		}
		fc.keys("e", "r")
		d.resize(30, 12)
		fc.check("narrow")
	})
}
