package widget

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// localizedAddMsg starts typing a language just picked for the editor ed.
type localizedAddMsg struct {
	ed   *LocalizedEditor
	lang string
}

// LocalizedEditor edits one localized text: a line per language, add a
// language from the 22, remove one, edit one inline. A plain string is
// shown as such and can be turned into a localized object. Text is stored
// exactly as typed (right-to-left scripts included): nothing is trimmed or
// reordered.
type LocalizedEditor struct {
	common *ui.Common
	doc    *ui.Doc
	ref    TextRef
	edits  textEdits
	cursor int
	offset int
	typing locTyping
	width  int
	height int

	// The languages the last t dropped making the text plain, and the
	// document's state just after: a t right after says they are gone.
	plainDropped []string
	plainState   int
}

// NewLocalizedEditor is the localized-text editor of the text ref
// addresses, as enter on a LocalizedProp opens it.
func NewLocalizedEditor(c *ui.Common, doc *ui.Doc, ref TextRef) *LocalizedEditor {
	in := textinput.New()
	in.Prompt = ""
	return &LocalizedEditor{common: c, doc: doc, ref: ref, edits: textEdits{c, doc, ref}, typing: locTyping{input: in}}
}

// locTyping is the line being typed in a localized-text editor: a
// language's text, a language just added, or a plain text where there was
// none.
type locTyping struct {
	on       bool
	pending  string      // a language being added: typed but not yet stored
	newPlain bool        // a plain string being typed where there was no text
	from     typingStart // the text typing started from
	ref      string      // for a language being added, the flow language's text to translate
	input    textinput.Model
	err      string
}

// start begins typing from text; from nothing (a new language or plain
// text) anything typed is a change, even an empty line.
func (t *locTyping) start(text string, fromNothing bool) tea.Cmd {
	t.on, t.err = true, ""
	if fromNothing {
		t.from = startFresh(&t.input)
	} else {
		t.from = startTyping(&t.input, text)
	}
	return t.input.Focus()
}

func (t *locTyping) stop() {
	t.on, t.pending, t.newPlain, t.err, t.ref = false, "", false, "", ""
	t.input.Blur()
}

// update types into the line.
func (t *locTyping) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	t.input, cmd = t.input.Update(msg)
	t.err = ""
	return cmd
}

// locRow is one line: a language of an object, or (lang "") a plain string.
type locRow struct {
	lang string
	val  *flow.Value
}

func (e *LocalizedEditor) text() (*flow.Value, bool) { return e.ref.Get(e.doc.Config) }

func (e *LocalizedEditor) rows() []locRow {
	v, _ := e.text()
	var rows []locRow
	switch {
	case v.Is(flow.String):
		rows = append(rows, locRow{val: v})
	case v.Is(flow.Object):
		for _, m := range v.Members() {
			rows = append(rows, locRow{lang: m.Name, val: m.Value})
		}
	}
	return rows
}

func (e *LocalizedEditor) Title() string { return e.ref.What }

// Len is the number of lines listed: the text's languages, or one line for
// a plain string.
func (e *LocalizedEditor) Len() int { return len(e.rows()) }

func (e *LocalizedEditor) Capturing() bool { return e.typing.on }

func (e *LocalizedEditor) EditingText() bool { return e.typing.on }

// PendingText reports whether a text is typed and not applied.
func (e *LocalizedEditor) PendingText() bool {
	return e.typing.on && e.typing.from.edited(&e.typing.input)
}

// CommitPending applies the text being typed, as enter would.
func (e *LocalizedEditor) CommitPending() {
	if e.typing.on {
		e.commit()
	}
}

func (e *LocalizedEditor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.typing.input.SetWidth(max(10, w-22))
}

func (e *LocalizedEditor) bindings() []key.Binding {
	k := e.common.Keys
	if e.typing.on {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	b := []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")),
		key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add language")),
	}
	v, _ := e.text()
	if len(missingLanguages(v, e.doc.ShownLanguages())) > 0 {
		b = append(b, key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fill missing")))
	}
	b = append(b, key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "remove")))
	switch {
	case v.Is(flow.String):
		b = append(b, key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "localize")))
	case v.Is(flow.Object) && !e.ref.Plain:
		b = append(b, key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "make plain")))
	}
	return append(b, k.Back)
}

func (e *LocalizedEditor) ShortHelp() []key.Binding { return e.bindings() }

func (e *LocalizedEditor) FullHelp() [][]key.Binding {
	k := e.common.Keys
	return HelpGroups(k, e.bindings())
}

func (e *LocalizedEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if _, ok := e.text(); !ok {
		return e, ui.Pop // what held the text is gone (undo)
	}
	if m, ok := msg.(localizedAddMsg); ok && m.ed == e {
		return e, e.startAdd(m.lang)
	}
	if e.typing.on {
		return e, e.updateEditing(msg)
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return e, nil
	}
	k := e.common.Keys
	rows := e.rows()
	if next, ok := MoveCursorWithin(k, km, e.cursor, len(rows)); ok {
		e.cursor = next
		return e, nil
	}
	switch {
	case key.Matches(km, k.Back):
		return e, ui.Pop
	case key.Matches(km, k.Enter):
		if len(rows) == 0 && e.ref.Plain {
			return e, e.startPlain()
		}
		if len(rows) == 0 {
			if langs := EntryLanguages(e.doc.Config); len(langs) > 0 {
				return e, e.edits.enterNew(langs)
			}
			return e, e.pickLanguage()
		}
		if r := rows[min(e.cursor, len(rows)-1)]; flow.IsCredentialName(r.lang) {
			return e, ui.Status("a credential is not a text: d removes it")
		}
		return e, e.startEdit(rows[min(e.cursor, len(rows)-1)])
	case key.Matches(km, k.Add):
		return e, e.pickLanguage()
	case key.Matches(km, k.Delete):
		return e, e.remove()
	case km.String() == "f":
		return e, e.edits.fillMissing()
	case km.String() == "t":
		var before []string // what the t just before dropped, nothing since
		if e.doc.State() == e.plainState {
			before = e.plainDropped
		}
		cmd, dropped := e.edits.toggleLocalized(before)
		e.plainDropped, e.plainState = dropped, e.doc.State()
		if v, _ := e.text(); v.Is(flow.String) {
			e.cursor = 0 // a plain text is one line
		}
		return e, cmd
	}
	return e, nil
}

