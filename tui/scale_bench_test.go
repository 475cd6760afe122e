package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/editor"
)

// Opening a hostile file to the first frame, as `identoflow edit FILE`
// does: reading and parsing it (a command), handing it over, validating
// it (a command since the flow may be large), opening the editor and
// drawing. Besides ns/op, loop-ns/op is the part spent in Update and View,
// where keys (ctrl+c) wait: the goal is that it does not grow with the
// file.
func scaleOpenBench(b *testing.B, path string) {
	store := Store{Dir: b.TempDir()}
	var loop time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		app := New(RunOptions{Options: Options{Store: store, NoColor: true}, File: path})
		app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		loaded := openFile(store, path, true)()
		start := time.Now()
		_, open := app.Update(loaded)
		loop += time.Since(start)
		msg := open()
		start = time.Now()
		app.Update(msg)
		_ = app.View()
		loop += time.Since(start)
		if _, ok := app.top().(*editor.Editor); !ok {
			b.Fatalf("top is %T", app.top())
		}
	}
	b.ReportMetric(float64(loop.Nanoseconds())/float64(b.N), "loop-ns/op")
}

func BenchmarkScaleOpenRepeatedKeys40000(b *testing.B) {
	scaleOpenBench(b, scaleFile(b, 40000, repeatedKeyStep))
}

func BenchmarkScaleOpenUnknownTypes40000(b *testing.B) {
	scaleOpenBench(b, scaleFile(b, 40000, unknownTypeStep))
}

func BenchmarkScaleOpenUniqueKeys40000(b *testing.B) {
	scaleOpenBench(b, scaleFile(b, 40000, uniqueKeyStep))
}

func BenchmarkScaleOpenHugeTitle16MiB(b *testing.B) {
	scaleOpenBench(b, hugeTitleFile(b))
}
