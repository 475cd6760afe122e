package flow

import (
	"slices"
	"strings"
)

// credentialNames are the member names that hold a credential, in lower
// case. The vendor's own spelling is company_key and secret_key; SDKs and
// hand-written configs also say companyKey and secretKey.
var credentialNames = []string{"company_key", "secret_key", "companykey", "secretkey"}

// IsCredentialName reports whether a member of this name holds a
// credential (company_key, secret_key, companyKey or secretKey, in any
// case), wherever it is in a config: such a member must never be kept,
// shown or sent.
func IsCredentialName(name string) bool {
	// "k" and "s" each have a three- or two-byte form under Unicode case
	// folding (the Kelvin sign, the long s), so the names run 9 to 14 bytes.
	if len(name) < 9 || len(name) > 14 {
		return false
	}
	for _, c := range credentialNames {
		if strings.EqualFold(name, c) {
			return true
		}
	}
	return false
}

// StripCredentials returns v, or a copy of it without the members that
// IsCredentialName names, at any depth. Only what changes is copied.
func StripCredentials(v *Value) *Value { return rewriteCredentials(v, nil) }

// rewriteCredentials returns v, or a copy of it in which every credential
// member is left out (with nil) or holds with instead. Only what changes
// is copied.
func rewriteCredentials(v *Value, with *Value) *Value {
	switch v.Kind() {
	case Array:
		var out []*Value
		for i, it := range v.items {
			n := rewriteCredentials(it, with)
			if n != it && out == nil {
				out = slices.Clone(v.items)
			}
			if out != nil {
				out[i] = n
			}
		}
		if out != nil {
			return &Value{kind: Array, items: out}
		}
	case Object:
		var out []Member
		changed := false
		for i, m := range v.members {
			cred := IsCredentialName(m.Name)
			n := m.Value
			if cred {
				n = with
			} else {
				n = rewriteCredentials(m.Value, with)
			}
			if (cred || n != m.Value) && !changed {
				out, changed = slices.Clone(v.members[:i]), true
			}
			if changed && (!cred || with != nil) {
				out = append(out, Member{Name: m.Name, Value: n})
			}
		}
		if changed {
			return &Value{kind: Object, members: out}
		}
	}
	return v
}

// scanMembers walks the whole document once, before the rules: it reports
// every credential member (its value is never shown) and every name given
// twice in one object, and says whether there was such a repeat. at is the
// node's location and depth its depth; the locations of its members live
// in v's storage for the next depth (see locAt).
func (v *validator) scanMembers(val *Value, at *loc, depth int) (repeats bool) {
	switch val.Kind() {
	case Object:
		ms := val.members
		var seen map[string]bool // only for objects large enough to need it
		if len(ms) > 16 {
			seen = make(map[string]bool, len(ms))
		}
		p := v.locAt(depth)
		for i, m := range ms {
			*p = loc{up: at, name: m.Name, index: -1}
			dup := false
			if seen != nil {
				dup = seen[m.Name]
				seen[m.Name] = true
			} else {
				dup = slices.ContainsFunc(ms[:i], func(p Member) bool { return p.Name == m.Name })
			}
			if dup {
				repeats = true
				v.warn(CodeDuplicateMember, p, quote(m.Name)+" appears more than once in this object; only the last one counts, remove the others")
			}
			if IsCredentialName(m.Name) {
				if !dup {
					v.credential(p, m.Name)
				}
				continue // whatever it holds stays unread
			}
			if k := m.Value.Kind(); k == Object || k == Array {
				repeats = v.scanMembers(m.Value, p, depth+1) || repeats
			}
		}
	case Array:
		p := v.locAt(depth)
		for i, it := range val.items {
			if k := it.Kind(); k == Object || k == Array {
				*p = loc{up: at, index: i}
				repeats = v.scanMembers(it, p, depth+1) || repeats
			}
		}
	}
	return repeats
}

// locAt returns the validator's location storage for depth d of a
// recursive walk. A walk that recursed through locs on its own stack would
// put every one of them on the heap (Go's escape analysis cannot follow a
// chain of frames); this storage is allocated once per depth instead.
func (v *validator) locAt(d int) *loc {
	for len(v.locs) <= d {
		v.locs = append(v.locs, new(loc))
	}
	return v.locs[d]
}

// credential reports a credential member.
func (v *validator) credential(at *loc, name string) {
	env := "IDENTOMAT_SECRET_KEY"
	if name[0] == 'c' || name[0] == 'C' {
		env = "IDENTOMAT_COMPANY_KEY"
	}
	where := "a config file"
	if at.up != nil {
		where = "a config file (here it would even be sent with the flow)"
	}
	v.err(CodeCredential, at, quote(name)+" is a credential and must not be in "+where+"; remove it and set "+env+" instead")
}
