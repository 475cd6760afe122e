package editor

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// kybEditor edits a company or kyb-review step: key, localized title and
// description and, for the company step, its fields. The beneficiaries
// step has its own screen (kyb_beneficiaries.go) built on the same parts.
type kybEditor struct {
	kybScreen
}

func newKYBCompanyEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
	return newKYBEditor(c, doc, p, focus)
}

func newKYBReviewEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
	return newKYBEditor(c, doc, p, focus)
}

func newKYBEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) *kybEditor {
	e := &kybEditor{kybScreen: newKYBScreen(c, doc, p)}
	e.build, e.alive = e.props, e.hasStep
	e.header = func() []string { return e.kybHeader(e.heading()) }
	e.show(focus)
	return e
}

func (e *kybEditor) Title() string { return e.title() }

func (e *kybEditor) ShortHelp() []key.Binding {
	if e.typ == "company" {
		return e.kybHelp(fieldKeys(e.common.Keys)...)
	}
	return e.kybHelp(key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")))
}

func (e *kybEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *kybEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) { return e, e.updateKYB(msg) }

// kybScreen is the frame of the KYB editors: a property screen that warns
// while the KYB steps are out of order and puts them in order on o.
type kybScreen struct {
	propScreen
}

// newKYBScreen keeps three rows above the list for the heading and the
// order warning.
func newKYBScreen(c *ui.Common, doc *ui.Doc, p flow.StepPath) kybScreen {
	return kybScreen{newPropScreen(c, doc, p, 3)}
}

// kybHeader is a KYB editor's heading over the order warning, or over a
// blank line while the KYB steps are in order.
func (e *kybScreen) kybHeader(heading string) []string {
	return append([]string{heading}, strings.Split(e.kybOrderHint(), "\n")...)
}

// kybHelp ends a KYB editor's own keys with the order fix, when it
// applies, and esc.
func (e *kybScreen) kybHelp(own ...key.Binding) []key.Binding {
	if e.canReorderKYB() {
		own = append(own, reorderKey())
	}
	return append(own, e.common.Keys.Back)
}

// updateKYB is what the KYB editors do with a message: the list and esc,
// then o puts the KYB steps in order.
func (e *kybScreen) updateKYB(msg tea.Msg) tea.Cmd {
	if cmd, handled := e.update(msg); handled {
		return cmd
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && km.String() == "o" {
		return e.reorderKYB()
	}
	return nil
}

func (e *kybEditor) props() []widget.Prop {
	s, _ := e.step()
	base := e.path.Pointer()
	props := e.keyAndTextProps("the block title")
	known := []string{"type", "key", "title", "description"}
	if e.typ == "company" {
		props = append(props, fieldProps(&e.stepScreen, e.list, "")...)
		known = append(known, "fields")
	}
	return append(props, unknownMembers(e.common, e.doc, s.V, base, known...)...)
}

// fieldKeys are the help entries of a field list.
func fieldKeys(k ui.KeyMap) []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "on/off")),
		key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mandatory")),
		k.MoveUp, k.MoveDown,
	}
}

// offeredFields are the field types the list can turn on.
func offeredFields(role string) []string {
	if role == "" {
		return flow.FieldTypes()
	}
	return flow.RoleFields(role)
}

// fieldProps lists the fields of the company step (role "") or of a role:
// the ones collected, in their order, then the others it may have, off.
// space turns a field on or off, m flips mandatory, K/J reorder; locked
// fields refuse to go off or become optional.
func fieldProps(b *stepScreen, list *widget.PropList, role string) []widget.Prop {
	st := &b.common.Styles
	s, _ := b.step()
	base := b.path.Pointer()
	holder := s.V
	if role != "" {
		base += flow.Pointer("roles", role)
		holder = s.V.Get("roles").Get(role)
	}
	props := []widget.Prop{headingProp("Fields", "space on/off · m mandatory · K/J order")}
	if raw := holder.Get("fields"); raw != nil && !raw.Is(flow.Array) {
		return append(props, widget.Prop{Label: "fields", Kind: widget.PropInfo, Path: base + "/fields",
			Value: func() string { return "not a list; fix it in the file (kept as it is)" }})
	}
	present := map[string]bool{}
	items := s.FieldsValue(role).Items()
	for i, f := range items {
		t, _ := f.Get("type").Str()
		present[t] = true
		row := fieldRow(b, role, i, t, f, base+flow.Pointer("fields", i))
		row.Keys = fieldKeysHandler(b, list, role, i, t)
		props = append(props, row)
	}
	for _, t := range offeredFields(role) {
		if present[t] {
			continue
		}
		locked := flow.MustBeMandatory(role, t)
		required := slices.Contains(flow.LockedFields(role), t)
		jumpFrom := ""
		if required {
			// A required field missing is a problem about the list of
			// fields: a jump to it lands on the field to add.
			jumpFrom = base + "/fields"
		}
		props = append(props, widget.Prop{
			Label: t, Kind: widget.PropToggle, Path: "", JumpFrom: jumpFrom,
			Value: func() string {
				off := "[ ] off"
				if b.common.Accessible {
					off = "not collected" // the boxes would be said "off off"
				}
				if required {
					return st.Dim.Render(off) + st.Error.Render("  ✗ always collected")
				}
				return st.Dim.Render(off)
			},
			Hint: func() string {
				if required {
					return t + " is always collected" + roleNote(role) + ": space adds it, mandatory"
				}
				return "space collects it too (added at the end)"
			},
			Toggle: func() error {
				return b.edit("collect "+t, func(s flow.Step) error { return s.AddField(role, t, locked) })
			},
			Keys: func(km tea.KeyPressMsg) (tea.Cmd, bool) {
				switch {
				case km.String() == "m", key.Matches(km, b.common.Keys.MoveUp), key.Matches(km, b.common.Keys.MoveDown):
					return ui.Status(t + " is off; space turns it on first"), true
				}
				return nil, false
			},
		})
	}
	return props
}

