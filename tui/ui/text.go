package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

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

// Truncate cuts a styled line to width cells, with "…" where text is cut
// off; where only blanks are (an input's padding), it cuts them silently.
func Truncate(line string, width int) string {
	// No character takes more cells than it has bytes: a short line fits
	// without measuring it.
	if len(line) <= width || lipgloss.Width(line) <= width {
		return line
	}
	if strings.TrimSpace(ansi.Strip(ansi.TruncateLeft(line, width, ""))) == "" {
		return ansi.Truncate(line, width, "")
	}
	return ansi.Truncate(line, width, "…")
}

// PadRight pads s with spaces to w columns of display width (a wide
// character takes two), where fmt's %-*s counts characters; a wider s is
// returned as it is.
func PadRight(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
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

// shownLimit is how many bytes of one untrusted text are drawn: more than
// any terminal line holds, few enough that a huge text (a 16 MiB title)
// costs no more than that on every frame.
const shownLimit = 4096

// Clip cuts s, at a character boundary, to what a line of the screen can
// show, marking a cut with "…". Short text is returned as it is.
func Clip(s string) string {
	if len(s) <= shownLimit {
		return s
	}
	cut := shownLimit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Shown is text from a config, a server or a file name as the wizard draws
// it: clipped (see Clip) and made visible with flow.Visible, so that no
// escape sequence, control character or bidi override in it acts on the
// terminal. Every such text goes through it (or through flow.Visible)
// before it is put into a rendered string.
func Shown(s string) string { return flow.Visible(Clip(s)) }

// ShownInput is the view of a text input (bubbles' textinput, or a huh
// form built on it) that may hold untrusted text. An input drops control
// characters from whatever it is given, so the escape sequences in its view
// are its own styling; what is left to make visible (flow.Visible) are the
// bidi formatting characters and line separators, which it keeps.
func ShownInput(view string) string {
	if !strings.ContainsFunc(view, inputUnsafe) {
		return view
	}
	var b strings.Builder
	b.Grow(len(view) + 16)
	for _, r := range view {
		if inputUnsafe(r) {
			b.WriteString(flow.Visible(string(r)))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// inputUnsafe is an unsafe character an input keeps: not a control.
func inputUnsafe(r rune) bool { return flow.Unsafe(r) && !unicode.IsControl(r) }
