package sandbox

import (
	"slices"
	"strconv"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Questionnaires, user and operator: the five question types, preset and
// read-only answers, and questions shown only for some answers. The page
// works without scripts: questions whose condition is not met are sent
// hidden and disabled, and when the answers sent show more questions the
// page comes back with them. A small script shows and hides them as the
// answers change.

type questionnaireView struct {
	Note      string
	Questions []questionView
	Submit    shown
}

type questionView struct {
	Index       int
	Type        string
	Title       shown
	Description shown
	Mandatory   bool
	ReadOnly    bool
	Hidden      bool
	Multiple    bool
	Cond        int // index of the question this one depends on, -1 when none
	CondAnswer  string
	Text        string
	Options     []choice
	Accept      string
	MaxFiles    int
	FileHint    string
	Received    string
	Warning     string
}

func questionField(i int) string { return "q" + strconv.Itoa(i) }

// textOr is t in the page's language, or, when the flow gave no text,
// says so visibly with key.
func (c *pageCtx) textOr(t flow.Text, key string) shown {
	if s := c.p.text(t, c.lang); s.Text != "" {
		return s
	}
	return shown{Text: c.t("(no title: {1})", flow.Visible(key))}
}

// preset is a question's preset answer as form values.
func (questionnairePage) preset(c *pageCtx, q flow.Question) []string {
	if !flow.QuestionUses(q.Type(), "answer") {
		return nil
	}
	a := q.V.Get("answer")
	switch q.Type() {
	case "string":
		if t := c.p.text(flow.Text{V: a}, c.lang).Text; strings.TrimSpace(t) != "" {
			return []string{t}
		}
	case "options":
		if s, ok := a.Str(); ok && slices.Contains(q.OptionKeys(), s) {
			return []string{s}
		}
	case "multiple-choice":
		var out []string
		for _, k := range flow.Strings(a) {
			if slices.Contains(q.OptionKeys(), k) && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		if s, ok := a.Str(); ok && slices.Contains(q.OptionKeys(), s) {
			out = []string{s}
		}
		return out
	}
	return nil
}

// locked reports whether a question is read-only: it shows its preset
// answer, or none, unchangeably.
func (questionnairePage) locked(q flow.Question) bool {
	return q.Bool("readOnly") && flow.QuestionUses(q.Type(), "readOnly")
}

// answers are a questionnaire's current answers, by question: read-only
// ones preset; the others as last sent, or preset before anything was.
func (qp questionnairePage) answers(c *pageCtx, qs []flow.Question) [][]string {
	sent := c.entry.draft != nil || c.entry.done
	out := make([][]string, len(qs))
	for i, q := range qs {
		switch {
		case qp.locked(q):
			out[i] = qp.preset(c, q)
		case sent:
			out[i] = c.entry.shownValues(questionField(i))
		default:
			out[i] = qp.preset(c, q)
		}
	}
	return out
}

// visibility reports which questions show given the answers: one with a
// condition shows when the question it names shows and its answer
// matches. Each question is worked out once, whatever the chain.
func visibility(qs []flow.Question, answers [][]string) []bool {
	index := make(map[string]int, len(qs))
	for i, q := range qs {
		if _, dup := index[q.Key()]; !dup {
			index[q.Key()] = i
		}
	}
	const (
		unknown = iota
		working
		shownState
		hiddenState
	)
	state := make([]int, len(qs))
	var visible func(i int) bool
	visible = func(i int) bool {
		switch state[i] {
		case shownState:
			return true
		case hiddenState, working: // working: a cycle, which shows nothing
			return false
		}
		state[i] = working
		on := true
		if key, want, ok := qs[i].Condition(); ok {
			j, found := index[key]
			on = found && j != i && qs[j].Type() != "file" && visible(j) && matches(qs[j].Type(), answers[j], want)
			if !found {
				on = true // the validator refuses such a flow; show the question rather than lose it
			}
		}
		state[i] = hiddenState
		if on {
			state[i] = shownState
		}
		return on
	}
	out := make([]bool, len(qs))
	for i := range qs {
		out[i] = visible(i)
	}
	return out
}

// matches reports whether a question's answer is the one a condition
// wants: the option key among those chosen, or the same text.
func matches(typ string, answer []string, want string) bool {
	if typ == "string" {
		return len(answer) > 0 && strings.TrimSpace(answer[0]) == strings.TrimSpace(want)
	}
	return slices.Contains(answer, want)
}

// fileRule is what a file question accepts.
type fileRule struct {
	pdf, image bool
	max        int
}

func fileRuleOf(q flow.Question) fileRule {
	r := fileRule{max: maxFilesPerAnswer}
	types := q.V.Get("fileTypes")
	list := flow.Strings(types)
	r.pdf = len(list) == 0 || slices.Contains(list, "pdf")
	r.image = len(list) == 0 || slices.Contains(list, "image")
	if !r.pdf && !r.image { // only unknown types: the validator refuses those
		r.pdf, r.image = true, true
	}
	if n, ok := q.V.Get("filesMaxCount").Int(); ok && n >= 1 {
		r.max = min(n, maxFilesPerAnswer)
	}
	return r
}

func (r fileRule) accept() string {
	var a []string
	if r.image {
		a = append(a, "image/*")
	}
	if r.pdf {
		a = append(a, "application/pdf", ".pdf")
	}
	return strings.Join(a, ",")
}

func (r fileRule) ok(fi fileInfo) bool {
	return (r.image && isImage(fi.ContentType)) || (r.pdf && isPDF(fi.ContentType))
}

// choose asks for the accepted files.
func (r fileRule) choose(w words) string {
	switch {
	case !r.image:
		return w.T("choose a PDF")
	case !r.pdf:
		return w.T("choose an image")
	}
	return w.T("choose a PDF or an image")
}

// hint says what the input takes.
func (r fileRule) hint(w words) string {
	switch {
	case !r.image && r.max == 1:
		return w.T("PDF, one file")
	case !r.image:
		return w.T("PDF, up to {1} files", r.max)
	case !r.pdf && r.max == 1:
		return w.T("Image, one file")
	case !r.pdf:
		return w.T("Images, up to {1} files", r.max)
	case r.max == 1:
		return w.T("PDF or image, one file")
	}
	return w.T("PDF or image, up to {1} files", r.max)
}

func (qp questionnairePage) view(c *pageCtx, v *pageView) {
	st := c.spec.step
	qs := st.Questions()
	answers := qp.answers(c, qs)
	vis := visibility(qs, answers)
	index := map[string]int{}
	for i, q := range qs {
		if _, dup := index[q.Key()]; !dup {
			index[q.Key()] = i
		}
	}
	qv := &questionnaireView{Submit: c.p.text(flow.Text{V: st.V.Get("successButtonTitle")}, c.lang)}
	if c.spec.typ == "operator-questionnaire" {
		qv.Note = c.t("The operator fills this in, in their own interface, during or after the call. It is shown here so you can try it.")
		qv.Submit = shown{Text: c.t("Save")}
	} else if qv.Submit.Text == "" {
		qv.Submit = shown{Text: c.t("Confirm")}
	}
	for i, q := range qs {
		typ := q.Type()
		view := questionView{
			Index:     i,
			Type:      typ,
			Title:     c.textOr(q.Title(), q.Key()),
			Mandatory: q.Bool("mandatory"),
			ReadOnly:  qp.locked(q),
			Hidden:    !vis[i],
			Multiple:  typ == "dropdown" && q.Bool("multiple"),
			Cond:      -1,
		}
		if key, want, ok := q.Condition(); ok {
			if j, found := index[key]; found && j != i {
				view.Cond, view.CondAnswer = j, want
			}
			v.Script = true
		}
		if view.ReadOnly && len(answers[i]) == 0 {
			view.Warning = c.t("Read-only with no preset answer: the customer cannot answer this question.")
		}
		switch {
		case typ == "string":
			if len(answers[i]) > 0 {
				view.Text = answers[i][0]
			}
		case flow.IsChoiceQuestion(typ):
			for _, o := range q.Options() {
				view.Options = append(view.Options, choice{Value: o.Key(), Label: c.textOr(o.Title(), o.Key()), Selected: slices.Contains(answers[i], o.Key())})
			}
		case typ == "file":
			rule := fileRuleOf(q)
			view.Description = c.p.text(flow.Text{V: q.V.Get("description")}, c.lang)
			view.Accept, view.MaxFiles, view.FileHint = rule.accept(), rule.max, rule.hint(c.words)
			view.Received = c.describeFiles(c.entry.shownFiles(questionField(i)))
			v.Form.Multipart = true
		}
		qv.Questions = append(qv.Questions, view)
	}
	v.Questionnaire = qv
}

func (qp questionnairePage) submit(c *pageCtx, f *stepForm) int {
	qs := c.spec.step.Questions()
	sub := c.newSubmission()
	answers := make([][]string, len(qs))
	for i, q := range qs {
		field := questionField(i)
		typ := q.Type()
		switch {
		case qp.locked(q):
			answers[i] = qp.preset(c, q)
		case typ == "string":
			if t := c.text(sub, f, field, c.textOr(q.Title(), q.Key()).Text); t != "" {
				answers[i] = []string{t}
			}
			delete(sub.values, field)
		case flow.IsChoiceQuestion(typ):
			keys := q.OptionKeys()
			for _, v := range f.values[field] {
				if slices.Contains(keys, v) && !slices.Contains(answers[i], v) {
					answers[i] = append(answers[i], v)
				}
			}
			if (typ == "options" || (typ == "dropdown" && !q.Bool("multiple"))) && len(answers[i]) > 1 {
				answers[i] = answers[i][:1]
			}
		}
	}
	vis := visibility(qs, answers)
	seen := f.values["seen"]
	more := false
	for i, q := range qs {
		field := questionField(i)
		if !vis[i] {
			continue
		}
		if !slices.Contains(seen, strconv.Itoa(i)) {
			more = true
		}
		if q.Type() == "file" {
			rule := fileRuleOf(q)
			answers[i] = nil
			if files := c.takeFiles(sub, f, field, c.textOr(q.Title(), q.Key()).String(), rule.ok, rule.choose(c.words), rule.max); len(files) > 0 {
				answers[i] = []string{"file"} // for the mandatory check
			}
			continue
		}
		sub.set(field, answers[i]...)
	}
	if more {
		c.entry.draft, c.entry.draftFiles = sub.values, sub.files
		c.entry.notice = c.t("Your answers bring up more questions: please answer them too.")
		return c.i
	}
	for i, q := range qs {
		if vis[i] && q.Bool("mandatory") && len(answers[i]) == 0 && !qp.locked(q) {
			sub.fail(c.t("{1}: this question needs an answer", c.textOr(q.Title(), q.Key()).String()))
		}
	}
	return c.finish(sub)
}
