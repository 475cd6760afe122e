package flow

import (
	"strings"
)

// Names of the spec tables' fields, for did-you-mean hints. They are
// computed once and only read.
var (
	topFieldNames   = fieldNames(topFields)
	globalFlagNames = fieldNames(globalFlags)
	stepTypeNames   = StepTypes()
	stepFieldLists  = stepFieldTables()
)

// stepFieldTable is what the validator needs of a step type's spec.
type stepFieldTable struct {
	fields     []FieldSpec // common and type-specific top-level members
	fieldNames []string
	flagNames  []string
}

func stepFieldTables() map[string]stepFieldTable {
	m := make(map[string]stepFieldTable, len(stepSpecs))
	for _, s := range stepSpecs {
		f := s.StepFields()
		m[s.Type] = stepFieldTable{fields: f, fieldNames: fieldNames(f), flagNames: fieldNames(s.Flags)}
	}
	return m
}

// ownersOf returns the step types that define a top-level member (flags
// false) or a flag (flags true) of this name, in catalog order.
func ownersOf(name string, flags bool) []string {
	var out []string
	for _, s := range stepSpecs {
		specs := s.Props
		if flags {
			specs = s.Flags
		}
		if findSpecOK(specs, name) {
			out = append(out, s.Type)
		}
	}
	return out
}