func (e *LocalizedEditor) updateEditing(msg tea.Msg) tea.Cmd {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "enter":
			return e.commit()
		case "esc":
			e.typing.stop()
			return nil
		}
	}
	return e.typing.update(msg)
}

func (e *LocalizedEditor) startEdit(r locRow) tea.Cmd {
	s, ok := r.val.Str()
	if !ok && r.val != nil {
		s = "" // a wrong-typed entry is replaced by what is typed
	}
	return e.typing.start(s, false)
}

// startAdd begins typing the text of a language just picked, from an
// empty line; the flow language's version is shown under it to translate
// from, never put in the line.
func (e *LocalizedEditor) startAdd(lang string) tea.Cmd {
	v, _ := e.text()
	e.typing.pending = lang
	if v != nil && lang != e.doc.Config.Language() {
		e.typing.ref = flow.Text{V: v}.In(e.doc.Config.Language())
	}
	e.cursor = len(e.rows())
	return e.typing.start("", true)
}

// startPlain begins typing a plain text where there is none.
func (e *LocalizedEditor) startPlain() tea.Cmd {
	e.typing.newPlain = true
	e.cursor = 0
	return e.typing.start("", true)
}

// editLang is the language the inline input is for ("" for a plain string).
func (e *LocalizedEditor) editLang() string {
	if e.typing.pending != "" {
		return e.typing.pending
	}
	rows := e.rows()
	if e.cursor < len(rows) {
		return rows[e.cursor].lang
	}
	return ""
}

func (e *LocalizedEditor) commit() tea.Cmd {
	if !e.typing.from.edited(&e.typing.input) {
		e.typing.stop() // nothing typed: keep the stored text exactly as it was
		return nil
	}
	text := e.typing.from.value(&e.typing.input) // what the input cannot hold is kept
	dropped := e.typing.from.dropped(&e.typing.input)
	if text == "" {
		e.typing.err = "the text is empty; type it, or esc to cancel (d removes a language)"
		return nil
	}
	lang := e.editLang()
	label := "edit " + e.ref.What
	if lang != "" {
		label += " (" + lang + ")"
	}
	err := e.doc.Edit(label, func(c *flow.Config) error { return e.edits.setLang(c, lang, text) })
	if err != nil {
		e.typing.err = err.Error()
		return nil
	}
	e.typing.stop()
	for i, r := range e.rows() {
		if r.lang == lang {
			e.cursor = i
		}
	}
	if len(dropped) > 0 {
		return ui.Status(droppedNote(dropped))
	}
	return nil
}

// pickLanguage opens a picker of the languages not yet present, the flow's
// missing ones first.
func (e *LocalizedEditor) pickLanguage() tea.Cmd {
	v, _ := e.text()
	shown := e.doc.ShownLanguages()
	var first, rest []PickItem
	for _, l := range flow.Languages() {
		if v.Is(flow.Object) && v.Has(l) {
			continue
		}
		it := PickItem{Value: l, Label: flow.LanguageName(l)}
		if slices.Contains(shown, l) {
			it.Detail = "the flow shows it"
			first = append(first, it)
		} else {
			rest = append(rest, it)
		}
	}
	items := append(first, rest...)
	if len(items) == 0 {
		return ui.Status("every language is already there")
	}
	title := "add a language to " + e.ref.What
	if v.Is(flow.String) {
		title += fmt.Sprintf(" (the plain text is kept under %s)", e.doc.Config.Language())
	}
	return ui.Push(NewPicker(e.common, title, items, nil, false, func(values []string) tea.Cmd {
		if len(values) == 0 {
			return nil
		}
		lang := values[0]
		return func() tea.Msg { return localizedAddMsg{ed: e, lang: lang} }
	}))
}

func (e *LocalizedEditor) remove() tea.Cmd {
	rows := e.rows()
	if len(rows) == 0 {
		return nil
	}
	r := rows[min(e.cursor, len(rows)-1)]
	label := "remove " + e.ref.What
	note := "removed the text"
	if r.lang != "" {
		label += " (" + r.lang + ")"
		note = fmt.Sprintf("removed %s (%s)", flow.LanguageName(r.lang), r.lang)
	}
	err := e.doc.Edit(label, func(c *flow.Config) error {
		cur, ok := e.ref.Get(c)
		if !ok {
			return fmt.Errorf("the text is gone")
		}
		if r.lang == "" || !cur.Is(flow.Object) {
			return e.ref.Set(c, nil)
		}
		obj := cur.Clone()
		obj.Delete(r.lang)
		if obj.Len() == 0 {
			return e.ref.Set(c, nil) // no language left: no text
		}
		return e.ref.Set(c, obj)
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	e.cursor = max(0, min(e.cursor, len(e.rows())-1))
	return ui.Status(note + " · u to undo")
}
