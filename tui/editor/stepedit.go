package editor

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// stepEditorFactories lets richer editors (KYB, questionnaires, video
// calls) claim their step types; others get the generic editor.
func openStepEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) ui.Screen {
	s, _ := doc.Config.StepAt(p)
	switch s.Type() {
	case "language", "identity-document", "liveness", "general-document", "face-document", "phone-number", "email", "geolocation":
		return newKYCEditor(c, doc, p, focus)
	}
	if ed := richStepEditor(c, doc, p, focus); ed != nil {
		return ed
	}
	return newJSONStepView(c, doc, p)
}

// kycEditor edits a KYC step: its key, its title and every flag its type
// has, each as a property line.
type kycEditor struct {
	stepScreen // follows the step as edits and undo move it
	list       *widget.PropList
}

func newKYCEditor(c *ui.Common, doc *ui.Doc, p flow.StepPath, focus string) *kycEditor {
	e := &kycEditor{stepScreen: newStepScreen(c, doc, p), list: widget.NewPropList(c, doc)}
	e.list.SetProps(e.props())
	if focus != "" {
		e.list.FocusPath(focus)
	}
	return e
}

// cur is the edited step (the zero Step once it is gone).
func (e *kycEditor) cur() flow.Step {
	s, _ := e.step()
	return s
}

func (e *kycEditor) Title() string { return e.title() }

func (e *kycEditor) SetSize(w, h int) {
	e.width, e.height = w, h
	e.list.SetSize(w, h-2)
}

func (e *kycEditor) Capturing() bool   { return e.list.Capturing() }
func (e *kycEditor) EditingText() bool { return e.list.EditingText() }

// PendingText reports whether a field holds typed text not yet applied.
func (e *kycEditor) PendingText() bool { return e.list.Pending() }

// commitPending keeps the text being typed when ctrl+s saves.
func (e *kycEditor) CommitPending() {
	if e.list.Capturing() {
		e.list.Commit()
	}
}

func (e *kycEditor) ShortHelp() []key.Binding {
	k := e.common.Keys
	return []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter/space", "change")), k.Back, k.Undo, k.Save}
}

func (e *kycEditor) FullHelp() [][]key.Binding {
	k := e.common.Keys
	return [][]key.Binding{e.ShortHelp(), {k.Redo, k.SaveAs, k.Quit}}
}

func (e *kycEditor) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if !e.hasStep() {
		return e, ui.Pop // the step is gone (undo): nothing to edit
	}
	cmd, handled := widget.UpdatePropList(e.common, e.list, e.props, msg)
	if km, ok := msg.(tea.KeyPressMsg); ok && !handled && km.String() == "f" {
		if p, ok := e.list.Selected(); ok && p.Path != "" {
			return e, fixUnder(e.doc, p)
		}
	}
	if km, ok := msg.(tea.KeyPressMsg); ok && !handled && key.Matches(km, e.common.Keys.Delete) {
		// d deletes in lists; here nothing can go, so say what can.
		if p, ok := e.list.Selected(); ok {
			return e, ui.Status(p.Label + " cannot be removed; enter changes it")
		}
	}
	return e, cmd
}

func (e *kycEditor) View() string {
	if !e.hasStep() {
		return ""
	}
	e.list.SetProps(e.props())
	return e.heading() + "\n\n" + e.list.View()
}

func (e *kycEditor) props() []widget.Prop {
	st := e.cur()
	spec, _ := flow.LookupStep(st.Type())
	base := e.path.Pointer()
	props := []widget.Prop{keyProp(e.common, e.doc, e.path), e.titleProp()}
	for _, f := range spec.Flags {
		props = append(props, e.flagProp(spec, f, base+"/flags/"+f.Name))
	}
	// Members the editor does not edit are listed, with their fix-its, so
	// nothing in the file is hidden.
	names := make([]string, len(spec.Flags))
	for i, f := range spec.Flags {
		names[i] = f.Name
	}
	props = append(props, unknownMembers(e.common, e.doc, st.Flags(), base+"/flags", names...)...)
	props = append(props, unknownMembers(e.common, e.doc, st.V, base, "type", "key", "title", "flags")...)
	props = withFixHints(e.doc, props)
	return props
}

