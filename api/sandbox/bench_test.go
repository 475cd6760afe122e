package sandbox

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sync"
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
