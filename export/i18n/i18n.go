// Package i18n sends a flow's texts to translators and takes their work
// back, as XLIFF 2.0 (for CAT tools), gettext PO, or CSV (for spreadsheets).
//
// Each text travels as a unit: its ID (the text's JSON Pointer in the flow,
// see flow.LocalizedText), where it stands, the source text, the current
// translation if any, and a hash of the source text. On the way back the
// hash tells a text whose source changed since the export from one that did
// not, so a translation of an old wording is reported rather than applied.
package i18n

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Format is a translation file format.
type Format string

// The formats.
const (
	XLIFF Format = "xliff"
	PO    Format = "po"
	CSV   Format = "csv"
)

// Formats lists the formats in the order help texts name them.
func Formats() []Format { return []Format{XLIFF, PO, CSV} }

// ParseFormat reads a format name as a command line gives it.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "xliff", "xlf", "xliff2":
		return XLIFF, nil
	case "po", "gettext":
		return PO, nil
	case "csv":
		return CSV, nil
	}
	return "", fmt.Errorf("unknown format %q; use xliff, po or csv", s)
}

// Extension is the file name extension files of the format usually have.
func (f Format) Extension() string {
	if f == XLIFF {
		return ".xlf"
	}
	return "." + string(f)
}

// FormatOf tells a translation file's format from its name's extension or,
// failing that, from its first bytes.
func FormatOf(name string, data []byte) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlf", ".xliff", ".xlif", ".xml":
		return XLIFF, nil
	case ".po", ".pot":
		return PO, nil
	case ".csv":
		return CSV, nil
	}
	head := strings.TrimLeft(strings.TrimPrefix(string(data[:min(len(data), 4096)]), "\ufeff"), " \t\r\n")
	switch {
	case strings.HasPrefix(head, "<"):
		return XLIFF, nil
	case strings.HasPrefix(head, "#") || strings.HasPrefix(head, "msg"):
		return PO, nil
	case strings.HasPrefix(head, "id,") || strings.HasPrefix(head, `"id"`):
		return CSV, nil
	}
	return "", errors.New("cannot tell the format from the name or the contents; name the file .xlf, .po or .csv")
}

// Unit is one text as it travels to translators and back.
type Unit struct {
	ID     string // the text's JSON Pointer in the flow
	Where  string // the text's place, for the translator
	Source string // the text in the source language
	Target string // the translation; "" for none
	Hash   string // SourceHash of the source text at the export; "" when the file lost it
	Line   int    // where the unit starts in the file read; 0 when not read from a file
	Fuzzy  bool   // marked as needing review (PO's fuzzy flag): not applied
}

// File is the contents of a translation file.
type File struct {
	SourceLang string // language code of the source texts
	TargetLang string // language code of the translations
	Original   string // the flow file's name, for people
	Units      []Unit
}

// SourceHash is a short fingerprint of a source text: the first 64 bits
// of its SHA-256, in hex.
func SourceHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// ExportOptions choose what Extract takes.
type ExportOptions struct {
	Source, Target string // language codes; Source "" means the flow's language
	MissingOnly    bool   // only the texts without a Target text
	Original       string // the flow file's name, written into the file for people
}

// Extract builds the file to send to translators: every text of the flow
// that has a source text, in document order. It also returns the IDs of
// the texts left out because they have no text in the source language.
func Extract(c *flow.Config, opt ExportOptions) (File, []string, error) {
	src, trg := opt.Source, opt.Target
	if src == "" {
		src = c.Language()
	}
	if err := checkLanguages(src, trg); err != nil {
		return File{}, nil, err
	}
	texts := c.Texts()
	f := File{SourceLang: src, TargetLang: trg, Original: opt.Original, Units: make([]Unit, 0, len(texts))}
	var noSource []string
	for _, t := range texts {
		source, ok := t.Get(src)
		if !ok {
			noSource = append(noSource, t.ID)
			continue
		}
		target, _ := t.Get(trg)
		if blank(target) {
			target = "" // a text of only spaces is no translation: the translator sees it to do
		}
		if opt.MissingOnly && target != "" {
			continue
		}
		f.Units = append(f.Units, Unit{ID: t.ID, Where: t.Where(), Source: source, Target: target, Hash: SourceHash(source)})
	}
	return f, noSource, nil
}

func checkLanguages(src, trg string) error {
	langs := flow.Languages()
	for _, l := range []struct{ what, code string }{{"source", src}, {"target", trg}} {
		if l.code == "" {
			return fmt.Errorf("no %s language given", l.what)
		}
		if !slices.Contains(langs, l.code) {
			return fmt.Errorf("%q is not a language code; use one of %s", l.code, strings.Join(langs, " "))
		}
	}
	if src == trg {
		return fmt.Errorf("the source and target languages are both %q", src)
	}
	return nil
}

// Outcome is what became of one unit on import.
type Outcome string

// The outcomes. Only Applied changes the flow.
const (
	Applied       Outcome = "applied"        // the translation was written into the flow
	Unchanged     Outcome = "unchanged"      // the flow already says the same
	EmptyTarget   Outcome = "empty"          // no translation
	Fuzzy         Outcome = "fuzzy"          // marked as needing review
	UnknownID     Outcome = "unknown-id"     // the flow has no such text
	SourceChanged Outcome = "source-changed" // the source text is not the one translated
	Duplicate     Outcome = "duplicate"      // the ID came earlier in the file
	Refused       Outcome = "refused"        // the flow cannot take it (see Detail)
)

// Result is what became of one unit.
type Result struct {
	Unit    Unit
	Outcome Outcome
	Detail  string // why it was not applied, for people (holds text from the file: make it Visible)
}

// Report lists what became of each unit of an imported file, in file order.
type Report struct {
	Results []Result
}

