package flow

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Check parses and validates a config file's bytes. A file that is not a
// JSON object yields a nil config and one json-syntax diagnostic; a file too
// large to read yields the *TooLargeError.
func Check(data []byte) (*Config, Diagnostics, error) { return CheckAdjusted(data, nil) }

// CheckAdjusted is Check of the config as adjust changes it before it is
// validated (settings from elsewhere, such as a command line's config_id,
// that decide what is valid).
func CheckAdjusted(data []byte, adjust func(*Config)) (*Config, Diagnostics, error) {
	c, err := Parse(data)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, Diagnostics{{Severity: SevError, Code: CodeJSONSyntax, Message: se.Error()}}, nil
		}
		return nil, nil, err
	}
	if adjust != nil {
		adjust(c)
	}
	return c, Validate(c), nil
}

// Validate returns every finding about c, sorted by path. It is a pure
// function of the config.
func Validate(c *Config) Diagnostics {
	// A name given twice in an object is reported, and the rest is judged
	// on what is sent: the last of each name, as JSON decoders read it.
	effective := c
	if root := withoutRepeats(c.root); root != c.root {
		effective = &Config{root: root}
	}
	v := &validator{c: effective, keys: map[string]bool{}, shown: effective.ShownLanguages()}
	if effective != c { // withoutRepeats found a repeated name: say where
		v.duplicateMembers(c.root, "")
	}
	v.top()
	v.diags.Sort()
	return v.diags
}

type validator struct {
	// fieldsOf caches each step type's full field list for this run.
	fieldsOf map[string][]FieldSpec
	c        *Config
	diags    Diagnostics
	keys     map[string]bool // step keys seen so far in the session
	shown    []string        // languages the flow can show
}

func (v *validator) stepFields(spec StepSpec) []FieldSpec {
	if f, ok := v.fieldsOf[spec.Type]; ok {
		return f
	}
	if v.fieldsOf == nil {
		v.fieldsOf = map[string][]FieldSpec{}
	}
	f := spec.StepFields()
	v.fieldsOf[spec.Type] = f
	return f
}

