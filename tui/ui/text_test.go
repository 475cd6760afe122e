package ui

import "testing"

// A cut line ends in "…" where text is cut off, and in nothing where only
// blanks are: an input padded to its width, whose line grew when its
// marks were said in words, is not text cut off.
func TestTruncateMarksOnlyTextCutOff(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"selected: en  English\x1b[7m \x1b[m          ", 24, "selected: en  English\x1b[7m \x1b[m  "},
		{"selected: en  English  text", 24, "selected: en  English  …"},
		{"short", 24, "short"},
	} {
		if got := Truncate(c.in, c.w); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

func TestPadRightCountsDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"key", 6, "key   "},
		{"住所", 6, "住所  "},
		{"longer", 3, "longer"},
	} {
		if got := PadRight(c.in, c.w); got != c.want {
			t.Errorf("PadRight(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}
