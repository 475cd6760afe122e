package editor

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// repeatedSteps is a flow of n email steps sharing their default key: a
// duplicate-key error each, after the first.
func repeatedSteps(n int) *flow.Config {
	var b strings.Builder
	b.WriteString(`{"steps": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type": "email"}`)
	}
	b.WriteString(`]}`)
	c, err := flow.Parse([]byte(b.String()))
	if err != nil {
		panic(err)
	}
	return c
}

// A flow with tens of thousands of problems lists them as one with a few:
// only the problems around the cursor are worked out, wherever it goes.
func TestProblemsListWorksOutOnlyWhatIsShown(t *testing.T) {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24, NoColor: true}
	c.SetDark(true)
	doc := ui.NewDoc(repeatedSteps(40000), "", true)
	if n := len(doc.Diags); n < 40000 {
		t.Fatalf("%d diagnostics: the test proves nothing", n)
	}
	l := newProblemList(c, doc)
	l.SetSize(80, 20)
	requireWorkedOut := func(where string) string {
		t.Helper()
		view := ansi.Strip(l.View())
		if n := len(l.blocks); n > 2*l.height {
			t.Fatalf("%s: %d problems worked out for a list %d lines high", where, n, l.height)
		}
		if lines := strings.Count(view, "\n") + 1; lines > l.height {
			t.Fatalf("%s: %d lines for a list %d lines high", where, lines, l.height)
		}
		return view
	}
	view := requireWorkedOut("at the top")
	if !strings.Contains(view, "▸ error "+flow.CodeDuplicateKey) {
		t.Fatalf("the first problem is not under the cursor:\n%s", view)
	}
	for _, k := range []tea.KeyPressMsg{{Code: tea.KeyEnd}, {Code: tea.KeyUp}, {Code: tea.KeyHome}, {Code: tea.KeyDown}} {
		l.Update(k)
		view = requireWorkedOut(k.String())
		if !strings.Contains(view, "▸ ") {
			t.Fatalf("after %s the cursor is out of view:\n%s", k, view)
		}
	}
	l.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	view = requireWorkedOut("at the end")
	last := l.shown()[len(l.shown())-1]
	if !strings.Contains(view, "▸ ") || !strings.Contains(view, last.Path) {
		t.Fatalf("the last problem (%s) is not shown at the end:\n%s", last.Path, view)
	}
}

// The JSON beside the list is worked out from the head of the flow alone:
// its first lines are those of the whole flow's JSON.
func TestPreviewHeadKeepsTheFirstLines(t *testing.T) {
	for _, src := range []string{"kyb-verified.json", "questionnaire-prefilled.json", "video-call-scheduled.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "valid", src))
		if err != nil {
			t.Fatal(err)
		}
		v, err := flow.ParseValue(data)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= 80; n++ {
			got, want := firstLines(flow.Marshal(previewHead(v, n)), n), firstLines(flow.Marshal(v), n)
			if !slices.Equal(got, want) {
				t.Fatalf("%s, %d lines:\n%s\nwant\n%s", src, n, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
	huge := flow.ObjectOf(flow.Member{Name: "title", Value: flow.NewString(strings.Repeat("x", 1<<20))})
	if lines := firstLines(flow.Marshal(previewHead(huge, 10)), 10); len(lines[1]) > 8<<10 {
		t.Fatalf("a 1 MiB text gives a line of %d bytes", len(lines[1]))
	}
}

// Long JSON lines are wrapped by cells, the plain ones by bytes.
func TestJSONPreviewWrapsLongLines(t *testing.T) {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), NoColor: true}
	c.SetDark(true)
	cfg, err := flow.Parse([]byte(`{"name": "` + strings.Repeat("abcdefghij", 30) + `", "clientUserId": "` + strings.Repeat("日本語", 40) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	p := newJSONPreview(c, ui.NewDoc(cfg, "", true))
	p.SetSize(37, 20)
	var want []string
	for _, l := range strings.Split(strings.TrimRight(string(flow.Marshal(cfg.Root())), "\n"), "\n") {
		want = append(want, strings.Split(ansi.Hardwrap(l, 37, false), "\n")...)
	}
	if got := p.lines(); !slices.Equal(got, want) {
		t.Fatalf("wrapped:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
