package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, strconv.Quote(testToken))
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkBegin is one begin/ call through the client (JSON encoding):
// config decoding, body building, request, token parsing.
func BenchmarkBegin(b *testing.B) {
	srv := benchServer(b)
	c, err := New(Options{BaseURL: srv.URL, CompanyKey: testKey})
	if err != nil {
		b.Fatal(err)
	}
	config := []byte(wireConfig)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Begin(context.Background(), config, EncodingJSON); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBeginSigned adds request signing and response verification.
func BenchmarkBeginSigned(b *testing.B) {
	body := strconv.Quote(testToken)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		signedReply(w, testSecret, http.StatusOK, body)
	}))
	b.Cleanup(srv.Close)
	c, err := New(Options{BaseURL: srv.URL, CompanyKey: testKey, SecretKey: testSecret})
	if err != nil {
		b.Fatal(err)
	}
	config := []byte(wireConfig)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Begin(context.Background(), config, EncodingJSON); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawPost is the baseline: the same body posted with http.Post
// and the answer read, with no client logic.
func BenchmarkRawPost(b *testing.B) {
	srv := benchServer(b)
	body := []byte(wantJSONBody)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Post(srv.URL+BeginPath, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
	}
}

// BenchmarkBuildBeginRequest is the client's own work without the network.
func BenchmarkBuildBeginRequest(b *testing.B) {
	c, err := New(Options{CompanyKey: testKey, SecretKey: testSecret})
	if err != nil {
		b.Fatal(err)
	}
	config := []byte(wireConfig)
	for _, enc := range Encodings() {
		b.Run(enc.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.BuildBeginRequest(config, enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
