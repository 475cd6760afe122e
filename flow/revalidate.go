package flow

import (
	"sort"
	"strings"
)

// Revalidate returns what Validate(c) returns, for a config an edit has
// just changed: prev is Validate of the config before the edit and p the
// patch the edit gave (Tracker.Record, or Tracker.Apply for an undo).
//
// Most edits in an editor stay inside one step. When p does, and leaves
// that step's key and type as they were, only that step is checked again
// and the rest of prev is kept: the rules that look across steps (unique
// step keys, the session rules, the languages the flow shows) depend on
// nothing else a step holds. Language steps, video calls (whose inner
// steps take part in the session's keys) and documents with a name given
// twice are checked whole, as is any other edit.
func Revalidate(c *Config, prev Diagnostics, p *Patch) Diagnostics {
	if p == nil {
		return prev
	}
	i, ok := p.insideOneStep(c)
	if !ok || hasCode(prev, CodeDuplicateMember) {
		return Validate(c)
	}
	step := c.root.Get("steps").items[i]
	v := &validator{c: c, keys: map[string]bool{}}
	v.lang = c.Language()
	v.shown = c.ShownLanguages()
	steps := loc{name: "steps", index: -1}
	at := steps.item(i)
	if v.scanMembers(step, &at, 0) {
		return Validate(c) // the last of the repeated names counts: see Validate
	}
	// An empty keys set: whether the step's key was used before it is
	// known from prev, as the key is the same.
	v.step(step, &at, 0)
	return replaceStepDiags(prev, at.String(), v.diags.all())
}

// insideOneStep reports the index of the top-level step that every change
// of p lies inside, when that step is an object of a type whose edits
// Revalidate may check alone, and no change touches its key, its type or
// its inner steps.
func (p *Patch) insideOneStep(c *Config) (int, bool) {
	stepsSlot := -1
	for j, m := range c.root.members {
		if m.Name == "steps" {
			stepsSlot = j
		}
	}
	if stepsSlot < 0 || !c.root.members[stepsSlot].Value.Is(Array) || len(p.splices) == 0 {
		return 0, false
	}
	steps := c.root.members[stepsSlot].Value
	i := -1
	for _, s := range p.splices {
		if len(s.path) < 2 || s.path[0] != stepsSlot || (i >= 0 && s.path[1] != i) {
			return 0, false
		}
		i = s.path[1]
		if i >= len(steps.items) || !steps.items[i].Is(Object) {
			return 0, false
		}
		step := steps.items[i]
		switch {
		case len(s.path) == 2: // members of the step came, went or changed
			if s.at+s.n > len(step.members) || touchesStepIdentity(s.old) || touchesStepIdentity(step.members[s.at:s.at+s.n]) {
				return 0, false
			}
		case s.path[2] >= len(step.members) || isStepIdentity(step.members[s.path[2]].Name):
			return 0, false
		}
	}
	step := steps.items[i]
	t, _ := step.Get("type").Str()
	if t == "language" || t == "video-call" || step.Has("steps") {
		return 0, false
	}
	return i, true
}

func isStepIdentity(name string) bool { return name == "key" || name == "type" || name == "steps" }

func touchesStepIdentity(ms []Member) bool {
	for _, m := range ms {
		if isStepIdentity(m.Name) {
			return true
		}
	}
	return false
}

func hasCode(ds Diagnostics, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

// replaceStepDiags is prev with the diagnostics inside the step at path
// replaced by fresh, but for those the rules across steps made about it
// (its key used before, the session rules), which stay.
func replaceStepDiags(prev Diagnostics, path string, fresh Diagnostics) Diagnostics {
	// prev is sorted by path, so the step's diagnostics are one stretch.
	lo := sort.Search(len(prev), func(k int) bool { return ComparePointers(prev[k].Path, path) >= 0 })
	hi := lo
	for hi < len(prev) && (prev[hi].Path == path || strings.HasPrefix(prev[hi].Path, path+"/")) {
		hi++
	}
	block := make(Diagnostics, 0, len(fresh)+2)
	for _, d := range prev[lo:hi] {
		if fromSessionRules(d, path) {
			block = append(block, d)
		}
	}
	block = append(block, fresh...)
	if len(block) == 0 && hi-lo == len(prev) {
		return nil // as Validate says none
	}
	block.Sort()
	out := make(Diagnostics, 0, len(prev)-(hi-lo)+len(block))
	out = append(out, prev[:lo]...)
	out = append(out, block...)
	return append(out, prev[hi:]...)
}

// fromSessionRules reports whether d, about the step at path or inside
// it, comes from a rule that looks across the steps.
func fromSessionRules(d Diagnostic, path string) bool {
	switch d.Code {
	case CodeDuplicateStep, CodeKYBOrder:
		return d.Path == path
	case CodeDuplicateKey:
		return d.Path == path+"/key" && strings.HasPrefix(d.Message, "step key ")
	}
	return false
}
