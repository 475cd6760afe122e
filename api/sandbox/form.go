package sandbox

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits on what a page's form may send. Files are read as they arrive,
// sniffed, counted and discarded: nothing is written to disk and only
// their type and size are kept.
const (
	maxFormBytes   = 256 << 10 // a form without files
	maxUploadBytes = 64 << 20  // a form with files, all of it
	maxFileBytes   = 20 << 20  // one file
	maxFormFields  = 400
	maxFieldBytes  = 16 << 10
)

// stepForm is a page's submitted form.
type stepForm struct {
	values url.Values
	files  map[string][]fileInfo // non-empty files, by field name
}

func (f *stepForm) get(name string) string { return f.values.Get(name) }

// Reasons a form is refused as a whole.
var (
	errForged = errors.New("the form is not one the sandbox sent to this session (its anti-forgery token is missing or wrong); open the session link again")
)

// formError is a refused form and the answer it gets.
type formError struct {
	status int
	msg    string
}

func (e *formError) Error() string { return e.msg }

func formTooLarge(what string, limit int64) error {
	return &formError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("%s is larger than %d MiB, the most the sandbox accepts", what, limit>>20)}
}

// readStepForm reads a page's form, URL-encoded or multipart, and checks
// its anti-forgery token: in a multipart form it must be the first field,
// so a forged upload is refused before its files are read.
func readStepForm(w http.ResponseWriter, r *http.Request, formTok string) (*stepForm, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mediaType = ""
	}
	f := &stepForm{values: url.Values{}, files: map[string][]fileInfo{}}
	switch mediaType {
	case "application/x-www-form-urlencoded":
		err = f.readURLEncoded(w, r)
	case "multipart/form-data":
		err = f.readMultipart(w, r, params["boundary"], formTok)
	default:
		return nil, &formError{status: http.StatusUnsupportedMediaType, msg: "the form must be sent as a web form (URL-encoded or multipart)"}
	}
	if err != nil {
		return nil, err
	}
	if !formTokenOK(f.get("csrf"), formTok) {
		return nil, errForged
	}
	return f, nil
}

func (f *stepForm) readURLEncoded(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return formTooLarge("the form", maxFormBytes)
		}
		return &formError{status: http.StatusBadRequest, msg: "the form could not be read"}
	}
	fields, err := parseFormFields(string(body))
	if err != nil {
		return &formError{status: http.StatusBadRequest, msg: err.Error()}
	}
	if len(fields) > maxFormFields {
		return &formError{status: http.StatusRequestEntityTooLarge, msg: "the form has too many fields"}
	}
	for _, fl := range fields {
		if err := f.addValue(fl.name, []byte(fl.value)); err != nil {
			return err
		}
	}
	return nil
}

func (f *stepForm) addValue(name string, v []byte) error {
	if len(v) > maxFieldBytes {
		return &formError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("a form field is longer than %d KiB", maxFieldBytes>>10)}
	}
	if !utf8.Valid(v) {
		return &formError{status: http.StatusBadRequest, msg: "a form field is not valid UTF-8 text"}
	}
	f.values.Add(name, strings.ReplaceAll(string(v), "\r\n", "\n"))
	return nil
}

func (f *stepForm) readMultipart(w http.ResponseWriter, r *http.Request, boundary, formTok string) error {
	if boundary == "" {
		return &formError{status: http.StatusBadRequest, msg: "the multipart form has no boundary"}
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, maxUploadBytes), boundary)
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return multipartError(err)
		}
		if n >= maxFormFields {
			return &formError{status: http.StatusRequestEntityTooLarge, msg: "the form has too many fields"}
		}
		name := part.FormName()
		_, disp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		_, isFile := disp["filename"]
		if n == 0 && (name != "csrf" || isFile) {
			return errForged
		}
		if !isFile {
			v, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return multipartError(err)
			}
			if n == 0 && !formTokenOK(string(v), formTok) {
				return errForged
			}
			if err := f.addValue(name, v); err != nil {
				return err
			}
			continue
		}
		info, err := sniffFile(part)
		if err != nil {
			return err
		}
		if info.Size > 0 { // an empty part is a file input left empty
			f.files[name] = append(f.files[name], info)
		}
	}
}

func multipartError(err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return formTooLarge("the form with its files", maxUploadBytes)
	}
	return &formError{status: http.StatusBadRequest, msg: "the form could not be read"}
}

// sniffFile reads one file to its end, keeping its size and the type its
// first bytes show (what the browser claims is not trusted).
func sniffFile(r io.Reader) (fileInfo, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fileInfo{}, multipartError(err)
	}
	head = head[:n]
	rest, err := io.Copy(io.Discard, io.LimitReader(r, maxFileBytes+1-int64(n)))
	if err != nil {
		return fileInfo{}, multipartError(err)
	}
	size := int64(n) + rest
	if size > maxFileBytes {
		return fileInfo{}, formTooLarge("a file", maxFileBytes)
	}
	return fileInfo{ContentType: sniffType(head), Size: size}, nil
}

// sniffType is the media type a file's first bytes show. HEIC and AVIF
// photos, which phones take, are told by their brand.
func sniffType(head []byte) string {
	ct, _, _ := strings.Cut(http.DetectContentType(head), ";")
	if ct != "application/octet-stream" && ct != "video/mp4" {
		return ct
	}
	if len(head) >= 12 && string(head[4:8]) == "ftyp" {
		for i := 8; i+4 <= min(len(head), 64); i += 4 {
			switch string(head[i : i+4]) {
			case "heic", "heix", "heim", "heis", "mif1", "msf1":
				return "image/heic"
			case "avif", "avis":
				return "image/avif"
			}
		}
	}
	return ct
}

// isImage and isPDF classify a sniffed type.
func isImage(ct string) bool { return strings.HasPrefix(ct, "image/") }
func isPDF(ct string) bool   { return ct == "application/pdf" }

// describeFiles is what a page says of files already received.
func (c *pageCtx) describeFiles(files []fileInfo) string {
	if len(files) == 0 {
		return ""
	}
	var total int64
	for _, f := range files {
		total += f.Size
	}
	return c.t("Files received: {1} ({2}). Choose again to replace them.", len(files), humanSize(c.words, total))
}

func humanSize(w words, n int64) string {
	switch {
	case n >= 1<<20:
		return w.T("{1} MB", fmt.Sprintf("%.1f", float64(n)/(1<<20)))
	case n >= 1<<10:
		return w.T("{1} KB", n>>10)
	}
	return w.T("{1} bytes", n)
}
