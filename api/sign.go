package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// Signature errors, usable with errors.Is.
var (
	// ErrSignatureMissing: no Authorization signature where one is required.
	ErrSignatureMissing = errors.New("signature missing")
	// ErrSignatureMismatch: a signature that is malformed or does not match the bytes it covers.
	ErrSignatureMismatch = errors.New("signature mismatch")
)

// Sign returns the standard base64 of HMAC-SHA256(secret, body): the value
// carried in `Authorization: signature="..."` for JSON and form bodies.
//
// A query-encoded begin/ request has an empty body, so its signature is
// Sign(secret, nil): the fields in the URL are not covered.
func Sign(secret, body []byte) string {
	return base64.StdEncoding.EncodeToString(macSHA256(secret, body))
}

// SignChained returns the standard base64 of the chained HMAC of a
// multipart request: digest_1 = HMAC-SHA256(secret, parts[0]) and
// digest_i = HMAC-SHA256(key = digest_{i-1} as raw 32 bytes, parts[i-1]);
// the result is the last digest.
//
// A part's bytes are its value exactly as written between the part's
// header block and the next boundary: no part headers, no boundary, no
// trailing CRLF. For a begin/ request these are the field values in the
// order sent (company_key first); flags and steps are their compact JSON
// text. With no parts the result equals Sign(secret, nil).
func SignChained(secret []byte, parts [][]byte) string {
	return base64.StdEncoding.EncodeToString(chainedDigest(secret, parts))
}

// AuthorizationHeader formats a signature as the Authorization header value.
func AuthorizationHeader(signature string) string {
	return `signature="` + signature + `"`
}

// ParseAuthorization extracts the signature from an Authorization header
// value of the form `signature="BASE64"`. The parameter name is matched
// case-insensitively and the quotes are optional.
func ParseAuthorization(header string) (signature string, ok bool) {
	h := strings.TrimSpace(header)
	const prefix = "signature="
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	v := strings.TrimSpace(h[len(prefix):])
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	if v == "" {
		return "", false
	}
	return v, true
}

// VerifySignature checks an Authorization header value against
// HMAC-SHA256(secret, body) in constant time. It returns nil, or an error
// wrapping ErrSignatureMissing (empty or not a signature header) or
// ErrSignatureMismatch.
func VerifySignature(secret, body []byte, header string) error {
	return verifyDigest(macSHA256(secret, body), header)
}

// VerifyChainedSignature is VerifySignature for the chained multipart
// signature of SignChained.
func VerifyChainedSignature(secret []byte, parts [][]byte, header string) error {
	return verifyDigest(chainedDigest(secret, parts), header)
}

func verifyDigest(want []byte, header string) error {
	sig, ok := ParseAuthorization(header)
	if !ok {
		if strings.TrimSpace(header) == "" {
			return ErrSignatureMissing
		}
		return ErrSignatureMismatch
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, want) {
		return ErrSignatureMismatch
	}
	return nil
}

func macSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

func chainedDigest(secret []byte, parts [][]byte) []byte {
	if len(parts) == 0 {
		return macSHA256(secret, nil)
	}
	key := secret
	for _, p := range parts {
		key = macSHA256(key, p)
	}
	return key
}
