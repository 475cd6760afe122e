package export

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// testCompanyKey is a key with characters a shell would expand if the
// command quoted it badly; real keys are letters and digits.
const testCompanyKey = "ck_Test-9f3a$HOME`id`%s'x"

const testSessionToken = `"47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc"`

// beginRecorder is a loopback begin/ endpoint that keeps what it received.
type beginRecorder struct {
	mu       sync.Mutex
	requests []recordedRequest
}

type recordedRequest struct {
	method, path, contentType string
	body                      []byte
}

func (rec *beginRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.requests = append(rec.requests, recordedRequest{r.Method, r.URL.Path, r.Header.Get("Content-Type"), body})
	rec.mu.Unlock()
	io.WriteString(w, testSessionToken)
}

func (rec *beginRecorder) received() []recordedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recordedRequest(nil), rec.requests...)
}

func newBeginServer(t *testing.T) (*beginRecorder, *httptest.Server) {
	t.Helper()
	rec := &beginRecorder{}
	srv := httptest.NewServer(rec) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return rec, srv
}

// runScript runs a command with sh, with only PATH, a scratch HOME (no
// .curlrc) and the given extra variables in its environment (no proxy).
func runScript(t *testing.T, script string, env ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runScriptWith(t, "sh", script, env...)
}

// runScriptWith is runScript with a given shell.
func runScriptWith(t *testing.T, shell, script string, env ...string) (stdout, stderr string, err error) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "begin.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shell, path)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func TestCurlSendsThePayloadWithTheKeyFromTheEnvironment(t *testing.T) {
	configs := shippedConfigs(t)
	configs = append(configs,
		namedConfig{"tricky", readConfig(t, filepath.Join("testdata", "tricky-config.json"))},
		namedConfig{"no flags, odd numbers", parseConfig(t, `{"config_id": "65f1c0ffee0000000000beef", "x": [1.0, -2e-3, 0]}`)},
	)
	for _, nc := range configs {
		t.Run(nc.name, func(t *testing.T) {
			rec, srv := newBeginServer(t)
			script := Curl(nc.c, srv.URL)
			stdout, stderr, err := runScript(t, script, "IDENTOMAT_COMPANY_KEY="+testCompanyKey)
			if err != nil {
				t.Fatalf("command failed: %v\nstderr: %s\nscript:\n%s", err, stderr, script)
			}
			if stdout != testSessionToken+"\n" {
				t.Errorf("stdout = %q, want the token and a newline", stdout)
			}
			reqs := rec.received()
			if len(reqs) != 1 {
				t.Fatalf("server got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != http.MethodPost || r.path != "/begin/" || r.contentType != "application/json" {
				t.Errorf("got %s %s (Content-Type %q), want POST /begin/ (application/json)", r.method, r.path, r.contentType)
			}
			// Byte for byte the exported payload, with the key in place of
			// the placeholder.
			want := bytes.Replace(Payload(nc.c), []byte(`"`+KeyPlaceholder+`"`), []byte(`"`+testCompanyKey+`"`), 1)
			if !bytes.Equal(r.body, want) {
				t.Errorf("body differs from the payload\n got: %s\nwant: %s", r.body, want)
			}
			got := checkPayload(t, r.body, testCompanyKey)
			if !flow.Equal(got, wantSent(nc.c)) {
				t.Errorf("body is not the config:\n%s", r.body)
			}
		})
	}
}

func TestCurlKeepsShellCharactersLiteral(t *testing.T) {
	for _, shell := range []string{"sh", "bash", "zsh", "dash"} {
		t.Run(shell, func(t *testing.T) {
			if _, err := exec.LookPath(shell); err != nil {
				t.Skipf("%s is not installed", shell)
			}
			checkTrickyRun(t, shell)
		})
	}
}

