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

// questionnairePreview reads a questionnaire through as a person would
// see it, in one language at a time (←/→ cycle through them). Each
// conditional question says when it shows; a text missing in the chosen
// language is marked and shown in the fallback the widget would use.
type questionnairePreview struct {
	stepScreen
	lang   int
	offset int
	// speaking is the language lines draws in, worked out once per draw:
	// finding the languages walks every text of the questionnaire.
	speaking string

	// The languages and the text laid out, kept for the content of state
	// (the text also for its language and background): scrolling a long
	// questionnaire does not lay it all out again.
	state    int
	langs    []string
	text     []string
	textLang string
	textDark bool
}

func newQuestionnairePreview(c *ui.Common, doc *ui.Doc, p flow.StepPath) *questionnairePreview {
	v := &questionnairePreview{stepScreen: newStepScreen(c, doc, p)}
	v.lang = max(0, slices.Index(v.languages(), doc.Config.Language()))
	return v
}

// languages are the flow's shown languages plus any the questionnaire's
// texts have, in the order of flow.Languages.
func (v *questionnairePreview) languages() []string {
	if v.langs == nil || v.state != v.doc.State() {
		v.langs, v.text, v.state = v.findLanguages(), nil, v.doc.State()
	}
	return v.langs
}

func (v *questionnairePreview) findLanguages() []string {
	set := map[string]bool{}
	for _, l := range v.doc.ShownLanguages() {
		set[l] = true
	}
	s, _ := v.step()
	addLangs := func(t *flow.Value) {
		for _, m := range t.Members() {
			set[m.Name] = true
		}
	}
	addLangs(s.V.Get("title"))
	addLangs(s.V.Get("description"))
	addLangs(s.V.Get("successButtonTitle"))
	for _, q := range s.Questions() {
		addLangs(q.V.Get("title"))
		addLangs(q.V.Get("description"))
		for _, o := range q.Options() {
			addLangs(o.V.Get("title"))
		}
	}
	var out []string
	for _, l := range flow.Languages() {
		if set[l] {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = []string{v.doc.Config.Language()}
	}
	return out
}

func (v *questionnairePreview) current() string {
	langs := v.languages()
	return langs[min(v.lang, len(langs)-1)]
}

func (v *questionnairePreview) Title() string    { return "preview of " + v.title() }
func (v *questionnairePreview) SetSize(w, h int) { v.width, v.height = w, h }

func (v *questionnairePreview) ShortHelp() []key.Binding {
	k := v.common.Keys
	return []key.Binding{
		key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "language")),
		k.Up, k.Down, k.Back,
	}
}

func (v *questionnairePreview) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *questionnairePreview) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if _, ok := v.step(); !ok {
		return v, ui.Pop
	}
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return v, nil
	}
	k := v.common.Keys
	n := len(v.languages())
	switch {
	case key.Matches(km, k.Back):
		return v, ui.Pop
	case key.Matches(km, k.Right), km.String() == "tab":
		v.lang = (v.lang + 1) % n
	case key.Matches(km, k.Left), km.String() == "shift+tab":
		v.lang = (v.lang + n - 1) % n
	case key.Matches(km, k.Up):
		v.offset = max(0, v.offset-1)
	case key.Matches(km, k.Down):
		v.offset++
	case key.Matches(km, k.PageUp):
		v.offset = max(0, v.offset-(v.height-3))
	case key.Matches(km, k.PageDown):
		v.offset += max(1, v.height-3)
	case key.Matches(km, k.Home):
		v.offset = 0
	}
	return v, nil
}

// say renders a text in the chosen language; a missing translation shows
// the fallback, marked.
func (v *questionnairePreview) say(t *flow.Value) string {
	lang := v.speaking
	txt := flow.Text{V: t}
	out := widget.OneLine(txt.In(lang))
	if t.Is(flow.Object) && !t.Has(lang) && out != "" {
		out += v.common.Styles.Warning.Render(" [no " + lang + "]")
	}
	return out
}

// lines is the questionnaire laid out in the current language.
func (v *questionnairePreview) lines() []string {
	lang := v.current()
	if v.text == nil || v.textLang != lang || v.textDark != v.common.IsDark {
		v.text, v.textLang, v.textDark = v.layout(lang), lang, v.common.IsDark
	}
	return v.text
}

