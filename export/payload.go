// Package export turns a flow into the things people copy elsewhere: the
// begin/ request body, a cURL command, an iframe snippet, the config's JSON
// Schema, validation reports, and terminal QR codes.
package export

import (
	"github.com/identoflow/identoflow/flow"
)

// KeyPlaceholder stands for the company key in exported payloads. It is
// the name of the environment variable the key is read from, so a reader
// knows where the real value comes from; the payload itself never holds a
// credential.
const KeyPlaceholder = "$IDENTOMAT_COMPANY_KEY"

// Payload returns the begin/ request body for c as indented JSON, with
// KeyPlaceholder as the company key. The fields are sent the way the API
// client sends them: "company_key" first, then the config's members in
// file order (number literals and member order kept), without "$schema"
// (for editors only) and without any credential the file holds. A missing
// or null "flags" is sent as {}, right after the key.
func Payload(c *flow.Config) []byte {
	return flow.Marshal(payloadValue(c, flow.NewString(KeyPlaceholder)))
}

// payloadValue builds the begin/ body with key as the company_key member.
func payloadValue(c *flow.Config, key *flow.Value) *flow.Value {
	body := flow.NewObject()
	body.Set("company_key", key, nil)
	root := c.SentRoot() // a repeated name, at any depth, is sent once: its last value
	flags := root.Get("flags")
	if flags == nil {
		body.Set("flags", flow.NewObject(), nil)
	}
	if flags.Is(flow.Null) {
		flags = flow.NewObject()
	}
	for _, m := range root.Members() {
		switch m.Name {
		case "$schema", "company_key", "secret_key":
			continue
		case "flags":
			body.Set(m.Name, flags.Clone(), nil)
			continue
		}
		body.Set(m.Name, m.Value.Clone(), nil)
	}
	return body
}
