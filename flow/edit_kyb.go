package flow

import (
	"fmt"
	"slices"
)

// kybRank is the place of each KYB step type in the order the vendor runs
// them.
var kybRank = map[string]int{"company": 0, "beneficiaries": 1, "kyb-review": 2}

// ReorderKYB puts the KYB steps in the order the vendor runs them: company,
// then beneficiaries, then kyb-review. The KYB steps trade places among
// themselves (in the order WalkSteps visits them, nested ones included);
// every other step stays where it is, and steps of the same type keep their
// relative order. It reports whether anything moved.
func (c *Config) ReorderKYB() bool {
	type slot struct {
		list *Value
		at   int
	}
	var slots []slot
	var steps []*Value
	c.WalkSteps(func(p StepPath, s Step) {
		if _, ok := kybRank[s.Type()]; !ok {
			return
		}
		list, i := c.stepList(p)
		slots = append(slots, slot{list, i})
		steps = append(steps, s.V)
	})
	sorted := make([]*Value, 0, len(steps))
	for rank := range 3 {
		for _, s := range steps {
			if kybRank[Step{V: s}.Type()] == rank {
				sorted = append(sorted, s)
			}
		}
	}
	moved := false
	for i, sl := range slots {
		if sl.list.Item(sl.at) != sorted[i] {
			sl.list.SetItem(sl.at, sorted[i])
			moved = true
		}
	}
	return moved
}

// FieldsValue returns the field list of the company step (role "") or of
// a role, or nil.
func (s Step) FieldsValue(role string) *Value {
	holder := s.V
	if role != "" {
		holder = s.V.Get("roles").Get(role)
	}
	if f := holder.Get("fields"); f.Is(Array) {
		return f
	}
	return nil
}

// RoleEnabled reports whether the beneficiaries step collects role.
func (s Step) RoleEnabled(role string) bool { return s.V.Get("roles").Get(role).Is(Object) }

// SetRoleEnabled turns a role on (with its locked fields) or off.
func (s Step) SetRoleEnabled(role string, on bool) error {
	if !slices.Contains(roles, role) {
		return fmt.Errorf("unknown role %q%s", role, didYouMean(role, roles))
	}
	rolesVal := s.V.Get("roles")
	if !rolesVal.Is(Object) {
		if !on {
			return nil
		}
		rolesVal = NewObject()
		s.Set("roles", rolesVal)
	}
	if !on {
		rolesVal.Delete(role)
		return nil
	}
	if rolesVal.Get(role).Is(Object) {
		return nil
	}
	r := NewObject()
	fields := NewArray()
	for _, f := range LockedFields(role) {
		fields.Append(newKYBField(f, true))
	}
	r.Set("fields", fields, roleOrder)
	r.Set("verification", NewBool(false), roleOrder)
	rolesVal.Set(role, r, roles)
	return nil
}

// AddField adds a field to the company step (role "") or a role; fields a
// role may not have are refused.
func (s Step) AddField(role, typ string, mandatory bool) error {
	allowed := fieldTypes
	if role != "" {
		allowed = RoleFields(role)
	}
	if !slices.Contains(allowed, typ) {
		return fmt.Errorf("field %q is not available here", typ)
	}
	if role != "" && !s.RoleEnabled(role) {
		// Enabling the role brings its locked fields.
		if err := s.SetRoleEnabled(role, true); err != nil {
			return err
		}
	}
	list := s.FieldsValue(role)
	if list == nil {
		holder := s.V
		if role != "" {
			holder = s.V.Get("roles").Get(role)
		}
		list = NewArray()
		holder.Set("fields", list, append([]string{"title", "description"}, append(stepOrder, roleOrder...)...))
	}
	for _, f := range list.Items() {
		if t, _ := f.Get("type").Str(); t == typ {
			return fmt.Errorf("field %q is already there", typ)
		}
	}
	list.Append(newKYBField(typ, mandatory))
	return nil
}

// RemoveField removes the i-th field of the company step or a role;
// locked fields stay.
func (s Step) RemoveField(role string, i int) error {
	list := s.FieldsValue(role)
	f := list.Item(i)
	if f == nil {
		return fmt.Errorf("no field %d", i)
	}
	if t, _ := f.Get("type").Str(); slices.Contains(LockedFields(role), t) {
		return fmt.Errorf("%q is always collected and cannot be removed", t)
	}
	list.RemoveAt(i)
	return nil
}

// MoveField moves the i-th field by delta places.
func (s Step) MoveField(role string, i, delta int) (int, bool) {
	if s.FieldsValue(role).Move(i, i+delta) {
		return i + delta, true
	}
	return i, false
}

// SetFieldMandatory sets a field's mandatory switch; locked fields stay on.
func (s Step) SetFieldMandatory(role string, i int, on bool) error {
	f := s.FieldsValue(role).Item(i)
	if f == nil {
		return fmt.Errorf("no field %d", i)
	}
	if t, _ := f.Get("type").Str(); !on && MustBeMandatory(role, t) {
		return fmt.Errorf("%q is always mandatory", t)
	}
	f.Set("mandatory", NewBool(on), fieldOrder)
	return nil
}
