package flow

import (
	"slices"
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
	if hasCode(prev, CodeDuplicateMember) {
		return Validate(c)
	}
	if p.insideGlobalFlags(c) {
		return revalidateFlags(c, prev)
	}
	i, ok := p.insideOneStep(c)
	if !ok {
		return Validate(c)
	}
	step := c.root.Get("steps").items[i]
	v := &validator{c: c, keys: map[string]bool{}}
	v.lang = c.Language()
	v.shown = c.ShownLanguages()
	steps := loc{name: "steps", index: -1}
	at := steps.item(i)
	if j, ok := p.insideOneQuestion(step); ok {
		qs := loc{up: &at, name: "questions", index: -1}
		qat := qs.item(j)
		question := Step{V: step}.QuestionsValue().items[j]
		if v.scanMembers(question, &qat, 0) {
			return Validate(c)
		}
		v.question(Step{V: step}, j, &qat)
		return replaceDiags(prev, qat.String(), v.diags.all(), keptForQuestion)
	}
	if v.scanMembers(step, &at, 0) {
		return Validate(c) // the last of the repeated names counts: see Validate
	}
	// An empty keys set: whether the step's key was used before it is
	// known from prev, as the key is the same.
	v.step(step, &at, 0)
	return replaceDiags(prev, at.String(), v.diags.all(), keptForStep)
}

// insideOneStep reports the index of the top-level step that every change
// of p lies inside, when that step is an object of a type whose edits
// Revalidate may check alone, and no change touches its key, its type or
// its inner steps.
func (p *Patch) insideOneStep(c *Config) (int, bool) {
	stepsSlot := c.root.index("steps")
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
			if s.at+s.n > len(step.members) || touches(s.old, isStepIdentity) || touches(step.members[s.at:s.at+s.n], isStepIdentity) {
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

// insideGlobalFlags reports whether every change of p lies inside the
// global flags object and leaves the language flag alone: the steps are
// then judged as before, but for the session rules.
func (p *Patch) insideGlobalFlags(c *Config) bool {
	slot := c.root.index("flags")
	if slot < 0 || !c.root.members[slot].Value.Is(Object) || len(p.splices) == 0 {
		return false
	}
	flags := c.root.members[slot].Value
	for _, s := range p.splices {
		switch {
		case len(s.path) == 0 || s.path[0] != slot:
			return false
		case len(s.path) == 1:
			if s.at+s.n > len(flags.members) || touches(s.old, isLanguage) || touches(flags.members[s.at:s.at+s.n], isLanguage) {
				return false
			}
		case s.path[1] >= len(flags.members) || flags.members[s.path[1]].Name == "language":
			return false
		}
	}
	return true
}

// revalidateFlags is Revalidate after an edit inside the global flags
// (not the language): what is said about the flags and what the session
// rules say about the steps is worked out again, the rest kept.
func revalidateFlags(c *Config, prev Diagnostics) Diagnostics {
	// No global flag is a text, so the languages shown are not needed.
	v := &validator{c: c}
	at := loc{name: "flags", index: -1}
	if v.scanMembers(c.Flags(), &at, 0) {
		return Validate(c)
	}
	v.globalFlags()
	if c.StepsValue() != nil {
		v.sessionRules()
	}
	fresh := v.diags.all()
	fresh.Sort()
	kept := make(Diagnostics, 0, len(prev))
	for _, d := range prev {
		if d.Path != "/flags" && !strings.HasPrefix(d.Path, "/flags/") && d.Code != CodeDuplicateStep && d.Code != CodeKYBOrder {
			kept = append(kept, d)
		}
	}
	return mergeDiagnostics(kept, fresh)
}

// mergeDiagnostics merges two sorted lists into one, as Sort orders it,
// a's before b's where they compare equal.
func mergeDiagnostics(a, b Diagnostics) Diagnostics {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := make(Diagnostics, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareDiagnostics(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// touches reports whether a member of ms has a name that is picks.
func touches(ms []Member, is func(name string) bool) bool {
	return slices.ContainsFunc(ms, func(m Member) bool { return is(m.Name) })
}

func isLanguage(name string) bool { return name == "language" }

func isStepIdentity(name string) bool { return name == "key" || name == "type" || name == "steps" }

// insideOneQuestion reports the index of the question of the
// questionnaire step that every change of p (inside the step) lies inside,
// when no change touches what other questions' rules read of it: its key,
// its type and its options.
func (p *Patch) insideOneQuestion(step *Value) (int, bool) {
	t, _ := step.Get("type").Str()
	if t != "user-questionnaire" && t != "operator-questionnaire" {
		return 0, false
	}
	qsSlot := step.index("questions")
	if qsSlot < 0 || !step.members[qsSlot].Value.Is(Array) {
		return 0, false
	}
	questions := step.members[qsSlot].Value.items
	j := -1
	for _, s := range p.splices {
		if len(s.path) < 4 || s.path[2] != qsSlot || (j >= 0 && s.path[3] != j) {
			return 0, false
		}
		j = s.path[3]
		if j >= len(questions) || !questions[j].Is(Object) {
			return 0, false
		}
		q := questions[j]
		switch {
		case len(s.path) == 4:
			if s.at+s.n > len(q.members) || touches(s.old, isQuestionIdentity) || touches(q.members[s.at:s.at+s.n], isQuestionIdentity) {
				return 0, false
			}
		case s.path[4] >= len(q.members) || isQuestionIdentity(q.members[s.path[4]].Name):
			return 0, false
		}
	}
	return j, true
}

func isQuestionIdentity(name string) bool {
	return name == "key" || name == "type" || name == "options"
}

func hasCode(ds Diagnostics, code string) bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Code == code })
}

// replaceDiags is prev with the diagnostics at path or inside it replaced
// by fresh, but for those kept says came from rules that look beyond it
// (its key used before, the session rules), which stay.
func replaceDiags(prev Diagnostics, path string, fresh Diagnostics, kept func(d Diagnostic, path string) bool) Diagnostics {
	// prev is sorted by path, so the diagnostics at path are one stretch.
	lo := sort.Search(len(prev), func(k int) bool { return ComparePointers(prev[k].Path, path) >= 0 })
	hi := lo
	for hi < len(prev) && (prev[hi].Path == path || strings.HasPrefix(prev[hi].Path, path+"/")) {
		hi++
	}
	block := make(Diagnostics, 0, len(fresh)+2)
	for _, d := range prev[lo:hi] {
		if kept(d, path) {
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

// keptForStep reports whether d, about the step at path or inside it,
// comes from a rule that looks across the steps.
func keptForStep(d Diagnostic, path string) bool {
	switch d.Code {
	case CodeDuplicateStep, CodeKYBOrder:
		return d.Path == path
	case CodeDuplicateKey:
		return d.Path == path+"/key" && strings.HasPrefix(d.Message, "step key ")
	}
	return false
}

// keptForQuestion reports whether d, about the question at path or inside
// it, comes from a rule that looks across the questions.
func keptForQuestion(d Diagnostic, path string) bool {
	return d.Code == CodeDuplicateKey && d.Path == path+"/key" && strings.HasPrefix(d.Message, "question key ")
}
