package flow

import (
	"fmt"
	"testing"
)

// BenchmarkParse measures loading alone (no validation): recording each
// value's position must not make it noticeably slower.
func BenchmarkParse(b *testing.B) {
	for _, n := range benchSizes {
		data := generateFlow(n)
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
