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
// KeyPlaceholder as the company key: the body the API client sends
// ("company_key" first, then the config's members in file order with
// number literals kept, no "$schema", a missing or null "flags" sent as
// {}), indented to be read. A credential member is never copied, at any
// depth; callers refuse such configs first (they do not validate).
func Payload(c *flow.Config) []byte {
	return flow.Marshal(beginBody(c, KeyPlaceholder))
}

// beginBody is the begin/ body for c with key as the company key. It is
// built from the loaded document, not re-read from bytes, so it holds
// exactly what the file said (a lone surrogate in a name included) and has
// no size limit of its own: a config as large as flow.MaxFileSize still
// gives its payload.
func beginBody(c *flow.Config, key string) *flow.Value {
	sent := flow.StripCredentials(c.SentRoot())
	members := make([]flow.Member, 0, sent.Len()+2)
	members = append(members, flow.Member{Name: "company_key", Value: flow.NewString(key)})
	if !sent.Has("flags") {
		members = append(members, flow.Member{Name: "flags", Value: flow.NewObject()})
	}
	for _, m := range sent.Members() {
		switch {
		case m.Name == "$schema":
			continue
		case m.Name == "flags" && m.Value.Is(flow.Null):
			m.Value = flow.NewObject()
		}
		members = append(members, m)
	}
	return flow.ObjectOf(members...)
}
