package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Encoding is how the begin/ fields travel on the wire.
type Encoding int

// The four encodings the vendor accepts. The zero value is EncodingJSON.
const (
	// EncodingJSON sends the fields as one JSON object (application/json).
	EncodingJSON Encoding = iota
	// EncodingForm sends an application/x-www-form-urlencoded body.
	EncodingForm
	// EncodingQuery sends every field in the URL query and an empty body.
	EncodingQuery
	// EncodingMultipart sends multipart/form-data, one part per field.
	EncodingMultipart
)

// Encodings lists every encoding in the order they are documented.
func Encodings() []Encoding {
	return []Encoding{EncodingJSON, EncodingForm, EncodingQuery, EncodingMultipart}
}

// String returns the name ParseEncoding accepts.
func (e Encoding) String() string {
	switch e {
	case EncodingJSON:
		return "json"
	case EncodingForm:
		return "form"
	case EncodingQuery:
		return "query"
	case EncodingMultipart:
		return "multipart"
	default:
		return fmt.Sprintf("Encoding(%d)", int(e))
	}
}

// ParseEncoding reads an encoding name (json, form, query or multipart;
// case-insensitive) as given to the --encoding flag.
func ParseEncoding(s string) (Encoding, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for _, e := range Encodings() {
		if e.String() == name {
			return e, nil
		}
	}
	return 0, fmt.Errorf("unknown encoding %q: choose one of json, form, query, multipart", s)
}

// field is one top-level begin/ field: its name and its value as compact JSON.
type field struct {
	name   string
	quoted []byte // the name as a JSON string; nil: quote name
	raw    []byte
}

// textValue is the value as sent in form, query and multipart encodings:
// strings as their plain text, objects, arrays, numbers and booleans as
// their compact JSON text. ok is false for null, which these encodings
// cannot express and therefore omit.
func (f field) textValue() (value string, ok bool) {
	switch f.raw[0] {
	case 'n':
		return "", false
	case '"':
		var s string
		// raw was validated by the decoder, so this cannot fail.
		_ = json.Unmarshal(f.raw, &s)
		return s, true
	default:
		return string(f.raw), true
	}
}

// beginFields turns a saved config into the begin/ fields in wire order:
// company_key first, then the config's top-level fields in file order.
// "$schema" and any credential member in the file (flow.IsCredentialName) are dropped; a missing or
// null "flags" is sent as {} (right after company_key when missing).
func beginFields(companyKey string, config []byte) ([]field, error) {
	configFields, err := decodeObjectInOrder(config)
	if err != nil {
		return nil, err
	}
	fields := make([]field, 0, len(configFields)+2)
	fields = append(fields, field{name: "company_key", raw: jsonString(companyKey)})
	hasFlags := false
	for _, f := range configFields {
		if f.name == "flags" {
			hasFlags = true
		}
	}
	if !hasFlags {
		fields = append(fields, field{name: "flags", raw: []byte("{}")})
	}
	for _, f := range configFields {
		if flow.IsCredentialName(f.name) {
			continue // a key in the file never travels; the client's own goes first
		}
		switch f.name {
		case "$schema":
			continue
		case "flags":
			if string(f.raw) == "null" {
				f.raw = []byte("{}")
			}
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// decodeObjectInOrder reads a JSON object's members in their order, each
// value compacted. It reads with flow's parser, which keeps what
// encoding/json would replace (a lone surrogate escape in a name becomes
// U+FFFD there). Duplicate names are an error: which one the server would
// honour is not defined.
func decodeObjectInOrder(data []byte) ([]field, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("config is empty: expected a JSON object")
	}
	root, err := flow.ParseValue(data)
	if err != nil {
		return nil, fmt.Errorf("config is not valid JSON: %w", err)
	}
	if !root.Is(flow.Object) {
		return nil, errors.New("config must be a JSON object")
	}
	members := root.Members()
	fields := make([]field, 0, len(members))
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		if seen[m.Name] {
			return nil, fmt.Errorf("config has field %q twice", m.Name)
		}
		seen[m.Name] = true
		fields = append(fields, field{name: m.Name, quoted: flow.MarshalCompact(flow.NewString(m.Name)), raw: flow.MarshalCompact(m.Value)})
	}
	return fields, nil
}

// jsonString encodes s as a JSON string without HTML escaping, matching
// json.Compact's treatment of the config's own strings.
func jsonString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// encodeJSON writes the fields as one compact JSON object in order.
// BeginJSON is the begin/ body in the JSON encoding for a saved config, as
// the client sends it (see beginFields): exports show this very body.
func BeginJSON(companyKey string, config []byte) ([]byte, error) {
	fields, err := beginFields(companyKey, config)
	if err != nil {
		return nil, err
	}
	return encodeJSON(fields), nil
}

func encodeJSON(fields []field) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		if f.quoted != nil {
			buf.Write(f.quoted)
		} else {
			buf.Write(jsonString(f.name))
		}
		buf.WriteByte(':')
		buf.Write(f.raw)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// encodeForm writes the fields URL-encoded in order (url.Values would sort them).
func encodeForm(fields []field) string {
	var b strings.Builder
	for _, f := range fields {
		v, ok := f.textValue()
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// multipartFields lists the names and text values of the fields that
// multipart can carry (every one but nulls), in order.
func multipartFields(fields []field) (names, values []string) {
	for _, f := range fields {
		if v, ok := f.textValue(); ok {
			names = append(names, f.name)
			values = append(values, v)
		}
	}
	return names, values
}

// writeMultipart writes one form-data part per name with the given
// boundary, and returns the body, its content type and the part values
// (for the chained signature). Callers derive the boundary from the
// content, so the same request always has the same bytes.
func writeMultipart(names, values []string, boundary string) (body []byte, contentType string, parts [][]byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	// The boundary is 43 characters of [a-z0-9-]: always accepted.
	_ = w.SetBoundary(boundary)
	for i, name := range names {
		// Writes to a bytes.Buffer do not fail.
		_ = w.WriteField(name, values[i])
		parts = append(parts, []byte(values[i]))
	}
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType(), parts
}

// multipartBoundary hashes the content into a boundary and, in the
// unlikely case a value contains it, rehashes until none does. The
// company key is left out of the hash: the boundary is shown in dry runs,
// and a hash of the key would let anyone test guesses of it.
func multipartBoundary(names, values []string) string {
	h := sha256.New()
	for i := range names {
		if names[i] == "company_key" {
			continue
		}
		fmt.Fprintf(h, "%d:%s=%d:%s;", len(names[i]), names[i], len(values[i]), values[i])
	}
	sum := h.Sum(nil)
	for {
		boundary := "identoflow-" + hex.EncodeToString(sum[:16])
		clash := false
		for i := range values {
			if strings.Contains(values[i], boundary) || strings.Contains(names[i], boundary) {
				clash = true
				break
			}
		}
		if !clash {
			return boundary
		}
		next := sha256.Sum256(sum)
		sum = next[:]
	}
}
