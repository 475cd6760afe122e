// The editors' state in words, for accessible mode (ui.Describer).

package editor

import (
	"fmt"
	"strings"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// Describe says the tab shown and what is selected in it.
func (e *Editor) Describe() string {
	tab := fmt.Sprintf("%s tab, %d of %d; tab goes to %s.", paneNames[e.pane], e.pane+1, paneCount, paneNames[(e.pane+1)%paneCount])
	var what string
	switch e.pane {
	case paneSteps:
		what = e.steps.describe()
	case paneFlags:
		what = e.flags.Describe()
	case paneSession:
		what = e.session.Describe()
	case paneProblems:
		what = e.problems.describe()
	case paneJSON:
		what = e.preview.describe()
	case paneChanges:
		what = e.changes.describe()
	case paneTranslations:
		what = e.texts.describe()
	}
	return tab + " " + what
}

// describe says the step under the cursor, its place and its problems.
func (l *stepList) describe() string {
	rows := l.rows()
	if len(rows) == 0 {
		if l.query() != "" {
			return "No step matches the filter; esc clears it."
		}
		return "No steps yet; a adds one."
	}
	r := rows[min(max(l.cursor, 0), len(rows)-1)]
	var where string
	if r.path.Nested() && l.parent == nil {
		where = fmt.Sprintf("Step %d of the video call at step %d", r.path[1]+1, r.path[0]+1)
	} else {
		of := len(rows)
		if l.parent == nil {
			of = len(l.doc.Config.Steps())
		}
		where = fmt.Sprintf("Step %d of %d", r.path[len(r.path)-1]+1, of)
	}
	typ := r.step.Type()
	if typ == "" {
		typ = "no type"
	}
	s := fmt.Sprintf("%s: %s, key %s", where, flow.Visible(typ), flow.Visible(r.step.EffectiveKey()))
	if title := r.step.Title().In(l.doc.Config.Language()); title != "" {
		s += ", titled " + flow.Visible(title)
	}
	s += ", selected."
	if problems := stepProblemWords(l.doc.Diags, r.path.Pointer()); problems != "" {
		s += " " + problems + "."
	}
	if l.query() != "" {
		s += fmt.Sprintf(" Filtered by %q.", flow.Visible(l.filter.Value()))
	}
	return s + " Enter edits it."
}

// stepProblemWords counts the errors and warnings about the step at
// pointer (and what it holds), "" when there are none.
func stepProblemWords(ds flow.Diagnostics, pointer string) string {
	errs, warns := 0, 0
	for _, d := range ds {
		if d.Path != pointer && !strings.HasPrefix(d.Path, pointer+"/") {
			continue
		}
		switch d.Severity {
		case flow.SevError:
			errs++
		case flow.SevWarning:
			warns++
		}
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, ui.Count(errs, "error"))
	}
	if warns > 0 {
		parts = append(parts, ui.Count(warns, "warning"))
	}
	return strings.Join(parts, ", ")
}

// describe says the problem under the cursor.
func (l *problemList) describe() string {
	ds := l.shown()
	if len(ds) == 0 {
		return "No problems."
	}
	d := ds[min(max(l.cursor, 0), len(ds)-1)]
	where := d.Path
	if where == "" {
		where = "the whole file"
	}
	fix := ""
	if f := fixLine(l.doc, d); f != "" {
		fix = " Fixes, " + f + "."
	}
	return fmt.Sprintf("Problem %d of %d: %s %s at %s: %s. Enter goes there.%s",
		min(max(l.cursor, 0), len(ds)-1)+1, len(ds), d.Severity, d.Code, flow.Visible(where),
		strings.TrimSuffix(flow.Visible(d.Message), "."), fix)
}

// describe says which lines of the JSON are shown.
func (p *jsonPreview) describe() string {
	n := len(p.lines())
	first := min(p.offset+1, n)
	last := min(n, p.offset+max(1, p.height))
	return fmt.Sprintf("The JSON as it will be saved, lines %d to %d of %d; up and down scroll.", first, last, n)
}

// Describe says the property selected in a step editor.
func (e *propScreen) Describe() string {
	if !e.alive() {
		return ""
	}
	return e.list.Describe()
}

// Describe says the property selected in the KYC step editor.
func (e *kycEditor) Describe() string {
	if !e.hasStep() {
		return ""
	}
	return e.list.Describe()
}

// Describe says which half of the video call editor has the cursor and
// what is selected there.
func (e *videoCallEditor) Describe() string {
	if _, ok := e.step(); !ok {
		return ""
	}
	if e.onSteps {
		return "The call's steps; tab goes to its settings. " + e.steps.describe()
	}
	return "The call's settings; tab goes to its steps. " + e.settings.Describe()
}

// Describe says the step type under the cursor.
func (c *catalog) Describe() string {
	vis := c.visible()
	if len(vis) == 0 {
		return "No step type matches the filter; esc clears it."
	}
	sp := vis[min(c.cursor, len(vis)-1)]
	return fmt.Sprintf("Step type %s, selected, %d of %d: %s. Enter adds it after the selected step.",
		sp.Type, min(c.cursor, len(vis)-1)+1, len(vis), strings.TrimSuffix(sp.Summary, "."))
}
