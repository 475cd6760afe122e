package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
)

// DiffReport is a comparison to print: the two files and what changed.
type DiffReport struct {
	Old, New DiffSide
	Result   diff.Result
}

// DiffSide is one file of a comparison.
type DiffSide struct {
	File    string // as named on the command line, or the path git gives
	Missing bool   // no file on this side: added or deleted (git's /dev/null)
}

// title names the comparison: "a.json → b.json", or the one path when
// both sides are versions of the same file (git), with "(new file)" or
// "(deleted)" when a side is missing.
func (r DiffReport) title(name func(string) string) string {
	switch {
	case r.Old.Missing && !r.New.Missing:
		return name(r.New.File) + " (new file)"
	case r.New.Missing && !r.Old.Missing:
		return name(r.Old.File) + " (deleted)"
	case r.Old.File == r.New.File:
		return name(r.New.File)
	}
	return name(r.Old.File) + " → " + name(r.New.File)
}

// DiffSummary says what a comparison amounts to: "3 changes; introduces
// 1 error; fixes 2 warnings", or "no semantic differences".
func DiffSummary(r diff.Result) string {
	if r.Same() {
		return "no semantic differences"
	}
	s := plural(len(r.Changes), "change")
	if c := SeverityCounts(r.AllIntroduced()); c != "" {
		s += "; introduces " + c
	}
	if c := SeverityCounts(r.AllFixed()); c != "" {
		s += "; fixes " + c
	}
	return s
}

// SeverityCounts is "1 error, 2 warnings", leaving out the zeros ("" for
// none).
func SeverityCounts(ds flow.Diagnostics) string {
	var parts []string
	for _, s := range []flow.Severity{flow.SevError, flow.SevWarning, flow.SevInfo} {
		if n := ds.Count(s); n > 0 {
			parts = append(parts, plural(n, string(s)))
		}
	}
	return strings.Join(parts, ", ")
}

// quoted shows an untrusted key in quotes, escaped for a terminal.
func quoted(s string) string {
	return `"` + strings.ReplaceAll(flow.Visible(s), `"`, `\"`) + `"`
}

// phraseText renders a change's phrase as plain text (names quoted,
// everything from the config escaped).
func phraseText(c diff.Change) string { return DiffPhrase(c, nil) }

// DiffPhrase renders a change's phrase on one line: names quoted, every
// span from the config escaped for a terminal, each span then handed with
// its kind to paint (nil: left as it is) so that a display can style it.
func DiffPhrase(c diff.Change, paint func(kind diff.SpanKind, text string) string) string {
	var b strings.Builder
	for _, s := range c.Phrase() {
		text := s.Text
		switch s.Kind {
		case diff.Name:
			text = quoted(s.Text)
		case diff.Plain:
		default:
			text = flow.Visible(s.Text)
		}
		if paint != nil {
			text = paint(s.Kind, text)
		}
		b.WriteString(text)
	}
	return b.String()
}

// DiffMark is the sign a change is listed with: + added, - removed, ~ the
// rest.
func DiffMark(k diff.Kind) string { return kindMark[k] }

var kindColor = map[diff.Kind]string{diff.Added: "\x1b[32m", diff.Removed: ansiRed, diff.Changed: ansiYellow, diff.Moved: ansiCyan, diff.Renamed: ansiCyan}

var kindMark = map[diff.Kind]string{diff.Added: "+", diff.Removed: "-", diff.Changed: "~", diff.Moved: "~", diff.Renamed: "~"}

