package editor

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/cmdrun"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// richRig runs the rich step editors the way the root does, without the
// root: a stack of screens over one document, commands run in place,
// push/pop/status honoured, u undoing, diagnostics refreshed after each
// message.
type richRig struct {
	tb        testing.TB
	common    *ui.Common
	doc       *ui.Doc
	stack     []ui.Screen
	status    string
	statusErr bool
}

const rigWidth, rigHeight = 80, 21 // 80×24 less the root's header, status and help lines

func newRichRig(tb testing.TB, cfg *flow.Config) *richRig {
	tb.Helper()
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24}
	c.SetDark(true)
	return &richRig{tb: tb, common: c, doc: ui.NewDoc(cfg, "", true)}
}

// rigConfig parses a config given inline.
func rigConfig(tb testing.TB, doc string) *flow.Config {
	tb.Helper()
	c, err := flow.Parse([]byte(doc))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// rigTemplate returns a built-in flow.
func rigTemplate(tb testing.TB, name string) *flow.Config {
	tb.Helper()
	c, err := flow.TemplateConfig(name)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// open opens the step editor of the step at p, as enter in a step list does.
func (r *richRig) open(p ...int) ui.Screen {
	r.tb.Helper()
	s := openStepEditor(r.common, r.doc, flow.StepPath(p), "")
	if _, ok := s.(*jsonStepView); ok {
		r.tb.Fatalf("step %v opened as read-only JSON", p)
	}
	r.push(s)
	return s
}

func (r *richRig) push(s ui.Screen) {
	s.SetSize(rigWidth, rigHeight)
	r.stack = append(r.stack, s)
	if i, ok := s.(interface{ Init() tea.Cmd }); ok {
		r.exec(i.Init())
	}
}

func (r *richRig) top() ui.Screen {
	if len(r.stack) == 0 {
		return nil
	}
	return r.stack[len(r.stack)-1]
}

// exec runs a command with the tests' command runner; the
// messages the root would handle are handled here.
func (r *richRig) exec(cmd tea.Cmd) {
	r.tb.Helper()
	run := &cmdrun.Runner{TB: r.tb, Deliver: r.deliver}
	run.Exec(cmd)
}

func (r *richRig) deliver(msg tea.Msg) {
	r.tb.Helper()
	switch m := msg.(type) {
	case ui.PushMsg:
		r.push(m.Screen)
	case ui.PopMsg:
		if len(r.stack) > 0 {
			r.stack = r.stack[:len(r.stack)-1]
		}
	case ui.StatusMsg:
		r.status, r.statusErr = m.Text, m.Err
	default:
		r.send(msg)
	}
}

// send delivers a message to the top screen, as the root does.
func (r *richRig) send(msg tea.Msg) {
	r.tb.Helper()
	top := r.top()
	if top == nil {
		return
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && km.String() == "u" && !ui.Capturing(top) {
		r.doc.Undo()
		r.doc.Revalidate()
		top.View()
		return
	}
	next, cmd := top.Update(msg)
	r.stack[len(r.stack)-1] = next
	r.doc.Revalidate()
	r.exec(cmd)
	if top := r.top(); top != nil {
		top.View() // the root renders after every update
	}
}

// keys presses keys by name: "enter", "esc", "space", "shift+up", "a", ...
func (r *richRig) keys(names ...string) {
	r.tb.Helper()
	for _, n := range names {
		r.send(rigKey(n))
	}
}

// typeText types text one character at a time.
func (r *richRig) typeText(s string) {
	r.tb.Helper()
	for _, c := range s {
		r.send(tea.KeyPressMsg{Code: c, Text: string(c)})
	}
}

func rigKey(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace,
	}
	if rest, ok := strings.CutPrefix(name, "shift+"); ok {
		return tea.KeyPressMsg{Code: special[rest], Mod: tea.ModShift}
	}
	if rest, ok := strings.CutPrefix(name, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: []rune(rest)[0], Mod: tea.ModCtrl}
	}
	if code, ok := special[name]; ok {
		if name == "space" {
			return tea.KeyPressMsg{Code: code, Text: " "}
		}
		return tea.KeyPressMsg{Code: code}
	}
	return tea.KeyPressMsg{Code: []rune(name)[0], Text: name}
}

// screen is the top screen's view, colour-free, fitted to 80×21.
func (r *richRig) screen() string {
	r.tb.Helper()
	view := r.top().View()
	for i, l := range strings.Split(view, "\n") {
		if w := lipgloss.Width(l); w > rigWidth {
			r.tb.Fatalf("line %d is %d cells wide (> %d): %q", i+1, w, rigWidth, ansi.Strip(l))
		}
	}
	if n := strings.Count(view, "\n") + 1; n > rigHeight {
		r.tb.Fatalf("the view has %d lines (> %d):\n%s", n, rigHeight, ansi.Strip(view))
	}
	return ansi.Strip(ui.FitBlock(view, rigWidth, rigHeight))
}

// requireScreen fails unless the screen shows every part.
func (r *richRig) requireScreen(parts ...string) {
	r.tb.Helper()
	s := r.screen()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			r.tb.Fatalf("the screen does not show %q:\n%s", p, s)
		}
	}
}

