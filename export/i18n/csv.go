package i18n

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// CSV (RFC 4180: comma-separated, CRLF line ends, UTF-8) with a header
// row naming the columns, so a spreadsheet can reorder them:
//
//	id,context,source:en,target:ru,source_hash
//
// The languages are in the source and target columns' names. Columns the
// reader does not know (a translator's notes) are ignored.

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
		rows = append(rows, []string{u.ID, u.Where, u.Source, u.Target, u.Hash})
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
		u := Unit{ID: strings.TrimSpace(cell(rec, csvID)), Where: cell(rec, csvWhere), Source: cell(rec, csvSource),
			Target: cell(rec, csvTarget), Hash: strings.TrimSpace(cell(rec, csvHash)), Line: line}
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
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return err
}
