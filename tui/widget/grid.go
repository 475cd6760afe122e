package widget

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// GridSource is what a Grid shows. It is read only for the rows drawn, so
// a grid of thousands of rows costs what one screenful does.
type GridSource interface {
	Rows() int
	Label(row int) string             // the row's fixed first column
	Cell(row, col int) (string, bool) // a cell's text; false: it has none
}

// Grid is a table of text cells under column headings, with a label
// column on the left: a cursor on one cell, and inline editing of it
// (enter edits, enter applies, esc cancels). On a screen too narrow for
// every column it shows the first column and the one under the cursor,
// left and right switching the second.
type Grid struct {
	common   *ui.Common
	Headings []string // one per column
	Label    string   // the label column's heading
	Missing  string   // what a cell without text says
	// Apply stores a cell's edited text; an error keeps the cell being
	// edited with the reason shown. Not called when nothing changed.
	Apply func(row, col int, text string) error

	Row, Col int
	offset   int
	other    int // the column shown beside the first on a narrow screen
	editing  bool
	input    textinput.Model
	start    typingStart // what the cell being edited began from
	Err      string      // why the edit was refused
	width    int
	height   int
}

// gridMinCell is the narrowest a cell may be before the grid shows fewer
// columns.
const gridMinCell = 18

// NewGrid is an empty grid; set Headings, Missing and Apply.
func NewGrid(c *ui.Common) *Grid {
	in := textinput.New()
	in.Prompt = ""
	return &Grid{common: c, input: in, Missing: "— missing", other: 1}
}

// SetSize gives the grid w columns and h lines, its heading included.
func (g *Grid) SetSize(w, h int) { g.width, g.height = w, h }

// Editing reports whether a cell is being edited.
func (g *Grid) Editing() bool { return g.editing }

// Note says, while a cell being edited shows a text it cannot hold
// exactly, what enter will do with it; "" otherwise.
func (g *Grid) Note() string {
	if !g.editing {
		return ""
	}
	return g.start.note(&g.input)
}

// Page is the number of rows shown at once.
func (g *Grid) Page() int { return max(1, g.height-1) }

// Narrow reports whether some columns are out of view: then only the
// first and the selected one show.
func (g *Grid) Narrow() bool {
	n := len(g.Headings)
	_, cell := g.widths(n)
	return n > 2 && cell < gridMinCell
}

// widths are the label column's width and each cell's when n columns show.
func (g *Grid) widths(n int) (label, cell int) {
	label = max(12, min(32, g.width*3/10))
	if n == 0 {
		return label, 0
	}
	return label, max(4, (g.width-2-label-3*n)/n)
}

// Columns are the columns in view, in order.
func (g *Grid) Columns() []int {
	n := len(g.Headings)
	if !g.Narrow() {
		cols := make([]int, n)
		for i := range cols {
			cols[i] = i
		}
		return cols
	}
	if g.Col != 0 {
		g.other = g.Col
	}
	g.other = max(1, min(g.other, n-1))
	return []int{0, g.other}
}

// Clamp keeps the cursor within rows and the columns.
func (g *Grid) Clamp(rows int) {
	g.Row = max(0, min(g.Row, rows-1))
	g.Col = max(0, min(g.Col, len(g.Headings)-1))
}

