package sandbox

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/identoflow/identoflow/flow"
)

// The sandbox's own words (buttons, labels, headings, notes, the messages
// of its checks) live in assets/words.tsv: a header row of language codes,
// English first, then one row per text, its English first. The code names
// a text by its English, so a page in a language the table lacks reads as
// before, in English, and says so once at its top.

//go:embed assets/words.tsv
var wordsFile string

// wordTable is words.tsv read.
type wordTable struct {
	langs []string            // the languages after English, in column order
	rows  map[string][]string // English → its texts, in langs' order
}

// parseWords reads a words table: tab-separated, no quoting, lines
// starting with # are comments. Every row has every column; a text is
// given once.
func parseWords(text string) (*wordTable, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.Comment = '\t', '#'
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("words table header: %w", err)
	}
	if len(header) < 1 || header[0] != "en" {
		return nil, errors.New("words table: the first column must be en")
	}
	t := &wordTable{langs: header[1:], rows: map[string][]string{}}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("words table: %w", err)
		}
		if _, dup := t.rows[rec[0]]; dup {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("words table line %d: %q is given twice", line, rec[0])
		}
		t.rows[rec[0]] = rec[1:]
	}
}

// sandboxWords is the embedded table, read once on first use.
var sandboxWords = sync.OnceValue(func() *wordTable {
	t, err := parseWords(wordsFile)
	if err != nil {
		panic(err) // embedded at build time, and read by the tests
	}
	return t
})

// words are the sandbox's own words in one page's language. The zero
// value is English.
type words struct {
	lang string
	col  int // 1 + lang's column in the table; 0 when it has none
}

func wordsFor(lang string) words {
	return words{lang: lang, col: slices.Index(sandboxWords().langs, lang) + 1}
}

// T is the text whose English is english, in the page's language (in
// English where the table lacks it), with {1}, {2}, … replaced by args in
// one pass: an argument's own braces are left as they are.
func (w words) T(english string, args ...any) string {
	s := english
	if w.col > 0 {
		if row, ok := sandboxWords().rows[english]; ok {
			s = row[w.col-1]
		}
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(args))
	for i, a := range args {
		pairs = append(pairs, "{"+strconv.Itoa(i+1)+"}", fmt.Sprint(a))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// InEnglish reports whether the page is in a language the table lacks,
// so that the sandbox's own words on it are English.
func (w words) InEnglish() bool { return w.col == 0 && w.lang != "" && w.lang != "en" }

// EnglishNote is the one line that says so, in English.
func (w words) EnglishNote() string {
	return "The sandbox's own words on this page are in English: it has no " + flow.LanguageName(w.lang) + " translation."
}

// withWords hands a part of a page template its data and the page's words.
type withWords struct {
	W words
	V any
}

func pairWords(w words, v any) withWords { return withWords{W: w, V: v} }