// requireTop fails unless the top screen has the given type.
func requireTop[T ui.Screen](tb testing.TB, r *richRig) T {
	tb.Helper()
	s, ok := r.top().(T)
	if !ok {
		tb.Fatalf("top screen is %T, want %T", r.top(), *new(T))
	}
	return s
}

// moveTo goes to the top, then presses down until the selected line of a
// property list has the label, failing at the bottom.
func (r *richRig) moveTo(list func() *widget.PropList, label string) {
	r.tb.Helper()
	r.keys("home")
	for range 60 {
		if p, ok := list().Selected(); ok && p.Label == label {
			return
		}
		r.keys("down")
	}
	r.tb.Fatalf("no line %q:\n%s", label, r.screen())
}

// rigFiles are the example flows the round-trip tests open: every file of
// the repository's testdata that parses, and the templates.
func rigFiles(tb testing.TB) map[string]*flow.Config {
	tb.Helper()
	out := map[string]*flow.Config{}
	paths, _ := filepath.Glob("../../testdata/*/*.json")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		if c, err := flow.Parse(data); err == nil {
			out[p] = c
		}
	}
	for _, t := range flow.Templates() {
		out["template "+t.Name] = rigTemplate(tb, t.Name)
	}
	if len(out) < 20 {
		tb.Fatalf("only %d example flows found", len(out))
	}
	return out
}

