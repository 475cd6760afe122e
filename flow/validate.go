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
// JSON object yields a nil config and one json-syntax diagnostic, placed
// at the error's line and column; a file too large to read yields the
// *TooLargeError.
func Check(data []byte) (*Config, Diagnostics, error) { return CheckAdjusted(data, nil) }

// CheckAdjusted is Check of the config as adjust changes it before it is
// validated (settings from elsewhere, such as a command line's config_id,
// that decide what is valid).
func CheckAdjusted(data []byte, adjust func(*Config)) (*Config, Diagnostics, error) {
	c, err := Parse(data)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, Diagnostics{{Severity: SevError, Code: CodeJSONSyntax, Message: se.Error(), Line: se.Line, Column: se.Column}}, nil
		}
		return nil, nil, err
	}
	if adjust != nil {
		adjust(c)
	}
	return c, Validate(c), nil
}

// Validate returns every finding about c, sorted by path. It is a pure
// function of the config, and its work grows linearly with the config's
// size whatever the config holds.
func Validate(c *Config) Diagnostics {
	v := &validator{c: c}
	// Credentials and names given twice are found anywhere in the
	// document. The rest is judged on what is sent: the last member of
	// each name, as JSON decoders read it.
	if v.scanMembers(c.root, nil, 0) {
		v.c = &Config{root: withoutRepeats(c.root)}
	}
	v.lang = v.c.Language()
	v.shown = v.c.ShownLanguages()
	v.top()
	diags := v.diags.all()
	diags.Sort()
	return diags
}

