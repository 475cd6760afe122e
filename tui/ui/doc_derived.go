package ui

import (
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// What the screens work out from the content on every frame is worked out
// here once per content (or per validation) instead: the work it takes
// grows with the flow, and a keystroke should not.

// problemIndex maps each JSON Pointer that a diagnostic is at or inside
// to the first error and the first warning or error there, as indexes
// into Diags plus one (0: none). It is built once per validation, when
// first asked.
type problemIndex struct {
	state  int // the Doc's diagsRun that byPath belongs to; 0: none yet
	byPath map[string]problemMark
}

type problemMark struct{ first, firstError int }

// Problem is the worst diagnostic at path or inside it: the first error,
// else the first warning; notes do not count. path "" has none.
func (d *Doc) Problem(path string) (flow.Diagnostic, bool) {
	if path == "" {
		return flow.Diagnostic{}, false
	}
	if d.problems.state != d.diagsRun {
		d.problems = problemIndex{state: d.diagsRun, byPath: indexProblems(d.Diags)}
	}
	m, ok := d.problems.byPath[path]
	switch {
	case !ok:
		return flow.Diagnostic{}, false
	case m.firstError > 0:
		return d.Diags[m.firstError-1], true
	}
	return d.Diags[m.first-1], true
}

func indexProblems(ds flow.Diagnostics) map[string]problemMark {
	byPath := map[string]problemMark{}
	for i, diag := range ds {
		if diag.Severity == flow.SevInfo {
			continue
		}
		// The path itself and every pointer above it, up to the root.
		for p := diag.Path; p != ""; p = p[:max(0, strings.LastIndexByte(p, '/'))] {
			m := byPath[p]
			if m.first == 0 {
				m.first = i + 1
			}
			if m.firstError == 0 && diag.Severity == flow.SevError {
				m.firstError = i + 1
			}
			byPath[p] = m
		}
	}
	return byPath
}

// ShownLanguages is Config.ShownLanguages, worked out once per content:
// it looks at every step. The slice is shared; callers must not change it.
func (d *Doc) ShownLanguages() []string {
	if d.shownFor != d.Config || d.shownState != d.state {
		d.shown, d.shownFor, d.shownState = d.Config.ShownLanguages(), d.Config, d.state
	}
	return d.shown
}
