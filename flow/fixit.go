package flow

import (
	"fmt"
	"strconv"
	"strings"
)

// Fix-its: the edits the wizard offers where a problem is shown. They
// address what they change by JSON Pointer, the way diagnostics do, so a
// fix works on any member, however deep and whatever the model knows of it.

// At returns the value a JSON Pointer names in v, or nil when the path
// leaves the document. An array index must be written without leading
// zeros, as RFC 6901 says.
func (v *Value) At(pointer string) *Value {
	for _, tok := range SplitPointer(pointer) {
		switch v.Kind() {
		case Object:
			v = v.Get(tok)
		case Array:
			i, err := strconv.Atoi(tok)
			if err != nil || strconv.Itoa(i) != tok {
				return nil
			}
			v = v.Item(i)
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// memberAt splits a pointer naming an object member into the object and
// the member's name; it fails when there is no such member.
func (c *Config) memberAt(pointer string) (obj *Value, name string, err error) {
	i := strings.LastIndexByte(pointer, '/')
	if i < 0 {
		return nil, "", fmt.Errorf("%q names no member", pointer)
	}
	toks := SplitPointer(pointer[i:])
	obj, name = c.root.At(pointer[:i]), toks[0]
	if !obj.Is(Object) || !obj.Has(name) {
		return nil, "", fmt.Errorf("there is no member %s", pointer)
	}
	return obj, name, nil
}

// RenameMember gives the member a pointer names the name name, keeping its
// value and its place in the object. A name the object already has is
// refused: renaming would hide one of the two values. When the old name
// repeats, the member that counts (the last) is renamed.
func (c *Config) RenameMember(pointer, name string) error {
	obj, old, err := c.memberAt(pointer)
	if err != nil {
		return err
	}
	if name == old {
		return nil
	}
	if name == "" {
		return fmt.Errorf("a member name cannot be empty")
	}
	if obj.Has(name) {
		return fmt.Errorf("%q is already there; delete one of the two first", name)
	}
	obj.members[obj.index(old)].Name = name
	c.stepsChanged(pointer)
	return nil
}

// DeleteMember removes the member a pointer names (and any repeat of its
// name in the same object).
func (c *Config) DeleteMember(pointer string) error {
	obj, name, err := c.memberAt(pointer)
	if err != nil {
		return err
	}
	obj.Delete(name)
	c.stepsChanged(pointer)
	return nil
}

// ApplySuggestion applies a diagnostic's did-you-mean: an unknown field is
// renamed to the near name (keeping its value); a misspelt step type,
// enumeration value or country code is replaced in place by the value
// meant, the rest of its object or list staying as it was.
func (c *Config) ApplySuggestion(d Diagnostic) error {
	if d.Suggestion == "" {
		return fmt.Errorf("nothing to apply at %s", d.Path)
	}
	if d.Code == CodeUnknownField {
		return c.RenameMember(d.Path, d.Suggestion)
	}
	return c.replaceString(d.Path, d.Suggestion)
}

// replaceString puts s in place of the string a pointer names: an object
// member keeps its place, a list item its index.
func (c *Config) replaceString(pointer, s string) error {
	if _, ok := c.root.At(pointer).Str(); !ok {
		return fmt.Errorf("%s is not a string", pointer)
	}
	i := strings.LastIndexByte(pointer, '/')
	parent, tok := c.root.At(pointer[:i]), SplitPointer(pointer[i:])[0]
	if parent.Is(Array) {
		n, _ := strconv.Atoi(tok) // At found the item: tok is an index
		parent.SetItem(n, NewString(s))
	} else {
		parent.Set(tok, NewString(s), nil)
	}
	c.stepsChanged(pointer)
	return nil
}

// stepsChanged drops the step-key index after an edit under /steps that
// went around it: a step's type or key may have changed.
func (c *Config) stepsChanged(pointer string) {
	if pointer == "/steps" || strings.HasPrefix(pointer, "/steps/") {
		c.keys = nil
	}
}

// MaskCredentials returns v, or a copy of it in which the value of every
// credential member (see IsCredentialName), at any depth, is the string
// mask: what shows a config on screen shows that a credential is there,
// never what it is. Only what changes is copied.
func MaskCredentials(v *Value, mask string) *Value {
	return rewriteCredentials(v, NewString(mask))
}
