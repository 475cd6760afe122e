package flow

import (
	"slices"
	"strings"
	"testing"
)

// FuzzComparePointers: the order diagnostics are sorted in is a total
// order (sorting with anything less gives results that depend on the
// input's order).
func FuzzComparePointers(f *testing.F) {
	for _, s := range [][3]string{
		{"/steps/10", "/steps/9", "/steps/x"},
		{"/a/100", "/a/5-", "/a/60"},
		{"", "/0", "/00"},
		{"/a~1b", "/a/b", "/a"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		sign := func(x, y string) int { return ComparePointers(x, y) }
		if sign(a, a) != 0 {
			t.Fatalf("%q is not equal to itself", a)
		}
		if sign(a, b) != -sign(b, a) {
			t.Fatalf("not antisymmetric: %q %q", a, b)
		}
		if (sign(a, b) == 0) != (a == b) {
			t.Fatalf("%q and %q compare equal", a, b)
		}
		if sign(a, b) <= 0 && sign(b, c) <= 0 && sign(a, c) > 0 {
			t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}

// FuzzSuggest: a suggestion is one of the candidates, never the name or
// the excluded one, and near the name, whether the list is short (compared
// one by one) or long (indexed).
func FuzzSuggest(f *testing.F) {
	f.Add("employd", "employed,retired,self-employed", "")
	f.Add("tpye", "type,key,title", "type")
	f.Add("Q-1", "q1,q-1,q_1", "q1")
	f.Fuzz(func(t *testing.T, name, list, exclude string) {
		cands := strings.Split(list, ",")
		long := append([]string(nil), cands...)
		for i := len(long); i <= scanLimit; i++ {
			long = append(long, "\x00filler"+strings.Repeat("z", i))
		}
		for _, cs := range [][]string{cands, long} {
			got := newSuggester(cs).find(name, exclude)
			if got == "" {
				continue
			}
			if got == name || got == exclude || !slices.Contains(cs, got) {
				t.Fatalf("Suggest(%q, %q) = %q", name, cs, got)
			}
			norm := func(s string) string { return separators.Replace(strings.ToLower(s)) }
			if norm(got) != norm(name) {
				var sg suggester
				if d := sg.distance([]rune(strings.ToLower(name)), []rune(strings.ToLower(got)), suggestLimit(name)); d > suggestLimit(name) {
					t.Fatalf("Suggest(%q) = %q, %d edits away", name, got, d)
				}
			}
		}
	})
}
