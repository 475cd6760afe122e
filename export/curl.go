package export

import (
	"bytes"
	"strings"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// heredocEnd ends the here-document holding the config. Marshal writes
// every line but the last "}" indented and never puts a raw newline inside
// a string, so no line of the JSON can equal it.
const heredocEnd = "IDENTOFLOW_CONFIG"

// Curl returns a POSIX shell command that creates a session from c with
// curl: POST {baseURL}/begin/ with the begin/ body as JSON. It needs only
// sh and curl. The company key is read from IDENTOMAT_COMPANY_KEY when the
// command runs and is never part of the text; without it the command stops
// with a message before sending anything. The key is written into the JSON
// as it is, which holds for the vendor's keys (letters and digits, never a
// quote, backslash or control character). An empty baseURL means the
// vendor's default.
//
// The config goes into a quoted here-document, so the shell expands
// nothing in it ($, backticks, quotes and backslashes in the flow's texts
// reach curl unchanged); only the key line is built by printf.
func Curl(c *flow.Config, baseURL string) string {
	if baseURL == "" {
		baseURL = api.DefaultBaseURL
	}
	endpoint := strings.TrimRight(baseURL, "/") + "/begin/"

	// The body without the key: "{\n" followed by the members. printf writes
	// the opening brace and the key line in its place.
	body := beginBody(c, "")
	body.Delete("company_key")
	rest := bytes.TrimPrefix(flow.Marshal(body), []byte("{\n"))

	var b strings.Builder
	b.WriteString("# Creates an Identomat session from this flow; prints the session token.\n")
	b.WriteString("# Set IDENTOMAT_COMPANY_KEY first: the key is read when this runs and is\n")
	b.WriteString("# inserted as is (company keys are letters and digits). An HTTP error\n")
	b.WriteString("# status makes the command fail.\n")
	b.WriteString(`: "${IDENTOMAT_COMPANY_KEY:?set IDENTOMAT_COMPANY_KEY to your Identomat company key}" &&` + "\n")
	b.WriteString(`{ [ -z "${IDENTOMAT_SECRET_KEY:-}" ] || echo 'note: this command does not sign the request (HMAC); identoflow begin does' >&2; } &&` + "\n")
	b.WriteString("{\n")
	b.WriteString(`  printf '{\n  "company_key": "%s",\n' "$IDENTOMAT_COMPANY_KEY"` + "\n")
	b.WriteString("  cat <<'" + heredocEnd + "'\n")
	b.Write(rest)
	b.WriteString(heredocEnd + "\n")
	b.WriteString("} | curl -sS --fail-with-body -X POST " + shellQuote(endpoint) + " \\\n")
	b.WriteString("  -H 'Content-Type: application/json' \\\n")
	b.WriteString("  --data-binary @- \\\n")
	b.WriteString("  -w '\\n'\n")
	return b.String()
}

// shellQuote quotes s as one POSIX shell word: single quotes keep
// everything literal; each single quote in s ends the quoted part, is
// written escaped with a backslash, and the quoting resumes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
