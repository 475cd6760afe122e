package sandbox

import (
	"context"
	"slices"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
)

// The outcome page offers the reasons that fit the flow's steps, in their
// order, and a generic one, the first being chosen; a reason it does not
// offer falls back to that one.
func TestOutcomePageOffersReasonsThatFitTheFlow(t *testing.T) {
	f := newFixture(t, Options{})
	for name, tc := range map[string]struct {
		config string
		want   []string
	}{
		"geolocation": {`{"steps":[{"type":"geolocation"}]}`, []string{"LOCATION_NOT_ALLOWED", "OTHER"}},
		"questionnaire": {`{"steps":[{"type":"user-questionnaire","key":"q","questions":[{"key":"a","type":"string","title":"A?"}]}]}`,
			[]string{"ANSWERS_NOT_ACCEPTED", "OTHER"}},
		"liveness alone": {minimalConfig, []string{"LIVENESS_FAILED", "OTHER"}},
		"document, then call": {spanishConfig, []string{
			"DOCUMENT_EXPIRED", "DOCUMENT_UNREADABLE", "SUSPECTED_FRAUD", "OPERATOR_REJECTED", "LIVENESS_FAILED", "FACE_MISMATCH",
			"LOCATION_NOT_ALLOWED", "OTHER"}},
		"contact": {`{"steps":[{"type":"phone-number"},{"type":"email"},{"type":"phone-number","key":"p2"}]}`,
			[]string{"PHONE_NOT_VERIFIED", "EMAIL_NOT_VERIFIED", "OTHER"}},
	} {
		token := f.begin(t, tc.config)
		w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
		end := w.Run()
		reason := end.FormWith("outcome", "rejected").Named("reason")[0]
		if !slices.Equal(reason.Options, tc.want) {
			t.Errorf("%s: reasons %q, want %q", name, reason.Options, tc.want)
		}
		if len(reason.Selected) > 0 && reason.Selected[0] != tc.want[0] {
			t.Errorf("%s: %q chosen, want %q", name, reason.Selected, tc.want[0])
		}
		// A reason of another flow's steps, as if the page had offered it.
		other := slices.IndexFunc(RejectReasons(), func(r RejectReason) bool { return !slices.Contains(tc.want, r.Value) })
		reason.Options = append(reason.Options, RejectReasons()[other].Value)
		w.Finish(end, "rejected", RejectReasons()[other].Value)
		res, err := f.client(t, testKey, "").Result(context.Background(), token)
		if err != nil || res.RejectReason == nil || res.RejectReason.Value != tc.want[0] {
			t.Errorf("%s: result %+v, %v; want the reason %s", name, res, err, tc.want[0])
		}
	}
}

// In process, the reason is also one the session's flow fits.
func TestCompleteInProcessChoosesAReasonThatFits(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"steps":[{"type":"geolocation"}]}`)
	if err := f.sb.Complete(token, OutcomeRejected, "DOCUMENT_EXPIRED"); err != nil {
		t.Fatal(err)
	}
	if r := result(t, f, token); r.RejectReason == nil || r.RejectReason.Value != "LOCATION_NOT_ALLOWED" {
		t.Fatalf("reason %+v, want LOCATION_NOT_ALLOWED", r.RejectReason)
	}
}

// A session of a saved configuration (steps the sandbox cannot see) is
// offered every reason.
func TestOutcomePageOffersEveryReasonForASavedConfiguration(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, `{"config_id":"64b7f0c2a1e4d5f6a7b8c9d0","flags":{"return_url":"https://a.example/"}}`)
	end := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token).Run()
	var want []string
	for _, r := range RejectReasons() {
		want = append(want, r.Value)
	}
	if got := end.FormWith("outcome", "rejected").Named("reason")[0].Options; !slices.Equal(got, want) {
		t.Fatalf("reasons %q, want %q", got, want)
	}
}
