package i18n

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/identoflow/identoflow/flow"
)

// XLIFF 2.0 core: <xliff version="2.0" srcLang trgLang> → <file> → <unit>
// → <notes>, <segment> → <source>, <target>. A unit's id must be an XML
// NMTOKEN, which a JSON Pointer is not (it has '/'), so the id is the
// pointer with '.' for '/' and the pointer itself goes in the unit's name,
// where XLIFF keeps a resource's original identifier. The source hash and
// the text's place travel as notes.

const (
	xliffNS       = "urn:oasis:names:tc:xliff:document:2.0"
	noteWhere     = "location"
	noteHash      = "source-hash"
	xliffFileID   = "f1"
	xliff12Prefix = "urn:oasis:names:tc:xliff:document:1."
)

// unitID turns a text's pointer into an NMTOKEN: the pointers of texts are
// made of member names and indexes, so '.' for '/' can be undone.
func unitID(pointer string) string {
	return strings.ReplaceAll(strings.TrimPrefix(pointer, "/"), "/", ".")
}

// pointerOfUnitID undoes unitID.
func pointerOfUnitID(id string) string { return "/" + strings.ReplaceAll(id, ".", "/") }

// writeXLIFF writes f as an XLIFF 2.0 document.
func writeXLIFF(w io.Writer, f File) error {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<xliff xmlns="` + xliffNS + `" version="2.0" srcLang="`)
	xmlAttr(&b, f.SourceLang)
	b.WriteString(`" trgLang="`)
	xmlAttr(&b, f.TargetLang)
	b.WriteString("\">\n")
	b.WriteString(`  <file id="` + xliffFileID + `"`)
	if f.Original != "" {
		b.WriteString(` original="`)
		xmlAttr(&b, f.Original)
		b.WriteString(`"`)
	}
	b.WriteString(">\n")
	for _, u := range f.Units {
		b.WriteString(`    <unit id="`)
		xmlAttr(&b, unitID(u.ID))
		b.WriteString(`" name="`)
		xmlAttr(&b, u.ID)
		b.WriteString("\" canResegment=\"no\" xml:space=\"preserve\">\n      <notes>\n")
		if u.Where != "" {
			b.WriteString(`        <note category="` + noteWhere + `">`)
			xmlText(&b, flow.Visible(u.Where), false)
			b.WriteString("</note>\n")
		}
		b.WriteString(`        <note category="` + noteHash + `">`)
		xmlText(&b, u.Hash, false)
		b.WriteString("</note>\n      </notes>\n")
		if u.Target == "" {
			b.WriteString("      <segment>\n        <source>")
		} else {
			b.WriteString("      <segment state=\"translated\">\n        <source>")
		}
		xmlText(&b, u.Source, true)
		b.WriteString("</source>\n")
		if u.Target != "" {
			b.WriteString("        <target>")
			xmlText(&b, u.Target, true)
			b.WriteString("</target>\n")
		}
		b.WriteString("      </segment>\n    </unit>\n")
	}
	if len(f.Units) == 0 {
		// A <file> holds at least one unit or group; a group may be empty.
		b.WriteString("    <group id=\"empty\"/>\n")
	}
	b.WriteString("  </file>\n</xliff>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// xmlText writes s as element content. Characters XML cannot hold (most C0
// controls, U+FFFE, U+FFFF, lone surrogates) become XLIFF's <cp hex="…"/>
// where inline codes are allowed, else U+FFFD. Tabs, carriage returns,
// DEL, C1 controls and bidirectional controls become character references:
// the same text to an XML reader, and nothing a terminal acts on.
func xmlText(b *bytes.Buffer, s string, inline bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			if sr, ok := loneSurrogate(s, i); ok {
				writeCP(b, sr, inline)
				i += 3
				continue
			}
			writeCP(b, utf8.RuneError, inline) // not produced by flow: its texts are valid UTF-8
			i++
			continue
		}
		i += size
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\n':
			b.WriteRune(r)
		case !xmlChar(r):
			writeCP(b, r, inline)
		case flow.Unsafe(r):
			fmt.Fprintf(b, "&#x%X;", r)
		default:
			b.WriteRune(r)
		}
	}
}

func writeCP(b *bytes.Buffer, r rune, inline bool) {
	if inline {
		fmt.Fprintf(b, `<cp hex="%04X"/>`, r)
		return
	}
	b.WriteRune(utf8.RuneError)
}

// xmlAttr writes s as an attribute value (between double quotes).
func xmlAttr(b *bytes.Buffer, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		case r < 0x20 || flow.Unsafe(r):
			fmt.Fprintf(b, "&#x%X;", r)
		default:
			b.WriteRune(r)
		}
	}
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// loneSurrogate recognizes the three-byte form flow keeps a lone UTF-16
// surrogate from a \u escape in (see flow's JSON reader).
func loneSurrogate(s string, i int) (rune, bool) {
	if i+2 >= len(s) || s[i] != 0xED || s[i+1] < 0xA0 || s[i+1] > 0xBF || s[i+2] < 0x80 || s[i+2] > 0xBF {
		return 0, false
	}
	return 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), true
}

// appendCodePoint appends r as flow keeps it: UTF-8, or the three-byte form
// of a lone surrogate.
func appendCodePoint(b []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

// xliffReader reads an XLIFF 2 document, keeping track of lines for
// messages.
type xliffReader struct {
	dec *xml.Decoder
}

func (x *xliffReader) line() int {
	line, _ := x.dec.InputPos()
	return line
}

func (x *xliffReader) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...))
}

