package diff

import (
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Mask stands for a credential's value in a change: a key written into a
// config must not reach a terminal, a log or a pull-request comment.
const Mask = "********"

// IsCredential reports whether a member name holds a credential:
// company_key, secret_key, companyKey or secretKey, in any case.
func IsCredential(name string) bool {
	switch strings.ToLower(name) {
	case "company_key", "secret_key", "companykey", "secretkey":
		return true
	}
	return false
}

// HasCredential reports whether v holds a credential member anywhere.
func HasCredential(v *flow.Value) bool {
	for _, m := range v.Members() {
		if IsCredential(m.Name) || HasCredential(m.Value) {
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
		if IsCredential(m.Name) {
			v.Set(m.Name, flow.NewString(Mask), nil)
			continue
		}
		maskIn(m.Value)
	}
	for _, it := range v.Items() {
		maskIn(it)
	}
}
