package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A status wider than the terminal wraps onto the blank rows at the
// body's foot, nothing of it lost and the frame as tall as the terminal;
// a body with no blank rows keeps them, the status cut.
func TestFrameWrapsALongStatusWhereThereIsRoom(t *testing.T) {
	s := NewStyles(true, true)
	status := "Could not check session …13hisc: the server answered 503 Service Unavailable; the desk tries again every 10s"
	frame := ansi.Strip(Frame(&s, 80, 24, "header", "one\ntwo", status, true, "help"))
	lines := strings.Split(frame, "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24:\n%s", len(lines), frame)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("line wider than 80: %q", l)
		}
	}
	if got := strings.Join(strings.Fields(strings.Join(lines[21:23], " ")), " "); got != status {
		t.Fatalf("status rows say %q, want %q:\n%s", got, status, frame)
	}
	if lines[1] != "one" || lines[2] != "two" || lines[23] != "help" {
		t.Fatalf("the body or the help moved:\n%s", frame)
	}

	full := strings.TrimSuffix(strings.Repeat("row\n", BodyHeight(24)), "\n")
	frame = ansi.Strip(Frame(&s, 80, 24, "header", full, status, true, "help"))
	lines = strings.Split(frame, "\n")
	if len(lines) != 24 || strings.Count(frame, "row") != BodyHeight(24) || !strings.HasSuffix(lines[22], "…") {
		t.Fatalf("a full body lost rows to the status, or the status is not cut:\n%s", frame)
	}
}
