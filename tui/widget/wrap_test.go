package widget

import (
	"slices"
	"testing"
)

func TestWrapLinesKeepsWholeWordsAndCutsOnlyPastTheLast(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width int
		most  int
		want  []string
	}{
		{"fits on one", 20, 2, []string{"fits on one"}},
		{"breaks at a space here", 12, 2, []string{"breaks at a", "space here"}},
		{"one two three four five six", 9, 2, []string{"one two", "three fo…"}},
	} {
		if got := WrapLines(tc.text, tc.width, tc.most); !slices.Equal(got, tc.want) {
			t.Errorf("WrapLines(%q, %d, %d) = %q, want %q", tc.text, tc.width, tc.most, got, tc.want)
		}
	}
}
