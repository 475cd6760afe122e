package i18n

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/identoflow/identoflow/flow"
)

// Status is how far a flow's translation is, per language it can show.
type Status struct {
	File          string           `json:"file"`
	Texts         int              `json:"texts"`          // texts a person reads: the ones counted
	OperatorTexts int              `json:"operator_texts"` // texts of operator questionnaires, not counted
	PlainTexts    int              `json:"plain_texts"`    // plain strings, counted as the flow language's
	FlowLanguage  string           `json:"flow_language"`
	Languages     []flow.LangCount `json:"languages"`
}

// NewStatus counts a flow's texts; file names it in the output. The
// flow's language comes first, the others in ShownLanguages' order.
func NewStatus(file string, c *flow.Config) Status {
	texts := c.Texts()
	langs := c.ShownLanguages()
	if i := slices.Index(langs, c.Language()); i > 0 {
		langs = slices.Concat(langs[i:i+1], langs[:i], langs[i+1:])
	}
	s := Status{File: file, FlowLanguage: c.Language(), Languages: flow.CountTexts(texts, langs)}
	for _, t := range texts {
		switch {
		case t.Operator:
			s.OperatorTexts++
		default:
			s.Texts++
			if t.Plain {
				s.PlainTexts++
			}
		}
	}
	return s
}

// Missing reports whether a language lacks a text.
func (s Status) Missing() bool {
	for _, l := range s.Languages {
		if l.Missing > 0 {
			return true
		}
	}
	return false
}

// WriteStatus writes the status for people:
//
//	flow.json: 58 texts, shown in en, ka, ru
//	  en  English   58 of 58
//	  ka  Georgian  41 of 58  17 missing
func WriteStatus(w io.Writer, s Status) error {
	var b strings.Builder
	codes := make([]string, len(s.Languages))
	for i, l := range s.Languages {
		codes[i] = l.Lang
	}
	fmt.Fprintf(&b, "%s: %s, shown in %s\n", flow.Visible(s.File), texts(s.Texts), strings.Join(codes, ", "))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, l := range s.Languages {
		digits := len(strconv.Itoa(l.Total()))
		fmt.Fprintf(tw, "  %s\t%s\t%*d of %d", l.Lang, flow.LanguageName(l.Lang), digits, l.Translated, l.Total())
		if l.Missing > 0 {
			fmt.Fprintf(tw, "\t%d missing", l.Missing)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if s.PlainTexts > 0 {
		fmt.Fprintf(&b, "%d plain strings count as %s; other languages make them {language: text} objects\n", s.PlainTexts, s.FlowLanguage)
	}
	if s.OperatorTexts > 0 {
		fmt.Fprintf(&b, "%d texts of operator questionnaires are not counted: operators read them in their own language\n", s.OperatorTexts)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func texts(n int) string {
	if n == 1 {
		return "1 text"
	}
	return strconv.Itoa(n) + " texts"
}

// Summary says what an export holds: "9 texts from Russian, 2 missing in
// English" (missing: without a translation in the file's target language).
func (f File) Summary() string {
	missing := 0
	for _, u := range f.Units {
		if blank(u.Target) {
			missing++
		}
	}
	return fmt.Sprintf("%s from %s, %d missing in %s", texts(len(f.Units)), flow.LanguageName(f.SourceLang), missing, flow.LanguageName(f.TargetLang))
}

// WriteStatusJSON writes the status as JSON, safe to show on a terminal.
func WriteStatusJSON(w io.Writer, s Status) error {
	if s.Languages == nil {
		s.Languages = []flow.LangCount{}
	}
	return flow.WriteJSON(w, s)
}

// WriteReport writes what an import did with each unit for people: a
// summary line, then one line per unit needing attention. Units without a
// translation are only counted: a partly translated file is normal.
func WriteReport(w io.Writer, file string, im Imported) error {
	var b strings.Builder
	rep := im.Report
	name := flow.Visible(file)
	fmt.Fprintf(&b, "%s: %d of %d translations into %s applied", name, rep.Count(Applied), len(rep.Results), flow.LanguageName(im.File.TargetLang))
	var parts []string
	for _, o := range []Outcome{Unchanged, EmptyTarget, Fuzzy, SourceChanged, UnknownID, Duplicate, Refused} {
		if n := rep.Count(o); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, outcomeLabel(o)))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	for _, r := range rep.NotApplied() {
		if r.Outcome == EmptyTarget && r.Unit.Target == "" {
			continue // a blank one is listed: someone typed it
		}
		where := name
		if r.Unit.Line > 0 {
			where += fmt.Sprintf(":%d", r.Unit.Line)
		}
		fmt.Fprintf(&b, "%s: %s: not applied: %s\n", where, flow.Visible(r.Unit.ID), flow.Visible(r.Detail))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func outcomeLabel(o Outcome) string {
	switch o {
	case Unchanged:
		return "already in the flow"
	case EmptyTarget:
		return "not translated"
	case Fuzzy:
		return "marked fuzzy"
	case SourceChanged:
		return "whose source changed"
	case UnknownID:
		return "unknown"
	case Duplicate:
		return "repeated"
	case Refused:
		return "refused"
	}
	return string(o)
}
