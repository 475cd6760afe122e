package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/identoflow/identoflow/flow"
)

// ErrKeyRefused: the server answered COMPANY_KEY_INVALID (whatever the
// HTTP status): the company key is wrong or not enabled for this API.
var ErrKeyRefused = errors.New("company key refused by the server (COMPANY_KEY_INVALID)")

// StatusError is a non-2xx answer from the server.
type StatusError struct {
	Status  int    // HTTP status code
	Message string // the server's message on one line, at most ~200 characters, credentials redacted
	// RetryAfter is the wait the server asked for (429/503), zero if none.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("server answered %d %s", e.Status, http.StatusText(e.Status))
	statusLine := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	if e.Message != "" && e.Message != http.StatusText(e.Status) && e.Message != statusLine {
		s += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (asked to retry after %v)", e.RetryAfter)
	}
	return s
}

// redactedError carries a message already stripped of credentials while
// keeping the cause for errors.Is/As. The cause never holds a URL (see
// Client.transportError), so unwrapping cannot reveal a key either.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// GoString keeps %#v from dumping the cause's internals.
func (e *redactedError) GoString() string { return "api.Error(" + strconv.Quote(e.msg) + ")" }

// errorf formats like fmt.Errorf (with %w) and redacts the message.
func (c *Client) errorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &redactedError{msg: c.Redact(err.Error()), err: errors.Unwrap(err)}
}

const (
	maxMessageRunes = 200
	maxExcerptRunes = 80
)

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	// errorCode matches vendor error strings like COMPANY_KEY_INVALID,
	// which would otherwise pass for a token.
	errorCode = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)
)

// serverMessage extracts a human message from an error body: a JSON
// string, the message/error/detail field of a JSON object, the title or
// text of an HTML page, or the text itself; one line, at most ~200
// characters. redact runs before every reshaping step, so neither
// unquoting nor cutting the text short can expose part of a credential.
func serverMessage(body []byte, redact func(string) string) string {
	text := redact(strings.TrimSpace(string(body)))
	if text == "" {
		return ""
	}
	switch text[0] {
	case '"':
		var s string
		if json.Unmarshal([]byte(text), &s) == nil {
			text = s
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(text), &obj) == nil {
			for _, key := range []string{"message", "error_description", "error", "detail", "title"} {
				var s string
				if json.Unmarshal(obj[key], &s) == nil && strings.TrimSpace(s) != "" {
					text = s
					break
				}
			}
		}
	case '<':
		if m := htmlTitle.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
			text = m[1]
		} else {
			text = htmlTag.ReplaceAllString(text, " ")
		}
	}
	return safeExcerpt(redact, text, maxMessageRunes)
}

// oneLine puts a server's text, or a name a customer typed, on one line
// that cannot move the cursor, recolour a terminal or read backwards: runs
// of white space, line breaks and separators included, become one space,
// and every other character flow.Unsafe names (and invalid UTF-8) is
// written as flow.Visible writes it, `\x1b`, as everywhere else.
func oneLine(s string) string {
	return flow.Visible(strings.Join(strings.Fields(s), " "))
}

// safeExcerpt is excerpt of a text that may hold a credential: redacted
// before and after it is put on one line, so no reshaping splits a key
// out of the redactor's sight.
func safeExcerpt(redact func(string) string, s string, max int) string {
	return excerpt(redact(oneLine(redact(s))), max)
}

// excerpt puts s on one line (see oneLine) and shortens it to max runes.
// For a text that may hold a credential, use safeExcerpt.
func excerpt(s string, max int) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return string(runes[:max]) + "…"
}

// isKeyInvalid reports whether a body is the vendor's bad-key answer,
// bare, JSON-quoted or as the message of a JSON object.
func isKeyInvalid(body []byte) bool {
	const code = "COMPANY_KEY_INVALID"
	text := strings.TrimSpace(string(body))
	if strings.EqualFold(text, code) {
		return true
	}
	if len(text) > 0 && (text[0] == '"' || text[0] == '{') {
		return strings.EqualFold(serverMessage(body, func(s string) string { return s }), code)
	}
	return false
}
