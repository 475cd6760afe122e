package widget

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// A long list draws the lines that fit, not all of them: a keystroke
// costs what is on screen.
func TestPropListDrawsOnlyTheVisibleLines(t *testing.T) {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24}
	c.SetDark(true)
	doc := ui.NewDoc(flow.New(), "", true)
	drawn := map[int]int{}
	props := make([]Prop, 10_000)
	for i := range props {
		props[i] = Prop{Label: fmt.Sprintf("line %d", i), Kind: PropAction, Path: fmt.Sprintf("/x/%d", i),
			Value: func() string { drawn[i]++; return "value" }}
	}
	l := NewPropList(c, doc)
	l.SetSize(80, 20)
	l.SetProps(props)
	for range 5_000 {
		l.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	view := l.View()
	if !strings.Contains(ansi.Strip(view), "▸ line 5000") {
		t.Fatalf("the cursor line is not shown:\n%s", view)
	}
	if len(drawn) > 20 {
		t.Fatalf("View drew %d lines for a list 20 rows high", len(drawn))
	}
}
