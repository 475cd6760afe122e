package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/ui"
)

// Speed goals (SPEC §10 wizard): one keystroke, Update and View, within
// 2 ms at the 95th percentile on a 200-step flow; first frame within 50 ms.
// The benchmarks report ns/op and a p95-ns metric.

var benchTypes = []string{"language", "identity-document", "liveness", "general-document", "face-document", "phone-number", "email", "geolocation"}

// bigFlow is a flow of n KYC steps with unique keys.
func bigFlow(tb testing.TB, n int) *flow.Config {
	tb.Helper()
	c := flow.New()
	for i := range n {
		p, err := c.InsertStep(nil, i, benchTypes[i%len(benchTypes)])
		if err != nil {
			tb.Fatal(err)
		}
		if err := c.SetStepKey(p, benchTypes[i%len(benchTypes)]+"-"+strconv.Itoa(i)); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

// benchApp is the wizard at 120×40 editing c, without a store.
func benchApp(tb testing.TB, c *flow.Config) *App {
	app := New(RunOptions{Options: Options{NoColor: true, Now: func() time.Time { return testNow }}})
	app.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	app.Update(openDocMsg{doc: ui.NewDoc(c, "", true)})
	if _, ok := app.top().(*editor.Editor); !ok {
		tb.Fatalf("top is %T", app.top())
	}
	return app
}

// keystrokeBench times Update+View of the key that keyAt returns for
// iteration i, and reports the 95th percentile.
func keystrokeBench(b *testing.B, app *App, keyAt func(i int) tea.KeyPressMsg) {
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		app.Update(keyAt(i)) // the returned commands are timers or nil
		_ = app.View()
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Nanoseconds()), "p95-ns")
}

func BenchmarkKeystrokeCursorMove200Steps(b *testing.B) {
	app := benchApp(b, bigFlow(b, 200))
	down, up := press("j"), press("k")
	keystrokeBench(b, app, func(i int) tea.KeyPressMsg {
		if i%400 < 199 {
			return down
		}
		return up
	})
}

func BenchmarkKeystrokeFlagToggle200Steps(b *testing.B) {
	c := bigFlow(b, 200)
	app := benchApp(b, c)
	app.Update(press("tab")) // the Flags pane; skip_face first
	space := press("space")
	before := app.doc.State()
	keystrokeBench(b, app, func(int) tea.KeyPressMsg { return space })
	if app.doc.State() == before {
		b.Fatal("the toggle changed nothing")
	}
}

func BenchmarkKeystrokeStepEditorToggle200Steps(b *testing.B) {
	app := benchApp(b, bigFlow(b, 200))
	app.Update(press("G"))
	app.Update(press("j"))
	_, cmd := app.Update(press("enter"))
	app.Update(cmd()) // push the editor of the last step
	if title := app.top().Title(); !strings.HasPrefix(title, "geolocation step ") {
		b.Fatalf("top is %q", title)
	}
	app.Update(press("down"))
	app.Update(press("down"))
	space := press("space")
	keystrokeBench(b, app, func(int) tea.KeyPressMsg { return space })
}

// BenchmarkStartupHome is New, Init and the first frame of the home screen.
func BenchmarkStartupHome(b *testing.B) {
	store := Store{Dir: b.TempDir()}
	b.ReportAllocs()
	for b.Loop() {
		app := New(RunOptions{Options: Options{Store: store, NoColor: true}})
		app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = app.Init()
		_ = app.View()
	}
}

// BenchmarkStartupEdit200Steps is `identoflow edit FILE` on a 200-step
// file up to the first frame showing the flow: New, Init, reading and
// validating the file, opening the editor and View.
func BenchmarkStartupEdit200Steps(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.json")
	if err := os.WriteFile(path, bigFlow(b, 200).Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	store := Store{Dir: b.TempDir()}
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		app := New(RunOptions{Options: Options{Store: store, NoColor: true}, File: path})
		app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		_ = app.Init()
		loaded := openFile(store, path, true)()
		_, open := app.Update(loaded)
		app.Update(open())
		_ = app.View()
		times = append(times, time.Since(start))
		if _, ok := app.top().(*editor.Editor); !ok {
			b.Fatalf("top is %T", app.top())
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Nanoseconds()), "p95-ns")
}
