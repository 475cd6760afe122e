package editor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
)

// changesRig is the flow editor over a flow read from a file whose
// content is onDisk.
func changesRig(t *testing.T, onDisk string) (*richRig, *Editor) {
	t.Helper()
	r := newRichRig(t, rigConfig(t, onDisk))
	r.doc.SetOnDisk([]byte(onDisk))
	e := New(r.common, r.doc, nil)
	r.push(e)
	return r, e
}

// showPane presses tab until the editor shows tab p.
func showPane(r *richRig, e *Editor, p pane) {
	r.tb.Helper()
	for range int(paneCount) {
		if e.pane == p {
			return
		}
		r.keys("tab")
	}
	r.tb.Fatalf("tab never shows %s", paneNames[p])
}

const twoSteps = `{"steps": [{"type": "email", "key": "mail", "flags": {"require_email": true}}, {"type": "liveness"}]}`

// The comparison is worked out only while the tab shows, and once per
// content: not per frame, not per key, not while other tabs show.
func TestChangesComparedOnlyWhenShownAndOncePerState(t *testing.T) {
	r, e := changesRig(t, twoSteps)
	r.keys("d") // remove the email step, on the Steps tab
	if n := e.changes.cmp.runs; n != 0 {
		t.Fatalf("compared %d times before the tab was shown", n)
	}
	if tabs := ansi.Strip(e.tabs()); !strings.Contains(tabs, "Changes •") {
		t.Fatalf("the tab bar does not mark changes it has not counted: %s", tabs)
	}
	showPane(r, e, paneChanges)
	for range 3 {
		e.View()
	}
	r.keys("j", "k", "home", "end")
	if n := e.changes.cmp.runs; n != 1 {
		t.Fatalf("compared %d times for one content, want once", n)
	}
	if v := ansi.Strip(e.View()); !strings.Contains(v, `removed step "mail"`) || !strings.Contains(ansi.Strip(e.tabs()), "Changes 1") {
		t.Fatalf("the removal is not listed:\n%s", v)
	}
	r.keys("u") // undo: another content
	if n := e.changes.cmp.runs; n != 2 {
		t.Fatalf("compared %d times after an undo, want 2", n)
	}
	if v := ansi.Strip(e.View()); !strings.Contains(v, "No changes") {
		t.Fatalf("after undoing the only edit:\n%s", v)
	}
	// Away from the tab, edits compare nothing.
	showPane(r, e, paneSteps)
	r.keys("d")
	e.View()
	if n := e.changes.cmp.runs; n != 2 {
		t.Fatalf("compared %d times while another tab showed", n)
	}
	// The file read again (a save) is a new base, even at the same state.
	r.doc.SetOnDisk(r.doc.Config.Bytes())
	r.doc.MarkSaved("", r.doc.State())
	if tabs := ansi.Strip(e.tabs()); !strings.Contains(tabs, "Changes │") || strings.Contains(tabs, "Changes 0") {
		t.Fatalf("a saved flow has no changes, known without comparing, and no number: %s", tabs)
	}
	showPane(r, e, paneChanges)
	if v := ansi.Strip(e.View()); !strings.Contains(v, "No changes") || e.changes.cmp.runs != 3 {
		t.Fatalf("after the save (%d comparisons):\n%s", e.changes.cmp.runs, v)
	}
}

// A flow with no file behind it lists everything as added, under "New file".
func TestChangesOfANewFile(t *testing.T) {
	r := newRichRig(t, rigConfig(t, twoSteps))
	e := New(r.common, r.doc, nil)
	r.push(e)
	showPane(r, e, paneChanges)
	v := ansi.Strip(e.View())
	for _, want := range []string{"New file", "not saved yet", `added step "mail"`, `added step "liveness"`, "Changes 2"} {
		if !strings.Contains(v, want) {
			t.Errorf("lacks %q:\n%s", want, v)
		}
	}
	// A file this window never read (a draft recovered on its own) is not
	// called new: what it holds is not known.
	r.doc.MarkSaved("/somewhere/flow.json", 0)
	if v := ansi.Strip(e.View()); strings.Contains(v, "New file") || !strings.Contains(v, "this window has not read flow.json") {
		t.Errorf("a file not read here:\n%s", v)
	}
}

