package api

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// wireConfig exercises ordering, $schema, a stray company_key, every JSON
// value kind and characters that need escaping in each encoding.
const wireConfig = `{
  "$schema": "https://example.com/identoflow.schema.json",
  "name": "Desk <A&B> ünï",
  "steps": [ {"type": "liveness", "flags": {"liveness": true}} ],
  "company_key": "ck_from_file_must_not_be_sent",
  "flags": { "language": "en", "skip_face": true },
  "config_id": "0123456789abcdef01234567",
  "priority": 3,
  "vip": false,
  "note": null
}`

// wantTextFields is what form, query and multipart carry, in order (null omitted).
var wantTextFields = [][2]string{
	{"company_key", testKey},
	{"name", "Desk <A&B> ünï"},
	{"steps", `[{"type":"liveness","flags":{"liveness":true}}]`},
	{"flags", `{"language":"en","skip_face":true}`},
	{"config_id", "0123456789abcdef01234567"},
	{"priority", "3"},
	{"vip", "false"},
}

const wantJSONBody = `{"company_key":"` + testKey + `","name":"Desk <A&B> ünï",` +
	`"steps":[{"type":"liveness","flags":{"liveness":true}}],` +
	`"flags":{"language":"en","skip_face":true},"config_id":"0123456789abcdef01234567",` +
	`"priority":3,"vip":false,"note":null}`

// orderedPairs splits an URL-encoded string into its pairs, in order.
func orderedPairs(t *testing.T, encoded string) [][2]string {
	t.Helper()
	var pairs [][2]string
	for _, kv := range strings.Split(encoded, "&") {
		k, v, _ := strings.Cut(kv, "=")
		uk, err1 := url.QueryUnescape(k)
		uv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad escaping in %q", kv)
		}
		pairs = append(pairs, [2]string{uk, uv})
	}
	return pairs
}

func beginOnce(t *testing.T, enc Encoding, config string, opts ...clientOption) (captured, Session) {
	t.Helper()
	rec := newRecorder(t, tokenReply)
	c := newTestClient(t, rec.srv.URL+"/", newFakeClock(), opts...)
	sess, err := c.Begin(context.Background(), configJSON(t, config), enc)
	if err != nil {
		t.Fatalf("Begin(%v): %v", enc, err)
	}
	return rec.Last(t), sess
}

func checkCommon(t *testing.T, got captured, enc Encoding) {
	t.Helper()
	if got.Method != http.MethodPost || got.Path != "/begin/" {
		t.Errorf("%v: %s %s, want POST /begin/", enc, got.Method, got.Path)
	}
	if ua := got.Header.Get("User-Agent"); ua != "identoflow/1.2.3" {
		t.Errorf("%v: User-Agent = %q", enc, ua)
	}
	if got.Header.Get("Authorization") != "" {
		t.Errorf("%v: Authorization sent without a secret key", enc)
	}
}

func TestWireJSON(t *testing.T) {
	got, sess := beginOnce(t, EncodingJSON, wireConfig)
	checkCommon(t, got, EncodingJSON)
	if ct := got.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if string(got.Body) != wantJSONBody {
		t.Errorf("body =\n%s\nwant\n%s", got.Body, wantJSONBody)
	}
	if got.RawQuery != "" {
		t.Errorf("query = %q, want none", got.RawQuery)
	}
	if sess.Token != testToken {
		t.Errorf("token = %q", sess.Token)
	}
}

func TestWireForm(t *testing.T) {
	got, _ := beginOnce(t, EncodingForm, wireConfig)
	checkCommon(t, got, EncodingForm)
	if ct := got.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
	if pairs := orderedPairs(t, string(got.Body)); !reflect.DeepEqual(pairs, wantTextFields) {
		t.Errorf("form fields =\n%q\nwant\n%q", pairs, wantTextFields)
	}
	if strings.Contains(string(got.Body), "$schema") || strings.Contains(string(got.Body), "ck_from_file") {
		t.Errorf("form body carries $schema or the file's company_key: %s", got.Body)
	}
}

