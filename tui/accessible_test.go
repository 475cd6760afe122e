package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// Accessible mode, screen by screen: each says its state in words, and
// nothing is drawn only for the eye.

// marksForTheEye are what a screen reader would read out as noise.
const marksForTheEye = "✗⚠ℹ✓▸│•·→←↑↓└⇐⇪▾■⤷"

// requireSpoken fails when frame holds a mark, a box-drawing line or a
// checkbox; qr allows the block elements of a QR code.
func requireSpoken(tb testing.TB, frame string, qr bool) {
	tb.Helper()
	plain := ansi.Strip(frame)
	for _, r := range plain {
		switch {
		case strings.ContainsRune(marksForTheEye, r),
			r >= 0x2500 && r <= 0x257F,
			!qr && r >= 0x2580 && r <= 0x259F:
			tb.Fatalf("accessible frame draws %q:\n%s", r, plain)
		}
	}
	for _, box := range []string{"[x]", "[ ]"} {
		if strings.Contains(plain, box) {
			tb.Fatalf("accessible frame draws the checkbox %q:\n%s", box, plain)
		}
	}
}

// requireSpoken fails unless the frame says every part (a sentence may
// wrap onto the next line) and draws nothing for the eye only.
func (d *driver) requireSpoken(parts ...string) {
	d.tb.Helper()
	requireSaid(d.tb, d.app.View().Content, parts...)
	requireSpoken(d.tb, d.app.View().Content, false)
	d.requireFits()
}

func requireSaid(tb testing.TB, frame string, parts ...string) {
	tb.Helper()
	plain := ansi.Strip(frame)
	flat := strings.Join(strings.Fields(plain), " ")
	for _, p := range parts {
		if !strings.Contains(flat, p) {
			tb.Fatalf("the screen does not say %q:\n%s", p, plain)
		}
	}
}

func TestAccessibleHome(t *testing.T) {
	d := newDriver(t, withAccessible())
	d.requireSpoken("identoflow, home.", "New flow: empty, selected, 1 of ", "Enter chooses it.")
	d.keys("down")
	d.requireSpoken("New flow: basic-kyc, selected, 2 of ", "language, identity document, passive liveness")
	d.keys("end", "enter")
	d.requireSpoken("Open a file: typing the path \"\". Tab completes, enter opens, esc goes back.")
}

func TestAccessibleEditorTabs(t *testing.T) {
	d := driverOnFlow(t, `{"steps":[{"type":"language","key":"a"},{"type":"liveness","key":"a"}]}`)
	d.app.common.Accessible = true
	d.requireSpoken("identoflow, flow.json, Steps. 1 error, 1 warning, 1 info.",
		"Steps tab, 1 of 7; tab goes to Flags.", "Step 1 of 2: language, key a, selected. Enter edits it.")
	d.keys("a")
	d.requireSpoken("Step type ", "Enter adds it after the selected step.")
	d.keys("esc", "down")
	d.requireSpoken("Step 2 of 2: liveness, key a, selected. 1 error, 1 warning.", "error, selected: 2. liveness")
	d.keys("tab")
	d.requireSpoken("Flags tab, 2 of 7", "skip_face: off (default), selected, 1 of 9.", "Space turns it on or off.")
	d.keys("space")
	d.requireSpoken("(unsaved changes)", "skip_face: on, selected")
	d.keys("tab")
	d.requireSpoken("Session tab, 3 of 7", "name: not set, selected", "Enter edits it.")
	d.keys("tab")
	d.requireSpoken("Problems tab, 4 of 7", "Problem 1 of ", "error duplicate-key at /steps/1/key", "Enter goes there.")
	d.keys("tab")
	d.requireSpoken("JSON tab, 5 of 7", "The JSON as it will be saved, lines 1 to ")
	d.keys("tab")
	d.requireSpoken("Changes tab, 6 of 7; tab goes to Translations.", "1 change", "Entry 1 of ", "skip_face", "Enter goes there.")
	d.keys("tab")
	d.requireSpoken("Translations tab, 7 of 7; tab goes to Steps.", "Texts per language: English 0 of 0.")
}

func TestAccessibleEditorLeavesOutTheSideJSON(t *testing.T) {
	d := driverOnFlow(t, `{"steps":[{"type":"language","key":"a"}]}`)
	d.app.common.Accessible = true
	d.resize(160, 40)
	if strings.Contains(d.screen(), "JSON of /steps/0") {
		t.Fatalf("the JSON beside the list is read with it, line by line:\n%s", d.screen())
	}
	d.requireSpoken("Step 1 of 1: language")
}

// Every step editor of every template, and one screen further from each
// of its lines (pickers, texts, sub-editors), says its state in words.
// The header and the state sentence are wrapped, never cut: a long title
// and the counts after it are said whole. A text field's row ends with
// its text, not with a mark of text cut off.
func TestAccessibleSentenceIsWrappedNotCut(t *testing.T) {
	d := driverOnFlow(t, `{"flags":{"language":"en"},"steps":[{"type":"language","flags":{"languages":["en","es"]}},{"type":"user-questionnaire","key":"onboarding_questionnaire_for_walk_in_customers",
		"questions":[{"type":"string","key":"what","title":{"en":"What?","es":"¿Qué?"}},
		{"type":"string","key":"why","title":{"en":"Why?","es":"¿Por qué?"},"showConditions":{"questionKey":"what","answer":"x"}}]}]}`)
	d.app.common.Accessible = true
	d.keys("down", "enter")
	d.requireSpoken(`identoflow, flow.json, user-questionnaire step "onboarding_questionnaire_for_walk_in_customers". valid, 1 info.`,
		"shown only if what = x")
	d.keys("end", "a", "enter")
	d.requireSpoken("identoflow, flow.json (unsaved changes), Question 3 — its title. 0 errors, 1 warning, 1 info.")
	for _, l := range strings.Split(d.screen(), "\n") {
		if (strings.Contains(l, "English") || strings.Contains(l, "Spanish")) && strings.HasSuffix(strings.TrimSpace(l), "…") {
			t.Fatalf("the field's row ends in a mark of text cut off:\n%s", d.screen())
		}
	}
}

