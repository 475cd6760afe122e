package editor

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// problemList shows the live diagnostics; enter jumps to the place at fault.
type problemList struct {
	common *ui.Common
	doc    *ui.Doc
	cursor int
	offset int
	width  int
	height int

	sorted      flow.Diagnostics // doc.Diags as listed, for sortedState
	sortedState int              // validated state +1; 0: none yet

	// The lines of the diagnostics drawn so far, for sortedState and
	// blocksWidth: only those around the cursor are ever worked out, so a
	// flow with tens of thousands of problems draws as fast as one with a
	// few.
	blocks      map[int][]string
	blocksWidth int
}

func newProblemList(c *ui.Common, doc *ui.Doc) *problemList { return &problemList{common: c, doc: doc} }

func (l *problemList) SetSize(w, h int) { l.width, l.height = w, h }

func (l *problemList) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	k := l.common.Keys
	ds := l.shown()
	n := len(ds)
	if next, ok := widget.MoveCursorWithin(k, km, l.cursor, n); ok {
		l.cursor = next
		return nil
	}
	switch {
	case key.Matches(km, k.Enter):
		if l.cursor < n {
			path := ds[l.cursor].Path
			return func() tea.Msg { return jumpMsg{path} }
		}
	case km.String() == "o":
		return reorderKYB(l.doc)
	case l.cursor >= n:
	case km.String() == "f":
		if d := ds[l.cursor]; d.Suggestion != "" {
			return applySuggestion(l.doc, d)
		}
		return ui.Status("this problem has no did-you-mean to apply; enter goes to it")
	case key.Matches(km, k.Delete):
		if d := ds[l.cursor]; deletable(d) {
			return deleteMember(l.doc, d.Path)
		}
		return ui.Status("d deletes unknown fields and credentials; enter goes to this one")
	}
	return nil
}

// selectedProblem is the problem under the cursor.
func (l *problemList) selectedProblem() (flow.Diagnostic, bool) {
	ds := l.shown()
	if len(ds) == 0 {
		return flow.Diagnostic{}, false
	}
	return ds[min(l.cursor, len(ds)-1)], true
}

