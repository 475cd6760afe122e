package journal

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// longShift is the morning's shift with one customer whose name is very
// long, and a long wide-character flow file name.
func longShift() Listing {
	l := shift()
	l.Sessions[0].Customer = strings.Repeat("Very Long Customer Name ", 12)
	l.Sessions[3].FlowFile = "/flows/" + strings.Repeat("გურჯაანი", 8) + ".json"
	return l
}

// tableLines is the table of WriteText's output, header first, without
// the summary below it.
func tableLines(t *testing.T, l Listing, width int) []string {
	t.Helper()
	var b bytes.Buffer
	if err := l.WriteText(&b, width); err != nil {
		t.Fatal(err)
	}
	table, _, ok := strings.Cut(b.String(), "\n\n")
	if !ok {
		t.Fatalf("no table:\n%s", b.String())
	}
	lines := strings.Split(table, "\n")
	if len(lines) != len(l.Sessions)+1 {
		t.Fatalf("%d lines for %d sessions:\n%s", len(lines), len(l.Sessions), table)
	}
	return lines
}

func TestWriteTextFitsTheTerminal(t *testing.T) {
	l := longShift()
	for _, width := range []int{80, 100, 120, 200} {
		lines := tableLines(t, l, width)
		for _, line := range lines {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("width %d: a line of %d cells:\n%s", width, w, line)
			}
			if strings.HasSuffix(line, " ") {
				t.Errorf("width %d: trailing spaces in %q", width, line)
			}
		}
		if !strings.HasPrefix(lines[0], "STARTED           RESULT        TIME   CUSTOMER") {
			t.Errorf("width %d: header %q", width, lines[0])
		}
		for i, s := range l.Sessions {
			row := lines[i+1]
			if started := s.StartedAt.Local().Format(textTime); !strings.HasPrefix(row, started+"  "+s.Result.Label()) {
				t.Errorf("width %d: the start and the result are not whole in %q", width, row)
			}
			if tokenShown := strings.Contains(lines[0], "TOKEN"); tokenShown && !strings.Contains(row, " …"+s.Token[len(s.Token)-6:]+" ") && !strings.Contains(row, s.Token) {
				t.Errorf("width %d: neither the token nor its end in %q", width, row)
			}
		}
		if !strings.Contains(lines[1], "Very Long Cust") || !strings.Contains(lines[1], "…") {
			t.Errorf("width %d: the long name is not cut with …: %q", width, lines[1])
		}
		if !strings.Contains(lines[2], "document") {
			t.Errorf("width %d: the reason is missing: %q", width, lines[2])
		}
	}
	// The token is cut to its end, as the desk shows it, when that lets
	// every other cell show whole; else it leaves.
	short := shift()
	for width, tail := range map[int]bool{140: true, 130: false} {
		lines := tableLines(t, short, width)
		if strings.Contains(lines[0], "TOKEN") != tail {
			t.Errorf("width %d: header %q", width, lines[0])
		}
		for i, row := range lines[1:] {
			if tail && !strings.Contains(row, " …"+short.Sessions[i].Token[34:]+" ") || strings.Count(row, "…") != map[bool]int{true: 1}[tail] {
				t.Errorf("width %d: %q", width, row)
			}
		}
	}
	if lines := tableLines(t, l, 80); strings.Contains(lines[0], "TOKEN") {
		t.Errorf("at 80:\n%s", strings.Join(lines, "\n"))
	}
	// Room for every cell whole: the table is as wide as it needs.
	if got, want := tableLines(t, short, 300), tableLines(t, short, 0); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("a wide terminal cuts or pads:\n%s\nnot\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// On a narrow terminal the token leaves first, then the flow, then the
// time; the start and the result stay whole.
func TestWriteTextDropsColumnsWhenNarrow(t *testing.T) {
	l := longShift()
	for width, gone := range map[int][]string{80: {"TOKEN"}, 70: {"TOKEN", "FLOW"}, 60: {"TOKEN", "FLOW", "TIME"}} {
		lines := tableLines(t, l, width)
		for _, h := range gone {
			if strings.Contains(lines[0], h) {
				t.Errorf("width %d: %s is still there: %q", width, h, lines[0])
			}
		}
		for _, h := range []string{"STARTED", "RESULT", "CUSTOMER", "REASON"} {
			if !strings.Contains(lines[0], h) {
				t.Errorf("width %d: %s is gone: %q", width, h, lines[0])
			}
		}
		for _, line := range lines {
			if w := ansi.StringWidth(line); w > width {
				t.Errorf("width %d: a line of %d cells: %q", width, w, line)
			}
		}
	}
}

// Not on a terminal, one long name cannot widen every row: it is cut at
// cellMax cells, and the other rows stay as narrow as their own cells.
func TestWriteTextCapsLongCellsWhenPiped(t *testing.T) {
	l := longShift()
	lines := tableLines(t, l, 0)
	if !strings.Contains(lines[1], "Very Long Customer Name") || !strings.Contains(lines[1], "…") {
		t.Errorf("the long name: %q", lines[1])
	}
	for _, line := range lines {
		if w := ansi.StringWidth(line); w > 16+12+5+4*cellMax+6*gap {
			t.Errorf("a line of %d cells: %q", w, line)
		}
	}
	for _, s := range l.Sessions {
		if !strings.Contains(strings.Join(lines, "\n"), s.Token) {
			t.Errorf("token %s is cut when piped", s.Token)
		}
	}
	customer := strings.Index(lines[0], "CUSTOMER")
	token := strings.Index(lines[0], "TOKEN")
	if token-customer > cellMax+gap {
		t.Errorf("the customer column is %d wide: %q", token-customer-gap, lines[0])
	}
}

// A manual check whose status says only "manual check" has nothing more
// to say in REASON than RESULT does; another status ("review") is kept.
func TestWriteTextManualCheckReason(t *testing.T) {
	l := shift()
	review := l.Sessions[2]
	l.Sessions = l.Sessions[2:3]
	for _, status := range []string{"manual_check", "Manual-Check", "manual check"} {
		s := review
		s.Status = status
		l.Sessions = append(l.Sessions, s)
	}
	lines := tableLines(t, l, 0)
	if !strings.HasSuffix(lines[1], "  review") {
		t.Errorf("the status review is not the reason: %q", lines[1])
	}
	for _, row := range lines[2:] {
		if !strings.HasSuffix(row, "  -") {
			t.Errorf("a manual check's reason repeats the result: %q", row)
		}
	}
}

// A cell cut from the left (a token keeps its end) is never wider than
// its column, even when a wide character falls across the cut.
func TestCutFromTheLeftFitsWideCharacters(t *testing.T) {
	for _, s := range []string{"中文中文中文", "a中文中文b", "abcdefgh", "中"} {
		for w := 1; w <= 8; w++ {
			got := cut(s, w, true)
			if ansi.StringWidth(got) > w {
				t.Errorf("cut(%q, %d, left) = %q, %d cells", s, w, got, ansi.StringWidth(got))
			}
			if ansi.StringWidth(s) > w && !strings.HasPrefix(got, "…") {
				t.Errorf("cut(%q, %d, left) = %q: not marked as cut", s, w, got)
			}
		}
	}
}
