package diff

import (
	"github.com/identoflow/identoflow/flow"
)

// Mask stands for a credential's value in a change: a key written into a
// config must not reach a terminal, a log or a pull-request comment.
const Mask = "********"

// HasCredential reports whether v holds a credential member anywhere (see
// flow.IsCredentialName).
func HasCredential(v *flow.Value) bool {
	for _, m := range v.Members() {
		if flow.IsCredentialName(m.Name) || HasCredential(m.Value) {
			return true
		}
	}
	for _, it := range v.Items() {
		if HasCredential(it) {
			return true
		}
	}
	return false
}

// masked returns v, or when it holds a credential, a copy with each
// credential's value replaced by Mask.
func masked(v *flow.Value) *flow.Value {
	if !HasCredential(v) {
		return v
	}
	c := v.Clone()
	maskIn(c)
	return c
}

func maskIn(v *flow.Value) {
	for _, m := range v.Members() {
		if flow.IsCredentialName(m.Name) {
			v.Set(m.Name, flow.NewString(Mask), nil)
			continue
		}
		maskIn(m.Value)
	}
	for _, it := range v.Items() {
		maskIn(it)
	}
}
