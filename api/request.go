package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Request is an API request exactly as the client sends it. It holds the
// company key (in the body or, for query encoding, the URL): show it with
// Redacted, which every fmt verb and String use too.
type Request struct {
	Method string
	URL    string
	Header http.Header // Content-Type, User-Agent, Accept and, when signing, Authorization
	Body   []byte      // empty for query encoding

	redactor *strings.Replacer
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
	var signature string
	switch enc {
	case EncodingJSON:
		req.Body = encodeJSON(fields)
		req.Header.Set("Content-Type", "application/json")
		signature = Sign(c.secretKey, req.Body)
	case EncodingForm:
		req.Body = []byte(encodeForm(fields))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		signature = Sign(c.secretKey, req.Body)
	case EncodingQuery:
		req.URL += "?" + encodeForm(fields)
		signature = Sign(c.secretKey, nil) // the body is empty
	case EncodingMultipart:
		var contentType string
		var parts [][]byte
		req.Body, contentType, parts = encodeMultipart(fields)
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
			excerpt(c.Redact(oneLine(c.Redact(token))), 60), maxTokenLength)
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
// and the signature replaced by REDACTED everywhere.
func (r Request) Redacted() string {
	redact := func(s string) string {
		if r.redactor == nil {
			return s
		}
		return r.redactor.Replace(s)
	}
	var b strings.Builder
	b.WriteString(r.Method + " " + redact(r.URL) + "\n")
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
			b.WriteString("Content-Length: " + strconv.Itoa(len(r.Body)) + "\n")
			continue
		}
		for _, v := range r.Header[name] {
			if name == "Authorization" {
				v = AuthorizationHeader(redactedText)
			}
			b.WriteString(name + ": " + redact(v) + "\n")
		}
	}
	b.WriteString("\n")
	b.WriteString(redact(string(r.Body)))
	return b.String()
}

// String is Redacted.
func (r Request) String() string { return r.Redacted() }

// GoString is Redacted: credentials never print.
func (r Request) GoString() string { return r.Redacted() }

// Format makes every fmt verb print Redacted.
func (r Request) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.Redacted()) }
