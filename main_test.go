package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui"
)

// Test credentials: long and distinctive, so that finding one in the
// output means it leaked.
const (
	testKey    = "ck9f8e7d6c5b4a39281706f5e4d3c2b1a0test"
	testSecret = "sk9a8b7c6d5e4f30211203f4e5d6c7b8a9test"
)

// cli runs the command in-process with exactly the given environment.
type cli struct {
	env      map[string]string
	stdin    io.Reader
	secrets  []string // besides the keys in env, values that must never be printed
	terminal bool     // standard output is taken for an 80×24 terminal
}

type outcome struct {
	code           int
	stdout, stderr string
}

// run runs identoflow with args and fails the test if any credential
// reaches standard output or standard error.
func (c cli) run(t testing.TB, args ...string) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	stdin := c.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	e := env{stdin: stdin, stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return c.env[k] }}
	if c.terminal {
		e.terminal = func(w io.Writer) bool { return w == &stdout }
	}
	code := run(args, e)
	o := outcome{code: code, stdout: stdout.String(), stderr: stderr.String()}
	for _, s := range append([]string{c.env["IDENTOMAT_COMPANY_KEY"], c.env["IDENTOMAT_SECRET_KEY"]}, c.secrets...) {
		if s != "" && (strings.Contains(o.stdout, s) || strings.Contains(o.stderr, s)) {
			t.Errorf("identoflow %s printed a credential:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), o.stdout, o.stderr)
		}
	}
	return o
}

// want fails the test unless the exit code is code.
func (o outcome) want(t testing.TB, code int, args ...string) {
	t.Helper()
	if o.code != code {
		t.Fatalf("identoflow %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), o.code, code, o.stdout, o.stderr)
	}
}

// runWant runs and checks the exit code.
func (c cli) runWant(t testing.TB, code int, args ...string) outcome {
	t.Helper()
	o := c.run(t, args...)
	o.want(t, code, args...)
	return o
}

// goldenName stores golden files under testdata/golden rather than under
// the test's name.
type goldenName struct {
	testing.TB
	name string
}

func (g goldenName) Name() string { return g.name }

func glob(t *testing.T, pattern string, atLeast int) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) < atLeast {
		t.Fatalf("%s: %d files (%v), want at least %d", pattern, len(files), err, atLeast)
	}
	return files
}

// templateFiles writes every built-in template, as `templates NAME`
// prints it, into a temporary directory.
func templateFiles(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for _, tpl := range flow.Templates() {
		o := cli{}.runWant(t, 0, "templates", tpl.Name)
		name := filepath.Join(dir, tpl.Name+".json")
		if err := os.WriteFile(name, []byte(o.stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	if len(files) < 8 {
		t.Fatalf("%d templates, want at least 8", len(files))
	}
	return files
}

// The codes of SPEC §7 that are warnings: a file with only these is valid
// unless --strict.
var warningCodes = []string{"condition-order", "config-missing", "duplicate-step", "ignored-flag",
	"kyb-order", "localize", "missing-translation", "unknown-field", "unreachable"}

var (
	reportLine  = regexp.MustCompile(`^([^:]+):(\d+):(\d+):( /[^ ]*:)? (error|warning|info) ([a-z0-9-]+): (.+)$`)
	summaryLine = regexp.MustCompile(`^\d+ files?: \d+ valid, \d+ invalid \(\d+ errors?, \d+ warnings?, \d+ info\)$`)
	lineColumn  = regexp.MustCompile(`line \d+, column \d+`)
)

func TestValidateValidFiles(t *testing.T) {
	files := append(glob(t, "testdata/valid/*.json", 5), templateFiles(t)...)
	for _, f := range files {
		cli{}.runWant(t, 0, "validate", f)
		cli{}.runWant(t, 0, "validate", "--strict", f)
	}
	o := cli{}.runWant(t, 0, append([]string{"validate"}, files...)...)
	if !strings.Contains(o.stdout, "files: "+strconv.Itoa(len(files))+" valid, 0 invalid") {
		t.Errorf("summary of %d valid files:\n%s", len(files), o.stdout)
	}
}

func TestValidateInvalidFiles(t *testing.T) {
	for _, f := range glob(t, "testdata/invalid/*.json", 25) {
		code := strings.TrimSuffix(filepath.Base(f), ".json")
		severity, exit := "error", 1
		if slices.Contains(warningCodes, code) {
			severity, exit = "warning", 0
		}
		t.Run(code, func(t *testing.T) {
			o := cli{}.runWant(t, exit, "validate", f)
			if !strings.Contains(o.stdout, ": "+severity+" "+code+": ") {
				t.Errorf("no %s %s in:\n%s", severity, code, o.stdout)
			}
			cli{}.runWant(t, 1, "validate", "--strict", f)
		})
	}
}

func TestValidateNotJSON(t *testing.T) {
	o := cli{}.runWant(t, 1, "validate", "testdata/invalid/json-syntax.json")
	if !strings.Contains(o.stdout, "testdata/invalid/json-syntax.json:5:3: error json-syntax: ") || !lineColumn.MatchString(o.stdout) {
		t.Errorf("not-JSON report lacks json-syntax with line and column:\n%s", o.stdout)
	}
	o = cli{}.runWant(t, 1, "validate", "testdata/cli/not-object.json")
	if !strings.Contains(o.stdout, "error json-syntax: line 3, column 3: ") || !strings.Contains(o.stdout, "object") {
		t.Errorf("not-an-object report:\n%s", o.stdout)
	}
	for _, in := range []string{"[1, 2]", "", "null", `{"steps": [}`} {
		o = cli{stdin: strings.NewReader(in)}.runWant(t, 1, "validate", "-")
		if !regexp.MustCompile(`^<stdin>:\d+:\d+: error json-syntax: line `).MatchString(o.stdout) {
			t.Errorf("stdin %q:\n%s", in, o.stdout)
		}
	}
}

func TestValidateStdin(t *testing.T) {
	data, err := os.ReadFile("testdata/valid/kyc-basic.json")
	if err != nil {
		t.Fatal(err)
	}
	o := cli{stdin: bytes.NewReader(data)}.runWant(t, 0, "validate", "-")
	if !strings.Contains(o.stdout, "1 file: 1 valid") {
		t.Errorf("stdin report:\n%s", o.stdout)
	}
	o = cli{stdin: strings.NewReader(`{"steps": [{"type": "selfie"}]}`)}.runWant(t, 1, "validate", "-")
	if !strings.Contains(o.stdout, "<stdin>:1:21: /steps/0/type: error unknown-step-type: ") {
		t.Errorf("stdin report:\n%s", o.stdout)
	}
}

func TestValidateUnreadable(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(flow.MaxFileSize + 1); err != nil { // sparse: cheap to make
		t.Fatal(err)
	}
	f.Close()
	cases := []struct{ name, file, message string }{
		{"missing", filepath.Join(dir, "missing.json"), "no such file"},
		{"directory", dir, "directory"},
		{"too large", big, "larger than 16 MiB"},
	}
	for _, c := range cases {
		o := cli{}.runWant(t, 2, "validate", c.file)
		if !strings.HasPrefix(o.stdout, c.file+": ") || !strings.Contains(o.stdout, c.message) {
			t.Errorf("%s: report lacks %q:\n%s", c.name, c.message, o.stdout)
		}
	}
	huge := io.LimitReader(infiniteSpaces{}, flow.MaxFileSize+10)
	o := cli{stdin: huge}.runWant(t, 2, "validate", "-")
	if !strings.Contains(o.stdout, "<stdin>: ") || !strings.Contains(o.stdout, "larger than 16 MiB") {
		t.Errorf("huge stdin:\n%s", o.stdout)
	}

	t.Run("no permission", func(t *testing.T) {
		if runtime.GOOS == "windows" || os.Geteuid() == 0 {
			t.Skip("file modes do not stop this user from reading")
		}
		locked := filepath.Join(dir, "locked.json")
		if err := os.WriteFile(locked, []byte("{}"), 0o000); err != nil {
			t.Fatal(err)
		}
		o := cli{}.runWant(t, 2, "validate", locked)
		if !strings.Contains(o.stdout, locked+": permission denied") {
			t.Errorf("report:\n%s", o.stdout)
		}
		o = cli{}.runWant(t, 2, "validate", "--format", "json", locked)
		var rep struct{ Files []map[string]any }
		if err := json.Unmarshal([]byte(o.stdout), &rep); err != nil || len(rep.Files) != 1 ||
			rep.Files[0]["valid"] != false || rep.Files[0]["error"] != "permission denied" {
			t.Errorf("JSON report of an unreadable file (%v):\n%s", err, o.stdout)
		}
	})
}

type infiniteSpaces struct{}

func (infiniteSpaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestValidateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"validate"},
		{"validate", "--format", "xml", "testdata/valid/kyc-basic.json"},
		{"validate", "--colour", "testdata/valid/kyc-basic.json"},
	} {
		o := cli{}.runWant(t, 2, args...)
		if o.stdout != "" || !strings.HasPrefix(o.stderr, "identoflow: ") {
			t.Errorf("%v: want only a message on stderr\nstdout:\n%s\nstderr:\n%s", args, o.stdout, o.stderr)
		}
	}
}

func TestValidateExitIsTheWorst(t *testing.T) {
	const valid, warned, invalid, missing = "testdata/valid/kyc-basic.json", "testdata/invalid/localize.json",
		"testdata/invalid/enum.json", "testdata/cli/missing.json"
	cases := []struct {
		files []string
		code  int
	}{
		{[]string{valid, warned}, 0},
		{[]string{valid, invalid, warned}, 1},
		{[]string{invalid, valid}, 1},
		{[]string{missing, invalid, valid}, 2},
		{[]string{valid, invalid, missing}, 2},
	}
	for _, c := range cases {
		o := cli{}.runWant(t, c.code, append([]string{"validate"}, c.files...)...)
		for _, f := range c.files {
			if f != valid && !strings.Contains(o.stdout, f+":") {
				t.Errorf("report of %v does not name %s:\n%s", c.files, f, o.stdout)
			}
		}
	}
	cli{}.runWant(t, 1, "validate", "--strict", valid, warned)
}

func TestValidateJSONFormat(t *testing.T) {
	files := []string{"testdata/valid/kyc-basic.json", "testdata/invalid/enum.json", "testdata/invalid/localize.json", "testdata/cli/missing.json"}
	o := cli{}.runWant(t, 2, append([]string{"validate", "--format", "json"}, files...)...)
	var rep map[string][]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(o.stdout), &rep); err != nil || len(rep) != 1 || len(rep["files"]) != len(files) {
		t.Fatalf("not {\"files\":[one per file]} (%v):\n%s", err, o.stdout)
	}
	type diag struct{ Severity, Code, Path, Message string }
	for i, obj := range rep["files"] {
		keys := sortedKeys(obj)
		wantKeys := []string{"diagnostics", "file", "valid"}
		if i == 3 {
			wantKeys = []string{"diagnostics", "error", "file", "valid"}
		}
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("file %d has keys %v, want %v", i, keys, wantKeys)
		}
		var file string
		var valid bool
		var diagObjs []map[string]json.RawMessage
		var diags []diag
		if json.Unmarshal(obj["file"], &file) != nil || json.Unmarshal(obj["valid"], &valid) != nil ||
			json.Unmarshal(obj["diagnostics"], &diagObjs) != nil || json.Unmarshal(obj["diagnostics"], &diags) != nil || diagObjs == nil {
			t.Fatalf("file %d: wrong member types:\n%s", i, o.stdout)
		}
		if file != files[i] || valid != (i == 0 || i == 2) {
			t.Errorf("file %d: file %q valid %v", i, file, valid)
		}
		for _, d := range diagObjs {
			if k := sortedKeys(d); !slices.Equal(k, []string{"code", "column", "line", "message", "path", "severity"}) {
				t.Errorf("diagnostic keys %v", k)
			}
		}
		codes := map[int]string{1: "enum", 2: "localize"}
		if code := codes[i]; code != "" && !slices.ContainsFunc(diags, func(d diag) bool {
			return d.Code == code && strings.HasPrefix(d.Path, "/") && d.Message != "" && d.Severity != ""
		}) {
			t.Errorf("file %d: no %s diagnostic: %+v", i, code, diags)
		}
		if i == 3 && (string(obj["error"]) == `""` || len(diags) != 0) {
			t.Errorf("missing file: %s", o.stdout)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestValidateTextFormat(t *testing.T) {
	o := cli{}.runWant(t, 1, "validate", "testdata/invalid/type.json", "testdata/invalid/country-code.json", "testdata/valid/kyc-basic.json")
	lines := strings.Split(strings.TrimSuffix(o.stdout, "\n"), "\n")
	if len(lines) < 4 {
		t.Fatalf("report:\n%s", o.stdout)
	}
	for _, l := range lines[:len(lines)-1] {
		if !reportLine.MatchString(l) {
			t.Errorf("not file:line:column: path: severity code: message: %q", l)
		}
	}
	if last := lines[len(lines)-1]; !summaryLine.MatchString(last) || !strings.HasPrefix(last, "3 files: 1 valid, 2 invalid") {
		t.Errorf("summary line: %q", last)
	}
}

// Without a terminal, with NO_COLOR or on a dumb terminal, no escape
// sequence is written.
func TestNoColour(t *testing.T) {
	for _, tc := range []struct {
		noColor  string
		terminal bool
		want     bool
		term     string
	}{
		{"", true, true, "xterm"}, // the only case with colour
		{"1", true, false, "xterm"},
		{"", false, false, "xterm"},
		{"1", false, false, "xterm"},
		{"", true, false, "dumb"},
	} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"validate", "testdata/invalid/type.json"}, env{
			stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
			getenv:   func(k string) string { return map[string]string{"NO_COLOR": tc.noColor, "TERM": tc.term}[k] },
			terminal: func(io.Writer) bool { return tc.terminal },
		})
		if code != 1 {
			t.Fatalf("exit %d", code)
		}
		if got := strings.Contains(stdout.String(), "\x1b"); got != tc.want {
			t.Errorf("NO_COLOR=%q TERM=%s terminal=%v: colour %v, want %v:\n%q", tc.noColor, tc.term, tc.terminal, got, tc.want, stdout.String())
		}
	}
}

