package editor

import (
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/widget"
)

// A question's members the editor does not edit are listed on its screen
// with their fix-its: enter renames a misspelt one to what was meant, d
// deletes one.
func TestQuestionUnknownMembersAreShownAndFixed(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "user-questionnaire", "questions": [
		{"type": "string", "key": "q", "title": {"en": "Name"}, "readOnyl": false, "zzqqxx": 1}]}]}`))
	qe := r.open(0).(*questionnaireEditor)
	r.moveTo(func() *widget.PropList { return qe.list }, "1. q")
	r.keys("enter")
	e := requireTop[*questionEditor](t, r)
	r.requireScreen("readOnyl", "zzqqxx", "⚠ unknown-field")
	list := func() *widget.PropList { return e.list }
	r.moveTo(list, "readOnyl")
	r.requireScreen(`enter: rename it to "readOnly", keeping its value`)
	r.keys("enter")
	q := r.doc.Config.Steps()[0].Questions()[0]
	if !q.V.Has("readOnly") || q.V.Has("readOnyl") {
		t.Fatalf("question after the rename: %s", flow.MarshalCompact(q.V))
	}
	r.moveTo(list, "zzqqxx")
	r.keys("d")
	if r.doc.Config.Steps()[0].Questions()[0].V.Has("zzqqxx") {
		t.Fatal("d did not delete the unknown member")
	}
	if !strings.Contains(r.status, `deleted "zzqqxx"`) {
		t.Fatalf("status %q", r.status)
	}
	r.keys("u")
	if !r.doc.Config.Steps()[0].Questions()[0].V.Has("zzqqxx") {
		t.Fatal("undo did not bring it back")
	}
}

// A credential member inside a localized text is listed among its
// languages masked; enter does not open it for editing; d removes it.
func TestCredentialInALocalizedTextIsMasked(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "company", "title": {"en": "Company", "secret_key": "TEXT-SECRET"}, "fields": []}]}`))
	e := r.open(0).(*kybEditor)
	r.moveTo(func() *widget.PropList { return e.list }, "title")
	if strings.Contains(r.screen(), "TEXT-SECRET") {
		t.Fatalf("the credential shows on the editor:\n%s", r.screen())
	}
	r.keys("enter")
	r.keys("end")
	r.requireScreen("secret_key", "credential hidden")
	r.keys("enter")
	if strings.Contains(r.screen(), "TEXT-SECRET") {
		t.Fatalf("enter put the credential in the input:\n%s", r.screen())
	}
	r.keys("d")
	if stepTitle(r).Has("secret_key") {
		t.Fatal("d did not remove the credential")
	}
}

// f on a line with nothing to correct says what f is for and why it does
// nothing there: an empty text field holds nothing; a set one has no
// misspelling with a correction.
func TestFixOnALineWithNothingToCorrectSaysWhy(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "email", "key": "mail"}]}`))
	r.open(0)
	r.keys("down") // title, not set
	r.keys("f")
	if want := "f corrects a misspelling; title is empty, so there is none (enter types it)"; r.status != want {
		t.Fatalf("f on an empty title says %q, want %q", r.status, want)
	}
	r.keys("up", "f") // key, set
	if want := "f corrects a misspelling; key has none it knows how to correct"; r.status != want {
		t.Fatalf("f on the key says %q, want %q", r.status, want)
	}
}
