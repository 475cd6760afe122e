package flow

import (
	"bytes"
	"os"
	"strconv"
	"testing"
)

// containers lists the objects and arrays of v, v first.
func containers(v *Value) []*Value {
	var out []*Value
	var walk func(*Value)
	walk = func(v *Value) {
		if !v.isContainer() {
			return
		}
		out = append(out, v)
		for _, it := range v.Items() {
			walk(it)
		}
		for _, m := range v.Members() {
			walk(m.Value)
		}
	}
	walk(v)
	return out
}

// editOps applies the edit ops describes (three bytes each: what, where,
// with what) to c, one edit per op, recording each with t. It returns the
// patches and the compact JSON before each edit and after the last.
func editOps(tb testing.TB, c *Config, t *Tracker, ops []byte) (patches []*Patch, texts [][]byte) {
	tb.Helper()
	texts = append(texts, MarshalCompact(c.Root()))
	names := []string{"type", "key", "title", "a", "b"}
	values := func(arg byte) *Value {
		switch arg % 6 {
		case 0:
			return NewString("s" + strconv.Itoa(int(arg)))
		case 1:
			return NewNumber([]string{"1", "1.0", "10e-1", "2"}[arg/6%4])
		case 2:
			return NewBool(arg%2 == 0)
		case 3:
			return NewArray(NewString("x"), NewInt(int(arg)))
		case 4:
			return ObjectOf(Member{Name: "k", Value: NewString("v")})
		}
		return NewNull()
	}
	for len(ops) >= 3 {
		what, where, arg := ops[0], ops[1], ops[2]
		ops = ops[3:]
		cs := containers(c.Root())
		v := cs[int(where)%len(cs)]
		n := v.Len()
		switch what % 7 {
		case 0: // set a member, new or existing
			if v.Is(Object) {
				name := names[int(arg)%len(names)]
				if n > 0 && arg%3 == 0 {
					name = v.Members()[int(arg)%n].Name
				}
				v.Set(name, values(arg), nil)
			}
		case 1:
			if n > 0 && v.Is(Object) {
				v.Delete(v.Members()[int(arg)%n].Name)
			}
		case 2: // insert a new item or a copy of one
			if v.Is(Array) {
				it := values(arg)
				if n > 0 && arg%2 == 0 {
					it = v.Item(int(arg) % n).Clone()
				}
				v.Insert(int(arg)%(n+1), it)
			}
		case 3:
			if n > 0 && v.Is(Array) {
				v.RemoveAt(int(arg) % n)
			}
		case 4:
			if n > 0 && v.Is(Array) {
				v.Move(int(arg)%n, int(where)%n)
			}
		case 5:
			if n > 0 && v.Is(Array) {
				v.SetItem(int(arg)%n, values(arg))
			}
		case 6: // several changes in one edit
			if n > 0 && v.Is(Array) {
				v.RemoveAt(0)
				v.Append(values(arg))
			} else if v.Is(Object) {
				v.Set("a", values(arg), nil)
				v.Set("b", values(arg+1), nil)
			}
		}
		before, after := texts[len(texts)-1], MarshalCompact(c.Root())
		p := t.Record(c)
		if (p == nil) != bytes.Equal(before, after) {
			tb.Fatalf("op %d: Record gave %v for\n%s\n→\n%s", what%7, p, before, after)
		}
		if p == nil {
			continue
		}
		bv, _ := ParseValue(before)
		if av, _ := ParseValue(after); p.Equivalent() != Equal(bv, av) {
			tb.Fatalf("Equivalent() = %v for\n%s\n→\n%s", p.Equivalent(), before, after)
		}
		patches, texts = append(patches, p), append(texts, after)
	}
	return patches, texts
}

// checkUndoRedo undoes every patch, checking the config at each step,
// then redoes them all.
func checkUndoRedo(tb testing.TB, c *Config, t *Tracker, patches []*Patch, texts [][]byte) {
	tb.Helper()
	redo := make([]*Patch, len(patches))
	for i := len(patches) - 1; i >= 0; i-- {
		redo[i] = t.Apply(c, patches[i])
		if got := MarshalCompact(c.Root()); !bytes.Equal(got, texts[i]) {
			tb.Fatalf("undo %d gave\n%s\nwant\n%s", i, got, texts[i])
		}
	}
	if p := t.Record(c); p != nil {
		tb.Fatalf("after undoing, the base differs from the config")
	}
	for i := range redo {
		t.Apply(c, redo[i])
		if got := MarshalCompact(c.Root()); !bytes.Equal(got, texts[i+1]) {
			tb.Fatalf("redo %d gave\n%s\nwant\n%s", i, got, texts[i+1])
		}
	}
}

func trackerSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	for _, name := range testdataFiles(tb) {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return append(out, []byte(`{"a":1,"a":2,"n":1.0,"steps":[{"type":"email"},{"type":"email"},[]]}`))
}

// FuzzTracker: whatever the edits, undoing the recorded patches gives back
// each earlier config byte for byte, and redoing them the later ones.
func FuzzTracker(f *testing.F) {
	for i, data := range trackerSeeds(f) {
		f.Add(data, []byte{byte(i), 3, 7, 2, 1, 0, 0, 0, 3, 4, 2, 9, 6, 0, 5, 5, 4, 1, 1, 2, 3})
	}
	f.Fuzz(func(t *testing.T, data, ops []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		tr := NewTracker(c)
		patches, texts := editOps(t, c, tr, ops)
		checkUndoRedo(t, c, tr, patches, texts)
	})
}

func TestTrackerUndoesEveryKindOfEdit(t *testing.T) {
	for _, data := range trackerSeeds(t) {
		for seed := range 40 {
			c, err := Parse(data)
			if err != nil {
				continue
			}
			ops := make([]byte, 60)
			for i := range ops {
				ops[i] = byte((seed*131 + i*i*17 + i*7) % 251)
			}
			tr := NewTracker(c)
			patches, texts := editOps(t, c, tr, ops)
			checkUndoRedo(t, c, tr, patches, texts)
		}
	}
}

// A change under a member a later one of the same name hides changes
// nothing Equal sees: the patch says so.
func TestTrackerChangeUnderAHiddenMemberIsEquivalent(t *testing.T) {
	c, err := Parse([]byte(`{"x":{"a":1},"x":[],"y":{"b":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(c)
	c.Root().Members()[0].Value.Set("a", NewInt(2), nil)
	if p := tr.Record(c); p == nil || !p.Equivalent() {
		t.Fatalf("under the hidden x: %+v", p)
	}
	c.Root().Get("y").Set("b", NewInt(2), nil)
	if p := tr.Record(c); p == nil || p.Equivalent() {
		t.Fatalf("under y: %+v", p)
	}
}

// A patch keeps what changed, not the document: a flag toggled in a large
// flow costs a few hundred bytes.
func TestTrackerPatchIsTheSizeOfTheChange(t *testing.T) {
	c, err := Parse(generateFlow(1000))
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(c)
	c.Steps()[500].SetFlag("liveness", NewBool(false))
	p := tr.Record(c)
	if p == nil || p.Size() > 1000 || p.Equivalent() {
		t.Fatalf("toggling a flag: patch %+v", p)
	}
	if _, err := c.RemoveStep(StepPath{10}); err != nil {
		t.Fatal(err)
	}
	if p := tr.Record(c); p == nil || p.Size() > 100_000 {
		t.Fatalf("removing a questionnaire: patch %+v", p)
	}
}

// Applying a patch refreshes the config's step key index: after undoing
// a rename, a new step does not take the key the undo gave back.
func TestTrackerApplyRefreshesStepKeys(t *testing.T) {
	c, err := Parse([]byte(`{"steps":[{"type":"liveness","key":"liveness-2"},{"type":"email"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertStep(nil, 2, "liveness"); err != nil { // builds the index
		t.Fatal(err)
	}
	tr := NewTracker(c)
	if err := c.SetStepKey(StepPath{0}, "mail"); err != nil {
		t.Fatal(err)
	}
	tr.Apply(c, tr.Record(c))
	if _, err := c.InsertStep(nil, 0, "liveness"); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	c.WalkSteps(func(_ StepPath, s Step) {
		if seen[s.EffectiveKey()] {
			t.Errorf("two steps have the key %q: %s", s.EffectiveKey(), c.Bytes())
		}
		seen[s.EffectiveKey()] = true
	})
}