// enter on a change shows its place: the changed step's editor at the
// changed flag; a removal, the list it was removed from.
func TestChangesEnterJumps(t *testing.T) {
	r, e := changesRig(t, twoSteps)
	if err := r.doc.Edit("toggle", func(c *flow.Config) error {
		c.Steps()[1].SetFlag("liveness", flow.NewBool(true))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	showPane(r, e, paneChanges)
	r.keys("home", "enter")
	ed := requireTop[*kycEditor](t, r)
	if p, ok := ed.list.Selected(); !ok || p.Label != "liveness" {
		t.Fatalf("the jump selected %+v", p)
	}
	r.keys("esc")
	r.keys("d") // back on Steps: the liveness step is selected; remove it
	showPane(r, e, paneChanges)
	r.keys("end", "enter")
	if top := r.top(); top != e || e.Title() != "Steps" {
		t.Fatalf("enter on a removed step shows %s (%T)", e.Title(), top)
	}
}

// A removal's place is where it was in the list or object that held it,
// found by the keys leading to it whatever their old indexes: what stands
// there now (a step: its list, whose entries open editors).
func TestChangeTargetOfRemovals(t *testing.T) {
	old := rigConfig(t, `{"flags": {"skip_face": true}, "name": "n", "steps": [
		{"type": "email", "key": "a"},
		{"type": "user-questionnaire", "key": "q", "questions": [
			{"type": "string", "key": "x", "title": "X"},
			{"type": "options", "key": "y", "options": [{"key": "o1"}, {"key": "o2"}]}]},
		{"type": "video-call", "key": "v", "steps": [{"type": "liveness", "key": "l1"}, {"type": "liveness", "key": "l2"}]},
		{"type": "beneficiaries", "key": "b", "roles": {"ubo": {"fields": [{"type": "firstName"}, {"type": "lastName"}]}, "other": {}}}]}`)
	edit := func(f func(c *flow.Config)) *flow.Config {
		c := old.Clone()
		c.StepsValue().RemoveAt(0) // every index below moves up by one
		f(c)
		return c
	}
	cases := []struct {
		name string
		new  *flow.Config
		want string
	}{
		{"step", edit(func(*flow.Config) {}), "/steps"},
		{"question", edit(func(c *flow.Config) { c.Steps()[0].QuestionsValue().RemoveAt(0) }), "/steps/0/questions/0"},
		{"option", edit(func(c *flow.Config) { c.Steps()[0].Questions()[1].OptionsValue().RemoveAt(0) }), "/steps/0/questions/1/options/0"},
		{"question member", edit(func(c *flow.Config) { c.Steps()[0].Questions()[0].V.Delete("title") }), "/steps/0/questions/0/title"},
		{"nested step", edit(func(c *flow.Config) { c.Steps()[1].StepsValue().RemoveAt(1) }), "/steps/1/steps"},
		{"role", edit(func(c *flow.Config) { c.Steps()[2].V.Get("roles").Delete("other") }), "/steps/2/roles"},
		{"field", edit(func(c *flow.Config) { c.Steps()[2].V.Get("roles").Get("ubo").Get("fields").RemoveAt(1) }), "/steps/2/roles/ubo/fields/0"},
		{"flag", edit(func(c *flow.Config) { c.SetFlag("skip_face", nil) }), "/flags/skip_face"},
		{"session field", edit(func(c *flow.Config) { c.Set("name", nil) }), "/name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range diff.Compare(old, tc.new).Changes {
				if c.Kind == diff.Removed && !(c.Subject == diff.SubjectStep && len(c.Where) == 1 && c.Where[0].Key == "a" && tc.name != "step") {
					got = append(got, changeTarget(tc.new, c))
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Fatalf("targets %q, want %q", got, tc.want)
			}
		})
	}
}
