package journal

import (
	"bytes"
	"io"

	"github.com/charmbracelet/x/ansi"
)

const (
	// cellMax is the widest a cut column gets in any table, so that one
	// long name cannot widen every row; --json and --csv keep it whole.
	cellMax = 48
	// gap is the space between two columns.
	gap = 2
)

// column is one column of a text table. A whole column's cells are
// never cut; the others are cut to fit, down to min cells.
type column struct {
	head  string
	cells []string
	whole bool
	min   int
	// cutLeft cuts from the start ("…" then the end), for a token, whose
	// end is how the desk names a session.
	cutLeft bool
	// spare: the first column to give way when the table is too wide: it
	// goes straight to its min (a token cut at all is as good as its last
	// few characters), and leaves rather than have another column cut.
	spare bool
	// dropRank says which columns leave, first to last, when a terminal
	// is too narrow for all of them at their narrowest; 0: never.
	dropRank int
}

// layout chooses each column's width: its widest cell, at most cellMax
// for the columns that can be cut. With width > 0 (a terminal's columns)
// the spare columns give way, then the others narrow to fit (see fit);
// while the table is still too wide, the columns with a dropRank leave,
// lowest first, and the rest fit again. A column left out has width -1.
// A table that cannot fit even so is as narrow as it gets.
func layout(cols []column, width int) []int {
	natural := make([]int, len(cols))
	for i, c := range cols {
		natural[i] = ansi.StringWidth(c.head)
		for _, s := range c.cells {
			natural[i] = max(natural[i], ansi.StringWidth(s))
		}
		if !c.whole {
			natural[i] = min(natural[i], max(cellMax, c.min))
		}
	}
	widths := fit(cols, natural, width)
	for rank := 1; width > 0 && tableWidth(widths) > width; rank++ {
		dropped := false
		for i, c := range cols {
			if c.dropRank == rank {
				natural[i], dropped = -1, true
			}
		}
		if !dropped {
			break
		}
		widths = fit(cols, natural, width)
	}
	return widths
}

// fit narrows the columns of natural towards width: the spare ones go to
// their min, or leave if that is not enough; then the widest cut column
// narrows a cell at a time, none below its min.
func fit(cols []column, natural []int, width int) []int {
	widths := append([]int(nil), natural...)
	if width <= 0 {
		return widths
	}
	for _, leave := range []bool{false, true} {
		for i, c := range cols {
			if c.spare && widths[i] >= 0 && tableWidth(widths) > width {
				widths[i] = min(widths[i], c.min)
				if leave {
					widths[i] = -1
				}
			}
		}
	}
	for excess := tableWidth(widths) - width; excess > 0; excess-- {
		widest := -1
		for i, c := range cols {
			if !c.whole && !c.spare && widths[i] > c.min && (widest < 0 || widths[i] > widths[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		widths[widest]--
	}
	return widths
}

// tableWidth is the width of a line of a table with these column widths.
func tableWidth(widths []int) int {
	total, shown := 0, 0
	for _, w := range widths {
		if w >= 0 {
			total += w
			shown++
		}
	}
	return total + gap*max(0, shown-1)
}

// writeTable writes the header and the rows, each cell cut to its
// column's width with "…" and padded to it (but the last).
func writeTable(w io.Writer, cols []column, widths []int) error {
	last := -1
	for i := range cols {
		if widths[i] >= 0 {
			last = i
		}
	}
	var b bytes.Buffer
	line := func(cell func(c column) string) {
		for i, c := range cols {
			if widths[i] < 0 {
				continue
			}
			s := cut(cell(c), widths[i], c.cutLeft)
			b.WriteString(s)
			if i == last {
				break
			}
			b.Write(bytes.Repeat([]byte{' '}, widths[i]-ansi.StringWidth(s)+gap))
		}
		b.WriteByte('\n')
	}
	line(func(c column) string { return c.head })
	for row := range len(cols[0].cells) {
		line(func(c column) string { return c.cells[row] })
	}
	_, err := w.Write(b.Bytes())
	return err
}

// cut shortens s to w cells, marking the cut with "…" at its end, or at
// its start with left.
func cut(s string, w int, left bool) string {
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	if left {
		// A wide character across the cut stays whole: cut one cell more
		// until the rest fits.
		for n := sw - w + 1; n < sw; n++ {
			if out := ansi.TruncateLeft(s, n, "…"); out != "" && ansi.StringWidth(out) <= w {
				return out
			}
		}
		if w < 1 {
			return ""
		}
		return "…"
	}
	return ansi.Truncate(s, w, "…")
}
