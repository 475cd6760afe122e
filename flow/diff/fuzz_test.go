package diff

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// resolve returns the value a JSON Pointer names in root (the last of a
// repeated name), or nil.
func resolve(root *flow.Value, pointer string) *flow.Value {
	v := root
	for _, tok := range flow.SplitPointer(pointer) {
		switch v.Kind() {
		case flow.Object:
			v = v.Get(tok)
		case flow.Array:
			n, err := strconv.Atoi(tok)
			if err != nil {
				return nil
			}
			v = v.Item(n)
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// FuzzCompare: comparing any two configs never fails, every change's paths
// name values that exist on their side, and a config compared with itself
// reformatted is the same.
func FuzzCompare(f *testing.F) {
	var seeds [][]byte
	_ = filepath.WalkDir("../../testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") {
			if data, err := os.ReadFile(path); err == nil {
				seeds = append(seeds, data)
			}
		}
		return nil
	})
	seeds = append(seeds, []byte(baseFlow))
	for i, s := range seeds {
		f.Add(s, seeds[(i+1)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, err := flow.Parse(a)
		if err != nil {
			return
		}
		new, err := flow.Parse(b)
		if err != nil {
			return
		}
		r := Compare(old, new)
		for _, c := range r.Changes {
			_ = c.Phrase()
			if c.OldPath != "" && resolve(old.SentRoot(), c.OldPath) == nil {
				t.Fatalf("%v: old path %q names nothing", c, c.OldPath)
			}
			if c.NewPath != "" && resolve(new.SentRoot(), c.NewPath) == nil {
				t.Fatalf("%v: new path %q names nothing", c, c.NewPath)
			}
			if c.OldPath == "" && c.NewPath == "" {
				t.Fatalf("%v: no path", c)
			}
		}
		again, err := flow.Parse(flow.MarshalCompact(old.Root()))
		if err != nil {
			t.Fatal(err)
		}
		if r := Compare(old, again); !r.Same() {
			t.Fatalf("a config differs from itself: %v", lines(r))
		}
	})
}