// token returns the next token, turning the decoder's errors into ones
// with a line number.
func (x *xliffReader) token() (xml.Token, error) {
	tok, err := x.dec.Token()
	if err == nil {
		return tok, nil
	}
	if errors.Is(err, io.EOF) {
		return nil, x.errorf(x.line(), "the document ends early")
	}
	return nil, x.wrap(err)
}

// wrap gives a decoder's error a line number.
func (x *xliffReader) wrap(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: not well-formed XML: %s", se.Line, flow.Visible(se.Msg))
	}
	return fmt.Errorf("line %d: %s", x.line(), flow.Visible(err.Error()))
}

func readXLIFF(data []byte) (File, error) {
	x := &xliffReader{dec: xml.NewDecoder(bytes.NewReader(data))}
	x.dec.Strict = true
	var root xml.StartElement
	for {
		tok, err := x.dec.Token()
		if errors.Is(err, io.EOF) {
			return File{}, errors.New("no XML element in the file: not an XLIFF document")
		}
		if err != nil {
			return File{}, x.wrap(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	line := x.line()
	switch {
	case root.Name.Local != "xliff":
		return File{}, x.errorf(line, "the document is <%s>, not an XLIFF document (<xliff>)", flow.Visible(root.Name.Local))
	case strings.HasPrefix(root.Name.Space, xliff12Prefix) || strings.HasPrefix(attr(root, "version"), "1."):
		return File{}, x.errorf(line, "this is XLIFF %s; identoflow reads XLIFF 2.0 (export the file again, or save it from the CAT tool as XLIFF 2)", flow.Visible(attr(root, "version")))
	case root.Name.Space != xliffNS:
		return File{}, x.errorf(line, "the <xliff> element is not in the XLIFF 2 namespace %s", xliffNS)
	case !strings.HasPrefix(attr(root, "version"), "2."):
		return File{}, x.errorf(line, "the XLIFF version is %q; identoflow reads 2.x", flow.Visible(attr(root, "version")))
	}
	f := File{SourceLang: attr(root, "srcLang"), TargetLang: attr(root, "trgLang")}
	if f.SourceLang == "" {
		return File{}, x.errorf(line, "<xliff> has no srcLang")
	}
	if f.TargetLang == "" {
		return File{}, x.errorf(line, "<xliff> has no trgLang: the file does not say which language it translates into")
	}
	err := x.children(func(el xml.StartElement) error {
		if el.Name.Space != xliffNS || el.Name.Local != "file" {
			return x.dec.Skip()
		}
		if f.Original == "" {
			f.Original = attr(el, "original")
		}
		return x.container(&f)
	})
	return f, err
}

// children calls fn for each child element of the element just started,
// up to its end; fn must consume the child whole.
func (x *xliffReader) children(fn func(xml.StartElement) error) error {
	for {
		tok, err := x.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// container reads the units of a <file> or <group>.
func (x *xliffReader) container(f *File) error {
	return x.children(func(el xml.StartElement) error {
		if el.Name.Space != xliffNS {
			return x.dec.Skip()
		}
		switch el.Name.Local {
		case "group":
			return x.container(f)
		case "unit":
			u, err := x.unit(el)
			if err != nil {
				return err
			}
			f.Units = append(f.Units, u)
			return nil
		}
		return x.dec.Skip()
	})
}

func (x *xliffReader) unit(el xml.StartElement) (Unit, error) {
	u := Unit{Line: x.line()}
	switch name, id := attr(el, "name"), attr(el, "id"); {
	case name != "":
		u.ID = name
	case id != "":
		u.ID = pointerOfUnitID(id)
	default:
		return Unit{}, x.errorf(u.Line, "the <unit> has neither a name nor an id")
	}
	var source, target strings.Builder
	err := x.children(func(el xml.StartElement) error {
		if el.Name.Space != xliffNS {
			return x.dec.Skip()
		}
		switch el.Name.Local {
		case "notes":
			return x.children(func(note xml.StartElement) error {
				if note.Name.Space != xliffNS || note.Name.Local != "note" {
					return x.dec.Skip()
				}
				text, err := x.inline(false)
				switch attr(note, "category") {
				case noteHash:
					u.Hash = strings.TrimSpace(text)
				case noteWhere:
					u.Where = text
				}
				return err
			})
		case "segment", "ignorable":
			return x.children(func(part xml.StartElement) error {
				if part.Name.Space != xliffNS {
					return x.dec.Skip()
				}
				var text string
				var err error
				switch part.Name.Local {
				case "source":
					text, err = x.inline(true)
					source.WriteString(text)
				case "target":
					text, err = x.inline(true)
					target.WriteString(text)
				default:
					err = x.dec.Skip()
				}
				return err
			})
		}
		return x.dec.Skip()
	})
	u.Source, u.Target = source.String(), target.String()
	return u, err
}

// inline reads the text of the element just started up to its end. With
// inline codes allowed, <cp hex="…"/> stands for the code point it names
// and the text inside other inline elements (<mrk>, <pc>) is kept.
func (x *xliffReader) inline(codes bool) (string, error) {
	var b []byte
	var walk func() error
	walk = func() error {
		for {
			tok, err := x.token()
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.CharData:
				b = append(b, t...)
			case xml.StartElement:
				if codes && t.Name.Local == "cp" {
					n, err := strconv.ParseUint(attr(t, "hex"), 16, 32)
					if err != nil || n > utf8.MaxRune {
						return x.errorf(x.line(), "<cp hex=%q> is not a code point", flow.Visible(attr(t, "hex")))
					}
					b = appendCodePoint(b, rune(n))
				}
				if err := walk(); err != nil {
					return err
				}
			case xml.EndElement:
				return nil
			}
		}
	}
	err := walk()
	return string(b), err
}

func attr(el xml.StartElement, local string) string {
	for _, a := range el.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}