func checkTrickyRun(t *testing.T, shell string) {
	c := readConfig(t, filepath.Join("testdata", "tricky-config.json"))
	rec, srv := newBeginServer(t)
	if _, stderr, err := runScriptWith(t, shell, Curl(c, srv.URL), "IDENTOMAT_COMPANY_KEY="+testCompanyKey); err != nil {
		t.Fatalf("command failed: %v\n%s", err, stderr)
	}
	reqs := rec.received()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	body, err := flow.ParseValue(reqs[0].body)
	if err != nil {
		t.Fatal(err)
	}
	wantName := "O'Brien \"quoted\" $HOME ${PATH} `id` $(id) \\ back\\slash \\n %s %n\nnew line\ttab ünïcødé 日本語 😀 \u2028 </script>"
	if got, _ := body.Get("name").Str(); got != wantName {
		t.Errorf("name = %q, want %q", got, wantName)
	}
	answer := body.Get("steps").Item(0).Get("questions").Item(0).Get("answer")
	if got, _ := answer.Str(); got != "$IDENTOMAT_COMPANY_KEY" {
		t.Errorf("a config text naming the variable was expanded: %q", got)
	}
	if got, _ := body.Get("IDENTOFLOW_CONFIG").Str(); got != "\nIDENTOFLOW_CONFIG\n" {
		t.Errorf("text equal to the here-document end changed: %q", got)
	}
	if got, _ := body.Get("company_key").Str(); got != testCompanyKey {
		t.Errorf("company_key = %q, want %q", got, testCompanyKey)
	}
}

func TestCurlWithoutKeySendsNothing(t *testing.T) {
	c, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string][]string{
		"unset": nil,
		"empty": {"IDENTOMAT_COMPANY_KEY="},
	} {
		t.Run(name, func(t *testing.T) {
			rec, srv := newBeginServer(t)
			_, stderr, err := runScript(t, Curl(c, srv.URL), env...)
			if err == nil {
				t.Fatal("command succeeded without a key")
			}
			if !strings.Contains(stderr, "set IDENTOMAT_COMPANY_KEY") {
				t.Errorf("stderr does not say what to set: %q", stderr)
			}
			if n := len(rec.received()); n != 0 {
				t.Errorf("server got %d requests, want none", n)
			}
		})
	}
}

func TestCurlQuotesTheBaseURL(t *testing.T) {
	c, err := flow.TemplateConfig("contact-check")
	if err != nil {
		t.Fatal(err)
	}
	rec, srv := newBeginServer(t)
	base := srv.URL + "/it's$HOME`id`/"
	if _, stderr, err := runScript(t, Curl(c, base), "IDENTOMAT_COMPANY_KEY=k1"); err != nil {
		t.Fatalf("command failed: %v\n%s", err, stderr)
	}
	reqs := rec.received()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	if want := "/it's$HOME`id`/begin/"; reqs[0].path != want {
		t.Errorf("path = %q, want %q", reqs[0].path, want)
	}
}

func TestCurlText(t *testing.T) {
	c, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ base, endpoint string }{
		{"", "'https://widget.identomat.com/begin/'"},
		{"https://widget.identomat.com/", "'https://widget.identomat.com/begin/'"},
		{"http://127.0.0.1:8790", "'http://127.0.0.1:8790/begin/'"},
	} {
		script := Curl(c, tt.base)
		for _, want := range []string{
			`: "${IDENTOMAT_COMPANY_KEY:?`,
			"curl -sS --fail-with-body -X POST " + tt.endpoint,
			"-H 'Content-Type: application/json'",
			"--data-binary @-",
			"cat <<'" + heredocEnd + "'\n",
		} {
			if !strings.Contains(script, want) {
				t.Errorf("base %q: command lacks %q:\n%s", tt.base, want, script)
			}
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":          "''",
		"plain":     "'plain'",
		"it's":      `'it'\''s'`,
		"$x `y` \\": "'$x `y` \\'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// A refused key or a server error fails the command, so a script taking
// its output as the token stops there; a secret in the environment gets a
// note that this command does not sign.
func TestCurlFailsOnHTTPErrors(t *testing.T) {
	c, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `"COMPANY_KEY_INVALID"`)
	}))
	t.Cleanup(srv.Close)
	stdout, stderr, err := runScript(t, Curl(c, srv.URL), "IDENTOMAT_COMPANY_KEY=k1", "IDENTOMAT_SECRET_KEY=s1")
	if err == nil {
		t.Fatalf("command succeeded on a 401; stdout %q", stdout)
	}
	if !strings.Contains(stdout, "COMPANY_KEY_INVALID") {
		t.Errorf("the server's answer is not shown: stdout %q stderr %q", stdout, stderr)
	}
	if !strings.Contains(stderr, "does not sign") {
		t.Errorf("no note about signing with a secret set: %q", stderr)
	}
}
