package editor

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/widget"
)

// manyProblems is a flow of n steps, each with a problem the step list
// marks (a flag the step does not know).
func manyProblems(tb testing.TB, n int) *flow.Config {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`{"flags":{"language":"en"},"steps":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"email","key":"e%d","flags":{"require_email":true,"require_emial":true}}`, i)
	}
	b.WriteString(`]}`)
	return rigConfig(tb, b.String())
}

// allocatedBy is the bytes fn allocates, on average over n runs.
func allocatedBy(n int, fn func()) uint64 {
	fn()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		fn()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(n)
}

// A frame of the step list costs the rows it shows, however many problems
// the flow has: they are sorted out once per validation.
func TestStepListFrameDoesNotGrowWithProblems(t *testing.T) {
	frame := func(n int) uint64 {
		r := newRichRig(t, manyProblems(t, n))
		if len(r.doc.Diags) < n {
			t.Fatalf("%d steps gave %d problems", n, len(r.doc.Diags))
		}
		e := New(r.common, r.doc, nil)
		e.SetSize(80, 21)
		if !strings.Contains(e.View(), "⚠") && !strings.Contains(e.View(), "✗") {
			t.Fatalf("no step is marked:\n%s", e.View())
		}
		return allocatedBy(20, func() { _ = e.View() })
	}
	if small, large := frame(100), frame(2000); large > small+small/2 {
		t.Fatalf("a frame allocates %d bytes at 100 problems, %d at 2,000", small, large)
	}
}

// The questionnaire's lines are built when the flow changes, not on every
// key and frame: moving the cursor builds nothing.
func TestQuestionnaireLinesAreBuiltOncePerContent(t *testing.T) {
	var qs []string
	for i := range 300 {
		qs = append(qs, fmt.Sprintf(`{"type":"string","key":"k%d","title":{"en":"Q%d"}}`, i, i))
	}
	r := newRichRig(t, rigConfig(t, `{"flags":{"language":"en"},"steps":[{"type":"user-questionnaire","key":"q","questions":[`+strings.Join(qs, ",")+`]}]}`))
	e := r.open(0).(*questionnaireEditor)
	builds := 0
	build := e.build
	e.build = func() []widget.Prop { builds++; return build() }
	for range 50 {
		r.keys("down")
		_ = r.top().View()
	}
	if builds != 0 {
		t.Fatalf("50 cursor moves built the lines %d times", builds)
	}
	r.keys("end", "K") // an edit: the lines follow it
	_ = r.top().View()
	if builds != 1 {
		t.Fatalf("an edit built the lines %d times", builds)
	}
	if r.requireScreen("299. k299"); !strings.HasSuffix(questionKeys(r.doc.Config, 0), "k299,k298") {
		t.Fatalf("K did not move the last question: %s", questionKeys(r.doc.Config, 0))
	}
}
