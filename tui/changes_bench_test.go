package tui

import (
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// scaleFlow is a valid flow of about 1 MB: the built-in flows' steps again
// and again, each step (and each step in a video call) under a key of its
// own.
func scaleFlow(tb testing.TB) []byte {
	tb.Helper()
	c := flow.New()
	steps := c.StepsValue()
	for n := 0; len(c.Bytes()) < 1<<20; {
		for _, t := range flow.Templates() {
			tc, err := flow.TemplateConfig(t.Name)
			if err != nil {
				tb.Fatal(err)
			}
			for _, s := range tc.Steps() {
				n++
				s.Set("key", flow.NewString(s.EffectiveKey()+"-"+strconv.Itoa(n)))
				for _, in := range s.Steps() {
					n++
					in.Set("key", flow.NewString(in.EffectiveKey()+"-"+strconv.Itoa(n)))
				}
				steps.Append(s.V)
			}
		}
	}
	return c.Bytes()
}

// BenchmarkScaleKeystrokeChanges1MB times a keystroke (Update and View) on
// the Changes tab of a 1 MB flow read from a file, ten steps of it
// changed, at 120×40 (the selected change shown in full beside the list):
// moving the cursor (the comparison is kept), and undo and redo, each a
// new content compared again; beside them, undo and redo on the Steps tab,
// where nothing is compared.
func BenchmarkScaleKeystrokeChanges1MB(b *testing.B) {
	data := scaleFlow(b)
	open := func(b *testing.B) *App {
		c, err := flow.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		doc := ui.NewDoc(c, "big.json", true)
		doc.SetOnDisk(data)
		app := New(RunOptions{Options: Options{NoColor: true, Now: func() time.Time { return testNow }}})
		app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		app.Update(openDocMsg{doc: doc})
		n := len(doc.Config.Steps())
		for i := range 10 {
			app.Update(press("end"))
			for range n / 10 * i {
				app.Update(press("k"))
			}
			app.Update(press("c")) // duplicate a step
		}
		if d := doc.Diags.Count(flow.SevError); d > 0 {
			b.Fatalf("the flow has %d errors: %v", d, doc.Diags[:1])
		}
		return app
	}
	toChanges := func(app *App) {
		for range 12 {
			if app.top().Title() == "Changes" {
				return
			}
			app.Update(press("tab"))
		}
		b.Fatal("tab never shows the Changes tab")
	}
	undoRedo := func(i int) tea.KeyPressMsg {
		if i%2 == 0 {
			return press("u")
		}
		return press("ctrl+r")
	}
	b.Run("move", func(b *testing.B) {
		app := open(b)
		toChanges(app)
		_ = app.View()
		keystrokeBench(b, app, func(i int) tea.KeyPressMsg {
			if i%20 < 10 {
				return press("j")
			}
			return press("k")
		})
	})
	b.Run("undo-redo", func(b *testing.B) {
		app := open(b)
		toChanges(app)
		_ = app.View() // the file's side is read once, when the tab first shows
		keystrokeBench(b, app, undoRedo)
	})
	b.Run("undo-redo-steps-tab", func(b *testing.B) {
		keystrokeBench(b, open(b), undoRedo)
	})
}
