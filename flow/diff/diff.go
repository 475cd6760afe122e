// Package diff compares two flows semantically: steps, questions and
// options are matched by key, so a move is one change and a renamed key is
// a rename; member order and formatting are no change at all. Each change
// carries the diagnostics it introduces or fixes. The package only builds
// the change list; renderers (text, JSON, Markdown, the wizard) live with
// their outputs and read it through Change's fields and Phrase.
package diff

import "github.com/identoflow/identoflow/flow"

// Kind is what happened to the thing a change is about.
type Kind string

// The kinds of change.
const (
	Added   Kind = "added"
	Removed Kind = "removed"
	Changed Kind = "changed"
	Moved   Kind = "moved"   // same key, another place in its list (or another list)
	Renamed Kind = "renamed" // another key, everything else the same
)

// Subject is what a change is about.
type Subject string

// The subjects of changes. Step, question, option, role and KYB field
// changes are about the thing as a whole (added, removed, moved, renamed);
// the others are about one member of it.
const (
	SubjectStep     Subject = "step"
	SubjectQuestion Subject = "question"
	SubjectOption   Subject = "option"
	SubjectRole     Subject = "role"      // a role of a beneficiaries step, by name
	SubjectKYBField Subject = "kyb-field" // an entry of a company step's or a role's fields, by type

	SubjectSession  Subject = "session-field" // a known top-level member: name, config_id, ...
	SubjectFlag     Subject = "flag"          // a member of the global flags or of a step's flags
	SubjectProperty Subject = "property"      // a known member of a step, question, option, role or field
	SubjectText     Subject = "text"          // a localized text: title, description, successButtonTitle
	SubjectValue    Subject = "value"         // a member the tool does not know, compared as JSON
)

// Locator names one thing on the way to a change, outermost first: a step
// by its key (the type's default key when it has none), then a nested step,
// a question, an option, a role or a KYB field.
type Locator struct {
	Subject Subject // SubjectStep, SubjectQuestion, SubjectOption, SubjectRole or SubjectKYBField
	Key     string
}

// Change is one semantic difference between two flows. Keys, names and
// values come from the configs: untrusted text that renderers must escape.
type Change struct {
	Kind    Kind
	Subject Subject
	// Where leads to the change, as it is in the new flow (in the old one
	// for a removal). For a step, question, option, role or KYB field
	// change, its last locator is that thing itself.
	Where []Locator
	// OldWhere is where the thing was, when that differs from Where: the
	// old key of a rename, the old video call of a step that moved into
	// or out of one. Nil otherwise.
	OldWhere []Locator
	// Name is the member a flag, property, text, session-field or value
	// change is about ("mandatory", "title", "language", ...).
	Name string
	// OldPath and NewPath are JSON Pointers to the thing in each flow;
	// "" on the side where it does not exist.
	OldPath, NewPath string
	// From and To are positions in a list, counting from 1: From for a
	// removal or a move (or a rename that also moved), To for an addition
	// or a move; 0 when not given.
	From, To int
	// Old and New are the values on each side (nil where absent).
	Old, New *flow.Value
	// Text details a text change whose new side is a {language: text}
	// object; nil otherwise.
	Text *TextChange
	// Introduced are the new flow's diagnostics this change brings in;
	// Fixed, the old flow's diagnostics it clears.
	Introduced, Fixed flow.Diagnostics
}

// TextChange is a localized text's difference, by language code. When the
// old text was a plain string, every language of the new one is Added.
type TextChange struct {
	Added, Removed, Changed []string
	// Missing are the languages the new flow can show (its interface
	// language and the language step's list) that the new text lacks.
	Missing []string
}

// Result is the comparison of two flows.
type Result struct {
	Changes []Change
	// Introduced and Fixed are diagnostics that changed without one
	// change to account for them (several changes together, or a change
	// whose effect shows elsewhere, such as a new interface language).
	Introduced, Fixed flow.Diagnostics
}

// Same reports whether the flows are semantically the same: no change and
// no diagnostic that differs.
func (r Result) Same() bool {
	return len(r.Changes) == 0 && len(r.Introduced) == 0 && len(r.Fixed) == 0
}

// AllIntroduced returns every introduced diagnostic, the changes' and the
// unattributed ones.
func (r Result) AllIntroduced() flow.Diagnostics {
	out := append(flow.Diagnostics{}, r.Introduced...)
	for _, c := range r.Changes {
		out = append(out, c.Introduced...)
	}
	return out
}

// AllFixed returns every fixed diagnostic, the changes' and the
// unattributed ones.
func (r Result) AllFixed() flow.Diagnostics {
	out := append(flow.Diagnostics{}, r.Fixed...)
	for _, c := range r.Changes {
		out = append(out, c.Fixed...)
	}
	return out
}

// Compare returns the semantic differences from old to new, each with the
// diagnostics (flow.Validate) it introduces or fixes. A nil config is an
// absent file: comparing nil with a flow lists everything in it as added.
func Compare(old, new *flow.Config) Result {
	return CompareDiagnosed(old, new, validate(old), validate(new))
}

func validate(c *flow.Config) flow.Diagnostics {
	if c == nil {
		return nil
	}
	return flow.Validate(c)
}

// CompareDiagnosed is Compare for a caller that already holds each flow's
// diagnostics (as flow.Validate returns them), such as an editor that
// validates as the person types.
func CompareDiagnosed(old, new *flow.Config, oldDiags, newDiags flow.Diagnostics) Result {
	d := newDiffer(old, new)
	d.top()
	return Result{Changes: d.changes}.attribute(d.paths, oldDiags, newDiags)
}

// Locate sets the line and column of every diagnostic in r: introduced
// ones in the new flow's text, fixed ones in the old flow's (see
// flow.Diagnostics.Locate). A nil source leaves that side's unset.
func (r Result) Locate(oldText *flow.Source, old *flow.Config, newText *flow.Source, new *flow.Config) {
	// Each side is placed in one pass over its text, then handed back.
	place := func(src *flow.Source, c *flow.Config, lists []flow.Diagnostics) {
		var all flow.Diagnostics
		for _, l := range lists {
			all = append(all, l...)
		}
		src.Locate(all, c)
		for _, l := range lists {
			all = all[copy(l, all):]
		}
	}
	introduced, fixed := []flow.Diagnostics{r.Introduced}, []flow.Diagnostics{r.Fixed}
	for _, c := range r.Changes {
		introduced, fixed = append(introduced, c.Introduced), append(fixed, c.Fixed)
	}
	if newText != nil {
		place(newText, new, introduced)
	}
	if oldText != nil {
		place(oldText, old, fixed)
	}
}