func TestWireQuery(t *testing.T) {
	got, _ := beginOnce(t, EncodingQuery, wireConfig)
	checkCommon(t, got, EncodingQuery)
	if len(got.Body) != 0 {
		t.Errorf("query encoding sent a body: %q", got.Body)
	}
	if ct := got.Header.Get("Content-Type"); ct != "" {
		t.Errorf("Content-Type = %q, want none", ct)
	}
	if pairs := orderedPairs(t, got.RawQuery); !reflect.DeepEqual(pairs, wantTextFields) {
		t.Errorf("query fields =\n%q\nwant\n%q", pairs, wantTextFields)
	}
}

func TestWireMultipart(t *testing.T) {
	got, _ := beginOnce(t, EncodingMultipart, wireConfig)
	checkCommon(t, got, EncodingMultipart)
	mediaType, params, err := mime.ParseMediaType(got.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("Content-Type = %q (%v)", got.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(strings.NewReader(string(got.Body)), params["boundary"])
	var pairs [][2]string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		value, _ := io.ReadAll(p)
		if p.FileName() != "" {
			t.Errorf("part %s is a file part", p.FormName())
		}
		pairs = append(pairs, [2]string{p.FormName(), string(value)})
	}
	if !reflect.DeepEqual(pairs, wantTextFields) {
		t.Errorf("multipart parts =\n%q\nwant\n%q", pairs, wantTextFields)
	}
}

func TestWireFlagsDefaultAndNull(t *testing.T) {
	got, _ := beginOnce(t, EncodingJSON, `{"steps":[{"type":"email"}],"name":"x"}`)
	want := `{"company_key":"` + testKey + `","flags":{},"steps":[{"type":"email"}],"name":"x"}`
	if string(got.Body) != want {
		t.Errorf("absent flags: body = %s, want %s", got.Body, want)
	}
	got, _ = beginOnce(t, EncodingForm, `{"name":"x","flags":null}`)
	if pairs := orderedPairs(t, string(got.Body)); !reflect.DeepEqual(pairs, [][2]string{{"company_key", testKey}, {"name", "x"}, {"flags", "{}"}}) {
		t.Errorf("null flags: form = %q", pairs)
	}
}

func TestWireSignedEachEncoding(t *testing.T) {
	for _, enc := range Encodings() {
		rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request, body []byte) {
			var err error
			switch enc {
			case EncodingMultipart:
				_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
				mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
				var parts [][]byte
				for p, perr := mr.NextPart(); perr == nil; p, perr = mr.NextPart() {
					v, _ := io.ReadAll(p)
					parts = append(parts, v)
				}
				err = VerifyChainedSignature([]byte(testSecret), parts, r.Header.Get("Authorization"))
			default: // the query encoding signs its empty body
				err = VerifySignature([]byte(testSecret), body, r.Header.Get("Authorization"))
			}
			if err != nil {
				signedReply(w, testSecret, http.StatusUnauthorized, `"SIGNATURE_INVALID"`)
				return
			}
			signedReply(w, testSecret, http.StatusOK, `"`+testToken+`"`)
		})
		c := newTestClient(t, rec.srv.URL, newFakeClock(), withSecret(testSecret))
		sess, err := c.Begin(context.Background(), []byte(wireConfig), enc)
		if err != nil {
			t.Errorf("%v: %v", enc, err)
			continue
		}
		if sess.Token != testToken {
			t.Errorf("%v: token %q", enc, sess.Token)
		}
	}
}

