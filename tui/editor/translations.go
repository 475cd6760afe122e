package editor

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// translationTable is the Translations tab: a row for every text of the
// flow (flow.Config.Texts), a column for every language the flow shows,
// the flow's own language first. Cells are edited in place; o opens the
// text's editor. The texts are read once per content of the document:
// an edit made here refreshes its own row (TextAt) and counts, so a key
// costs what one screenful does, however many texts the flow has.
type translationTable struct {
	common *ui.Common
	doc    *ui.Doc
	grid   *widget.Grid

	built  bool
	state  int // the document content texts were read from
	langs  []string
	texts  []flow.LocalizedText
	counts []flow.LangCount // over langs; operator texts not counted
	ops    int              // operator texts

	shown       []int  // indexes into texts that pass the filters
	missingOnly bool   // only texts lacking missingLang
	missingLang string // the language the missing filter was applied for
	step        int    // the top-level step whose texts show; -1: all

	width, height int
}

func newTranslationTable(c *ui.Common, doc *ui.Doc) *translationTable {
	t := &translationTable{common: c, doc: doc, grid: widget.NewGrid(c), step: -1}
	t.grid.Label = "text"
	t.grid.Apply = t.apply
	return t
}

// tableRows is the table as the grid reads it.
type tableRows struct{ *translationTable }

func (r tableRows) Rows() int { return len(r.shown) }

func (r tableRows) Cell(row, col int) (string, bool) { return r.texts[r.shown[row]].Get(r.langs[col]) }

func (t *translationTable) SetSize(w, h int) {
	t.width, t.height = w, h
	t.grid.SetSize(w, max(2, h-4))
}

// Capturing reports whether a cell is being edited.
func (t *translationTable) Capturing() bool { return t.grid.Editing() }

// CommitPending applies the cell being edited (ctrl+s saves it too; the
// save's own status is what is said then).
func (t *translationTable) CommitPending() {
	t.grid.Commit()
	t.grid.Clamp(len(t.shown))
}

// sync reads the texts again when the document changed other than by an
// edit made here (an undo, an edit in another tab or editor).
func (t *translationTable) sync() {
	if t.built && t.state == t.doc.State() {
		return
	}
	keep := t.selectedID()
	cfg := t.doc.Config
	t.texts = cfg.Texts()
	t.langs = widget.EntryLanguages(cfg)
	t.counts = flow.CountTexts(t.texts, t.langs)
	t.ops = 0
	for i := range t.texts {
		if t.texts[i].Operator {
			t.ops++
		}
	}
	t.grid.Headings = t.grid.Headings[:0]
	for i, l := range t.langs {
		h := l + " " + flow.LanguageName(l)
		if i == 0 {
			h += " (flow)"
		}
		t.grid.Headings = append(t.grid.Headings, h)
	}
	t.state, t.built = t.doc.State(), true
	t.filter(keep)
}

// selectedID is the ID of the text under the cursor, "" for none.
func (t *translationTable) selectedID() string {
	if r := t.grid.Row; r >= 0 && r < len(t.shown) && t.shown[r] < len(t.texts) {
		return t.texts[t.shown[r]].ID
	}
	return ""
}

// colLang is the language of the column under the cursor.
func (t *translationTable) colLang() string {
	if c := t.grid.Col; c >= 0 && c < len(t.langs) {
		return t.langs[c]
	}
	return ""
}

// filter lists the texts that pass the filters, keeping the cursor on the
// text keep when it still shows.
func (t *translationTable) filter(keep string) {
	t.grid.Clamp(len(t.shown)) // the column, before its language is read
	lang := t.colLang()
	t.missingLang = lang
	t.shown = t.shown[:0]
	at := -1
	for i := range t.texts {
		tx := &t.texts[i]
		if (t.step >= 0 && tx.Step[0] != t.step) || (t.missingOnly && tx.Shows(lang)) {
			continue
		}
		if tx.ID == keep {
			at = len(t.shown)
		}
		t.shown = append(t.shown, i)
	}
	if at >= 0 {
		t.grid.Row = at
	}
	t.grid.Clamp(len(t.shown))
}

