package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/api"
)

func TestResultInProgress(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, spanishConfig)
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "in_progress" || res.Outcome() != api.OutcomeInProgress || res.Final() {
		t.Fatalf("result = %+v", res)
	}
	if res.Name != "Cliente 42" || string(res.Person) != "{}" || string(res.Questionnaires) != "[]" || res.RejectReason != nil {
		t.Fatalf("result = %s", res.Raw)
	}
}

func TestResultExpiry(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	c := f.client(t, testKey, "")
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
	end := w.Run() // the customer reaches the outcome page in time

	f.clock.Advance(DefaultTokenTTL - time.Second)
	if _, err := c.Result(context.Background(), token); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	f.clock.Advance(time.Second)
	_, err := c.Result(context.Background(), token)
	var se *api.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusGone || !strings.Contains(se.Message, "expired") {
		t.Fatalf("after 15 min: err = %v, want 410 session expired", err)
	}
	// The page refuses too, and so does completing it.
	if resp := f.do(t, http.MethodGet, "/?session_token="+token, "", nil, nil); resp.status != http.StatusGone || !strings.Contains(resp.body, "expired") {
		t.Fatalf("page after expiry: %d", resp.status)
	}
	if resp := w.Finish(end, "approved", ""); resp.Status != http.StatusGone {
		t.Fatalf("complete after expiry: %d", resp.Status)
	}
	// Much later the session is forgotten: 404.
	f.clock.Advance(expiredRetention)
	f.begin(t, minimalConfig) // creating a session prunes
	_, err = c.Result(context.Background(), token)
	if !errors.As(err, &se) || se.Status != http.StatusNotFound {
		t.Fatalf("after retention: err = %v, want 404", err)
	}
}

func TestResultOfFinishedSessionOutlivesToken(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	if resp := f.submitPage(t, token, "approved", ""); resp.status != http.StatusOK {
		t.Fatalf("complete: %d", resp.status)
	}
	f.clock.Advance(2 * time.Hour)
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil || res.Outcome() != api.OutcomeApproved {
		t.Fatalf("result 2 h later = %+v, %v", res, err)
	}
}

func TestResultUnknownAndForeign(t *testing.T) {
	f := newFixture(t, Options{})
	token := f.begin(t, minimalConfig)
	for name, tc := range map[string]struct{ key, token string }{
		"unknown token":     {testKey, strings.Repeat("a", 40)},
		"other company key": {"other-company", token},
	} {
		_, err := f.client(t, tc.key, "").Result(context.Background(), tc.token)
		var se *api.StatusError
		if !errors.As(err, &se) || se.Status != http.StatusNotFound || se.Message != "unknown session" {
			t.Errorf("%s: err = %v, want 404 unknown session", name, err)
		}
	}
	resp := f.do(t, http.MethodPost, api.ResultPath, "application/json", strings.NewReader(`{"company_key":"k","session_token":"zz"}`), nil)
	if resp.status != http.StatusNotFound || resp.body != `{"error":"unknown session"}` {
		t.Fatalf("raw unknown: %d %s", resp.status, resp.body)
	}
	resp = f.do(t, http.MethodPost, api.ResultPath, "application/json", strings.NewReader(`{"company_key":"k"}`), nil)
	if resp.status != http.StatusBadRequest {
		t.Fatalf("missing token: %d %s", resp.status, resp.body)
	}
}

func TestResultFormEncodedAndPinnedKey(t *testing.T) {
	f := newFixture(t, Options{CompanyKey: testKey})
	token := f.begin(t, minimalConfig)
	resp := f.do(t, http.MethodPost, api.ResultPath, "application/x-www-form-urlencoded",
		strings.NewReader("company_key="+testKey+"&session_token="+token), nil)
	var body map[string]json.RawMessage
	if resp.status != http.StatusOK || json.Unmarshal([]byte(resp.body), &body) != nil || string(body["result"]) != `"in_progress"` {
		t.Fatalf("form result: %d %s", resp.status, resp.body)
	}
	_, err := f.client(t, "wrong", "").Result(context.Background(), token)
	if !errors.Is(err, api.ErrKeyRefused) {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestResultHMAC(t *testing.T) {
	f := newFixture(t, Options{SecretKey: testSecret})
	s, err := f.client(t, testKey, testSecret).Begin(context.Background(), []byte(minimalConfig), api.EncodingJSON)
	if err != nil {
		t.Fatal(err)
	}
	// The client verifies the signed answer.
	if _, err := f.client(t, testKey, testSecret).Result(context.Background(), s.Token); err != nil {
		t.Fatalf("signed result: %v", err)
	}
	_, err = f.client(t, testKey, "wrong-secret").Result(context.Background(), s.Token)
	var se *api.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || se.Message != "SIGNATURE_INVALID" {
		t.Fatalf("wrong secret: %v", err)
	}
	resp := f.do(t, http.MethodPost, api.ResultPath, "application/json",
		strings.NewReader(`{"company_key":"`+testKey+`","session_token":"`+s.Token+`"}`), nil)
	if resp.status != http.StatusUnauthorized || resp.body != `"SIGNATURE_INVALID"` {
		t.Fatalf("unsigned: %d %s", resp.status, resp.body)
	}
}

// result/ is written as every other answer is: HTML characters as they
// are (like the vendor), bidi and control characters escaped.
func TestResultBodyEscapesLikeEveryAnswer(t *testing.T) {
	f := newFixture(t, Options{})
	cfg := strings.Replace(spanishConfig, `"Cliente 42"`, `"<b>Ana</b> \u202e"`, 1)
	if cfg == spanishConfig {
		t.Fatal("the test config has no name to replace")
	}
	token := f.begin(t, cfg)
	res, err := f.client(t, testKey, "").Result(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	raw := string(res.Raw)
	if !strings.Contains(raw, `<b>Ana</b>`) || !strings.Contains(raw, `\u202e`) || strings.ContainsRune(raw, '\u202e') {
		t.Errorf("result/ body: %s", raw)
	}
}
