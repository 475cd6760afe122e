package widget

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

func TestMoveCursorStopsAtTheEnds(t *testing.T) {
	k := ui.DefaultKeyMap()
	down, up := tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp}
	for _, tc := range []struct {
		km           tea.KeyPressMsg
		cursor, n    int
		want, within int
	}{
		{down, 0, 3, 1, 1},
		{down, 2, 3, 2, 2},
		{up, 0, 3, 0, 0},
		{up, 2, 3, 1, 1},
		{tea.KeyPressMsg{Code: 'G', Text: "G"}, 0, 3, 2, 2},
		{tea.KeyPressMsg{Code: 'g', Text: "g"}, 2, 3, 0, 0},
		// A list that became shorter than its cursor: down comes back
		// onto the last row only within; up steps back either way.
		{down, 5, 3, 5, 2},
		{down, 4, 0, 4, 0},
		{up, 5, 3, 4, 4},
	} {
		got, ok := MoveCursor(k, tc.km, tc.cursor, tc.n)
		if !ok || got != tc.want {
			t.Errorf("MoveCursor(%s, %d of %d) = %d, %v; want %d", tc.km, tc.cursor, tc.n, got, ok, tc.want)
		}
		got, ok = MoveCursorWithin(k, tc.km, tc.cursor, tc.n)
		if !ok || got != tc.within {
			t.Errorf("MoveCursorWithin(%s, %d of %d) = %d, %v; want %d", tc.km, tc.cursor, tc.n, got, ok, tc.within)
		}
	}
	if _, ok := MoveCursorWithin(k, tea.KeyPressMsg{Code: 'x', Text: "x"}, 1, 3); ok {
		t.Error("x moved the cursor")
	}
}
