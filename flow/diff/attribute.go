package diff

import (
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// attribute works out which diagnostics differ between the flows and gives
// each to the change that explains it. A diagnostic is the same one on both
// sides when its severity, code and path agree, the old path carried to
// the new flow through paths (a moved step's problems are not new). Its
// message may differ: that is the same problem said again.
func (r Result) attribute(paths map[string]string, oldDiags, newDiags flow.Diagnostics) Result {
	pending := map[string][]int{}
	for i, d := range newDiags {
		k := identity(d, d.Path)
		pending[k] = append(pending[k], i)
	}
	var fixed flow.Diagnostics
	for _, d := range oldDiags {
		if p, ok := carry(paths, d.Path); ok {
			if k := identity(d, p); len(pending[k]) > 0 {
				pending[k] = pending[k][1:]
				continue
			}
		}
		fixed = append(fixed, d)
	}
	var introduced flow.Diagnostics
	for i, d := range newDiags {
		if q := pending[identity(d, d.Path)]; len(q) > 0 && q[0] == i {
			pending[identity(d, d.Path)] = q[1:]
			introduced = append(introduced, d)
		}
	}

	back := map[string]string{}
	for o, n := range paths {
		if n != "" {
			back[n] = o
		}
	}
	// A change with no place on one side (a removal in the new flow, an
	// addition in the old) stands there by its container: diagnostics of
	// the same list or object may be its doing.
	byNew := newChangeIndex(r.Changes, func(c Change) (string, bool) {
		if c.NewPath != "" {
			return c.NewPath, true
		}
		p, _ := carry(paths, parent(c.OldPath))
		return p, false
	})
	byOld := newChangeIndex(r.Changes, func(c Change) (string, bool) {
		if c.OldPath != "" {
			return c.OldPath, true
		}
		p, _ := carry(back, parent(c.NewPath))
		return p, false
	})
	for _, d := range introduced {
		if k := byNew.find(d, len(r.Changes)); k >= 0 {
			r.Changes[k].Introduced = append(r.Changes[k].Introduced, d)
		} else {
			r.Introduced = append(r.Introduced, d)
		}
	}
	for _, d := range fixed {
		if k := byOld.find(d, len(r.Changes)); k >= 0 {
			r.Changes[k].Fixed = append(r.Changes[k].Fixed, d)
		} else {
			r.Fixed = append(r.Fixed, d)
		}
	}
	return r
}

func identity(d flow.Diagnostic, path string) string {
	return string(d.Severity) + "\x00" + d.Code + "\x00" + path
}

// carry maps an old pointer to the new flow: each list element on the way
// that was matched is replaced by its new place. ok is false when the path
// runs through something that was removed.
func carry(paths map[string]string, path string) (string, bool) {
	var old, now strings.Builder
	for _, tok := range flow.SplitPointer(path) {
		t := flow.Pointer(tok)
		old.WriteString(t)
		now.WriteString(t)
		if m, ok := paths[old.String()]; ok {
			if m == "" {
				return "", false
			}
			now.Reset()
			now.WriteString(m)
		}
	}
	return now.String(), true
}

// changeIndex finds the change that explains a diagnostic at a path of one
// side of the comparison.
type changeIndex struct {
	at    map[string]int // the first change at each path
	under map[string]int // the first change at or below each path
	// entries holds, by a list's path, the first step, question, option
	// or KYB field added to, removed from or moved within that list.
	entries map[string]int
}

// aboutPlace reports whether diagnostics of code are about where a thing
// stands among the others of its list (the order of KYB steps, a condition
// naming a later question): a move, addition or removal in that list
// explains them better than an edit inside the thing.
func aboutPlace(code string) bool {
	return code == flow.CodeKYBOrder || code == flow.CodeConditionOrder
}

// isEntry reports whether c adds a thing to a list, removes it or moves
// it (a rename that also moved included).
func isEntry(c Change) bool {
	switch c.Subject {
	case SubjectStep, SubjectQuestion, SubjectOption, SubjectKYBField:
		return c.Kind == Added || c.Kind == Removed || c.Kind == Moved || (c.Kind == Renamed && c.From != 0)
	}
	return false
}

// newChangeIndex indexes changes by their place on one side: pathOf
// returns it, and whether the change is there itself (rather than its
// container standing for it); "" for none.
func newChangeIndex(changes []Change, pathOf func(Change) (string, bool)) changeIndex {
	x := changeIndex{at: map[string]int{}, under: map[string]int{}, entries: map[string]int{}}
	for k, c := range changes {
		p, itself := pathOf(c)
		if p == "" {
			continue
		}
		if _, ok := x.at[p]; !ok && itself {
			x.at[p] = k
		}
		if isEntry(c) {
			list := p // a container standing for the change is its list
			if itself {
				list = parent(p)
			}
			if _, ok := x.entries[list]; !ok {
				x.entries[list] = k
			}
		}
		for q := p; ; q = parent(q) {
			if _, ok := x.under[q]; !ok {
				x.under[q] = k
			}
			if q == "" {
				break
			}
		}
	}
	return x
}

// find returns the change diagnostic d belongs to, or -1: the deepest
// change at its path or above it (a changed value, or the step or question
// it is in), or for a diagnostic about a thing's place (aboutPlace) a move,
// addition or removal in a list on that way; else the first change below
// it (a diagnostic about an object whose member changed); else the first
// change within the same step or deeper common part; else, when there is
// only one change, that one.
func (x changeIndex) find(d flow.Diagnostic, nChanges int) int {
	path := d.Path
	for p := path; ; p = parent(p) {
		if k, ok := x.at[p]; ok {
			return k
		}
		if k, ok := x.entries[parent(p)]; ok && p != "" && aboutPlace(d.Code) {
			return k
		}
		if p == "" {
			break
		}
	}
	if k, ok := x.under[path]; ok {
		return k
	}
	for p := parent(path); strings.Count(p, "/") >= 2; p = parent(p) {
		if k, ok := x.under[p]; ok {
			return k
		}
	}
	if nChanges == 1 {
		return 0
	}
	return -1
}

// parent returns the pointer without its last token ("" for the document).
func parent(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return ""
}