// typeList renders step or question types for a message: "a", "a" and
// "b", "a", "b" and "c".
func typeList(types []string) string {
	q := make([]string, len(types))
	for i, t := range types {
		q[i] = quote(t)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// steps checks a list of steps: the config's (parent nil, level 0) or a
// video call's (parent the call, level 1, or deeper when calls are nested
// by mistake). The locations of the list and its items are kept in v's
// storage for the level (see locAt), as the walk recurses through calls.
func (v *validator) steps(arr *Value, parent *loc, level int) {
	list, item := v.locAt(2*level), v.locAt(2*level+1)
	*list = loc{up: parent, name: "steps", index: -1}
	for i, it := range arr.items {
		*item = loc{up: list, index: i}
		v.step(it, item, level)
	}
}

func (v *validator) step(val *Value, at *loc, level int) {
	nested := level > 0
	if !val.Is(Object) {
		v.err(CodeType, at, "each step must be an object like {\"type\": \"liveness\"}, not "+describeKind(val))
		return
	}
	s := Step{V: val}
	typ := val.Get("type")
	t, _ := typ.Str()
	spec, known := LookupStep(t)
	tp := at.member("type")
	switch {
	case typ == nil:
		v.err(CodeRequired, &tp, "the step has no \"type\"; add one of "+strings.Join(stepTypeNames, ", "))
	case !typ.Is(String):
		v.typeError(&tp, "a string", typ)
	case !known:
		meant := v.nearest(t, stepTypeNames, "")
		msg := "unknown step type " + quote(t)
		if meant != "" {
			msg += didYouMeanText(meant)
		}
		v.suggest(SevError, CodeUnknownStepType, &tp, msg, meant)
	case nested && !AllowedInVideoCall(spec.Type):
		v.err(CodeNestedStep, at, "a "+quote(spec.Type)+" step cannot run inside a video call; move it out of the call's \"steps\"")
	}
	v.stepKey(s, spec, at)
	if !known {
		return
	}
	if spec.Type == "operator-questionnaire" {
		v.operator = true
		defer func() { v.operator = false }()
	}

	table := stepFieldLists[spec.Type]
	for _, m := range val.members {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		p := at.member(m.Name)
		if fs, ok := findSpec(table.fields, m.Name); ok {
			if m.Name != "type" && m.Name != "key" {
				v.checkKnown(fs, m.Value, &p, fs.Kind == KindText)
			}
			continue
		}
		switch owners := ownersOf(m.Name, false); {
		case m.Name == "successButtonTitle" && spec.Type == "operator-questionnaire":
			// reported once, as an ignored flag, below
		case findSpecOK(spec.Flags, m.Name):
			fp := at.member("flags")
			v.unknown(&p, m.Name, nil, "; it is a flag of this step: move it into "+fp.String())
		case len(owners) > 0:
			v.warn(CodeIgnoredFlag, &p, quote(m.Name)+" is used by "+typeList(owners)+" steps; a "+quote(spec.Type)+" step ignores it: remove it"+v.didYouMean(m.Name, table.fieldNames))
		default:
			v.unknown(&p, m.Name, table.fieldNames, "")
		}
	}
	v.stepFlags(s, spec, table, at)

	switch spec.Type {
	case "identity-document":
		v.identityDocument(s, at)
	case "liveness":
		// allow_face_upload: false, its default, says nothing either way.
		if s.BoolFlag("liveness") && s.BoolFlag("allow_face_upload") {
			fp := at.member("flags")
			p := fp.member("allow_face_upload")
			v.warn(CodeIgnoredFlag, &p, "allow_face_upload is ignored with active liveness (liveness: true); set liveness to false or drop the flag")
		}
	case "phone-number", "email":
		flagA, flagB := spec.Flags[0].Name, spec.Flags[1].Name
		if !s.BoolFlag(flagA) && !s.BoolFlag(flagB) {
			v.warn(CodeUnreachable, at, "this "+spec.Type+" step neither requires nor checks anything; set "+flagB+" or "+flagA+" to true")
		}
	case "company":
		// No "fields" collects nothing, like an empty list: the locked
		// fields are missing either way.
		if f := val.Get("fields"); f == nil || f.Is(Array) {
			p := at.member("fields")
			v.kybFields(f, &p, "")
		}
	case "beneficiaries":
		v.beneficiaries(s, at)
	case "video-call":
		if inner := s.StepsValue(); inner != nil {
			v.steps(inner, at, level+1)
		}
	case "user-questionnaire", "operator-questionnaire":
		if spec.Type == "operator-questionnaire" && val.Has("successButtonTitle") {
			p := at.member("successButtonTitle")
			v.warn(CodeIgnoredFlag, &p, "successButtonTitle is only used by user questionnaires; remove it")
		}
		if qs := s.QuestionsValue(); qs != nil {
			if qs.Len() == 0 {
				p := at.member("questions")
				v.warn(CodeEmpty, &p, "\"questions\" is empty: the step collects nothing; add a question or remove the step")
			}
			v.questionnaire(s, at)
		}
	}
}

// stepKey checks the step's key: a string, unique in the whole session
// (nested steps included). A step without a key is known by its type's
// default key.
func (v *validator) stepKey(s Step, spec StepSpec, at *loc) {
	kp := at.member("key")
	key := s.V.Get("key")
	if key != nil && !key.Is(String) {
		v.typeError(&kp, "a string", key)
		return
	}
	k := s.EffectiveKey()
	if k == "" {
		return
	}
	if v.keys[k] {
		implicit := ""
		switch {
		case key == nil && spec.DefaultKey != "":
			implicit = " (the default key of a " + quote(s.Type()) + " step; give this one its own \"key\")"
		case key == nil:
			implicit = " (a step without a \"key\" is known by its type; give it its own \"key\")"
		}
		v.err(CodeDuplicateKey, &kp, "step key "+quote(k)+" is already used in this session"+implicit+"; step keys must be unique (try "+quote(v.freshStepKey(k))+")")
	}
	v.keys[k] = true
}

// freshStepKey returns a key like k that no step of the session has and
// no earlier hint offered.
func (v *validator) freshStepKey(k string) string {
	if v.allKeys == nil {
		v.allKeys = newKeySet()
		v.c.WalkSteps(func(_ StepPath, s Step) { v.allKeys.add(s.EffectiveKey()) })
	}
	fresh := v.allKeys.fresh(k)
	v.allKeys.add(fresh)
	return fresh
}

func (v *validator) stepFlags(s Step, spec StepSpec, table stepFieldTable, at *loc) {
	fp := at.member("flags")
	for _, m := range s.Flags().Members() {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		p := fp.member(m.Name)
		if fs, ok := findSpec(spec.Flags, m.Name); ok {
			v.checkKnown(fs, m.Value, &p, false)
			continue
		}
		hint := ""
		switch owners := ownersOf(m.Name, true); {
		case m.Name == "multiple_participans" && spec.Type == "video-call":
			v.suggest(SevWarning, CodeUnknownField, &p, "unknown field \"multiple_participans\" (did you mean \"multiple_participants\"? the guide misspells it)", "multiple_participants")
			continue
		case findSpecOK(globalFlags, m.Name) && v.didYouMean(m.Name, table.flagNames) == "":
			hint = "; it is a global flag: move it into the top-level \"flags\""
		case findSpecOK(spec.Props, m.Name):
			top := at.member(m.Name)
			hint = "; it belongs at the top of the step: move it to " + top.String()
		case len(owners) > 0:
			v.warn(CodeIgnoredFlag, &p, quote(m.Name)+" is a flag of "+typeList(owners)+" steps; a "+quote(spec.Type)+" step ignores it: remove it"+v.didYouMean(m.Name, table.flagNames))
			continue
		}
		v.unknown(&p, m.Name, table.flagNames, hint)
	}
}

func (v *validator) identityDocument(s Step, at *loc) {
	fp := at.member("flags")
	cp := fp.member("document_countries")
	for i, it := range s.Flag("document_countries").Items() {
		code, ok := it.Str()
		if !ok {
			continue // reported as a type error
		}
		if _, ok := LookupCountry(code); !ok {
			p := cp.item(i)
			hint, meant := countryHint(code)
			v.suggest(SevError, CodeCountryCode, &p, quote(code)+" is not an ISO 3166-1 alpha-3 country code; "+hint, meant)
		}
	}
	// An absent allow_document_upload is false, its default.
	if s.BoolFlag("disable_document_capture") && !s.BoolFlag("allow_document_upload") {
		p := fp.member("disable_document_capture")
		v.err(CodeConflict, &p, "disable_document_capture leaves only uploading, but allow_document_upload is not true: the person could not provide a document; set allow_document_upload to true")
	}
}

// sessionRules are the checks that look at the whole session, with each
// video call's nested steps standing where the call stands.
func (v *validator) sessionRules() {
	skipFace, skipDocument := v.c.BoolFlag("skip_face"), v.c.BoolFlag("skip_document")
	// One walk: the KYB steps are judged after it, once it is known
	// whether there is a company step anywhere.
	type kybStep struct {
		path StepPath
		typ  string
		rank int
	}
	var kyb []kybStep
	hasCompany := false
	v.c.WalkSteps(func(p StepPath, s Step) {
		typ := s.Type()
		switch typ {
		case "liveness":
			if !skipFace {
				v.diags.add(Diagnostic{Severity: SevWarning, Code: CodeDuplicateStep, Path: p.Pointer(),
					Message: "a liveness step without flags.skip_face true: the vendor may add a second liveness check; set skip_face to true"})
			}
		case "identity-document":
			if !skipDocument {
				v.diags.add(Diagnostic{Severity: SevWarning, Code: CodeDuplicateStep, Path: p.Pointer(),
					Message: "an identity-document step without flags.skip_document true: the vendor may add a second document step; set skip_document to true"})
			}
		}
		if rank, isKYB := kybRank[typ]; isKYB {
			hasCompany = hasCompany || typ == "company"
			kyb = append(kyb, kybStep{p, typ, rank})
		}
	})
	highest, highestType := -1, ""
	for _, s := range kyb {
		msg := ""
		switch {
		case s.rank > 0 && !hasCompany:
			msg = "a " + s.typ + " step without a company step; KYB flows run company, then beneficiaries, then kyb-review"
		case s.rank < highest:
			msg = "this " + s.typ + " step comes after a " + highestType + " step; KYB flows run company, then beneficiaries, then kyb-review"
		}
		if msg != "" {
			v.diags.add(Diagnostic{Severity: SevWarning, Code: CodeKYBOrder, Path: s.path.Pointer(), Message: msg})
		}
		if s.rank > highest {
			highest, highestType = s.rank, s.typ
		}
	}
}