// A config can name members with control characters: the text report
// shows them escaped, never raw.
func TestValidateEscapesControlCharacters(t *testing.T) {
	in := `{"steps": [{"type": "liveness"}], "na\u001b]0;owned\u0007me": 1, "x\nfake.json: error forged": 2}`
	o := cli{stdin: strings.NewReader(in)}.runWant(t, 0, "validate", "-")
	if strings.ContainsAny(o.stdout, "\x1b\x07") || strings.Contains(o.stdout, "\nfake.json") {
		t.Errorf("raw control characters in the report:\n%q", o.stdout)
	}
	if !strings.Contains(o.stdout, `<stdin>:1:63: /na\x1b]0;owned\ame: warning unknown-field`) {
		t.Errorf("escaped path missing:\n%s", o.stdout)
	}
}

func TestValidateGolden(t *testing.T) {
	files := []string{"testdata/invalid/type.json", "testdata/invalid/country-code.json", "testdata/invalid/json-syntax.json",
		"testdata/invalid/unknown-step-type.json", "testdata/invalid/localize.json", "testdata/valid/saved-config-override.json",
		"testdata/cli/missing.json"}
	o := cli{}.runWant(t, 2, append([]string{"validate"}, files...)...)
	golden.RequireEqual(goldenName{t, "golden/validate-text"}, o.stdout)
	o = cli{}.runWant(t, 2, append([]string{"validate", "--format", "json"}, files...)...)
	golden.RequireEqual(goldenName{t, "golden/validate-json"}, o.stdout)
	o = cli{}.runWant(t, 1, "validate", "--strict", "testdata/invalid/localize.json", "testdata/invalid/kyb-order.json")
	golden.RequireEqual(goldenName{t, "golden/validate-strict-text"}, o.stdout)
}

// expectedPayload is the config's JSON value without "$schema", with the
// key placeholder and flags {} when absent.
func expectedPayload(t *testing.T, data []byte) *flow.Value {
	t.Helper()
	v, err := flow.ParseValue(data)
	if err != nil {
		t.Fatal(err)
	}
	v.Delete("$schema")
	v.Set("company_key", flow.NewString("$IDENTOMAT_COMPANY_KEY"), nil)
	if !v.Has("flags") {
		v.Set("flags", flow.NewObject(), nil)
	}
	return v
}

func TestExportPayload(t *testing.T) {
	files := append(glob(t, "testdata/valid/*.json", 5), "testdata/cli/no-flags.json")
	c := cli{env: map[string]string{"IDENTOMAT_COMPANY_KEY": testKey}}
	for _, f := range append(files, templateFiles(t)...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		o := c.runWant(t, 0, "export", f, "--as", "payload")
		got, err := flow.ParseValue([]byte(o.stdout))
		if err != nil {
			t.Fatalf("%s: payload is not JSON: %v\n%s", f, err, o.stdout)
		}
		if want := expectedPayload(t, data); !flow.Equal(got, want) {
			t.Errorf("%s: payload\n%s\nwant\n%s", f, o.stdout, flow.Marshal(want))
		}
		if m := got.Members(); len(m) == 0 || m[0].Name != "company_key" {
			t.Errorf("%s: company_key is not the first member", f)
		}
		if o2 := c.runWant(t, 0, "export", f); o2.stdout != o.stdout {
			t.Errorf("%s: --as payload is not the default", f)
		}
	}
}

func TestExportRefusesErrors(t *testing.T) {
	// The refusal lists the problems as validate does, with their line
	// and column, errors first.
	o := cli{}.runWant(t, 1, "export", "testdata/invalid/enum.json", "--as", "payload")
	if o.stdout != "" || !strings.Contains(o.stderr, "testdata/invalid/enum.json:14:11: /steps/0/flags/document_types/1: error enum: ") ||
		!strings.HasSuffix(o.stderr, "identoflow: testdata/invalid/enum.json has 1 error; fix the errors first\n") {
		t.Errorf("export of a file with errors:\nstdout:\n%s\nstderr:\n%s", o.stdout, o.stderr)
	}
	dir := t.TempDir()
	mixed := writeFile(t, dir, "mixed.json", `{"flags": {"language": "en"}, "steps": [
  {"type": "liveness", "title": "Selfie"},
  {"type": "identity_document"}]}`)
	o = cli{}.runWant(t, 1, "export", mixed)
	want := mixed + ":3:12: /steps/1/type: error unknown-step-type: "
	if lines := strings.Split(o.stderr, "\n"); !strings.HasPrefix(lines[0], want) || len(lines) != 5 ||
		!strings.HasPrefix(lines[1], mixed+":2:3: /steps/0: warning duplicate-step: ") ||
		!strings.HasPrefix(lines[2], mixed+":2:33: /steps/0/title: warning localize: ") ||
		lines[3] != "identoflow: "+mixed+" has 1 error, 2 warnings; fix the errors first" {
		t.Errorf("export of a file with an error and warnings, want errors first:\n%s", o.stderr)
	}
	// Warnings do not stop it; it says they are there.
	warned := writeFile(t, dir, "warned.json", `{"flags": {"language": "en", "skip_face": true}, "steps": [{"type": "liveness", "title": "Selfie"}]}`)
	if o := (cli{}).runWant(t, 0, "export", warned); o.stdout == "" || o.stderr != warned+" has 1 warning (not blocking; identoflow validate lists them)\n" {
		t.Errorf("export of a file with a warning:\n%s", o.stderr)
	}
	for _, as := range []string{"curl", "iframe"} {
		if o := (cli{}).runWant(t, 1, "export", "testdata/invalid/json-syntax.json", "--as", as); o.stdout != "" || !strings.Contains(o.stderr, "json-syntax") {
			t.Errorf("--as %s of a file that is not JSON:\n%s%s", as, o.stdout, o.stderr)
		}
	}
	cli{}.runWant(t, 2, "export", "testdata/cli/missing.json")
	// Warnings do not stop an export.
	cli{}.runWant(t, 0, "export", "testdata/invalid/localize.json", "--as", "payload")
}

func TestExportSchema(t *testing.T) {
	a := cli{}.runWant(t, 0, "schema")
	b := cli{}.runWant(t, 0, "export", "testdata/valid/kyc-basic.json", "--as", "schema")
	if a.stdout != b.stdout || a.stdout != string(export.Schema()) {
		t.Error("`schema` and `export --as schema` differ")
	}
	if want := "identoflow: note: testdata/valid/kyc-basic.json is not used with --as schema: the schema is the same for every config\n"; b.stderr != want {
		t.Errorf("a FILE with --as schema: stderr %q, want %q", b.stderr, want)
	}
	if a.stderr != "" {
		t.Errorf("schema without a FILE: stderr %q", a.stderr)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(a.stdout))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	comp := jsonschema.NewCompiler()
	const loc = "file:///identoflow.schema.json"
	if err := comp.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile(loc)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	for _, f := range glob(t, "testdata/valid/*.json", 5) {
		data, _ := os.ReadFile(f)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not match the schema: %v", f, err)
		}
	}
}

func TestExportCurlAndIframe(t *testing.T) {
	c := cli{env: map[string]string{"IDENTOMAT_COMPANY_KEY": testKey, "IDENTOMAT_BASE_URL": "http://127.0.0.1:8790"}}
	o := c.runWant(t, 0, "export", "testdata/valid/kyc-basic.json", "--as", "curl")
	for _, want := range []string{"curl ", "-X POST 'http://127.0.0.1:8790/begin/'", "$IDENTOMAT_COMPANY_KEY",
		"Content-Type: application/json", `"name": "Branch 12 walk-in"`} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("curl lacks %q:\n%s", want, o.stdout)
		}
	}
	if strings.Contains(o.stdout, "$schema") {
		t.Errorf("curl sends $schema:\n%s", o.stdout)
	}
	o = c.runWant(t, 0, "export", "testdata/valid/kyc-basic.json", "--as", "iframe", "--base-url", "https://widget.example.com")
	for _, want := range []string{`<iframe src="https://widget.example.com/?session_token=SESSION_TOKEN"`, `allow="camera"`,
		`e.origin !== "https://widget.example.com"`, `e.data === 'DONE'`} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("iframe lacks %q:\n%s", want, o.stdout)
		}
	}
	o = cli{}.runWant(t, 0, "export", "testdata/valid/kyc-basic.json", "--as", "iframe")
	if !strings.Contains(o.stdout, `e.origin !== "https://widget.identomat.com"`) {
		t.Errorf("iframe without a base URL:\n%s", o.stdout)
	}
	// A base URL that is not one is refused, not replaced; payload names none.
	for _, as := range []string{"curl", "iframe"} {
		o = cli{}.runWant(t, 2, "export", "testdata/valid/kyc-basic.json", "--as", as, "--base-url", "ftp://x")
		if !strings.Contains(o.stderr, "must be an absolute http or https URL") {
			t.Errorf("--as %s with a bad base URL: %q", as, o.stderr)
		}
	}
	cli{env: map[string]string{"IDENTOMAT_BASE_URL": "not a url"}}.runWant(t, 0, "export", "testdata/valid/kyc-basic.json", "--as", "payload")
	o = cli{}.runWant(t, 2, "export", "testdata/valid/kyc-basic.json", "--as", "yaml")
	if !strings.Contains(o.stderr, "--as") || o.stdout != "" {
		t.Errorf("bad --as:\n%s%s", o.stdout, o.stderr)
	}
}

func TestTemplates(t *testing.T) {
	o := cli{}.runWant(t, 0, "templates")
	line := regexp.MustCompile(`^([a-z0-9-]+) {2,}(\S.*)$`)
	lines := strings.Split(strings.TrimSuffix(o.stdout, "\n"), "\n")
	if len(lines) < 8 {
		t.Fatalf("%d templates listed, want at least 8:\n%s", len(lines), o.stdout)
	}
	for _, l := range lines {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not `NAME  description`: %q", l)
			continue
		}
		var rep struct {
			Files []struct {
				Diagnostics []struct{ Severity, Code string }
			}
		}
		path := filepath.Join(t.TempDir(), m[1]+".json")
		os.WriteFile(path, []byte(cli{}.runWant(t, 0, "templates", m[1]).stdout), 0o600)
		v := cli{}.runWant(t, 0, "validate", "--strict", "--format", "json", path)
		if err := json.Unmarshal([]byte(v.stdout), &rep); err != nil || len(rep.Files) != 1 {
			t.Fatalf("%s: %v\n%s", m[1], err, v.stdout)
		}
		for _, d := range rep.Files[0].Diagnostics {
			if d.Severity != "info" {
				t.Errorf("template %s: %s %s", m[1], d.Severity, d.Code)
			}
		}
	}
	o = cli{}.runWant(t, 2, "templates", "basic-kcy")
	if !strings.Contains(o.stderr, `did you mean "basic-kyc"`) || o.stdout != "" {
		t.Errorf("unknown template:\n%s%s", o.stdout, o.stderr)
	}
}

func TestVersion(t *testing.T) {
	o := cli{}.runWant(t, 0, "version")
	if !regexp.MustCompile(`^identoflow \S+( \(revision [0-9a-f]+(, modified)?\))?\n$`).MatchString(o.stdout) {
		t.Errorf("version: %q", o.stdout)
	}
	if v := (cli{}).runWant(t, 0, "--version"); v.stdout != o.stdout {
		t.Errorf("--version %q, version %q", v.stdout, o.stdout)
	}
}

// A build from a checkout (go install or go build in a clone) names the
// revision it was built from.
func TestVersionNamesTheRevision(t *testing.T) {
	const rev = "c117843d0a6f7b2e95a1c4d3e8f90b1a2c3d4e5f"
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified},
		}}
	}
	for _, c := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{vcs("false"), "v0.3.0 (revision " + rev + ")"},
		{vcs("true"), "v0.3.0 (revision " + rev + ", modified)"},
		{&debug.BuildInfo{}, "v0.3.0"}, // go install module@version: no VCS settings
		{nil, "v0.3.0"},
	} {
		if got := describeBuild("v0.3.0", c.bi); got != c.want {
			t.Errorf("describeBuild = %q, want %q", got, c.want)
		}
	}
}

// recorder is a stand-in vendor that records requests and gives each
// begin/ the answer of reply (a session token by default).
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
	types  []string
	status int
	reply  string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.bodies = append(rec.bodies, body)
	rec.types = append(rec.types, r.Header.Get("Content-Type"))
	if rec.status != 0 {
		w.WriteHeader(rec.status)
	}
	if rec.reply == "" {
		io.WriteString(w, `"0123456789abcdefghijklmnopqrstuvwxyz0123"`)
		return
	}
	io.WriteString(w, rec.reply)
}

func (rec *recorder) requests() [][]byte {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.bodies)
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

func sessionEnv(base string, secret bool) map[string]string {
	m := map[string]string{"IDENTOMAT_COMPANY_KEY": testKey, "IDENTOMAT_BASE_URL": base}
	if secret {
		m["IDENTOMAT_SECRET_KEY"] = testSecret
	}
	return m
}

const flowFile = "testdata/valid/kyc-basic.json"

var tokenRE = regexp.MustCompile(`^[a-z0-9]{40}$`)

// beginJSON creates a session with `begin --json` and checks its output.
func beginJSON(t *testing.T, c cli, base string) string {
	t.Helper()
	before := time.Now().Truncate(time.Second)
	o := c.runWant(t, 0, "begin", flowFile, "--json")
	after := time.Now()
	var out map[string]string
	if err := json.Unmarshal([]byte(o.stdout), &out); err != nil || len(out) != 3 {
		t.Fatalf("begin --json: want exactly three keys (%v):\n%s", err, o.stdout)
	}
	token := out["session_token"]
	expires, err := time.Parse(time.RFC3339, out["expires_at"])
	if !tokenRE.MatchString(token) || out["url"] != base+"/?session_token="+token || err != nil ||
		expires.Before(before.Add(15*time.Minute)) || expires.After(after.Add(15*time.Minute)) {
		t.Errorf("begin --json:\n%s", o.stdout)
	}
	return token
}