// Count returns how many units had outcome o.
func (r Report) Count(o Outcome) int {
	n := 0
	for _, res := range r.Results {
		if res.Outcome == o {
			n++
		}
	}
	return n
}

// NotApplied returns the results that need a person's attention: every
// unit neither applied nor already in the flow.
func (r Report) NotApplied() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Outcome != Applied && res.Outcome != Unchanged {
			out = append(out, res)
		}
	}
	return out
}

// Apply writes the file's translations into the flow. A unit is applied
// only when its ID names a text of the flow, that text's source is still
// the one translated (by the hash, or the source text when the file lost
// the hash), and it holds a translation not marked fuzzy; the others are
// reported. A translation equal to the flow's text but for carriage
// returns (which XML and CSV readers normalise) counts as unchanged.
func Apply(c *flow.Config, f File) (Report, error) {
	src := f.SourceLang
	if src == "" {
		src = c.Language()
	}
	if f.TargetLang == "" {
		return Report{}, errors.New("the file does not say which language it translates into")
	}
	if err := checkLanguages(src, f.TargetLang); err != nil {
		return Report{}, fmt.Errorf("the file's languages: %w", err)
	}
	seen := make(map[string]int, len(f.Units)) // ID → line of its first unit
	rep := Report{Results: make([]Result, 0, len(f.Units))}
	for _, u := range f.Units {
		res := Result{Unit: u}
		res.Outcome, res.Detail = apply(c, u, src, f.TargetLang, seen)
		if _, dup := seen[u.ID]; !dup {
			seen[u.ID] = u.Line
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

func apply(c *flow.Config, u Unit, src, trg string, seen map[string]int) (Outcome, string) {
	if line, dup := seen[u.ID]; dup {
		where := "earlier in the file"
		if line > 0 {
			where = fmt.Sprintf("on line %d", line)
		}
		return Duplicate, fmt.Sprintf("the same ID came %s; only the first is used", where)
	}
	t, ok := c.TextAt(u.ID)
	if !ok {
		if u.ID == "" {
			return UnknownID, "the unit has no ID"
		}
		return UnknownID, "the flow has no text at this ID; was the file exported from another flow, or the flow changed since?"
	}
	source, _ := t.Get(src)
	switch {
	case u.Hash != "" && u.Hash != SourceHash(source),
		u.Hash == "" && !sameText(u.Source, source):
		if source == "" {
			return SourceChanged, fmt.Sprintf("the text has no %s source any more; export again", src)
		}
		return SourceChanged, fmt.Sprintf("the %s source changed since the export (it now reads %q); export again and translate the new wording", src, source)
	case u.Target == "":
		return EmptyTarget, "no translation"
	case blank(u.Target):
		return EmptyTarget, "the translation is blank (only spaces or line breaks); it counts as no translation"
	case u.Fuzzy:
		return Fuzzy, "marked fuzzy: review it and remove the mark to apply it"
	}
	if current, _ := t.Get(trg); sameText(current, u.Target) {
		return Unchanged, ""
	}
	if err := c.SetText(u.ID, trg, u.Target); err != nil {
		return Refused, err.Error()
	}
	return Applied, ""
}

// blank reports whether a text shows nothing: empty or only white space.
// A blank translation counts as none, wherever translations are counted.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// sameText compares texts but for carriage returns.
func sameText(a, b string) bool {
	return a == b || strings.ReplaceAll(a, "\r", "") == strings.ReplaceAll(b, "\r", "")
}

// Write writes f in format.
func Write(w io.Writer, f File, format Format) error {
	switch format {
	case XLIFF:
		return writeXLIFF(w, f)
	case PO:
		return writePO(w, f)
	case CSV:
		return writeCSV(w, f)
	}
	return fmt.Errorf("unknown format %q", format)
}

// Read reads a translation file in format. Malformed files are errors
// that name the line (and column, where the format gives one).
func Read(data []byte, format Format) (File, error) {
	switch format {
	case XLIFF:
		return readXLIFF(data)
	case PO:
		return readPO(data)
	case CSV:
		return readCSV(data)
	}
	return File{}, fmt.Errorf("unknown format %q", format)
}

// Imported is the outcome of Import.
type Imported struct {
	Flow        []byte // the flow as saved; the input itself, byte for byte, when nothing was applied
	File        File
	Report      Report
	Diagnostics flow.Diagnostics // the validator's findings on the result, placed in Flow
}

// Changed reports whether a translation was applied.
func (r Imported) Changed() bool { return r.Report.Count(Applied) > 0 }

// Import applies a translation file (in format) to a flow given as its
// file's bytes and validates the result. The flow is saved losslessly:
// only the translated texts change; a file that changes nothing gives the
// flow's bytes back as they were.
func Import(flowData, fileData []byte, format Format) (Imported, error) {
	c, err := flow.Parse(flowData)
	if err != nil {
		return Imported{}, fmt.Errorf("the flow: %w", err)
	}
	f, err := Read(fileData, format)
	if err != nil {
		return Imported{}, err
	}
	rep, err := Apply(c, f)
	if err != nil {
		return Imported{}, err
	}
	out := Imported{Flow: flowData, File: f, Report: rep}
	if out.Changed() {
		out.Flow = c.Bytes()
	}
	out.Diagnostics = flow.Validate(c)
	if len(out.Diagnostics) > 0 {
		// Positions in the flow as saved: its values, as read back.
		placed := c
		if out.Changed() {
			if placed, err = flow.Parse(out.Flow); err != nil {
				return Imported{}, fmt.Errorf("reading back the translated flow: %w", err)
			}
		}
		out.Diagnostics.Locate(out.Flow, placed)
	}
	return out, nil
}