func TestRichStepEditorClaimsKYBQuestionnaireAndVideoCall(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [
		{"type": "company"}, {"type": "beneficiaries"}, {"type": "kyb-review"},
		{"type": "user-questionnaire", "key": "u"}, {"type": "operator-questionnaire", "key": "o"},
		{"type": "video-call", "steps": [{"type": "video-call", "key": "inner"}]},
		{"type": "liveness"}
	]}`))
	want := map[string]string{
		"company": "*editor.kybEditor", "beneficiaries": "*editor.kybBeneficiariesEditor", "kyb-review": "*editor.kybEditor",
		"user-questionnaire": "*editor.questionnaireEditor", "operator-questionnaire": "*editor.questionnaireEditor",
		"video-call": "*editor.videoCallEditor",
	}
	for i, s := range r.doc.Config.Steps() {
		got := richStepEditor(r.common, r.doc, flow.StepPath{i}, "")
		if w, ok := want[s.Type()]; ok {
			if typeName(got) != w {
				t.Errorf("%s: editor %s, want %s", s.Type(), typeName(got), w)
			}
		} else if got != nil {
			t.Errorf("%s: got a rich editor %T, want none", s.Type(), got)
		}
	}
	if got := richStepEditor(r.common, r.doc, flow.StepPath{5, 0}, ""); got != nil {
		t.Errorf("a video call nested in a call should open as JSON, got %T", got)
	}
}

func typeName(v any) string {
	if v == nil {
		return "<nil>"
	}
	return reflect.TypeOf(v).String()
}

// rigList returns the property list of a screen the walk can open lines of.
func rigList(s ui.Screen) *widget.PropList {
	switch e := s.(type) {
	case *kybEditor:
		return e.list
	case *kybBeneficiariesEditor:
		return e.list
	case *kybRoleEditor:
		return e.list
	case *questionnaireEditor:
		return e.list
	case *questionEditor:
		return e.list
	case *optionsEditor:
		return e.list
	case *optionEditor:
		return e.list
	case *videoCallEditor:
		return e.settings
	case *kycEditor:
		return e.list
	}
	return nil
}

// popTo presses esc until s is on top again.
func (r *richRig) popTo(s ui.Screen) {
	r.tb.Helper()
	for range 10 {
		if r.top() == s || r.top() == nil {
			return
		}
		r.keys("esc")
	}
	r.tb.Fatalf("esc does not lead back to %T (top is %T)", s, r.top())
}

// walk looks at everything a screen shows without changing anything:
// moving about, opening every line that opens a screen (texts, pickers,
// questions, options, roles) and walking that in turn, starting and
// cancelling inline edits, and confirming texts left as they were.
func (r *richRig) walk(depth int) {
	r.tb.Helper()
	top := r.top()
	r.keys("down", "down", "up", "end", "home")
	r.screen()
	switch top := top.(type) {
	case *widget.LocalizedEditor:
		for i := range top.Len() {
			r.keys("home")
			for range i {
				r.keys("down")
			}
			r.keys("enter", "enter") // edit and keep the text as it was
			r.screen()
		}
		r.keys("a")
		r.screen()
		r.popTo(top)
	case *questionnaireEditor:
		r.keys("p")
		r.screen()
		r.keys("right", "right", "left", "down", "end")
		r.popTo(top)
	case *videoCallEditor:
		r.keys("tab", "down", "down") // the settings stay focused for the lines below
		r.screen()
	}
	list := rigList(top)
	if list == nil || depth > 4 {
		return
	}
	for i := 0; i < list.Len(); i++ {
		top.View()
		p := list.Props()[i]
		list.Cursor = i
		switch {
		case p.Kind == widget.PropHeading || p.Kind == widget.PropInfo:
		case p.Kind == widget.PropAction && hasSuggestion(r.doc, p.Path):
			// enter applies the did-you-mean offered there: an edit, not a look
		case p.Open != nil || p.Kind == widget.PropPick || p.Kind == widget.PropAction:
			r.keys("enter")
			if r.top() != top {
				r.walk(depth + 1)
				r.popTo(top)
			}
		case p.Kind == widget.PropText:
			r.keys("enter")
			r.screen()
			r.keys("esc")
		}
	}
}

func hasSuggestion(doc *ui.Doc, path string) bool {
	_, ok := suggestionAt(doc, path)
	return ok
}

// TestRichEditorsRoundTripWhenOnlyLooking opens the editors of every KYB,
// questionnaire and video-call step of the example flows and templates,
// walks them, and requires the flow's JSON value to be unchanged.
func TestRichEditorsRoundTripWhenOnlyLooking(t *testing.T) {
	opened := 0
	for name, cfg := range rigFiles(t) {
		cfg.WalkSteps(func(p flow.StepPath, s flow.Step) {
			switch s.Type() {
			case "company", "beneficiaries", "kyb-review", "user-questionnaire", "operator-questionnaire", "video-call":
			default:
				return
			}
			t.Run(strings.TrimPrefix(name, "../../testdata/")+p.Pointer(), func(t *testing.T) {
				r := newRichRig(t, cfg.Clone())
				before := r.doc.Config.Clone()
				ed := openStepEditor(r.common, r.doc, p, "")
				if _, ok := ed.(*jsonStepView); ok {
					if s.Type() == "video-call" && p.Nested() {
						return // a call in a call is shown as JSON
					}
					t.Fatalf("%s step opened read-only", s.Type())
				}
				r.push(ed)
				r.walk(0)
				r.popTo(ed)
				if !flow.Equal(before.Root(), r.doc.Config.Root()) {
					t.Fatalf("looking changed the flow:\nbefore %s\nafter  %s", before.Bytes(), r.doc.Config.Bytes())
				}
				if r.doc.CanUndo() {
					t.Fatal("looking recorded an edit")
				}
				opened++
			})
		})
	}
	if opened < 15 {
		t.Fatalf("only %d editors opened", opened)
	}
}