type validator struct {
	reporter
	c *Config

	lang     string          // the flow's interface language
	operator bool            // inside an operator questionnaire: no missing-translation
	keys     map[string]bool // step keys seen so far in the session
	allKeys  *keySet         // every step key of the session, for fresh-key hints; nil until needed
	locs     []*loc          // locations by depth for recursive walks (see locAt)
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

func findSpecOK(specs []FieldSpec, name string) bool {
	_, ok := findSpec(specs, name)
	return ok
}

// describeKind names what a value is, for "not X" messages.
func describeKind(val *Value) string {
	k := val.Kind()
	if k == Null {
		return "null"
	}
	return article(k) + " " + k.String()
}

func (v *validator) typeError(at *loc, what string, got *Value) {
	v.err(CodeType, at, at.label()+" must be "+what+", not "+describeKind(got))
}

// checkKnown checks a known member against its spec: JSON type, enum,
// URL and date-time syntax, localized text. Rules that depend on other
// members are the caller's. null is a type error but where the spec
// allows it (the two URL flags).
func (v *validator) checkKnown(spec FieldSpec, val *Value, at *loc, wantLocalized bool) {
	if val.Is(Null) && spec.Nullable {
		return
	}
	switch spec.Kind {
	case KindString:
		s, ok := val.Str()
		if !ok {
			v.typeError(at, "a string", val)
			return
		}
		v.checkEnum(spec, s, at)
	case KindBool:
		if !val.Is(Bool) {
			v.typeError(at, "true or false", val)
		}
	case KindStringList:
		if !val.Is(Array) {
			v.typeError(at, "an array of strings", val)
			return
		}
		for i, it := range val.items {
			p := at.item(i)
			s, ok := it.Str()
			if !ok {
				v.typeError(&p, "a string", it)
				continue
			}
			v.checkEnum(spec, s, &p)
		}
	case KindText:
		v.checkText(val, at, wantLocalized)
	case KindURL:
		v.checkURL(spec, val, at)
	case KindDateTime:
		s, ok := val.Str()
		if !ok {
			v.typeError(at, "an RFC 3339 date-time string", val)
			return
		}
		if _, why := parseDateTime(s); why != "" {
			v.err(CodeDatetime, at, quote(s)+" is not an RFC 3339 date-time; "+why)
		}
	case KindObject:
		if !val.Is(Object) {
			hint := ""
			if val.Is(Array) {
				hint = " (write {\"name\": value, ...}, not [...])"
			}
			v.err(CodeType, at, at.label()+" must be an object, not "+describeKind(val)+hint)
		}
	case KindArray:
		if !val.Is(Array) {
			v.typeError(at, "an array", val)
		}
	case KindInt:
		if _, _, ok := wholeNumber(val); !ok {
			v.typeError(at, "a whole number", val)
		}
	}
}

func (v *validator) checkEnum(spec FieldSpec, s string, at *loc) {
	if spec.Enum == nil || slices.Contains(spec.Enum, s) {
		return
	}
	if spec.Name == "language" && s == "hy" {
		v.warn(CodeEnum, at, "\"hy\" is offered by the language step but not as the interface language; the widget may fall back to English")
		return
	}
	meant := v.nearest(s, spec.Enum, "")
	msg := quote(s) + " is not allowed for " + quote(spec.Name)
	if meant != "" {
		msg += didYouMeanText(meant)
	}
	v.suggest(SevError, CodeEnum, at, msg+"; allowed: "+quoteList(spec.Enum), meant)
}

func (v *validator) checkURL(spec FieldSpec, val *Value, at *loc) {
	s, ok := val.Str()
	if !ok {
		v.typeError(at, "a URL string or null", val)
		return
	}
	if s == "" && spec.Name == "switch_device_url" {
		return // the guide: empty means no QR code
	}
	u, err := url.Parse(s)
	switch {
	case s == "":
		v.err(CodeURL, at, at.label()+" is empty; give an absolute https:// URL or remove it")
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || strings.ContainsFunc(s, unicode.IsSpace):
		v.err(CodeURL, at, quote(s)+" is not an absolute http(s) URL; write it like \"https://example.com/done\"")
	case u.Scheme == "http":
		v.warn(CodeURL, at, quote(s)+" uses plain http; use https so the session token is not sent in the clear")
	}
}

// checkText checks a localized text: a string (a localize warning where
// the guide wants an object) or an object from language code to string
// that covers every language the flow can show.
func (v *validator) checkText(val *Value, at *loc, wantLocalized bool) {
	switch val.Kind() {
	case String:
		if wantLocalized {
			v.warn(CodeLocalize, at, at.label()+" should be a localized object such as {"+quote(v.lang)+": "+quote(val.s)+"}")
		}
	case Object:
		for _, m := range val.members {
			if IsCredentialName(m.Name) {
				continue // reported as a credential
			}
			if !slices.Contains(languages, m.Name) {
				p := at.member(m.Name)
				v.err(CodeEnum, &p, quote(m.Name)+" is not a language code"+v.didYouMean(m.Name, languages)+"; use one of "+strings.Join(languages, " "))
			}
			if !m.Value.Is(String) {
				p := at.member(m.Name)
				v.typeError(&p, "a string", m.Value)
			}
		}
		if v.operator {
			return // operators read the flow in their own interface language
		}
		var missing uint32 // bit i: v.shown[i] has no text
		for i, l := range v.shown {
			// A text of only spaces shows nothing: it is missing, as the
			// translation tools count it.
			if t := val.Get(l); t == nil || (t.Is(String) && strings.TrimSpace(t.s) == "") {
				missing |= 1 << i
			}
		}
		if missing != 0 {
			v.warn(CodeMissingTranslation, at, v.missingMessage(missing))
		}
	default:
		v.typeError(at, "a string or a {language: text} object", val)
	}
}

func (v *validator) top() {
	root := v.c.root
	for _, m := range root.members {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		p := (*loc)(nil).member(m.Name)
		spec, ok := findSpec(topFields, m.Name)
		switch {
		case ok:
			v.checkKnown(spec, m.Value, &p, false)
		case findSpecOK(globalFlags, m.Name):
			v.unknown(&p, m.Name, nil, "; it is a global flag: move it into \"flags\"")
		default:
			v.unknown(&p, m.Name, topFieldNames, "")
		}
	}
	v.schedule()
	v.globalFlags()

	steps := root.Get("steps")
	sp := (*loc)(nil).member("steps")
	// An empty config_id names no saved configuration.
	configID, _ := root.Get("config_id").Str()
	hasConfig := configID != ""
	switch {
	case steps == nil && !hasConfig:
		v.err(CodeRequired, &sp, "\"steps\" is required unless \"config_id\" names a saved configuration; add at least one step")
	case steps.Is(Array) && steps.Len() == 0 && !hasConfig:
		v.err(CodeEmpty, &sp, "\"steps\" is empty; add at least one step or give a \"config_id\"")
	case steps != nil && hasConfig:
		v.add(SevInfo, CodeStepsOverride, &sp, "with \"config_id\" the saved configuration is used and these steps replace its steps of the same key")
	}
	if steps.Is(Array) {
		v.keys = make(map[string]bool, steps.Len())
		v.steps(steps, nil, 0)
		v.sessionRules()
	}
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
		p := (*loc)(nil).member("scheduleEndTime")
		v.err(CodeScheduleOrder, &p, "scheduleEndTime "+end+" is not after scheduleStartTime "+start+"; the session would never open")
	}
}

