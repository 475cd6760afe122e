package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
)

// The page's only style and script. The Content-Security-Policy allows
// exactly these by hash, so nothing else can run or style the page.
const (
	pageStyle = `:root{color-scheme:light dark;--fg:#1b1f24;--bg:#f4f5f7;--card:#fff;--muted:#59616c;--line:#d5dae1}
@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--bg:#121417;--card:#1c1f24;--muted:#a3abb6;--line:#353b44}}
*{box-sizing:border-box}
body{margin:0;font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:34rem;margin:0 auto;padding:1rem}
.banner{background:#b45309;color:#fff;font-weight:800;letter-spacing:.3em;text-align:center;padding:.7rem;border-radius:.6rem;font-size:1.15rem}
.note{color:var(--muted);font-size:.9rem}
h1{font-size:1.35rem;margin:1.1rem 0 .3rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:0 0 .4rem;color:var(--muted);text-transform:uppercase;letter-spacing:.08em}
.card{background:var(--card);border:1px solid var(--line);border-radius:.8rem;padding:1rem;margin:1rem 0}
ol{margin:.2rem 0;padding-left:1.6rem}
li{margin:.45rem 0}
li ol{border-left:3px solid var(--line);margin:.3rem 0 .3rem -.4rem;padding-left:1.7rem}
.title{font-weight:600;overflow-wrap:anywhere}
.type{display:block;color:var(--muted);font:.8rem ui-monospace,SFMono-Regular,Menlo,monospace}
button{display:block;width:100%;min-height:3.4rem;margin:.7rem 0;font:inherit;font-weight:700;font-size:1.1rem;border:0;border-radius:.7rem;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
.approve{background:#15803d}.manual{background:#1d4ed8}.reject{background:#b91c1c}
label{display:block;font-size:.9rem;color:var(--muted);margin-top:1rem}
select{width:100%;min-height:3rem;margin-top:.3rem;font:inherit;padding:.4rem;border-radius:.6rem;border:1px solid var(--line);background:var(--card);color:var(--fg)}
.outcome{font-size:1.3rem;font-weight:700}`

	pageScript = `window.parent.postMessage('DONE', '*');`
)

// CSP source expressions for the style and the script above.
var (
	pageStyleHash  = cspHash(pageStyle)
	pageScriptHash = cspHash(pageScript)
)

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// pageTemplates are parsed once; html/template escapes every value.
var pageTemplates = template.Must(template.New("layout").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>SANDBOX · {{.Title}}</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main>
<div class="banner" role="banner">SANDBOX</div>
{{block "content" .}}{{end}}
</main>
{{if .Done}}<script>` + pageScript + `</script>{{end}}
</body>
</html>
`))

var sessionPage = template.Must(template.Must(pageTemplates.Clone()).Parse(`
{{define "steps"}}{{range .}}<li><span class="title" dir="auto">{{.Title}}</span><span class="type">{{.Type}}</span>{{if .Nested}}
<ol>{{template "steps" .Nested}}</ol>{{end}}</li>
{{end}}{{end}}
{{define "content"}}
<p class="note">Offline emulator of the verification widget: no camera, no documents, nothing leaves this computer. Pick the outcome this session reports.</p>
<h1 dir="auto">{{.Heading}}</h1>
<p class="note">Language: {{.LangName}} ({{.Lang}}) · token valid for {{.Remaining}} more</p>
<section class="card" lang="{{.Lang}}">
<h2>Steps</h2>
{{if .Steps}}<ol>
{{template "steps" .Steps}}</ol>
{{else if .ConfigID}}<p>The steps come from the saved configuration <code>{{.ConfigID}}</code>, which the sandbox cannot see.</p>
{{else}}<p>No steps.</p>
{{end}}</section>
<form class="card" method="post" action="{{.Action}}">
<input type="hidden" name="session_token" value="{{.Token}}">
<button class="approve" type="submit" name="outcome" value="approved">Approve</button>
<button class="manual" type="submit" name="outcome" value="manual_check">Manual check</button>
<label for="reason">Reason, if rejected</label>
<select id="reason" name="reason">{{range .Reasons}}
<option value="{{.Value}}">{{.Description}}</option>{{end}}
</select>
<button class="reject" type="submit" name="outcome" value="rejected">Reject</button>
</form>
<p class="note">{{if .ReturnURL}}Afterwards the browser returns to <code>{{.ReturnURL}}</code> with the session token.{{else}}Afterwards the page posts DONE to the frame that embeds it.{{end}}</p>
{{end}}`))

var messagePage = template.Must(template.Must(pageTemplates.Clone()).Parse(`
{{define "content"}}
<h1>{{.Heading}}</h1>
{{if .Outcome}}<p class="card outcome">{{.Outcome}}</p>{{end}}
{{range .Lines}}<p>{{.}}</p>
{{end}}{{end}}`))

// sessionView is what the session page shows.
type sessionView struct {
	Title, Heading string
	Lang, LangName string
	Remaining      string
	Steps          []pageStep
	ConfigID       string
	Token          string
	Action         string
	Reasons        []RejectReason
	ReturnURL      string
	Done           bool // always false: the session page runs no script
}

// messageView is a done, error or information page. Done adds the script
// that tells the embedding frame the session is finished.
type messageView struct {
	Title, Heading string
	Outcome        string
	Lines          []string
	Done           bool
}
