package flow

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The BenchmarkScale… benchmarks measure how work grows with the size of
// a config, whatever it holds. Compare runs with benchstat. Besides wall
// time they report cpu-ns/op, the process CPU time per operation, which a
// busy machine disturbs less.

// loopCPU runs op b.N times and reports the CPU time per operation.
func loopCPU(b *testing.B, op func()) {
	b.Helper()
	start := processCPU()
	for b.Loop() {
		op()
	}
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

// repeatedSteps returns a config of n copies of step (a format taking the
// step's index, or none).
func repeatedSteps(n int, step string) []byte {
	var b strings.Builder
	b.WriteString(`{"flags":{"return_url":"https://example.com/done","skip_face":true,"skip_document":true},"steps":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if strings.Contains(step, "%") {
			fmt.Fprintf(&b, step, i)
		} else {
			b.WriteString(step)
		}
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// scaleStepCases are 40,000-step configs that once took quadratic time:
// keys the validator must check against each other, and types it must
// find a near name for.
var scaleStepCases = []struct{ name, step string }{
	{"unique-keys", `{"type":"email","key":"mail-%05d","flags":{"require_email":true}}`},
	{"same-default-key", `{"type":"email","flags":{"require_email_check":true}}`},
	{"same-explicit-key", `{"type":"email","key":"mail-00000","flags":{"require_email":true}}`},
	{"same-unknown-type", `{"type":"emial","flags":{"require":true}}`},
	{"distinct-unknown-types", `{"type":"emial%05d","flags":{"require":true}}`},
}

const scaleSteps = 40_000

func BenchmarkScaleSteps(b *testing.B) {
	for _, tc := range scaleStepCases {
		data := repeatedSteps(scaleSteps, tc.step)
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			loopCPU(b, func() {
				if _, _, err := Check(data); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkScaleValidate is load + validate of a flow against
// encoding/json decoding the same bytes into any: a clean flow (no
// errors) of 1 MB and of 10 MB, and the 1 MB flow in a language none of
// its texts has (thousands of missing-translation warnings).
func BenchmarkScaleValidate(b *testing.B) {
	flows := []struct {
		name  string
		steps int
		lang  string
	}{
		{"clean-1MB", 1000, "en"},
		{"ka-1MB", 1000, "ka"},
		{"clean-10MB", 10_000, "en"},
	}
	for _, f := range flows {
		b.Run("flow="+f.name+"/op=decode", func(b *testing.B) {
			data := generateFlowIn(f.steps, f.lang)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			loopCPU(b, func() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run("flow="+f.name+"/op=validate", func(b *testing.B) {
			data := generateFlowIn(f.steps, f.lang)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			loopCPU(b, func() {
				if _, _, err := Check(data); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkScaleInsertSteps builds a flow of 20,000 steps one edit at a
// time, as the wizard does; ns/step is the cost of one insertion.
func BenchmarkScaleInsertSteps(b *testing.B) {
	const n = 20_000
	for _, typ := range []string{"liveness", "user-questionnaire"} {
		b.Run("type="+typ, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c := New()
				for i := range n {
					if _, err := c.InsertStep(nil, i, typ); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/step")
		})
	}
	b.Run("op=duplicate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := New()
			if _, err := c.InsertStep(nil, 0, "email"); err != nil {
				b.Fatal(err)
			}
			for i := range n - 1 {
				if _, err := c.DuplicateStep(StepPath{i}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/step")
	})
}
