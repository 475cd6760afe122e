package editor

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// changesPane shows what ctrl+s would write: the semantic comparison of
// the file as this window last read or wrote it with the flow being
// edited, a change a line, with the problems each introduces or fixes.
// Enter shows the place of a change.
type changesPane struct {
	common *ui.Common
	doc    *ui.Doc
	list   *widget.ChangeList
	cmp    diskComparison
	width  int
	height int

	sideKey  string // what sideText was drawn for
	sideText string
}

func newChangesPane(c *ui.Common, doc *ui.Doc) *changesPane {
	return &changesPane{common: c, doc: doc, list: widget.NewChangeList(c)}
}

func (p *changesPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.list.SetSize(w, h-headLines)
}

// headLines is the rows above the list: what the comparison amounts to,
// what ctrl+s does with it, and a blank line.
const headLines = 3

// refresh brings the list up to the flow as it is, comparing only when
// the flow or the file changed since the last comparison.
func (p *changesPane) refresh() {
	if p.cmp.compare(p.doc) {
		p.list.SetResult(p.cmp.result)
		if p.cmp.result.Same() && p.cmp.diskKnown && !p.cmp.absent() {
			// No change listed: the flow may be the file's content again.
			p.doc.SettleSaved()
		}
	}
}

func (p *changesPane) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	p.refresh()
	if p.list.Update(km) || !key.Matches(km, p.common.Keys.Enter) {
		return nil
	}
	e, ok := p.list.Selected()
	switch {
	case !ok:
		return nil
	case e.Change != nil:
		path := changeTarget(p.doc.Config, *e.Change)
		return func() tea.Msg { return jumpMsg{path} }
	case e.Fixed:
		return ui.Status("that problem is in the file as read; this flow no longer has it")
	}
	path := e.Diag.Path
	return func() tea.Msg { return jumpMsg{path} }
}

func (p *changesPane) View() string {
	p.refresh()
	s := &p.common.Styles
	r := p.cmp.result
	var head, note string
	switch {
	case !p.cmp.diskKnown && p.doc.Path != "":
		head = export.DiffSummary(r)
		note = "this window has not read " + p.fileName() + ": listed against an empty flow"
	case p.cmp.absent():
		head = s.Title.Render("New file") + " · " + export.DiffSummary(r)
		note = "not saved yet; ctrl+s asks where"
		if p.doc.Path != "" {
			note = p.fileName() + " does not exist yet; ctrl+s creates it"
		}
	case p.cmp.oldErr != nil:
		head = export.DiffSummary(r)
		note = "the file as read is not a flow: listed against an empty one"
	case r.Same():
		head = s.OK.Render("No changes.")
		note = "The flow is as " + p.fileName() + " was read or last saved."
	default:
		head = export.DiffSummary(r)
		them := "them"
		if len(r.Changes) == 1 {
			them = "it"
		}
		note = "ctrl+s saves " + them + " to " + p.fileName()
	}
	return ui.Truncate(head, p.width) + "\n" + ui.Truncate(s.Dim.Render(note), p.width) + "\n\n" + p.list.View()
}

func (p *changesPane) fileName() string {
	if p.doc.Path == "" {
		return "the file"
	}
	return flow.Visible(filepath.Base(p.doc.Path))
}

// tabName is "Changes" with the count when it is known without comparing
// (the tab bar is drawn on every frame, the comparison only when shown),
// with a mark when there are changes not counted yet, and bare when there
// are none.
func (p *changesPane) tabName() string {
	n, known := p.cmp.count(p.doc)
	switch {
	case known && n > 0:
		return "Changes " + strconv.Itoa(n)
	case !known && p.doc.Dirty():
		return "Changes " + p.uncountedMark()
	}
	return "Changes"
}

// uncountedMark stands for changes not counted yet; in accessible mode,
// where marks become words, it says so.
func (p *changesPane) uncountedMark() string {
	if p.common.Accessible {
		return "(edited)"
	}
	return "•"
}

// side is the selected change in full beside the list on wide terminals:
// its values before and after, which the line shortens.
func (p *changesPane) side(w, h int) string {
	p.refresh()
	s := &p.common.Styles
	e, ok := p.list.Selected()
	cacheKey := fmt.Sprintf("%d %d %d %d", p.cmp.runs, p.list.Cursor, w, h)
	switch {
	case !ok:
		return ui.FitBlock("", w, h)
	case e.Change == nil:
		return ui.FitBlock(s.Dim.Render("A problem, listed in full at the left."), w, h)
	}
	if cacheKey != p.sideKey {
		c := e.Change
		var lines []string
		part := func(label, path string, v *flow.Value, room int) {
			if v == nil {
				return
			}
			lines = append(lines, s.Dim.Render(label+" "+flow.Visible(path)))
			lines = append(lines, firstLines(flow.Marshal(v), room)...)
			lines = append(lines, "")
		}
		room := max(1, (h-2)/2-2)
		if c.Old == nil || c.New == nil {
			room = max(1, h-4)
		}
		part("before", c.OldPath, c.Old, room)
		part("after", c.NewPath, c.New, room)
		p.sideKey, p.sideText = cacheKey, strings.Join(append([]string{s.Dim.Render("The change in full"), ""}, lines...), "\n")
	}
	return ui.FitBlock(p.sideText, w, h)
}

// diskComparison is the comparison of a document with the file it was
// read from, worked out on demand and once per content: a 1 MB flow takes
// milliseconds, too long for every frame or key.
type diskComparison struct {
	state int // the document's state +1 result is for; 0: none yet

	// The file content old was parsed from (identity, not contents: every
	// read or write gives a new slice).
	disk      []byte
	diskKnown bool
	parsed    bool
	old       *flow.Config // nil: no file
	oldDiags  flow.Diagnostics
	oldErr    error // the content is not a flow; compared with no file

	result diff.Result
	runs   int // comparisons worked out
}

