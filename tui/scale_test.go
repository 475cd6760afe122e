package tui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/internal/cmdrun"
)

// scaleFile writes a flow of n steps, each the JSON step, into a file.
func scaleFile(tb testing.TB, n int, step func(i int) string) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("{\"steps\": [\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(step(i))
	}
	b.WriteString("\n]}\n")
	path := filepath.Join(tb.TempDir(), "scale.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// The hostile files: steps sharing one key, steps of unknown types, unique
// keys (the yardstick) and one text filling the size limit.
func repeatedKeyStep(int) string { return `{"type": "email"}` }
func unknownTypeStep(int) string { return `{"type": "emial"}` }
func uniqueKeyStep(i int) string { return `{"type": "email", "key": "email-` + strconv.Itoa(i) + `"}` }

func hugeTitleFile(tb testing.TB) string {
	tb.Helper()
	return scaleFile(tb, 1, func(int) string {
		return `{"type": "email", "title": "` + strings.Repeat("x", 16<<20-200) + `"}`
	})
}

// ctrl+c quits while a file is read, and while it is validated: neither
// happens on the loop that answers keys.
func TestCtrlCQuitsWhileAFileLoads(t *testing.T) {
	path := scaleFile(t, 40000, repeatedKeyStep)
	start := func() *App {
		app := New(RunOptions{Options: Options{Store: Store{Dir: t.TempDir()}, NoColor: true, Now: func() time.Time { return testNow }}, File: path})
		app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = app.Init() // the reading starts; its answer has not come
		return app
	}
	quits := func(app *App) bool {
		_, cmd := app.Update(press("ctrl+c"))
		quit := false
		r := &cmdrun.Runner{TB: t, Deliver: func(msg tea.Msg) { _, quit = msg.(tea.QuitMsg) }}
		r.Exec(cmd)
		return quit
	}
	if !quits(start()) {
		t.Fatal("ctrl+c while the file is read did not quit")
	}

	app := start()
	loaded := openFile(app.opts.Store, path, true)()
	// Handing the file to the wizard does no work that grows with it: the
	// flow is validated in the command that opens it.
	allocs := testing.AllocsPerRun(1, func() { app.Update(loaded) })
	if allocs > 1000 {
		t.Fatalf("opening the read file took %v allocations on the loop", allocs)
	}
	if !quits(app) {
		t.Fatal("ctrl+c while the file is validated did not quit")
	}
}

// While a file opens, the keys typed wait for the editor rather than act
// on the screen below (home); when no editor opens, the wizard says they
// were not used.
func TestKeysTypedWhileAFileOpensGoToTheEditor(t *testing.T) {
	start := func(path string) (*App, *cmdrun.Runner) {
		app := New(RunOptions{Options: Options{Store: Store{Dir: t.TempDir()}, NoColor: true, Now: func() time.Time { return testNow }}, File: path})
		app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = app.Init()
		var r *cmdrun.Runner
		r = &cmdrun.Runner{TB: t, Deliver: func(msg tea.Msg) { _, cmd := app.Update(msg); r.Exec(cmd) }}
		return app, r
	}
	typeAhead := func(app *App, keys ...string) {
		for _, k := range keys {
			if _, cmd := app.Update(press(k)); cmd != nil {
				t.Fatalf("%s acted while the file opens", k)
			}
		}
	}
	path := scaleFile(t, 200, uniqueKeyStep)
	app, run := start(path)
	h := app.top().(*home)
	typeAhead(app, "j", "j", "down")
	if h.cursor != 0 || app.top() != h {
		t.Fatalf("keys reached home while the file opens (cursor %d, top %T)", h.cursor, app.top())
	}
	if frame := app.View().Content; !strings.Contains(frame, "opening "+path) {
		t.Fatalf("nothing says the file is opening:\n%s", frame)
	}
	run.Exec(openFile(app.opts.Store, path, true))
	if p := app.top().(*editor.Editor).SelectedStep(); len(p) != 1 || p[0] != 3 {
		t.Fatalf("the keys typed ahead did not move the editor's cursor: selected %v", p)
	}

	broken := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(broken, []byte(`{"steps": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	app, run = start(broken)
	typeAhead(app, "j", "e")
	run.Exec(openFile(app.opts.Store, broken, true))
	if frame := app.View().Content; !strings.Contains(frame, "2 key(s) typed while the file opened were not used") {
		t.Fatalf("the keys typed ahead were dropped without a word:\n%s", frame)
	}
}
