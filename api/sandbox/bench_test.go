package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/identoflow/identoflow/api"
)

// BenchmarkSandboxBegin is begin/ over loopback HTTP against a real
// listener (the server Start uses, timeouts included), from parallel
// keep-alive clients sending the Spanish video-call flow as JSON. It
// reports throughput (begins/s) and the 99th percentile latency of one
// request as the client sees it (p99-ms). Goal: ≥ 5000 begins/s and
// p99 ≤ 10 ms on a 2-core machine.
func BenchmarkSandboxBegin(b *testing.B) {
	benchBegin(b, "", api.EncodingJSON)
}

// BenchmarkSandboxBeginSigned adds HMAC checking and response signing.
func BenchmarkSandboxBeginSigned(b *testing.B) {
	benchBegin(b, testSecret, api.EncodingJSON)
}

// BenchmarkSandboxBeginMultipart is the costliest encoding to decode.
func BenchmarkSandboxBeginMultipart(b *testing.B) {
	benchBegin(b, "", api.EncodingMultipart)
}

func benchBegin(b *testing.B, secret string, enc api.Encoding) {
	// Room for every session of the run: the cap is not what is measured.
	sb := New(Options{SecretKey: secret, MaxSessions: 1 << 30})
	baseURL, stop, err := sb.Start("")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = stop(context.Background()) })
	c, err := api.New(api.Options{BaseURL: baseURL, CompanyKey: testKey, SecretKey: secret})
	if err != nil {
		b.Fatal(err)
	}
	req, err := c.BuildBeginRequest([]byte(spanishConfig), enc)
	if err != nil {
		b.Fatal(err)
	}
	const clients = 8 // requests in flight
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	defer hc.CloseIdleConnections()

	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism(max(1, clients/max(1, runtime.GOMAXPROCS(0))))
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for pb.Next() {
			t0 := time.Now()
			hr, err := http.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
			if err != nil {
				b.Error(err)
				return
			}
			hr.Header = req.Header.Clone()
			resp, err := hc.Do(hr)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			local = append(local, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	p99 := latencies[min(len(latencies)-1, len(latencies)*99/100)]
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "begins/s")
	b.ReportMetric(float64(p99)/float64(time.Millisecond), "p99-ms")
}

// BenchmarkScaleBegin runs begin/ in the sandbox side by side with a
// minimal net/http handler that reads the body and answers a fixed token,
// both behind the same http.Server settings on loopback, at 1, 10 and 50
// requests in flight, for the JSON and multipart encodings. ns/op is wall
// time per request (the inverse of throughput); compare the handlers with
//
//	benchstat -col /handler results.txt
//
// Goal: the sandbox at ≥ 2/3 of the minimal handler's throughput (JSON)
// and ≥ 1/2 (multipart).
func BenchmarkScaleBegin(b *testing.B) {
	minimal := minimalHandler()
	for _, enc := range []api.Encoding{api.EncodingJSON, api.EncodingMultipart} {
		for _, conc := range []int{1, 10, 50} {
			for _, handler := range []string{"minimal", "sandbox"} {
				name := fmt.Sprintf("enc=%s/conc=%d/handler=%s", enc, conc, handler)
				b.Run(name, func(b *testing.B) {
					sb := New(Options{MaxSessions: 1 << 30})
					srv := sb.HTTPServer()
					if handler == "minimal" {
						srv.Handler = minimal
					}
					benchServe(b, srv, enc, conc)
				})
			}
		}
	}
}

// minimalHandler is the least a begin/ can do: read the body and answer
// a fixed token.
func minimalHandler() http.Handler {
	token := []byte(strconv.Quote(strings.Repeat("a", TokenLength)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(token)
	})
}

// benchServe serves srv on loopback and sends b.N begin/ requests from
// conc keep-alive clients, reporting the p99 latency (p99-ms) and the
// process's CPU time per request (cpu-ns/op).
func benchServe(b *testing.B, srv *http.Server, enc api.Encoding, conc int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	c, err := api.New(api.Options{BaseURL: BaseURL(ln.Addr()), CompanyKey: testKey})
	if err != nil {
		b.Fatal(err)
	}
	req, err := c.BuildBeginRequest([]byte(spanishConfig), enc)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}}
	defer hc.CloseIdleConnections()
	send := func() (time.Duration, error) {
		t0 := time.Now()
		hr, err := http.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
		if err != nil {
			return 0, err
		}
		hr.Header = req.Header.Clone()
		resp, err := hc.Do(hr)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(t0), nil
	}
	for range conc { // open the connections before timing
		if _, err := send(); err != nil {
			b.Fatal(err)
		}
	}
	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for range conc {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				d, err := send()
				if err != nil {
					b.Error(err)
					return
				}
				latencies[i] = d
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	// CPU per request, the client's included, the same for both handlers:
	// unlike wall time, it holds on a machine busy with other work.
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[min(len(latencies)-1, len(latencies)*99/100)])/float64(time.Millisecond), "p99-ms")
}

// BenchmarkScaleBeginHandler is the CPU of one begin/ in the handler
// alone, beside the minimal handler of BenchmarkScaleBegin, without the
// network and the HTTP server around them.
func BenchmarkScaleBeginHandler(b *testing.B) {
	minimal := minimalHandler()
	for _, enc := range []api.Encoding{api.EncodingJSON, api.EncodingMultipart} {
		for _, handler := range []string{"minimal", "sandbox"} {
			b.Run(fmt.Sprintf("enc=%s/handler=%s", enc, handler), func(b *testing.B) {
				var h http.Handler = minimal
				if handler == "sandbox" {
					h = New(Options{MaxSessions: 1 << 30}).Handler()
				}
				c, err := api.New(api.Options{BaseURL: "http://127.0.0.1:1", CompanyKey: testKey})
				if err != nil {
					b.Fatal(err)
				}
				req, err := c.BuildBeginRequest([]byte(spanishConfig), enc)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					hr := httptest.NewRequest(req.Method, req.URL, bytes.NewReader(req.Body))
					hr.Header = req.Header.Clone()
					hr.RemoteAddr = "127.0.0.1:40000" // not limited per client
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, hr)
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
