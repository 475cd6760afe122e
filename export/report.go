package export

import (
	"fmt"
	"io"
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
	for _, d := range r.Diagnostics {
		if d.Severity.AtLeast(min) {
			kept = append(kept, d)
		}
	}
	r.Diagnostics = kept
	return r
}

// WriteTextReport writes one line per diagnostic, compiler style so that
// editors and terminals jump to it: `file:line:column: path: severity
// code: message` (the path is left out when it is the whole document; the
// line and column when not known, as in `file:path: ...`), and a summary
// line.
func WriteTextReport(w io.Writer, files []FileReport, color bool) error {
	var b strings.Builder
	var nErr, nWarn, nInfo, invalid int
	for _, f := range files {
		if !f.Valid {
			invalid++
		}
		if f.Error != "" {
			fmt.Fprintf(&b, "%s: cannot read: %s\n", flow.Visible(f.File), flow.Visible(f.Error))
			continue
		}
		for _, d := range f.Diagnostics {
			loc := flow.Visible(f.File)
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
			fmt.Fprintf(&b, "%s: %s %s: %s\n", loc, sev, flow.Visible(d.Code), flow.Visible(d.Message))
		}
		nErr += f.Diagnostics.Count(flow.SevError)
		nWarn += f.Diagnostics.Count(flow.SevWarning)
		nInfo += f.Diagnostics.Count(flow.SevInfo)
	}
	fmt.Fprintf(&b, "%s: %d valid, %d invalid (%s, %s, %s)\n",
		plural(len(files), "file"), len(files)-invalid, invalid,
		plural(nErr, "error"), plural(nWarn, "warning"), plural(nInfo, "info"))
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
