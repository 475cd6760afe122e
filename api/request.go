package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Request is an API request exactly as the client sends it. It holds the
// company key (in the body or, for query encoding, the URL): show it with
// Redacted, which every fmt verb and String use too.
type Request struct {
	Method string
	URL    string
	Header http.Header // Content-Type, User-Agent, Accept and, when signing, Authorization
	Body   []byte      // empty for query encoding

	// shownURL and shownBody are URL and Body with the company key field
	// set to REDACTED (the same encoding, boundary included), so Redacted
	// masks the key whatever its length; the redactor only catches keys of
	// minRedactLen or more.
	shownURL  string
	shownBody []byte
	redactor  *redactor
}

// BuildBeginRequest returns the begin/ request for a saved config (the JSON
// bytes of the file) in the given encoding, signed when a secret key is
// configured. Begin sends exactly this request; use it for a dry run.
func (c *Client) BuildBeginRequest(config []byte, enc Encoding) (Request, error) {
	fields, err := beginFields(c.companyKey, config)
	if err != nil {
		return Request{}, fmt.Errorf("%s", c.Redact(err.Error()))
	}
	req := Request{
		Method:   http.MethodPost,
		URL:      c.baseURL + BeginPath,
		Header:   c.baseHeader(),
		redactor: c.redactor,
	}
	// beginFields puts company_key first; shown is fields with it masked.
	shown := append([]field{{name: "company_key", raw: jsonString(redactedText)}}, fields[1:]...)
	req.shownURL = req.URL
	var signature string
	switch enc {
	case EncodingJSON:
		req.Body = encodeJSON(fields)
		req.shownBody = encodeJSON(shown)
		req.Header.Set("Content-Type", "application/json")
		signature = Sign(c.secretKey, req.Body)
	case EncodingForm:
		req.Body = []byte(encodeForm(fields))
		req.shownBody = []byte(encodeForm(shown))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		signature = Sign(c.secretKey, req.Body)
	case EncodingQuery:
		req.URL += "?" + encodeForm(fields)
		req.shownURL += "?" + encodeForm(shown)
		signature = Sign(c.secretKey, nil) // the body is empty
	case EncodingMultipart:
		var contentType string
		var parts [][]byte
		names, values := multipartFields(fields)
		boundary := multipartBoundary(names, values)
		req.Body, contentType, parts = writeMultipart(names, values, boundary)
		shownNames, shownValues := multipartFields(shown)
		req.shownBody, _, _ = writeMultipart(shownNames, shownValues, boundary)
		req.Header.Set("Content-Type", contentType)
		signature = SignChained(c.secretKey, parts)
	default:
		return Request{}, fmt.Errorf("unknown encoding %v: choose one of json, form, query, multipart", enc)
	}
	if c.secretKey != nil {
		req.Header.Set("Authorization", AuthorizationHeader(signature))
	}
	return req, nil
}

// BuildResultRequest returns the external-api/result/ request for a
// session token: a JSON body {"company_key":…,"session_token":…}, signed
// when a secret key is configured.
func (c *Client) BuildResultRequest(token string) (Request, error) {
	if !ValidToken(token) {
		return Request{}, fmt.Errorf("session token %q is not a token: expected 1 to %d letters, digits, '-' or '_'",
			safeExcerpt(c.Redact, token, 60), maxTokenLength)
	}
	body := encodeJSON([]field{
		{name: "company_key", raw: jsonString(c.companyKey)},
		{name: "session_token", raw: jsonString(token)},
	})
	req := Request{
		Method:   http.MethodPost,
		URL:      c.baseURL + ResultPath,
		Header:   c.baseHeader(),
		Body:     body,
		shownURL: c.baseURL + ResultPath,
		shownBody: encodeJSON([]field{
			{name: "company_key", raw: jsonString(redactedText)},
			{name: "session_token", raw: jsonString(token)},
		}),
		redactor: c.redactor,
	}
	req.Header.Set("Content-Type", "application/json")
	if c.secretKey != nil {
		req.Header.Set("Authorization", AuthorizationHeader(Sign(c.secretKey, body)))
	}
	return req, nil
}

func (c *Client) baseHeader() http.Header {
	h := make(http.Header)
	h.Set("User-Agent", c.userAgent)
	h.Set("Accept", "application/json, text/plain, */*")
	return h
}

// httpRequest makes the net/http request; a fresh body reader each call
// lets a retry resend the same bytes.
func (r Request) httpRequest(ctx context.Context) (*http.Request, error) {
	var body io.Reader = http.NoBody
	if len(r.Body) > 0 {
		body = bytes.NewReader(r.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	hr.Header = r.Header.Clone()
	return hr, nil
}

// Redacted renders the request as HTTP-like text (request line, headers
// sorted by name, blank line, body) with the company key, the secret key
// and the signature replaced by REDACTED everywhere. Content-Length is
// the length of the body as shown, so it does not give away the length of
// the key. The text is meant for a terminal: a JSON body has the
// characters flow.Unsafe names written as \u escapes (the same JSON
// value), and every other line is shown through flow.Visible, a
// multipart body keeping its CRLF line ends.
func (r Request) Redacted() string {
	redact := func(s string) string {
		if r.redactor == nil {
			return s
		}
		return r.redactor.Replace(s)
	}
	shownURL, shownBody := r.URL, r.Body
	if r.shownURL != "" {
		shownURL, shownBody = r.shownURL, r.shownBody
	}
	var b strings.Builder
	b.WriteString(r.Method + " " + flow.Visible(redact(shownURL)) + "\n")
	names := make([]string, 0, len(r.Header)+1)
	for name := range r.Header {
		names = append(names, name)
	}
	if r.Method != http.MethodGet {
		names = append(names, "Content-Length")
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "Content-Length" {
			b.WriteString("Content-Length: " + strconv.Itoa(len(shownBody)) + "\n")
			continue
		}
		for _, v := range r.Header[name] {
			if name == "Authorization" {
				v = AuthorizationHeader(redactedText)
			}
			b.WriteString(flow.Visible(name) + ": " + flow.Visible(redact(v)) + "\n")
		}
	}
	b.WriteString("\n")
	body := redact(string(shownBody))
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		b.Write(flow.EscapeJSON([]byte(body)))
	} else {
		lines := strings.Split(body, "\r\n")
		for i, l := range lines {
			lines[i] = flow.Visible(l)
		}
		b.WriteString(strings.Join(lines, "\r\n"))
	}
	return b.String()
}

// String is Redacted.
func (r Request) String() string { return r.Redacted() }

// GoString is Redacted: credentials never print.
func (r Request) GoString() string { return r.Redacted() }

// Format makes every fmt verb print Redacted.
func (r Request) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.Redacted()) }
