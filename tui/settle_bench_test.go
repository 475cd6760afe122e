package tui

import (
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// BenchmarkScaleSettleSaved1MB times what the autosave adds on a 1 MB
// flow to find whether it is the file's content again: an edit alone, and
// an edit then the comparison with the file (the file's own form worked
// out once, before the timer).
func BenchmarkScaleSettleSaved1MB(b *testing.B) {
	data := scaleFlow(b)
	for _, settle := range []bool{false, true} {
		name := "edit"
		if settle {
			name = "edit+settle"
		}
		b.Run(name, func(b *testing.B) {
			c, err := flow.Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			doc := ui.NewDoc(c, "big.json", true)
			doc.SetOnDisk(data)
			doc.Edit("name", func(c *flow.Config) error { c.Set("name", flow.NewString("a")); return nil })
			doc.SettleSaved()
			b.ResetTimer()
			for i := range b.N {
				name := flow.NewString(string(rune('a' + i%2)))
				_ = doc.Edit("name", func(c *flow.Config) error { c.Set("name", name); return nil })
				if settle && !doc.SettleSaved() {
					b.Fatal("an edited flow counted as saved")
				}
			}
		})
	}
}
