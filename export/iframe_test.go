package export

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

var (
	iframeTag   = regexp.MustCompile(`<iframe src="([^"<>]*)" allow="camera(?:; [a-z-]+)*"[^<>]*></iframe>`)
	originCheck = regexp.MustCompile(`\n    if \(e\.origin !== "((?:[^"\\\n]|\\.)*)"\) return;\n`)
	doneCheck   = regexp.MustCompile(`\n    if \(e\.data === 'DONE'\) \{\n`)
)

// jsString decodes the body of a double-quoted JavaScript string as
// template.JSEscapeString writes it.
func jsString(t *testing.T, body string) string {
	t.Helper()
	s, err := strconv.Unquote(`"` + strings.ReplaceAll(body, `\'`, `'`) + `"`)
	if err != nil {
		t.Fatalf("bad JavaScript string %q: %v", body, err)
	}
	return s
}

// snippetParts checks the snippet's shape and returns the iframe's src
// (HTML-unescaped) and the origin the listener accepts (JS-unescaped).
func snippetParts(t *testing.T, snippet string) (src, origin string) {
	t.Helper()
	for _, tag := range []string{"<iframe", "</iframe>", "<script>", "</script>"} {
		if n := strings.Count(strings.ToLower(snippet), tag); n != 1 {
			t.Fatalf("%d %s tags, want 1:\n%s", n, tag, snippet)
		}
	}
	m := iframeTag.FindStringSubmatch(snippet)
	if m == nil {
		t.Fatalf("no <iframe src=... allow=\"camera\">:\n%s", snippet)
	}
	o := originCheck.FindStringSubmatch(snippet)
	if o == nil {
		t.Fatalf("no exact origin check:\n%s", snippet)
	}
	if !doneCheck.MatchString(snippet) {
		t.Fatalf("no e.data === 'DONE' check:\n%s", snippet)
	}
	if !(strings.Index(snippet, o[0]) < strings.Index(snippet, "e.data === 'DONE'")) {
		t.Fatalf("the origin is checked after the data:\n%s", snippet)
	}
	if !strings.Contains(snippet, "Handle the result here") || !strings.Contains(snippet, "external-api/result/") {
		t.Errorf("the snippet does not say where to handle the result:\n%s", snippet)
	}
	return html.UnescapeString(m[1]), jsString(t, o[1])
}

func TestIframeOrigin(t *testing.T) {
	tests := []struct{ base, src, origin string }{
		{"", "https://widget.identomat.com/?session_token=SESSION_TOKEN", "https://widget.identomat.com"},
		{"https://widget.identomat.com", "https://widget.identomat.com/?session_token=SESSION_TOKEN", "https://widget.identomat.com"},
		{" https://widget.identomat.com/ ", "https://widget.identomat.com/?session_token=SESSION_TOKEN", "https://widget.identomat.com"},
		{"widget.identomat.com", "https://widget.identomat.com/?session_token=SESSION_TOKEN", "https://widget.identomat.com"},
		{"HTTPS://Widget.Example.COM:443/kyc/", "https://Widget.Example.COM:443/kyc/?session_token=SESSION_TOKEN", "https://widget.example.com"},
		{"http://127.0.0.1:8790", "http://127.0.0.1:8790/?session_token=SESSION_TOKEN", "http://127.0.0.1:8790"},
		{"http://localhost:80/", "http://localhost:80/?session_token=SESSION_TOKEN", "http://localhost"},
		{"https://example.com:8443", "https://example.com:8443/?session_token=SESSION_TOKEN", "https://example.com:8443"},
		{"http://[::1]:8790/", "http://[::1]:8790/?session_token=SESSION_TOKEN", "http://[::1]:8790"},
		{"https://user:hunter2@example.com/", "https://example.com/?session_token=SESSION_TOKEN", "https://example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			snippet := Iframe(nil, tt.base)
			src, origin := snippetParts(t, snippet)
			if src != tt.src {
				t.Errorf("src = %q, want %q", src, tt.src)
			}
			if origin != tt.origin {
				t.Errorf("origin = %q, want %q", origin, tt.origin)
			}
			if strings.Contains(snippet, "hunter2") {
				t.Errorf("the snippet holds the base URL's password:\n%s", snippet)
			}
			if strings.Contains(snippet, "not an absolute http(s) URL") {
				t.Errorf("a valid base was reported as invalid")
			}
		})
	}
}

