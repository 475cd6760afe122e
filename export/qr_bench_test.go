package export

import "testing"

// BenchmarkRenderQR draws the 84-byte widget URL as the wizard would.
func BenchmarkRenderQR(b *testing.B) {
	for _, c := range []struct {
		name string
		opt  QROptions
	}{
		{"half-80x23", QROptions{MaxCols: 80, MaxRows: 23}},
		{"full", QROptions{Style: QRFull}},
		{"plain-half-80x23", QROptions{Plain: true, MaxCols: 80, MaxRows: 23}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := RenderQR(testWidgetURL, c.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlanQR is the cost of asking for a layout on every resize.
func BenchmarkPlanQR(b *testing.B) {
	b.ReportAllocs()
	opt := QROptions{MaxCols: 80, MaxRows: 23}
	for b.Loop() {
		if _, err := PlanQR(testWidgetURL, opt); err != nil {
			b.Fatal(err)
		}
	}
}
