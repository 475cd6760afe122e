package sandbox

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
)

// multipartBody writes fields as mime/multipart.Writer does.
func multipartBody(t testing.TB, boundary string, fields ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.SetBoundary(boundary); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// multipartSeeds are bodies as clients write them, and near misses.
func multipartSeeds(t testing.TB) [][2]string {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: "http://127.0.0.1:1", CompanyKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.BuildBeginRequest([]byte(spanishConfig), api.EncodingMultipart)
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := strings.Cut(req.Header.Get("Content-Type"), "boundary=")
	const b = "b0undary"
	curl := "--" + b + "\r\nContent-Disposition: form-data; name=\"steps\"\r\nContent-Type: application/json\r\n\r\n[]\r\n--" + b + "--\r\n"
	return [][2]string{
		{string(req.Body), params},
		{string(multipartBody(t, b, [2]string{"name", ""}, [2]string{"flags", "{}"})), b},
		{string(multipartBody(t, b, [2]string{"name", "a\r\n--" + b + "x\r\nb"}, [2]string{"x", "--" + b})), b},
		{string(multipartBody(t, b, [2]string{"名前", "ünï\r\n"})), b},
		{curl, b},
		{strings.ReplaceAll(curl, "\r\n", "\n"), b},                  // LF only
		{"preamble\r\n" + curl, b},                                   // a preamble
		{strings.Replace(curl, "--"+b+"\r\n", "--"+b+" \r\n", 1), b}, // padding
		{strings.Replace(curl, "Content-Type", " Content-Type", 1), b},
		{strings.TrimSuffix(curl, "--\r\n"), b}, // no last delimiter
		{"--" + b + "\r\n\r\n\r\n--" + b + "--", b},
		{"--" + b + "--\r\n", b},
	}
}

func TestSplitMultipartAsMimeMultipart(t *testing.T) {
	for i, seed := range multipartSeeds(t) {
		checkSplitMultipart(t, []byte(seed[0]), seed[1])
		if i == 0 {
			if _, ok := splitMultipart([]byte(seed[0]), seed[1]); !ok {
				t.Errorf("the client's own multipart body is not read in one pass")
			}
		}
	}
}

func FuzzSplitMultipart(f *testing.F) {
	for _, seed := range multipartSeeds(f) {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, body, boundary string) {
		if boundary == "" {
			return
		}
		checkSplitMultipart(t, []byte(body), boundary)
	})
}

// checkSplitMultipart fails when splitMultipart reads body and
// mime/multipart reads it otherwise, or refuses it.
func checkSplitMultipart(t *testing.T, body []byte, boundary string) {
	t.Helper()
	fast, ok := splitMultipart(body, boundary)
	if !ok {
		return
	}
	slow, err := readMultipart(body, boundary)
	if err != nil {
		t.Fatalf("split %q into %d parts; mime/multipart: %v", body, len(fast), err)
	}
	same := len(fast) == len(slow)
	for i := 0; same && i < len(fast); i++ {
		same = fast[i].disposition == slow[i].disposition && bytes.Equal(fast[i].value, slow[i].value)
	}
	if !same {
		t.Fatalf("body %q (boundary %q):\nsplit:          %q\nmime/multipart: %q", body, boundary, fast, slow)
	}
}
