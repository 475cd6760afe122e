package editor

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// stepList shows a list of steps and edits it: add, remove, duplicate,
// move, open. With parent nil it lists the whole flow, video-call steps
// indented under their call; with parent {i} only that call's steps.
type stepList struct {
	common *ui.Common
	doc    *ui.Doc
	parent flow.StepPath
	cursor int
	offset int
	width  int
	height int

	// The rows are listed again only when the flow changes: a keystroke
	// asks for them several times. Undo swaps the config, so both the
	// state and the config identify the content.
	cachedRows   []stepRow
	cachedState  int
	cachedConfig *flow.Config
	cachedQuery  string
	// all are the rows unfiltered, for cachedState and cachedConfig, and
	// haystacks what the filter looks for in each, lowercased once (nil
	// until a filter is typed).
	all       []stepRow
	haystacks []string

	// The marks are worked out from the diagnostics once per content, not
	// on every frame: a flow may have tens of thousands of them.
	marks      map[string]flow.Severity
	marksState int // DiagsState+1 the marks belong to; 0: none yet

	// "/" filters the rows by type, key and title.
	filter widget.ListFilter

	// opened is the step enter last opened, at the flow's openedState:
	// its editor follows it when a fix made there moves it (o puts the KYB
	// steps in order), and the cursor goes to it once the editor is closed.
	opened      *flow.Value
	openedState int
}

type stepRow struct {
	path flow.StepPath
	step flow.Step
}

// stepAddedMsg tells a step list to select a step just inserted.
type stepAddedMsg struct{ path flow.StepPath }

func newStepList(c *ui.Common, doc *ui.Doc, parent flow.StepPath) *stepList {
	return &stepList{common: c, doc: doc, parent: parent, filter: widget.NewListFilter("type to filter steps")}
}

// Capturing reports whether the filter is taking typed text.
func (l *stepList) Capturing() bool { return l.filter.On }

func (l *stepList) query() string { return l.filter.Query() }

func (l *stepList) SetSize(w, h int) { l.width, l.height = w, h }

func (l *stepList) rows() []stepRow {
	q := l.query()
	same := l.cachedConfig != nil && l.cachedConfig == l.doc.Config && l.cachedState == l.doc.State()
	if same && l.cachedQuery == q {
		return l.cachedRows
	}
	if !same {
		l.all, l.haystacks = l.listRows(), nil
	}
	rows := l.all
	if q != "" {
		if l.haystacks == nil {
			lang := l.doc.Config.Language()
			l.haystacks = make([]string, len(l.all))
			for i, r := range l.all {
				l.haystacks[i] = strings.ToLower(r.step.Type() + " " + r.step.EffectiveKey() + " " + r.step.Title().In(lang))
			}
		}
		rows = nil
		for i, r := range l.all {
			if strings.Contains(l.haystacks[i], q) {
				rows = append(rows, r)
			}
		}
	}
	l.cachedRows, l.cachedState, l.cachedConfig, l.cachedQuery = rows, l.doc.State(), l.doc.Config, q
	return rows
}

func (l *stepList) listRows() []stepRow {
	var rows []stepRow
	if l.parent == nil {
		rows = make([]stepRow, 0, l.doc.Config.StepsValue().Len()) // one allocation for a long flow
		l.doc.Config.WalkSteps(func(p flow.StepPath, s flow.Step) { rows = append(rows, stepRow{p, s}) })
		return rows
	}
	call, ok := l.doc.Config.StepAt(l.parent)
	if !ok {
		return nil
	}
	for j, s := range call.Steps() {
		rows = append(rows, stepRow{flow.StepPath{l.parent[0], j}, s})
	}
	return rows
}

// followOpened puts the cursor on the step last opened, wherever edits
// made in its editor moved it; once. The list is drawn (closed) before the
// editor opens too: unless a key reached the list (closed), it follows
// once the flow changed since.
func (l *stepList) followOpened(closed bool) {
	if l.opened == nil || !closed && l.doc.State() == l.openedState {
		return
	}
	v := l.opened
	l.opened = nil
	for i, r := range l.rows() {
		if r.step.V == v {
			l.cursor = i
			return
		}
	}
}

// selected returns the path of the step under the cursor, or nil.
func (l *stepList) selected() flow.StepPath {
	l.followOpened(false)
	rows := l.rows()
	l.clampCursor(len(rows))
	if l.cursor < 0 || l.cursor >= len(rows) {
		return nil
	}
	return rows[l.cursor].path
}

// clampCursor keeps the cursor on one of n rows: an undo or a fix made on
// another screen can shorten the list under it. (-1, set while the list
// is drawn without focus, stays.)
func (l *stepList) clampCursor(n int) {
	if l.cursor >= n {
		l.cursor = max(0, n-1)
	}
}

