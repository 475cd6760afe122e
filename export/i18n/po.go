package i18n

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/identoflow/identoflow/flow"
)

// gettext PO: one entry per text, msgctxt the text's ID (so equal source
// texts stay separate entries), msgid the source, msgstr the translation;
// the text's place and the source hash are extracted comments (#.), which
// PO editors show and keep. The header's Language is the target language;
// X-Source-Language, the source.

const poHashPrefix = "source-hash: "

func writePO(w io.Writer, f File) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Texts of %s to translate from %s (%s) into %s (%s).\n", poComment(cmp.Or(f.Original, "a flow")),
		flow.LanguageName(f.SourceLang), f.SourceLang, flow.LanguageName(f.TargetLang), f.TargetLang)
	b.WriteString("# Each msgctxt is the text's place in the flow: leave it, and the source-hash comments, as they are.\n")
	b.WriteString("msgid \"\"\nmsgstr \"\"\n")
	for _, h := range [][2]string{
		{"Project-Id-Version", f.Original},
		{"PO-Revision-Date", ""},
		{"Last-Translator", ""},
		{"Language-Team", ""},
		{"Language", f.TargetLang},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=UTF-8"},
		{"Content-Transfer-Encoding", "8bit"},
		{"X-Source-Language", f.SourceLang},
		{"X-Generator", "identoflow"},
	} {
		b.WriteByte('"')
		poEscape(&b, h[0]+": "+h[1]+"\n")
		b.WriteString("\"\n")
	}
	for _, u := range f.Units {
		b.WriteByte('\n')
		if u.Where != "" {
			b.WriteString("#. " + poComment(u.Where) + "\n")
		}
		b.WriteString("#. " + poHashPrefix + poComment(u.Hash) + "\n")
		poField(&b, "msgctxt", u.ID)
		poField(&b, "msgid", u.Source)
		poField(&b, "msgstr", u.Target)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// poComment makes text safe for a one-line comment.
func poComment(s string) string { return flow.Visible(s) }

// poField writes `keyword "string"`; a string with line breaks inside is
// written as gettext does, one line per source line after an empty first
// string.
func poField(b *bytes.Buffer, keyword, s string) {
	b.WriteString(keyword)
	if i := strings.IndexByte(s, '\n'); i < 0 || i == len(s)-1 {
		b.WriteString(" \"")
		poEscape(b, s)
		b.WriteString("\"\n")
		return
	}
	b.WriteString(" \"\"\n")
	for s != "" {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line = s[:i+1]
		}
		s = s[len(line):]
		b.WriteByte('"')
		poEscape(b, line)
		b.WriteString("\"\n")
	}
}

// poEscape writes s with the C escapes gettext reads. Other control
// characters, DEL, C1 and bidirectional controls (as their UTF-8 bytes)
// and bytes that are not UTF-8 (flow's form of a lone surrogate) are
// written as octal escapes, so the file stays one line per line, is UTF-8,
// and shows nothing raw to a terminal.
func poEscape(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || flow.Unsafe(r) {
				for _, c := range []byte(s[i : i+size]) {
					fmt.Fprintf(b, `\%03o`, c)
				}
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size - 1
			continue
		}
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(b, `\%03o`, c)
				continue
			}
			b.WriteByte(c)
		}
	}
}

// poEntry is an entry being read.
type poEntry struct {
	line     int // of its first line
	comments []string
	flags    []string
	obsolete bool
	fields   map[string]*[]byte // keyword → value
	last     *[]byte            // the string a continuation line extends
}

func (e *poEntry) started() bool { return e.fields != nil }