// bindings are the pane's keys, the fixes of the selected problem first:
// they are what the help bar must not leave out.
func (l *problemList) bindings() []key.Binding {
	k := l.common.Keys
	return append(l.fixBindings(), k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to")))
}

// fixBindings are the keys that fix the selected problem.
func (l *problemList) fixBindings() []key.Binding {
	var b []key.Binding
	if d, ok := l.selectedProblem(); ok {
		if d.Suggestion != "" {
			b = append(b, fixKey(suggestionHelp(d)))
		}
		if deletable(d) {
			b = append(b, key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete it")))
		}
	}
	if l.doc.KYBReorderable() {
		b = append(b, reorderKey())
	}
	return b
}

func (l *problemList) View() string {
	s := &l.common.Styles
	ds := l.shown()
	if len(ds) == 0 {
		return s.OK.Render("  No problems.")
	}
	l.cursor = min(l.cursor, len(ds)-1)
	head := ui.DiagSummary(s, ds)
	shown, first := widget.ShowBlocksOf(len(ds), func(i int) []string {
		b := l.block(i)
		mark := "  "
		if i == l.cursor {
			mark = s.Cursor.Render("▸ ")
		}
		block := append([]string{mark + b[0]}, b[1:]...)
		if i == l.cursor {
			if fix := fixLine(l.doc, ds[i]); fix != "" {
				block = append(block, ui.Truncate(s.Key.Render("    "+fix), l.width))
			}
		}
		return block
	}, l.cursor, l.offset, max(1, l.height-2))
	l.offset = first
	return strings.Join(append([]string{head, ""}, shown...), "\n")
}

// block is the i-th diagnostic as drawn, without the cursor's mark: a
// line saying where, then its message wrapped: the message is what tells
// how to fix it, so none of it is cut.
func (l *problemList) block(i int) []string {
	if l.blocksWidth != l.width || l.blocks == nil {
		l.blocks, l.blocksWidth = map[int][]string{}, l.width
	}
	if b, ok := l.blocks[i]; ok {
		return b
	}
	s := &l.common.Styles
	d := l.sorted[i]
	sev := ui.SevStyle(s, d.Severity).Render(string(d.Severity))
	path := ui.Shown(d.Path) // member names of the config
	if path == "" {
		path = "(whole file)"
	}
	b := []string{ui.Truncate(sev+" "+d.Code+"  "+s.Dim.Render(path), max(0, l.width-2))}
	for _, m := range strings.Split(ansi.Wrap(ui.Shown(d.Message), max(10, l.width-4), ""), "\n") {
		b = append(b, ui.Truncate("    "+m, l.width))
	}
	l.blocks[i] = b
	return b
}

// jsonPreview shows exactly what will be saved, credentials masked.
type jsonPreview struct {
	common *ui.Common
	doc    *ui.Doc
	offset int
	width  int
	height int

	// The wrapped lines, kept while the content and width stay the same:
	// the whole flow is marshalled, so not on every frame.
	cacheState, cacheWidth int
	cache                  []string
}

func newJSONPreview(c *ui.Common, doc *ui.Doc) *jsonPreview { return &jsonPreview{common: c, doc: doc} }

func (p *jsonPreview) SetSize(w, h int) { p.width, p.height = w, h }

// lines is the JSON, long lines wrapped rather than cut so that every
// character that will be saved can be read.
func (p *jsonPreview) lines() []string {
	if p.cache != nil && p.cacheState == p.doc.State() && p.cacheWidth == p.width {
		return p.cache
	}
	p.cache, p.cacheState, p.cacheWidth = p.wrap(), p.doc.State(), p.width
	return p.cache
}

func (p *jsonPreview) wrap() []string {
	raw := strings.Split(strings.TrimRight(string(flow.Marshal(maskCredentials(p.doc.Config.Root()))), "\n"), "\n")
	if p.width <= 0 {
		return raw
	}
	out := make([]string, 0, len(raw))
	for _, l := range raw {
		if len(l) <= p.width || isASCII(l) {
			// A character a byte and a cell: cut by bytes, which a huge
			// text needs (measuring cells goes character by character).
			for len(l) > p.width {
				out, l = append(out, l[:p.width]), l[p.width:]
			}
			out = append(out, l)
			continue
		}
		if ansi.StringWidth(l) <= p.width {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, p.width, false), "\n")...)
	}
	return out
}

func (p *jsonPreview) Update(msg tea.Msg) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return
	}
	k := p.common.Keys
	n := len(p.lines())
	if next, ok := widget.ScrollText(k, km, p.offset, n, p.height); ok {
		p.offset = next
	}
}

func (p *jsonPreview) View() string {
	lines := p.lines()
	p.offset = min(p.offset, max(0, len(lines)-p.height))
	end := min(len(lines), p.offset+max(1, p.height))
	out := make([]string, 0, end-p.offset)
	for _, l := range lines[p.offset:end] {
		out = append(out, ui.Truncate(l, p.width))
	}
	return strings.Join(out, "\n")
}

// isASCII reports whether s is printable ASCII only, as the saved JSON
// mostly is: no character there is wider or narrower than one cell.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// shown is the diagnostics as listed: errors first, then warnings, then
// notes, each in path order.
func (l *problemList) shown() flow.Diagnostics {
	if l.sortedState != l.doc.DiagsState()+1 {
		ds := slices.Clone(l.doc.Diags)
		slices.SortStableFunc(ds, func(a, b flow.Diagnostic) int { return severityRank(a.Severity) - severityRank(b.Severity) })
		l.sorted, l.sortedState, l.blocks = ds, l.doc.DiagsState()+1, nil
	}
	return l.sorted
}