func TestIframeEscapesOddBaseURLs(t *testing.T) {
	base := `https://widget.example.com/a"b<c>'d&e</script><!--x/`
	snippet := Iframe(nil, base)
	src, origin := snippetParts(t, snippet)
	if origin != "https://widget.example.com" {
		t.Errorf("origin = %q", origin)
	}
	u, err := url.Parse(src)
	if err != nil {
		t.Fatalf("src %q: %v", src, err)
	}
	if want := `/a"b<c>'d&e</script><!--x/`; u.Path != want {
		t.Errorf("src path = %q, want %q", u.Path, want)
	}
	if got := u.Query().Get("session_token"); got != TokenPlaceholder {
		t.Errorf("session_token = %q", got)
	}
	if strings.Count(snippet, "<!--") != 1 {
		t.Errorf("an HTML comment opener leaked from the base URL:\n%s", snippet)
	}
}

func TestIframeRefusesNonHTTPBases(t *testing.T) {
	for _, base := range []string{
		"javascript:alert(1)",
		"javascript://%0aalert(1)",
		"data:text/html,<script>alert(1)</script>",
		"ftp://example.com/",
		`https://exa mple.com/"><script>alert(1)</script>`,
	} {
		t.Run(base, func(t *testing.T) {
			snippet := Iframe(nil, base)
			src, origin := snippetParts(t, snippet)
			if origin != "https://widget.identomat.com" || src != "https://widget.identomat.com/?session_token=SESSION_TOKEN" {
				t.Errorf("src %q, origin %q: want the vendor's widget", src, origin)
			}
			if !strings.Contains(snippet, "not an absolute http(s) URL") {
				t.Errorf("the snippet does not say the base was replaced:\n%s", snippet)
			}
			if strings.Contains(snippet, "alert") {
				t.Errorf("the snippet holds the bad base:\n%s", snippet)
			}
		})
	}
}

func TestIframeEscapesOddHosts(t *testing.T) {
	// url.Parse accepts these hosts; their quotes, angle brackets,
	// ampersands and line separators reach the page only escaped.
	for base, wantOrigin := range map[string]string{
		`https://a'b"c<e>&f=/</script>`: `https://a'b"c<e>&f=`,
		"https://x\u2028y.example":      "https://x\u2028y.example",
	} {
		t.Run(base, func(t *testing.T) {
			snippet := Iframe(nil, base)
			src, origin := snippetParts(t, snippet)
			if origin != wantOrigin {
				t.Errorf("origin = %q, want %q", origin, wantOrigin)
			}
			u, err := url.Parse(src)
			if err != nil || u.Host != wantOrigin[len("https://"):] {
				t.Errorf("src = %q (%v)", src, err)
			}
			if strings.Contains(snippet, "\u2028") {
				t.Errorf("a raw line separator reached the script:\n%s", snippet)
			}
		})
	}
}

// The iframe is allowed what the flow's steps use, and a flow that
// redirects says so.
func TestIframeFollowsTheFlow(t *testing.T) {
	for name, want := range map[string]string{
		"basic-kyc":     `allow="camera"`,
		"video-kyc":     `allow="camera; microphone"`,
		"contact-check": `allow="camera; geolocation"`,
	} {
		c, err := flow.TemplateConfig(name)
		if err != nil {
			t.Fatal(err)
		}
		snippet := Iframe(c, "")
		snippetParts(t, snippet)
		if !strings.Contains(snippet, want) {
			t.Errorf("%s: snippet lacks %s:\n%s", name, want, snippet)
		}
		if strings.Contains(snippet, "return_url") {
			t.Errorf("%s: a flow without return_url is said to redirect", name)
		}
	}
	c, err := flow.Parse([]byte(`{"flags": {"return_url": "https://example.com/done"}, "steps": [{"type": "liveness"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if snippet := Iframe(c, ""); !strings.Contains(snippet, "This flow sets return_url") {
		t.Errorf("a redirecting flow is not said to redirect:\n%s", snippet)
	}
	c, err = flow.Parse([]byte(`{"flags": {"return_url": null}, "steps": [{"type": "liveness"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if snippet := Iframe(c, ""); strings.Contains(snippet, "return_url") {
		t.Errorf("return_url null (the iframe default) is said to redirect:\n%s", snippet)
	}
}
