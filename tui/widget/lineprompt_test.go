package widget

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

// chunks is typed input as a terminal sends it: each string arrives in a
// read of its own (a lone esc is a key, esc with more a sequence).
type chunks []string

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	(*c)[0] = (*c)[0][n:]
	if (*c)[0] == "" {
		*c = (*c)[1:]
	}
	return n, nil
}

func ask(t *testing.T, input []string, qs ...LineQuestion) (string, error) {
	t.Helper()
	in := chunks(input)
	var out bytes.Buffer
	err := askLines(qs, &in, &out, false)
	return out.String(), err
}

func TestLineChoiceTakesNumberDefaultAndRetries(t *testing.T) {
	opts := []huh.Option[string]{huh.NewOption("Stay", "stay"), huh.NewOption("Quit anyway", "quit")}
	choice := "stay"
	out, err := ask(t, []string{"7\n", "2\r\n"}, AskChoice("Two sessions still open", "Quit now?", &choice, opts))
	if err != nil || choice != "quit" {
		t.Fatalf("choice %q, err %v", choice, err)
	}
	for _, want := range []string{"Two sessions still open", "Quit now?", "1. Stay", "2. Quit anyway",
		"Type a number from 1 to 2 and press enter (enter alone: 1); esc goes back.",
		"Type a number from 1 to 2, or press esc to go back.", "Chosen: Quit anyway."} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	choice = "stay"
	if _, err := ask(t, []string{"\n"}, AskChoice("q", "", &choice, opts)); err != nil || choice != "stay" {
		t.Fatalf("enter alone: choice %q, err %v", choice, err)
	}
}

func TestLineEscCtrlCAndEndOfInputGoBack(t *testing.T) {
	for name, input := range map[string][]string{
		"esc":          {"ab", "\x1b"},
		"ctrl+c":       {"ab\x03"},
		"ctrl+d":       {"\x04"},
		"end of input": {"half a line"},
	} {
		t.Run(name, func(t *testing.T) {
			text := "kept"
			out, err := ask(t, input, AskText("Name", "", huh.NewPointerAccessor(&text)))
			if !errors.Is(err, ErrLeft) {
				t.Fatalf("err %v, want ErrLeft", err)
			}
			if text != "kept" {
				t.Fatalf("going back changed the value to %q", text)
			}
			if !strings.Contains(out, "esc goes back") || !strings.Contains(out, "Went back without answering.") {
				t.Fatalf("transcript:\n%s", out)
			}
		})
	}
}

func TestLineArrowKeysAndEditingKeys(t *testing.T) {
	text := ""
	// An arrow key is a sequence, not esc; backspace and ctrl+u edit;
	// UTF-8 arrives split across reads.
	_, err := ask(t, []string{"x\x1b[D", "zz\x7f\x7f", "\x15ka", "\xc3", "\xa9\n"}, AskText("Name", "", huh.NewPointerAccessor(&text)))
	if err != nil || text != "kaé" {
		t.Fatalf("text %q, err %v", text, err)
	}
}

func TestLineQuestionsSkippedByWhenAndValidated(t *testing.T) {
	where, key := "sandbox", ""
	opts := []huh.Option[string]{huh.NewOption("Sandbox", "sandbox"), huh.NewOption("Identomat", "key")}
	forKey := func() bool { return where == "key" }
	nonEmpty := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("enter the company key, or press esc to go back")
		}
		return nil
	}
	qs := []LineQuestion{
		AskChoice("Where should sessions be created?", "", &where, opts),
		AskSecret("Company key", "Kept in memory only.", &key).Check(nonEmpty).When(forKey),
	}
	out, err := ask(t, []string{"1\n"}, qs...)
	if err != nil || strings.Contains(out, "Company key") {
		t.Fatalf("the key was asked after choosing the sandbox (err %v):\n%s", err, out)
	}
	out, err = ask(t, []string{"2\n", "\n", "k-123\n"}, qs...)
	if err != nil || key != "k-123" {
		t.Fatalf("key %q, err %v", key, err)
	}
	for _, want := range []string{"Company key", "Kept in memory only.", "what you type is not shown",
		"Not accepted: enter the company key, or press esc to go back."} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "k-123") {
		t.Fatal("the secret was written out")
	}
}