func readPO(data []byte) (File, error) {
	var f File
	var headerSeen bool
	e := poEntry{}
	finish := func(endLine int) error {
		defer func() { e = poEntry{} }()
		if e.obsolete || !e.started() {
			return nil
		}
		for _, k := range []string{"msgid", "msgstr"} {
			if e.fields[k] == nil {
				return fmt.Errorf("line %d: the entry has no %s", e.line, k)
			}
		}
		for _, k := range []string{"msgctxt", "msgid", "msgstr"} {
			if v := e.fields[k]; v != nil && !validText(string(*v)) {
				return fmt.Errorf("line %d: the %s's escapes make text that is not UTF-8", e.line, k)
			}
		}
		ctx, id, str := e.fields["msgctxt"], string(*e.fields["msgid"]), string(*e.fields["msgstr"])
		if ctx == nil && id == "" {
			if headerSeen {
				return fmt.Errorf("line %d: a second header entry (msgid \"\")", e.line)
			}
			headerSeen = true
			return poHeader(&f, str, e.line)
		}
		u := Unit{Source: id, Target: str, Line: e.line}
		if ctx != nil {
			u.ID = string(*ctx)
		}
		for _, c := range e.comments {
			if h, ok := strings.CutPrefix(c, poHashPrefix); ok {
				u.Hash = strings.TrimSpace(h)
			} else if u.Where == "" {
				u.Where = c
			}
		}
		for _, fl := range e.flags {
			u.Fuzzy = u.Fuzzy || fl == "fuzzy"
		}
		f.Units = append(f.Units, u)
		return nil
	}
	lines := strings.Split(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\n")
	for n, raw := range lines {
		ln := n + 1
		line := strings.TrimSuffix(raw, "\r")
		if !utf8.ValidString(line) {
			return File{}, fmt.Errorf("line %d: the text is not UTF-8; save the file as UTF-8", ln)
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			if err := finish(ln); err != nil {
				return File{}, err
			}
		case strings.HasPrefix(trimmed, "#"):
			if e.started() && e.fields["msgstr"] != nil { // comments begin the next entry
				if err := finish(ln); err != nil {
					return File{}, err
				}
			}
			if e.line == 0 {
				e.line = ln
			}
			switch {
			case strings.HasPrefix(trimmed, "#~"):
				e.obsolete = true
			case strings.HasPrefix(trimmed, "#,"):
				for _, fl := range strings.Split(trimmed[2:], ",") {
					e.flags = append(e.flags, strings.TrimSpace(fl))
				}
			case strings.HasPrefix(trimmed, "#."):
				e.comments = append(e.comments, strings.TrimSpace(trimmed[2:]))
			}
		case strings.HasPrefix(trimmed, `"`):
			if e.last == nil {
				return File{}, fmt.Errorf("line %d: a string with no msgid, msgstr or msgctxt before it", ln)
			}
			s, err := poUnquote(trimmed)
			if err != nil {
				return File{}, fmt.Errorf("line %d: %w", ln, err)
			}
			*e.last = append(*e.last, s...)
		default:
			key, rest := trimmed, ""
			if i := strings.IndexAny(trimmed, " \t\""); i >= 0 {
				key, rest = trimmed[:i], strings.TrimSpace(trimmed[i:])
			}
			switch {
			case key == "msgctxt", key == "msgid", key == "msgstr":
			case key == "msgid_plural", strings.HasPrefix(key, "msgstr["):
				return File{}, fmt.Errorf("line %d: plural forms (%s) are not used by flow texts", ln, key)
			default:
				return File{}, fmt.Errorf("line %d: expected msgctxt, msgid, msgstr, a quoted string or a comment, found %q", ln, flow.Visible(trimmed[:min(len(trimmed), 40)]))
			}
			// A msgctxt or msgid after a complete entry begins the next one:
			// gettext does not need blank lines between entries.
			if (key == "msgctxt" || key == "msgid") && e.started() && e.fields["msgstr"] != nil {
				if err := finish(ln); err != nil {
					return File{}, err
				}
			}
			if e.fields == nil {
				e.fields = map[string]*[]byte{}
			}
			if e.line == 0 {
				e.line = ln
			}
			if e.fields[key] != nil {
				return File{}, fmt.Errorf("line %d: a second %s in one entry; separate entries with a blank line", ln, key)
			}
			s, err := poUnquote(rest)
			if err != nil {
				return File{}, fmt.Errorf("line %d: %s: %w", ln, key, err)
			}
			b := []byte(s)
			e.fields[key], e.last = &b, &b
		}
	}
	if err := finish(len(lines)); err != nil {
		return File{}, err
	}
	if !headerSeen && len(f.Units) == 0 {
		return File{}, errors.New("no PO entries in the file")
	}
	return f, nil
}

// validText reports whether s is UTF-8 but for flow's form of lone
// surrogates, which its JSON reader keeps from \u escapes.
func validText(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if _, ok := loneSurrogate(s, i); !ok {
				return false
			}
			size = 3
		}
		i += size
	}
	return true
}

// poHeader reads the header entry's fields.
func poHeader(f *File, header string, line int) error {
	for _, field := range strings.Split(header, "\n") {
		name, value, ok := strings.Cut(field, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "language":
			f.TargetLang = value
		case "x-source-language":
			f.SourceLang = value
		case "project-id-version":
			f.Original = value
		case "content-type":
			if _, cs, ok := strings.Cut(strings.ToLower(value), "charset="); ok && strings.TrimSpace(cs) != "utf-8" {
				return fmt.Errorf("line %d: the file declares charset %s; save it as UTF-8", line, flow.Visible(strings.TrimSpace(cs)))
			}
		}
	}
	return nil
}

// poUnquote reads one PO string literal, "...", with gettext's escapes.
func poUnquote(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' {
		return "", errors.New("expected a quoted string")
	}
	var b []byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			if rest := strings.TrimSpace(s[i+1:]); rest != "" {
				return "", fmt.Errorf("unexpected text after the closing quote: %q", flow.Visible(rest[:min(len(rest), 20)]))
			}
			return string(b), nil
		case '\\':
			if i+1 >= len(s) {
				return "", errors.New("the string ends in a lone backslash")
			}
			i++
			switch e := s[i]; e {
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			case 'r':
				b = append(b, '\r')
			case 'a':
				b = append(b, '\a')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'v':
				b = append(b, '\v')
			case '\\', '"', '\'', '?':
				b = append(b, e)
			case 'x':
				j := i + 1
				for j < len(s) && j < i+3 && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
					j++
				}
				if j == i+1 {
					return "", errors.New(`\x without hex digits`)
				}
				n, _ := strconv.ParseUint(s[i+1:j], 16, 8)
				b = append(b, byte(n))
				i = j - 1
			default:
				if e < '0' || e > '7' {
					return "", fmt.Errorf("unknown escape \\%s", flow.Visible(string(rune(e))))
				}
				j := i
				for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
					j++
				}
				n, _ := strconv.ParseUint(s[i:j], 8, 16)
				if n > 0xff {
					return "", fmt.Errorf("octal escape \\%s is more than a byte", s[i:j])
				}
				b = append(b, byte(n))
				i = j - 1
			}
		default:
			b = append(b, c)
		}
	}
	return "", errors.New("the string has no closing quote")
}