func (v *questionnairePreview) layout(lang string) []string {
	v.speaking = lang
	st := &v.common.Styles
	s, _ := v.step()
	var out []string
	if t := v.say(s.V.Get("title")); t != "" {
		out = append(out, st.Title.Render(t))
	}
	if d := v.say(s.V.Get("description")); d != "" {
		out = append(out, d)
	}
	out = append(out, "")
	questions := s.Questions()
	for i, q := range questions {
		if !q.V.Is(flow.Object) {
			continue
		}
		head := fmt.Sprintf("%d. %s", i+1, v.say(q.V.Get("title")))
		if q.Bool("mandatory") {
			head += st.Error.Render(" *")
		}
		if q.Bool("readOnly") {
			head += st.Dim.Render(" (read-only)")
		}
		out = append(out, head)
		if qk, ans, ok := q.Condition(); ok {
			out = append(out, "   "+st.Info.Render("shown when "+v.conditionText(s, qk, ans)))
		}
		if q.Type() == "file" || q.V.Has("description") {
			if d := v.say(q.V.Get("description")); d != "" {
				out = append(out, "   "+st.Dim.Render(d))
			}
		}
		out = append(out, v.answerLines(q)...)
	}
	if len(questions) == 0 {
		out = append(out, st.Dim.Render("(no questions)"))
	}
	if v.typ == "user-questionnaire" {
		label := v.say(s.V.Get("successButtonTitle"))
		if label == "" {
			label = "Confirm"
		}
		out = append(out, "", "   [ "+label+" ]")
	}
	return out
}

// conditionText is `<question> = <answer>` in the chosen language.
func (v *questionnairePreview) conditionText(s flow.Step, qk, ans string) string {
	ti := s.QuestionIndex(qk)
	if ti < 0 {
		return ui.Shown(fmt.Sprintf("%s = %s (no such question)", qk, ans))
	}
	tq := s.Questions()[ti]
	name := widget.OneLine(flow.Text{V: tq.V.Get("title")}.In(v.speaking))
	if name == "" {
		name = qk
	}
	answer := fmt.Sprintf("%q", ans)
	for _, o := range tq.Options() {
		if o.Key() == ans {
			answer = "“" + widget.OneLine(o.Title().In(v.speaking)) + "”"
		}
	}
	return fmt.Sprintf("“%s” = %s", name, answer)
}

// answerLines draws the input of a question, with its preset answer.
func (v *questionnairePreview) answerLines(q flow.Question) []string {
	st := &v.common.Styles
	preset := q.V.Get("answer")
	chosen := flow.Strings(preset)
	if a, ok := preset.Str(); ok {
		chosen = []string{a}
	}
	var out []string
	switch q.Type() {
	case "string":
		text := ""
		if preset != nil {
			text = v.say(preset)
		}
		out = append(out, "   [ "+text+strings.Repeat("_", max(0, 24-len([]rune(text))))+" ]")
	case "options", "multiple-choice":
		for _, o := range q.Options() {
			mark := "( )"
			if q.Type() == "multiple-choice" {
				mark = "[ ]"
			}
			if slices.Contains(chosen, o.Key()) {
				mark = strings.Replace(strings.Replace(mark, "( )", "(•)", 1), "[ ]", "[x]", 1)
			}
			out = append(out, "   "+mark+" "+v.say(o.V.Get("title")))
		}
	case "dropdown":
		var titles []string
		for _, o := range q.Options() {
			titles = append(titles, v.say(o.V.Get("title")))
		}
		kind := "choose one"
		if q.Bool("multiple") {
			kind = "choose any"
		}
		out = append(out, "   [ "+kind+" ▾ ] "+st.Dim.Render(strings.Join(titles, " · ")))
	case "file":
		n := 10
		if c, ok := q.V.Get("filesMaxCount").Int(); ok {
			n = c
		}
		types := flow.Strings(q.V.Get("fileTypes"))
		if len(types) == 0 {
			types = flow.FileTypes()
		}
		out = append(out, fmt.Sprintf("   [ upload ⇪ ] up to %d file(s): %s", n, ui.Shown(strings.Join(types, ", "))))
	}
	return out
}

func (v *questionnairePreview) View() string {
	if _, ok := v.step(); !ok {
		return ""
	}
	st := &v.common.Styles
	langs := v.languages()
	cur := v.current()
	var tabs []string
	for _, l := range langs {
		if l == cur {
			tabs = append(tabs, st.TabActive.Render(l))
		} else {
			tabs = append(tabs, st.Tab.Render(l))
		}
	}
	head := st.Title.Render("Preview in "+flow.LanguageName(cur)) + "  " + strings.Join(tabs, " ") + st.Dim.Render("  ←/→ language")
	body := v.lines()
	avail := max(1, v.height-2)
	v.offset = max(0, min(v.offset, len(body)-avail))
	end := min(len(body), v.offset+avail)
	out := []string{ui.Truncate(head, v.width), ""}
	for _, l := range body[v.offset:end] {
		out = append(out, ui.Truncate(l, v.width))
	}
	return strings.Join(out, "\n")
}