// WriteDiffText writes the comparison for a person: a summary line, then
// one line per change with the problems it introduces or fixes under it.
// Colours only with color.
func WriteDiffText(w io.Writer, r DiffReport, color bool) error {
	var b strings.Builder
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	fmt.Fprintf(&b, "%s: %s\n", paint(ansiBold, r.title(flow.Visible)), DiffSummary(r.Result))
	diagLine := func(verb string, d flow.Diagnostic, file string) {
		sev := string(d.Severity)
		if verb == "fixes" {
			sev = paint("\x1b[32m", sev)
		} else {
			sev = paint(severityColor(d.Severity), sev)
		}
		at := flow.Visible(d.Path)
		if d.Line > 0 {
			at = fmt.Sprintf("%s:%d:%d %s", flow.Visible(file), d.Line, d.Column, at)
		}
		fmt.Fprintf(&b, "      %s %s %s at %s: %s\n", verb, sev, flow.Visible(d.Code), strings.TrimSpace(at), flow.Visible(d.Message))
	}
	// Fixed problems are placed in the old file; when both sides have one
	// name (git), "old" says which version the position is in.
	oldFile := r.Old.File
	if oldFile == r.New.File {
		oldFile = "old " + oldFile
	}
	diags := func(in, fixed flow.Diagnostics) {
		for _, d := range in {
			diagLine("introduces", d, r.New.File)
		}
		for _, d := range fixed {
			diagLine("fixes", d, oldFile)
		}
	}
	for _, c := range r.Result.Changes {
		fmt.Fprintf(&b, "  %s %s\n", paint(kindColor[c.Kind], DiffMark(c.Kind)), phraseText(c))
		diags(c.Introduced, c.Fixed)
	}
	if len(r.Result.Introduced)+len(r.Result.Fixed) > 0 {
		fmt.Fprintf(&b, "  %s\n", paint(ansiBold, "diagnostics no single change accounts for:"))
		diags(r.Result.Introduced, r.Result.Fixed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The JSON form of a comparison (documented in README.md; stable).
type (
	diffJSON struct {
		Old        diffSideJSON     `json:"old"`
		New        diffSideJSON     `json:"new"`
		Same       bool             `json:"same"`
		Summary    diffSummaryJSON  `json:"summary"`
		Changes    []diffChangeJSON `json:"changes"`
		Introduces flow.Diagnostics `json:"introduces"`
		Fixes      flow.Diagnostics `json:"fixes"`
	}
	diffSideJSON struct {
		File   string `json:"file"`
		Exists bool   `json:"exists"`
	}
	diffSummaryJSON struct {
		Changes    int             `json:"changes"`
		Introduced severityCounter `json:"introduced"`
		Fixed      severityCounter `json:"fixed"`
	}
	severityCounter struct {
		Error   int `json:"error"`
		Warning int `json:"warning"`
		Info    int `json:"info"`
	}
	diffChangeJSON struct {
		Kind        diff.Kind        `json:"kind"`
		Subject     diff.Subject     `json:"subject"`
		Description string           `json:"description"`
		Where       []diffLocJSON    `json:"where"`
		OldWhere    []diffLocJSON    `json:"old_where,omitempty"`
		Name        string           `json:"name,omitempty"`
		OldPath     string           `json:"old_path,omitempty"`
		NewPath     string           `json:"new_path,omitempty"`
		From        int              `json:"from,omitempty"`
		To          int              `json:"to,omitempty"`
		Old         json.RawMessage  `json:"old,omitempty"`
		New         json.RawMessage  `json:"new,omitempty"`
		Languages   *diffLangsJSON   `json:"languages,omitempty"`
		Introduces  flow.Diagnostics `json:"introduces"`
		Fixes       flow.Diagnostics `json:"fixes"`
	}
	diffLocJSON struct {
		Subject diff.Subject `json:"subject"`
		Key     string       `json:"key"`
	}
	diffLangsJSON struct {
		Added   []string `json:"added"`
		Removed []string `json:"removed"`
		Changed []string `json:"changed"`
		Missing []string `json:"missing"`
	}
)

func counter(ds flow.Diagnostics) severityCounter {
	return severityCounter{ds.Count(flow.SevError), ds.Count(flow.SevWarning), ds.Count(flow.SevInfo)}
}

func locs(ls []diff.Locator) []diffLocJSON {
	if ls == nil {
		return nil
	}
	out := make([]diffLocJSON, len(ls))
	for i, l := range ls {
		out[i] = diffLocJSON{l.Subject, l.Key}
	}
	return out
}

func rawValue(v *flow.Value) json.RawMessage {
	if v == nil {
		return nil
	}
	return flow.MarshalCompact(v)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// WriteDiffJSON writes the comparison as JSON for programs.
func WriteDiffJSON(w io.Writer, r DiffReport) error {
	res := r.Result
	out := diffJSON{
		Old:  diffSideJSON{r.Old.File, !r.Old.Missing},
		New:  diffSideJSON{r.New.File, !r.New.Missing},
		Same: res.Same(),
		Summary: diffSummaryJSON{Changes: len(res.Changes),
			Introduced: counter(res.AllIntroduced()), Fixed: counter(res.AllFixed())},
		Changes:    []diffChangeJSON{},
		Introduces: orEmpty(res.Introduced),
		Fixes:      orEmpty(res.Fixed),
	}
	for _, c := range res.Changes {
		j := diffChangeJSON{Kind: c.Kind, Subject: c.Subject, Description: phraseText(c),
			Where: orEmpty(locs(c.Where)), OldWhere: locs(c.OldWhere), Name: c.Name,
			OldPath: c.OldPath, NewPath: c.NewPath, From: c.From, To: c.To,
			Old: rawValue(c.Old), New: rawValue(c.New),
			Introduces: orEmpty(c.Introduced), Fixes: orEmpty(c.Fixed)}
		if t := c.Text; t != nil {
			j.Languages = &diffLangsJSON{orEmpty(t.Added), orEmpty(t.Removed), orEmpty(t.Changed), orEmpty(t.Missing)}
		}
		out.Changes = append(out.Changes, j)
	}
	if err := flow.WriteJSON(w, out); err != nil {
		return fmt.Errorf("writing the comparison: %w", err)
	}
	return nil
}

// mdCode shows untrusted text as a Markdown code span: nothing in it is
// markup, and a fence longer than any run of backticks inside keeps it
// closed.
func mdCode(s string) string {
	s = flow.Visible(s)
	fence, run := "`", 0
	for _, r := range s {
		if r == '`' {
			run++
			if run >= len(fence) {
				fence += "`"
			}
		} else {
			run = 0
		}
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || fence != "`" {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdText escapes untrusted prose for Markdown: punctuation that would be
// markup is backslash-escaped, and an @ cannot mention anyone.
var mdText = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"|", `\|`, "~", `\~`, "#", `\#`, "!", `\!`, "&", `\&`, "@", "@\u200b",
)

func phraseMarkdown(c diff.Change) string {
	var b strings.Builder
	for _, s := range c.Phrase() {
		if s.Kind == diff.Plain {
			b.WriteString(mdText.Replace(s.Text))
		} else {
			b.WriteString(mdCode(s.Text))
		}
	}
	return b.String()
}

// WriteDiffMarkdown writes the comparison as Markdown, for a pull-request
// comment: a heading, the summary, and a list of changes with the problems
// each introduces or fixes.
func WriteDiffMarkdown(w io.Writer, r DiffReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "#### identoflow diff: %s\n\n", r.title(mdCode))
	summary := DiffSummary(r.Result)
	fmt.Fprintf(&b, "%s%s.\n", strings.ToUpper(summary[:1]), summary[1:])
	diags := func(indent string, in, fixed flow.Diagnostics) {
		line := func(verb string, d flow.Diagnostic) {
			at := mdCode(d.Path)
			if d.Line > 0 {
				at += " (line " + strconv.Itoa(d.Line) + ")"
			}
			fmt.Fprintf(&b, "%s- %s **%s** %s at %s: %s\n", indent, verb, d.Severity, mdCode(d.Code), at, mdText.Replace(flow.Visible(d.Message)))
		}
		for _, d := range in {
			line("introduces", d)
		}
		for _, d := range fixed {
			line("fixes", d)
		}
	}
	if len(r.Result.Changes) > 0 {
		b.WriteString("\n")
	}
	for _, c := range r.Result.Changes {
		fmt.Fprintf(&b, "- %s\n", phraseMarkdown(c))
		diags("  ", c.Introduced, c.Fixed)
	}
	if len(r.Result.Introduced)+len(r.Result.Fixed) > 0 {
		b.WriteString("\nDiagnostics no single change accounts for:\n\n")
		diags("", r.Result.Introduced, r.Result.Fixed)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
