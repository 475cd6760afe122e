package sandbox

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"strings"
	"sync"
)

// The pages' only style and scripts live in assets/ and are put inline;
// the Content-Security-Policy allows exactly these by hash, so nothing
// else can run or style a page, and every flow text goes through
// html/template's escaping. html/template drops comments from inline
// scripts and styles, so the assets have none: the hashes are of the
// text as sent.
//
// walk.js shows and hides the questions that depend on other answers as
// they change (without it the page comes back with them after it is
// sent), and a shareholder's person or company fields as chosen.

//go:embed assets/page.css assets/walk.js assets/done.js assets/pages.html
var assets embed.FS

func asset(name string) string {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

var (
	pageStyle  = asset("page.css")
	walkScript = asset("walk.js")
	pageScript = asset("done.js") // tells the embedding frame the session is done
)

// CSP source expressions for the style and the scripts above.
var (
	pageStyleHash  = cspHash(pageStyle)
	walkScriptHash = cspHash(walkScript)
	pageScriptHash = cspHash(pageScript)
)

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// pageTemplates are parsed once, when the first page is written rather
// than when the program starts: every command links this package, and
// most never serve a page. html/template escapes every value.
var pageTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("pages").Funcs(template.FuncMap{"withWords": pairWords}).Parse(strings.NewReplacer(
		"/*STYLE*/", pageStyle,
		"/*WALKJS*/", walkScript,
		"/*DONEJS*/", pageScript,
	).Replace(asset("pages.html"))))
})

// pageCSP is the policy of every page: its own style and scripts, forms
// posted to the sandbox (and to return_url's origin, where the outcome
// form's redirect goes), nothing loaded from anywhere.
func pageCSP(returnURL string) string {
	return "default-src 'none'; style-src '" + pageStyleHash + "'; script-src '" + walkScriptHash + "' '" + pageScriptHash +
		"'; img-src 'none'; form-action " + formTargets(returnURL) + "; base-uri 'none'"
}
