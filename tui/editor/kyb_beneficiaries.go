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

// kybBeneficiariesEditor edits a beneficiaries step: key, texts, the KYC
// and KYB configuration ids, and the five roles (on/off here; enter opens
// a role's fields and verification switch).
type kybBeneficiariesEditor struct {
	kybScreen
	focus string
}

func newKYBBeneficiariesEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
	e := &kybBeneficiariesEditor{kybScreen: newKYBScreen(c, doc, p), focus: focus}
	e.build, e.alive = e.props, e.hasStep
	e.header = func() []string { return e.kybHeader(e.heading()) }
	e.show(focus)
	return e
}

// Init opens the role a diagnostic points into (e.g. /steps/1/roles/ubo/fields/2).
func (e *kybBeneficiariesEditor) Init() tea.Cmd {
	toks := flow.SplitPointer(strings.TrimPrefix(e.focus, e.path.Pointer()))
	if len(toks) < 3 || toks[0] != "roles" || !slices.Contains(flow.Roles(), toks[1]) {
		return nil
	}
	return ui.Push(newKYBRoleEditor(e.common, e.doc, e.path, toks[1], e.focus))
}

func (e *kybBeneficiariesEditor) Title() string { return e.title() }

func (e *kybBeneficiariesEditor) ShortHelp() []key.Binding {
	return e.kybHelp(
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")),
		key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "role on/off")),
		key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verification")),
	)
}

func (e *kybBeneficiariesEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *kybBeneficiariesEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) { return e, e.updateKYB(msg) }

// verifyingRoles returns the roles with verification on, and whether the
// shareholder role is one of them.
func verifyingRoles(s flow.Step) (roles []string, shareholder bool) {
	for _, r := range flow.Roles() {
		if b, _ := s.V.Get("roles").Get(r).Get("verification").Bool(); b {
			roles = append(roles, r)
			shareholder = shareholder || r == "shareholder"
		}
	}
	return roles, shareholder
}

func (e *kybBeneficiariesEditor) props() []widget.Prop {
	s, _ := e.step()
	base := e.path.Pointer()
	props := append(e.keyAndTextProps("the block title"),
		e.configIDProp("kycConfigId", "KYC configuration run for people when verification is on"),
		e.configIDProp("kybConfigId", "KYB configuration run for shareholder companies when verification is on"),
		headingProp("Roles", "space on/off · enter fields · v verification"),
	)
	rolesVal := s.V.Get("roles")
	if rolesVal != nil && !rolesVal.Is(flow.Object) {
		props = append(props, widget.Prop{Label: "roles", Kind: widget.PropInfo, Path: base + "/roles",
			Value: func() string { return "not an object; fix it in the file (kept as it is)" }})
	} else {
		for _, r := range flow.Roles() {
			props = append(props, e.roleProp(r))
		}
		for _, m := range rolesVal.Members() {
			if !slices.Contains(flow.Roles(), m.Name) {
				props = append(props, unknownMembers(e.common, e.doc, rolesVal, base+"/roles", flow.Roles()...)...)
				break
			}
		}
	}
	known := []string{"type", "key", "title", "description", "kycConfigId", "kybConfigId", "roles"}
	return append(props, unknownMembers(e.common, e.doc, s.V, base, known...)...)
}

// configIDProp edits kycConfigId or kybConfigId, warning when
// verification needs it and it is empty.
func (e *kybBeneficiariesEditor) configIDProp(name, about string) widget.Prop {
	st := &e.common.Styles
	needed := func() []string {
		s, _ := e.step()
		if v, _ := s.V.Get(name).Str(); v != "" {
			return nil
		}
		roles, shareholder := verifyingRoles(s)
		if name == "kybConfigId" {
			if shareholder {
				return []string{"shareholder"}
			}
			return nil
		}
		return roles
	}
	return widget.Prop{
		Label: name, Kind: widget.PropText, Path: e.path.Pointer() + "/" + name,
		Value: func() string {
			s, _ := e.step()
			v := widget.TextValue(st, s.V.Get(name))
			if n := needed(); len(n) > 0 {
				v += st.Warning.Render("  ⚠ needed: verification is on for " + strings.Join(n, ", "))
			}
			return v
		},
		Text: func() string { s, _ := e.step(); v, _ := s.V.Get(name).Str(); return v },
		Hint: func() string {
			if n := needed(); len(n) > 0 {
				return "config-missing: " + about + "; enter to type the id"
			}
			return about + "; empty removes it"
		},
		SetText: func(v string) error {
			v = strings.TrimSpace(v)
			return e.edit("set "+name, func(s flow.Step) error {
				if v == "" {
					s.Set(name, nil)
				} else {
					s.Set(name, flow.NewString(v))
				}
				return nil
			})
		},
	}
}