func TestBuildBeginRequestMatchesWire(t *testing.T) {
	for _, enc := range Encodings() {
		rec := newRecorder(t, signedTokenReply)
		c := newTestClient(t, rec.srv.URL, newFakeClock(), withSecret(testSecret))
		dry, err := c.BuildBeginRequest([]byte(wireConfig), enc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Begin(context.Background(), []byte(wireConfig), enc); err != nil {
			t.Fatal(err)
		}
		got := rec.Last(t)
		if string(dry.Body) != string(got.Body) {
			t.Errorf("%v: dry-run body differs from the wire", enc)
		}
		if dry.URL != rec.srv.URL+got.Path+queryPart(got.RawQuery) {
			t.Errorf("%v: dry-run URL %s, wire %s?%s", enc, dry.URL, got.Path, got.RawQuery)
		}
		for _, h := range []string{"Content-Type", "Authorization", "User-Agent"} {
			if dry.Header.Get(h) != got.Header.Get(h) {
				t.Errorf("%v: dry-run %s %q, wire %q", enc, h, dry.Header.Get(h), got.Header.Get(h))
			}
		}
		again, _ := c.BuildBeginRequest([]byte(wireConfig), enc)
		if again.Redacted() != dry.Redacted() {
			t.Errorf("%v: dry run is not deterministic", enc)
		}
		text := dry.Redacted()
		assertNoSecrets(t, enc.String()+" dry run", text)
		if !strings.Contains(text, "REDACTED") || !strings.HasPrefix(text, "POST "+rec.srv.URL+"/begin/") {
			t.Errorf("%v: dry run rendering:\n%s", enc, text)
		}
		if strings.Contains(text, Sign([]byte(testSecret), dry.Body)) || !strings.Contains(text, `Authorization: signature="REDACTED"`) {
			t.Errorf("%v: dry run shows the signature:\n%s", enc, text)
		}
	}
}

func queryPart(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

func TestBuildBeginRequestBadConfig(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", newFakeClock())
	for _, config := range []string{"", "  ", "[]", `"x"`, "{", `{"a":1,"a":2}`, `{"a":1} {}`, `{"a":tru}`} {
		if _, err := c.BuildBeginRequest([]byte(config), EncodingJSON); err == nil {
			t.Errorf("config %q accepted", config)
		} else {
			assertErrorClean(t, err)
		}
	}
	if _, err := c.BuildBeginRequest([]byte(`{}`), Encoding(9)); err == nil {
		t.Error("unknown encoding accepted")
	}
}

func TestParseEncoding(t *testing.T) {
	for _, enc := range Encodings() {
		got, err := ParseEncoding(" " + strings.ToUpper(enc.String()) + " ")
		if err != nil || got != enc {
			t.Errorf("ParseEncoding(%s) = %v, %v", enc, got, err)
		}
	}
	_, err := ParseEncoding("xml")
	if err == nil || !strings.Contains(err.Error(), "json, form, query, multipart") || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("ParseEncoding(xml) error = %v", err)
	}
	if Encoding(0) != EncodingJSON {
		t.Error("the zero Encoding is not JSON")
	}
}

func TestMultipartBoundaryDeterministic(t *testing.T) {
	names := []string{"company_key", "name"}
	a := multipartBoundary(names, []string{"k", "v"})
	b := multipartBoundary(names, []string{"k", "v"})
	c := multipartBoundary(names, []string{"k", "w"})
	if a != b {
		t.Errorf("same content, boundaries %s and %s", a, b)
	}
	if a == c {
		t.Error("different content, same boundary")
	}
	if len(a) > 70 || !strings.HasPrefix(a, "identoflow-") {
		t.Errorf("boundary %q", a)
	}
	// The company key does not influence the boundary (it is shown in dry runs).
	if multipartBoundary([]string{"company_key", "name"}, []string{"other", "v"}) != a {
		t.Error("the boundary depends on the company key")
	}
}

// A top-level name holding a lone surrogate escape travels as written:
// encoding/json would send U+FFFD, a different name.
func TestBeginJSONKeepsALoneSurrogateInAName(t *testing.T) {
	body, err := BeginJSON("k", []byte(`{"\ud800x":1,"steps":[{"type":"liveness"}],"SecretKey":"s"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"\ud800x":1`) {
		t.Errorf("body %s lost the name's lone surrogate", body)
	}
	if strings.Contains(string(body), "SecretKey") {
		t.Errorf("body %s carries the file's credential", body)
	}
}
