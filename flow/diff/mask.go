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
