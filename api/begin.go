package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const maxTokenLength = 256

// Session is a created verification session.
type Session struct {
	Token string
	// URL is the widget link {base}/?session_token=TOKEN.
	URL string
	// ExpiresAt is when the request was sent plus TokenLifetime: never
	// later than the server's own expiry.
	ExpiresAt time.Time
}

// Begin creates a session from a saved config (the JSON bytes of the
// file) sent in the given encoding. See BuildBeginRequest for the exact
// request.
//
// Errors: ErrKeyRefused (errors.Is) when the server answers
// COMPANY_KEY_INVALID; *StatusError (errors.As) for another non-2xx
// answer; ErrSignatureMissing / ErrSignatureMismatch when signing and the
// answer's signature is absent or wrong; context errors on cancellation
// or timeout; otherwise a description of the unexpected answer.
func (c *Client) Begin(ctx context.Context, config []byte, enc Encoding) (Session, error) {
	const endpoint = "begin/"
	req, err := c.BuildBeginRequest(config, enc)
	if err != nil {
		return Session{}, c.errorf("%s: %w", endpoint, err)
	}
	rep, err := c.send(ctx, endpoint, req)
	if err != nil {
		return Session{}, err
	}
	if err := c.checkReply(endpoint, rep); err != nil {
		return Session{}, err
	}
	token, err := c.parseToken(endpoint, rep.body)
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, URL: c.SessionURL(token), ExpiresAt: rep.sentAt.Add(TokenLifetime)}, nil
}

// checkReply turns a bad-key answer, a non-2xx status or (when signing) a
// missing or wrong response signature into an error. The bad-key check
// comes first: a server that does not know the key cannot sign with the
// matching secret.
func (c *Client) checkReply(endpoint string, rep reply) error {
	if isKeyInvalid(rep.body) {
		return c.errorf("%s: %w: check the company key", endpoint, ErrKeyRefused)
	}
	if rep.status < 200 || rep.status > 299 {
		statusErr := c.statusError(rep)
		return &redactedError{msg: endpoint + ": " + statusErr.Error(), err: statusErr}
	}
	if c.secretKey == nil {
		return nil
	}
	switch err := VerifySignature(c.secretKey, rep.body, rep.header.Get("Authorization")); {
	case errors.Is(err, ErrSignatureMissing):
		return c.errorf("%s: response %w: the server sent no Authorization signature although a secret key is set; check the secret key (IDENTOMAT_SECRET_KEY) or unset it if the account does not use HMAC", endpoint, err)
	case err != nil:
		return c.errorf("%s: response %w: the server's Authorization signature does not match the body; check the secret key (IDENTOMAT_SECRET_KEY)", endpoint, err)
	}
	return nil
}

// parseToken reads a begin/ success body: a JSON-quoted token or a bare
// one. Anything else is an error quoting a short excerpt of the body.
func (c *Client) parseToken(endpoint string, body []byte) (string, error) {
	text := strings.TrimSpace(string(body))
	if text == "" {
		return "", c.unexpected(endpoint, "empty body")
	}
	token := text
	if text[0] == '"' {
		if err := json.Unmarshal([]byte(text), &token); err != nil {
			return "", c.unexpected(endpoint, c.quoteExcerpt(text)+" is not a session token")
		}
	}
	if errorCode.MatchString(token) {
		return "", c.unexpected(endpoint, c.quoteExcerpt(token)+" looks like an error code, not a session token")
	}
	if !ValidToken(token) {
		return "", c.unexpected(endpoint, c.quoteExcerpt(text)+" is not a session token")
	}
	return token, nil
}

func (c *Client) unexpected(endpoint, detail string) error {
	return errors.New(c.Redact(fmt.Sprintf("unexpected response from %s: %s", endpoint, detail)))
}

// quoteExcerpt is a short one-line, redacted, Go-quoted excerpt of a body.
func (c *Client) quoteExcerpt(s string) string {
	return strconv.Quote(safeExcerpt(c.Redact, s, maxExcerptRunes))
}

// ValidToken reports whether s looks like a session token: 1 to 256
// ASCII letters, digits, '-' or '_'.
func ValidToken(s string) bool {
	if s == "" || len(s) > maxTokenLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}
