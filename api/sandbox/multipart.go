package sandbox

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
)

// parseMultipart reads the parts in order. A part's value is its raw
// bytes between its headers and the next boundary, which is also what the
// chained signature covers.
func parseMultipart(body []byte, boundary string) ([]formField, [][]byte, error) {
	if boundary == "" {
		return nil, nil, badRequest("multipart Content-Type has no boundary")
	}
	parts, ok := splitMultipart(body, boundary)
	if !ok {
		var err error
		if parts, err = readMultipart(body, boundary); err != nil {
			return nil, nil, err
		}
	}
	fields := make([]formField, len(parts))
	values := make([][]byte, len(parts))
	for i, p := range parts {
		name := formName(p.disposition)
		if name == "" {
			return nil, nil, badRequest("multipart part %d has no form-data name", i+1)
		}
		fields[i] = formField{name: name, value: string(p.value)}
		values[i] = p.value
	}
	return fields, values, nil
}

// rawPart is a multipart part: its Content-Disposition and its raw value.
type rawPart struct {
	disposition string
	value       []byte
}

// formName is the form-data name of a Content-Disposition, as
// multipart.Part.FormName reads it: "" unless it is form-data.
func formName(disposition string) string {
	d, params, err := mime.ParseMediaType(disposition)
	if err != nil || d != "form-data" {
		return ""
	}
	return params["name"]
}

// readMultipart reads any multipart body, with mime/multipart.
func readMultipart(body []byte, boundary string) ([]rawPart, error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var parts []rawPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return parts, nil
		}
		if err != nil {
			return nil, badRequest("multipart body is malformed (part %d): %v", len(parts)+1, err)
		}
		value, err := io.ReadAll(p)
		if err != nil {
			return nil, badRequest("multipart body is malformed (part %d): %v", len(parts)+1, err)
		}
		parts = append(parts, rawPart{disposition: p.Header.Get("Content-Disposition"), value: value})
	}
}

// Bounds of the bodies splitMultipart reads; past them mime/multipart
// reads the body, with its own limits.
const (
	maxSplitParts   = 1000
	maxSplitHeaders = 100 // per part
)

// splitMultipart reads the plain layout every client writes, in one pass
// over the body without copying: the body opens with the first
// delimiter, every line ends in CRLF, headers are not folded, and no
// delimiter has padding. It reports false for anything else, which
// readMultipart then reads: where it reports true, the parts are those
// mime/multipart finds (FuzzSplitMultipart checks this).
func splitMultipart(body []byte, boundary string) ([]rawPart, bool) {
	delim := "--" + boundary
	if !bytes.HasPrefix(body, []byte(delim+"\r\n")) {
		return nil, false
	}
	nextDelim := []byte("\r\n" + delim)
	rest := body[len(delim)+2:]
	var parts []rawPart
	for len(parts) < maxSplitParts {
		// The headers, up to an empty line.
		var header []byte
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			rest = rest[2:]
		} else {
			end := bytes.Index(rest, []byte("\r\n\r\n"))
			if end < 0 {
				return nil, false
			}
			header, rest = rest[:end], rest[end+4:]
		}
		disposition, ok := splitDisposition(header)
		if !ok || bytes.HasPrefix(rest, []byte(delim)) { // a value that opens with the delimiter
			return nil, false
		}
		// The value, up to the next delimiter: one that opens a part, or
		// the last one, ending the body or its line.
		end := bytes.Index(rest, nextDelim)
		if end < 0 {
			return nil, false
		}
		parts = append(parts, rawPart{disposition: disposition, value: rest[:end:end]})
		rest = rest[end+len(nextDelim):]
		switch {
		case bytes.HasPrefix(rest, []byte("\r\n")):
			rest = rest[2:]
		case bytes.Equal(rest, []byte("--")), bytes.HasPrefix(rest, []byte("--\r\n")):
			return parts, true // what follows the last delimiter is ignored
		default:
			return nil, false
		}
	}
	return nil, false
}

// splitDisposition finds the Content-Disposition in a part's header
// lines (CRLF-separated), the first if there are several. It reports
// false for a line mime/multipart might read otherwise or refuse.
func splitDisposition(header []byte) (string, bool) {
	if len(header) == 0 {
		return "", true
	}
	var disposition []byte
	found := false
	lines := 0
	for line := range bytes.SplitSeq(header, []byte("\r\n")) {
		if lines++; lines > maxSplitHeaders {
			return "", false
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 {
			return "", false
		}
		for _, c := range name {
			if !isTokenByte(c) {
				return "", false
			}
		}
		for _, c := range value {
			if c != '\t' && (c < ' ' || c == 0x7f) {
				return "", false
			}
		}
		value = bytes.TrimLeft(value, " \t")
		if n := len(value); n > 0 && (value[n-1] == ' ' || value[n-1] == '\t') {
			return "", false
		}
		if !found && bytes.EqualFold(name, []byte("Content-Disposition")) {
			disposition, found = value, true
		}
	}
	return string(disposition), true
}

// isTokenByte reports whether c may be in a header field name (RFC 7230
// token).
func isTokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c < 0x80 && bytes.IndexByte([]byte("!#$%&'*+-.^_`|~"), c) >= 0
}
