package widget

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

// cells is a grid source over a fixed table; "" is a missing cell.
type cells [][]string

func (c cells) Rows() int                      { return len(c) }
func (c cells) Label(r int) string             { return "row " + string(rune('a'+r)) }
func (c cells) Cell(r, col int) (string, bool) { return c[r][col], c[r][col] != "" }

func newTestGrid(w, h int) *Grid {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: w, Height: h, NoColor: true}
	c.SetDark(true)
	g := NewGrid(c)
	g.Label = "text"
	g.Headings = []string{"ka", "en", "ru"}
	g.SetSize(w, h)
	return g
}

func TestGridNarrowShowsFirstAndSelectedColumn(t *testing.T) {
	src := cells{{"ერთი", "one", ""}, {"ორი", "", "два"}}
	g := newTestGrid(60, 10)
	if !g.Narrow() {
		t.Fatal("three columns at 60 cells should not all show")
	}
	view := ansi.Strip(g.View(src))
	if !strings.Contains(view, "en") || strings.Contains(view, "ru") {
		t.Fatalf("at first the flow's column and the next show:\n%s", view)
	}
	for _, k := range []string{"right", "right"} {
		g.Update(launchtest.Press(k), src)
	}
	view = ansi.Strip(g.View(src))
	if !strings.Contains(view, "ru") || strings.Contains(view, " en") || !strings.Contains(view, "ka") {
		t.Fatalf("with ru selected, ka and ru show:\n%s", view)
	}
	if !strings.Contains(view, "— missing") || !strings.Contains(view, "два") {
		t.Fatalf("cells:\n%s", view)
	}
	for i, l := range strings.Split(g.View(src), "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Fatalf("line %d is %d cells wide", i+1, w)
		}
	}
	wide := newTestGrid(120, 10)
	if wide.Narrow() || len(wide.Columns()) != 3 {
		t.Fatalf("at 120 cells every column shows, got %v", wide.Columns())
	}
}

func TestGridEditsInPlace(t *testing.T) {
	src := cells{{"ერთი", "one", ""}, {"ორი", "", "два"}}
	g := newTestGrid(100, 10)
	var applied []string
	g.Apply = func(r, c int, text string) error {
		if text == "bad" {
			return errors.New("refused")
		}
		applied = append(applied, text)
		src[r][c] = text
		return nil
	}
	g.Update(launchtest.Press("right"), src)
	g.Update(launchtest.Press("right"), src)
	g.Update(launchtest.Press("enter"), src)
	if !g.Editing() {
		t.Fatal("enter should edit the cell")
	}
	for _, r := range "один" {
		g.Update(tea.KeyPressMsg{Code: r, Text: string(r)}, src)
	}
	g.Update(launchtest.Press("enter"), src)
	if g.Editing() || src[0][2] != "один" || g.Row != 1 {
		t.Fatalf("after enter: editing %v, cell %q, row %d", g.Editing(), src[0][2], g.Row)
	}
	// Unchanged: nothing applied. esc: nothing applied.
	g.Update(launchtest.Press("enter"), src)
	g.Update(launchtest.Press("enter"), src)
	g.Update(launchtest.Press("enter"), src)
	g.Update(launchtest.Press("x"), src)
	g.Update(launchtest.Press("esc"), src)
	if len(applied) != 1 || src[1][2] != "два" {
		t.Fatalf("applied %v, cell %q", applied, src[1][2])
	}
	// Refused: the text stays with the reason.
	g.Update(launchtest.Press("enter"), src)
	for range len([]rune("два")) {
		g.Update(launchtest.Press("backspace"), src)
	}
	for _, r := range "bad" {
		g.Update(tea.KeyPressMsg{Code: r, Text: string(r)}, src)
	}
	g.Update(launchtest.Press("enter"), src)
	if !g.Editing() || g.Err != "refused" {
		t.Fatalf("a refused edit should stay: editing %v, err %q", g.Editing(), g.Err)
	}
}

func TestFitCountsCells(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "},
		{"ანგარიში", 5, "ანგა…"},
		{"日本語", 5, "日本…"},
		{"日本", 5, "日本 "},
	} {
		if got := fit(tc.in, tc.w, true); got != tc.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}