func TestBeginAndResultAgainstSandbox(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{SecretKey: testSecret}).Handler())
	c := cli{env: sessionEnv(base, true)}
	token := beginJSON(t, c, base)

	o := c.runWant(t, 0, "result", token)
	if !strings.HasPrefix(o.stdout, "In progress\n") {
		t.Errorf("result before the customer finished: %q", o.stdout)
	}
	// The customer goes through the pages; the sandbox then sends the
	// browser on to the flow's return_url, which the walker does not follow.
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, base), token)
	if resp := w.Finish(w.Run(), "approved", ""); resp.Status != http.StatusSeeOther {
		t.Fatalf("completing the session: %d", resp.Status)
	}
	if o := c.runWant(t, 0, "result", token); o.stdout != "Approved\nname: Branch 12 walk-in\n" {
		t.Errorf("result: %q", o.stdout)
	}
	o = c.runWant(t, 0, "result", token, "--json")
	var res map[string]any
	if err := json.Unmarshal([]byte(o.stdout), &res); err != nil || res["result"] != "approved" {
		t.Errorf("result --json (%v):\n%s", err, o.stdout)
	}
	for _, k := range []string{"reject_reason", "name", "person", "questionnaires"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result --json lacks the server's %q:\n%s", k, o.stdout)
		}
	}
	if o := c.runWant(t, 1, "result", "0000000000000000000000000000000000000000"); !strings.Contains(o.stderr, "404") {
		t.Errorf("result of an unknown session:\n%s", o.stderr)
	}
}

func TestBeginPlain(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{}).Handler())
	c := cli{env: sessionEnv(base, false)}
	o := c.runWant(t, 0, "begin", flowFile)
	m := regexp.MustCompile(`(?m)^session token +([a-z0-9]{40})\nwidget URL +(\S+)\nexpires +\S.*\n$`).FindStringSubmatch(o.stdout)
	if m == nil || m[2] != base+"/?session_token="+m[1] {
		t.Errorf("begin:\n%s", o.stdout)
	}
	if strings.ContainsAny(o.stdout, "█▀▄") || strings.Contains(o.stdout, "Scan") {
		t.Errorf("QR code drawn on a stdout that is not a terminal:\n%s", o.stdout)
	}
	for _, tpl := range templateFiles(t) {
		c.runWant(t, 0, "begin", tpl, "--no-qr")
	}
}

func TestBeginDryRun(t *testing.T) {
	rec := &recorder{}
	base := serve(t, rec)
	contentType := map[string]string{"json": "Content-Type: application/json\n", "form": "Content-Type: application/x-www-form-urlencoded\n",
		"multipart": "Content-Type: multipart/form-data; boundary=", "query": "Content-Length: 0\n"}
	name := map[string]string{"json": `"name":"Branch 12 walk-in"`, "form": "name=Branch+12+walk-in", "multipart": "\r\n\r\nBranch 12 walk-in\r\n", "query": "name=Branch+12+walk-in"}
	for _, enc := range []string{"json", "form", "query", "multipart"} {
		o := cli{env: sessionEnv(base, true)}.runWant(t, 0, "begin", flowFile, "--dry-run", "--encoding", enc)
		wantURL := "POST " + base + "/begin/\n"
		if enc == "query" {
			wantURL = "POST " + base + "/begin/?company_key=REDACTED&"
		}
		for _, want := range []string{wantURL, contentType[enc], "User-Agent: identoflow/", `Authorization: signature="REDACTED"`, name[enc], "REDACTED"} {
			if !strings.Contains(o.stdout, want) {
				t.Errorf("--dry-run --encoding %s lacks %q:\n%s", enc, want, o.stdout)
			}
		}
		// Nothing in the output depends on the credentials' values or
		// lengths (Content-Length is that of the body shown).
		other := map[string]string{"IDENTOMAT_COMPANY_KEY": strings.ToUpper(testKey) + "0123456789", "IDENTOMAT_SECRET_KEY": strings.ToUpper(testSecret), "IDENTOMAT_BASE_URL": base}
		if o2 := (cli{env: other}).runWant(t, 0, "begin", flowFile, "--dry-run", "--encoding", enc); o2.stdout != o.stdout {
			t.Errorf("--dry-run --encoding %s output depends on the key:\n%s\n%s", enc, o.stdout, o2.stdout)
		}
	}
	// Without a key, a dry run still shows the request.
	if o := (cli{env: map[string]string{"IDENTOMAT_BASE_URL": base}}).runWant(t, 0, "begin", flowFile, "--dry-run"); !strings.Contains(o.stdout, `"company_key":"REDACTED"`) {
		t.Errorf("--dry-run without a key:\n%s", o.stdout)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("--dry-run sent %d requests", n)
	}
}

func TestBeginUsage(t *testing.T) {
	rec := &recorder{}
	base := serve(t, rec)
	for _, args := range [][]string{
		{"begin", flowFile, "--encoding", "xml"},
		{"begin", flowFile, "--qr-style", "tiny"},
		{"begin", flowFile, "--company-key-file", filepath.Join(t.TempDir(), "missing")},
		{"begin", flowFile, "--base-url", "ftp://127.0.0.1"},
		{"begin", "testdata/cli/missing.json"},
		{"begin"},
		{"begin", flowFile, "--json", "--dry-run"},
		{"begin", flowFile, "--config-id", ""},
		{"result", "not a token"},
		{"result", ""},
		{"validate", "-", "-"},
		{"export", "--as", "payload"},
		{"export", "testdata/cli/missing.json", "--as", "schema"},
		{"desk", "testdata/cli/missing.json"},
		{"desk", "-"},
		{"desk", "--config-id", " "},
		{"edit", flowFile}, // no terminal
		{"sandbox", "--addr", "garbage"},
		{"sandbox", "--addr", "0.0.0.0:0"},
		{"sandbox", "--lan", "--addr", "127.0.0.1:0"},
		{"sandbox", "--public-url", "ftp://tunnel.example"},
		{"sandbox", "--public-url", "https://tunnel.example/sub/path"},
	} {
		cli{env: sessionEnv(base, false)}.runWant(t, 2, args...)
	}
	// desk lists a flow's errors, as begin does, before it needs a terminal.
	if o := (cli{env: sessionEnv(base, false)}).runWant(t, 1, "desk", "testdata/invalid/enum.json"); !strings.Contains(o.stderr, "enum.json:14:11: /steps/0/flags/document_types/1: error enum") {
		t.Errorf("desk of a file with errors:\n%s", o.stderr)
	}
	o := cli{env: sessionEnv(base, false)}.runWant(t, 1, "begin", "testdata/invalid/enum.json")
	if !strings.Contains(o.stderr, "error enum") {
		t.Errorf("begin of a file with errors:\n%s", o.stderr)
	}
	for _, args := range [][]string{{"begin", flowFile}, {"result", "0123456789abcdefghijklmnopqrstuvwxyz0123"}} {
		o := cli{env: map[string]string{"IDENTOMAT_BASE_URL": base}}.runWant(t, 2, args...)
		if !strings.Contains(o.stderr, "IDENTOMAT_COMPANY_KEY") {
			t.Errorf("%v without a key: %s", args, o.stderr)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent by failed commands", n)
	}
}

func TestBeginCompanyKeyFileAndConfigID(t *testing.T) {
	rec := &recorder{}
	base := serve(t, rec)
	const fileKey = "ckFromAFile5e4d3c2b1a09f8e7d6c5b4a3test"
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(fileKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const id = "64b7f0c2a1d3e4f5a6b7c8d9"
	c := cli{env: map[string]string{"IDENTOMAT_BASE_URL": base}, secrets: []string{fileKey}}
	c.runWant(t, 0, "begin", "--company-key-file", keyFile, flowFile, "--config-id", id, "--json")
	// A file without steps is complete with a saved configuration.
	c.runWant(t, 0, "begin", "--company-key-file", keyFile, "testdata/cli/saved-config-flags-only.json", "--config-id", id)
	c.runWant(t, 1, "begin", "--company-key-file", keyFile, "testdata/cli/saved-config-flags-only.json")
	reqs := rec.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, body := range reqs {
		var sent map[string]any
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatalf("request %d: %v\n%s", i, err, body)
		}
		if sent["company_key"] != fileKey || sent["config_id"] != id || sent["flags"] == nil {
			t.Errorf("request %d: %s", i, body)
		}
		if _, ok := sent["$schema"]; ok {
			t.Errorf("request %d sends $schema", i)
		}
	}
}

func TestBeginServerRefuses(t *testing.T) {
	pinned := serve(t, sandbox.New(sandbox.Options{CompanyKey: "some-other-key-entirely"}).Handler())
	bare := serve(t, &recorder{reply: "COMPANY_KEY_INVALID"}) // with status 200: the body decides
	for _, base := range []string{pinned, bare} {
		c := cli{env: sessionEnv(base, false)}
		for _, args := range [][]string{{"begin", flowFile}, {"result", "0123456789abcdefghijklmnopqrstuvwxyz0123"}} {
			if o := c.runWant(t, 1, args...); !strings.Contains(o.stderr, "refused") {
				t.Errorf("%v with a refused key: %s", args, o.stderr)
			}
		}
	}
	// The server echoes the key in its error: the message is shown, the key is not.
	failing := serve(t, &recorder{status: http.StatusInternalServerError,
		reply: `{"message":"database unavailable while checking ` + testKey + `"}`})
	c := cli{env: sessionEnv(failing, false)}
	for _, args := range [][]string{{"begin", flowFile}, {"result", "0123456789abcdefghijklmnopqrstuvwxyz0123"}} {
		if o := c.runWant(t, 1, args...); !strings.Contains(o.stderr, "500") || !strings.Contains(o.stderr, "database unavailable") {
			t.Errorf("%v on a 500: %s", args, o.stderr)
		}
	}
	// Nor does a result that echoes the key print it.
	echo := serve(t, &recorder{reply: `{"result":"approved","name":"` + testKey + `","company_key":"` + testKey + `"}`})
	c = cli{env: sessionEnv(echo, false)}
	c.runWant(t, 0, "result", "0123456789abcdefghijklmnopqrstuvwxyz0123")
	c.runWant(t, 0, "result", "0123456789abcdefghijklmnopqrstuvwxyz0123", "--json")
}

// A config that validates with a repeated name is sent with the last value
// (what validate and export take), not refused; --json keeps SPEC's order.
func TestBeginRepeatedNameAndJSONOrder(t *testing.T) {
	rec := &recorder{}
	base := serve(t, rec)
	c := cli{env: sessionEnv(base, false)}
	o := c.runWant(t, 0, "begin", "testdata/roundtrip/duplicate-members.json", "--json")
	if !regexp.MustCompile(`^\{\n  "session_token": .*\n  "url": .*\n  "expires_at": .*\n\}\n$`).MatchString(o.stdout) {
		t.Errorf("begin --json order:\n%s", o.stdout)
	}
	bodies := rec.requests()
	if len(bodies) != 1 || !strings.Contains(string(bodies[0]), `"name":"second"`) || strings.Contains(string(bodies[0]), `"first"`) {
		t.Fatalf("sent %q", bodies)
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	o := cli{}.run(t, "valdate", "x.json")
	if o.code != 2 || !strings.Contains(o.stderr, `did you mean "validate"?`) {
		t.Fatalf("exit %d:\n%s", o.code, o.stderr)
	}
	if o := (cli{}).run(t, "bogus"); o.code != 2 || !strings.Contains(o.stderr, `unknown command "bogus"`) {
		t.Fatalf("exit %d:\n%s", o.code, o.stderr)
	}
}

// A credential anywhere in a config, in any case, stops export and begin
// (dry run included) before anything is printed or sent, and its value is
// never shown.
func TestExportAndBeginRefuseCredentials(t *testing.T) {
	const inFile = "ck-in-the-file-7d1e0c9a8b"
	dir := t.TempDir()
	configs := map[string]string{
		"top.json":    `{"company_key": "` + inFile + `", "steps": [{"type": "email", "flags": {"require_email": true}}]}`,
		"flags.json":  `{"flags": {"companyKey": "` + inFile + `"}, "steps": [{"type": "email", "flags": {"require_email": true}}]}`,
		"step.json":   `{"steps": [{"type": "email", "SECRET_KEY": "` + inFile + `", "flags": {"require_email": true}}]}`,
		"nested.json": `{"steps": [{"type": "video-call", "steps": [{"type": "liveness", "x": [{"secretKey": {"v": "` + inFile + `"}}]}]}]}`,
	}
	paths := map[string]string{
		"top.json": "/company_key", "flags.json": "/flags/companyKey", "step.json": "/steps/0/SECRET_KEY", "nested.json": "/steps/0/steps/0/x/0/secretKey",
	}
	rec := &recorder{}
	c := cli{env: sessionEnv(serve(t, rec), false), secrets: []string{inFile}}
	for name, text := range configs {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"export", file, "--as", "payload"},
			{"export", file, "--as", "curl"},
			{"begin", file},
			{"begin", file, "--dry-run"},
			{"begin", file, "--json", "--config-id", "65f1c0ffee0000000000beef"},
		} {
			o := c.runWant(t, 1, args...)
			at := regexp.MustCompile(regexp.QuoteMeta(file) + `:\d+:\d+: ` + regexp.QuoteMeta(paths[name]) + `: error credential: `)
			if o.stdout != "" || !at.MatchString(o.stderr) {
				t.Errorf("identoflow %s:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), o.stdout, o.stderr)
			}
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A config as large as a config may be is exported like any other:
// validate accepts it, so export must not fail on it.
func TestExportAtTheSizeLimit(t *testing.T) {
	const head, tail = `{"name":"`, `","steps":[{"type":"email","flags":{"require_email":true}}]}`
	file := filepath.Join(t.TempDir(), "large.json")
	data := head + strings.Repeat("n", flow.MaxFileSize-len(head)-len(tail)) + tail
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	cli{}.runWant(t, 0, "validate", file)
	for _, as := range []string{"payload", "curl"} {
		o := cli{}.run(t, "export", file, "--as", as)
		if o.code != 0 || len(o.stdout) < flow.MaxFileSize || !strings.Contains(o.stdout, `"require_email": true`) {
			t.Errorf("export --as %s: exit %d, %d bytes out\nstderr:\n%.2000s", as, o.code, len(o.stdout), o.stderr)
		}
	}
}

// hostile is text a config, a server or a file name may hold: an OSC 52
// clipboard write, a screen clear, a C1 CSI (U+009B), a right-to-left
// override, DEL and a line separator.
const hostile = "x\x1b]52;c;b3duZWQ=\x07\x1b[2J\u009b31m\u202eevil\x7f\u2028end"

// hostileConfig is a config that validates with warnings and carries
// hostile text in every kind of place: session fields, an unknown member
// name and value at the top and in a step, and localized texts.
func hostileConfig(t *testing.T) string {
	t.Helper()
	q := func(s string) string {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	h := q(hostile)
	return `{
  "name": ` + h + `,
  "clientUserId": ` + h + `,
  ` + h + `: ` + h + `,
  "flags": {"language": "en", "return_url": "https://example.com/done"},
  "steps": [
    {"type": "liveness", "key": "liveness", "flags": {"liveness": false}, ` + h + `: ` + h + `},
    {"type": "user-questionnaire", "key": "q", "title": {"en": ` + h + `}, "description": {"en": ` + h + `},
     "questions": [{"type": "string", "key": "k", "title": {"en": ` + h + `}}]}
  ]
}`
}

// requireTerminalSafe fails the test if out holds a byte a terminal would
// act on: an invalid UTF-8 byte (a raw C1 such as 0x9b among them), or a
// character flow.Unsafe names other than a newline, a tab or the CR of a
// CRLF.
func requireTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			t.Errorf("%s: raw byte %#x at %d:\n%q", what, out[i], i, out)
			return
		case r == '\r' && strings.HasPrefix(out[i:], "\r\n"), r == '\n', r == '\t':
		case flow.Unsafe(r):
			t.Errorf("%s: raw %U at %d:\n%q", what, r, i, out)
			return
		}
		i += size
	}
}

// No command lets an escape sequence, a C1 control or a bidi override from
// a config, a server or a file name reach the terminal, on standard output
// or standard error.
func TestNoEscapeSequencesFromContent(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	config := hostileConfig(t)
	good := write("hostile.json", config)
	// File names may hold the same (Linux allows any byte but / and NUL).
	oddName := write("odd\x1b[2J\u202e\u009b\x9b.json", config)
	write("odd\x1b[2J\u202e\u009b\x9b.jsonx", strings.Replace(config, `"key": "k"`, `"key": "k2"`, 1))
	invalid := write("invalid.json", strings.Replace(config, `"type": "liveness"`, `"type": `+strconv.Quote("liv\u009bness"), 1))
	rawByte := write("raw-byte.json", `{"name": "a`+"\x9b\xc2\x9b"+`b", "steps": [{"type": "liveness"}]}`)
	missing := filepath.Join(dir, "missing\x1b]52;c;x\x07\u202e\u009b\x9b.json")
	oddDir := filepath.Join(dir, "dir\x1b]52;c;x\x07\u202e\u009b\x9b")
	if err := os.Mkdir(oddDir, 0o700); err != nil {
		t.Fatal(err)
	}

	var resultBody atomic.Value
	vendor := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if strings.HasSuffix(r.URL.Path, "/result/") {
			io.WriteString(w, resultBody.Load().(string))
			return
		}
		io.WriteString(w, `"0123456789abcdefghijklmnopqrstuvwxyz0123"`)
	}))
	failing := serve(t, &recorder{status: http.StatusInternalServerError,
		reply: `{"message":"down ` + "\x1b[2J\x9b\xc2\x9b\u202e" + ` for now"}`})
	garbled := serve(t, &recorder{reply: "\x1b]52;c;eA==\x07\x9b not a token"})
	var attempts atomic.Int32
	busyOnce := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if attempts.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "busy \x1b[5m\u009b5m\u202e")
			return
		}
		io.WriteString(w, `"0123456789abcdefghijklmnopqrstuvwxyz0123"`)
	}))
	const token = "0123456789abcdefghijklmnopqrstuvwxyz0123"
	const hostileName = `Mal\u001b[41mlory\u0007` + "\x9b\xc2\x9b\u202e\u009b" + `2J`
	results := []string{
		`{"result":"rejected","name":"` + hostileName + `","reject_reason":{"value":"X\u001b]0;t\u0007` + "\x9b" + `","description":"line\nbreak` + "\u202e\x9b" + `"}}`,
		`{"result":"review\u001b[2J` + "\u202e\x9b\u009b" + `","name":"` + hostileName + `","person":{"n":"` + "\u009b\x9b" + `"}}`,
	}

	c := cli{env: sessionEnv(vendor, false)}
	signed := cli{env: sessionEnv(vendor, true)}
	type call struct {
		c    cli
		code int
		args []string
	}
	calls := []call{
		{cli{}, 0, []string{"validate", good}},
		{cli{}, 1, []string{"validate", "--strict", "--format", "json", good}},
		{cli{}, 2, []string{"validate", oddName, invalid, rawByte, missing}},
		{cli{}, 2, []string{"validate", "--format", "json", oddName, invalid, rawByte, missing}},
		{cli{stdin: strings.NewReader(config)}, 0, []string{"validate", "-"}},
		{cli{}, 0, []string{"export", good, "--as", "payload"}},
		{cli{}, 0, []string{"export", oddName, "--as", "curl"}},
		{cli{}, 0, []string{"export", good, "--as", "iframe"}},
		{cli{}, 2, []string{"export", "--as", "iframe", "--base-url", "https://x\u009by\u202e.example", good}},
		{cli{}, 0, []string{"export", "--as", "schema"}},
		{cli{}, 1, []string{"export", invalid}},
		{cli{}, 2, []string{"export", missing}},
		{cli{}, 2, []string{"export", missing, "--as", "schema"}},
		{c, 0, []string{"begin", good, "--no-qr"}},
		{c, 0, []string{"begin", oddName, "--json"}},
		{c, 1, []string{"begin", invalid}},
		{c, 2, []string{"begin", missing}},
		{c, 2, []string{"begin", good, "--company-key-file", missing}},
		{c, 2, []string{"begin", good, "--base-url", "https://x\u009by\u202e.example"}},
		{cli{env: sessionEnv(failing, false)}, 1, []string{"begin", good}},
		{cli{env: sessionEnv(garbled, false)}, 1, []string{"begin", good}},
		{cli{env: sessionEnv(busyOnce, false)}, 0, []string{"begin", good, "--no-qr"}},
		{cli{env: sessionEnv(failing, false)}, 1, []string{"result", token}},
		{c, 2, []string{"desk", missing}},
		{c, 1, []string{"desk", invalid}},
		{cli{}, 2, []string{"edit", missing}},
		{cli{}, 0, []string{"templates"}},
		{cli{}, 0, []string{"templates", "basic-kyc"}},
		{cli{}, 2, []string{"templates", hostile}},
		{cli{}, 2, []string{"result", hostile}},
		{cli{}, 2, []string{hostile}},
		{cli{}, 2, []string{"validate", "--" + hostile, good}},
		{cli{}, 1, []string{"diff", good, oddName + "x"}},
		{cli{}, 1, []string{"diff", "--format", "json", good, invalid}},
		{cli{}, 1, []string{"diff", "--format", "markdown", good, invalid}},
		{cli{}, 2, []string{"diff", oddName, missing}},
		{cli{}, 0, []string{"fmt", oddName}},
		{cli{}, 1, []string{"fmt", "--check", oddName}},
		{cli{}, 2, []string{"fmt", rawByte, missing}},
		{cli{}, 0, []string{"i18n", "status", oddName}},
		{cli{}, 0, []string{"i18n", "status", "--json", oddName}},
		{cli{}, 0, []string{"i18n", "export", oddName, "--lang", "ka"}},
		{cli{}, 0, []string{"i18n", "export", oddName, "--lang", "ka", "--format", "po"}},
		{cli{}, 2, []string{"i18n", "status", missing}},
		{cli{}, 0, []string{"journal", "--journal", missing}},
		{cli{}, 0, []string{"journal", "purge", "--before", "1d", "--journal", missing}},
		{c, 2, []string{"begin", good, "--no-qr", "--journal", filepath.Join(oddName, "journal.db")}}, // its folder is a file
	}
	for _, enc := range []string{"json", "form", "query", "multipart"} {
		calls = append(calls, call{signed, 0, []string{"begin", good, "--dry-run", "--encoding", enc}},
			call{signed, 0, []string{"begin", oddName, "--dry-run", "--encoding", enc}})
	}
	check := func(cl cli, code int, args ...string) outcome {
		t.Helper()
		o := cl.runWant(t, code, args...)
		what := fmt.Sprintf("identoflow %q", args)
		requireTerminalSafe(t, what+" stdout", o.stdout)
		requireTerminalSafe(t, what+" stderr", o.stderr)
		return o
	}
	for _, cl := range calls {
		check(cl.c, cl.code, cl.args...)
	}
	for i, body := range results {
		resultBody.Store(body)
		check(c, 0, "result", token)
		check(c, 0, "result", token, "--journal", oddDir)
		check(c, []int{1, 3}[i], "result", token, "--exit-status")
		o := check(c, 0, "result", token, "--json")
		var v map[string]any
		if err := json.Unmarshal([]byte(o.stdout), &v); err != nil || v["result"] == nil || v["name"] != "Mal\x1b[41mlory\a\ufffd\u009b\u202e\u009b2J" {
			t.Errorf("result --json is not the server's JSON (%v):\n%s", err, o.stdout)
		}
	}
	// What is escaped is still there to be read.
	if o := check(cli{}, 0, "validate", good); !strings.Contains(o.stdout, `x\x1b]52;c;b3duZWQ=\a\x1b[2J\u009b31m\u202eevil\x7f\u2028end`) {
		t.Errorf("the member name is not shown escaped:\n%s", o.stdout)
	}
	if o := check(signed, 0, "begin", good, "--dry-run", "--encoding", "multipart"); !strings.Contains(o.stdout, "\r\n\r\n"+flow.Visible(hostile)+"\r\n") {
		t.Errorf("multipart dry run does not show the name escaped:\n%q", o.stdout)
	}
}