func (v *validator) add(sev Severity, code, path, format string, args ...any) {
	v.diags = append(v.diags, Diagnostic{Severity: sev, Code: code, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) errorf(code, path, format string, args ...any) {
	v.add(SevError, code, path, format, args...)
}

func (v *validator) warnf(code, path, format string, args ...any) {
	v.add(SevWarning, code, path, format, args...)
}

func join(path string, tok any) string {
	switch t := tok.(type) {
	case int:
		return path + "/" + strconv.Itoa(t)
	case string:
		return path + "/" + escapeToken(t)
	}
	return path
}

func fieldNames(specs []FieldSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

func findSpec(specs []FieldSpec, name string) (FieldSpec, bool) {
	for _, s := range specs {
		if s.Name == name {
			return s, true
		}
	}
	return FieldSpec{}, false
}

// describeKind names what a value is, for "not X" messages.
func describeKind(val *Value) string {
	k := val.Kind()
	if k == Null {
		return "null"
	}
	return article(k) + " " + k.String()
}

func (v *validator) typeError(path, what string, got *Value) {
	v.errorf(CodeType, path, "%s must be %s, not %s", pathName(path), what, describeKind(got))
}

// pathName is the last token of a pointer, quoted, for messages.
func pathName(path string) string {
	toks := SplitPointer(path)
	if len(toks) == 0 {
		return "the config"
	}
	last := toks[len(toks)-1]
	if _, err := strconv.Atoi(last); err == nil && len(toks) > 1 {
		return fmt.Sprintf("%q item %s", toks[len(toks)-2], last)
	}
	return strconv.Quote(last)
}

// checkKnown checks a known member against its spec: JSON type, enum,
// URL and date-time syntax, localized text. Rules that depend on other
// members are the caller's.
func (v *validator) checkKnown(spec FieldSpec, val *Value, path string, wantLocalized bool) {
	if val.Is(Null) && spec.Nullable {
		return
	}
	switch spec.Kind {
	case KindString:
		s, ok := val.Str()
		if !ok {
			v.typeError(path, "a string", val)
			return
		}
		v.checkEnum(spec, s, path)
	case KindBool:
		if !val.Is(Bool) {
			v.typeError(path, "true or false", val)
		}
	case KindStringList:
		if !val.Is(Array) {
			v.typeError(path, "an array of strings", val)
			return
		}
		for i, it := range val.Items() {
			s, ok := it.Str()
			if !ok {
				v.typeError(join(path, i), "a string", it)
				continue
			}
			v.checkEnum(spec, s, join(path, i))
		}
	case KindText:
		v.checkText(val, path, wantLocalized)
	case KindURL:
		v.checkURL(val, path)
	case KindDateTime:
		s, ok := val.Str()
		if !ok {
			v.typeError(path, "an RFC 3339 date-time string", val)
			return
		}
		if _, err := ParseDateTime(s); err != nil {
			v.errorf(CodeDatetime, path, "%q is not an RFC 3339 date-time; write it like \"2024-06-20T07:33:00.000Z\"", s)
		}
	case KindObject:
		if !val.Is(Object) {
			hint := ""
			if val.Is(Array) {
				hint = " (write {\"name\": value, ...}, not [...])"
			}
			v.errorf(CodeType, path, "%s must be an object, not %s%s", pathName(path), describeKind(val), hint)
		}
	case KindArray:
		if !val.Is(Array) {
			v.typeError(path, "an array", val)
		}
	case KindInt:
		if _, _, ok := wholeNumber(val); !ok {
			v.typeError(path, "a whole number", val)
		}
	}
}

func (v *validator) checkEnum(spec FieldSpec, s, path string) {
	if spec.Enum == nil || slices.Contains(spec.Enum, s) {
		return
	}
	if spec.Name == "language" && s == "hy" {
		v.warnf(CodeEnum, path, "\"hy\" is offered by the language step but not as the interface language; the widget may fall back to English")
		return
	}
	v.errorf(CodeEnum, path, "%q is not allowed for %q%s; allowed: %s", s, spec.Name, didYouMean(s, spec.Enum), quoteList(spec.Enum))
}

func (v *validator) checkURL(val *Value, path string) {
	s, ok := val.Str()
	if !ok {
		v.typeError(path, "a URL string or null", val)
		return
	}
	if s == "" && strings.HasSuffix(path, "/switch_device_url") {
		return // the guide: empty means no QR code
	}
	u, err := url.Parse(s)
	switch {
	case s == "":
		v.errorf(CodeURL, path, "%s is empty; give an absolute https:// URL or remove it", pathName(path))
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || strings.ContainsFunc(s, unicode.IsSpace):
		v.errorf(CodeURL, path, "%q is not an absolute http(s) URL; write it like \"https://example.com/done\"", s)
	case u.Scheme == "http":
		v.warnf(CodeURL, path, "%q uses plain http; use https so the session token is not sent in the clear", s)
	}
}

// checkText checks a localized text: a string (a localize warning where
// the guide wants an object) or an object from language code to string
// that covers every language the flow can show.
func (v *validator) checkText(val *Value, path string, wantLocalized bool) {
	switch val.Kind() {
	case String:
		if wantLocalized {
			s, _ := val.Str()
			v.warnf(CodeLocalize, path, "%s should be a localized object such as {\"%s\": %s}", pathName(path), v.c.Language(), strconv.Quote(s))
		}
	case Object:
		for _, m := range val.Members() {
			if !slices.Contains(languages, m.Name) {
				v.errorf(CodeEnum, join(path, m.Name), "%q is not a language code%s; use one of %s", m.Name, didYouMean(m.Name, languages), strings.Join(languages, " "))
			}
			if !m.Value.Is(String) {
				v.typeError(join(path, m.Name), "a string", m.Value)
			}
		}
		var missing []string
		for _, l := range v.shown {
			if !val.Has(l) {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			v.warnf(CodeMissingTranslation, path, "no text for %s, which the flow can show; add %s", strings.Join(missing, ", "), quoteList(missing))
		}
	default:
		v.typeError(path, "a string or a {language: text} object", val)
	}
}

// unknown reports a member no spec knows, with a did-you-mean or a hint
// about where it belongs.
func (v *validator) unknown(path, name string, candidates []string, hint string) {
	if hint == "" {
		hint = didYouMean(name, candidates)
		if hint == "" {
			hint = "; it is kept as is, but the vendor may ignore it"
		}
	}
	v.warnf(CodeUnknownField, path, "unknown field %q%s", name, hint)
}

func (v *validator) top() {
	root := v.c.root
	for _, m := range root.Members() {
		p := join("", m.Name)
		spec, ok := findSpec(topFields, m.Name)
		switch {
		case ok:
			v.checkKnown(spec, m.Value, p, false)
		case m.Name == "company_key" || m.Name == "secret_key":
			v.errorf(CodeCredential, p, "%q is a credential and must not be in a config file; remove it and set IDENTOMAT_%s instead", m.Name, strings.ToUpper(m.Name))
		case findSpecOK(globalFlags, m.Name):
			v.unknown(p, m.Name, nil, "; it is a global flag: move it into \"flags\"")
		default:
			v.unknown(p, m.Name, fieldNames(topFields), "")
		}
	}
	v.schedule()
	v.globalFlags()

	steps := root.Get("steps")
	// An empty config_id names no saved configuration.
	configID, _ := root.Get("config_id").Str()
	hasConfig := configID != ""
	switch {
	case steps == nil && !hasConfig:
		v.errorf(CodeRequired, "/steps", "\"steps\" is required unless \"config_id\" names a saved configuration; add at least one step")
	case steps.Is(Array) && steps.Len() == 0 && !hasConfig:
		v.errorf(CodeEmpty, "/steps", "\"steps\" is empty; add at least one step or give a \"config_id\"")
	case steps != nil && hasConfig:
		v.add(SevInfo, CodeStepsOverride, "/steps", "with \"config_id\" the saved configuration is used and these steps replace its steps of the same key")
	}
	if steps.Is(Array) {
		v.steps(steps, "/steps", false)
		v.sessionRules()
	}
}

// duplicateMembers reports names repeated within an object, anywhere.
func (v *validator) duplicateMembers(val *Value, path string) {
	switch val.Kind() {
	case Object:
		ms := val.Members()
		var seen map[string]bool // only for objects large enough to need it
		if len(ms) > 16 {
			seen = make(map[string]bool, len(ms))
		}
		for i, m := range ms {
			dup := false
			if seen != nil {
				dup = seen[m.Name]
				seen[m.Name] = true
			} else {
				dup = slices.ContainsFunc(ms[:i], func(p Member) bool { return p.Name == m.Name })
			}
			if dup {
				v.warnf(CodeDuplicateMember, join(path, m.Name), "%q appears more than once in this object; only the last one counts, remove the others", m.Name)
			}
			if m.Value.Kind() == Object || m.Value.Kind() == Array {
				v.duplicateMembers(m.Value, join(path, m.Name))
			}
		}
	case Array:
		for i, it := range val.Items() {
			if it.Kind() == Object || it.Kind() == Array {
				v.duplicateMembers(it, join(path, i))
			}
		}
	}
}

func findSpecOK(specs []FieldSpec, name string) bool {
	_, ok := findSpec(specs, name)
	return ok
}

func (v *validator) schedule() {
	start, okS := v.c.Get("scheduleStartTime").Str()
	end, okE := v.c.Get("scheduleEndTime").Str()
	if !okS || !okE {
		return
	}
	ts, err1 := ParseDateTime(start)
	te, err2 := ParseDateTime(end)
	if err1 == nil && err2 == nil && !te.After(ts) {
		v.errorf(CodeScheduleOrder, "/scheduleEndTime", "scheduleEndTime %s is not after scheduleStartTime %s; the session would never open", end, start)
	}
}

// stepFlagOwners maps a step flag's name to the step types that have it,
// for "this flag belongs to a step" hints.
func stepFlagOwner(name string) string {
	for _, s := range stepSpecs {
		if findSpecOK(s.Flags, name) {
			return s.Type
		}
	}
	return ""
}

func (v *validator) globalFlags() {
	flags := v.c.Flags()
	for _, m := range flags.Members() {
		p := join("/flags", m.Name)
		if spec, ok := findSpec(globalFlags, m.Name); ok {
			v.checkKnown(spec, m.Value, p, false)
			continue
		}
		hint := ""
		if owner := stepFlagOwner(m.Name); owner != "" && Suggest(m.Name, fieldNames(globalFlags)) == "" {
			hint = fmt.Sprintf("; it is a flag of the %q step: move it into that step's \"flags\"", owner)
		}
		v.unknown(p, m.Name, fieldNames(globalFlags), hint)
	}
	if u := flags.Get("return_url"); (flags != nil || !v.c.root.Has("flags")) && (u == nil || u.Is(Null)) {
		v.add(SevInfo, CodeIframeMode, "/flags/return_url", "no return_url: the flow is meant to run in an iframe (listen for the DONE message); set return_url to redirect instead")
	}
}

func (v *validator) steps(arr *Value, path string, nested bool) {
	for i, it := range arr.Items() {
		v.step(it, join(path, i), nested)
	}
}

func (v *validator) step(val *Value, path string, nested bool) {
	if !val.Is(Object) {
		v.errorf(CodeType, path, "each step must be an object like {\"type\": \"liveness\"}, not %s", describeKind(val))
		return
	}
	s := Step{V: val}
	typ := val.Get("type")
	spec, known := LookupStep(s.Type())
	switch {
	case typ == nil:
		v.errorf(CodeRequired, join(path, "type"), "the step has no \"type\"; add one of %s", strings.Join(StepTypes(), ", "))
	case !typ.Is(String):
		v.typeError(join(path, "type"), "a string", typ)
	case !known:
		t, _ := typ.Str()
		v.errorf(CodeUnknownStepType, join(path, "type"), "unknown step type %q%s", t, didYouMean(t, StepTypes()))
	case nested && !AllowedInVideoCall(spec.Type):
		v.errorf(CodeNestedStep, path, "a %q step cannot run inside a video call; move it out of the call's \"steps\"", spec.Type)
	}

	if key := val.Get("key"); key != nil && !key.Is(String) {
		v.typeError(join(path, "key"), "a string", key)
	} else if k := s.EffectiveKey(); k != "" {
		if v.keys[k] {
			implicit := ""
			switch {
			case key == nil && spec.DefaultKey != "":
				implicit = fmt.Sprintf(" (the default key of a %q step; give this one its own \"key\")", s.Type())
			case key == nil:
				implicit = " (a step without a \"key\" is known by its type; give it its own \"key\")"
			}
			v.errorf(CodeDuplicateKey, join(path, "key"), "step key %q is already used in this session%s; step keys must be unique (try %q)", k, implicit, uniqueName(k, v.c.StepKeys()))
		}
		v.keys[k] = true
	}
	if !known {
		return
	}

	fields := v.stepFields(spec)
	for _, m := range val.Members() {
		p := join(path, m.Name)
		if fs, ok := findSpec(fields, m.Name); ok {
			if m.Name != "type" && m.Name != "key" {
				v.checkKnown(fs, m.Value, p, spec.Localized && (m.Name == "title" || fs.Kind == KindText))
			}
			continue
		}
		if m.Name == "successButtonTitle" && spec.Type == "operator-questionnaire" {
			continue // reported once, as an ignored flag, below
		}
		hint := ""
		if findSpecOK(spec.Flags, m.Name) {
			hint = fmt.Sprintf("; it is a flag of this step: move it into %s", join(path, "flags"))
		}
		v.unknown(p, m.Name, fieldNames(fields), hint)
	}
	v.stepFlags(s, spec, path)

	switch spec.Type {
	case "identity-document":
		v.identityDocument(s, path)
	case "liveness":
		if s.BoolFlag("liveness") && s.BoolFlag("allow_face_upload") {
			v.warnf(CodeIgnoredFlag, join(join(path, "flags"), "allow_face_upload"), "allow_face_upload is ignored with active liveness (liveness: true); set liveness to false or drop the flag")
		}
	case "phone-number", "email":
		flagA, flagB := spec.Flags[0].Name, spec.Flags[1].Name
		if !s.BoolFlag(flagA) && !s.BoolFlag(flagB) {
			v.warnf(CodeUnreachable, path, "this %s step neither requires nor checks anything; set %s or %s to true", spec.Type, flagB, flagA)
		}
	case "company":
		if f := val.Get("fields"); f.Is(Array) {
			v.kybFields(f, join(path, "fields"), "")
		}
	case "beneficiaries":
		v.beneficiaries(s, path)
	case "video-call":
		if inner := s.StepsValue(); inner != nil {
			v.steps(inner, join(path, "steps"), true)
		}
	case "user-questionnaire", "operator-questionnaire":
		if spec.Type == "operator-questionnaire" && val.Has("successButtonTitle") {
			v.warnf(CodeIgnoredFlag, join(path, "successButtonTitle"), "successButtonTitle is only used by user questionnaires; remove it")
		}
		if qs := s.QuestionsValue(); qs != nil {
			v.questionnaire(s, path)
		}
	}
}

func (v *validator) stepFlags(s Step, spec StepSpec, path string) {
	flags := s.Flags()
	for _, m := range flags.Members() {
		p := join(join(path, "flags"), m.Name)
		if fs, ok := findSpec(spec.Flags, m.Name); ok {
			v.checkKnown(fs, m.Value, p, false)
			continue
		}
		hint := ""
		switch {
		case m.Name == "multiple_participans" && spec.Type == "video-call":
			hint = " (did you mean \"multiple_participants\"? the guide misspells it)"
		case findSpecOK(globalFlags, m.Name) && Suggest(m.Name, fieldNames(spec.Flags)) == "":
			hint = "; it is a global flag: move it into the top-level \"flags\""
		case findSpecOK(spec.Props, m.Name):
			hint = fmt.Sprintf("; it belongs at the top of the step: move it to %s", join(path, m.Name))
		}
		v.unknown(p, m.Name, fieldNames(spec.Flags), hint)
	}
}

func (v *validator) identityDocument(s Step, path string) {
	for i, it := range s.Flag("document_countries").Items() {
		code, ok := it.Str()
		if !ok {
			continue // reported as a type error
		}
		if _, ok := LookupCountry(code); !ok {
			v.errorf(CodeCountryCode, join(join(join(path, "flags"), "document_countries"), i), "%q is not an ISO 3166-1 alpha-3 country code; %s", code, countryHint(code))
		}
	}
	if s.BoolFlag("disable_document_capture") && !s.BoolFlag("allow_document_upload") {
		v.errorf(CodeConflict, join(join(path, "flags"), "disable_document_capture"), "disable_document_capture leaves only uploading, but allow_document_upload is not true: the person could not provide a document; set allow_document_upload to true")
	}
}

// sessionRules are the checks that look at the whole step list.
func (v *validator) sessionRules() {
	hasCompany := false
	v.c.WalkSteps(func(_ StepPath, s Step) { hasCompany = hasCompany || s.Type() == "company" })
	highest, highestType := -1, ""
	v.c.WalkSteps(func(p StepPath, s Step) {
		path := p.Pointer()
		switch s.Type() {
		case "liveness":
			if !v.c.BoolFlag("skip_face") {
				v.warnf(CodeDuplicateStep, path, "a liveness step without flags.skip_face true: the vendor may add a second liveness check; set skip_face to true")
			}
		case "identity-document":
			if !v.c.BoolFlag("skip_document") {
				v.warnf(CodeDuplicateStep, path, "an identity-document step without flags.skip_document true: the vendor may add a second document step; set skip_document to true")
			}
		}
		rank, isKYB := kybRank[s.Type()]
		if !isKYB {
			return
		}
		switch {
		case rank > 0 && !hasCompany:
			v.warnf(CodeKYBOrder, path, "a %s step without a company step; KYB flows run company, then beneficiaries, then kyb-review", s.Type())
		case rank < highest:
			v.warnf(CodeKYBOrder, path, "this %s step comes after a %s step; KYB flows run company, then beneficiaries, then kyb-review", s.Type(), highestType)
		}
		if rank > highest {
			highest, highestType = rank, s.Type()
		}
	})
}

// rfc3339 is RFC 3339's date-time grammar; time.Parse alone is looser
// (it takes a comma before fractions) and stricter (it refuses a lower-case
// "t" or "z", which RFC 3339 allows).
// The offset is checked here because time.Parse takes any two-digit hour
// and minute in it ("+24:00", "+23:60").
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$`)

// ParseDateTime parses an RFC 3339 date-time, as the schedule fields take.
func ParseDateTime(s string) (time.Time, error) {
	if !rfc3339.MatchString(s) {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time", s)
	}
	return time.Parse(time.RFC3339, strings.ToUpper(s))
}

// wholeNumber reports whether val is a whole number, with its value n and
// its text for messages. A whole number too large for an int (1e30, twenty
// digits) is still whole: n is clamped to MaxInt or MinInt and text is the
// literal, so that it is reported as out of range, not as the wrong type.
func wholeNumber(val *Value) (n int, text string, ok bool) {
	lit, isNum := val.NumberLiteral()
	if !isNum {
		return 0, "", false
	}
	if n, ok := val.Int(); ok {
		return n, strconv.Itoa(n), true
	}
	f, err := strconv.ParseFloat(lit, 64)
	if math.IsInf(f, 0) || (err == nil && f == math.Trunc(f)) {
		if f > 0 {
			return math.MaxInt, lit, true
		}
		return math.MinInt, lit, true
	}
	return 0, "", false
}

// uniqueName returns base, or base-2, base-3, ... whichever is not taken.
func uniqueName(base string, taken map[string]bool) string {
	if !taken[base] {
		return base
	}
	stem := base
	if i := strings.LastIndexByte(base, '-'); i > 0 {
		if _, err := strconv.Atoi(base[i+1:]); err == nil {
			stem = base[:i]
		}
	}
	for n := 2; ; n++ {
		if k := stem + "-" + strconv.Itoa(n); !taken[k] {
			return k
		}
	}
}
