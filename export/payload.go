// Package export turns a flow into the things people copy elsewhere: the
// begin/ request body, a cURL command, an iframe snippet, the config's JSON
// Schema, validation reports, and terminal QR codes.
package export

import (
	"fmt"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// KeyPlaceholder stands for the company key in exported payloads. It is
// the name of the environment variable the key is read from, so a reader
// knows where the real value comes from; the payload itself never holds a
// credential.
const KeyPlaceholder = "$IDENTOMAT_COMPANY_KEY"

// Payload returns the begin/ request body for c as indented JSON, with
// KeyPlaceholder as the company key: the body the API client sends
// (api.BeginJSON: "company_key" first, then the config's members in file
// order with number literals kept, no "$schema" and no credential, a
// missing or null "flags" sent as {}), indented to be read.
func Payload(c *flow.Config) []byte {
	return flow.Marshal(beginBody(c, KeyPlaceholder))
}

// beginBody is the begin/ body for c with key as the company key.
func beginBody(c *flow.Config, key string) *flow.Value {
	raw, err := api.BeginJSON(key, c.RequestBody())
	if err == nil {
		var body *flow.Value
		if body, err = flow.ParseValue(raw); err == nil {
			return body
		}
	}
	// A loaded config is a JSON object with no repeated names once
	// RequestBody resolves them, so this cannot happen; like template.Must.
	panic(fmt.Sprintf("export: building the begin/ body: %v", err))
}