// keyProp edits a step's key, refusing keys used elsewhere in the session.
func keyProp(c *ui.Common, doc *ui.Doc, p flow.StepPath) widget.Prop {
	step := func() flow.Step { s, _ := doc.Config.StepAt(p); return s }
	return widget.Prop{
		Label: "key", Kind: widget.PropText, Path: p.Pointer() + "/key",
		Value: func() string { return ui.Shown(step().EffectiveKey()) },
		Text:  func() string { return step().EffectiveKey() },
		Hint:  func() string { return "unique in the session; enter to edit" },
		Validate: func(v string) string {
			v = strings.TrimSpace(v)
			if v == "" {
				return "a key cannot be empty"
			}
			if v != step().EffectiveKey() && doc.Config.StepKeys()[v] {
				return fmt.Sprintf("%q is already used by another step", v)
			}
			return ""
		},
		SetText: func(v string) error {
			return doc.Edit("rename step key", func(cfg *flow.Config) error { return cfg.SetStepKey(p, strings.TrimSpace(v)) })
		},
	}
}

func (e *kycEditor) titleProp() widget.Prop {
	lang := e.doc.Config.Language()
	return widget.Prop{
		Label: "title", Kind: widget.PropText, Path: e.path.Pointer() + "/title",
		Value: func() string { return widget.TextValue(&e.common.Styles, e.cur().V.Get("title")) },
		Text:  func() string { return e.cur().Title().In(lang) },
		Hint: func() string {
			if e.cur().Title().IsLocalized() {
				return "localized title: enter edits the " + flow.LanguageName(lang) + " text"
			}
			return "shown to the person; empty uses the vendor's default"
		},
		SetText: func(v string) error {
			return e.edit("edit title", func(s flow.Step) error {
				t := s.Title()
				switch {
				case t.IsLocalized():
					return e.doc.Config.SetText(e.path.Pointer()+"/title", lang, v)
				case v == "":
					s.Set("title", nil)
				default:
					s.Set("title", flow.NewString(v))
				}
				return nil
			})
		},
	}
}

func (e *kycEditor) flagProp(spec flow.StepSpec, f flow.FieldSpec, path string) widget.Prop {
	s := &e.common.Styles
	name := f.Name
	p := widget.Prop{Label: name, Path: path, Hint: func() string { return f.Doc }}
	switch f.Kind {
	case flow.KindBool:
		def := f.Default == "true"
		p.Kind = widget.PropToggle
		p.Value = func() string { return widget.BoolValue(s, e.cur().Flag(name), def) }
		p.Toggle = func() error {
			return e.edit("toggle "+name, func(st flow.Step) error {
				st.SetFlag(name, flow.NewBool(!st.BoolFlag(name)))
				return nil
			})
		}
		if spec.Type == "liveness" && name == "allow_face_upload" {
			p.Hint = func() string {
				if e.cur().BoolFlag("liveness") {
					return "⚠ ignored while liveness is active (liveness: true)"
				}
				return f.Doc
			}
		}
	case flow.KindStringList:
		p.Kind = widget.PropPick
		p.Value = func() string { return widget.ChosenValue(s, e.cur().Flag(name), "all") }
		p.Pick = func() ui.Screen {
			items := enumItems(f.Enum)
			title := "choose " + name + " (none chosen means all)"
			switch name {
			case "document_countries":
				items = countryItems()
			case "languages":
				items = languageItems(flow.Languages())
			}
			return widget.NewPicker(e.common, title, items, e.cur().StringsFlag(name), true, func(values []string) tea.Cmd {
				err := e.edit("set "+name, func(st flow.Step) error {
					if len(values) == 0 {
						st.SetFlag(name, nil)
					} else {
						st.SetFlag(name, flow.NewStrings(values))
					}
					return nil
				})
				return ui.StatusIfErr(err)
			})
		}
	}
	return p
}

func enumItems(vals []string) []widget.PickItem {
	items := make([]widget.PickItem, len(vals))
	for i, v := range vals {
		items[i] = widget.PickItem{Value: v}
	}
	return items
}

func languageItems(codes []string) []widget.PickItem {
	items := make([]widget.PickItem, len(codes))
	for i, c := range codes {
		items[i] = widget.PickItem{Value: c, Label: flow.LanguageName(c)}
	}
	return items
}

func countryItems() []widget.PickItem {
	cs := flow.Countries()
	items := make([]widget.PickItem, len(cs))
	for i, c := range cs {
		items[i] = widget.PickItem{Value: c.Alpha3, Label: c.Name, Detail: c.Alpha2}
	}
	return items
}

// jsonStepView shows a step's JSON read-only when no editor applies: the
// type is missing or unknown, or the step is where it may not be.
type jsonStepView struct {
	common *ui.Common
	doc    *ui.Doc
	path   flow.StepPath
	offset int
	width  int
	height int

	// The JSON's lines, for the content of state: scrolling does not
	// marshal the step again.
	text  []string
	state int
}