// Update moves the cursor and edits cells; handled is false for keys it
// leaves to its owner.
func (g *Grid) Update(msg tea.Msg, src GridSource) (cmd tea.Cmd, handled bool) {
	if g.editing {
		if km, ok := msg.(tea.KeyPressMsg); ok {
			switch km.String() {
			case "enter":
				return g.Commit(), true
			case "esc":
				g.stop()
				return nil, true
			}
		}
		g.input, cmd = g.input.Update(msg)
		g.Err = ""
		return cmd, true
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	k := g.common.Keys
	rows := src.Rows()
	switch {
	case key.Matches(km, k.Up), key.Matches(km, k.Down), key.Matches(km, k.Home), key.Matches(km, k.End):
		g.Row, _ = MoveCursorWithin(k, km, g.Row, rows)
	case key.Matches(km, k.PageUp):
		g.Row = max(0, g.Row-g.Page())
	case key.Matches(km, k.PageDown):
		g.Row = max(0, min(rows-1, g.Row+g.Page()))
	case key.Matches(km, k.Left):
		g.Col = max(0, g.Col-1)
	case key.Matches(km, k.Right):
		g.Col = min(len(g.Headings)-1, g.Col+1)
	case key.Matches(km, k.Enter):
		if g.Row >= rows || len(g.Headings) == 0 {
			return nil, true
		}
		text, _ := src.Cell(g.Row, g.Col)
		return g.StartEdit(text), true
	default:
		return nil, false
	}
	return nil, true
}

// StartEdit edits the cell under the cursor, from text.
func (g *Grid) StartEdit(text string) tea.Cmd {
	g.editing, g.Err = true, ""
	g.start = startTyping(&g.input, text)
	return g.input.Focus()
}

// Commit applies the text being typed: unchanged, the edit just ends;
// refused, it stays with the reason shown; applied, the cursor goes on to
// the next row, as in a spreadsheet, and what the edit dropped of the
// characters the input could not show is said.
func (g *Grid) Commit() tea.Cmd {
	if !g.editing {
		return nil
	}
	if !g.start.edited(&g.input) {
		g.stop() // nothing typed: the cell stays exactly as stored
		return nil
	}
	text := g.start.value(&g.input) // what the input cannot hold is kept
	dropped := g.start.dropped(&g.input)
	if g.Apply != nil {
		if err := g.Apply(g.Row, g.Col, text); err != nil {
			g.Err = err.Error()
			return nil
		}
	}
	g.stop()
	g.Row++ // the owner clamps it to its rows
	if len(dropped) > 0 {
		return ui.Status(droppedNote(dropped))
	}
	return nil
}

func (g *Grid) stop() {
	g.editing, g.Err = false, ""
	g.input.Blur()
}

// View draws the heading and the rows that fit, the cursor's in view.
func (g *Grid) View(src GridSource) string {
	s := &g.common.Styles
	cols := g.Columns()
	labelW, cellW := g.widths(len(cols))
	g.input.SetWidth(max(1, cellW-1))
	sep := s.Border.Render(" │ ")

	// Lines are fitted cell by cell; only a screen narrower than the
	// narrowest cells needs them cut.
	fitted := 2+labelW+len(cols)*(3+cellW) <= g.width
	line := func(l string) string {
		if fitted {
			return l
		}
		return ui.Truncate(l, g.width)
	}
	// A missing cell looks the same everywhere: styled once a frame.
	missing := [2]string{s.Warning.Render(fit(g.Missing, cellW, false)), s.Warning.Render(fit(g.Missing, cellW, true))}
	lines := make([]string, 0, g.height)
	var b strings.Builder
	b.WriteString("  ")
	b.WriteString(s.Header.Render(fit(g.Label, labelW, true)))
	for i, c := range cols {
		b.WriteString(sep)
		b.WriteString(s.Header.Render(fit(g.Headings[c], cellW, i < len(cols)-1)))
	}
	lines = append(lines, line(b.String()))

	rows := src.Rows()
	page := g.Page()
	g.offset = ScrollToCursor(g.Row, g.offset, page)
	g.offset = max(0, min(g.offset, rows-page))
	for r := g.offset; r < rows && r < g.offset+page; r++ {
		b.Reset()
		selected := r == g.Row
		mark, label := "  ", fit(flow.Visible(src.Label(r)), labelW, true)
		if selected {
			mark, label = s.Cursor.Render("▸ "), s.Cursor.Render(label)
		}
		b.WriteString(mark)
		b.WriteString(label)
		for i, c := range cols {
			b.WriteString(sep)
			last := i == len(cols)-1
			if text, ok := src.Cell(r, c); !ok && !(selected && c == g.Col) {
				b.WriteString(missing[boolIndex(!last)])
			} else {
				b.WriteString(g.cell(text, ok, cellW, selected && c == g.Col, !last))
			}
		}
		lines = append(lines, line(b.String()))
	}
	return strings.Join(lines, "\n")
}

// boolIndex is 1 for true, 0 for false.
func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cell draws a cell holding text (ok: there is one), w wide (at most,
// when not padded: the last column has nothing after it): the input while
// edited, the missing mark in words, or the text on one line.
func (g *Grid) cell(text string, ok bool, w int, cursor, pad bool) string {
	s := &g.common.Styles
	if cursor && g.editing {
		v := ui.ShownInput(g.input.View()) // it keeps a text's bidi overrides
		if n := ansi.StringWidth(v); n > w {
			return ansi.Truncate(v, w, "")
		} else if pad {
			return v + strings.Repeat(" ", w-n)
		}
		return v
	}
	switch {
	case !ok && cursor:
		return s.Selected.Render(fit(g.Missing, w, pad))
	case !ok:
		return s.Warning.Render(fit(g.Missing, w, pad))
	case cursor:
		return s.Selected.Render(fit(flow.Visible(text), w, pad))
	}
	return fit(flow.Visible(text), w, pad)
}

// fit cuts a line of plain text to w cells and, when pad is set, pads it
// to exactly w.
func fit(s string, w int, pad bool) string {
	n := textWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = textWidth(s)
	}
	if !pad || n >= w {
		return s
	}
	return s + strings.Repeat(" ", w-n)
}

// textWidth is the cells plain text takes; printable ASCII is measured by
// its length, without segmenting it into graphemes.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