// typeFix is the did-you-mean of the selected step's type, if it has one.
func (l *stepList) typeFix() (flow.Diagnostic, bool) {
	p := l.selected()
	if p == nil {
		return flow.Diagnostic{}, false
	}
	return suggestionAt(l.doc, p.Pointer()+"/type")
}

// selectPath puts the cursor on the step at p.
func (l *stepList) selectPath(p flow.StepPath) {
	for i, r := range l.rows() {
		if slices.Equal(r.path, p) {
			l.cursor = i
			return
		}
	}
}

func (l *stepList) bindings() []key.Binding {
	k := l.common.Keys
	open := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit step"))
	// The fixes first: the help bar must not leave them out.
	return append(l.fixBindings(), k.Add, open, k.Delete, k.Duplicate, k.MoveUp, k.MoveDown, k.Filter)
}

// fixBindings are the keys that fix the selected step or the list.
func (l *stepList) fixBindings() []key.Binding {
	var fixes []key.Binding
	if d, ok := l.typeFix(); ok {
		fixes = append(fixes, fixKey(suggestionHelp(d)))
	}
	if l.doc.KYBReorderable() {
		fixes = append(fixes, reorderKey())
	}
	return fixes
}

// Update handles the list's keys; handled=false leaves a key to the screen.
func (l *stepList) Update(msg tea.Msg) (tea.Cmd, bool) {
	if m, ok := msg.(stepAddedMsg); ok {
		l.selectPath(m.path)
		return nil, true
	}
	// While the filter is typed, enter keeps it, esc clears it and the
	// arrows leave it to move in the filtered rows.
	if l.filter.On {
		cmd, res := l.filter.Handle(msg)
		if res == widget.FilterTyped {
			l.cursor = 0
		}
		return cmd, true
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	l.followOpened(true)
	k := l.common.Keys
	rows := l.rows()
	l.clampCursor(len(rows))
	if next, ok := widget.MoveCursor(k, km, l.cursor, len(rows)); ok {
		l.cursor = next
		return nil, true
	}
	switch {
	case key.Matches(km, k.Filter):
		return l.filter.Start(), true
	case key.Matches(km, k.Back) && l.query() != "":
		l.filter.SetValue("")
		return nil, true
	case key.Matches(km, k.PageUp):
		l.cursor = max(0, l.cursor-max(1, l.height-1))
	case key.Matches(km, k.PageDown):
		l.cursor = max(0, min(len(rows)-1, l.cursor+max(1, l.height-1)))
	case key.Matches(km, k.Add):
		return l.add(), true
	case key.Matches(km, k.Delete):
		return l.remove(), true
	case key.Matches(km, k.Duplicate):
		return l.duplicate(), true
	case key.Matches(km, k.MoveUp):
		return l.move(-1), true
	case key.Matches(km, k.MoveDown):
		return l.move(1), true
	case key.Matches(km, k.Enter):
		if p := l.selected(); p != nil {
			l.opened, l.openedState = rows[l.cursor].step.V, l.doc.State()
			return ui.Push(openStepEditor(l.common, l.doc, p, "")), true
		}
		return nil, true
	case km.String() == "o":
		return reorderKYB(l.doc), true
	case km.String() == "f":
		if d, ok := l.typeFix(); ok {
			return applySuggestion(l.doc, d), true
		}
		return ui.Status("f applies a did-you-mean; this step has none (its problems are in the Problems pane)"), true
	default:
		return nil, false
	}
	return nil, true
}

// add opens the catalog to insert after the selected step, inside the same
// list (a nested step's call, or this list's call).
func (l *stepList) add() tea.Cmd {
	parent, at := l.parent, 0
	if p := l.selected(); p != nil {
		if p.Nested() {
			parent, at = p[:1], p[1]+1
		} else {
			at = p[0] + 1
		}
	} else if l.parent == nil {
		at = len(l.doc.Config.Steps())
	}
	return ui.Push(newCatalog(l.common, l.doc, parent, at))
}

func (l *stepList) remove() tea.Cmd {
	p := l.selected()
	if p == nil {
		return nil
	}
	s, _ := l.doc.Config.StepAt(p)
	label := fmt.Sprintf("remove %s step %q", s.Type(), s.EffectiveKey())
	if err := l.doc.Edit(label, func(c *flow.Config) error { _, err := c.RemoveStep(p); return err }); err != nil {
		return ui.StatusErr(err)
	}
	if n := len(l.rows()); l.cursor >= n {
		l.cursor = max(0, n-1)
	}
	return ui.Status(fmt.Sprintf("removed %s step %q · u to undo", s.Type(), s.EffectiveKey()))
}

func (l *stepList) duplicate() tea.Cmd {
	p := l.selected()
	if p == nil {
		return nil
	}
	var dup flow.StepPath
	err := l.doc.Edit("duplicate step", func(c *flow.Config) error {
		var err error
		dup, err = c.DuplicateStep(p)
		return err
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	l.selectPath(dup)
	if s, ok := l.doc.Config.StepAt(dup); ok {
		return ui.Status(fmt.Sprintf("duplicated as %s step %q · u to undo", s.Type(), s.EffectiveKey()))
	}
	return nil
}

func (l *stepList) move(delta int) tea.Cmd {
	p := l.selected()
	if p == nil {
		return nil
	}
	var moved flow.StepPath
	ok := false
	_ = l.doc.Edit("move step", func(c *flow.Config) error {
		moved, ok = c.MoveStep(p, delta)
		return nil
	})
	if ok {
		l.selectPath(moved)
	}
	return nil
}

// stepMarks maps a step pointer to the worst severity of the diagnostics
// inside it (a nested step's own, not its call's).
func stepMarks(ds flow.Diagnostics) map[string]flow.Severity {
	marks := make(map[string]flow.Severity, len(ds)) // sized once: no growing

	for _, d := range ds {
		k := stepPointerIn(d.Path)
		if k == "" {
			continue
		}
		if cur, ok := marks[k]; !ok || severityRank(d.Severity) < severityRank(cur) {
			marks[k] = d.Severity
		}
	}
	return marks
}

// stepPointerIn is the pointer of the step a diagnostic's path is in (the
// nested step, in a video call), the start of path; "" outside steps. It
// is a part of path, so that tens of thousands of them cost nothing.
func stepPointerIn(path string) string {
	end := stepTokenEnd(path, 0)
	if end < 0 {
		return ""
	}
	if nested := stepTokenEnd(path, end); nested >= 0 {
		return path[:nested]
	}
	return path[:end]
}

// stepTokenEnd is where the token after "/steps/" at from in path ends, -1
// when path does not go on with "/steps/" there.
func stepTokenEnd(path string, from int) int {
	rest, ok := strings.CutPrefix(path[from:], "/steps/")
	if !ok {
		return -1
	}
	if n := strings.IndexByte(rest, '/'); n >= 0 {
		return from + len("/steps/") + n
	}
	return len(path)
}

func severityRank(s flow.Severity) int {
	switch s {
	case flow.SevError:
		return 0
	case flow.SevWarning:
		return 1
	}
	return 2
}

func (l *stepList) View() string {
	head := ""
	if l.filter.On || l.query() != "" {
		head = ui.Truncate(l.filter.View(), l.width) + "\n"
	}
	if l.parent == nil {
		if hint := kybOrderLine(l.common, l.doc, l.width); hint != "" {
			head += hint + "\n"
		}
	}
	return head + l.rowsView(l.height-strings.Count(head, "\n"))
}

func (l *stepList) rowsView(height int) string {
	s := &l.common.Styles
	l.followOpened(false)
	rows := l.rows()
	if len(rows) == 0 {
		if l.query() != "" {
			return s.Dim.Render("  No step matches the filter (esc clears it).")
		}
		return s.Dim.Render("  No steps yet. Press a to add one.")
	}
	if l.marksState != l.doc.DiagsState()+1 {
		l.marks, l.marksState = stepMarks(l.doc.Diags), l.doc.DiagsState()+1
	}
	marks := l.marks
	lang := l.doc.Config.Language()
	avail := max(1, height)
	l.clampCursor(len(rows))
	l.offset = widget.ScrollToCursor(l.cursor, l.offset, avail)
	l.offset = max(0, min(l.offset, max(0, len(rows)-avail)))
	typeW := 22
	if l.width < 70 {
		typeW = 18
	}
	var b strings.Builder
	for i := l.offset; i < len(rows) && i < l.offset+avail; i++ {
		r := rows[i]
		mark := " "
		switch marks[r.path.Pointer()] {
		case flow.SevError:
			mark = s.Error.Render("✗")
		case flow.SevWarning:
			mark = s.Warning.Render("⚠")
		}
		num := fmt.Sprintf("%2d.", r.path[len(r.path)-1]+1)
		typ := ui.Shown(r.step.Type())
		if typ == "" {
			typ = "(no type)"
		}
		tw := typeW
		if r.path.Nested() && l.parent == nil {
			num = "   └"
			tw-- // the indent is one cell wider than "%2d.": keep the keys in a column
		}
		title := widget.OneLine(r.step.Title().In(lang))
		key := ui.Shown(r.step.EffectiveKey())
		body := num + " " + ui.PadRight(typ, tw) + " " + key
		if title != "" {
			body += "  " + s.Dim.Render(title)
		}
		line := mark + " " + body
		if i == l.cursor {
			line = mark + s.Cursor.Render("▸") + s.Selected.Render(num+" "+ui.PadRight(typ, tw)+" "+key)
			if title != "" {
				line += "  " + s.Dim.Render(title)
			}
		}
		b.WriteString(ui.Truncate(line, l.width))
		if i < len(rows)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