func newJSONStepView(c *ui.Common, doc *ui.Doc, p flow.StepPath) *jsonStepView {
	return &jsonStepView{common: c, doc: doc, path: p}
}

func (v *jsonStepView) Title() string {
	s, _ := v.doc.Config.StepAt(v.path)
	return fmt.Sprintf("%s step %q (read-only)", s.Type(), s.EffectiveKey())
}
func (v *jsonStepView) SetSize(w, h int) { v.width, v.height = w, h }
func (v *jsonStepView) ShortHelp() []key.Binding {
	k := v.common.Keys
	b := []key.Binding{k.Up, k.Down, k.Back, k.Save}
	if d, ok := v.typeFix(); ok {
		b = append([]key.Binding{fixKey(suggestionHelp(d))}, b...)
	}
	return b
}
func (v *jsonStepView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *jsonStepView) lines() []string {
	if v.text != nil && v.state == v.doc.State() {
		return v.text
	}
	s, ok := v.doc.Config.StepAt(v.path)
	if !ok {
		return nil
	}
	lines := strings.Split(strings.TrimRight(string(flow.Marshal(maskCredentials(s.V))), "\n"), "\n")
	for i, l := range lines {
		lines[i] = ui.Clip(l) // a 16 MiB text is one line
	}
	v.text, v.state = lines, v.doc.State()
	return lines
}

// typeFix is the did-you-mean of the step's type, when it has one.
func (v *jsonStepView) typeFix() (flow.Diagnostic, bool) {
	return suggestionAt(v.doc, v.path.Pointer()+"/type")
}

// fixType applies the type's did-you-mean, keeping everything else the
// step holds, and opens the step's editor in place of this view.
func (v *jsonStepView) fixType(d flow.Diagnostic) tea.Cmd {
	before := v.doc.State()
	cmd := applySuggestion(v.doc, d)
	if v.doc.State() == before {
		return cmd // refused: the status says why
	}
	v.doc.Revalidate() // the editor opened next reads the diagnostics
	next := openStepEditor(v.common, v.doc, v.path, "")
	return tea.Batch(cmd, func() tea.Msg { return ui.ReplaceMsg{Screen: next} })
}

func (v *jsonStepView) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return v, nil
	}
	if key.Matches(km, v.common.Keys.Back) {
		return v, ui.Pop
	}
	if d, ok := v.typeFix(); ok && (km.String() == "f" || key.Matches(km, v.common.Keys.Enter)) {
		return v, v.fixType(d)
	}
	v.offset, _ = widget.ScrollText(v.common.Keys, km, v.offset, len(v.lines()), v.bodyRows())
	return v, nil
}

func (v *jsonStepView) View() string {
	lines := v.lines()
	head := v.head()
	end := min(len(lines), v.offset+v.bodyRows())
	body := make([]string, 0, end-v.offset)
	for _, l := range lines[min(v.offset, end):end] {
		body = append(body, ui.Truncate(l, v.width))
	}
	return head + "\n\n" + strings.Join(body, "\n")
}

// why says why the step has no editor.
func (v *jsonStepView) why() string {
	st, _ := v.doc.Config.StepAt(v.path)
	typ := st.Type()
	switch {
	case !st.V.Has("type"):
		return "This step has no \"type\", so it cannot be edited here."
	case typ == "" || !slices.Contains(flow.StepTypes(), typ):
		msg := fmt.Sprintf("%q is not a step type", typ)
		if d, ok := v.typeFix(); ok {
			return msg + fmt.Sprintf(" (did you mean %q?). Press f (or enter) to change the type to %q: everything else in the step is kept.", d.Suggestion, d.Suggestion)
		}
		return msg + ", so the step cannot be edited here."
	case v.path.Nested():
		return fmt.Sprintf("A %s step cannot be inside a video call, so it cannot be edited here.", typ)
	}
	return fmt.Sprintf("The %s step cannot be edited here.", typ)
}

// head is the explanation above the JSON.
func (v *jsonStepView) head() string {
	s := &v.common.Styles
	rest := "Its JSON is kept exactly as it is. Fix it in the file, or delete the step (d in the list) and add the right one."
	if _, ok := v.typeFix(); ok {
		rest = "Until then its JSON is kept exactly as it is."
	}
	return s.Warning.Render(ansi.Wrap(v.why(), max(20, v.width), "")) + "\n" +
		s.Dim.Render(ansi.Wrap(rest, max(20, v.width), ""))
}

// bodyRows is the rows left for the JSON under the head and a blank line.
func (v *jsonStepView) bodyRows() int {
	return max(1, v.height-lipgloss.Height(v.head())-1)
}
