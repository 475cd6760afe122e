package flow

import (
	"strconv"
	"strings"
)

// How the validator records findings and words them.

// reporter collects a validation run's findings, with what it needs to
// word them: suggesters per candidate list and messages built once.
type reporter struct {
	diags       diagList
	shown       []string               // languages the flow can show
	suggesters  map[*string]*suggester // per candidate list (by its first element)
	missingMsgs map[uint32]string      // missing-translation messages by missing languages
}

// diagList collects diagnostics in fixed-size chunks: a run may find
// thousands, and growing one slice would copy them over and over.
type diagList struct {
	chunks [][]Diagnostic
	n      int
}

const diagChunk = 256

func (l *diagList) add(d Diagnostic) {
	if k := len(l.chunks); k == 0 || len(l.chunks[k-1]) == cap(l.chunks[k-1]) {
		// 16, 32, ... up to diagChunk: most runs find a few.
		l.chunks = append(l.chunks, make([]Diagnostic, 0, min(diagChunk, 16<<min(k, 4))))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, d)
	l.n++
}

// all returns the diagnostics in the order they were added.
func (l *diagList) all() Diagnostics {
	if l.n == 0 {
		return nil
	}
	if len(l.chunks) == 1 {
		return l.chunks[0]
	}
	out := make(Diagnostics, 0, l.n)
	for _, c := range l.chunks {
		out = append(out, c...)
	}
	return out
}

func (r *reporter) add(sev Severity, code string, at *loc, msg string) {
	r.diags.add(Diagnostic{Severity: sev, Code: code, Path: at.String(), Message: msg})
}

// suggest records an error or warning whose message ends in the did-you-mean
// of meant (see Diagnostic.Suggestion).
func (r *reporter) suggest(sev Severity, code string, at *loc, msg, meant string) {
	r.diags.add(Diagnostic{Severity: sev, Code: code, Path: at.String(), Message: msg, Suggestion: meant})
}

func (r *reporter) err(code string, at *loc, msg string)  { r.add(SevError, code, at, msg) }
func (r *reporter) warn(code string, at *loc, msg string) { r.add(SevWarning, code, at, msg) }

func quote(s string) string { return strconv.Quote(s) }

// didYouMean returns ` (did you mean "x"?)` for the candidate nearest to
// s, or "". Suggesters are kept per list for the whole run, so a name
// that recurs costs one lookup.
func (r *reporter) didYouMean(s string, candidates []string) string {
	return r.didYouMeanBut(s, candidates, "")
}

// didYouMeanBut is didYouMean never suggesting exclude.
func (r *reporter) didYouMeanBut(s string, candidates []string, exclude string) string {
	if c := r.nearest(s, candidates, exclude); c != "" {
		return didYouMeanText(c)
	}
	return ""
}

func didYouMeanText(meant string) string { return " (did you mean " + quote(meant) + "?)" }

// nearest is the candidate nearest to s other than exclude, or "" when
// none is near enough.
func (r *reporter) nearest(s string, candidates []string, exclude string) string {
	if len(candidates) == 0 {
		return ""
	}
	sg := r.suggesters[&candidates[0]]
	if sg == nil || len(sg.cands) != len(candidates) {
		sg = newSuggester(candidates)
		if r.suggesters == nil {
			r.suggesters = map[*string]*suggester{}
		}
		r.suggesters[&candidates[0]] = sg
	}
	return sg.suggest(s, exclude)
}

// missingMessage is the missing-translation message for the shown
// languages in the bit set missing. A flow in a language none of its texts
// has gives thousands of the same message: it is built once.
func (r *reporter) missingMessage(missing uint32) string {
	if msg, ok := r.missingMsgs[missing]; ok {
		return msg
	}
	var langs []string
	for i, l := range r.shown {
		if missing&(1<<i) != 0 {
			langs = append(langs, l)
		}
	}
	msg := "no text for " + strings.Join(langs, ", ") + ", which the flow can show; add " + quoteList(langs)
	if r.missingMsgs == nil {
		r.missingMsgs = map[uint32]string{}
	}
	r.missingMsgs[missing] = msg
	return msg
}

// unknown reports a member no spec knows, with a did-you-mean or a hint
// about where it belongs.
func (r *reporter) unknown(at *loc, name string, candidates []string, hint string) {
	meant := ""
	if hint == "" {
		meant = r.nearest(name, candidates, "")
		if meant != "" {
			hint = didYouMeanText(meant)
		} else {
			hint = "; it is kept as is, but the vendor may ignore it"
		}
	}
	r.suggest(SevWarning, CodeUnknownField, at, "unknown field "+quote(name)+hint, meant)
}