func TestLineTabCompletes(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"kyc-basic.json", "kyc-video.json", "other.json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := ""
	out, err := ask(t, []string{dir + "/k", "\t", "\t", "b", "\t", "\n"}, AskText("Save as", "", huh.NewPointerAccessor(&text)).Complete(CompletePath))
	if err != nil || text != filepath.Join(dir, "kyc-basic.json") {
		t.Fatalf("text %q, err %v\n%s", text, err, out)
	}
	if !strings.Contains(out, "It may be: "+dir+"/kyc-basic.json, "+dir+"/kyc-video.json") {
		t.Fatalf("the matches were not listed:\n%s", out)
	}
}

// The save-as question in accessible mode: the typed path is used, the
// replace question comes only when that file exists and names it, and a
// flow.json that happens to be in the folder is left alone.
func TestSaveAsInLinesUsesTypedPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	unrelated := []byte(`{"steps":[]} // someone else's`)
	if err := os.WriteFile("flow.json", unrelated, 0o644); err != nil {
		t.Fatal(err)
	}
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Accessible: true}
	c.SetDark(true)

	run := func(input ...string) (tea.Msg, string) {
		t.Helper()
		f := NewSaveAsDialog(c, "", false).(*FormScreen)
		// What the wizard's loop would hand the form meanwhile: it must
		// not touch the answer.
		f.SetSize(80, 20)
		in := chunks(input)
		var out bytes.Buffer
		err := (&lineDialog{questions: f.lines, in: &in, out: &out}).Run()
		f.Update(tea.WindowSizeMsg{Width: 80, Height: 21})
		f.Update(tea.BackgroundColorMsg{})
		if err != nil {
			return nil, out.String()
		}
		_, cmd := f.Update(FormDoneMsg{Form: f.form, OK: true})
		return lastMsg(cmd), out.String()
	}

	msg, out := run("mine\n")
	if save, ok := msg.(ui.SaveMsg); !ok || save.Path != "mine.json" {
		t.Fatalf("saving to %#v, want mine.json\n%s", msg, out)
	}
	if strings.Contains(out, "already exists") {
		t.Fatalf("asked about replacing a file that does not exist:\n%s", out)
	}

	if err := os.WriteFile("mine.json", []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	msg, out = run("mine.json\n", "n\n")
	if !strings.Contains(out, "mine.json already exists\nReplace it with this flow?") {
		t.Fatalf("the replace question does not name the file:\n%s", out)
	}
	if _, ok := msg.(ui.StatusMsg); !ok {
		t.Fatalf("answering no gave %#v, want a status that nothing was saved", msg)
	}
	if msg, _ = run("mine.json\n", "y\n"); msg.(ui.SaveMsg).Path != "mine.json" {
		t.Fatalf("answering yes gave %#v", msg)
	}
	if msg, _ = run("\x1b"); msg != nil {
		t.Fatalf("esc gave %#v, want nothing", msg)
	}
	if got, _ := os.ReadFile("flow.json"); !bytes.Equal(got, unrelated) {
		t.Fatal("flow.json was touched")
	}
}

// lastMsg runs cmd, a sequence or batch, and returns the last message
// that is not the screen closing.
func lastMsg(cmd tea.Cmd) tea.Msg {
	var last tea.Msg
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch m := c().(type) {
		case tea.BatchMsg:
			for _, c := range m {
				run(c)
			}
		case ui.PopMsg, nil:
		default:
			if cmds, ok := sequence(m); ok {
				for _, c := range cmds {
					run(c)
				}
				return
			}
			last = m
		}
	}
	run(cmd)
	return last
}

// sequence unpacks tea.Sequence's message, an unexported []tea.Cmd.
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}
