package editor

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// Fix-its: the repairs offered where a problem is shown (the Problems
// pane, the property lines of the flags, the session fields and the step
// editors, the step list): apply a did-you-mean, delete a member that does
// not belong, put the KYB steps in order. Each is one undoable edit made
// through flow's fix-it operations.

// credentialMask stands for a credential's value wherever the wizard shows
// a config: that a key is there is shown, never what it is.
const credentialMask = "•••• (credential hidden; remove it from the file)"

// maskCredentials returns v with every credential's value, at any depth,
// replaced by credentialMask.
func maskCredentials(v *flow.Value) *flow.Value { return flow.MaskCredentials(v, credentialMask) }

// compactJSON is a value on one line as the wizard shows it: credentials
// masked.
func compactJSON(v *flow.Value) string { return string(flow.MarshalCompact(maskCredentials(v))) }

// fixKey is f: apply the did-you-mean of the problem shown.
func fixKey(help string) key.Binding {
	return key.NewBinding(key.WithKeys("f"), key.WithHelp("f", help))
}

// suggestionAt is the problem at path that offers a did-you-mean.
func suggestionAt(doc *ui.Doc, path string) (flow.Diagnostic, bool) {
	for _, d := range doc.Diags {
		if d.Path == path && d.Suggestion != "" {
			return d, true
		}
	}
	return flow.Diagnostic{}, false
}

// problemAt reports whether an error or a warning is about path itself.
func problemAt(doc *ui.Doc, path string) bool {
	return slices.ContainsFunc(doc.Diags, func(d flow.Diagnostic) bool { return d.Path == path && d.Severity != flow.SevInfo })
}

// lastToken is the last token of a JSON Pointer, as it can be shown.
func lastToken(path string) string {
	toks := flow.SplitPointer(path)
	if len(toks) == 0 {
		return ""
	}
	return flow.Visible(toks[len(toks)-1])
}

// suggestionText says what applying d's did-you-mean does, e.g. `rename
// it to "return_url"`.
func suggestionText(d flow.Diagnostic) string {
	meant := fmt.Sprintf("%q", d.Suggestion)
	switch d.Code {
	case flow.CodeUnknownField:
		return "rename it to " + meant
	case flow.CodeUnknownStepType:
		return "change the type to " + meant
	}
	return "replace it with " + meant
}

// suggestionHelp is what f does, short enough for the help bar (the
// screen says it in full).
func suggestionHelp(d flow.Diagnostic) string {
	if d.Code == flow.CodeUnknownField {
		return "rename"
	}
	return "fix"
}

// applySuggestion applies d's did-you-mean as one undoable edit and says
// what it did.
func applySuggestion(doc *ui.Doc, d flow.Diagnostic) tea.Cmd {
	done := fmt.Sprintf("renamed %q to %q", lastToken(d.Path), d.Suggestion)
	if old, ok := doc.Config.Root().At(d.Path).Str(); ok && d.Code != flow.CodeUnknownField {
		done = fmt.Sprintf("replaced %q with %q", old, d.Suggestion)
	}
	if err := doc.Edit(suggestionText(d), func(c *flow.Config) error { return c.ApplySuggestion(d) }); err != nil {
		return ui.StatusErr(err)
	}
	return ui.Status(done + " · u to undo")
}

// suggestionsUnder are the did-you-means of the problems at path or
// inside it: those of the items of a list, for its line.
func suggestionsUnder(doc *ui.Doc, path string) []flow.Diagnostic {
	var out []flow.Diagnostic
	for _, d := range doc.Diags {
		if d.Suggestion != "" && (d.Path == path || strings.HasPrefix(d.Path, path+"/")) {
			out = append(out, d)
		}
	}
	return out
}