// fieldRow is the line of a field that is in the list.
func fieldRow(b *stepScreen, role string, i int, t string, f *flow.Value, path string) widget.Prop {
	st := &b.common.Styles
	label := t
	if !f.Is(flow.Object) {
		label = "(not a field)"
	} else if t == "" {
		label = "(no type)"
	}
	required := slices.Contains(flow.LockedFields(role), t)
	locked := flow.MustBeMandatory(role, t)
	allowed := slices.Contains(offeredFields(role), t)
	return widget.Prop{
		Label: label, Kind: widget.PropToggle, Path: path,
		Value: func() string {
			if !f.Is(flow.Object) {
				return st.Error.Render(compactJSON(f)) + st.Dim.Render(" (d removes it)")
			}
			v := "[x] on  " + widget.BoolValue(st, f.Get("mandatory"), false) + " mandatory"
			if b.common.Accessible {
				v = "collected, " + mandatoryWords(st, f.Get("mandatory")) // not "on on  on mandatory"
			}
			switch {
			case !allowed && role != "" && slices.Contains(flow.FieldTypes(), t):
				v += st.Error.Render("  ✗ not for this role")
			case !allowed:
				v += st.Error.Render("  ✗ unknown field")
			case required:
				v += st.Dim.Render("  locked: always collected")
			case locked:
				v += st.Dim.Render("  locked: mandatory when collected")
			}
			return v
		},
		Hint: func() string {
			switch {
			case required:
				return t + " is always collected and always mandatory"
			case locked:
				return t + " is mandatory whenever it is collected; space stops collecting it"
			case !allowed && role != "":
				return fmt.Sprintf("the %s role cannot have %s; space removes it", role, label)
			}
			return "space stops collecting it · m flips mandatory · K/J move it"
		},
		Toggle: func() error {
			if required {
				return fmt.Errorf("%s is always collected%s", t, roleNote(role))
			}
			return b.edit("stop collecting "+label, func(s flow.Step) error { return s.RemoveField(role, i) })
		},
	}
}

func roleNote(role string) string {
	if role == "" {
		return " in the company step"
	}
	return " for the " + role + " role"
}

// mandatoryWords is a field's mandatory flag in words, for accessible
// mode.
func mandatoryWords(st *ui.Styles, v *flow.Value) string {
	on, ok := v.Bool()
	switch {
	case !ok && v != nil:
		return st.Error.Render("mandatory is not a boolean: " + string(flow.MarshalCompact(v)))
	case !ok:
		return "not mandatory (default)"
	case on:
		return "mandatory"
	}
	return "not mandatory"
}

// fieldKeysHandler is m (mandatory), d (remove) and K/J (order) on a
// field in the list.
func fieldKeysHandler(b *stepScreen, list *widget.PropList, role string, i int, t string) func(tea.KeyPressMsg) (tea.Cmd, bool) {
	return func(km tea.KeyPressMsg) (tea.Cmd, bool) {
		k := b.common.Keys
		switch {
		case km.String() == "m":
			s, _ := b.step()
			f := s.FieldsValue(role).Item(i)
			on, _ := f.Get("mandatory").Bool()
			if on && flow.MustBeMandatory(role, t) {
				return ui.StatusErr(fmt.Errorf("%s is always mandatory%s", t, roleNote(role))), true
			}
			if !f.Is(flow.Object) {
				return nil, true
			}
			err := b.edit("set "+t+" mandatory", func(s flow.Step) error { return s.SetFieldMandatory(role, i, !on) })
			if err != nil {
				return ui.StatusErr(err), true
			}
			return nil, true
		case key.Matches(km, k.Delete):
			if slices.Contains(flow.LockedFields(role), t) {
				return ui.StatusErr(fmt.Errorf("%s is always collected%s", t, roleNote(role))), true
			}
			if err := b.edit("remove field "+t, func(s flow.Step) error { return s.RemoveField(role, i) }); err != nil {
				return ui.StatusErr(err), true
			}
			return ui.Status("removed " + t + " · u to undo"), true
		case key.Matches(km, k.MoveUp), key.Matches(km, k.MoveDown):
			delta := 1
			if key.Matches(km, k.MoveUp) {
				delta = -1
			}
			moved := false
			_ = b.edit("move field "+t, func(s flow.Step) error {
				_, moved = s.MoveField(role, i, delta)
				return nil
			})
			if moved {
				list.Cursor += delta // the field rows are contiguous
			}
			return nil, true
		}
		return nil, false
	}
}

// kybOrderHint is the warning line the KYB editors show while the KYB
// steps are out of order, or "".
func (b *kybScreen) kybOrderHint() string { return kybOrderLine(b.common, b.doc, b.width) }

// canReorderKYB reports whether the o key would change the flow: the
// steps are out of order, not merely missing a company step.
func (b *kybScreen) canReorderKYB() bool { return b.doc.KYBReorderable() }

// reorderKYB is the o key of the KYB editors.
func (b *kybScreen) reorderKYB() tea.Cmd {
	if _, ok := b.step(); !ok {
		return nil
	}
	cmd := reorderKYB(b.doc)
	b.step() // follow the step to its new place
	return cmd
}
