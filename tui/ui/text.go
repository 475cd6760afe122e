package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
)

// DiagSummary renders the counts by severity, e.g. "✗ 2  ⚠ 1  ℹ 1".
func DiagSummary(s *Styles, ds flow.Diagnostics) string {
	e, w, i := ds.Count(flow.SevError), ds.Count(flow.SevWarning), ds.Count(flow.SevInfo)
	if e == 0 && w == 0 {
		return s.OK.Render("✓ valid") + s.Dim.Render(fmt.Sprintf("  ℹ %d", i))
	}
	return s.Error.Render(fmt.Sprintf("✗ %d", e)) + "  " + s.Warning.Render(fmt.Sprintf("⚠ %d", w)) + "  " + s.Info.Render(fmt.Sprintf("ℹ %d", i))
}

// Truncate cuts a styled line to width cells.
func Truncate(line string, width int) string {
	// No character takes more cells than it has bytes: a short line fits
	// without measuring it.
	if len(line) <= width || lipgloss.Width(line) <= width {
		return line
	}
	return ansi.Truncate(line, width, "…")
}

// FitBlock pads or cuts a block to exactly h lines, none wider than w.
func FitBlock(block string, w, h int) string {
	lines := strings.Split(block, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = Truncate(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// SevStyle is how a severity is drawn: errors red, warnings yellow.
func SevStyle(s *Styles, sev flow.Severity) lipgloss.Style {
	switch sev {
	case flow.SevError:
		return s.Error
	case flow.SevWarning:
		return s.Warning
	}
	return s.Info
}

// SevMark is the sign of a severity, as the header counts show it.
func SevMark(s flow.Severity) string {
	switch s {
	case flow.SevError:
		return "✗"
	case flow.SevWarning:
		return "⚠"
	}
	return "ℹ"
}
