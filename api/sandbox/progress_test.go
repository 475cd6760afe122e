package sandbox

import (
	"errors"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
)

func TestProgressFollowsTheCustomer(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, templateConfig(t, "onboarding-questionnaire", "es"))
	pr, ok := f.sb.Progress(token)
	if !ok || pr.Opened || pr.String() != "waiting for the customer to open the link" {
		t.Fatalf("before opening: %+v %q", pr, pr)
	}
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	p := w.Fetch(pageURL(token, -1))
	if pr, _ = f.sb.Progress(token); pr.String() != "step 1 of 2 · Idioma" || pr.Type != "language" {
		t.Fatalf("on the first page: %q", pr)
	}
	w.Send(sandboxtest.MainForm(p), "")
	if pr, _ = f.sb.Progress(token); pr.String() != "step 2 of 2 · Sobre usted" || pr.Step != 2 || pr.Steps != 2 {
		t.Fatalf("on the questionnaire: %q", pr)
	}
	w.Picks["q0"] = []string{"employed"}
	end := w.Run()
	if pr, _ = f.sb.Progress(token); pr.String() != "all 2 steps done · choosing the outcome" {
		t.Fatalf("at the end: %q", pr)
	}
	w.Finish(end, "rejected", "FACE_MISMATCH")
	if pr, _ = f.sb.Progress(token); pr.Outcome != OutcomeRejected || !strings.HasPrefix(pr.String(), "finished · Rejected") {
		t.Fatalf("finished: %q", pr)
	}
	if _, ok := f.sb.Progress("nope"); ok {
		t.Fatal("progress of an unknown session")
	}
}

// A title with control characters or bidi overrides stays one safe line.
func TestProgressTitleIsTerminalSafe(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"steps":[{"type":"liveness","title":"a\u001b[2Jb\u202ec\nd"}]}`)
	sandboxtest.NewBrowser(t, f.srv.URL).Get(pageURL(token, -1))
	pr, _ := f.sb.Progress(token)
	if pr.Title != `a\x1b[2Jb\u202ec\nd` {
		t.Fatalf("title %q", pr.Title)
	}
}

func TestCompleteInProcess(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	if err := f.sb.Complete(token, OutcomeRejected, "nonsense"); err != nil {
		t.Fatal(err)
	}
	r := result(t, f, token)
	if r.Result != OutcomeRejected || r.RejectReason == nil || r.RejectReason.Value != "LIVENESS_FAILED" { // the liveness flow's default
		t.Fatalf("result %+v", r)
	}
	if err := f.sb.Complete(token, OutcomeApproved, ""); !errors.Is(err, ErrFinished) {
		t.Fatalf("second outcome: %v", err)
	}
	if err := f.sb.Complete("nope", OutcomeApproved, ""); !errors.Is(err, ErrUnknownSession) {
		t.Fatalf("unknown: %v", err)
	}
	other := f.begin(t, minimalConfig)
	if err := f.sb.Complete(other, "maybe", ""); err == nil {
		t.Fatal("unknown outcome taken")
	}
	f.clock.Advance(DefaultTokenTTL)
	if err := f.sb.Complete(other, OutcomeApproved, ""); !errors.Is(err, ErrSessionExpired) {
		t.Fatalf("expired: %v", err)
	}
}
