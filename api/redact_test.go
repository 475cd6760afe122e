package api

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Credentials full of characters that every encoding escapes differently.
const (
	hostileKey    = `ck A+b/c=d&e"f<g>h%i`
	hostileSecret = `sk é x+y/z?q=1&"<>`
)

func TestRedactForms(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", newFakeClock(), withKey(hostileKey), withSecret(hostileSecret))
	for _, s := range []string{hostileKey, hostileSecret} {
		for _, form := range secretForms(s) {
			text := "before " + form + " after"
			got := c.Redact(text)
			if got != "before REDACTED after" {
				t.Errorf("Redact(%q) = %q", text, got)
			}
		}
	}
	if got := c.Redact("nothing secret here"); got != "nothing secret here" {
		t.Errorf("Redact changed clean text: %q", got)
	}
}

// Every output the client can produce, with hostile credentials echoed
// back by the server in every form, shows neither credential.
func TestNoCredentialsInAnyOutput(t *testing.T) {
	secrets := []string{hostileKey, hostileSecret}
	echo := func(status int) func(int, http.ResponseWriter, *http.Request, []byte) {
		return func(_ int, w http.ResponseWriter, r *http.Request, body []byte) {
			w.WriteHeader(status)
			// The request as received: raw body, raw query, and the key in every form.
			_, _ = io.WriteString(w, string(body)+" "+r.URL.RawQuery+" "+strings.Join(secretForms(hostileKey), " | ")+
				" "+strings.Join(secretForms(hostileSecret), " | "))
		}
	}
	for _, enc := range Encodings() {
		for _, status := range []int{200, 400, 500, 503} {
			rec := newRecorder(t, echo(status))
			c := newTestClient(t, rec.srv.URL, newFakeClock(), withKey(hostileKey), withSecret(hostileSecret))
			_, err := c.Begin(context.Background(), []byte(wireConfig), enc)
			assertErrorClean(t, err, secrets...)
			_, err = c.Result(context.Background(), testToken)
			assertErrorClean(t, err, secrets...)
			if t.Failed() {
				t.Fatalf("%v, status %d", enc, status)
			}
		}
		c := newTestClient(t, "http://127.0.0.1:1", newFakeClock(), withKey(hostileKey), withSecret(hostileSecret))
		req, err := c.BuildBeginRequest([]byte(wireConfig), enc)
		if err != nil {
			t.Fatal(err)
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			assertNoSecrets(t, enc.String()+" request "+verb, sprintf(verb, req), secrets...)
			assertNoSecrets(t, enc.String()+" *request "+verb, sprintf(verb, &req), secrets...)
		}
		// The request really does carry the key (redaction is not hiding an absent value).
		if !strings.Contains(string(req.Body)+req.URL, strings.Split(hostileKey, " ")[0]) {
			t.Errorf("%v: request lacks the company key", enc)
		}
	}
}

func TestNoCredentialsInTransportErrors(t *testing.T) {
	secrets := []string{hostileKey, hostileSecret}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c := newTestClient(t, "http://"+addr, newFakeClock(), withKey(hostileKey), withSecret(hostileSecret))
	_, err = c.Begin(context.Background(), []byte(minimalConfig), EncodingQuery)
	assertErrorClean(t, err, secrets...)

	release := make(chan struct{})
	defer close(release)
	rec := newRecorder(t, func(_ int, _ http.ResponseWriter, r *http.Request, _ []byte) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c = newTestClient(t, rec.srv.URL, newFakeClock(), withKey(hostileKey), withSecret(hostileSecret), withTimeout(20*time.Millisecond))
	_, err = c.Begin(context.Background(), []byte(minimalConfig), EncodingQuery)
	assertErrorClean(t, err, secrets...)
}

func TestClientAndOptionsNeverPrintCredentials(t *testing.T) {
	opts := Options{BaseURL: "http://127.0.0.1:1", CompanyKey: testKey, SecretKey: testSecret}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		assertNoSecrets(t, "client "+verb, sprintf(verb, c))
		assertNoSecrets(t, "*client "+verb, sprintf(verb, *c))
		assertNoSecrets(t, "options "+verb, sprintf(verb, opts))
		assertNoSecrets(t, "*options "+verb, sprintf(verb, &opts))
		assertNoSecrets(t, "nested "+verb, sprintf(verb, struct {
			C *Client
			O Options
		}{c, opts}))
	}
	if s := c.String(); !strings.Contains(s, "REDACTED") || !strings.Contains(s, "127.0.0.1:1") {
		t.Errorf("String = %s", s)
	}
}

