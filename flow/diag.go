package flow

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
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
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
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
	})
}

// ComparePointers orders JSON Pointers token by token, comparing array
// indexes as numbers so /steps/2 comes before /steps/10.
func ComparePointers(a, b string) int {
	for a != "" && b != "" {
		ta, ra := nextToken(a)
		tb, rb := nextToken(b)
		if ta != tb {
			na, ea := strconv.Atoi(ta)
			nb, eb := strconv.Atoi(tb)
			if ea == nil && eb == nil {
				return cmp.Compare(na, nb)
			}
			return cmp.Compare(ta, tb)
		}
		a, b = ra, rb
	}
	return cmp.Compare(len(a), len(b))
}

func nextToken(p string) (tok, rest string) {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
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
// enough to be what was meant. Case, '-' and '_' differences count as near.
func Suggest(s string, candidates []string) string {
	norm := func(x string) string { return separators.Replace(strings.ToLower(x)) }
	ns := norm(s)
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		if c == s {
			continue
		}
		if norm(c) == ns {
			return c
		}
		d := levenshtein.ComputeDistance(strings.ToLower(s), strings.ToLower(c))
		if d == 2 && isAdjacentSwap(strings.ToLower(s), strings.ToLower(c)) {
			d = 1 // "tpye" is one slip of the fingers from "type", not two
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, min(3, len([]rune(s))/3))
	if bestDist <= limit {
		return best
	}
	return ""
}

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
