package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/identoflow/identoflow/api"
)

// formField is one field of a form, query or multipart request, in order.
type formField struct {
	name  string
	value string
}

// request is a decoded API request: its fields and what its signature covers.
type request struct {
	encoding api.Encoding
	body     []byte      // raw body (JSON and form: what the signature covers)
	fields   []formField // form, query and multipart encodings
	parts    [][]byte    // multipart: the raw part values, for the chained signature
}

// requestError is a request the sandbox cannot read; status is the answer.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// exactReadBytes is the largest body read into a buffer of its declared
// length.
const exactReadBytes = 64 << 10

// readBody reads at most MaxBodyBytes; a larger body is a 413 error.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	tooLarge := &requestError{
		status: http.StatusRequestEntityTooLarge,
		msg:    fmt.Sprintf("request body is larger than %d MiB (%d bytes), the most the sandbox accepts", MaxBodyBytes>>20, MaxBodyBytes),
	}
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge
	}
	var body []byte
	var err error
	// A small body of known length is read into one buffer of its size
	// (net/http ends the body there); a large one grows as it arrives, so
	// that a length claimed but not sent costs nothing.
	if r.ContentLength > 0 && r.ContentLength <= exactReadBytes {
		body = make([]byte, r.ContentLength)
		_, err = io.ReadFull(r.Body, body)
	} else {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	}
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, tooLarge
		}
		return nil, badRequest("reading the request body: %v", err)
	}
	return body, nil
}

// decodeRequest reads the body and works out the encoding: an empty body
// means the URL query carries the fields; otherwise the Content-Type
// decides, and a body without one is taken as JSON.
func decodeRequest(w http.ResponseWriter, r *http.Request) (*request, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	req := &request{body: body}
	if len(bytes.TrimSpace(body)) == 0 {
		req.encoding = api.EncodingQuery
		req.body = nil
		req.fields, err = parseFormFields(r.URL.RawQuery)
		return req, err
	}
	var mediaType string
	var params map[string]string
	switch contentType := r.Header.Get("Content-Type"); contentType {
	case "":
	case "application/json": // what the client sends: no need to parse it
		mediaType = contentType
	default:
		if mediaType, params, err = mime.ParseMediaType(contentType); err != nil {
			return nil, badRequest("Content-Type %q is not a media type", contentType)
		}
	}
	switch {
	case mediaType == "", mediaType == "application/json", strings.HasSuffix(mediaType, "+json"), mediaType == "text/plain":
		req.encoding = api.EncodingJSON
	case mediaType == "application/x-www-form-urlencoded":
		req.encoding = api.EncodingForm
		req.fields, err = parseFormFields(string(body))
	case mediaType == "multipart/form-data":
		req.encoding = api.EncodingMultipart
		req.fields, req.parts, err = parseMultipart(body, params["boundary"])
	default:
		return nil, &requestError{
			status: http.StatusUnsupportedMediaType,
			msg:    fmt.Sprintf("Content-Type %q is not accepted: send application/json, application/x-www-form-urlencoded or multipart/form-data", mediaType),
		}
	}
	return req, err
}

// parseFormFields reads URL-encoded fields in their order (url.ParseQuery
// would lose it). Field names and values are never quoted in errors: one
// of them is the company key.
func parseFormFields(raw string) ([]formField, error) {
	var fields []formField
	for piece := range strings.SplitSeq(raw, "&") {
		if piece == "" {
			continue
		}
		name, value, _ := strings.Cut(piece, "=")
		n, err1 := url.QueryUnescape(name)
		v, err2 := url.QueryUnescape(value)
		if err1 != nil || err2 != nil {
			return nil, badRequest("a form field is not valid URL encoding (field %d)", len(fields)+1)
		}
		fields = append(fields, formField{name: n, value: v})
	}
	return fields, nil
}

// verify checks the request signature: the chained HMAC over the part
// values for multipart, else the HMAC of the body (empty for query).
func (req *request) verify(secret []byte, header string) error {
	if req.encoding == api.EncodingMultipart {
		return api.VerifyChainedSignature(secret, req.parts, header)
	}
	return api.VerifySignature(secret, req.body, header)
}

// duplicateField returns the first field name that appears twice, if any.
func duplicateField(fields []formField) (string, bool) {
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		if seen[f.name] {
			return f.name, true
		}
		seen[f.name] = true
	}
	return "", false
}