// current reports whether result is the comparison of doc as it is.
func (c *diskComparison) current(doc *ui.Doc) bool {
	data, known := doc.OnDisk()
	return c.state == doc.State()+1 && c.parsed && known == c.diskKnown && ui.SameSlice(data, c.disk)
}

// compare brings result up to doc and reports whether it changed.
func (c *diskComparison) compare(doc *ui.Doc) bool {
	if c.current(doc) {
		return false
	}
	data, known := doc.OnDisk()
	if !c.parsed || known != c.diskKnown || !ui.SameSlice(data, c.disk) {
		c.disk, c.diskKnown, c.parsed = data, known, true
		c.old, c.oldDiags, c.oldErr = nil, nil, nil
		if known && data != nil {
			if old, err := flow.Parse(data); err != nil {
				c.oldErr = err
			} else {
				c.old, c.oldDiags = old, flow.Validate(old)
			}
		}
	}
	doc.Revalidate() // a no-op when the root already did
	c.result = diff.CompareDiagnosed(c.old, doc.Config, c.oldDiags, doc.Diags)
	c.state = doc.State() + 1
	c.runs++
	return true
}

// absent reports whether there is no file to compare with.
func (c *diskComparison) absent() bool { return c.old == nil && c.oldErr == nil }

// count is the number of changes when it is known without comparing: the
// last comparison is current, or the flow is as saved to (or read from) a
// file, which is no change.
func (c *diskComparison) count(doc *ui.Doc) (int, bool) {
	if c.current(doc) {
		return len(c.result.Changes), true
	}
	if data, known := doc.OnDisk(); known && data != nil && !doc.Dirty() {
		return 0, true
	}
	return 0, false
}

// changeTarget is the place to show for a change: the thing itself, or for
// a removal, where it was in the list or object that held it, found in the
// flow by the keys leading to it.
func changeTarget(cfg *flow.Config, c diff.Change) string {
	if c.NewPath != "" {
		return c.NewPath
	}
	old := flow.SplitPointer(c.OldPath)
	where := c.Where
	thing := isThing(c.Subject)
	if thing {
		where = where[:max(0, len(where)-1)] // the removed thing itself
	}
	// Each locator is two tokens of the old pointer (steps/3, roles/ubo,
	// fields/2, ...): found by key in the new flow, they are replaced by
	// its place there; the rest of the old pointer names the member.
	var toks []string
	v := cfg.Root()
	for i, l := range where {
		if 2*i+1 >= len(old) {
			break
		}
		list := v.Get(old[2*i])
		at, ok := locate(list, l)
		if !ok {
			return flow.Pointer(anyTokens(append(toks, old[2*i]))...)
		}
		toks = append(toks, old[2*i], at)
		if list.Is(flow.Array) {
			n, _ := strconv.Atoi(at)
			v = list.Item(n)
		} else {
			v = list.Get(at)
		}
	}
	rest := old[min(len(old), 2*len(where)):]
	if len(rest) > 0 && thing {
		// The list it was in, at what now stands where it was: a question,
		// option or field editor puts its cursor there. A step's place
		// would open another step's editor, so a step gets its list.
		rest = rest[:1]
		if list := v.Get(rest[0]); c.Subject != diff.SubjectStep && c.From > 0 && list.Is(flow.Array) && list.Len() > 0 {
			rest = append(rest, strconv.Itoa(min(c.From, list.Len())-1))
		}
	}
	return flow.Pointer(anyTokens(append(toks, rest...))...)
}

// isThing reports whether changes of s are about a thing as a whole (its
// last locator), not a member of one.
func isThing(s diff.Subject) bool {
	switch s {
	case diff.SubjectStep, diff.SubjectQuestion, diff.SubjectOption, diff.SubjectRole, diff.SubjectKYBField:
		return true
	}
	return false
}

// locate finds a locator's thing in a list (by key, or a field by type) or
// in the roles object (by name), and returns its token.
func locate(list *flow.Value, l diff.Locator) (string, bool) {
	if list.Is(flow.Object) {
		return l.Key, list.Has(l.Key)
	}
	for i, it := range list.Items() {
		var k string
		switch l.Subject {
		case diff.SubjectStep:
			k = flow.Step{V: it}.EffectiveKey()
		case diff.SubjectKYBField:
			k, _ = it.Get("type").Str()
		default:
			k, _ = it.Get("key").Str()
		}
		if k == l.Key {
			return strconv.Itoa(i), true
		}
	}
	return "", false
}

func anyTokens(toks []string) []any {
	out := make([]any, len(toks))
	for i, t := range toks {
		out[i] = t
	}
	return out
}

// describe says what the comparison amounts to and the entry selected.
func (p *changesPane) describe() string {
	p.refresh()
	r := p.cmp.result
	if r.Same() {
		return "No changes: the flow is as " + p.fileName() + " was read or last saved."
	}
	s := export.DiffSummary(r) + "."
	e, ok := p.list.Selected()
	switch {
	case !ok:
	case e.Change != nil:
		s += fmt.Sprintf(" Entry %d of %d: %s. Enter goes there.", p.list.Cursor+1, p.list.Len(), export.DiffPhrase(*e.Change, nil))
	default:
		verb := "introduces"
		if e.Fixed {
			verb = "fixes"
		}
		s += fmt.Sprintf(" Entry %d of %d: the change %s %s %s at %s: %s.", p.list.Cursor+1, p.list.Len(), verb,
			e.Diag.Severity, e.Diag.Code, flow.Visible(e.Diag.Path), flow.Visible(e.Diag.Message))
	}
	return s
}