// roleProp is a role's line: space turns it on or off, enter opens it, v
// flips verification.
func (e *kybBeneficiariesEditor) roleProp(role string) widget.Prop {
	st := &e.common.Styles
	roleVal := func() *flow.Value { s, _ := e.step(); return s.V.Get("roles").Get(role) }
	removedFields := 0 // the fields a role had when it was turned off
	p := widget.Prop{
		Label: role, Kind: widget.PropToggle, Path: e.path.Pointer() + flow.Pointer("roles", role),
		Value: func() string {
			r := roleVal()
			switch {
			case r == nil:
				return st.Dim.Render("[ ] off")
			case !r.Is(flow.Object):
				return st.Error.Render("not an object: " + compactJSON(r))
			}
			n := r.Get("fields").Len()
			return fmt.Sprintf("[x] on  %2d fields  verification %s", n, widget.BoolValue(st, r.Get("verification"), false))
		},
		Hint: func() string {
			kind := "always a person"
			if !flow.IsIndividualRole(role) {
				kind = "a person or a company"
			}
			return role + " is " + kind + " · enter edits its fields"
		},
		Toggle: func() error {
			on := roleVal() != nil
			if on && !roleVal().Is(flow.Object) {
				return fmt.Errorf("the %s role is not an object; fix it in the file", role)
			}
			label := "turn on role " + role
			if on {
				label = "turn off role " + role
			}
			removedFields = len(roleVal().Get("fields").Items())
			return e.edit(label, func(s flow.Step) error { return s.SetRoleEnabled(role, !on) })
		},
		// Turning a role off takes its fields out of the flow: say so, and
		// that u brings them back.
		Toggled: func() string {
			if roleVal() != nil {
				return "turned on role " + role
			}
			if removedFields > 0 {
				return fmt.Sprintf("turned off role %s and removed its %d field(s) · u to undo", role, removedFields)
			}
			return "turned off role " + role + " · u to undo"
		},
	}
	p.Open = func() tea.Cmd { return ui.Push(newKYBRoleEditor(e.common, e.doc, e.path, role, "")) }
	p.Keys = func(km tea.KeyPressMsg) (tea.Cmd, bool) {
		if km.String() == "v" {
			if err := toggleVerification(&e.stepScreen, role); err != nil {
				return ui.StatusErr(err), true
			}
			return nil, true
		}
		return nil, false
	}
	return p
}

// toggleVerification flips a role's verification switch (turning the role
// on when it is off).
func toggleVerification(b *stepScreen, role string) error {
	s, _ := b.step()
	r := s.V.Get("roles").Get(role)
	if r != nil && !r.Is(flow.Object) {
		return fmt.Errorf("the %s role is not an object; fix it in the file", role)
	}
	on, _ := r.Get("verification").Bool()
	return b.edit("set "+role+" verification", func(s flow.Step) error {
		if err := s.SetRoleEnabled(role, true); err != nil {
			return err
		}
		s.V.Get("roles").Get(role).Set("verification", flow.NewBool(!on), []string{"fields", "verification"})
		return nil
	})
}

// kybRoleEditor edits one role of a beneficiaries step: on/off, the
// verification switch and the fields the role may have.
type kybRoleEditor struct {
	kybScreen
	role string
}

func newKYBRoleEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, role, focus string) *kybRoleEditor {
	e := &kybRoleEditor{kybScreen: newKYBScreen(c, doc, p), role: role}
	e.build, e.alive, e.header = e.props, e.hasStep, e.roleHeader
	e.show(focus)
	return e
}

func (e *kybRoleEditor) Title() string {
	s, _ := e.step()
	return fmt.Sprintf("role %q of step %q", e.role, s.EffectiveKey())
}

func (e *kybRoleEditor) ShortHelp() []key.Binding { return e.kybHelp(fieldKeys(e.common.Keys)...) }

func (e *kybRoleEditor) FullHelp() [][]key.Binding {
	return widget.HelpGroups(e.common.Keys, e.ShortHelp())
}

func (e *kybRoleEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) { return e, e.updateKYB(msg) }

func (e *kybRoleEditor) roleHeader() []string {
	st := &e.common.Styles
	kind := "always a person: company fields are not offered"
	if !flow.IsIndividualRole(e.role) {
		kind = "a person or a company: any field"
	}
	return e.kybHeader(ui.Truncate(st.Title.Render("Role "+e.role)+st.Dim.Render(" — "+kind), e.width))
}

func (e *kybRoleEditor) props() []widget.Prop {
	st := &e.common.Styles
	s, _ := e.step()
	base := e.path.Pointer() + flow.Pointer("roles", e.role)
	r := s.V.Get("roles").Get(e.role)
	if rs := s.V.Get("roles"); (rs != nil && !rs.Is(flow.Object)) || (r != nil && !r.Is(flow.Object)) {
		return []widget.Prop{{Label: e.role, Kind: widget.PropInfo, Path: base,
			Value: func() string { return "not an object; fix it in the file (kept as it is)" }}}
	}
	roleOn := widget.Prop{
		Label: "role", Kind: widget.PropToggle, Path: base,
		Value: func() string {
			s, _ := e.step()
			return widget.Checkbox(s.RoleEnabled(e.role)) + " collected"
		},
		Hint: func() string { return "space turns the role on or off" },
		Toggle: func() error {
			s, _ := e.step()
			on := s.RoleEnabled(e.role)
			return e.edit("turn role "+e.role+" on/off", func(s flow.Step) error { return s.SetRoleEnabled(e.role, !on) })
		},
	}
	verify := widget.Prop{
		Label: "verification", Kind: widget.PropToggle, Path: base + "/verification",
		Value: func() string {
			s, _ := e.step()
			return widget.BoolValue(st, s.V.Get("roles").Get(e.role).Get("verification"), false)
		},
		Hint: func() string {
			if flow.IsIndividualRole(e.role) {
				return "runs KYC (kycConfigId) for each person in this role"
			}
			return "runs KYC (kycConfigId) for people and KYB (kybConfigId) for companies"
		},
		Toggle: func() error { return toggleVerification(&e.stepScreen, e.role) },
	}
	props := []widget.Prop{roleOn, verify}
	props = append(props, fieldProps(&e.stepScreen, e.list, e.role)...)
	return append(props, unknownMembers(e.common, e.doc, r, base, "fields", "verification")...)
}
