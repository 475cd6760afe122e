package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// FileReport is the outcome of validating one file.
type FileReport struct {
	File        string           `json:"file"`
	Valid       bool             `json:"valid"`
	Error       string           `json:"error,omitempty"` // the file could not be read
	Diagnostics flow.Diagnostics `json:"diagnostics"`
	// Hidden are the diagnostics AtLeast left out: still counted, and
	// still the reason a file is invalid, only not listed.
	Hidden flow.Diagnostics `json:"-"`
}

// NewFileReport judges a file's diagnostics; with strict, warnings fail too.
func NewFileReport(file string, diags flow.Diagnostics, strict bool) FileReport {
	if diags == nil {
		diags = flow.Diagnostics{}
	}
	valid := !diags.HasErrors() && (!strict || diags.Count(flow.SevWarning) == 0)
	return FileReport{File: file, Valid: valid, Diagnostics: diags}
}

// WriteJSONReport writes {"files":[...]}, the stable machine format.
func WriteJSONReport(w io.Writer, files []FileReport) error {
	if files == nil {
		files = []FileReport{}
	}
	if err := flow.WriteJSON(w, struct {
		Files []FileReport `json:"files"`
	}{files}); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// ANSI colours for the text report; used only on a terminal without NO_COLOR.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func severityColor(s flow.Severity) string {
	switch s {
	case flow.SevError:
		return ansiRed
	case flow.SevWarning:
		return ansiYellow
	}
	return ansiCyan
}

// AtLeast returns the report without the diagnostics below severity min
// (its validity is unchanged: it was judged on all of them).
func (r FileReport) AtLeast(min flow.Severity) FileReport {
	kept := flow.Diagnostics{}
	hidden := slices.Clone(r.Hidden)
	for _, d := range r.Diagnostics {
		if d.Severity.AtLeast(min) {
			kept = append(kept, d)
		} else {
			hidden = append(hidden, d)
		}
	}
	r.Diagnostics, r.Hidden = kept, hidden
	return r
}

// hiddenReason says why an invalid file lists nothing that fails it, "2
// warnings hidden", or "" when what it lists is reason enough (an error),
// when it is valid, or when nothing is hidden.
func (r FileReport) hiddenReason() string {
	if r.Valid || r.Error != "" || len(r.Hidden) == 0 || r.Diagnostics.HasErrors() {
		return ""
	}
	return SeverityCounts(r.Hidden) + " hidden"
}

// byPosition returns diagnostics in the order they stand in their file,
// by line and column; those without a position follow in their order.
func byPosition(ds flow.Diagnostics) flow.Diagnostics {
	out := slices.Clone(ds)
	slices.SortStableFunc(out, func(a, b flow.Diagnostic) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out
}

// countHidden is "3 warnings", "3 warnings hidden" when every one is, or
// "3 warnings, 1 hidden".
func countHidden(shown, hidden int, word string) string {
	s := plural(shown+hidden, word)
	switch {
	case hidden == 0:
	case shown == 0:
		s += " hidden"
	default:
		s += ", " + strconv.Itoa(hidden) + " hidden"
	}
	return s
}

// WriteTextReport writes one line per diagnostic, compiler style so that
// editors and terminals jump to it: `file:line:column: path: severity
// code: message` (the path is left out when it is the whole document; the
// line and column when not known, as in `file:path: ...`), in the order
// they stand in the file, and a summary line counting every diagnostic,
// those AtLeast hid too ("3 warnings hidden"). An invalid file whose
// reasons are all hidden says so in a line of its own.
func WriteTextReport(w io.Writer, files []FileReport, color bool) error {
	var b strings.Builder
	var shown, hidden flow.Diagnostics
	invalid := 0
	for _, f := range files {
		if !f.Valid {
			invalid++
		}
		if f.Error != "" {
			fmt.Fprintf(&b, "%s: cannot read: %s\n", flow.Visible(f.File), flow.Visible(f.Error))
			continue
		}
		for _, d := range byPosition(f.Diagnostics) {
			writeTextLine(&b, f.File, d, color)
		}
		if why := f.hiddenReason(); why != "" {
			fmt.Fprintf(&b, "%s: invalid; %s\n", flow.Visible(f.File), why)
		}
		shown = append(shown, f.Diagnostics...)
		hidden = append(hidden, f.Hidden...)
	}
	var counts []string
	for _, sev := range []flow.Severity{flow.SevError, flow.SevWarning, flow.SevInfo} {
		counts = append(counts, countHidden(shown.Count(sev), hidden.Count(sev), string(sev)))
	}
	fmt.Fprintf(&b, "%s: %d valid, %d invalid (%s)\n",
		plural(len(files), "file"), len(files)-invalid, invalid, strings.Join(counts, ", "))
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTextLine writes one diagnostic of file as the text report does.
func writeTextLine(b *strings.Builder, file string, d flow.Diagnostic, color bool) {
	loc := flow.Visible(file)
	if d.Line > 0 {
		loc += ":" + strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Column) + ":"
		if d.Path != "" {
			loc += " " + flow.Visible(d.Path)
		}
	} else if d.Path != "" {
		loc += ":" + flow.Visible(d.Path)
	}
	loc = strings.TrimSuffix(loc, ":")
	sev := string(d.Severity)
	if color {
		sev = severityColor(d.Severity) + ansiBold + sev + ansiReset
	}
	fmt.Fprintf(b, "%s: %s %s: %s\n", loc, sev, flow.Visible(d.Code), flow.Visible(d.Message))
}

// WriteProblems writes a file's diagnostics in the text report's lines,
// without its summary, for a command that refuses a config with errors:
// errors first, then warnings and infos, each in the order they stand in
// the file. Color as for WriteTextReport.
func WriteProblems(w io.Writer, file string, diags flow.Diagnostics, color bool) error {
	var b strings.Builder
	inFile := byPosition(diags)
	for _, sev := range []flow.Severity{flow.SevError, flow.SevWarning, flow.SevInfo} {
		for _, d := range inFile {
			if d.Severity == sev {
				writeTextLine(&b, file, d, color)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