// recount moves a text's contribution to the counts from old to now.
func (t *translationTable) recount(old, now *flow.LocalizedText) {
	for _, tx := range []struct {
		text *flow.LocalizedText
		d    int
	}{{old, -1}, {now, 1}} {
		if tx.text.Operator {
			continue
		}
		for j, l := range t.langs {
			if tx.text.Shows(l) { // as flow.CountTexts counts
				t.counts[j].Translated += tx.d
			} else {
				t.counts[j].Missing += tx.d
			}
		}
	}
}

// setCell sets the text of row's text in the column's language (""
// removes it) as one undoable edit, and refreshes that row only.
func (t *translationTable) setCell(row, col int, s string) error {
	if row < 0 || row >= len(t.shown) || col < 0 || col >= len(t.langs) {
		return fmt.Errorf("no such cell")
	}
	i, lang := t.shown[row], t.langs[col]
	id := t.texts[i].ID
	label := fmt.Sprintf("edit %s (%s)", textLabel(t.texts[i]), lang)
	if s == "" {
		label = fmt.Sprintf("remove %s (%s)", textLabel(t.texts[i]), lang)
	}
	if err := t.doc.Edit(label, func(c *flow.Config) error { return c.SetText(id, lang, s) }); err != nil {
		return err
	}
	now, ok := t.doc.Config.TextAt(id)
	if !ok {
		t.built = false // read everything again
		return nil
	}
	t.recount(&t.texts[i], &now)
	t.texts[i] = now
	t.state = t.doc.State()
	return nil
}

// apply is the grid's: an empty text is refused, d removes one.
func (t *translationTable) apply(row, col int, s string) error {
	if s == "" {
		return fmt.Errorf("the text is empty: d removes the %s text, esc cancels", t.langs[col])
	}
	return t.setCell(row, col, s)
}

func (t *translationTable) bindings(short bool) []key.Binding {
	k := t.common.Keys
	// While a cell is edited the help bar says enter applies and esc
	// cancels (Editor.EditingText). The filter line names ←/→, m and s;
	// the help bar has room for these.
	b := []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")),
		key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open")),
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "remove")),
	}
	if !short {
		b = append(b,
			key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "language")),
			key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "missing only")),
			key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "one step")),
			k.PageUp, k.PageDown)
	}
	return b
}

func (t *translationTable) Update(msg tea.Msg) tea.Cmd {
	t.sync()
	src := tableRows{t}
	if km, ok := msg.(tea.KeyPressMsg); ok && !t.grid.Editing() {
		switch km.String() {
		case "m":
			t.missingOnly = !t.missingOnly
			t.filter(t.selectedID())
			return nil
		case "s":
			return t.pickStep()
		case "o":
			return t.open()
		case "d":
			return t.remove()
		}
	}
	cmd, _ := t.grid.Update(msg, src)
	t.grid.Clamp(len(t.shown))
	if t.missingOnly && t.colLang() != t.missingLang && !t.grid.Editing() {
		t.filter(t.selectedID()) // missing only is about the language shown
	}
	return cmd
}

// selected is the text under the cursor.
func (t *translationTable) selected() (flow.LocalizedText, bool) {
	if r := t.grid.Row; r >= 0 && r < len(t.shown) {
		return t.texts[t.shown[r]], true
	}
	return flow.LocalizedText{}, false
}

// open shows the text in the localized-text editor, as enter on its row
// in its step's editor does; esc comes back to the table.
func (t *translationTable) open() tea.Cmd {
	tx, ok := t.selected()
	if !ok {
		return nil
	}
	if _, ok := t.doc.Config.StepAt(tx.Step); !ok {
		return nil
	}
	return ui.Push(widget.NewLocalizedEditor(t.common, t.doc, textRef(tx)))
}

