package export

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// namedConfig is a config the export tests run over.
type namedConfig struct {
	name string
	c    *flow.Config
}

// shippedConfigs returns every built-in template and every file under the
// repository's testdata/valid/.
func shippedConfigs(t *testing.T) []namedConfig {
	t.Helper()
	var out []namedConfig
	for _, tpl := range flow.Templates() {
		c, err := flow.TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatalf("template %s: %v", tpl.Name, err)
		}
		out = append(out, namedConfig{"template " + tpl.Name, c})
	}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "valid", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || len(out) == 0 {
		t.Fatal("no templates or testdata/valid configs to test")
	}
	for _, f := range files {
		out = append(out, namedConfig{f, readConfig(t, f)})
	}
	return out
}

func readConfig(t *testing.T, path string) *flow.Config {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := flow.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

func parseConfig(t *testing.T, text string) *flow.Config {
	t.Helper()
	c, err := flow.Parse([]byte(text))
	if err != nil {
		t.Fatalf("test config: %v", err)
	}
	return c
}

// wantSent is what begin/ should carry for c apart from the key: the
// config without "$schema" or credentials, with flags {} when absent or null.
func wantSent(c *flow.Config) *flow.Value {
	want := c.Root().Clone()
	for _, name := range []string{"$schema", "company_key", "secret_key"} {
		want.Delete(name)
	}
	if f := want.Get("flags"); f == nil || f.Is(flow.Null) {
		want.Set("flags", flow.NewObject(), nil)
	}
	return want
}

// checkPayload parses a payload, checks that company_key comes first with
// value key, and returns the rest.
func checkPayload(t *testing.T, payload []byte, key string) *flow.Value {
	t.Helper()
	v, err := flow.ParseValue(payload)
	if err != nil {
		t.Fatalf("payload is not JSON: %v\n%s", err, payload)
	}
	ms := v.Members()
	if len(ms) == 0 || ms[0].Name != "company_key" {
		t.Fatalf("company_key is not the first member:\n%s", payload)
	}
	if got, _ := ms[0].Value.Str(); got != key {
		t.Fatalf("company_key = %q, want %q", got, key)
	}
	v.Delete("company_key")
	return v
}

func TestPayloadCarriesEveryShippedConfig(t *testing.T) {
	configs := shippedConfigs(t)
	configs = append(configs, namedConfig{"tricky", readConfig(t, filepath.Join("testdata", "tricky-config.json"))})
	for _, nc := range configs {
		t.Run(nc.name, func(t *testing.T) {
			before := nc.c.Bytes()
			p := Payload(nc.c)
			got := checkPayload(t, p, KeyPlaceholder)
			if want := wantSent(nc.c); !flow.Equal(got, want) {
				t.Errorf("payload differs from the config\n got: %s\nwant: %s", flow.Marshal(got), flow.Marshal(want))
			}
			if !bytes.HasSuffix(p, []byte("}\n")) {
				t.Errorf("payload does not end with a newline")
			}
			if !bytes.Equal(before, nc.c.Bytes()) {
				t.Errorf("Payload changed the config")
			}
		})
	}
}

func TestPayloadExactOutput(t *testing.T) {
	// Order kept, number literals kept, $schema and credentials dropped,
	// flags {} right after the key when absent.
	c := parseConfig(t, `{
  "$schema": "https://example.com/identoflow.schema.json",
  "company_key": "ck-do-not-send",
  "name": "desk 1",
  "x-extra": {"b": 1.50, "a": 1e3, "c": -0.0},
  "secret_key": "sk-do-not-send",
  "steps": [{"type": "liveness", "flags": {"liveness": false}}]
}`)
	want := `{
  "company_key": "$IDENTOMAT_COMPANY_KEY",
  "flags": {},
  "name": "desk 1",
  "x-extra": {
    "b": 1.50,
    "a": 1e3,
    "c": -0.0
  },
  "steps": [
    {
      "type": "liveness",
      "flags": {
        "liveness": false
      }
    }
  ]
}
`
	if got := string(Payload(c)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPayloadFlags(t *testing.T) {
	tests := []struct {
		name, config, wantFlags string
		wantOrder               []string
	}{
		{"present keeps its place", `{"name": "n", "flags": {"language": "ka"}, "steps": []}`, `{"language":"ka"}`, []string{"company_key", "name", "flags", "steps"}},
		{"null is sent as {}", `{"name": "n", "flags": null, "steps": []}`, `{}`, []string{"company_key", "name", "flags", "steps"}},
		{"absent goes after the key", `{"name": "n", "steps": []}`, `{}`, []string{"company_key", "flags", "name", "steps"}},
		{"repeated: the last wins, at its place, as sent", `{"flags": {"language": "ka"}, "name": "n", "flags": {"language": "es"}}`, `{"language":"es"}`, []string{"company_key", "name", "flags"}},
		{"repeated inside: sent once", `{"flags": {"language": "ka", "language": "es"}}`, `{"language":"es"}`, []string{"company_key", "flags"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := flow.ParseValue(Payload(parseConfig(t, tt.config)))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(flow.MarshalCompact(v.Get("flags"))); got != tt.wantFlags {
				t.Errorf("flags = %s, want %s", got, tt.wantFlags)
			}
			var order []string
			for _, m := range v.Members() {
				order = append(order, m.Name)
			}
			if strings.Join(order, " ") != strings.Join(tt.wantOrder, " ") {
				t.Errorf("members = %v, want %v", order, tt.wantOrder)
			}
		})
	}
}

func TestPayloadNeverHoldsCredentials(t *testing.T) {
	c := parseConfig(t, `{"company_key": "ck-3f9a-secret", "secret_key": "sk-77b1-secret", "steps": [{"type": "email"}]}`)
	for name, out := range map[string]string{
		"payload": string(Payload(c)),
		"curl":    Curl(c, "https://widget.identomat.com"),
	} {
		for _, secret := range []string{"ck-3f9a-secret", "sk-77b1-secret", "secret_key"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output contains %q:\n%s", name, secret, out)
			}
		}
	}
}

func TestPayloadNeverHoldsCredentialsAtAnyDepth(t *testing.T) {
	c := parseConfig(t, `{"COMPANYKEY": "ck-top-secret", "flags": {"companyKey": "ck-flag-secret", "language": "en"},
		"steps": [{"type": "email", "Secret_Key": "sk-step-secret", "x-vendor": [{"auth": {"secretkey": "sk-deep-secret"}}], "flags": {"require_email": true}}]}`)
	for name, out := range map[string]string{
		"payload": string(Payload(c)),
		"curl":    Curl(c, "https://widget.identomat.com"),
	} {
		for _, secret := range []string{"ck-top-secret", "ck-flag-secret", "sk-step-secret", "sk-deep-secret", "COMPANYKEY", "companyKey", "Secret_Key", "secretkey"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output contains %q:\n%s", name, secret, out)
			}
		}
		for _, kept := range []string{`"language": "en"`, `"require_email": true`, `"x-vendor"`, `"auth": {}`} {
			if !strings.Contains(out, kept) {
				t.Errorf("%s output lost %s:\n%s", name, kept, out)
			}
		}
	}
}

// The payload holds what the file said, lone surrogates in member names
// included (a JSON decoder would turn them into U+FFFD).
func TestPayloadKeepsLoneSurrogatesInNames(t *testing.T) {
	c := parseConfig(t, `{"\ud800": 1, "a\udfffb": {"\ud834x": "\udd1e"}, "steps": [{"type": "email", "flags": {"require_email": true}}]}`)
	for name, out := range map[string]string{"payload": string(Payload(c)), "curl": Curl(c, "")} {
		for _, want := range []string{`"\ud800": 1`, `"a\udfffb": {`, `"\ud834x": "\udd1e"`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %s:\n%s", name, want, out)
			}
		}
		if strings.Contains(out, "\uFFFD") {
			t.Errorf("%s has U+FFFD:\n%s", name, out)
		}
	}
}

