package api

import (
	"errors"
	"testing"
)

// The expected values below were computed once with OpenSSL 3.0, an
// implementation independent of Go's crypto/hmac:
//
//	printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
//
// and, for the chain, each round keyed by the previous digest in hex:
//
//	d1=$(printf '%s' '0123456789abcdef' | openssl dgst -sha256 -hmac 's3cr3t-key' -hex | awk '{print $NF}')
//	d2=$(printf '%s' '{}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$d1 -hex | awk '{print $NF}')
//	printf '%s' '[{"type":"liveness"}]' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$d2 -binary | base64
const (
	kaSecret    = "s3cr3t-key"
	kaKey       = "0123456789abcdef"
	kaJSONBody  = `{"company_key":"0123456789abcdef","flags":{},"steps":[{"type":"liveness"}]}`
	kaJSONSig   = "yeL45vApe82Q424/U2jFpsZtWuoTOGW3g81FvU7rsnY="
	kaEmptySig  = "d/9zwu/vdLISDsP59fw5u/W1s0JA9NH543M7tUviPO4="
	kaChainSig  = "6h2aw8bkKsYZua8eYU6bXpfdtjn7yyQ/x/RAlxn0WQA="
	kaRFC4231   = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=" // RFC 4231 test case 2, base64
	kaConfigMin = `{"steps":[{"type":"liveness"}]}`
)

func kaParts() [][]byte {
	return [][]byte{[]byte(kaKey), []byte("{}"), []byte(`[{"type":"liveness"}]`)}
}

func TestSignKnownAnswers(t *testing.T) {
	cases := []struct {
		name, secret, body, want string
	}{
		{"RFC 4231 case 2", "Jefe", "what do ya want for nothing?", kaRFC4231},
		{"begin body", kaSecret, kaJSONBody, kaJSONSig},
		{"empty body (query encoding)", kaSecret, "", kaEmptySig},
	}
	for _, tc := range cases {
		if got := Sign([]byte(tc.secret), []byte(tc.body)); got != tc.want {
			t.Errorf("%s: Sign = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSignChainedKnownAnswer(t *testing.T) {
	if got := SignChained([]byte(kaSecret), kaParts()); got != kaChainSig {
		t.Errorf("SignChained = %s, want %s", got, kaChainSig)
	}
	// One part is the plain signature; no parts signs the empty body.
	if got, want := SignChained([]byte(kaSecret), [][]byte{[]byte(kaJSONBody)}), kaJSONSig; got != want {
		t.Errorf("SignChained(one part) = %s, want %s", got, want)
	}
	if got := SignChained([]byte(kaSecret), nil); got != kaEmptySig {
		t.Errorf("SignChained(no parts) = %s, want %s", got, kaEmptySig)
	}
	// Order matters.
	parts := kaParts()
	parts[1], parts[2] = parts[2], parts[1]
	if SignChained([]byte(kaSecret), parts) == kaChainSig {
		t.Error("SignChained ignores the order of the parts")
	}
}

func TestVerifySignature(t *testing.T) {
	secret, body := []byte(kaSecret), []byte(kaJSONBody)
	cases := []struct {
		header string
		want   error
	}{
		{`signature="` + kaJSONSig + `"`, nil},
		{`Signature=` + kaJSONSig, nil},
		{`  signature="` + kaJSONSig + `"  `, nil},
		{"", ErrSignatureMissing},
		{"   ", ErrSignatureMissing},
		{`signature="` + kaEmptySig + `"`, ErrSignatureMismatch},
		{`signature="not base64!"`, ErrSignatureMismatch},
		{`signature=""`, ErrSignatureMismatch},
		{`Bearer ` + kaJSONSig, ErrSignatureMismatch},
		{`signature="` + kaJSONSig[:len(kaJSONSig)-4] + `"`, ErrSignatureMismatch},
	}
	for _, tc := range cases {
		err := VerifySignature(secret, body, tc.header)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("VerifySignature(%q) = %v, want %v", tc.header, err, tc.want)
		}
	}
	if err := VerifyChainedSignature(secret, kaParts(), AuthorizationHeader(kaChainSig)); err != nil {
		t.Errorf("VerifyChainedSignature(good) = %v", err)
	}
	if err := VerifyChainedSignature([]byte("other"), kaParts(), AuthorizationHeader(kaChainSig)); !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("VerifyChainedSignature(wrong secret) = %v, want mismatch", err)
	}
}

func TestAuthorizationHeaderRoundTrip(t *testing.T) {
	h := AuthorizationHeader(kaJSONSig)
	if h != `signature="`+kaJSONSig+`"` {
		t.Fatalf("AuthorizationHeader = %s", h)
	}
	sig, ok := ParseAuthorization(h)
	if !ok || sig != kaJSONSig {
		t.Errorf("ParseAuthorization(%s) = %q, %v", h, sig, ok)
	}
}

// End to end: the request the client builds carries the known answers.
func TestBeginRequestSignaturesKnownAnswer(t *testing.T) {
	c, err := New(Options{CompanyKey: kaKey, SecretKey: kaSecret})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		enc      Encoding
		wantBody string // "" to skip the body check
		wantSig  string
	}{
		{EncodingJSON, kaJSONBody, kaJSONSig},
		{EncodingQuery, "", kaEmptySig},
		{EncodingMultipart, "", kaChainSig},
		{EncodingForm, "company_key=0123456789abcdef&flags=%7B%7D&steps=%5B%7B%22type%22%3A%22liveness%22%7D%5D", ""},
	}
	for _, tc := range cases {
		req, err := c.BuildBeginRequest([]byte(kaConfigMin), tc.enc)
		if err != nil {
			t.Fatalf("%v: %v", tc.enc, err)
		}
		if tc.wantBody != "" && string(req.Body) != tc.wantBody {
			t.Errorf("%v: body = %s, want %s", tc.enc, req.Body, tc.wantBody)
		}
		want := tc.wantSig
		if want == "" {
			want = Sign([]byte(kaSecret), req.Body)
		}
		if got := req.Header.Get("Authorization"); got != AuthorizationHeader(want) {
			t.Errorf("%v: Authorization = %s, want %s", tc.enc, got, AuthorizationHeader(want))
		}
		assertNoSecrets(t, tc.enc.String()+" dry run", req.Redacted(), kaKey, kaSecret)
	}
}