// Every command says in words what arguments it takes and shows a call
// that works, instead of cobra's "accepts 1 arg(s), received 0".
func TestArgumentErrorsInWords(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"validate"}, "validate needs at least one FILE; try: identoflow validate flow.json"},
		{[]string{"begin"}, "begin needs a FILE; try: identoflow begin flow.json"},
		{[]string{"begin", "a.json", "b.json"}, `begin takes one FILE, but was given 2: "a.json" "b.json"; try: identoflow begin flow.json`},
		{[]string{"result"}, "result needs a session TOKEN; try: identoflow result TOKEN"},
		{[]string{"result", "a", "b"}, `result takes one session TOKEN, but was given 2: "a" "b"`},
		{[]string{"edit"}, "edit needs a FILE; try: identoflow edit flow.json"},
		{[]string{"edit", "a.json", "b.json"}, "edit takes one FILE, but was given 2"},
		{[]string{"export", "a", "b", "c", "d"}, `export takes at most one FILE, but was given 4: "a" "b" "c" …; try: identoflow export flow.json --as payload`},
		{[]string{"desk", "a.json", "b.json"}, "desk takes at most one FILE, but was given 2"},
		{[]string{"templates", "a", "b"}, "templates takes at most one NAME, but was given 2"},
		{[]string{"schema", "flow.json"}, `schema takes no arguments, but was given "flow.json"; try: identoflow schema`},
		{[]string{"version", "x"}, `version takes no arguments, but was given "x"; try: identoflow version`},
		{[]string{"sandbox", "x"}, `sandbox takes no arguments, but was given "x"; try: identoflow sandbox`},
		{[]string{"completion", "bash", "x"}, `completion bash takes no arguments, but was given "x"; try: identoflow completion bash`},
		{[]string{"completion", "tcsh"}, `unknown command "tcsh" for completion; use bash, zsh, fish or powershell`},
		{[]string{"i18n", "translate"}, `unknown command "translate" for i18n; use export, import or status`},
	} {
		o := cli{}.runWant(t, 2, c.args...)
		if !strings.HasPrefix(o.stderr, "identoflow: "+c.want) || strings.Contains(o.stderr, "arg(s)") || o.stdout != "" {
			t.Errorf("%q: stderr %q, want it to start with %q", c.args, o.stderr, "identoflow: "+c.want)
		}
	}
}

// A key given as a flag is refused with the reason and the two ways to
// give it, and the value is never repeated.
func TestCompanyKeyFlagExplained(t *testing.T) {
	const key = "ckTypedOnTheCommandLine0123456789test"
	c := cli{secrets: []string{key}}
	for _, args := range [][]string{
		{"begin", flowFile, "--company-key", key},
		{"begin", flowFile, "--company-key=" + key},
		{"result", "0123456789abcdefghijklmnopqrstuvwxyz0123", "--company-key", key},
		{"desk", "--company-key", key},
		{"edit", flowFile, "--company-key", key},
		{"--company-key", key},
		{"validate", "--company-key", key, flowFile},
	} {
		o := c.runWant(t, 2, args...)
		if !strings.Contains(o.stderr, "there is no --company-key flag") || !strings.Contains(o.stderr, "process list") ||
			!strings.Contains(o.stderr, "IDENTOMAT_COMPANY_KEY") || !strings.Contains(o.stderr, "--company-key-file FILE") {
			t.Errorf("%q: %s", args[:len(args)-1], o.stderr)
		}
	}
	o := c.runWant(t, 2, "begin", flowFile, "--secret-key", key)
	if !strings.Contains(o.stderr, "there is no --secret-key flag") || !strings.Contains(o.stderr, "IDENTOMAT_SECRET_KEY") {
		t.Errorf("--secret-key: %s", o.stderr)
	}
	// The sandbox's --company-key pins a test key: it stays a flag.
	if o := c.run(t, "sandbox", "--company-key", "test", "--addr", "garbage"); strings.Contains(o.stderr, "no --company-key flag") {
		t.Errorf("sandbox --company-key: %s", o.stderr)
	}
}

// --accessible is offered by the commands with screens, and only there.
func TestAccessibleOnlyWhereItMeansSomething(t *testing.T) {
	root := newRootCmd(env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }})
	var with []string
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd.Flags().Lookup("accessible") != nil {
			with = append(with, cmd.Name())
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
	slices.Sort(with)
	if want := []string{"desk", "edit", "identoflow"}; !slices.Equal(with, want) {
		t.Errorf("--accessible on %v, want %v", with, want)
	}
	o := cli{}.runWant(t, 2, "validate", "--accessible", flowFile)
	if !strings.Contains(o.stderr, "validate has no --accessible flag") {
		t.Errorf("validate --accessible: %s", o.stderr)
	}
	// Taken by edit, which then needs a terminal.
	if o := (cli{}).runWant(t, 2, "edit", "--accessible", flowFile); !strings.Contains(o.stderr, "interactive terminal") {
		t.Errorf("edit --accessible: %s", o.stderr)
	}
}

