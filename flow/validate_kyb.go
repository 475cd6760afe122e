package flow

import (
	"fmt"
	"slices"
	"strings"
)

var kybFieldSpecs = []FieldSpec{
	{Name: "type", Kind: KindString, Enum: fieldTypes},
	{Name: "mandatory", Kind: KindBool},
}

var roleSpecs = []FieldSpec{
	{Name: "fields", Kind: KindArray},
	{Name: "verification", Kind: KindBool},
}

// kybFields checks a company step's fields (role "") or a role's fields.
func (v *validator) kybFields(arr *Value, path, role string) {
	present := map[string]bool{}
	for i, it := range arr.Items() {
		p := join(path, i)
		if !it.Is(Object) {
			v.errorf(CodeType, p, "each field must be an object like {\"type\": \"taxId\", \"mandatory\": false}, not %s", describeKind(it))
			continue
		}
		for _, m := range it.Members() {
			mp := join(p, m.Name)
			if spec, ok := findSpec(kybFieldSpecs, m.Name); ok {
				v.checkKnown(spec, m.Value, mp, false)
				continue
			}
			v.unknown(mp, m.Name, fieldNames(kybFieldSpecs), "")
		}
		typ := it.Get("type")
		if typ == nil {
			v.errorf(CodeRequired, join(p, "type"), "the field has no \"type\"; add one of %s", strings.Join(fieldTypes, ", "))
			continue
		}
		t, ok := typ.Str()
		if !ok || !slices.Contains(fieldTypes, t) {
			continue // reported above
		}
		present[t] = true
		if IsIndividualRole(role) && IsCompanyOnlyField(t) {
			v.errorf(CodeRoleField, join(p, "type"), "%q describes a company, but the %q role is always a person; remove it", t, role)
		}
		if MustBeMandatory(role, t) {
			if b, _ := it.Get("mandatory").Bool(); !b {
				v.errorf(CodeLockedMandatory, join(p, "mandatory"), "%q is always mandatory%s; set \"mandatory\": true", t, roleWhere(role))
			}
		}
	}
	for _, t := range LockedFields(role) {
		if !present[t] {
			v.errorf(CodeLockedMandatory, path, "%q is always collected%s; add {\"type\": %q, \"mandatory\": true}", t, roleWhere(role), t)
		}
	}
}

func roleWhere(role string) string {
	if role == "" {
		return " in the company step"
	}
	return fmt.Sprintf(" for the %q role", role)
}

func (v *validator) beneficiaries(s Step, path string) {
	rolesVal := s.V.Get("roles")
	if !rolesVal.Is(Object) {
		return // a type error was reported, or there are no roles
	}
	kyc, _ := s.V.Get("kycConfigId").Str()
	kyb, _ := s.V.Get("kybConfigId").Str()
	for _, m := range rolesVal.Members() {
		rp := join(join(path, "roles"), m.Name)
		if !slices.Contains(roles, m.Name) {
			v.errorf(CodeEnum, rp, "%q is not a role%s; roles are %s", m.Name, didYouMean(m.Name, roles), quoteList(roles))
			continue
		}
		if !m.Value.Is(Object) {
			v.errorf(CodeType, rp, "the %q role must be an object like {\"fields\": [...], \"verification\": false}, not %s", m.Name, describeKind(m.Value))
			continue
		}
		for _, rm := range m.Value.Members() {
			p := join(rp, rm.Name)
			if spec, ok := findSpec(roleSpecs, rm.Name); ok {
				v.checkKnown(spec, rm.Value, p, false)
				continue
			}
			v.unknown(p, rm.Name, fieldNames(roleSpecs), "")
		}
		if f := m.Value.Get("fields"); f.Is(Array) {
			v.kybFields(f, join(rp, "fields"), m.Name)
		}
		if b, _ := m.Value.Get("verification").Bool(); b {
			vp := join(rp, "verification")
			if kyc == "" {
				v.warnf(CodeConfigMissing, vp, "verification of the %q role runs KYC, but the step has no kycConfigId; add the KYC configuration id", m.Name)
			}
			if m.Name == "shareholder" && kyb == "" {
				v.warnf(CodeConfigMissing, vp, "verification of shareholder companies runs KYB, but the step has no kybConfigId; add the KYB configuration id")
			}
		}
	}
}
