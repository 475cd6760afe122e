package i18n

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/identoflow/identoflow/flow"
)

// CSV (RFC 4180: comma-separated, CRLF line ends, UTF-8) with a header
// row naming the columns, so a spreadsheet can reorder them:
//
//	id,context,source:en,target:ru,source_hash
//
// The languages are in the source and target columns' names. Columns the
// reader does not know (a translator's notes) are ignored.
//
// CSV has no escapes of its own, and a CSV file is often printed or
// piped: a character a terminal would act on (flow.Unsafe, but for line
// ends and tabs, which quoting keeps) is written as \uXXXX, and so is a
// backslash that would otherwise read as the start of such an escape. The
// reader undoes both, so the round trip stays lossless.

const (
	csvID     = "id"
	csvWhere  = "context"
	csvHash   = "source_hash"
	csvSource = "source:"
	csvTarget = "target:"
)

func writeCSV(w io.Writer, f File) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true
	rows := [][]string{{csvID, csvWhere, csvSource + f.SourceLang, csvTarget + f.TargetLang, csvHash}}
	for _, u := range f.Units {
		rows = append(rows, []string{csvEscape(u.ID), csvEscape(u.Where), csvEscape(u.Source), csvEscape(u.Target), u.Hash})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func readCSV(data []byte) (File, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))) // spreadsheets add a byte-order mark
	r.FieldsPerRecord = -1                                                        // a spreadsheet may drop empty cells at a row's end
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return File{}, errors.New("the CSV file is empty; it needs a header row (id, source:LANG, target:LANG, ...)")
	}
	if err != nil {
		return File{}, csvError(err)
	}
	var f File
	col := map[string]int{}
	for i, name := range header {
		name = strings.TrimSpace(name)
		key := name
		switch {
		case strings.HasPrefix(name, csvSource):
			key, f.SourceLang = csvSource, strings.TrimPrefix(name, csvSource)
		case strings.HasPrefix(name, csvTarget):
			key, f.TargetLang = csvTarget, strings.TrimPrefix(name, csvTarget)
		}
		if _, dup := col[key]; dup {
			return File{}, fmt.Errorf("line 1: the header names column %q twice", flow.Visible(name))
		}
		col[key] = i
	}
	for _, need := range []string{csvID, csvSource, csvTarget} {
		if _, ok := col[need]; !ok {
			label := need
			if strings.HasSuffix(need, ":") {
				label += "LANG"
			}
			return File{}, fmt.Errorf("line 1: the header has no %q column; it needs id, source:LANG and target:LANG", label)
		}
	}
	cell := func(rec []string, key string) string {
		if i, ok := col[key]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return File{}, csvError(err)
		}
		line, _ := r.FieldPos(0)
		u := Unit{ID: strings.TrimSpace(csvUnescape(cell(rec, csvID))), Where: csvUnescape(cell(rec, csvWhere)), Source: csvUnescape(cell(rec, csvSource)),
			Target: csvUnescape(cell(rec, csvTarget)), Hash: strings.TrimSpace(cell(rec, csvHash)), Line: line}
		if !validText(u.ID + u.Source + u.Target) {
			return File{}, fmt.Errorf("line %d: the text is not UTF-8; save the file as CSV UTF-8", line)
		}
		if u == (Unit{Line: line}) {
			continue // a blank row of a spreadsheet
		}
		f.Units = append(f.Units, u)
	}
}

func csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	if pe.StartLine > 0 && pe.StartLine < pe.Line {
		// A quoted cell runs on over line breaks until its closing quote:
		// where the reader gave up can be far from the quote left open.
		hint := ""
		if errors.Is(pe.Err, csv.ErrQuote) {
			hint = "; is a quote in that row not closed?"
		}
		return fmt.Errorf("the row that starts on line %d (read up to line %d, column %d): %w%s", pe.StartLine, pe.Line, pe.Column, pe.Err, hint)
	}
	return fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)
}

// csvEscaped reports whether r is written as \uXXXX in a CSV cell.
func csvEscaped(r rune) bool {
	return r == '\\' || (flow.Unsafe(r) && r != '\n' && r != '\r' && r != '\t')
}

// csvEscapeAt reports whether s[i:] starts with an escape csvUnescape
// reads, and the character it stands for.
func csvEscapeAt(s string, i int) (rune, bool) {
	if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
	if err != nil || strings.ContainsAny(s[i+2:i+6], "+-_") || !csvEscaped(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// csvEscape writes what a terminal would act on as \uXXXX (see above).
// Everything else, bytes that are not UTF-8 included, is kept as it is.
func csvEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		escape := csvEscaped(r) && r != '\\'
		if r == '\\' {
			_, escape = csvEscapeAt(s, i) // a backslash that would read as an escape
		}
		if escape && !(r == utf8.RuneError && size == 1) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// csvUnescape reads back what csvEscape wrote.
func csvUnescape(s string) string {
	if !strings.Contains(s, "\\u") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if r, ok := csvEscapeAt(s, i); ok {
			b.WriteRune(r)
			i += 6
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