func (v *validator) globalFlags() {
	flags := v.c.Flags()
	fp := (*loc)(nil).member("flags")
	for _, m := range flags.Members() {
		if IsCredentialName(m.Name) {
			continue // reported as a credential
		}
		p := fp.member(m.Name)
		if spec, ok := findSpec(globalFlags, m.Name); ok {
			v.checkKnown(spec, m.Value, &p, false)
			continue
		}
		hint := ""
		if owners := ownersOf(m.Name, true); len(owners) > 0 && v.didYouMean(m.Name, globalFlagNames) == "" {
			hint = "; it is a flag of the " + quote(owners[0]) + " step: move it into that step's \"flags\""
		}
		v.unknown(&p, m.Name, globalFlagNames, hint)
	}
	if u := flags.Get("return_url"); (flags != nil || !v.c.root.Has("flags")) && (u == nil || u.Is(Null)) {
		p := fp.member("return_url")
		v.add(SevInfo, CodeIframeMode, &p, "no return_url: the flow is meant to run in an iframe (listen for the DONE message); set return_url to redirect instead")
	}
}

// rfc3339 is the date-time grammar of RFC 3339 §5.6: "T" and "Z" in
// either case, a fraction of any length, an offset of hours 00–23 and
// minutes 00–59 (so "-00:00" too), seconds up to 60 for a leap second.
// time.Parse alone is looser (it takes a comma before fractions and any
// two digits in an offset) and stricter (no lower-case "t", no second 60).
var rfc3339 = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$`)

// ParseDateTime parses an RFC 3339 date-time, as the schedule fields take.
// A leap second (second 60) is accepted where one can happen, at 23:59:60
// UTC, and is read as the instant that ends it.
func ParseDateTime(s string) (time.Time, error) {
	t, why := parseDateTime(s)
	if why != "" {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time: %s", s, why)
	}
	return t, nil
}

// parseDateTime is ParseDateTime with the reason for a refusal in words.
func parseDateTime(s string) (time.Time, string) {
	m := rfc3339.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, "write it like \"2024-06-20T07:33:00.000Z\" (a \"T\" between date and time, and \"Z\" or an offset such as \"+02:00\")"
	}
	text := strings.ToUpper(s)
	leap := m[4] == "60"
	if leap {
		text = text[:17] + "59" + text[19:] // time.Parse has no second 60
	}
	t, err := time.Parse(time.RFC3339, text)
	if err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return time.Time{}, strings.TrimPrefix(pe.Message, ": ")
		}
		return time.Time{}, "the date or time is out of range"
	}
	if leap {
		if u := t.UTC(); u.Hour() != 23 || u.Minute() != 59 {
			return time.Time{}, "second 60 is a leap second, which only ever falls at 23:59:60 UTC"
		}
		t = t.Add(time.Second)
	}
	return t, ""
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
