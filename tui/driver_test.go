package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/internal/cmdrun"
	"github.com/identoflow/identoflow/tui/ui"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// driver runs the App as Bubble Tea would, but synchronously: every
// command Update returns is executed and its messages fed back, batches
// and sequences expanded. Timer commands (tea.Tick, cursor blinks) are
// not waited for; the draft timer is fired explicitly with fireDraft.
type driver struct {
	tb   testing.TB
	app  *App
	quit bool
	cmds *cmdrun.Runner // runs the commands Update returns
	seen []string       // types of the messages delivered, for assertions
}

type driverOpt func(*RunOptions)

func withFile(path string) driverOpt { return func(o *RunOptions) { o.File = path } }
func withStore(s Store) driverOpt    { return func(o *RunOptions) { o.Store = s } }
func withColor() driverOpt           { return func(o *RunOptions) { o.NoColor = false } }
func withAccessible() driverOpt      { return func(o *RunOptions) { o.Accessible = true } }

// newDriver starts the wizard at 80×24 with a fresh store, colour off and
// a fixed clock, and runs Init.
func newDriver(tb testing.TB, opts ...driverOpt) *driver {
	tb.Helper()
	o := RunOptions{Options: Options{
		Store:   Store{Dir: tb.TempDir()},
		NoColor: true,
		Now:     func() time.Time { return testNow },
		Getenv:  func(string) string { return "" },
	}}
	for _, f := range opts {
		f(&o)
	}
	d := &driver{tb: tb, app: New(o)}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.exec(d.app.Init())
	return d
}

func (d *driver) runner() *cmdrun.Runner {
	if d.cmds == nil {
		d.cmds = &cmdrun.Runner{TB: d.tb, Stop: func() bool { return d.quit }, Deliver: func(msg tea.Msg) {
			if _, ok := msg.(tea.QuitMsg); ok {
				d.quit = true
				return
			}
			d.send(msg)
		}}
	}
	return d.cmds
}

func (d *driver) exec(cmd tea.Cmd) { d.tb.Helper(); d.runner().Exec(cmd) }

// send delivers one message and everything that follows from it.
func (d *driver) send(msg tea.Msg) {
	d.tb.Helper()
	if d.quit {
		return
	}
	d.seen = append(d.seen, fmt.Sprintf("%T", msg))
	_, cmd := d.app.Update(msg)
	d.exec(cmd)
}

// keys presses keys named as in key.Binding ("a", "enter", "ctrl+s",
// "shift+up", "space"...).
func (d *driver) keys(names ...string) {
	d.tb.Helper()
	for _, n := range names {
		d.send(press(n))
	}
}

// typeText types text one character at a time.
func (d *driver) typeText(s string) {
	d.tb.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// fireDraft delivers the draft autosave timer's message.
func (d *driver) fireDraft() { d.tb.Helper(); d.send(draftTickMsg{}) }

func (d *driver) resize(w, h int) { d.tb.Helper(); d.send(tea.WindowSizeMsg{Width: w, Height: h}) }

// screen is the current frame without styling.
func (d *driver) screen() string { return ansi.Strip(d.app.View().Content) }

func (d *driver) top() ui.Screen { return d.app.top() }

func (d *driver) editor() *editor.Editor {
	d.tb.Helper()
	for _, s := range d.app.stack {
		if e, ok := s.(*editor.Editor); ok {
			return e
		}
	}
	d.tb.Fatalf("no editor open; top is %T\n%s", d.top(), d.screen())
	return nil
}

// selectedLabel is the label of the selected line of a property list or
// catalog: the line that starts with the cursor mark.
func (d *driver) selectedLabel() string {
	d.tb.Helper()
	for _, l := range strings.Split(d.screen(), "\n") {
		if rest, ok := strings.CutPrefix(l, "▸ "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return f[0]
			}
		}
	}
	return ""
}

// selectProp moves the top screen's cursor to the property labelled label.
func selectProp(t *testing.T, d *driver, label string) {
	t.Helper()
	d.keys("home")
	for range 60 {
		if d.selectedLabel() == label {
			return
		}
		d.keys("down")
	}
	t.Fatalf("no property %q:\n%s", label, d.screen())
}

// requireStepEditor fails unless the top screen edits a step of type typ.
func (d *driver) requireStepEditor(typ string) {
	d.tb.Helper()
	if title := d.top().Title(); !strings.HasPrefix(title, typ+" step ") || strings.HasSuffix(title, "(read-only)") {
		d.tb.Fatalf("top is %q (%T), want the editor of a %s step\n%s", title, d.top(), typ, d.screen())
	}
}

// shownStepTypes are the step types the catalog lists, in order.
func (d *driver) shownStepTypes() []string {
	d.tb.Helper()
	var out []string
	for _, l := range strings.Split(d.screen(), "\n") {
		f := strings.Fields(strings.TrimPrefix(l, "▸"))
		if len(f) > 0 && slices.Contains(flow.StepTypes(), f[0]) {
			out = append(out, f[0])
		}
	}
	return out
}

// requireScreen fails unless the frame contains every part.
func (d *driver) requireScreen(parts ...string) {
	d.tb.Helper()
	s := d.screen()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			d.tb.Fatalf("screen lacks %q:\n%s", p, s)
		}
	}
}

// requireFits fails when the frame is not exactly the terminal's height
// or has a line wider than it.
func (d *driver) requireFits() {
	d.tb.Helper()
	requireFits(d.tb, d.app.View().Content, d.app.common.Width, d.app.common.Height)
}

func requireFits(tb testing.TB, frame string, w, h int) {
	tb.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		tb.Errorf("frame has %d lines, terminal %d:\n%s", len(lines), h, ansi.Strip(frame))
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			tb.Errorf("line %d is %d cells wide, terminal %d: %q", i+1, lw, w, ansi.Strip(l))
		}
	}
}

func press(name string) tea.KeyPressMsg {
	mod := tea.KeyMod(0)
	for {
		switch {
		case strings.HasPrefix(name, "ctrl+"):
			mod |= tea.ModCtrl
			name = strings.TrimPrefix(name, "ctrl+")
			continue
		case strings.HasPrefix(name, "shift+"):
			mod |= tea.ModShift
			name = strings.TrimPrefix(name, "shift+")
			continue
		case strings.HasPrefix(name, "alt+"):
			mod |= tea.ModAlt
			name = strings.TrimPrefix(name, "alt+")
			continue
		}
		break
	}
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "f5": tea.KeyF5, "insert": tea.KeyInsert,
	}
	if code, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(name)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

// copyFile copies a file from the repository's testdata into dir.
func copyFile(tb testing.TB, src, dir string) string {
	tb.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dst
}

func readConfig(tb testing.TB, path string) *flow.Config {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := flow.Parse(data)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return c
}

func stepTypes(c *flow.Config) []string {
	var out []string
	c.WalkSteps(func(_ flow.StepPath, s flow.Step) { out = append(out, s.Type()) })
	return out
}

// driverOnFlow starts the wizard on a file holding content.
func driverOnFlow(t *testing.T, content string) *driver {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flow.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return newDriver(t, withFile(path))
}