// textRef addresses the text tx by its pointer, while its step is still
// the one it was read from; a plain string is as good as a localized
// object where the step editors take one (a step type that is not
// localized, a preset answer).
func textRef(tx flow.LocalizedText) widget.TextRef {
	parent, field := path.Split(tx.ID)
	parent = strings.TrimSuffix(parent, "/")
	holder := func(c *flow.Config) (*flow.Value, bool) {
		if s, ok := c.StepAt(tx.Step); !ok || s.Type() != tx.StepType {
			return nil, false
		}
		h := c.Root().At(parent)
		return h, h != nil && h.Is(flow.Object)
	}
	spec, _ := flow.LookupStep(tx.StepType)
	ref := widget.TextRef{
		ID:    tx.ID,
		Plain: tx.Question < 0 && !spec.Localized,
		Get: func(c *flow.Config) (*flow.Value, bool) {
			h, ok := holder(c)
			if !ok {
				return nil, false
			}
			return h.Get(field), true
		},
		Set: func(c *flow.Config, v *flow.Value) error {
			h, ok := holder(c)
			if !ok {
				return fmt.Errorf("the text's step is gone")
			}
			switch {
			case v == nil:
				h.Delete(field)
			case tx.Option >= 0:
				h.Set(field, v, []string{"key", "title"}) // as the option editor does
			case tx.Question >= 0:
				flow.Question{V: h}.Set(field, v)
			default:
				flow.Step{V: h}.Set(field, v)
			}
			return nil
		},
	}
	switch {
	case tx.Option >= 0:
		ref.What = fmt.Sprintf("%s of option %q", field, tx.OptionKey)
	case tx.Field == flow.FieldAnswer:
		ref.What, ref.Plain = fmt.Sprintf("preset answer of question %q", tx.QuestionKey), true
	case tx.Question >= 0:
		ref.What = fmt.Sprintf("%s of question %q", field, tx.QuestionKey)
	default:
		ref.What = fmt.Sprintf("%s of step %q", field, tx.StepKey)
	}
	return ref
}

// remove takes the text out in the column's language.
func (t *translationTable) remove() tea.Cmd {
	tx, ok := t.selected()
	lang := t.colLang()
	if !ok || lang == "" {
		return nil
	}
	if !tx.Has(lang) {
		return ui.Status("no " + flow.LanguageName(lang) + " text to remove here")
	}
	if err := t.setCell(t.grid.Row, t.grid.Col, ""); err != nil {
		return ui.StatusErr(err)
	}
	return ui.Status("removed the " + flow.LanguageName(lang) + " text · u to undo")
}

// pickStep chooses the step whose texts show, or all.
func (t *translationTable) pickStep() tea.Cmd {
	type stepTexts struct {
		key, typ string
		n, miss  int
	}
	lang := t.colLang()
	var order []int
	steps := map[int]*stepTexts{}
	for i := range t.texts {
		tx := &t.texts[i]
		st := steps[tx.Step[0]]
		if st == nil {
			key, typ := tx.StepKey, tx.StepType
			if tx.CallKey != "" {
				key, typ = tx.CallKey, "video-call"
			}
			st = &stepTexts{key: key, typ: typ}
			steps[tx.Step[0]] = st
			order = append(order, tx.Step[0])
		}
		st.n++
		if !tx.Shows(lang) {
			st.miss++
		}
	}
	items := []widget.PickItem{{Value: "", Label: "every step", Detail: fmt.Sprintf("%d texts", len(t.texts))}}
	selected := []string{""}
	for _, i := range order {
		st := steps[i]
		items = append(items, widget.PickItem{Value: strconv.Itoa(i), Label: flow.Visible(st.key),
			Detail: fmt.Sprintf("%s · %d texts, %d without %s", st.typ, st.n, st.miss, lang)})
		if i == t.step {
			selected = []string{strconv.Itoa(i)}
		}
	}
	return ui.Push(widget.NewPicker(t.common, "show the texts of", items, selected, false, func(values []string) tea.Cmd {
		t.step = -1
		if len(values) == 1 && values[0] != "" {
			t.step, _ = strconv.Atoi(values[0])
		}
		t.filter(t.selectedID())
		return nil
	}))
}