// fixUnder is f on a property line: it applies the did-you-means of the
// problems inside it (a list's misspelt items, each in its place) as one
// undoable edit. Where there is none it says what f is for, and why it
// has nothing to do on this line.
func fixUnder(doc *ui.Doc, p widget.Prop) tea.Cmd {
	ds := suggestionsUnder(doc, p.Path)
	switch len(ds) {
	case 0:
		return ui.Status(noFixText(doc, p))
	case 1:
		return applySuggestion(doc, ds[0])
	}
	err := doc.Edit("apply suggestions", func(c *flow.Config) error {
		for _, d := range ds {
			if err := c.ApplySuggestion(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	return ui.Status(fmt.Sprintf("applied %d suggestions · u to undo", len(ds)))
}

// noFixText says what f does and why it does nothing on line p: an empty
// text holds nothing to correct; any other value has no misspelling the
// checker has a did-you-mean for.
func noFixText(doc *ui.Doc, p widget.Prop) string {
	const what = "f corrects a misspelling"
	label := flow.Visible(p.Label)
	if p.Kind == widget.PropText && (doc.Config.Root().At(p.Path).Is(flow.Null) || (p.Text != nil && strings.TrimSpace(p.Text()) == "")) {
		return what + "; " + label + " is empty, so there is none (enter types it)"
	}
	return what + "; " + label + " has none it knows how to correct"
}

// withFixHints makes the hint of each line with problems inside it that
// have a did-you-mean say that f applies it.
func withFixHints(doc *ui.Doc, props []widget.Prop) []widget.Prop {
	for i, p := range props {
		if p.Path == "" || p.Kind == widget.PropAction {
			continue
		}
		path, hint := p.Path, p.Hint
		props[i].Hint = func() string {
			ds := suggestionsUnder(doc, path)
			if len(ds) == 0 {
				if hint == nil {
					return ""
				}
				return hint()
			}
			what := fmt.Sprintf("f: %s", suggestionText(ds[0]))
			if old, ok := doc.Config.Root().At(ds[0].Path).Str(); ok && ds[0].Code != flow.CodeUnknownField {
				what = fmt.Sprintf("f replaces %q with %q in its place", old, ds[0].Suggestion)
			}
			if len(ds) > 1 {
				what += fmt.Sprintf(" (and %d more like it)", len(ds)-1)
			}
			return what
		}
	}
	return props
}

// deletable reports whether the problem d is about a member that deleting
// fixes: an unknown field or a credential.
func deletable(d flow.Diagnostic) bool {
	return d.Code == flow.CodeUnknownField || d.Code == flow.CodeCredential
}

// deleteMember removes the member at path as one undoable edit.
func deleteMember(doc *ui.Doc, path string) tea.Cmd {
	name := lastToken(path)
	if err := doc.Edit("delete "+name, func(c *flow.Config) error { return c.DeleteMember(path) }); err != nil {
		return ui.StatusErr(err)
	}
	return ui.Status(fmt.Sprintf("deleted %q · u to undo", name))
}

// unknownMembers lists the members of obj (at base) that known does not
// name, so that nothing in the file is hidden, each with its fix-its:
// enter applies the did-you-mean of an unknown field (a rename that keeps
// the value), d deletes the member. A credential's value never shows.
func unknownMembers(c *ui.Common, doc *ui.Doc, obj *flow.Value, base string, known ...string) []widget.Prop {
	var props []widget.Prop
	for _, m := range obj.Members() {
		if !slices.Contains(known, m.Name) {
			props = append(props, memberRow(c, doc, base+flow.Pointer(m.Name), m.Name, m.Value))
		}
	}
	return props
}

// memberRow is the line of a member no editor edits.
func memberRow(c *ui.Common, doc *ui.Doc, path, name string, v *flow.Value) widget.Prop {
	s := &c.Styles
	cred := flow.IsCredentialName(name)
	shown := "" // the value, worked out once per row: rows are built again when the content changes
	if !cred {
		shown = compactJSON(v)
	}
	apply := func() tea.Cmd {
		if d, ok := suggestionAt(doc, path); ok {
			return applySuggestion(doc, d)
		}
		if cred {
			return ui.Status("a credential cannot be kept in a config: d deletes it")
		}
		return ui.Status("no near name to rename it to; d deletes it")
	}
	return widget.Prop{
		Label: flow.Visible(name), Kind: widget.PropAction, Path: path,
		Value: func() string {
			if cred {
				return s.Error.Render("•••• hidden")
			}
			if problemAt(doc, path) {
				return shown // the problem's mark follows
			}
			return shown + s.Dim.Render(" (not edited here, kept)")
		},
		Hint: func() string {
			switch d, ok := suggestionAt(doc, path); {
			case cred:
				return "a credential does not belong in a config: d deletes it (u undoes)"
			case ok:
				return "enter: " + suggestionText(d) + ", keeping its value · d deletes it"
			}
			return "not edited here · d deletes it (u undoes)"
		},
		Action: apply,
		Keys: func(km tea.KeyPressMsg) (tea.Cmd, bool) {
			switch {
			case key.Matches(km, c.Keys.Delete):
				return deleteMember(doc, path), true
			case km.String() == "f":
				return apply(), true
			}
			return nil, false
		},
	}
}

// memberKeys are the fix-its of the selected line of list when it is a
// member row (the lines from fixed on are), for the help bar.
func memberKeys(doc *ui.Doc, list *widget.PropList, fixed int) []key.Binding {
	p, ok := list.Selected()
	if !ok || list.Cursor < fixed {
		return nil
	}
	var b []key.Binding
	if d, ok := suggestionAt(doc, p.Path); ok {
		b = append(b, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", suggestionHelp(d))))
	}
	return append(b, key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete it")))
}

// kybOrderLine is the warning shown while the KYB steps are out of order,
// with the o fix when it applies, or "". The order it names goes on a
// second line where the first cannot hold it whole.
func kybOrderLine(c *ui.Common, doc *ui.Doc, width int) string {
	st := &c.Styles
	d, ok := doc.KYBOrderProblem()
	switch {
	case !ok:
		return ""
	case !doc.KYBReorderable():
		return ui.Truncate(st.Warning.Render("⚠ "+ui.Shown(d.Message)), width)
	}
	head, fix, order := "⚠ KYB steps out of order", " · o puts them in order: ", kybInOrder(doc.Config)
	if ansi.StringWidth(head+fix+order) <= width {
		return st.Warning.Render(head) + st.Dim.Render(fix+order)
	}
	return ui.Truncate(st.Warning.Render(head)+st.Dim.Render(strings.TrimRight(fix, " ")), width) + "\n" +
		ui.Truncate(st.Dim.Render("  "+order), width)
}

// reorderKYB is the o key: it puts the KYB steps in order, or says why it
// cannot.
func reorderKYB(doc *ui.Doc) tea.Cmd {
	if !doc.KYBReorderable() {
		if d, ok := doc.KYBOrderProblem(); ok {
			return ui.Status("o cannot fix this: " + d.Message)
		}
		return ui.Status("the KYB steps are already in order")
	}
	_ = doc.Edit("put KYB steps in order", func(c *flow.Config) error {
		c.ReorderKYB()
		return nil
	})
	return ui.Status("KYB steps now run " + kybInOrder(doc.Config) + " · u to undo")
}

// kybInOrder names the flow's KYB steps in the order the vendor runs
// them, only those it has: "company → kyb-review" for a flow without
// beneficiaries.
func kybInOrder(c *flow.Config) string {
	order := []string{"company", "beneficiaries", "kyb-review"}
	count := make(map[string]int, len(order))
	c.WalkSteps(func(_ flow.StepPath, s flow.Step) { count[s.Type()]++ })
	var names []string
	for _, t := range order {
		for range count[t] {
			names = append(names, t)
		}
	}
	return strings.Join(names, " → ")
}

// reorderKey is the binding shown for the KYB reorder fix.
func reorderKey() key.Binding {
	return key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "order KYB"))
}

// fixLine is the line under a problem saying which keys fix it, or "".
func fixLine(doc *ui.Doc, d flow.Diagnostic) string {
	var fixes []string
	if d.Suggestion != "" {
		fixes = append(fixes, "f: "+suggestionText(d))
	}
	if deletable(d) && strings.LastIndexByte(d.Path, '/') >= 0 {
		fixes = append(fixes, "d: delete it")
	}
	if d.Code == flow.CodeKYBOrder && doc.KYBReorderable() {
		fixes = append(fixes, "o: put the KYB steps in order")
	}
	return strings.Join(fixes, " · ")
}