// The schema is the same for every config: export prints it without a FILE.
func TestExportSchemaNeedsNoFile(t *testing.T) {
	o := cli{}.runWant(t, 0, "export", "--as", "schema")
	if o.stdout != string(export.Schema()) {
		t.Error("export --as schema without a FILE is not the schema")
	}
	if h := (cli{}).runWant(t, 0, "export", "--help"); !strings.Contains(h.stdout, "export [FILE] --as") {
		t.Errorf("export's usage shows FILE as required:\n%s", h.stdout)
	}
}

// complete asks the program for completions as the shell scripts do and
// returns the values offered and the directive.
func complete(t *testing.T, args ...string) ([]string, cobra.ShellCompDirective) {
	t.Helper()
	o := cli{}.runWant(t, 0, append([]string{cobra.ShellCompRequestCmd}, args...)...)
	lines := strings.Split(strings.TrimSuffix(o.stdout, "\n"), "\n")
	last := lines[len(lines)-1]
	d, err := strconv.Atoi(strings.TrimPrefix(last, ":"))
	if err != nil || !strings.HasPrefix(last, ":") {
		t.Fatalf("%q: no directive in %q", args, o.stdout)
	}
	var values []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, cobra.ShellCompDirective(d)
}

func TestShellCompletion(t *testing.T) {
	var templates []string
	for _, tpl := range flow.Templates() {
		templates = append(templates, tpl.Name)
	}
	noFiles := cobra.ShellCompDirectiveNoFileComp
	jsonFiles := cobra.ShellCompDirectiveFilterFileExt
	for _, c := range []struct {
		args      []string
		values    []string
		directive cobra.ShellCompDirective
	}{
		{[]string{"templates", ""}, templates, noFiles},
		{[]string{"export", "flow.json", "--as", ""}, []string{"payload", "curl", "iframe", "schema"}, noFiles},
		{[]string{"validate", "--format", ""}, []string{"text", "json", "github", "sarif"}, noFiles},
		{[]string{"begin", "--encoding", ""}, []string{"json", "form", "query", "multipart"}, noFiles},
		{[]string{"begin", "--qr-style", ""}, []string{"half", "full"}, noFiles},
		{[]string{"begin", "--base-url", ""}, nil, noFiles},
		{[]string{"validate", ""}, []string{"json"}, jsonFiles},
		{[]string{"validate", "a.json", ""}, []string{"json"}, jsonFiles},
		{[]string{"export", ""}, []string{"json"}, jsonFiles},
		{[]string{"begin", ""}, []string{"json"}, jsonFiles},
		{[]string{"begin", "a.json", ""}, nil, noFiles},
		{[]string{"desk", ""}, []string{"json"}, jsonFiles},
		{[]string{"edit", ""}, []string{"json"}, jsonFiles},
		{[]string{"fl"}, []string{"json"}, jsonFiles},
		{[]string{"result", ""}, nil, noFiles},
		{[]string{"validate", "--severity", ""}, []string{"error", "warning", "info"}, noFiles},
		{[]string{"journal", "--result", ""}, []string{"approved", "rejected", "manual_check", "open", "expired", "ended"}, noFiles},
		{[]string{"journal", "summary", "--since", ""}, []string{"today", "yesterday", "all"}, noFiles},
		{[]string{"journal", "purge", "--before", ""}, nil, noFiles},
		{[]string{"begin", "--retain", ""}, nil, noFiles},
		{[]string{"sandbox", "--addr", ""}, nil, noFiles},
		{[]string{"sandbox", "--public-url", ""}, nil, noFiles},
	} {
		values, d := complete(t, c.args...)
		if !slices.Equal(values, c.values) || d != c.directive {
			t.Errorf("%q: %q %d, want %q %d", c.args, values, d, c.values, c.directive)
		}
	}
	if values, _ := complete(t, "va"); !slices.Equal(values, []string{"validate"}) {
		t.Errorf("command names: %q", values)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if o := (cli{}).runWant(t, 0, "completion", shell); !strings.Contains(o.stdout, "identoflow") {
			t.Errorf("completion %s:\n%s", shell, o.stdout)
		}
	}
}

// result --exit-status turns the outcome into the exit code; a failed
// request has its own.
func TestResultExitStatus(t *testing.T) {
	const token = "0123456789abcdefghijklmnopqrstuvwxyz0123"
	for status, code := range map[string]int{
		`"approved"`: 0, `"rejected"`: 1, `"manual_check"`: 3, `"review"`: 3,
		`"in_progress"`: 4, `"pending"`: 4, `null`: 4,
	} {
		c := cli{env: sessionEnv(serve(t, &recorder{reply: `{"result":` + status + `,"name":"A"}`}), false)}
		c.runWant(t, code, "result", token, "--exit-status")
		c.runWant(t, code, "result", token, "--exit-status", "--json")
		c.runWant(t, 0, "result", token)
	}
	failing := cli{env: sessionEnv(serve(t, &recorder{status: http.StatusInternalServerError}), false)}
	failing.runWant(t, 5, "result", token, "--exit-status")
	failing.runWant(t, 1, "result", token)
}

// A key file is read up to a few KiB: a wrong path is refused at once
// rather than read whole into memory.
func TestKeyFileIsLimited(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big-key")
	if err := os.WriteFile(big, bytes.Repeat([]byte("k"), 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	// At the limit, surrounding whitespace included, the key is taken.
	const key = "ckAtTheLimit5e4d3c2b1a09f8e7d6c5b4atest"
	atLimit := filepath.Join(dir, "key")
	if err := os.WriteFile(atLimit, []byte(key+strings.Repeat("\n", maxKeyFileSize-len(key))), 0o600); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	c := cli{env: map[string]string{"IDENTOMAT_BASE_URL": serve(t, rec)}, secrets: []string{key}}
	for _, args := range [][]string{
		{"begin", flowFile, "--company-key-file", big},
		{"result", "0123456789abcdefghijklmnopqrstuvwxyz0123", "--company-key-file", big},
		{"sandbox", "--secret-key-file", big, "--addr", "127.0.0.1:0"},
	} {
		o := c.runWant(t, 2, args...)
		if !strings.Contains(o.stderr, big+" is larger than 4 KiB") {
			t.Errorf("%q: %s", args, o.stderr)
		}
	}
	c.runWant(t, 0, "begin", flowFile, "--company-key-file", atLimit, "--json")
	if reqs := rec.requests(); len(reqs) != 1 || !strings.Contains(string(reqs[0]), `"company_key":"`+key+`"`) {
		t.Errorf("requests: %q", reqs)
	}
}

// The wizard and desk mode show the widget URL too: a base URL holding
// what a terminal would act on is refused before they start.
func TestLaunchConfigRefusesUnsafeBaseURL(t *testing.T) {
	e := env{getenv: func(k string) string {
		return map[string]string{"IDENTOMAT_BASE_URL": "https://x\u009b2J.example"}[k]
	}}
	cmd := &cobra.Command{}
	if _, err := launchConfig(e, cmd, sessionFlags{}, ""); err == nil || strings.ContainsRune(err.Error(), '\u009b') {
		t.Errorf("unsafe base URL from the environment: %v", err)
	}
	if _, err := launchConfig(e, cmd, sessionFlags{baseURL: "https://a\u202eb.example"}, ""); err == nil {
		t.Error("unsafe --base-url accepted")
	}
	lc, err := launchConfig(e, cmd, sessionFlags{baseURL: "http://127.0.0.1:8790"}, "")
	if err != nil || lc.BaseURL != "http://127.0.0.1:8790" {
		t.Errorf("launchConfig = %+v, %v", lc, err)
	}
}

// A link to this machine gets a note that a phone cannot open it.
func TestPhoneNote(t *testing.T) {
	for link, want := range map[string]bool{
		"http://127.0.0.1:8791/s/abc": true, "http://localhost:8790/s/abc": true, "http://[::1]:8790/": true, "http://127.3.4.5/": true,
		"http://192.168.1.23:8790/s/abc": false, "https://abc.ngrok.app/s/abc": false, "https://widget.identomat.com/?session_token=x": false, "::": false,
	} {
		note := phoneNote(link)
		if (note != "") != want {
			t.Errorf("%s: note %q", link, note)
		}
	}
	if got := phoneNote("http://127.0.0.1:8791/s/abc"); !strings.HasPrefix(got, "A phone cannot open 127.0.0.1: ") || !strings.Contains(got, "sandbox --lan") || !strings.Contains(got, "--public-url") || ansi.StringWidth(got) >= 80 {
		t.Errorf("note: %q", got)
	}
}

// journalEnv is sessionEnv with a journal of the test's own.
func journalEnv(t *testing.T, base string) (map[string]string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.db")
	m := sessionEnv(base, true)
	m["IDENTOFLOW_JOURNAL"] = path
	return m, path
}

func journalSessions(t *testing.T, c cli, args ...string) []map[string]any {
	t.Helper()
	o := c.runWant(t, 0, append([]string{"journal", "--json"}, args...)...)
	var out struct{ Sessions []map[string]any }
	if err := json.Unmarshal([]byte(o.stdout), &out); err != nil {
		t.Fatalf("journal --json: %v\n%s", err, o.stdout)
	}
	return out.Sessions
}

func TestBeginRecordsTheSession(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{SecretKey: testSecret}).Handler())
	m, path := journalEnv(t, base)
	c := cli{env: m}
	token := beginJSON(t, c, base)
	data, err := os.ReadFile(flowFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := flow.Check(data)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(flowFile)
	sessions := journalSessions(t, c)
	if len(sessions) != 1 {
		t.Fatalf("%d sessions in the journal", len(sessions))
	}
	s := sessions[0]
	want := map[string]any{"token": token, "server": base, "url": base + "/?session_token=" + token, "source": "begin",
		"flow_file": abs, "customer": "Branch 12 walk-in", "result": "open", "payload_hash": journal.PayloadHash(cfg.RequestBody())}
	for k, v := range want {
		if s[k] != v {
			t.Errorf("journal %s = %v, want %v", k, s[k], v)
		}
	}

	// The result command brings the journal up to date.
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, base), token)
	w.Finish(w.Run(), "approved", "")
	c.runWant(t, 0, "result", token)
	if s := journalSessions(t, c)[0]; s["result"] != "approved" || s["finished_at"] == nil {
		t.Errorf("after result: %v %v", s["result"], s["finished_at"])
	}
	if o := c.runWant(t, 0, "journal", "summary"); !strings.Contains(o.stdout, "1 session(s)") || !strings.Contains(o.stdout, "approved      1") {
		t.Errorf("summary:\n%s", o.stdout)
	}

	// --no-journal records nothing.
	c.runWant(t, 0, "begin", flowFile, "--no-qr", "--no-journal")
	if n := len(journalSessions(t, c)); n != 1 {
		t.Errorf("--no-journal: %d sessions in the journal", n)
	}
	// No key reaches the journal's files.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, _ := os.ReadFile(path + suffix)
		if bytes.Contains(b, []byte(testKey)) || bytes.Contains(b, []byte(testSecret)) {
			t.Errorf("a key in %s", path+suffix)
		}
	}
}

// The session exists whatever the journal says: a journal that cannot be
// written is a warning.
func TestBeginWithABrokenJournal(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{}).Handler())
	m := sessionEnv(base, false)
	m["IDENTOFLOW_JOURNAL"] = t.TempDir() // a directory
	o := cli{env: m}.runWant(t, 0, "begin", flowFile, "--no-qr")
	if !strings.Contains(o.stdout, "session token") || !strings.Contains(o.stderr, "warning: the session is not in the journal") {
		t.Errorf("begin with a broken journal:\nstdout:\n%s\nstderr:\n%s", o.stdout, o.stderr)
	}
	if o := (cli{env: sessionEnv(base, false)}).runWant(t, 2, "begin", flowFile, "--retain", "soon"); !strings.Contains(o.stderr, "--retain") {
		t.Errorf("a bad --retain: %s", o.stderr)
	}
}

func TestJournalCommand(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{SecretKey: testSecret}).Handler())
	m, _ := journalEnv(t, base)
	c := cli{env: m}
	// No journal yet: an empty listing and a note.
	o := c.runWant(t, 0, "journal")
	if !strings.HasPrefix(o.stdout, "0 session(s) since ") || !strings.Contains(o.stderr, "no journal yet") {
		t.Errorf("journal without a journal:\nstdout:\n%s\nstderr:\n%s", o.stdout, o.stderr)
	}
	if o := c.runWant(t, 0, "journal", "purge", "--before", "today"); !strings.Contains(o.stdout, "Nothing to purge") {
		t.Errorf("purge without a journal: %s", o.stdout)
	}
	for _, args := range [][]string{
		{"journal", "--json", "--csv"}, {"journal", "--since", "soon"}, {"journal", "--result", "done"},
		{"journal", "--retain", "-1d"}, {"journal", "purge"}, {"journal", "purge", "--before", "soon"}, {"journal", "bogus"},
	} {
		if o := c.run(t, args...); o.code != 2 || o.stdout != "" || !strings.HasPrefix(o.stderr, "identoflow: ") {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, o.code, o.stdout, o.stderr)
		}
	}
	for range 2 {
		c.runWant(t, 0, "begin", flowFile, "--no-qr")
	}
	if o := c.runWant(t, 0, "journal", "list", "--result", "open"); strings.Count(o.stdout, "Branch 12 walk-in") != 2 {
		t.Errorf("journal list:\n%s", o.stdout)
	}
	if o := c.runWant(t, 0, "journal", "--result", "approved,rejected"); strings.Contains(o.stdout, "Branch 12") {
		t.Errorf("journal --result approved,rejected lists open sessions:\n%s", o.stdout)
	}
	o = c.runWant(t, 0, "journal", "--csv", "--since", "all")
	if lines := strings.Split(strings.TrimSpace(o.stdout), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "started_at,result,") {
		t.Errorf("journal --csv:\n%s", o.stdout)
	}
	// Open sessions stay; a purge up to tomorrow keeps them.
	if o := c.runWant(t, 0, "journal", "purge", "--before", time.Now().Add(24*time.Hour).Format("2006-01-02")); !strings.Contains(o.stdout, "Removed 0 session(s)") ||
		!strings.Contains(o.stdout, "Kept 2 still open.") {
		t.Errorf("purge:\n%s", o.stdout)
	}
}

