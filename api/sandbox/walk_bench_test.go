package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
	"github.com/identoflow/identoflow/flow"
)

// BenchmarkPage is the time to render one page, per step of every
// built-in template (in Spanish, so fallbacks are looked up too), through
// the handler without a network, once the customer has reached it. Goal:
// well under a millisecond per page.
func BenchmarkPage(b *testing.B) {
	sb := New(Options{})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	c, err := api.New(api.Options{BaseURL: srv.URL, CompanyKey: testKey, RetryBudget: -1})
	if err != nil {
		b.Fatal(err)
	}
	h := sb.Handler()
	for _, tpl := range flow.Templates() {
		s, err := c.Begin(context.Background(), []byte(templateConfig(b, tpl.Name, "es")), api.EncodingJSON)
		if err != nil {
			b.Fatal(err)
		}
		w := sandboxtest.NewWalker(sandboxtest.NewBrowser(b, srv.URL), s.Token)
		w.Run() // every page reached
		snap, _ := sb.sessions.get(s.Token, sb.now())
		p := snap.walk.getPlan()
		for i := 0; i <= len(p.pages); i++ {
			typ := "outcome"
			if i < len(p.pages) {
				typ = p.pages[i].typ
			}
			target := pageURL(s.Token, i)
			b.Run(fmt.Sprintf("%s/%d-%s", tpl.Name, i+1, typ), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d", rec.Code)
					}
				}
			})
		}
	}
}

// BenchmarkBeginToFirstPage is a session created (JSON begin/) and its
// first page opened, through the handler without a network: what a
// customer waits for between the operator's key press and the page.
func BenchmarkBeginToFirstPage(b *testing.B) {
	sb := New(Options{MaxSessions: 1 << 30})
	h := sb.Handler()
	body := `{"company_key":"` + testKey + `",` + strings.TrimPrefix(spanishConfig, "{")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, api.BeginPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("begin: %d %s", rec.Code, rec.Body)
		}
		token := strings.Trim(rec.Body.String(), `"`)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, pageURL(token, -1), nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("page: %d", rec.Code)
		}
	}
}

// BenchmarkSessionHeap reports the live heap each unopened session holds
// (heap-B/session), the Spanish video-call flow created through the
// handler: the flow is kept as compact JSON until its link is opened.
func BenchmarkSessionHeap(b *testing.B) {
	body := `{"company_key":"` + testKey + `",` + strings.TrimPrefix(spanishConfig, "{")
	for b.Loop() {
		sb := New(Options{})
		h := sb.Handler()
		const n = 2000
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range n {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, api.BeginPath, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(rec, req)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "heap-B/session")
		runtime.KeepAlive(sb)
	}
}
