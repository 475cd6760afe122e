package export

import (
	"html/template"
	"net/url"
	"strings"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// TokenPlaceholder stands for the session token in the iframe snippet: the
// page's server puts the token it got from begin/ in its place.
const TokenPlaceholder = "SESSION_TOKEN"

// Iframe returns an HTML snippet that embeds the widget at widgetBase (the
// vendor's default when "") for the flow c and listens for its completion
// message. The iframe is allowed the camera, and also the microphone when
// the flow has a video call and the location when it has a geolocation
// step. The
// listener accepts a message only from the widget's exact origin (scheme,
// lower-case host, and port unless it is the scheme's default, as browsers
// report it in MessageEvent.origin), and only the data 'DONE'. Every value
// taken from widgetBase is escaped for where it lands: the src attribute
// as HTML, the origin and the result URL as JavaScript string text. A base
// that is not an http(s) URL is replaced by the vendor's, with a note in
// the snippet.
func Iframe(c *flow.Config, widgetBase string) string {
	w, fallback := widgetURLs(widgetBase)
	var b strings.Builder
	if fallback {
		b.WriteString("<!-- The widget base URL given is not an absolute http(s) URL; this snippet uses " + api.DefaultBaseURL + ". -->\n")
	}
	b.WriteString(`<!-- Identomat verification widget. Your server creates the session with
     begin/ and writes its token in place of ` + TokenPlaceholder + ` (a token is valid
     for 15 minutes). -->
`)
	if redirects(c) {
		b.WriteString(`<!-- This flow sets return_url: when it ends the widget goes to that page
     (with ?session_token=...) rather than posting DONE to this one. -->
`)
	}
	b.WriteString(`<iframe src="` + template.HTMLEscapeString(w.src) + `" allow="` + allowList(c) + `" width="100%" height="720" style="border: 0"></iframe>` + "\n")
	b.WriteString(`<script>
  window.addEventListener("message", function (e) {
    // Only the widget may say the flow is finished: ignore every other origin.
    if (e.origin !== "` + template.JSEscapeString(w.origin) + `") return;
    if (e.data === 'DONE') {
      // Handle the result here. The person has finished: tell your server,
      // which fetches the outcome with POST ` + template.JSEscapeString(w.result) + `
      // (company_key and session_token). Never from the browser: that call
      // needs the company key.
    }
  });
</script>
`)
	return b.String()
}

// widgetLinks are the URLs the snippet names.
type widgetLinks struct {
	src    string // the widget page for one session
	origin string // what the browser reports as the widget's origin
	result string // the result endpoint the company's server calls
}

// widgetURLs derives the snippet's URLs from the widget base: a bare host
// is taken as https, and any user:password part is left out (browsers
// refuse it in embedded pages). A base that is still not an absolute
// http(s) URL cannot be embedded safely (a javascript: URL would run in the
// page), so the vendor's default is used and fallback says so.
func widgetURLs(base string) (links widgetLinks, fallback bool) {
	base = strings.TrimSpace(base)
	if base == "" {
		base = api.DefaultBaseURL
	}
	if !strings.Contains(base, "://") {
		base = "https://" + base
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		links, _ = widgetURLs(api.DefaultBaseURL)
		return links, true
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	if port := u.Port(); port != "" && !(u.Scheme == "https" && port == "443") && !(u.Scheme == "http" && port == "80") {
		host += ":" + port
	}
	origin := u.Scheme + "://" + host

	page := url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimRight(u.Path, "/") + "/", RawQuery: "session_token=" + TokenPlaceholder}
	result := url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimRight(u.Path, "/") + "/external-api/result/"}
	return widgetLinks{src: page.String(), origin: origin, result: result.String()}, false
}

// allowList is the iframe's permissions policy for the flow's steps.
func allowList(c *flow.Config) string {
	allow := []string{"camera"}
	if c == nil {
		return allow[0]
	}
	var call, location bool
	c.WalkSteps(func(_ flow.StepPath, s flow.Step) {
		switch s.Type() {
		case "video-call":
			call = true
		case "geolocation":
			location = true
		}
	})
	if call {
		allow = append(allow, "microphone")
	}
	if location {
		allow = append(allow, "geolocation")
	}
	return strings.Join(allow, "; ")
}

// redirects reports a flow that sends the browser to its return_url when
// done (null or "" means the iframe default: a DONE message).
func redirects(c *flow.Config) bool {
	if c == nil {
		return false
	}
	url, _ := c.Flag("return_url").Str()
	return url != ""
}
