package widget

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/tui/ui"
)

// WrapLines breaks a hint or banner at spaces into lines of width cells, at
// most most of them, so that it reads whole where it fits; whatever is left
// after the last is cut with "…". It keeps the text's styles.
func WrapLines(text string, width, most int) []string {
	width, most = max(1, width), max(1, most)
	if ansi.StringWidth(text) <= width {
		return []string{text}
	}
	lines := strings.Split(ansi.Wrap(text, width, ""), "\n")
	if len(lines) > most {
		rest := strings.Join(lines[most-1:], " ")
		lines = append(lines[:most-1], ui.Truncate(rest, width))
	}
	return lines
}