// The sandbox sessions of a desk or wizard that has stopped (quit, or was
// killed before it could say so) list as ended, as the next desk would
// mark them; those of a program still running stay open.
func TestJournalEndsTheSandboxSessionsOfAStoppedProgram(t *testing.T) {
	m, path := journalEnv(t, "http://127.0.0.1:1")
	c := cli{env: m}
	ctx := context.Background()
	j, err := journal.Open(ctx, journal.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, err := j.Record(ctx, journal.NewSession{Token: fmt.Sprintf("sandbox-%d", i), Server: journal.Sandbox, Source: "desk"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	// This process recorded them and runs.
	if o := c.runWant(t, 0, "journal", "summary"); !strings.Contains(o.stdout, "open          4") {
		t.Errorf("sessions of a running program:\n%s", o.stdout)
	}
	// The program that recorded them stopped: a process that ran and exited.
	done := exec.Command(os.Args[0], "-test.run=^$")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE sessions SET owner_pid = ?, owner_run = 'stopped'`, done.Process.Pid); err != nil {
		t.Fatal(err)
	}
	db.Close()
	o := c.runWant(t, 0, "journal", "summary")
	if !strings.Contains(o.stdout, "open          0") || !strings.Contains(o.stdout, "ended         4") {
		t.Errorf("sessions of a stopped program:\n%s", o.stdout)
	}
	for _, s := range journalSessions(t, c) {
		if s["result"] != "ended" {
			t.Errorf("%v: %v, want ended", s["token"], s["result"])
		}
	}
	if o := c.runWant(t, 0, "journal", "--csv"); strings.Count(o.stdout, ",ended,") != 4 {
		t.Errorf("journal --csv:\n%s", o.stdout)
	}
}

// A journal path the user gives must be in a folder that exists: begin
// refuses it before a session is created, and nothing is made; the
// default location's folders are made as needed.
func TestJournalPathInAMissingFolder(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{SecretKey: testSecret}).Handler())
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing", "d")
	path := filepath.Join(missing, "j.db")
	m := sessionEnv(base, true)
	m["XDG_STATE_HOME"] = filepath.Join(dir, "state")
	c := cli{env: m}
	for _, args := range [][]string{
		{"begin", flowFile, "--no-qr", "--journal", path}, {"journal", "--journal", path},
		{"journal", "summary", "--journal", path}, {"journal", "purge", "--before", "today", "--journal", path},
		{"result", strings.Repeat("a", 40), "--journal", path},
	} {
		o := c.run(t, args...)
		if want := "--journal " + path + ": folder " + missing + " does not exist"; o.code != 2 || o.stdout != "" || !strings.Contains(o.stderr, want) {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s\nwant %q", args, o.code, o.stdout, o.stderr, want)
		}
	}
	m["IDENTOFLOW_JOURNAL"] = path
	if o := c.run(t, "begin", flowFile, "--no-qr"); o.code != 2 || !strings.Contains(o.stderr, "$IDENTOFLOW_JOURNAL "+path+": folder "+missing+" does not exist") {
		t.Errorf("IDENTOFLOW_JOURNAL in a missing folder: exit %d, %s", o.code, o.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("a folder was made for the journal: %v", err)
	}
	delete(m, "IDENTOFLOW_JOURNAL")
	c.runWant(t, 0, "begin", flowFile, "--no-qr")
	if _, err := os.Stat(filepath.Join(dir, "state", "identoflow", journal.FileName)); err != nil {
		t.Errorf("the default journal: %v", err)
	}
	// The wizard and desk mode are told why they have no journal.
	var lc tui.LaunchConfig
	f := journalFlags{path: path, retain: "7d"}
	if j := f.openForScreens(context.Background(), env{getenv: func(string) string { return "" }}, &lc); j != nil || !strings.Contains(lc.JournalProblem, "folder "+missing+" does not exist") {
		t.Errorf("screens: problem %q", lc.JournalProblem)
	}
}

// One long customer name neither wraps the rows of an 80-column terminal
// nor widens every row when piped; --json keeps it whole.
func TestJournalTableWidth(t *testing.T) {
	base := serve(t, sandbox.New(sandbox.Options{SecretKey: testSecret}).Handler())
	m, _ := journalEnv(t, base)
	c := cli{env: m}
	long := strings.Repeat("Very Long Customer Name ", 12)
	data, err := os.ReadFile(flowFile)
	if err != nil {
		t.Fatal(err)
	}
	longFlow := filepath.Join(t.TempDir(), "long.json")
	if err := os.WriteFile(longFlow, bytes.Replace(data, []byte(`"Branch 12 walk-in"`), []byte(`"`+long+`"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	c.runWant(t, 0, "begin", flowFile, "--no-qr")
	c.runWant(t, 0, "begin", longFlow, "--no-qr")
	table := func(out string) []string {
		head, _, _ := strings.Cut(out, "\n\n")
		return strings.Split(head, "\n")
	}
	c.terminal = true
	rows := table(c.runWant(t, 0, "journal").stdout)
	for _, r := range rows {
		if ansi.StringWidth(r) > 80 {
			t.Errorf("a row of %d cells on an 80-column terminal:\n%s", ansi.StringWidth(r), strings.Join(rows, "\n"))
		}
	}
	if len(rows) != 3 || !strings.Contains(rows[1], "Branch 12 walk-in") || !strings.Contains(rows[2], "Very Long Customer Name…") {
		t.Errorf("on a terminal:\n%s", strings.Join(rows, "\n"))
	}
	c.terminal = false
	rows = table(c.runWant(t, 0, "journal", "list").stdout)
	if len(rows) != 3 || ansi.StringWidth(rows[1]) > 160 || !strings.Contains(rows[2], "…") {
		t.Errorf("piped:\n%s", strings.Join(rows, "\n"))
	}
	if s := journalSessions(t, c); len(s) != 2 || s[1]["customer"] != long {
		t.Errorf("--json: %v", s)
	}
	if o := c.runWant(t, 0, "journal", "--help"); !strings.Contains(o.stdout, "--json and --csv print every value whole") {
		t.Errorf("journal --help:\n%s", o.stdout)
	}
}

// TestI18nRoundTripIsANoOp exports every template and testdata flow in
// every format and imports the file unchanged: the flow must come back
// byte for byte, and -w must leave the file alone.
func TestI18nRoundTripIsANoOp(t *testing.T) {
	flows := append(templateFiles(t), glob(t, "testdata/valid/*.json", 3)...)
	flows = append(flows, glob(t, "testdata/invalid/*.json", 10)...)
	dir := t.TempDir()
	n := 0
	for _, name := range flows {
		data, _ := os.ReadFile(name)
		if _, err := flow.Parse(data); err != nil {
			continue
		}
		for _, format := range []string{"xlf", "po", "csv"} {
			file := filepath.Join(dir, "ru."+format)
			cli{}.runWant(t, 0, "i18n", "export", name, "--lang", "ru", "-o", file)
			o := cli{}.runWant(t, 0, "i18n", "import", name, file)
			if o.stdout != string(data) {
				t.Errorf("%s via %s: the round trip changed the flow:\n%s", name, format, o.stdout)
			}
			o = cli{}.runWant(t, 0, "i18n", "import", name, file, "-w")
			if after, _ := os.ReadFile(name); !bytes.Equal(after, data) || !strings.Contains(o.stderr, "nothing to change") {
				t.Errorf("%s via %s: -w changed the file: %s", name, format, o.stderr)
			}
			n++
		}
	}
	if n < 60 {
		t.Fatalf("only %d round trips", n)
	}
}

func TestI18nImportWrites(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "flow.json")
	tpl := cli{}.runWant(t, 0, "templates", "onboarding-questionnaire").stdout
	if err := os.WriteFile(name, []byte(tpl), 0o640); err != nil {
		t.Fatal(err)
	}
	po := cli{}.runWant(t, 0, "i18n", "export", name, "--lang", "ka", "--format", "po").stdout
	po = strings.Replace(po, "msgid \"About you\"\nmsgstr \"\"", "msgid \"About you\"\nmsgstr \"თქვენ შესახებ\"", 1)
	po = strings.Replace(po, "msgctxt \"/steps/1/description\"", "msgctxt \"/steps/9/description\"", 1)
	file := filepath.Join(dir, "ka.txt") // no extension: the format is told from the contents
	if err := os.WriteFile(file, []byte(po), 0o600); err != nil {
		t.Fatal(err)
	}
	o := cli{}.runWant(t, 0, "i18n", "import", name, file, "-w")
	for _, want := range []string{"1 of 14 translations into Georgian applied", "/steps/9/description: not applied: the flow has no text at this ID", "wrote "} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, o.stderr)
		}
	}
	c, err := flow.Parse([]byte(tpl))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetText("/steps/1/title", "ka", "თქვენ შესახებ"); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(name)
	if string(after) != string(c.Bytes()) {
		t.Errorf("written flow:\n%s\nwant\n%s", after, c.Bytes())
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o640 {
		t.Errorf("the file's permissions changed to %v", st.Mode().Perm())
	}
	if leftovers := glob(t, filepath.Join(dir, "*"), 2); len(leftovers) != 2 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestI18nStatus(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "flow.json")
	doc := `{"flags": {"language": "ka"}, "steps": [{"type": "language", "flags": {"languages": ["ka", "ru"]}},
	  {"type": "kyb-review", "title": {"ka": "შემოწმება", "ru": "Проверка"}, "description": "აღწერა"},
	  {"type": "operator-questionnaire", "key": "op", "title": {"en": "Review"}, "questions": []}]}`
	if err := os.WriteFile(name, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	o := cli{}.runWant(t, 0, "i18n", "status", name)
	for _, want := range []string{"2 texts, shown in ka, ru", "ka  Georgian  2 of 2", "ru  Russian   1 of 2  1 missing", "1 plain strings count as ka", "1 texts of operator questionnaires are not counted"} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, o.stdout)
		}
	}
	o = cli{}.runWant(t, 1, "i18n", "status", name, "--strict", "--json")
	// Member names in snake_case, as in every other JSON output.
	var s struct {
		Texts         int    `json:"texts"`
		OperatorTexts int    `json:"operator_texts"`
		PlainTexts    int    `json:"plain_texts"`
		FlowLanguage  string `json:"flow_language"`
		Languages     []struct {
			Lang       string `json:"lang"`
			Translated int    `json:"translated"`
			Missing    int    `json:"missing"`
		} `json:"languages"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &s); err != nil || s.Texts != 2 || len(s.Languages) != 2 || s.Languages[1].Missing != 1 ||
		s.OperatorTexts != 1 || s.PlainTexts != 1 || s.FlowLanguage != "ka" {
		t.Errorf("--json: %v\n%s", err, o.stdout)
	}
	full := strings.Replace(doc, `"description": "აღწერა"`, `"description": {"ka": "აღწერა", "ru": "Описание"}`, 1)
	if err := os.WriteFile(name, []byte(full), 0o600); err != nil {
		t.Fatal(err)
	}
	cli{}.runWant(t, 0, "i18n", "status", name, "--strict")
	// The flow's language first, whatever its place in the alphabet; an
	// export says how many texts lack the target language.
	ru := filepath.Join(dir, "ru.json")
	if err := os.WriteFile(ru, []byte(`{"flags": {"language": "ru"}, "steps": [{"type": "language", "flags": {"languages": ["en", "ka", "ru"]}},
	  {"type": "kyb-review", "title": {"ru": "Проверка", "en": "Review", "ka": "შემოწმება"}, "description": {"ru": "Описание", "ka": "აღწერა"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if o := (cli{}).runWant(t, 0, "i18n", "status", ru); !strings.HasPrefix(o.stdout, ru+": 2 texts, shown in ru, en, ka\n  ru  Russian   2 of 2\n  en  English   1 of 2  1 missing\n") {
		t.Errorf("status of a Russian flow:\n%s", o.stdout)
	}
	for lang, want := range map[string]string{"ka": "2 texts from Russian, 0 missing in Georgian", "en": "2 texts from Russian, 1 missing in English"} {
		if o := (cli{}).runWant(t, 0, "i18n", "export", ru, "--lang", lang); o.stderr != "identoflow: "+want+"\n" {
			t.Errorf("export --lang %s: %q, want %q", lang, o.stderr, want)
		}
	}
	cli{}.runWant(t, 2, "i18n", "status", filepath.Join(dir, "missing.json"))
	if err := os.WriteFile(name, []byte("{\n  \"steps\": [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if o := (cli{}).runWant(t, 1, "i18n", "status", name); !strings.HasPrefix(o.stderr, "identoflow: "+name+":3:1: ") {
		t.Errorf("a file that is not JSON: %s", o.stderr)
	}
}

func TestI18nUsageAndBadFiles(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "flow.json")
	if err := os.WriteFile(name, []byte(cli{}.runWant(t, 0, "templates", "kyb").stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("id,source:en,target:ru\r\n/steps/0/title,\"Company\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		code int
		args []string
		want string
	}{
		{2, []string{"i18n", "export", name}, "--lang is required"},
		{2, []string{"i18n", "export", name, "--lang", "xx"}, `"xx" is not a language code`},
		{2, []string{"i18n", "export", name, "--lang", "en"}, "both"},
		{2, []string{"i18n", "export", name, "--lang", "ru", "--format", "json"}, "unknown format"},
		{2, []string{"i18n", "import", "-", bad, "-w"}, "-w writes the flow back"},
		{2, []string{"i18n", "import", name, filepath.Join(dir, "none.po")}, "no such file"},
		{1, []string{"i18n", "import", name, bad}, "bad.csv: line 2, column"},
		{2, []string{"i18n", "statu", name}, `unknown command "statu" for i18n`},
	} {
		o := cli{}.runWant(t, tc.code, tc.args...)
		if !strings.Contains(o.stderr, tc.want) {
			t.Errorf("identoflow %s: stderr %q, want %q", strings.Join(tc.args, " "), o.stderr, tc.want)
		}
	}
	o := cli{}.runWant(t, 0, "i18n", "export", name, "--lang", "ru", "--missing", "--format", "csv")
	if !strings.HasPrefix(o.stdout, "id,context,source:en,target:ru,source_hash\r\n") || !strings.Contains(o.stderr, "the flow does not show ru yet") {
		t.Errorf("export: %s\n%s", o.stdout, o.stderr)
	}
}

// TestI18nExportEscapesControls: an exported file holds no character a
// terminal acts on, whether it is shown or piped; CSV escapes them.
// -o - is standard output, as elsewhere; no file named "-" is made.
func TestI18nExportToStandardOutput(t *testing.T) {
	abs, err := filepath.Abs(flowFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	want := (cli{}).runWant(t, 0, "i18n", "export", abs, "--lang", "ru").stdout
	for _, args := range [][]string{{"-o", "-"}, {"--output=-"}} {
		o := (cli{}).runWant(t, 0, append([]string{"i18n", "export", abs, "--lang", "ru"}, args...)...)
		if o.stdout != want || !strings.Contains(o.stdout, "<xliff") {
			t.Errorf("%v: stdout\n%s", args, o.stdout)
		}
		if _, err := os.Stat("-"); !os.IsNotExist(err) {
			t.Fatalf("%v: a file named - (%v)", args, err)
		}
	}
	if o := (cli{}).runWant(t, 0, "i18n", "export", abs, "--lang", "ru", "-o", "-", "--format", "po"); !strings.Contains(o.stdout, "msgid") {
		t.Errorf("-o - --format po:\n%s", o.stdout)
	}
	if o := (cli{}).runWant(t, 0, "i18n", "export", "--help"); !strings.Contains(o.stdout, "with -o -, to standard output") {
		t.Errorf("--help:\n%s", o.stdout)
	}
}

func TestI18nExportEscapesControls(t *testing.T) {
	name := filepath.Join(t.TempDir(), "flow.json")
	doc := `{"steps": [{"type": "kyb-review", "title": {"en": "evil \u001b]52;c;aGk=\u0007 \u202e"}}]}`
	if err := os.WriteFile(name, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, terminal := range []bool{true, false} {
		for _, format := range []string{"csv", "po", "xliff"} {
			var stdout, stderr bytes.Buffer
			e := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, terminal: func(io.Writer) bool { return terminal }}
			if code := run([]string{"i18n", "export", name, "--lang", "ru", "--format", format}, e); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if out := stdout.String(); strings.ContainsAny(out, "\x1b\x07\u202e") || (format == "csv" && !strings.Contains(out, `evil \u001b]52;c;aGk=\u0007 \u202e`)) {
				t.Errorf("%s (terminal %v): %q", format, terminal, out)
			}
		}
	}
}

// TestMain runs the command itself when asked to, so that tests can hand
// this binary to git as its diff driver.
func TestMain(m *testing.M) {
	if os.Getenv("IDENTOFLOW_TEST_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

const (
	oldFlow = "testdata/diff/old.flow.json"
	newFlow = "testdata/diff/new.flow.json"
)

func TestDiffGolden(t *testing.T) {
	o := cli{}.runWant(t, 1, "diff", oldFlow, newFlow)
	golden.RequireEqual(goldenName{t, "golden/diff-text"}, o.stdout)
	o = cli{}.runWant(t, 1, "diff", "--format", "json", oldFlow, newFlow)
	golden.RequireEqual(goldenName{t, "golden/diff-json"}, o.stdout)
	o = cli{}.runWant(t, 1, "diff", "--format", "markdown", oldFlow, newFlow)
	golden.RequireEqual(goldenName{t, "golden/diff-markdown"}, o.stdout)
}

// writeFile writes a file under dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiffExitCodes(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(oldFlow)
	if err != nil {
		t.Fatal(err)
	}
	v, err := flow.ParseValue(data)
	if err != nil {
		t.Fatal(err)
	}
	compact := writeFile(t, dir, "compact.json", string(flow.MarshalCompact(v)))
	broken := writeFile(t, dir, "broken.json", "{\n  \"steps\": [}\n")

	o := cli{}.runWant(t, 0, "diff", oldFlow, compact)
	if !strings.Contains(o.stdout, ": no semantic differences") {
		t.Errorf("a reformatted copy:\n%s", o.stdout)
	}
	o = cli{stdin: bytes.NewReader(data)}.runWant(t, 0, "diff", "-", oldFlow)
	if !strings.HasPrefix(o.stdout, "<stdin> → "+oldFlow+": no semantic differences") {
		t.Errorf("stdin:\n%s", o.stdout)
	}
	o = cli{}.runWant(t, 2, "diff", oldFlow, broken)
	if !strings.Contains(o.stderr, "identoflow: "+broken+":2:13: unexpected character '}', expected a value") || o.stdout != "" {
		t.Errorf("invalid JSON: %q %q", o.stdout, o.stderr)
	}
	o = cli{}.runWant(t, 2, "diff", filepath.Join(dir, "missing.json"), oldFlow)
	if !strings.Contains(o.stderr, "missing.json: no such file") {
		t.Errorf("missing file: %q", o.stderr)
	}
	cli{}.runWant(t, 2, "diff", oldFlow)
	cli{}.runWant(t, 2, "diff", oldFlow, newFlow, compact)
	cli{}.runWant(t, 2, "diff", "--format", "yaml", oldFlow, newFlow)
	cli{}.runWant(t, 2, "diff", "-", "-")
}

func TestDiffColour(t *testing.T) {
	runDiff := func(terminal bool, env map[string]string, args ...string) string {
		var stdout, stderr bytes.Buffer
		run(append([]string{"diff"}, args...), env2(&stdout, &stderr, env, terminal))
		return stdout.String()
	}
	if out := runDiff(true, map[string]string{"TERM": "xterm"}, oldFlow, newFlow); !strings.Contains(out, "\x1b[") {
		t.Errorf("no colour on a terminal:\n%q", out)
	}
	for _, env := range []map[string]string{{"TERM": "xterm", "NO_COLOR": "1"}, {"TERM": "dumb"}} {
		if out := runDiff(true, env, oldFlow, newFlow); strings.Contains(out, "\x1b") {
			t.Errorf("colour with %v:\n%q", env, out)
		}
	}
	if out := runDiff(false, map[string]string{"TERM": "xterm"}, oldFlow, newFlow); strings.Contains(out, "\x1b") {
		t.Errorf("colour into a pipe:\n%q", out)
	}
	// Under git, its pager shows colours.
	gitArgs := []string{"f.flow.json", oldFlow, strings.Repeat("a", 40), "100644", newFlow, strings.Repeat("b", 40), "100644"}
	if out := runDiff(false, map[string]string{"TERM": "xterm", "GIT_PAGER_IN_USE": "true"}, gitArgs...); !strings.Contains(out, "\x1b[") {
		t.Errorf("no colour in git's pager:\n%q", out)
	}
}

func env2(stdout, stderr io.Writer, vars map[string]string, terminal bool) env {
	return env{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv: func(k string) string { return vars[k] }, terminal: func(io.Writer) bool { return terminal }}
}

// The seven arguments git passes an external diff (and nine for a rename):
// the driver always exits 0, or git stops.
func TestDiffAsGitDriver(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, dir, "broken.json", "{")
	hexA, hexB := strings.Repeat("a", 40), strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"flows/kyc.flow.json", oldFlow, hexA, "100644", newFlow, hexB, "100644"},
			"flows/kyc.flow.json: 10 changes; introduces 2 errors, 2 warnings; fixes 1 warning\n"},
		{[]string{"flows/kyc.flow.json", "/dev/null", ".", ".", newFlow, hexB, "100644"},
			"flows/kyc.flow.json (new file): "},
		{[]string{"flows/kyc.flow.json", oldFlow, hexA, "100755", "/dev/null", ".", "."},
			"flows/kyc.flow.json (deleted): "},
		{[]string{"old.flow.json", oldFlow, hexA, "100644", newFlow, hexB, "100644", "new.flow.json", "similarity index 90%\nrename from old.flow.json\n"},
			"old.flow.json → new.flow.json: 10 changes"},
		{[]string{"flows/kyc.flow.json", oldFlow, hexA, "100644", broken, hexB, "100644"},
			"flows/kyc.flow.json: cannot compare: new version of flows/kyc.flow.json:1:2: unexpected end of input"},
	}
	for _, tt := range tests {
		o := cli{}.runWant(t, 0, append([]string{"diff"}, tt.args...)...)
		if !strings.HasPrefix(o.stdout, tt.want) {
			t.Errorf("diff %s:\n%s\nwant it to start with %q", strings.Join(tt.args, " "), o.stdout, tt.want)
		}
	}
	o := cli{env: map[string]string{"GIT_DIFF_PATH_TOTAL": "1"}}.runWant(t, 0, "diff", "flows/kyc.flow.json")
	if !strings.Contains(o.stdout, "unmerged") {
		t.Errorf("unmerged path: %q", o.stdout)
	}
	// Not git's form: seven arguments that are not blob names and modes.
	cli{}.runWant(t, 2, "diff", "a", "b", "c", "d", "e", "f", "g")
}

// git runs a command through the shell: the binary and its arguments,
// quoted for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestGitDiffShowsTheSemanticDiff sets up a repository as README says
// (.gitattributes and git config) and checks that `git diff` prints the
// semantic diff, through this test binary standing in for identoflow.
func TestGitDiffShowsTheSemanticDiff(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	home := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, args...)
		cmd.Dir = repo
		// The repository and its settings are the test's own, whatever
		// git variables the tests run under.
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "GIT_") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_PAGER=cat", "PAGER=cat", "NO_COLOR=1", "IDENTOFLOW_TEST_RUN_MAIN=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	copyFile := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, repo, to, string(data))
	}
	git("init", "-q")
	// The two lines README gives.
	writeFile(t, repo, ".gitattributes", "*.flow.json diff=identoflow\n")
	git("config", "diff.identoflow.command", shellQuote(exe)+" diff")
	copyFile(oldFlow, "kyc.flow.json")
	git("add", ".")
	git("commit", "-q", "-m", "first")

	copyFile(newFlow, "kyc.flow.json")
	out := git("diff")
	for _, want := range []string{
		"kyc.flow.json: 10 changes; introduces 2 errors, 2 warnings; fixes 1 warning",
		`~ moved step "identity-document" from 2 to 4`,
		`~ step "survey" › renamed question "city" to "town"`,
		"introduces error locked-mandatory at kyc.flow.json:33:54 /steps/4/fields/1/mandatory",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("git diff lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "@@") {
		t.Errorf("git diff printed a line diff:\n%s", out)
	}
	git("commit", "-q", "-a", "-m", "second")
	if out := git("show", "--ext-diff", "HEAD"); !strings.Contains(out, `~ step "survey" › renamed question "city" to "town"`) {
		t.Errorf("git show --ext-diff:\n%s", out)
	}

	// Reformatting alone is no difference; a new file lists its steps.
	git("checkout", "-q", "kyc.flow.json")
	data, err := os.ReadFile(filepath.Join(repo, "kyc.flow.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := flow.ParseValue(data)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, repo, "kyc.flow.json", string(flow.MarshalCompact(v)))
	copyFile(newFlow, "new.flow.json")
	git("add", "new.flow.json")
	out = git("diff", "HEAD")
	if !strings.Contains(out, "kyc.flow.json: no semantic differences") || !strings.Contains(out, `new.flow.json (new file): `) ||
		!strings.Contains(out, `+ added step "survey" (user-questionnaire) at 6`) {
		t.Errorf("git diff HEAD:\n%s", out)
	}
}

func TestFmt(t *testing.T) {
	dir := t.TempDir()
	// Unknown fields, number literals, escapes and repeated names survive.
	messy := `{"x-note":{"b":1.50,"a":1e3},  "name":"A\u00e9\/b", "name": "B",
	"steps":[{"type":"liveness","flags":{}, "extra": [ ] }]}`
	want := "{\n  \"x-note\": {\n    \"b\": 1.50,\n    \"a\": 1e3\n  },\n  \"name\": \"Aé/b\",\n  \"name\": \"B\",\n" +
		"  \"steps\": [\n    {\n      \"type\": \"liveness\",\n      \"flags\": {},\n      \"extra\": []\n    }\n  ]\n}\n"
	messyFile := writeFile(t, dir, "messy.json", messy)
	o := cli{}.runWant(t, 0, "fmt", messyFile)
	if o.stdout != want {
		t.Errorf("fmt printed:\n%s\nwant:\n%s", o.stdout, want)
	}
	if o := (cli{stdin: strings.NewReader(messy)}).runWant(t, 0, "fmt", "-"); o.stdout != want {
		t.Errorf("fmt - printed:\n%s", o.stdout)
	}
	clean := writeFile(t, dir, "clean.json", want)
	o = cli{}.runWant(t, 1, "fmt", "--check", clean, messyFile)
	if o.stdout != messyFile+"\n" {
		t.Errorf("--check listed %q, want only the messy file", o.stdout)
	}
	cli{}.runWant(t, 0, "fmt", "--check", clean)
	if data, _ := os.ReadFile(messyFile); string(data) != messy {
		t.Error("--check changed a file")
	}

	// -w writes through a symbolic link, keeps the file's permissions and
	// leaves no temporary file behind.
	if err := os.Chmod(messyFile, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("messy.json", link); err != nil {
		t.Fatal(err)
	}
	cli{}.runWant(t, 0, "fmt", "-w", link, clean)
	if data, _ := os.ReadFile(messyFile); string(data) != want {
		t.Errorf("-w wrote:\n%s", data)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if fi, _ := os.Stat(messyFile); fi.Mode().Perm() != 0o640 {
		t.Errorf("permissions %v, want 0640", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("files left in the directory: %v", entries)
	}
	cli{}.runWant(t, 0, "fmt", "--check", messyFile)
}

func TestFmtErrors(t *testing.T) {
	dir := t.TempDir()
	broken := writeFile(t, dir, "broken.json", "{\n  \"a\": tru\n}")
	good := writeFile(t, dir, "good.json", "{}\n")
	o := cli{}.runWant(t, 2, "fmt", "--check", broken, good)
	if !strings.Contains(o.stderr, broken+`:2:8: invalid literal, expected "true"`) {
		t.Errorf("invalid JSON: %q", o.stderr)
	}
	o = cli{}.runWant(t, 2, "fmt", "-w", broken)
	if data, _ := os.ReadFile(broken); string(data) != "{\n  \"a\": tru\n}" {
		t.Error("-w changed a file that is not JSON")
	}
	cli{}.runWant(t, 2, "fmt", filepath.Join(dir, "missing.json"))
	cli{}.runWant(t, 2, "fmt", "-w", "--check", good)
	cli{}.runWant(t, 2, "fmt", "-w", "-")
	cli{}.runWant(t, 2, "fmt", "-", "-")
	cli{}.runWant(t, 2, "fmt")

	// A credential is never printed; rewriting the file in place is fine.
	key := "ck-fmt-0123456789abcdef"
	withKey := writeFile(t, dir, "key.json", `{"company_key":"`+key+`","steps":[]}`)
	o = cli{secrets: []string{key}}.runWant(t, 2, "fmt", withKey)
	if !strings.Contains(o.stderr, "credential") {
		t.Errorf("credential: %q", o.stderr)
	}
	cli{secrets: []string{key}}.runWant(t, 0, "fmt", "-w", withKey)
}

func TestValidateCIFormats(t *testing.T) {
	files := []string{"testdata/invalid/type.json", "testdata/valid/kyc-basic.json", "testdata/cli/missing.json"}
	o := cli{}.runWant(t, 2, append([]string{"validate", "--format", "github"}, files...)...)
	for _, want := range []string{
		"::error file=testdata/invalid/type.json,line=3,col=12,title=type::/flags: \"flags\" must be an object",
		"::warning file=testdata/invalid/type.json,line=9,col=5,title=duplicate-step::/steps/0: ",
		"::error file=testdata/cli/missing.json,title=unreadable::cannot read: no such file\n",
	} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("github format lacks %q:\n%s", want, o.stdout)
		}
	}
	o = cli{}.runWant(t, 2, append([]string{"validate", "--format", "sarif"}, files...)...)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					Physical struct {
						Artifact struct{ URI string } `json:"artifactLocation"`
						Region   struct{ StartLine, StartColumn int }
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF log (%v):\n%s", err, o.stdout)
	}
	found := false
	for _, r := range log.Runs[0].Results {
		l := r.Locations[0].Physical
		if r.RuleID == "type" && l.Artifact.URI == "testdata/invalid/type.json" && l.Region.StartLine == 3 && l.Region.StartColumn == 12 {
			found = true
		}
	}
	if !found {
		t.Errorf("no type result at 3:12:\n%s", o.stdout)
	}
	cli{}.runWant(t, 2, "validate", "--format", "xml", files[1])
}

func TestValidateSeverityFilter(t *testing.T) {
	f := writeFile(t, t.TempDir(), "f.json", `{"scheduleStartTime": "soon", "steps": [{"type": "liveness"}]}`) // an error, a warning and an info
	count := func(out, sev string) int { return strings.Count(out, ": "+sev+" ") }
	o := cli{}.runWant(t, 1, "validate", f)
	if count(o.stdout, "error") == 0 || count(o.stdout, "warning") == 0 || count(o.stdout, "info") == 0 {
		t.Fatalf("the file should have each severity:\n%s", o.stdout)
	}
	for _, args := range [][]string{{"--quiet"}, {"-q"}, {"--severity", "warning"}} {
		o = cli{}.runWant(t, 1, append(append([]string{"validate"}, args...), f)...)
		if count(o.stdout, "info") != 0 || count(o.stdout, "warning") == 0 || count(o.stdout, "error") == 0 {
			t.Errorf("%v:\n%s", args, o.stdout)
		}
	}
	o = cli{}.runWant(t, 1, "validate", "--severity", "error", "--format", "json", f)
	if strings.Contains(o.stdout, `"warning"`) || !strings.Contains(o.stdout, `"error"`) {
		t.Errorf("--severity error:\n%s", o.stdout)
	}
	// The summary counts what was hidden too.
	o = cli{}.runWant(t, 1, "validate", "--severity", "error", f)
	if want := "1 file: 0 valid, 1 invalid (1 error, 1 warning hidden, 1 info hidden)\n"; !strings.HasSuffix(o.stdout, want) {
		t.Errorf("--severity error, want the summary %q:\n%s", want, o.stdout)
	}
	// Hidden warnings still fail --strict: validity is judged on
	// everything, and the file says why it fails.
	o = cli{}.runWant(t, 1, "validate", "--strict", "--severity", "error", "testdata/invalid/localize.json")
	if want := "testdata/invalid/localize.json: invalid; 2 warnings hidden\n" +
		"1 file: 0 valid, 1 invalid (0 errors, 2 warnings hidden, 0 info)\n"; o.stdout != want {
		t.Errorf("--strict --severity error:\n%s\nwant:\n%s", o.stdout, want)
	}
	cli{}.runWant(t, 2, "validate", "--severity", "fatal", f)
	cli{}.runWant(t, 2, "validate", "--quiet", "--severity", "error", f)
}

// The JSON form of diff that README documents uses the members the
// command writes, and no other.
func TestDiffJSONMatchesREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "The JSON form, stable:\n\n```json\n")
	block, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("README has no JSON example of diff")
	}
	keys := func(data []byte) map[string]bool {
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		out := map[string]bool{}
		// A change's "old" and "new" are values from the configs.
		var walk func(v any, top bool)
		walk = func(v any, top bool) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					out[k] = true
					if top || (k != "old" && k != "new") {
						walk(x, false)
					}
				}
			case []any:
				for _, x := range v {
					walk(x, false)
				}
			}
		}
		walk(doc, true)
		return out
	}
	documented := keys([]byte(block))
	o := cli{}.runWant(t, 1, "diff", "--format", "json", oldFlow, newFlow)
	written := keys([]byte(o.stdout))
	delete(written, "old_where") // written only for renames and moves between lists
	for k := range documented {
		if !written[k] && k != "old_where" {
			t.Errorf("README documents %q, which diff does not write here", k)
		}
	}
	for k := range written {
		if !documented[k] && !strings.Contains(block, `"`+k+`"`) && !strings.Contains(string(readme), "`"+k+"`") {
			t.Errorf("diff writes %q, which README does not document", k)
		}
	}
}

