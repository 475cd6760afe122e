package flow

import (
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

var (
	kybFieldNames = fieldNames(kybFieldSpecs)
	roleNames     = fieldNames(roleSpecs)
)

// kybFields checks the fields of a company step (role "") or of a role.
// A nil arr is a missing "fields": nothing is collected, so every locked
// field is missing, as with an empty list.
func (v *validator) kybFields(arr *Value, at *loc, role string) {
	var present uint32 // bit i: fieldTypes[i] is in the list
	for i, it := range arr.Items() {
		p := at.item(i)
		if !it.Is(Object) {
			v.err(CodeType, &p, "each field must be an object like {\"type\": \"taxId\", \"mandatory\": false}, not "+describeKind(it))
			continue
		}
		for _, m := range it.members {
			if IsCredentialName(m.Name) {
				continue // reported as a credential
			}
			mp := p.member(m.Name)
			if spec, ok := findSpec(kybFieldSpecs, m.Name); ok {
				v.checkKnown(spec, m.Value, &mp, false)
				continue
			}
			v.unknown(&mp, m.Name, kybFieldNames, "")
		}
		tp := p.member("type")
		typ := it.Get("type")
		if typ == nil {
			v.err(CodeRequired, &tp, "the field has no \"type\"; add one of "+strings.Join(fieldTypes, ", "))
			continue
		}
		t, _ := typ.Str()
		ti := slices.Index(fieldTypes, t)
		if ti < 0 {
			continue // reported above
		}
		present |= 1 << ti
		if IsIndividualRole(role) && IsCompanyOnlyField(t) {
			v.err(CodeRoleField, &tp, quote(t)+" describes a company, but the "+quote(role)+" role is always a person; remove it")
		}
		if MustBeMandatory(role, t) {
			if b, _ := it.Get("mandatory").Bool(); !b {
				mp := p.member("mandatory")
				v.err(CodeLockedMandatory, &mp, quote(t)+" is always mandatory"+roleWhere(role)+"; set \"mandatory\": true")
			}
		}
	}
	for _, t := range lockedFields(role) {
		if present&(1<<slices.Index(fieldTypes, t)) == 0 {
			v.err(CodeLockedMandatory, at, quote(t)+" is always collected"+roleWhere(role)+"; add {\"type\": "+quote(t)+", \"mandatory\": true}")
		}
	}
}

func roleWhere(role string) string {
	if role == "" {
		return " in the company step"
	}
	return " for the " + quote(role) + " role"
}

func (v *validator) beneficiaries(s Step, at *loc) {
	rolesVal := s.V.Get("roles")
	if !rolesVal.Is(Object) {
		return // a type error was reported, or there are no roles
	}
	rsp := at.member("roles")
	if rolesVal.Len() == 0 {
		v.warn(CodeEmpty, &rsp, "\"roles\" is empty: the step collects nothing; add a role such as \"ubo\" or remove the step")
	}
	kyc, _ := s.V.Get("kycConfigId").Str()
	kyb, _ := s.V.Get("kybConfigId").Str()
	for _, m := range rolesVal.members {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		rp := rsp.member(m.Name)
		if !slices.Contains(roles, m.Name) {
			v.err(CodeEnum, &rp, quote(m.Name)+" is not a role"+v.didYouMean(m.Name, roles)+"; roles are "+quoteList(roles))
			continue
		}
		if !m.Value.Is(Object) {
			v.err(CodeType, &rp, "the "+quote(m.Name)+" role must be an object like {\"fields\": [...], \"verification\": false}, not "+describeKind(m.Value))
			continue
		}
		for _, rm := range m.Value.members {
			if IsCredentialName(rm.Name) {
				continue // reported as a credential
			}
			p := rp.member(rm.Name)
			if spec, ok := findSpec(roleSpecs, rm.Name); ok {
				v.checkKnown(spec, rm.Value, &p, false)
				continue
			}
			v.unknown(&p, rm.Name, roleNames, "")
		}
		// An enabled role without "fields" collects nothing: its locked
		// fields are missing, as with an empty list.
		if f := m.Value.Get("fields"); f == nil || f.Is(Array) {
			fp := rp.member("fields")
			v.kybFields(f, &fp, m.Name)
		}
		if b, _ := m.Value.Get("verification").Bool(); b {
			vp := rp.member("verification")
			if kyc == "" {
				v.warn(CodeConfigMissing, &vp, "verification of the "+quote(m.Name)+" role runs KYC, but the step has no kycConfigId; add the KYC configuration id")
			}
			if m.Name == "shareholder" && kyb == "" {
				v.warn(CodeConfigMissing, &vp, "verification of shareholder companies runs KYB, but the step has no kybConfigId; add the KYB configuration id")
			}
		}
	}
}
