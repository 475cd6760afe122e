package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
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
	cmds *cmdRun  // runs the commands Update returns
	seen []string // types of the messages delivered, for assertions
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

// timerFuncs are the closures that wait on a clock.
var timerFuncs = []string{"bubbletea/v2.Tick.", "bubbletea/v2.Every.", "cursor.(*Model).Blink", "cursor.Blink"}

func isTimer(cmd tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, t := range timerFuncs {
		if strings.Contains(name, t) {
			return true
		}
	}
	return false
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// cmdRun runs commands as Bubble Tea would, but synchronously: each
// message a command returns goes to deliver, with batches and sequences
// expanded. Commands that wait on a clock are not run but counted.
type cmdRun struct {
	tb      testing.TB
	stop    func() bool // nil: never stop
	deliver func(tea.Msg)
	timers  int
}

func (r *cmdRun) exec(cmd tea.Cmd) {
	r.tb.Helper()
	if cmd == nil || (r.stop != nil && r.stop()) {
		return
	}
	if isTimer(cmd) {
		r.timers++
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(10 * time.Second):
		r.tb.Fatalf("command %s did not return", runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name())
	}
	r.handle(msg)
}

func (r *cmdRun) handle(msg tea.Msg) {
	r.tb.Helper()
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			r.exec(c)
		}
		return
	}
	// tea.Sequence's message is an unexported []Cmd: run them in order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		for i := range v.Len() {
			r.exec(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	r.deliver(msg)
}

func (d *driver) runner() *cmdRun {
	if d.cmds == nil {
		d.cmds = &cmdRun{tb: d.tb, stop: func() bool { return d.quit }, deliver: func(msg tea.Msg) {
			if _, ok := msg.(tea.QuitMsg); ok {
				d.quit = true
				return
			}
			d.send(msg)
		}}
	}
	return d.cmds
}

func (d *driver) exec(cmd tea.Cmd) { d.tb.Helper(); d.runner().exec(cmd) }

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

func (d *driver) editor() *editor {
	d.tb.Helper()
	for _, s := range d.app.stack {
		if e, ok := s.(*editor); ok {
			return e
		}
	}
	d.tb.Fatalf("no editor open; top is %T\n%s", d.top(), d.screen())
	return nil
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
