package flow

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Severity of a diagnostic.
type Severity string

// Severities, worst first.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// AtLeast reports whether s is min or worse (error is worse than warning,
// warning than info).
func (s Severity) AtLeast(min Severity) bool { return s.rank() <= min.rank() }

func (s Severity) rank() int {
	switch s {
	case SevError:
		return 0
	case SevWarning:
		return 1
	}
	return 2
}

// Diagnostic codes of SPEC §7.
const (
	CodeJSONSyntax         = "json-syntax"
	CodeType               = "type"
	CodeRequired           = "required"
	CodeEmpty              = "empty"
	CodeUnknownStepType    = "unknown-step-type"
	CodeUnknownField       = "unknown-field"
	CodeDuplicateKey       = "duplicate-key"
	CodeEnum               = "enum"
	CodeCountryCode        = "country-code"
	CodeURL                = "url"
	CodeDatetime           = "datetime"
	CodeScheduleOrder      = "schedule-order"
	CodeRange              = "range"
	CodeNestedStep         = "nested-step"
	CodeLockedMandatory    = "locked-mandatory"
	CodeRoleField          = "role-field"
	CodeConditionTarget    = "condition-target"
	CodeConditionAnswer    = "condition-answer"
	CodeConditionOrder     = "condition-order"
	CodeAnswer             = "answer"
	CodeConflict           = "conflict"
	CodeIgnoredFlag        = "ignored-flag"
	CodeDuplicateStep      = "duplicate-step"
	CodeLocalize           = "localize"
	CodeMissingTranslation = "missing-translation"
	CodeUnreachable        = "unreachable"
	CodeKYBOrder           = "kyb-order"
	CodeConfigMissing      = "config-missing"
	CodeStepsOverride      = "steps-override"
	CodeIframeMode         = "iframe-mode"
	// CodeDuplicateMember flags a name given twice in one JSON object:
	// readers keep only the last, so the first is silently lost.
	CodeDuplicateMember = "duplicate-member"
	// CodeCredential flags a company key or secret written into a config:
	// configs live in version control, credentials must not.
	CodeCredential = "credential"
)

// Diagnostic is one finding about a config.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Path     string   `json:"path"` // RFC 6901 JSON Pointer
	Message  string   `json:"message"`
	// Line and Column (1-based; the column counts Unicode characters) are
	// where the value Path names starts in the file, set by
	// Diagnostics.Locate; 0 when not known.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Suggestion is what was probably meant, when the message offers a
	// did-you-mean: the member's name for unknown-field, the value for
	// unknown-step-type, enum and country-code ("" otherwise). The wizard
	// applies it (Config.ApplySuggestion); the message already says it.
	Suggestion string `json:"-"`
}

func (d Diagnostic) String() string {
	if d.Path == "" {
		return fmt.Sprintf("%s %s: %s", d.Severity, d.Code, d.Message)
	}
	return fmt.Sprintf("%s: %s %s: %s", d.Path, d.Severity, d.Code, d.Message)
}

// Diagnostics is a sorted list of findings.
type Diagnostics []Diagnostic

// Count returns how many diagnostics have severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool { return ds.Count(SevError) > 0 }

// Sort orders diagnostics by path (array indexes numerically), then
// severity, code and message, so output never depends on map order.
func (ds Diagnostics) Sort() { slices.SortStableFunc(ds, compareDiagnostics) }

func compareDiagnostics(a, b Diagnostic) int {
	if c := ComparePointers(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Severity.rank(), b.Severity.rank()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Code, b.Code); c != 0 {
		return c
	}
	return cmp.Compare(a.Message, b.Message)
}

// ComparePointers orders JSON Pointers token by token, comparing array
// indexes as numbers so /steps/2 comes before /steps/10; a pointer comes
// before those that go on from it. It allocates nothing: sorting thousands
// of diagnostics calls it a great many times.
func ComparePointers(a, b string) int {
	i := 0
	for n := min(len(a), len(b)); i < n && a[i] == b[i]; i++ {
	}
	if i == len(a) && i == len(b) {
		return 0
	}
	// The tokens holding the first difference start after the last '/'
	// of the common part.
	start := strings.LastIndexByte(a[:i], '/') + 1
	ta, tb := a[start:], b[start:]
	if j := strings.IndexByte(ta, '/'); j >= 0 {
		ta = ta[:j]
	}
	if j := strings.IndexByte(tb, '/'); j >= 0 {
		tb = tb[:j]
	}
	if ta == tb { // one pointer ends where the other goes on
		return cmp.Compare(len(a), len(b))
	}
	// Numbers (array indexes) compare as numbers and come before names:
	// mixing the two comparisons would not be a consistent order.
	da, db := isDigits(ta), isDigits(tb)
	switch {
	case da && db:
		na, nb := strings.TrimLeft(ta, "0"), strings.TrimLeft(tb, "0")
		if c := cmp.Compare(len(na), len(nb)); c != 0 {
			return c
		}
		if c := cmp.Compare(na, nb); c != 0 {
			return c
		}
	case da:
		return -1
	case db:
		return 1
	}
	return cmp.Compare(ta, tb)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Pointer builds an RFC 6901 JSON Pointer from tokens (strings or ints).
func Pointer(tokens ...any) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		switch t := t.(type) {
		case int:
			b.WriteString(strconv.Itoa(t))
		case string:
			b.WriteString(escapeToken(t))
		default:
			b.WriteString(escapeToken(fmt.Sprint(t)))
		}
	}
	return b.String()
}

var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return tokenEscaper.Replace(s)
}

// SplitPointer returns the unescaped tokens of a JSON Pointer.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = tokenUnescaper.Replace(s)
	}
	return parts
}

var (
	tokenUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
	separators     = strings.NewReplacer("-", "", "_", "", " ", "") // what Suggest ignores
)

// Suggest returns the candidate nearest to s, or "" when none is near
// enough to be what was meant. Case, '-' and '_' differences count as near;
// otherwise one edit for short names, up to three for long ones, an
// adjacent swap counting as one. Its cost is bounded whatever s and the
// candidates hold (see suggester).
func Suggest(s string, candidates []string) string { return newSuggester(candidates).find(s, "") }

// isAdjacentSwap reports whether a becomes b by swapping two neighbouring
// characters.
func isAdjacentSwap(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	return i+1 < len(ra) && ra[i] == rb[i+1] && ra[i+1] == rb[i] && string(ra[i+2:]) == string(rb[i+2:])
}

// didYouMean returns ` (did you mean "x"?)` or "".
func didYouMean(s string, candidates []string) string {
	if c := Suggest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// quoteList renders a short list of allowed values for a message.
func quoteList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}
