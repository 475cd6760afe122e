// Accessible mode: what a screen reader reads. Screens say their state in
// a sentence (Describer), and the marks drawn for sighted people (✗, ▸,
// [x], │, arrows) are said in words.

package ui

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Describer is a screen that can say its state in words: where the
// cursor is, what is selected and what is wrong there, e.g. "Step 2 of
// 5: liveness, selected. 1 error." Accessible mode shows it first.
type Describer interface{ Describe() string }

// Describe is top's state in words, "" when it has none to say.
func Describe(top Screen) string {
	if d, ok := top.(Describer); ok {
		return d.Describe()
	}
	return ""
}

// speakCount is a diagnostics count as the header and the Problems pane
// draw it ("✗ 2").
var speakCount = regexp.MustCompile(`([✗⚠ℹ]) (\d+)`)

// speakMarks are the marks the wizard draws and the words said instead.
// Block elements (the QR code) are left alone.
var speakMarks = strings.NewReplacer(
	" │ ", ", ", " • ", ", ", " · ", ", ", "·", ",",
	"▸ ", "selected: ", "▸", "selected: ",
	"✓ ", "", "✓", "ok",
	"✗ ", "error: ", "✗", "error, ",
	"⚠ ", "warning: ", "⚠", "warning, ",
	"ℹ ", "info: ", "ℹ", "info, ",
	"[x]", "on", "[ ]", "off", "(•)", "(chosen)", "••••", "hidden",
	" → ", " then ", "→", "right", "←", "left", "↑", "up", "↓", "down",
	"⤷ ", "shown ", "⤷", "shown", "└", "sub-step", "⇐", "(right to left)", "⇪ ", "", "▾ ", "", "■ ", "",
)

// speakUnset is a value shown as a dash at the end of a line: not set.
var speakUnset = regexp.MustCompile(`(?m)(\s(?:\x1b\[[0-9;]*m)*)—((?:\x1b\[[0-9;]*m|\s)*)$`)

// Speak says text's marks in words and drops the lines and corners of
// box drawing, for accessible mode.
func Speak(text string) string {
	text = speakCount.ReplaceAllStringFunc(text, func(m string) string {
		parts := speakCount.FindStringSubmatch(m)
		return Count(parts[2], map[string]string{"✗": "error", "⚠": "warning", "ℹ": "info"}[parts[1]])
	})
	text = speakMarks.Replace(text)
	text = speakUnset.ReplaceAllString(text, "${1}not set$2")
	if !strings.ContainsFunc(text, isBoxDrawing) {
		return text
	}
	return strings.Map(func(r rune) rune {
		if isBoxDrawing(r) {
			return ' '
		}
		return r
	}, text)
}

func isBoxDrawing(r rune) bool { return r >= 0x2500 && r <= 0x257F }

// Count is n followed by what, made plural unless n is 1 ("info" stays).
func Count[N int | string](n N, what string) string {
	s := fmt.Sprint(n)
	if s != "1" && what != "info" {
		what += "s"
	}
	return s + " " + what
}

// DiagWords are the counts by severity in words: "valid, 1 info" or "2
// errors, 1 warning, 0 info".
func DiagWords(ds flow.Diagnostics) string {
	e, w, i := ds.Count(flow.SevError), ds.Count(flow.SevWarning), ds.Count(flow.SevInfo)
	if e == 0 && w == 0 {
		return "valid, " + Count(i, "info")
	}
	return Count(e, "error") + ", " + Count(w, "warning") + ", " + Count(i, "info")
}

// SpokenHeader is the first line in accessible mode, whole (it is wrapped,
// not cut): the program, the document (doc "" when none is open), whether
// it has unsaved changes, the screen's title and counts (the diagnostics in
// words).
func SpokenHeader(doc string, dirty bool, title, counts string) string {
	line := "identoflow"
	if doc != "" {
		line += ", " + flow.Visible(doc)
		if dirty {
			line += " (unsaved changes)"
		}
	}
	line += ", " + Speak(flow.Visible(title)) + "."
	if counts != "" {
		line += " " + counts + "."
	}
	return line
}
