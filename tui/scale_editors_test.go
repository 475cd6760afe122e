package tui

import (
	"runtime"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// allocPerKey is the bytes allocated per keystroke (Update and View) over
// n keys, after as many to settle.
func allocPerKey(app *App, keys func(int) tea.KeyPressMsg, n int) uint64 {
	for i := range n {
		app.Update(keys(i))
		_ = app.View()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := n; i < 2*n; i++ {
		app.Update(keys(i))
		_ = app.View()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(n)
}

// What a keystroke costs does not grow with the flow, but for keys that
// edit it (it is then validated) or search all of it (the step filter):
// tenfold the steps or questions, a keystroke allocates about the same.
// Allocation is counted rather than time, which a busy machine blurs.
func TestKeystrokeCostDoesNotGrowWithTheFlow(t *testing.T) {
	for _, tc := range scaleKeystrokeCases {
		if tc.edits || tc.scans {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			cost := func(steps, qs int) uint64 {
				app := benchApp(t, generatedFlow(t, steps, qs, tc.lang))
				tc.setup(t, app, qs)
				return allocPerKey(app, tc.keys, 30)
			}
			small, large := cost(max(10, tc.steps/10), max(10, tc.qs/10)), cost(tc.steps, tc.qs)
			t.Logf("%d → %d bytes a keystroke", small, large)
			if large > 2*small+16<<10 {
				t.Fatalf("a keystroke allocates %d bytes on the small flow, %d on the tenfold one", small, large)
			}
		})
	}
}