// A test key as short as a common word is masked only where it stands
// alone: masking "name" inside other words or as a JSON member name would
// garble every answer shown.
func TestShortKeysAreMaskedOnlyAlone(t *testing.T) {
	c, err := New(Options{CompanyKey: "name", SecretKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		`{"name":"Ann"}`:                `{"name":"Ann"}`,
		`{"name" : "Ann"}`:              `{"name" : "Ann"}`,
		`{"company_key":"name"}`:        `{"company_key":"REDACTED"}`,
		`key name refused`:              `key REDACTED refused`,
		`name`:                          `REDACTED`,
		`company_key=name&x=1`:          `company_key=REDACTED&x=1`,
		`names, rename, name_x, name-y`: `names, rename, name_x, name-y`,
		`k=k; ok; "k"`:                  `REDACTED=REDACTED; ok; "REDACTED"`,
	} {
		if got := c.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	c, err = New(Options{CompanyKey: "k3y-long-enough"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Redact(`key k3y-long-enough here`); strings.Contains(got, "k3y-long-enough") {
		t.Fatalf("key not masked: %s", got)
	}
}

// A dry run masks the company key field however short the key is (the
// text redactor leaves keys under minRedactLen alone), and otherwise shows
// the request exactly: same URL, body and multipart boundary.
func TestRedactedMasksShortCompanyKey(t *testing.T) {
	const shortKey = "Zq9"
	c := newTestClient(t, "http://127.0.0.1:1", newFakeClock(), withKey(shortKey))
	for _, enc := range Encodings() {
		req, err := c.BuildBeginRequest([]byte(wireConfig), enc)
		if err != nil {
			t.Fatal(err)
		}
		shown := req.Redacted()
		if strings.Contains(shown, shortKey) {
			t.Errorf("%v: dry run shows the company key:\n%s", enc, shown)
		}
		var keyed, masked string
		switch enc {
		case EncodingJSON:
			keyed, masked = `"company_key":"Zq9"`, `"company_key":"REDACTED"`
		case EncodingForm, EncodingQuery:
			keyed, masked = "company_key=Zq9", "company_key=REDACTED"
		case EncodingMultipart:
			keyed, masked = "\"company_key\"\r\n\r\nZq9\r\n", "\"company_key\"\r\n\r\nREDACTED\r\n"
		}
		wire := req.URL + "\n" + string(req.Body)
		if !strings.Contains(wire, keyed) {
			t.Fatalf("%v: the request does not carry the key as expected:\n%s", enc, wire)
		}
		want := strings.Replace(wire, keyed, masked, 1)
		if got := strings.Replace(shown, "\n\n", "\n", 1); !strings.Contains(got, strings.SplitN(want, "\n", 2)[1]) ||
			!strings.HasPrefix(got, "POST "+strings.SplitN(want, "\n", 2)[0]+"\n") {
			t.Errorf("%v: dry run differs from the request beyond the key:\nwant (URL, body) %q\ngot %q", enc, want, shown)
		}
	}
	req, err := c.BuildResultRequest(testToken)
	if err != nil {
		t.Fatal(err)
	}
	if shown := req.Redacted(); strings.Contains(shown, shortKey) || !strings.Contains(shown, `{"company_key":"REDACTED","session_token":"`+testToken+`"}`) {
		t.Errorf("result request dry run:\n%s", shown)
	}
}

// A result whose texts echo the company key keeps it masked in every
// field that is shown or written to the journal; the outcome still reads.
func TestResultTextsNeverHoldTheKey(t *testing.T) {
	body, err := json.Marshal(map[string]any{
		"result": "rejected", "name": hostileKey,
		"reject_reason": map[string]string{"value": hostileKey, "description": "the key " + hostileKey},
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request, _ []byte) { _, _ = w.Write(body) })
	c := newTestClient(t, rec.srv.URL, newFakeClock(), withKey(hostileKey))
	res, err := c.Result(context.Background(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome() != OutcomeRejected || res.RejectReason == nil {
		t.Fatalf("result = %+v", res)
	}
	for what, text := range map[string]string{
		"status": res.Status, "name": res.Name, "label": res.Label(),
		"reject value": res.RejectReason.Value, "reject description": res.RejectReason.Description,
	} {
		assertNoSecrets(t, what, text, hostileKey)
	}
}
