package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// largeFlow is a flow of questionnaires, about 1 MB at 400 steps.
func largeFlow(tb testing.TB, steps int) *flow.Config {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`{"flags":{"language":"en"},"steps":[`)
	for i := range steps {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"user-questionnaire","key":"q%d","questions":[`, i)
		for j := range 20 {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"options","key":"q%d-%d","title":{"en":"Question %d"},"options":[{"key":"q%d-%d-a","title":{"en":"Yes"}},{"key":"q%d-%d-b","title":{"en":"No"}}]}`, i, j, j, i, j, i, j)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	c, err := flow.Parse([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// liveHeap is the heap in use after a collection.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

func toggleFlag(tb testing.TB, d *Doc, name string) {
	tb.Helper()
	err := d.Edit("toggle "+name, func(c *flow.Config) error {
		c.SetFlag(name, flow.NewBool(!c.BoolFlag(name)))
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// The history keeps what edits changed, not copies of the flow: over
// 1,000 edits of a 1 MB flow the live heap levels off.
func TestUndoMemoryPlateaus(t *testing.T) {
	c := largeFlow(t, 400)
	if n := len(flow.MarshalCompact(c.Root())); n < 900_000 {
		t.Fatalf("the flow is %d bytes, want about 1 MB", n)
	}
	d := NewDoc(c, "", true)
	start := liveHeap()
	var at200 int64
	for i := 1; i <= 1000; i++ {
		toggleFlag(t, d, "skip_face")
		if i%100 != 0 {
			continue
		}
		grown := liveHeap() - start
		if grown > 32<<20 {
			t.Fatalf("after %d edits the live heap grew by %d MiB", i, grown>>20)
		}
		if i == 200 {
			at200 = grown
		}
		if i > 200 && grown > at200+8<<20 {
			t.Fatalf("the live heap keeps growing: %d MiB after 200 edits, %d MiB after %d", at200>>20, grown>>20, i)
		}
	}
	if !d.CanUndo() {
		t.Fatal("nothing to undo after 1,000 edits")
	}
	runtime.KeepAlive(d)
}

// Edits that each change a lot are kept only as far as 64 MiB allows,
// the latest ones, and those undo as they should.
func TestUndoHistoryIsBoundedInBytes(t *testing.T) {
	d := NewDoc(flow.New(), "", true)
	start := liveHeap()
	for i := range 150 {
		note := fmt.Sprintf("%04d", i) + strings.Repeat("x", 1<<20)
		if err := d.Edit("set name", func(c *flow.Config) error { c.SetString("name", note); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if grown := liveHeap() - start; grown > 100<<20 {
		t.Fatalf("150 edits of 1 MiB each: the live heap grew by %d MiB", grown>>20)
	}
	undone := 0
	for d.CanUndo() {
		d.Undo()
		undone++
		if want := fmt.Sprintf("%04d", 149-undone); undone < 150 && !strings.HasPrefix(d.Config.String("name"), want) {
			t.Fatalf("undo %d gave the name of edit %.4s, want %s", undone, d.Config.String("name"), want)
		}
	}
	if undone < 50 || undone > 64 {
		t.Fatalf("%d edits could be undone, want the last 50 to 64 (64 MiB)", undone)
	}
}

func TestUndoKeepsAtMost200Edits(t *testing.T) {
	d := NewDoc(flow.New(), "", true)
	for range 250 {
		toggleFlag(t, d, "skip_face")
	}
	undone := 0
	for d.CanUndo() {
		d.Undo()
		undone++
	}
	if undone != maxUndo {
		t.Fatalf("%d edits could be undone, want %d", undone, maxUndo)
	}
}

// Undo and redo walk back and forth through every state, byte for byte,
// and the states are those the edits had.
func TestUndoRedoWalkEveryState(t *testing.T) {
	d := NewDoc(largeFlow(t, 3), "", true)
	edits := []func(c *flow.Config) error{
		func(c *flow.Config) error { _, err := c.InsertStep(nil, 1, "email"); return err },
		func(c *flow.Config) error { c.SetFlag("skip_face", flow.NewBool(true)); return nil },
		func(c *flow.Config) error { return c.SetStepKey(flow.StepPath{0}, "renamed") },
		func(c *flow.Config) error { _, err := c.RemoveStep(flow.StepPath{2}); return err },
		func(c *flow.Config) error { c.MoveStep(flow.StepPath{0}, 1); return nil },
		func(c *flow.Config) error { _, err := c.DuplicateStep(flow.StepPath{1}); return err },
		func(c *flow.Config) error { c.SetString("name", "x"); return nil },
	}
	texts, states := [][]byte{d.Config.Bytes()}, []int{d.State()}
	for i, fn := range edits {
		if err := d.Edit(fmt.Sprintf("edit %d", i), fn); err != nil {
			t.Fatal(err)
		}
		texts, states = append(texts, d.Config.Bytes()), append(states, d.State())
	}
	for i := len(edits) - 1; i >= 0; i-- {
		if label, ok := d.Undo(); !ok || label != fmt.Sprintf("edit %d", i) {
			t.Fatalf("undo named %q, %v", label, ok)
		}
		if !bytes.Equal(d.Config.Bytes(), texts[i]) || d.State() != states[i] {
			t.Fatalf("undo of edit %d gave state %d:\n%s\nwant state %d:\n%s", i, d.State(), d.Config.Bytes(), states[i], texts[i])
		}
	}
	for i := range edits {
		d.Redo()
		if !bytes.Equal(d.Config.Bytes(), texts[i+1]) || d.State() != states[i+1] {
			t.Fatalf("redo of edit %d gave\n%s\nwant\n%s", i, d.Config.Bytes(), texts[i+1])
		}
	}
	// A new step the index hands a key to after all that has a key of its own.
	if err := d.Edit("add", func(c *flow.Config) error { _, err := c.InsertStep(nil, 0, "email"); return err }); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	d.Config.WalkSteps(func(_ flow.StepPath, s flow.Step) {
		if keys[s.EffectiveKey()] {
			t.Errorf("two steps have the key %q", s.EffectiveKey())
		}
		keys[s.EffectiveKey()] = true
	})
}

// An edit that fails leaves the flow as it was, with no history entry,
// and the history still works after it.
func TestFailedEditLeavesTheFlowAsItWas(t *testing.T) {
	d := NewDoc(largeFlow(t, 2), "", true)
	before, state := d.Config.Bytes(), d.State()
	err := d.Edit("half done", func(c *flow.Config) error {
		c.SetFlag("skip_face", flow.NewBool(true))
		_, _ = c.RemoveStep(flow.StepPath{0})
		return errors.New("refused")
	})
	if err == nil || !bytes.Equal(d.Config.Bytes(), before) || d.State() != state || d.CanUndo() {
		t.Fatalf("after a failed edit (%v): state %d, undo %v:\n%s", err, d.State(), d.CanUndo(), d.Config.Bytes())
	}
	toggleFlag(t, d, "skip_document")
	d.Undo()
	if !bytes.Equal(d.Config.Bytes(), before) {
		t.Fatalf("undo after a failed edit gave\n%s", d.Config.Bytes())
	}
}

// An edit that changes only how a value is written (1 as 1.0) is no
// history entry, as before; undoing the edit before it goes back through
// it.
func TestEquivalentEditAddsNoHistory(t *testing.T) {
	c, err := flow.Parse([]byte(`{"flags":{"language":"en"},"steps":[{"type":"email","flags":{"require_email":true}}],"n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	d := NewDoc(c, "", true)
	before := d.Config.Bytes()
	toggleFlag(t, d, "skip_face")
	state := d.State()
	if err := d.Edit("respell", func(c *flow.Config) error { c.Set("n", flow.NewNumber("1.0")); return nil }); err != nil {
		t.Fatal(err)
	}
	if d.State() != state || !strings.Contains(string(d.Config.Bytes()), `"n": 1.0`) {
		t.Fatalf("state %d (was %d):\n%s", d.State(), state, d.Config.Bytes())
	}
	d.Undo()
	if !bytes.Equal(d.Config.Bytes(), before) || d.CanUndo() {
		t.Fatalf("undo gave\n%s\nwant\n%s", d.Config.Bytes(), before)
	}
}

// worstScan is the worst diagnostic at path or inside it, found by
// scanning them all: what Problem answers from its index.
func worstScan(ds flow.Diagnostics, path string) (flow.Diagnostic, bool) {
	if path == "" {
		return flow.Diagnostic{}, false
	}
	var found flow.Diagnostic
	ok := false
	for _, d := range ds {
		if d.Severity == flow.SevInfo || (d.Path != path && !strings.HasPrefix(d.Path, path+"/")) {
			continue
		}
		if !ok || (d.Severity == flow.SevError && found.Severity != flow.SevError) {
			found, ok = d, true
		}
	}
	return found, ok
}

func TestProblemIsTheWorstDiagnosticAtOrInsideAPath(t *testing.T) {
	files, err := filepath.Glob("../../testdata/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test flows: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := flow.Parse(data)
		if err != nil {
			continue
		}
		d := NewDoc(c, "", true)
		for _, diag := range d.Diags {
			toks := strings.Split(diag.Path, "/")
			for i := range toks {
				for _, path := range []string{strings.Join(toks[:i+1], "/"), strings.Join(toks[:i+1], "/") + "x"} {
					got, gotOK := d.Problem(path)
					want, wantOK := worstScan(d.Diags, path)
					if gotOK != wantOK || got != want {
						t.Fatalf("%s: Problem(%q) = %v %v, want %v %v", name, path, got, gotOK, want, wantOK)
					}
				}
			}
		}
	}
}
