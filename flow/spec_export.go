package flow

import "slices"

// Accessors for the specs of the nested objects the validator checks, so
// that other views of the contract (the JSON Schema) read the same tables.

// KYBFieldSpecs returns the specs of a KYB field object ({type, mandatory}),
// used by the company step's fields and each beneficiary role's fields.
func KYBFieldSpecs() []FieldSpec { return slices.Clone(kybFieldSpecs) }

// RoleSpecs returns the specs of a beneficiary role object ({fields,
// verification}).
func RoleSpecs() []FieldSpec { return slices.Clone(roleSpecs) }

// OptionSpecs returns the specs of a question option ({key, title}).
func OptionSpecs() []FieldSpec { return slices.Clone(optionSpecs) }

// ConditionSpecs returns the specs of a question's showConditions
// ({questionKey, answer}).
func ConditionSpecs() []FieldSpec { return slices.Clone(conditionSpecs) }