func TestAccessibleStepEditors(t *testing.T) {
	for _, tmpl := range flow.Templates() {
		t.Run(tmpl.Name, func(t *testing.T) {
			cfg, err := flow.TemplateConfig(tmpl.Name)
			if err != nil {
				t.Fatal(err)
			}
			d := driverOnFlow(t, string(cfg.Bytes()))
			d.app.common.Accessible = true
			for i := range cfg.Steps() {
				d.selectStepAt(i)
				d.keys("enter")
				editor := d.top()
				if ui.Describe(editor) == "" {
					t.Fatalf("%s (%T) says nothing of its state:\n%s", editor.Title(), editor, d.screen())
				}
				d.requireSpoken()
				walkLines(t, d, len(d.app.stack), 2)
				for len(d.app.stack) > 1 {
					d.keys("esc")
				}
			}
		})
	}
}

// walkLines presses enter on each line of the screen at depth and checks
// what it opens, going levels deeper, then comes back.
func walkLines(t *testing.T, d *driver, depth, levels int) {
	t.Helper()
	d.keys("home")
	for line := 0; line < 40; line++ {
		before := ui.Describe(d.top())
		d.keys("enter")
		d.requireSpoken()
		if len(d.app.stack) > depth {
			if ui.Describe(d.top()) == "" {
				t.Fatalf("%s (%T) says nothing of its state:\n%s", d.top().Title(), d.top(), d.screen())
			}
			if levels > 1 {
				walkLines(t, d, len(d.app.stack), levels-1)
			}
		}
		for i := 0; i < 3 && (len(d.app.stack) > depth || ui.Capturing(d.top())); i++ {
			d.keys("esc")
		}
		if len(d.app.stack) < depth {
			return // the screen closed (its subject is gone)
		}
		d.keys("down")
		if ui.Describe(d.top()) == before {
			return // the last line
		}
	}
}

// The desk and a session on it, in words: ready, the session's link and
// expiry, and the code on q.
func TestAccessibleDesk(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	cfg, _ := flow.TemplateConfig("basic-kyc")
	app, l, err := newDesk(DeskOptions{LaunchConfig: launchVendorConfig(clock, clip, vendor), File: "kyc.json", Config: cfg, Accessible: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	d := launchtest.NewDriver(t, app, initScreen(app.top()), 80, 24)
	spoken := func(qr bool, parts ...string) {
		t.Helper()
		requireSaid(t, d.Raw(), parts...)
		requireSpoken(t, d.Raw(), qr)
		requireFits(t, d.Raw(), 80, 24)
	}
	spoken(false, "identoflow, desk.", "Ready for the next customer. Typing in Name, empty, optional; tab goes to Client")
	d.TypeText("Ann")
	d.Keys("enter")
	spoken(false, "Session for Ann ready.", "q shows the QR code", api.DefaultBaseURL, "Expires at 09:45:00, in about 15 minutes.",
		"Waiting for the customer to finish.", "press q to show it")
	d.Keys("q")
	spoken(true, "q hide QR code")
	if link, err := launchtest.DecodeQR(d.Raw()); err != nil || !strings.HasPrefix(link, api.DefaultBaseURL) {
		t.Fatalf("the QR code shown on q holds %q (%v)", link, err)
	}
	d.Keys("q")
	spoken(false, "Session for Ann ready.")
	d.Keys("esc")
	spoken(false, "Ready for the next customer.", "tab goes to Client user ID")
	d.Keys("tab", "tab")
	spoken(false, "Sessions, 1 of 1: Ann, begun 09:30,", "selected. Enter reopens it")
}

func TestAccessibleFileThatDoesNotParse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(path, []byte("{\n  \"steps\": [\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, withFile(path), withAccessible())
	d.requireSpoken("broken.json is not a valid config: line 3, column 1", "e opens it in your editor, r reads it again, esc goes home.")
}

// Launching from the editor in words: the session's link and expiry, and
// a failure with what to do about it.
func TestAccessibleLaunch(t *testing.T) {
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	l := NewLauncher(launchVendorConfig(clock, clip, vendor))
	t.Cleanup(func() { _ = l.Close() })
	app := launchEditorApp(t, l, clock.Now)
	app.common.Accessible = true
	d := launchtest.NewDriver(t, app, app.Init(), 80, 24)
	d.Keys("L")
	requireSaid(t, d.Raw(), "identoflow, kyc.json, session.", "Session ready. The customer scans the QR code with the phone's camera or opens the link.",
		"Scan the code with the phone's camera, or open the link:", api.DefaultBaseURL, "Expires at 09:45:00, in about 15 minutes.")
	requireSpoken(t, d.Raw(), false)
	d.Keys("esc")
	vendor.Set(func(f *launchtest.FakeVendor) { f.BeginStatus, f.BeginBody = 500, `"oops"` })
	d.Keys("L")
	requireSaid(t, d.Raw(), "Error: ", "Press r to try again.")
	requireSpoken(t, d.Raw(), false)
	requireFits(t, d.Raw(), 80, 24)
}
