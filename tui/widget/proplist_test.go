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

// Values stand in one column whatever the labels hold: a member's name in
// wide characters (two columns each) is padded by display width.
func TestPropListValuesAlignByDisplayWidth(t *testing.T) {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24}
	c.SetDark(true)
	l := NewPropList(c, ui.NewDoc(flow.New(), "", true))
	l.SetSize(80, 20)
	var props []Prop
	for _, label := range []string{"key", "住所", "მისამართი", "title"} {
		props = append(props, Prop{Label: label, Kind: PropAction, Value: func() string { return "VALUE" }})
	}
	l.SetProps(props)
	col := -1
	for _, line := range strings.Split(ansi.Strip(l.View()), "\n")[:len(props)] {
		at := strings.Index(line, "VALUE")
		if w := ansi.StringWidth(line[:at]); col < 0 {
			col = w
		} else if w != col {
			t.Fatalf("values do not stand in one column:\n%s", ansi.Strip(l.View()))
		}
	}
}
