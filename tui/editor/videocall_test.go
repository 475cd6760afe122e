package editor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/widget"
)

func nestedTypes(c *flow.Config, call int) string {
	var out []string
	for _, s := range c.Steps()[call].Steps() {
		out = append(out, s.Type()+":"+s.EffectiveKey())
	}
	return strings.Join(out, ",")
}

func TestVideoCallNestedStepsAddRemove(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "operator-review"))
	r.open(0)
	r.requireScreen("Steps in the call (2)", "identity-document", "liveness")

	// a opens the catalog restricted to what a call may hold.
	r.keys("a")
	cat := requireTop[*catalog](t, r)
	for _, s := range cat.specs {
		if !flow.AllowedInVideoCall(s.Type) {
			t.Errorf("the call's catalog offers %s", s.Type)
		}
	}
	// Add a second liveness after the first step: its key is unique in the
	// whole session, and the new step is selected.
	for i, s := range cat.specs {
		if s.Type == "liveness" {
			cat.cursor = i
		}
	}
	r.keys("enter")
	e := requireTop[*videoCallEditor](t, r)
	if got := nestedTypes(r.doc.Config, 0); got != "identity-document:identity-document,liveness:liveness-2,liveness:liveness" {
		t.Fatalf("nested steps = %s", got)
	}
	if p := e.steps.selected(); len(p) != 2 || p[1] != 1 {
		t.Fatalf("selected %v, want the new step {0 1}", p)
	}
	r.keys("d")
	if got := nestedTypes(r.doc.Config, 0); got != "identity-document:identity-document,liveness:liveness" {
		t.Fatalf("after d: nested steps = %s", got)
	}
	r.keys("u")
	if got := nestedTypes(r.doc.Config, 0); !strings.Contains(got, "liveness-2") {
		t.Fatalf("after u: nested steps = %s", got)
	}
	// J moves a nested step within the call; the top level is untouched.
	r.keys("home", "J")
	if got := nestedTypes(r.doc.Config, 0); !strings.HasPrefix(got, "liveness:liveness-2,identity-document") {
		t.Fatalf("after J: nested steps = %s", got)
	}
	if n := len(r.doc.Config.Steps()); n != 2 {
		t.Fatalf("top-level steps = %d, want 2", n)
	}
	// enter opens a nested step's own editor.
	r.keys("enter")
	requireTop[*kycEditor](t, r)
	r.keys("esc")
	requireTop[*videoCallEditor](t, r)
}

func TestVideoCallFlagsToggle(t *testing.T) {
	r := newRichRig(t, rigTemplate(t, "video-kyc"))
	e := r.open(0).(*videoCallEditor)
	r.keys("tab")
	if e.onSteps {
		t.Fatal("tab should move to the call's settings")
	}
	for _, name := range []string{"resetSteps", "hideCameraOption", "nameRequired", "multiple_participants"} {
		before := r.doc.Config.Steps()[0].BoolFlag(name)
		r.moveTo(func() *widget.PropList { return e.settings }, name)
		r.keys("space")
		if got := r.doc.Config.Steps()[0].BoolFlag(name); got == before {
			t.Errorf("space did not flip %s", name)
		}
	}
	r.keys("tab")
	if !e.onSteps {
		t.Fatal("tab should go back to the steps")
	}
}

func TestVideoCallRefusesToReplaceABrokenStepList(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "video-call", "steps": {"not": "a list"}}]}`))
	r.open(0)
	before := r.doc.Config.Clone()
	r.keys("a")
	if _, ok := r.top().(*videoCallEditor); !ok || !r.statusErr {
		t.Fatalf("a on a broken step list: top %T, status %q", r.top(), r.status)
	}
	if !flow.Equal(before.Root(), r.doc.Config.Root()) {
		t.Fatal("the broken step list was changed")
	}
}

func TestVideoCallGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"steps", nil},
		{"settings", []string{"tab", "down", "down", "down"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRichRig(t, rigTemplate(t, "video-kyc"))
			r.open(0)
			r.keys(tc.keys...)
			golden.RequireEqual(t, r.screen())
		})
	}
}