// Desk mode and the wizard refuse a bad --retain or --lock-after before
// they need a terminal.
func TestDeskJournalFlags(t *testing.T) {
	c := cli{env: map[string]string{}}
	for _, args := range [][]string{
		{"desk", "--retain", "soon"}, {"desk", "--lock-after", "-5m"}, {"desk", "--lock-after", "often"},
		{"--retain", "-1d"}, {"edit", "flow.json", "--retain", "soon"},
	} {
		if o := c.run(t, args...); o.code != 2 || !strings.Contains(o.stderr, args[len(args)-2]) || strings.Contains(o.stderr, "unknown flag") {
			t.Errorf("%v: exit %d, stderr %s", args, o.code, o.stderr)
		}
	}
}

// The screens get the journal and its retention; one that cannot be
// opened is a reason to show, not an error.
func TestOpenJournalForScreens(t *testing.T) {
	dir := t.TempDir()
	e := env{getenv: func(string) string { return "" }}
	f := journalFlags{path: filepath.Join(dir, "journal.db"), retain: "12h"}
	var lc tui.LaunchConfig
	j := f.openForScreens(context.Background(), e, &lc)
	if j == nil || lc.Journal != j || lc.Retain != 12*time.Hour || lc.JournalProblem != "" {
		t.Fatalf("journal %v, config %v, retain %v, problem %q", j, lc.Journal, lc.Retain, lc.JournalProblem)
	}
	j.Close()
	f.path = dir // a directory
	lc = tui.LaunchConfig{}
	if j := f.openForScreens(context.Background(), e, &lc); j != nil || lc.Journal != nil || !strings.Contains(lc.JournalProblem, "directory") {
		t.Fatalf("journal %v, problem %q", j, lc.JournalProblem)
	}
	f.off = true
	lc = tui.LaunchConfig{}
	if j := f.openForScreens(context.Background(), e, &lc); j != nil || lc.JournalProblem != "" {
		t.Fatalf("--no-journal: journal %v, problem %q", j, lc.JournalProblem)
	}
}