// A config as large as a file may be gives its payload and cURL command:
// adding the key must not push the body over a limit meant for files.
func TestPayloadOfAConfigAtTheSizeLimit(t *testing.T) {
	const head, tail = `{"name":"`, `","steps":[{"type":"email","flags":{"require_email":true}}]}`
	data := []byte(head + strings.Repeat("n", flow.MaxFileSize-len(head)-len(tail)) + tail)
	if len(data) != flow.MaxFileSize {
		t.Fatalf("config is %d bytes", len(data))
	}
	c, diags, err := flow.Check(data)
	if err != nil || diags.HasErrors() {
		t.Fatalf("the config must be valid: %v %v", err, diags)
	}
	p := Payload(c)
	var body struct {
		Key   string           `json:"company_key"`
		Name  string           `json:"name"`
		Steps []map[string]any `json:"steps"`
	}
	if err := json.Unmarshal(p, &body); err != nil {
		t.Fatalf("the payload is not JSON: %v", err)
	}
	if body.Key != KeyPlaceholder || len(body.Name) != flow.MaxFileSize-len(head)-len(tail) || len(body.Steps) != 1 {
		t.Fatalf("payload: key %q, name of %d bytes, %d steps", body.Key, len(body.Name), len(body.Steps))
	}
	cmd := Curl(c, "")
	if !strings.Contains(cmd, `"name": "nnnn`) || !strings.HasSuffix(cmd, "-w '\\n'\n") {
		t.Fatal("the cURL command is incomplete")
	}
}

// The payload is built from the loaded config; it must be the body the API
// client builds from the same config.
func TestPayloadIsTheClientsBody(t *testing.T) {
	configs := shippedConfigs(t)
	configs = append(configs,
		namedConfig{"tricky", readConfig(t, filepath.Join("testdata", "tricky-config.json"))},
		namedConfig{"odd", parseConfig(t, `{"$schema": "x", "flags": null, "x": [1.0, -2e-3, "<&>"], "name": "a", "name": "b"}`)},
	)
	for _, nc := range configs {
		raw, err := api.BeginJSON(KeyPlaceholder, nc.c.RequestBody())
		if err != nil {
			t.Fatalf("%s: %v", nc.name, err)
		}
		want, err := flow.ParseValue(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Payload(nc.c); !bytes.Equal(got, flow.Marshal(want)) {
			t.Errorf("%s: payload\n%s\nclient body\n%s", nc.name, got, flow.Marshal(want))
		}
	}
}
