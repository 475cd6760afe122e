package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestResultOutcomes(t *testing.T) {
	cases := []struct {
		body    string
		outcome Outcome
		final   bool
		label   string
	}{
		{`{"result":"approved","name":"Nino Beridze","person":{"first_name":"Nino"}}`, OutcomeApproved, true, "Approved"},
		{`{"result":"Approved "}`, OutcomeApproved, true, "Approved"},
		{`{"result":"rejected","reject_reason":{"value":"DOCUMENT_EXPIRED","description":"The document has expired"}}`, OutcomeRejected, true, "Rejected: The document has expired (DOCUMENT_EXPIRED)"},
		{`{"result":"rejected","reject_reason":{"value":"FACE_MISMATCH"}}`, OutcomeRejected, true, "Rejected: FACE_MISMATCH"},
		{`{"result":"rejected","reject_reason":null}`, OutcomeRejected, true, "Rejected"},
		{`{"result":"rejected","reject_reason":"SPOOF"}`, OutcomeRejected, true, "Rejected: SPOOF"},
		{`{"result":"rejected","reject_reason":{"value":"X","description":{"en":"Bad"}}}`, OutcomeRejected, true, `Rejected: {"en":"Bad"} (X)`},
		{`{"result":"manual_check"}`, OutcomeManualCheck, true, "Manual check"},
		{`{"result":" Manual-Check"}`, OutcomeManualCheck, true, "Manual check"},
		{`{"result":"manual_check_2"}`, OutcomeManualCheck, true, "Manual check (manual_check_2)"},
		{`{"result":"review"}`, OutcomeManualCheck, true, "Manual check (review)"},
		{`{"result":""}`, OutcomeInProgress, false, "In progress"},
		{`{"result":null}`, OutcomeInProgress, false, "In progress"},
		{`{}`, OutcomeInProgress, false, "In progress"},
		{`{"result":"in_progress"}`, OutcomeInProgress, false, "In progress"},
		{`{"result":"PENDING"}`, OutcomeInProgress, false, "In progress"},
	}
	for _, tc := range cases {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) { _, _ = io.WriteString(w, tc.body) })
		c := newTestClient(t, rec.srv.URL, newFakeClock())
		res, err := c.Result(context.Background(), testToken)
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		if res.Outcome() != tc.outcome || res.Final() != tc.final || res.Label() != tc.label {
			t.Errorf("%s: outcome %v final %v label %q; want %v %v %q", tc.body, res.Outcome(), res.Final(), res.Label(), tc.outcome, tc.final, tc.label)
		}
		if string(res.Raw) != tc.body {
			t.Errorf("%s: raw = %s", tc.body, res.Raw)
		}
	}
}

func TestResultFields(t *testing.T) {
	body := `{"result":"approved","name":"Nino Beridze","person":{"first_name":"Nino","dob":"1990-01-01"},` +
		`"questionnaires":[{"key":"q1","answers":{"a":"b"}}],"extra":1}`
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
		signedReply(w, testSecret, 200, body)
	})
	c := newTestClient(t, rec.srv.URL, newFakeClock(), withSecret(testSecret))
	res, err := c.Result(context.Background(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "approved" || res.Name != "Nino Beridze" ||
		string(res.Person) != `{"first_name":"Nino","dob":"1990-01-01"}` ||
		string(res.Questionnaires) != `[{"key":"q1","answers":{"a":"b"}}]` || res.RejectReason != nil {
		t.Errorf("result = %+v", res)
	}
	// The request: JSON body in order, signed, on the result path.
	got := rec.Last(t)
	wantBody := `{"company_key":"` + testKey + `","session_token":"` + testToken + `"}`
	if got.Path != "/external-api/result/" || string(got.Body) != wantBody || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %s", got.Path, got.Header.Get("Content-Type"), got.Body)
	}
	if err := VerifySignature([]byte(testSecret), got.Body, got.Header.Get("Authorization")); err != nil {
		t.Errorf("request signature: %v", err)
	}
}

func TestResultErrors(t *testing.T) {
	cases := []struct {
		status int
		body   string
		check  func(error) bool
	}{
		{200, `"COMPANY_KEY_INVALID"`, func(err error) bool { return errors.Is(err, ErrKeyRefused) }},
		{200, `"SESSION_NOT_FOUND"`, func(err error) bool { return strings.Contains(err.Error(), "looks like an error code") }},
		{200, `[1,2]`, func(err error) bool { return strings.Contains(err.Error(), "unexpected response from result/") }},
		{200, `{"result":`, func(err error) bool { return strings.Contains(err.Error(), "not a JSON object") }},
		{200, ``, func(err error) bool { return strings.Contains(err.Error(), "empty body") }},
		{404, `session not found`, func(err error) bool {
			var se *StatusError
			return errors.As(err, &se) && se.Status == 404 && se.Message == "session not found"
		}},
	}
	for _, tc := range cases {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
		c := newTestClient(t, rec.srv.URL, newFakeClock())
		_, err := c.Result(context.Background(), testToken)
		if err == nil || !tc.check(err) {
			t.Errorf("%d %q: error %v", tc.status, tc.body, err)
			continue
		}
		assertErrorClean(t, err)
	}
}

func TestResultRejectsBadTokenWithoutSending(t *testing.T) {
	rec := newRecorder(t, tokenReply)
	c := newTestClient(t, rec.srv.URL, newFakeClock())
	for _, token := range []string{"", "a b", "tok\"en", strings.Repeat("x", 300), testKey + "!"} {
		if _, err := c.Result(context.Background(), token); err == nil || !strings.Contains(err.Error(), "not a token") {
			t.Errorf("token %q: error %v", token, err)
		} else {
			assertErrorClean(t, err)
		}
	}
	if n := len(rec.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid tokens", n)
	}
}

func TestValidToken(t *testing.T) {
	for s, want := range map[string]bool{
		testToken: true, "A-b_9": true, "": false, "a b": false, "ä": false,
		strings.Repeat("a", 256): true, strings.Repeat("a", 257): false, "a/b": false,
	} {
		if ValidToken(s) != want {
			t.Errorf("ValidToken(%q) = %v", s, !want)
		}
	}
}

// Texts the customer may have typed reach a terminal without their
// control characters: no escape sequence gets through; each is written
// as flow.Visible writes it, and a line break is a space.
func TestResultTextsArePrintable(t *testing.T) {
	body := `{"result":"rejected","name":"Mal\u001b[41mlory\u0007\u202e","reject_reason":{"value":"X\u001b]0;t\u0007","description":"line\nbreak"}}`
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) {
		signedReply(w, "", 200, body)
	})
	c := newTestClient(t, rec.srv.URL, newFakeClock())
	res, err := c.Result(context.Background(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != `Mal\x1b[41mlory\a\u202e` || res.RejectReason == nil || res.RejectReason.Value != `X\x1b]0;t\a` || res.RejectReason.Description != "line break" {
		t.Errorf("result = %+v", res)
	}
	if strings.ContainsAny(res.Label(), "\x1b\a") {
		t.Errorf("label %q has control characters", res.Label())
	}
}