// syncWriter is an output written by a running command and read by a test.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// Tried as a new user would: `identoflow sandbox --lan`, a session of
// the onboarding questionnaire, its pages walked by form posts through
// 127.0.0.1 (the sandbox listens on every interface), its answers in
// result/.
func TestSandboxLAN(t *testing.T) {
	var stdout, stderr syncWriter
	e := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	root := newRootCmd(e)
	root.SetArgs([]string{"sandbox", "--lan", "--addr", ":0"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	portRE := regexp.MustCompile(`listens on every interface, port (\d+)\.`)
	var port string
	for deadline := time.Now().Add(2 * time.Minute); port == "" && time.Now().Before(deadline); {
		if m := portRE.FindStringSubmatch(stdout.String()); m != nil {
			port = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("sandbox --lan stopped: %v\n%s%s", err, stdout.String(), stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if port == "" {
		t.Fatalf("sandbox --lan never said where it listens:\n%s%s", stdout.String(), stderr.String())
	}
	out := stdout.String()
	if lan, _ := sandbox.LANAddrs(); len(lan) > 0 && !strings.Contains(out, "reachable from the local network at http://"+net.JoinHostPort(lan[0].String(), port)) {
		t.Errorf("output does not say where the local network reaches it:\n%s", out)
	}
	base := "http://127.0.0.1:" + port
	tpl, err := flow.TemplateConfig("onboarding-questionnaire")
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Options{BaseURL: base, CompanyKey: "test", RetryBudget: -1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Begin(ctx, tpl.RequestBody(), api.EncodingJSON)
	if err != nil {
		t.Fatal(err)
	}
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, base), s.Token)
	w.Picks["q0"] = []string{"self-employed"}
	w.Picks["q1"] = []string{"Taller Ana"}
	w.Picks["q2"] = []string{"payments"}
	if resp := w.Finish(w.Run(), "approved", ""); resp.Status != http.StatusOK {
		t.Fatalf("outcome: %d", resp.Status)
	}
	res, err := c.Result(ctx, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	var qs []struct {
		Key     string `json:"key"`
		Answers []struct {
			Key   string `json:"key"`
			Value any    `json:"value"`
		} `json:"answers"`
	}
	if err := json.Unmarshal(res.Questionnaires, &qs); err != nil || len(qs) != 1 || qs[0].Key != "onboarding" {
		t.Fatalf("questionnaires (%v): %s", err, res.Questionnaires)
	}
	got := map[string]string{}
	for _, a := range qs[0].Answers {
		got[a.Key] = fmt.Sprint(a.Value)
	}
	want := map[string]string{"employment-status": "self-employed", "business-name": "Taller Ana", "purpose": "[payments]"}
	if !maps.Equal(got, want) {
		t.Errorf("answers %v, want %v", got, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("sandbox --lan on shutdown: %v", err)
	}
}

// Behind a tunnel, the sandbox says how to create a session through it,
// company key included, as --lan does.
func TestSandboxPublicURLHint(t *testing.T) {
	var stdout, stderr syncWriter
	e := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	root := newRootCmd(e)
	root.SetArgs([]string{"sandbox", "--public-url", "https://abc.ngrok.app", "--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	want := "Create sessions through it: IDENTOMAT_BASE_URL=https://abc.ngrok.app IDENTOMAT_COMPANY_KEY=test identoflow begin FLOW.json\n"
	for deadline := time.Now().Add(2 * time.Minute); !strings.Contains(stdout.String(), want) && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("sandbox stopped: %v\n%s%s", err, stdout.String(), stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("sandbox on shutdown: %v", err)
	}
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, stdout.String())
	}
	// A pinned key is a key: not shown.
	if got := sandboxBeginHint("http://192.168.1.23:8790", "pinned-7d1e"); strings.Contains(got, "pinned") || !strings.Contains(got, "IDENTOMAT_COMPANY_KEY=... ") {
		t.Errorf("hint with a pinned key: %q", got)
	}
}

func TestSandboxPublicURLFromEnvironment(t *testing.T) {
	o := cli{env: map[string]string{"IDENTOFLOW_PUBLIC_URL": "https://x.example/path"}}.runWant(t, 2, "sandbox")
	if !strings.Contains(o.stderr, "public URL must be an origin") {
		t.Errorf("stderr: %s", o.stderr)
	}
}

// desk's --lan and --public-url (or IDENTOFLOW_PUBLIC_URL) are for its
// built-in sandbox: checked, and refused together or with a server
// configured, before a terminal is needed.
func TestDeskSandboxReachFlags(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"desk", "--lan", "--public-url", "https://tunnel.example"}, "give one"},
		{map[string]string{"IDENTOFLOW_PUBLIC_URL": "https://tunnel.example"}, []string{"desk", "--lan"}, "give one"},
		{map[string]string{"IDENTOMAT_COMPANY_KEY": testKey}, []string{"desk", "--lan"}, "--lan is for the built-in sandbox"},
		{nil, []string{"desk", "--lan", "--base-url", "http://127.0.0.1:8790"}, "--lan is for the built-in sandbox"},
		{nil, []string{"desk", "--public-url", "ftp://tunnel.example"}, "--public-url: public URL must start with https://"},
		{map[string]string{"IDENTOFLOW_PUBLIC_URL": "https://tunnel.example/sub"}, []string{"desk"}, "IDENTOFLOW_PUBLIC_URL: public URL must be an origin"},
	} {
		o := cli{env: tc.env}.runWant(t, 2, tc.args...)
		if !strings.Contains(o.stderr, tc.want) {
			t.Errorf("%v: stderr %q, want %q", tc.args, o.stderr, tc.want)
		}
	}
	// Without a terminal, a valid --lan gets as far as asking for one.
	if o := (cli{}).runWant(t, 2, "desk", "--lan"); !strings.Contains(o.stderr, "interactive terminal") {
		t.Errorf("desk --lan: %s", o.stderr)
	}
}

// The wizard's and desk's built-in sandbox carry the public URL the flag
// or the environment gives.
func TestLaunchConfigPublicURL(t *testing.T) {
	e := env{getenv: func(k string) string {
		return map[string]string{"IDENTOFLOW_PUBLIC_URL": "https://tunnel.example/"}[k]
	}}
	var sf sessionFlags
	cmd := &cobra.Command{}
	sf.registerPublicURL(cmd)
	if lc, err := launchConfig(e, cmd, sf, ""); err != nil || lc.PublicURL != "https://tunnel.example" {
		t.Errorf("from the environment: %q, %v", lc.PublicURL, err)
	}
	if err := cmd.Flags().Set("public-url", "http://other.example"); err != nil {
		t.Fatal(err)
	}
	if lc, err := launchConfig(e, cmd, sf, ""); err != nil || lc.PublicURL != "http://other.example" {
		t.Errorf("from the flag: %q, %v", lc.PublicURL, err)
	}
	// An empty --public-url turns the environment's off, as on the sandbox.
	if err := cmd.Flags().Set("public-url", ""); err != nil {
		t.Fatal(err)
	}
	if lc, err := launchConfig(e, cmd, sf, ""); err != nil || lc.PublicURL != "" {
		t.Errorf("--public-url \"\": %q, %v", lc.PublicURL, err)
	}
}
