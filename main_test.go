package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
)

// Test credentials: long and distinctive, so that finding one in the
// output means it leaked.
const (
	testKey    = "ck9f8e7d6c5b4a39281706f5e4d3c2b1a0test"
	testSecret = "sk9a8b7c6d5e4f30211203f4e5d6c7b8a9test"
)

// cli runs the command in-process with exactly the given environment.
type cli struct {
	env     map[string]string
	stdin   io.Reader
	secrets []string // besides the keys in env, values that must never be printed
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
	code := run(args, env{stdin: stdin, stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return c.env[k] }})
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
	reportLine  = regexp.MustCompile(`^([^:]+)(:/[^ ]*)?: (error|warning|info) ([a-z0-9-]+): (.+)$`)
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
	if !strings.Contains(o.stdout, "testdata/invalid/json-syntax.json: error json-syntax: ") || !lineColumn.MatchString(o.stdout) {
		t.Errorf("not-JSON report lacks json-syntax with line and column:\n%s", o.stdout)
	}
	o = cli{}.runWant(t, 1, "validate", "testdata/cli/not-object.json")
	if !strings.Contains(o.stdout, "error json-syntax: line 3, column 3: ") || !strings.Contains(o.stdout, "object") {
		t.Errorf("not-an-object report:\n%s", o.stdout)
	}
	for _, in := range []string{"[1, 2]", "", "null", `{"steps": [}`} {
		o = cli{stdin: strings.NewReader(in)}.runWant(t, 1, "validate", "-")
		if !strings.HasPrefix(o.stdout, "<stdin>: error json-syntax: line ") {
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
	if !strings.Contains(o.stdout, "<stdin>:/steps/0/type: error unknown-step-type: ") {
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
			if k := sortedKeys(d); !slices.Equal(k, []string{"code", "message", "path", "severity"}) {
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
			t.Errorf("not file:path: severity code: message: %q", l)
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
	if !strings.Contains(o.stdout, `<stdin>:/na\x1b]0;owned\ame: warning unknown-field`) {
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
	o := cli{}.runWant(t, 1, "export", "testdata/invalid/enum.json", "--as", "payload")
	if o.stdout != "" || !strings.Contains(o.stderr, "testdata/invalid/enum.json:/steps/0/flags/document_types/1: error enum: ") ||
		!strings.Contains(o.stderr, "1 error") {
		t.Errorf("export of a file with errors:\nstdout:\n%s\nstderr:\n%s", o.stdout, o.stderr)
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
	if !regexp.MustCompile(`^identoflow \S+\n$`).MatchString(o.stdout) {
		t.Errorf("version: %q", o.stdout)
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
		// Nothing in the output depends on the credentials' values.
		other := map[string]string{"IDENTOMAT_COMPANY_KEY": strings.ToUpper(testKey), "IDENTOMAT_SECRET_KEY": strings.ToUpper(testSecret), "IDENTOMAT_BASE_URL": base}
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
	if o := (cli{env: sessionEnv(base, false)}).runWant(t, 1, "desk", "testdata/invalid/enum.json"); !strings.Contains(o.stderr, "error enum") {
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
	for deadline := time.Now().Add(30 * time.Second); port == "" && time.Now().Before(deadline); {
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

func TestSandboxPublicURLFromEnvironment(t *testing.T) {
	o := cli{env: map[string]string{"IDENTOFLOW_PUBLIC_URL": "https://x.example/path"}}.runWant(t, 2, "sandbox")
	if !strings.Contains(o.stderr, "public URL must be an origin") {
		t.Errorf("stderr: %s", o.stderr)
	}
}
